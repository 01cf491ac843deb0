"""The egress guard in the downloader: a request the job may not send is refused before a
byte goes out, counted for its source and logged once per host.

:class:`EgressGuardMiddleware` (first of all, at 50: before robots.txt is asked for)
checks every request — seeds, links, redirect hops, feeds, sitemaps, robots.txt and
its ``Sitemap:`` lines all pass through it — against the job's
:class:`~crawler.egress.policy.EgressPolicy`: an address literal or a metadata name at
once, any other host on the addresses it resolves to. It also puts that policy in
force in the process's :class:`~crawler.egress.resolver.GuardedResolver`, which
filters the same answers when the connection is made; so the refusal here is the
early, counted one, and the resolver's the one that cannot be slipped past.

:class:`ProxyGuardMiddleware` (760, right after Scrapy's ``HttpProxyMiddleware`` has
chosen a proxy from ``meta["proxy"]`` or ``HTTP_PROXY``/``HTTPS_PROXY``) refuses a
proxy that no allowance names: a proxy resolves and connects on the crawl's behalf,
where the resolver cannot see.

A refusal is ``egress/blocked`` crawl-wide and ``source/NAME/skipped/private_address``
for the request's source; the first hosts refused are named in
``egress/blocked_host/HOST:PORT`` for the summary and the run report. A refused proxy
is ``egress/proxy_refused`` (and ``egress/proxy_refused_host/HOST:PORT``): a setting
to fix, so the run ends with exit status 1 saying so.
"""

from __future__ import annotations

import logging
from typing import NoReturn
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.statscollectors import StatsCollector
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached

from crawler import sourcestats
from crawler.egress.policy import DEFAULT_PORTS, EgressPolicy, host_key
from crawler.egress.resolver import GuardedResolver
from crawler.extensions.summary import BLOCKED, BLOCKED_HOST, PROXY_REFUSED, PROXY_REFUSED_HOST

logger = logging.getLogger(__name__)

SKIP_REASON = "private_address"
# Download handlers that connect through Twisted endpoints, so through the resolver.
TWISTED_HANDLERS = ("scrapy.core.downloader.handlers.http11.HTTP11DownloadHandler",
                    "scrapy.core.downloader.handlers.http2.H2DownloadHandler")
# Hosts named in the stats, at most: a page linking to thousands of private hosts
# must not grow the stats without bound.
MAX_HOSTS_NAMED = 20


def job_policy(crawler: Crawler) -> EgressPolicy:
    """The job's named hosts (its sources' seeds, feeds, sitemaps and allowed_domains;
    for another spider, its start_urls and allowed_domains) and the allowances of
    ``EGRESS_ALLOW`` and the job key ``egress_allow``."""
    spider = crawler.spider
    allow = crawler.settings.getlist("EGRESS_ALLOW")
    spec = getattr(spider, "job_spec", None)
    if spec is None:
        return EgressPolicy.for_job(getattr(spider, "start_urls", ()),
                                    getattr(spider, "allowed_domains", None) or (), allow)
    return EgressPolicy.for_job(
        spec.start_urls, [d for source in spec.sources for d in source.allowed_domains],
        [*allow, *spec.egress_allow])


class Refusals:
    """Counting and logging one kind of refusal: ``total`` for every request,
    ``per_host`` + ``HOST:PORT`` for the first hosts, and ``skip_reason`` (if any) for
    the request's source."""

    def __init__(self, stats: StatsCollector, total: str, per_host: str,
                 skip_reason: str | None) -> None:
        self.stats = stats
        self.total = total
        self.per_host = per_host
        self.skip_reason = skip_reason
        self.logged: set[str] = set()  # hosts refused so far (logged once each)
        self.named: set[str] = set()  # those of them named in the stats

    def refuse(self, request: Request, where: str, why: str, fix: str) -> NoReturn:
        source = request.meta.get("source")
        self.stats.inc_value(self.total)
        if self.skip_reason:
            sourcestats.count_skip(self.stats, source, self.skip_reason)
        if where not in self.logged:
            self.logged.add(where)
            logger.warning("Egress guard: refused %s (%s: %s)%s; %s", request.url, where, why,
                           f" for source {source}" if source else "", fix)
            if len(self.logged) <= MAX_HOSTS_NAMED:
                self.named.add(where)
        if where in self.named:
            self.stats.inc_value(f"{self.per_host}{where}")
        raise IgnoreRequest(f"egress guard: {where}: {why}")


