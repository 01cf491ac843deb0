"""robots.txt as RFC 9309 asks, also while a site is failing; refusals counted per source.

Scrapy's RobotsTxtMiddleware asks for a host's robots.txt once and takes any
answer it can parse, or none at all, for the rules: a robots.txt that answers
503, times out or refuses the connection lets every page through. RFC 9309
says the opposite (§2.3.1.4). Here, by the final answer to robots.txt:

- 2xx: its rules;
- 3xx still (more than REDIRECT_MAX_TIMES hops) or 4xx, but 429: "unavailable"
  (§2.3.1.3), no rules, everything allowed;
- 5xx, 429 ("slow down" is no "there is no file") or no answer (a timeout, a
  refused connection, no such host): "unreachable", nothing of the host is
  fetched for now. Its requests are held back here, neither fetched nor lost,
  and robots.txt is asked again ``ROBOTSTXT_RETRY_DELAY`` seconds on (doubling
  each time, longer when the server's ``Retry-After`` says so), up to
  ``ROBOTSTXT_RETRY_TIMES`` times; the held requests go on as soon as it
  answers. After the last try they are dropped and counted (per source: skip
  reason ``robots_unreachable``; a source none of whose requests got an answer
  fails, and the run exits 1); the next run asks again, and the job's frontier
  still holds them.

Every answer with rules is kept for later runs of the job
(:mod:`archive.state.robotscache`), and while a host is unreachable the copy an
earlier run kept stands in (§2.4): the host is crawled by the rules it last gave.

Held requests wait on a Deferred of their own, as Scrapy's middleware makes a
host's requests wait while its robots.txt downloads, so they hold a place in
the downloader (``CONCURRENT_REQUESTS``): in practice the few seeds, feeds and
sitemaps of the host, since nothing else of it has been read yet. When the
crawl begins to close (a stop signal, a page cap) they are let go unfetched at
once instead of holding the close up for the next try.

Crawl-delay is applied by :mod:`crawler.middlewares.politeness` and ``Sitemap:`` lines are
read by the spider, both from Scrapy's ``robots_parsed`` signal.
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from scrapy import Request, signals
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http.request import NO_CALLBACK
from scrapy.utils.asyncio import call_later, create_looping_call
from scrapy.utils.defer import deferred_from_coro, maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import build_from_crawler, load_object
from twisted.internet.defer import Deferred
from twisted.python.failure import Failure

from archive.state.robotscache import RobotsCache
from crawler import sourcestats
from crawler.discovery.urls import slot_key
from crawler.middlewares.politeness import HostLeftForNextRun, left_for_next_run
from crawler.middlewares.retry import retry_after_seconds
from crawler.middlewares.sourcehealth import no_answer_reason
from crawler.scrapy_internals import spider_closing
from crawler.session import ArchiveSession

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.robotstxt import RobotParser
    from scrapy.statscollectors import StatsCollector
    from scrapy.utils.asyncio import CallLaterResult

logger = logging.getLogger(__name__)

# How often held requests look whether the crawl has begun to close.
_CLOSING_CHECK = 0.5
SKIP_REASON = "robots_unreachable"


class Rules(enum.Enum):
    UNKNOWN = "unknown"
    KNOWN = "known"
    UNREACHABLE = "unreachable"  # for the rest of this run


@dataclass
class HostRobots:
    """One host's robots.txt in this crawl."""

    url: str  # of its robots.txt
    first: Request  # the request that asked for it first (sent with robots_parsed)
    rules: Rules = Rules.UNKNOWN
    parser: RobotParser | None = None
    tries: int = 0
    why: str = ""  # the last failure, once unreachable
    held: list[Deferred[None]] = field(default_factory=list)
    next_try: CallLaterResult | None = None

    @property
    def netloc(self) -> str:
        return urlparse_cached(self.first).netloc


def why_no_answer(exc: BaseException) -> str:
    """How the summary says why robots.txt got no answer ("connection refused", as for
    any request: crawler.middlewares.sourcehealth)."""
    # SourceHealthMiddleware turns a connection error into an IgnoreRequest, raised
    # while Scrapy handles the error: the error is that IgnoreRequest's __context__.
    for error in (exc, exc.__context__):
        if error is not None and (reason := no_answer_reason(error)):
            return reason
    return str(exc) or type(exc).__name__


