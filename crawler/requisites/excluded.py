"""Hosts whose requisites are never fetched: advertising, tracking and analytics.

What they serve is not the page a reader came for (an ad auction's script, a
tracking pixel, a tag manager), it differs on every view, and fetching it tells
the ad network the archive was there. A host matches its entries and their
subdomains ("doubleclick.net" covers "securepubads.g.doubleclick.net"). The job
key ``requisites_exclude`` adds to this list.
"""

from __future__ import annotations

from collections.abc import Iterable

# Kept short and certain: each entry serves ads, tracking or analytics only, never a
# site's own stylesheet or pictures.
AD_AND_TRACKING_HOSTS = (
    "2mdn.net", "adform.net", "adnxs.com", "adsafeprotected.com", "adsrvr.org",
    "adition.com", "advertising.com", "amazon-adsystem.com", "bluekai.com",
    "casalemedia.com", "chartbeat.com", "chartbeat.net", "criteo.com", "criteo.net",
    "demdex.net", "doubleclick.net", "doubleverify.com", "everesttech.net",
    "google-analytics.com", "googleadservices.com", "googlesyndication.com",
    "googletagmanager.com", "googletagservices.com", "hotjar.com", "krxd.net",
    "moatads.com", "newrelic.com", "nr-data.net", "omtrdc.net", "openx.net",
    "outbrain.com", "pubmatic.com", "quantserve.com", "rubiconproject.com",
    "scorecardresearch.com", "smartadserver.com", "taboola.com", "teads.tv",
    "yieldmo.com", "connect.facebook.net", "analytics.twitter.com", "ads.linkedin.com",
    "px.ads.linkedin.com", "bat.bing.com", "cdn.segment.com", "api.segment.io",
    "stats.wp.com", "pixel.wp.com", "sb.scorecardresearch.com",
)


class HostList:
    """Host names and their subdomains, matched by walking up the name's labels."""

    def __init__(self, hosts: Iterable[str]) -> None:
        self.hosts = frozenset(host.lower().strip(".") for host in hosts if host.strip("."))

    def covers(self, host: str) -> bool:
        name = host.lower().rstrip(".")
        while name:
            if name in self.hosts:
                return True
            _, _, name = name.partition(".")
        return False