class EgressGuardMiddleware:
    def __init__(self, policy: EgressPolicy, stats: StatsCollector) -> None:
        self.policy = policy
        self.refusals = Refusals(stats, BLOCKED, BLOCKED_HOST, SKIP_REASON)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> EgressGuardMiddleware:
        assert crawler.stats is not None
        handlers = crawler.settings.getwithbase("DOWNLOAD_HANDLERS")
        others = {scheme: handlers.get(scheme) for scheme in DEFAULT_PORTS
                  if handlers.get(scheme) not in TWISTED_HANDLERS}
        if others:
            # httpx, aiohttp: they resolve names themselves, out of the resolver's sight.
            logger.warning("Egress guard: %s download through %s, which does not use "
                           "Twisted's resolver; requests are still checked before they are "
                           "sent, but no longer on the address actually connected to",
                           "/".join(others), ", ".join(map(str, set(others.values()))))
        return cls(job_policy(crawler), crawler.stats)

    async def process_request(self, request: Request) -> None:
        resolver = self.resolver()
        url = urlparse_cached(request)
        if url.scheme not in DEFAULT_PORTS:
            # file:, ftp:, s3: ... read or connect around the HTTP path; the crawl
            # never needs them.
            self.refusals.refuse(request, f"{url.scheme}:", "not http(s)",
                                 "only http(s) is fetched")
        host = url.hostname or ""
        port = url.port or DEFAULT_PORTS[url.scheme]
        why, address = self.policy.before_lookup(host, port), host_key(host)
        if why is None and not self.policy.names(host, port):
            verdict = await maybe_deferred_to_future(resolver.check(host, port))
            why, address = verdict.why_refused, verdict.refused[0][0] if verdict.refused else ""
        if why is not None:
            where = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
            self.refusals.refuse(request, where, f"{why} {address}" if address != host else why,
                                 f'to crawl it, add "{where}" to egress_allow')

    def resolver(self) -> GuardedResolver:
        """The reactor's resolver, with this job's policy in force.

        Done for every request, not once: Scrapy installs the process's resolver
        (TWISTED_DNS_RESOLVER) only when the reactor starts, after middlewares are
        built, and a crawl started another way (CrawlerRunner, a test) has none; the
        job's policy must be the one in force whenever a connection is made."""
        from twisted.internet import reactor

        current = reactor.nameResolver  # type: ignore[attr-defined]
        if not isinstance(current, GuardedResolver):
            current = GuardedResolver(reactor, self.policy)
            current.install_on_reactor()
        current.policy = self.policy
        return current


class ProxyGuardMiddleware:
    def __init__(self, policy: EgressPolicy, stats: StatsCollector) -> None:
        self.policy = policy
        # Not a skip of the source's: a proxy refused is a setting to fix (exit 1).
        self.refusals = Refusals(stats, PROXY_REFUSED, PROXY_REFUSED_HOST, None)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ProxyGuardMiddleware:
        assert crawler.stats is not None
        return cls(job_policy(crawler), crawler.stats)

    def process_request(self, request: Request) -> None:
        proxy = request.meta.get("proxy")
        if proxy and (why := self.policy.proxy_refusal(proxy)):
            where = urlsplit(proxy if "://" in proxy else f"http://{proxy}").netloc
            where = where.rpartition("@")[2]  # never the credentials, in a log or a stat
            self.refusals.refuse(request, where, why,
                                 f'to use it, add "{where}" to egress_allow (or unset '
                                 "HTTP_PROXY/HTTPS_PROXY)")