class SourceRobotsTxtMiddleware(RobotsTxtMiddleware):
    def __init__(self, crawler: Crawler, *, retry_times: int = 3, retry_delay: float = 10.0,
                 max_wait: float = 120.0, cache: RobotsCache | None = None,
                 session: ArchiveSession | None = None) -> None:
        super().__init__(crawler)  # NotConfigured unless ROBOTSTXT_OBEY
        self.retry_times = retry_times
        self.retry_delay = retry_delay
        self.max_wait = max_wait
        self.cache = cache
        self.session = session
        assert crawler.stats is not None  # set by Scrapy before components are built
        self.stats: StatsCollector = crawler.stats
        self.parser_class = load_object(crawler.settings.get("ROBOTSTXT_PARSER"))
        self.hosts: dict[str, HostRobots] = {}
        self.stopping = False
        self._closing_check = create_looping_call(self._let_go_if_closing)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SourceRobotsTxtMiddleware:
        settings = crawler.settings
        session = ArchiveSession.of(crawler) if settings.getbool("ROBOTSTXT_OBEY") else None
        middleware = cls(
            crawler,
            retry_times=settings.getint("ROBOTSTXT_RETRY_TIMES"),
            retry_delay=settings.getfloat("ROBOTSTXT_RETRY_DELAY"),
            max_wait=settings.getfloat("RETRY_AFTER_MAX"),
            cache=RobotsCache.for_job(session.layout.state_dir, session.job) if session else None,
            session=session,
        )
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    # -- Scrapy hooks ---------------------------------------------------------------
    async def process_request(self, request: Request) -> None:
        if request.meta.get("dont_obey_robotstxt") or request.url.startswith(("data:", "file:")):
            return
        # Requests robots.txt keeps from being fetched (unreachable, or a stop while
        # waiting) are refused, and counted, in robot_parser.
        parser = await self.robot_parser(request)
        try:
            self.process_request_2(parser, request)
        except IgnoreRequest:  # forbidden by the rules (counted robotstxt/forbidden too)
            sourcestats.count_skip(self.crawler.stats, request.meta.get("source"), "robots")
            raise

    async def robot_parser(self, request: Request) -> RobotParser | None:
        netloc = urlparse_cached(request).netloc
        host = self.hosts.get(netloc)
        if host is None:
            url = urlparse_cached(request)
            host = self.hosts[netloc] = HostRobots(f"{url.scheme}://{netloc}/robots.txt",
                                                   request)
            self._ask(host)
        if host.rules is Rules.UNKNOWN and not self.stopping:
            await self._hold(host)
        if host.rules is Rules.KNOWN:
            return host.parser
        if host.rules is Rules.UNREACHABLE:
            self._drop(request, host)
        # The crawl is closing: what waited goes unfetched; the job's frontier keeps it,
        # and a distributed worker hands it back to the shared one.
        if self.session is not None:
            self.session.not_fetched.append(request)
        self.stats.inc_value("robotstxt/held_not_fetched")
        raise IgnoreRequest(f"not fetched: stopping while robots.txt of {netloc} was unknown")

    def spider_closed(self) -> None:
        self.stopping = True
        if self._closing_check.running:
            self._closing_check.stop()
        for host in self.hosts.values():
            self._let_go(host)

    # -- asking for robots.txt ----------------------------------------------------------
    def _ask(self, host: HostRobots) -> None:
        host.next_try = None
        if self.stopping or self.crawler.spider is None:
            return
        deferred_from_coro(self._fetch(host)).addErrback(self._fetch_failed, host)

    def _fetch_failed(self, failure: Failure, host: HostRobots) -> None:
        # Held requests must never wait for an answer that will not come.
        logger.error("robots.txt of %s: %s", host.netloc, failure.getErrorMessage(),
                     exc_info=failure.value)
        if host.rules is Rules.UNKNOWN:
            self._give_up(host, "internal error")

    async def _fetch(self, host: HostRobots) -> None:
        host.tries += 1
        robots = Request(host.url, priority=self.DOWNLOAD_PRIORITY, callback=NO_CALLBACK,
                         # Its retries are the ones below, paced for a failing host.
                         meta={"dont_obey_robotstxt": True, "dont_retry": True})
        try:
            assert self.crawler.engine is not None
            response = await self.crawler.engine.download_async(robots)
        except HostLeftForNextRun:  # it kept answering 429/503 (politeness)
            self._give_up(host, "left for the next run: it kept answering 429/503")
            return
        except Exception as exc:  # every failure to answer is "unreachable"
            self.stats.inc_value("robotstxt/request_count")
            if not isinstance(exc, IgnoreRequest):
                self.stats.inc_value(f"robotstxt/exception_count/{type(exc)}")
            await self._unreachable(host, why_no_answer(exc), None)
            return
        self.stats.inc_value("robotstxt/request_count")
        self.stats.inc_value("robotstxt/response_count")
        self.stats.inc_value(f"robotstxt/response_status_count/{response.status}")
        await self._answered(host, response)

    async def _answered(self, host: HostRobots, response: Response) -> None:
        status = response.status
        if 200 <= status < 300:
            body = response.body
        elif status < 500 and status != 429:
            body = b""  # "unavailable": no rules
        else:
            wait = retry_after_seconds(response.headers.get(b"Retry-After"))
            await self._unreachable(host, f"robots.txt answered {status}", wait)
            return
        if self.cache is not None:
            self.cache.save(host.url, body)
        await self._learn(host, body)
        await self._learn_for_target(host, response, body)

    async def _learn_for_target(self, host: HostRobots, response: Response,
                                body: bytes) -> None:
        """A robots.txt reached through a redirect to another host's /robots.txt (a www
        alias of the site) is that host's robots.txt as well: learned for both, so the
        site is not asked for it twice, and its Crawl-delay holds from the first
        request it gets, not from its second."""
        target = urlparse_cached(response)
        if target.path != "/robots.txt" or target.query or target.netloc == host.netloc:
            return
        other = self.hosts.get(target.netloc)
        if other is None:
            other = self.hosts[target.netloc] = HostRobots(
                response.url,
                Request(f"{target.scheme}://{target.netloc}/", callback=NO_CALLBACK))
        elif other.rules is not Rules.UNKNOWN:
            return
        # (Its own robots.txt may be on its way too: its Crawl-delay holds from now.)
        if self.cache is not None:
            self.cache.save(other.url, body)
        await self._learn(other, body)

    async def _learn(self, host: HostRobots, body: bytes) -> None:
        parser = build_from_crawler(self.parser_class, self.crawler, body)
        await self.crawler.signals.send_catch_log_async(
            signal=signals.robots_parsed, robotparser=parser, request=host.first)
        host.parser, host.rules = parser, Rules.KNOWN
        self._let_go(host)

    async def _unreachable(self, host: HostRobots, why: str, retry_after: float | None) -> None:
        if self.stopping:
            return  # its requests went unfetched; the next run asks again
        if host.rules is Rules.KNOWN:
            return  # learned meanwhile, through another host's redirect
        cached = self.cache.load(host.url) if self.cache is not None else None
        if cached is not None:
            logger.warning("robots.txt of %s unreachable (%s): going by the copy an earlier "
                           "run kept (%.1f days old)", host.netloc, why, cached.age_days())
            self.stats.set_value(f"robotstxt/cached/{host.netloc}", round(cached.age_days(), 1))
            await self._learn(host, cached.body)
            return
        too_long = retry_after is not None and retry_after > self.max_wait
        # A host that kept asking to slow down is not asked again in this run.
        left = left_for_next_run(self.stats, slot_key(host.url))
        if host.tries > self.retry_times or too_long or left:
            self._give_up(host, why)
            return
        wait = min(self.max_wait, max(self.retry_delay * 2 ** (host.tries - 1),
                                      retry_after or 0.0))
        logger.warning("robots.txt of %s unreachable (%s): nothing of that host is fetched "
                       "until it answers; asking again in %.0fs (try %d of %d)",
                       host.netloc, why, wait, host.tries + 1, self.retry_times + 1)
        host.next_try = call_later(wait, self._ask, host)

    def _give_up(self, host: HostRobots, why: str) -> None:
        host.rules, host.why = Rules.UNREACHABLE, why
        self.stats.set_value(f"robotstxt/unreachable/{host.netloc}", host.tries)
        logger.error("robots.txt of %s unreachable after %d tries (%s): none of that host's "
                     "pages are fetched in this run; the next run asks again",
                     host.netloc, host.tries, why)
        self._let_go(host)

    def _drop(self, request: Request, host: HostRobots) -> None:
        source = request.meta.get("source")
        self.stats.inc_value(f"robotstxt/not_fetched/{host.netloc}")
        sourcestats.count_skip(self.stats, source, SKIP_REASON)
        sourcestats.count_unreachable(self.stats, source, f"{host.why} ({host.netloc})")
        raise IgnoreRequest(f"robots.txt of {host.netloc} unreachable: {request.url}")

    # -- holding requests back --------------------------------------------------------
    async def _hold(self, host: HostRobots) -> None:
        waiting: Deferred[None] = Deferred()
        host.held.append(waiting)
        if not self._closing_check.running:
            self._closing_check.start(_CLOSING_CHECK, now=False)
        await maybe_deferred_to_future(waiting)

    def _let_go(self, host: HostRobots) -> None:
        """Wake every request held for ``host``: each then reads its rules (or their
        absence) and goes on or is dropped."""
        held, host.held = host.held, []
        for waiting in held:
            waiting.callback(None)

    def _let_go_if_closing(self) -> None:
        if not any(host.held for host in self.hosts.values()):
            self._closing_check.stop()
        elif spider_closing(self.crawler):
            self.stopping = True
            for host in self.hosts.values():
                if host.next_try is not None:
                    host.next_try.cancel()
                self._let_go(host)
            self._closing_check.stop()
