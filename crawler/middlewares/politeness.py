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
  at most ``AUTOTHROTTLE_MAX_DELAY``), and a ``Retry-After`` (up to
  ``RETRY_AFTER_MAX``) pauses every request to that host — not only the one
  retried — until it has passed. The pause is the slot's own clock, so a waiting
  host holds no downloader capacity other hosts could use;
- the host returns to its pace step by step as it answers again: every
  ``POLITENESS_RECOVER_AFTER`` good answers in a row halve the delay added, until
  what is left is negligible. A flaky minute costs a large site minutes, not the
  rest of the crawl. The time each host spent slowed down is in the stats
  (``politeness/slowed/HOST``, seconds; ``politeness/slowed_times/HOST``) and the
  summary;
- a host still answering 429/503 after the crawl waited as asked
  ``POLITENESS_LEAVE_AFTER`` times in a row is left for the next run: nothing more
  of it is fetched in this one, its requests stay in the job's frontier (skip
  reason ``host_throttled``), and the run ends with the other hosts instead of
  pausing for it again and again (stats ``politeness/left/HOST`` and
  ``politeness/not_fetched/HOST``; the run exits 1, as for a site that is down);
- under a ``Crawl-delay`` the delay runs from the host's last *answer*, not from
  when the crawl handed its request to the network: on a busy machine a request
  can leave late and the next one on time, and the server would see them closer
  than it asked for. For every host, the pages that waited for its robots.txt
  start a delay after robots.txt's answer.

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
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from twisted.python.failure import Failure

from crawler import sourcestats
from crawler.discovery.urls import slot_key
from crawler.middlewares.retry import retry_after_seconds
from crawler.scrapy_internals import pause_slot, pop_queued_downloads, set_slot_pace
from crawler.session import ArchiveSession

if TYPE_CHECKING:
    from scrapy.robotstxt import RobotParser
    from scrapy.statscollectors import StatsCollector

    from crawler.jobfiles.spec import Politeness

logger = logging.getLogger(__name__)

SLOW_DOWN_STATUSES = (429, 503)
SKIP_REASON = "host_throttled"
LEFT = "politeness/left/"
NOT_FETCHED = "politeness/not_fetched/"


class HostLeftForNextRun(IgnoreRequest):
    """A request to a host the crawl has left for the next run."""


def left_for_next_run(stats: StatsCollector, key: str) -> bool:
    """Has this run left host ``key`` (a download slot: ``host:port``) for the next?"""
    return stats.get_value(f"{LEFT}{key}") is not None


# Added delay below this (or a tenth of the host's own delay) is back at the host's pace.
NEGLIGIBLE_DELAY = 0.01


@dataclass
class HostPace:
    """What a host's answers changed in its pace; times are time.monotonic(), the
    downloader's clock."""

    crawl_delay: float = 0.0
    backoff: float = 0.0  # the delay a 429/503 raised it to; 0: none
    paused_until: float = 0.0
    answered: int = 0  # good answers in a row since the back-off last changed
    slowed_since: float | None = None  # while above its own pace
    slowed_for: float = 0.0  # earlier spells
    slowed_times: int = 0
    # 429/503 answers in a row to requests sent after the one before had answered:
    # requests already in flight when a host says "slow down" all hear it, and count
    # once.
    throttled: int = 0
    last_throttled: float = float("-inf")

    def slow_down(self, current: float, *, least: float, most: float, now: float,
                  sent: float | None = None) -> None:
        """A 429/503 to a request sent at ``sent`` (default: ``now``)."""
        self.backoff = min(most, max(least, 2 * current))
        self.answered = 0
        self.slowed_times += 1
        if self.slowed_since is None:
            self.slowed_since = now
        if (now if sent is None else sent) >= self.last_throttled:
            self.throttled += 1
            self.last_throttled = now

    def answer_failed(self) -> None:
        self.answered = 0

    def answer_ok(self, own_delay: float, *, every: int, now: float) -> bool:
        """A good answer; True when it takes the host a step back towards ``own_delay``
        (its pace without any back-off)."""
        self.throttled = 0
        if not self.backoff:
            return False
        self.answered += 1
        if self.answered < every:
            return False
        self.answered = 0
        extra = (self.backoff - own_delay) / 2
        if extra >= max(NEGLIGIBLE_DELAY, own_delay / 10):
            self.backoff = own_delay + extra
            return True
        self.backoff = 0.0
        if self.slowed_since is not None:
            self.slowed_for += now - self.slowed_since
            self.slowed_since = None
        return True

    def slowed_seconds(self, now: float) -> float:
        """How long it has been above its own pace, in all."""
        return self.slowed_for + (now - self.slowed_since if self.slowed_since is not None
                                  else 0.0)


