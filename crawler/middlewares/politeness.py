"""Per-host politeness: each host gets its own pace, whatever else the crawl is doing.

Scrapy already paces requests per download slot; this middleware decides the
slot and its limits:

- the slot is the host *and port* (Scrapy's default, the host name alone,
  would make two sites on one machine share one pace);
- its delay is the source's ``politeness.delay`` (else ``DOWNLOAD_DELAY``),
  raised to the robots.txt ``Crawl-delay`` (capped by
  ``POLITENESS_MAX_CRAWL_DELAY``) and to any back-off; its concurrency the
  source's ``politeness.concurrency`` (else ``CONCURRENT_REQUESTS_PER_DOMAIN``),
  and 1 under a Crawl-delay, which means one request at a time;
- a 429 or 503 doubles the host's delay (at least ``POLITENESS_BACKOFF_DELAY``,
  at most ``AUTOTHROTTLE_MAX_DELAY``) for the rest of the crawl, and a
  ``Retry-After`` (up to ``RETRY_AFTER_MAX``) pauses every request to that host —
  not only the one retried — until it has passed. The pause is the slot's own
  clock, so a waiting host holds no downloader capacity other hosts could use.

Scrapy reads per-slot limits (``DOWNLOAD_SLOTS``) only when the crawl starts;
these are learned during it, so they are set on the downloader's slots through
:mod:`crawler.scrapy_internals`.

AutoThrottle stays on top: it may slow a host further, never below these floors.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from time import monotonic
from typing import TYPE_CHECKING

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.http import Response

from crawler.discovery.urls import slot_key
from crawler.middlewares.retry import retry_after_seconds
from crawler.scrapy_internals import pause_slot, set_slot_pace

if TYPE_CHECKING:
    from scrapy.robotstxt import RobotParser
    from scrapy.statscollectors import StatsCollector

    from crawler.jobfiles.spec import Politeness

logger = logging.getLogger(__name__)

SLOW_DOWN_STATUSES = (429, 503)


@dataclass
class HostPace:
    crawl_delay: float = 0.0
    backoff: float = 0.0
    paused_until: float = 0.0  # time.monotonic(), the downloader's clock


class HostPolitenessMiddleware:
    def __init__(self, crawler: Crawler, *, default_delay: float, default_concurrency: int,
                 max_crawl_delay: float, backoff_delay: float, max_delay: float,
                 max_pause: float, autothrottle: bool) -> None:
        self.crawler = crawler
        self.default_delay = default_delay
        self.default_concurrency = default_concurrency
        self.max_crawl_delay = max_crawl_delay
        self.backoff_delay = backoff_delay
        self.max_delay = max_delay
        self.max_pause = max_pause
        self.autothrottle = autothrottle
        self.hosts: dict[str, HostPace] = {}
        # What each host's source asks for: fixed for a host, looked up once, not on
        # every request and response.
        self._asked_by_host: dict[str, Politeness | None] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> HostPolitenessMiddleware:
        settings = crawler.settings
        middleware = cls(
            crawler,
            default_delay=settings.getfloat("DOWNLOAD_DELAY"),
            default_concurrency=settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN"),
            max_crawl_delay=settings.getfloat("POLITENESS_MAX_CRAWL_DELAY"),
            backoff_delay=settings.getfloat("POLITENESS_BACKOFF_DELAY"),
            max_delay=settings.getfloat("AUTOTHROTTLE_MAX_DELAY"),
            max_pause=settings.getfloat("RETRY_AFTER_MAX"),
            autothrottle=settings.getbool("AUTOTHROTTLE_ENABLED"),
        )
        crawler.signals.connect(middleware.robots_parsed, signal=signals.robots_parsed)
        crawler.signals.connect(middleware.response_downloaded,
                                signal=signals.response_downloaded)
        return middleware

    # -- what a host may take ---------------------------------------------------
    def limits(self, key: str, url: str) -> tuple[float, int]:
        """(delay, concurrency) for the host ``key`` serving ``url``."""
        asked = self._asked(key, url)
        pace = self.hosts.get(key) or HostPace()
        delay = asked.delay if asked and asked.delay is not None else self.default_delay
        concurrency = (asked.concurrency if asked and asked.concurrency is not None
                       else self.default_concurrency)
        if pace.crawl_delay:
            concurrency = 1
        return max(delay, pace.crawl_delay, pace.backoff), concurrency

    def _asked(self, key: str, url: str) -> Politeness | None:
        """The spider's ``politeness_for(url)``: the politeness the URL's source asks for."""
        if key not in self._asked_by_host:
            politeness_for = getattr(self.crawler.spider, "politeness_for", None)
            self._asked_by_host[key] = politeness_for(url) if politeness_for else None
        return self._asked_by_host[key]

    # -- Scrapy hooks -------------------------------------------------------------
    def process_request(self, request: Request) -> None:
        key = request.meta.setdefault("download_slot", slot_key(request.url))
        self._apply(key, request.url)

    def response_downloaded(self, response: Response, request: Request) -> None:
        """Scrapy sends this before the slot starts its next request (the middleware's
        process_response would come too late), and after AutoThrottle has adjusted the
        slot: a pause holds from the start, and no floor is undercut even once."""
        key = request.meta.get("download_slot") or slot_key(request.url)
        if response.status in SLOW_DOWN_STATUSES:
            wait = retry_after_seconds(response.headers.get(b"Retry-After"))
            self.slow_down(key, request.url, wait)
        self._apply(key, request.url)

    def robots_parsed(self, robotparser: RobotParser, request: Request) -> None:
        user_agent = (self.crawler.settings.get("ROBOTSTXT_USER_AGENT")
                      or self.crawler.settings.get("USER_AGENT"))
        crawl_delay = getattr(robotparser, "crawl_delay", None)
        delay = crawl_delay(user_agent) if crawl_delay else None
        if not delay or delay <= 0:
            return
        key = slot_key(request.url)
        if delay > self.max_crawl_delay:
            logger.warning("robots.txt of %s asks for a Crawl-delay of %.0fs; using %.0fs "
                           "(POLITENESS_MAX_CRAWL_DELAY)", key, delay, self.max_crawl_delay)
            delay = self.max_crawl_delay
        self.hosts.setdefault(key, HostPace()).crawl_delay = delay
        self.stats.set_value(f"politeness/crawl_delay/{key}", delay)
        self._apply(key, request.url)

    # -- pacing -------------------------------------------------------------------
    def slow_down(self, key: str, url: str, retry_after: float | None) -> None:
        pace = self.hosts.setdefault(key, HostPace())
        current, _ = self.limits(key, url)
        pace.backoff = min(self.max_delay, max(self.backoff_delay, 2 * current))
        self.stats.inc_value("politeness/slowed_down")
        self.stats.set_value(f"politeness/backoff/{key}", pace.backoff)
        if retry_after:
            wait = min(retry_after, self.max_pause)
            pace.paused_until = max(pace.paused_until, monotonic() + wait)
            logger.info("%s asked to wait %.0fs: pausing that host, then one request every "
                        "%.2fs", key, wait, pace.backoff)

    def _apply(self, key: str, url: str) -> None:
        delay, concurrency = self.limits(key, url)
        pace = self.hosts.get(key)
        # A pace the server asked for is kept exactly: Scrapy's ±50% jitter would
        # otherwise send every other request sooner than the Crawl-delay.
        exact = pace is not None and bool(pace.crawl_delay or pace.backoff)
        set_slot_pace(self.crawler, key, delay=delay, concurrency=concurrency,
                      jitter=0.0 if exact else None, keep_higher_delay=self.autothrottle)
        if pace and pace.paused_until > monotonic():
            pause_slot(self.crawler, key, pace.paused_until)

    @property
    def stats(self) -> StatsCollector:
        assert self.crawler.stats is not None  # set by Scrapy before components are built
        return self.crawler.stats
