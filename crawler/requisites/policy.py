"""Which requisites of a page are fetched: the job's (or source's) choice, and the
hosts they are never fetched from.

- ``all`` (the default): every requisite, wherever it lives (a CDN, a ``static.``
  host), each under its own host's robots.txt, politeness and the job's egress
  rules: a requisite never widens a source's link scope, and a CDN on a private
  address still needs the job's ``egress_allow``;
- ``same-site``: only those on the page's own site (its registrable domain:
  ``static.example.com`` is the site of ``www.example.com``, a CDN is not);
- ``none``: none; pages are archived alone, as before.

Excluded hosts (:mod:`.excluded` and the job's ``requisites_exclude``) are never
asked, whatever the choice.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from crawler.requisites.excluded import AD_AND_TRACKING_HOSTS, HostList

MODES = ("all", "same-site", "none")

# Why a requisite was not fetched (stats requisites/skipped/REASON).
EXCLUDED = "excluded_host"
OTHER_SITE = "other_site"


class RequisitePolicy:
    def __init__(self, mode: str = "all", by_source: Mapping[str, str | None] | None = None,
                 exclude: Iterable[str] = ()) -> None:
        self.mode = mode
        self.by_source = {name: m for name, m in (by_source or {}).items() if m is not None}
        self.excluded = HostList([*AD_AND_TRACKING_HOSTS, *exclude])

    def mode_of(self, source: str | None) -> str:
        return self.by_source.get(source or "", self.mode)

    def fetches_any(self, source: str | None) -> bool:
        return self.mode_of(source) != "none"

    def refusal(self, url: str, page_url: str, source: str | None) -> str | None:
        """Why ``url``, a requisite of ``page_url``, is not fetched; None when it is."""
        host = urlsplit(url).hostname or ""
        if self.excluded.covers(host):
            return EXCLUDED
        if self.mode_of(source) == "same-site" and \
                site_of_host(host) != site_of_host(urlsplit(page_url).hostname or ""):
            return OTHER_SITE
        return None


@lru_cache(maxsize=4096)
def site_of_host(host: str) -> str:
    """The registrable domain of ``host`` (``www.bbc.co.uk`` -> ``bbc.co.uk``), from the
    public suffix list tldextract ships (never fetched: no network at run time). An
    address is its own site; a name under no public suffix (``herald.example``, an
    intranet's) is taken as its last two labels."""
    host = host.lower().rstrip(".")
    parts = _extract()(host)
    if parts.top_domain_under_public_suffix:
        return parts.top_domain_under_public_suffix
    if parts.suffix or not any(c.isalpha() for c in host) or ":" in host:
        return host  # an address (v4, v6), or a public suffix itself
    return ".".join(host.split(".")[-2:])


@lru_cache(maxsize=1)
def _extract() -> Any:
    import tldextract

    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