class HostPolitenessMiddleware:
    def __init__(self, crawler: Crawler, *, default_delay: float, default_concurrency: int,
                 max_crawl_delay: float, backoff_delay: float, max_delay: float,
                 max_pause: float, autothrottle: bool, recover_after: int = 10,
                 leave_after: int = 3, default_jitter: float = 0.5) -> None:
        self.crawler = crawler
        self.default_delay = default_delay
        self.default_concurrency = default_concurrency
        self.max_crawl_delay = max_crawl_delay
        self.backoff_delay = backoff_delay
        self.max_delay = max_delay
        self.max_pause = max_pause
        self.autothrottle = autothrottle
        self.recover_after = max(1, recover_after)
        self.leave_after = leave_after  # 0: never leave a host
        self.default_jitter = default_jitter
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
            recover_after=settings.getint("POLITENESS_RECOVER_AFTER"),
            leave_after=settings.getint("POLITENESS_LEAVE_AFTER"),
            # Scrapy's own choice (RANDOMIZE_DOWNLOAD_DELAY is its deprecated switch).
            default_jitter=(settings.getfloat("DOWNLOAD_DELAY_JITTER")
                            if settings.getbool("RANDOMIZE_DOWNLOAD_DELAY") else 0.0),
        )
        crawler.signals.connect(middleware.robots_parsed, signal=signals.robots_parsed)
        crawler.signals.connect(middleware.response_downloaded,
                                signal=signals.response_downloaded)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    # -- what a host may take ---------------------------------------------------
    def limits(self, key: str, url: str) -> tuple[float, int]:
        """(delay, concurrency) for the host ``key`` serving ``url``."""
        pace = self.hosts.get(key) or HostPace()
        return max(self.own_delay(key, url), pace.backoff), self._concurrency(key, url)

    def own_delay(self, key: str, url: str) -> float:
        """The host's pace without any back-off: its source's delay, or its Crawl-delay."""
        asked = self._asked(key, url)
        delay = asked.delay if asked and asked.delay is not None else self.default_delay
        pace = self.hosts.get(key)
        return max(delay, pace.crawl_delay if pace else 0.0)

    def _concurrency(self, key: str, url: str) -> int:
        pace = self.hosts.get(key)
        if pace and pace.crawl_delay:
            return 1
        asked = self._asked(key, url)
        return (asked.concurrency if asked and asked.concurrency is not None
                else self.default_concurrency)

    def _asked(self, key: str, url: str) -> Politeness | None:
        """The spider's ``politeness_for(url)``: the politeness the URL's source asks for."""
        if key not in self._asked_by_host:
            politeness_for = getattr(self.crawler.spider, "politeness_for", None)
            self._asked_by_host[key] = politeness_for(url) if politeness_for else None
        return self._asked_by_host[key]

    # -- Scrapy hooks -------------------------------------------------------------
    def process_request(self, request: Request) -> None:
        if request.meta.get("redirect_urls"):
            # A redirect copies the first request's meta, its slot with it: a request
            # redirected to another host (a www alias to the site) is paced as the host
            # it goes to, not in the slot of the one it came from.
            request.meta["download_slot"] = slot_key(request.url)
        key = request.meta.setdefault("download_slot", slot_key(request.url))
        if left_for_next_run(self.stats, key):
            self._not_fetched(key, request)
        self._apply(key, request.url)

    def response_downloaded(self, response: Response, request: Request) -> None:
        """Scrapy sends this before the slot starts its next request (the middleware's
        process_response would come too late), and after AutoThrottle has adjusted the
        slot: a pause holds from the start, and no floor is undercut even once."""
        key = request.meta.get("download_slot") or slot_key(request.url)
        if response.status in SLOW_DOWN_STATUSES:
            wait = retry_after_seconds(response.headers.get(b"Retry-After"))
            # Scrapy measures the latency on the same clock, so this is when it was sent.
            sent = monotonic() - float(request.meta.get("download_latency") or 0.0)
            self.slow_down(key, request.url, wait, sent=sent)
            if self.leave_after and self.hosts[key].throttled >= self.leave_after:
                self.leave(key)
                return
        elif (pace := self.hosts.get(key)) is not None:
            if response.status >= 500:
                pace.answer_failed()
            elif pace.answer_ok(self.own_delay(key, request.url), every=self.recover_after,
                                now=monotonic()) and not pace.backoff:
                self._count_slowed(key, pace)
                logger.info("%s answers again: back at its own pace after %.0fs slowed down",
                            key, pace.slowed_seconds(monotonic()))
        self._apply(key, request.url)
        if (pace := self.hosts.get(key)) is not None and pace.crawl_delay:
            self._delay_from_now(key)

    def spider_closed(self) -> None:
        for key, pace in self.hosts.items():
            if pace.slowed_times:
                self._count_slowed(key, pace)

    def robots_parsed(self, robotparser: RobotParser, request: Request) -> None:
        user_agent = (self.crawler.settings.get("ROBOTSTXT_USER_AGENT")
                      or self.crawler.settings.get("USER_AGENT"))
        crawl_delay = getattr(robotparser, "crawl_delay", None)
        delay = crawl_delay(user_agent) if crawl_delay else None
        key = slot_key(request.url)
        # The host's pages waited for robots.txt and now go at once: the first of them
        # a delay after its answer, not after the crawl sent it (which on a busy machine
        # can be the moment before the answer).
        self._delay_from_now(key)
        if not delay or delay <= 0:
            return
        if delay > self.max_crawl_delay:
            logger.warning("robots.txt of %s asks for a Crawl-delay of %.0fs; using %.0fs "
                           "(POLITENESS_MAX_CRAWL_DELAY)", key, delay, self.max_crawl_delay)
            delay = self.max_crawl_delay
        self.hosts.setdefault(key, HostPace()).crawl_delay = delay
        self.stats.set_value(f"politeness/crawl_delay/{key}", delay)
        self._apply(key, request.url)

    # -- pacing -------------------------------------------------------------------
    def slow_down(self, key: str, url: str, retry_after: float | None, *,
                  sent: float | None = None) -> None:
        pace = self.hosts.setdefault(key, HostPace())
        current, _ = self.limits(key, url)
        pace.slow_down(current, least=self.backoff_delay, most=self.max_delay, now=monotonic(),
                       sent=sent)
        self.stats.inc_value("politeness/slowed_down")
        self.stats.max_value(f"politeness/backoff/{key}", pace.backoff)
        if retry_after:
            wait = min(retry_after, self.max_pause)
            pace.paused_until = max(pace.paused_until, monotonic() + wait)
            logger.info("%s asked to wait %.0fs: pausing that host, then one request every "
                        "%.2fs", key, wait, pace.backoff)

    def leave(self, key: str) -> None:
        """Leave host ``key`` for the next run: what waits in its download slot and
        every later request to it stay in the job's frontier, unfetched."""
        pace = self.hosts[key]
        self.stats.set_value(f"{LEFT}{key}", pace.throttled)
        logger.warning("%s answered 429/503 %d times in a row, each after the wait it asked "
                       "for: nothing more of it is fetched in this run; the next run asks "
                       "again (POLITENESS_LEAVE_AFTER)", key, pace.throttled)
        for request, deferred in pop_queued_downloads(self.crawler, key):
            try:
                self._not_fetched(key, request)
            except HostLeftForNextRun as refused:
                deferred.errback(Failure(refused))

    def _not_fetched(self, key: str, request: Request) -> None:
        """Refuse a request to a host left for the next run; the job's frontier keeps it
        (a distributed worker hands it back to the shared one)."""
        ArchiveSession.of(self.crawler).not_fetched.append(request)
        if source := request.meta.get("source"):  # not robots.txt: a page of a source
            self.stats.inc_value(f"{NOT_FETCHED}{key}")
            sourcestats.count_skip(self.stats, source, SKIP_REASON)
        raise HostLeftForNextRun(f"not fetched: {key} is left for the next run "
                                 f"({request.url})")

    def _delay_from_now(self, key: str) -> None:
        """The host's next request goes a full delay after now (its last answer)."""
        pause_slot(self.crawler, key, monotonic())

    def _apply(self, key: str, url: str) -> None:
        delay, concurrency = self.limits(key, url)
        pace = self.hosts.get(key)
        # A pace the server asked for is kept exactly: Scrapy's ±50% jitter would
        # otherwise send every other request sooner than the Crawl-delay.
        exact = pace is not None and bool(pace.crawl_delay or pace.backoff)
        # Back at its own pace after a back-off, the host gets the usual jitter back.
        jitter = 0.0 if exact else (self.default_jitter if pace is not None else None)
        set_slot_pace(self.crawler, key, delay=delay, concurrency=concurrency,
                      jitter=jitter, keep_higher_delay=self.autothrottle)
        if pace and pace.paused_until > monotonic():
            pause_slot(self.crawler, key, pace.paused_until)

    def _count_slowed(self, key: str, pace: HostPace) -> None:
        self.stats.set_value(f"politeness/slowed/{key}",
                             round(pace.slowed_seconds(monotonic()), 1))
        self.stats.set_value(f"politeness/slowed_times/{key}", pace.slowed_times)

    @property
    def stats(self) -> StatsCollector:
        assert self.crawler.stats is not None  # set by Scrapy before components are built
        return self.crawler.stats
