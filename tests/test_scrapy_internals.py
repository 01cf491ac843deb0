"""What crawler.scrapy_internals relies on, checked on real Scrapy (2.19.0 when written).

Each test builds real Scrapy objects from a Crawler made by Scrapy's own
``scrapy.utils.test.get_crawler``, in Scrapy's reactorless mode: most run a whole
crawl in this process (engine, downloader, scheduler) of ``data:`` URLs, so nothing
reaches the network, and drive it through the function under test. A failure
after a Scrapy upgrade means an internal the crawler relies on has changed: read
crawler/scrapy_internals.py before anything else.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from time import monotonic
from typing import Any

import pytest
from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, IgnoreRequest
from scrapy.http import Response
from scrapy.utils.defer import deferred_from_coro
from scrapy.utils.misc import build_from_crawler, load_object
from scrapy.utils.reactor import is_reactor_installed
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from crawler.scrapy_internals import (
    pause_slot,
    pop_queued_downloads,
    requests_in_progress,
    robots_sitemaps,
    set_slot_pace,
    spider_closing,
    wake_engine,
)

# data: URLs only, so no HTTP client is started (or left open).
SETTINGS = {"DOWNLOAD_HANDLERS": {"http": None, "https": None, "ftp": None, "s3": None},
            "LOG_LEVEL": "WARNING"}
SLOT = "news.example:8080"


def page(name: str, slot: str = SLOT, **kwargs: Any) -> Request:
    return Request(f"data:,{name}", meta={"download_slot": slot}, dont_filter=True, **kwargs)


class Probe(Spider):
    """A spider whose start and callback are the test's; it records what it sees."""

    name = "probe"

    def __init__(self, start: Callable[[Probe], AsyncIterator[Request]], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.run_start = start
        self.seen: dict[str, Any] = {}

    async def start(self) -> AsyncIterator[Request]:
        async for request in self.run_start(self):
            yield request

    def parse(self, response: Response) -> None:
        self.seen[response.url] = monotonic()


def crawl(start: Callable[[Probe], AsyncIterator[Request]],
          connect: Callable[[Crawler], None] | None = None) -> Crawler:
    """Run one crawl of ``Probe`` to its end; return its crawler."""
    if is_reactor_installed():
        pytest.fail("a test before this one installed a Twisted reactor: these run without")

    async def run() -> Crawler:
        crawler = get_crawler(Probe, SETTINGS)
        if connect is not None:
            connect(crawler)
        await asyncio.wait_for(crawler.crawl_async(start=start), timeout=20)
        return crawler

    return asyncio.run(run())


async def until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = monotonic() + timeout
    while not condition():
        assert monotonic() < deadline, "timed out"
        await asyncio.sleep(0.01)


def downloader_slot(crawler: Crawler, key: str) -> Any:
    assert crawler.engine is not None
    return crawler.engine.downloader.slots[key]


class TestDownloadSlots:
    """crawler.middlewares.politeness: per-host limits set during the crawl."""

    def test_a_slot_not_created_yet_is_created_with_the_pace_set(self) -> None:
        async def start(spider: Probe) -> AsyncIterator[Request]:
            set_slot_pace(spider.crawler, SLOT, delay=0.05, concurrency=3, jitter=0.0)
            yield page("first")

        def created(request: Request, spider: Spider) -> None:
            slot = downloader_slot(spider.crawler, SLOT)
            seen.append((slot.concurrency, slot.delay, slot.jitter, slot.download_delay()))

        seen: list[tuple[int, float, float, float]] = []
        crawl(start, lambda c: c.signals.connect(created, signals.request_reached_downloader))
        assert seen == [(3, 0.05, 0.0, 0.05)]

    def test_a_slot_in_use_takes_the_pace_set(self) -> None:
        async def start(spider: Probe) -> AsyncIterator[Request]:
            yield page("first")
            await until(lambda: len(spider.seen) == 1)
            slot = downloader_slot(spider.crawler, SLOT)
            slot.delay = 0.2  # as AutoThrottle might have raised it
            set_slot_pace(spider.crawler, SLOT, delay=0.05, concurrency=2, jitter=0.0,
                          keep_higher_delay=True)
            results.append((slot.concurrency, slot.delay, slot.jitter))
            set_slot_pace(spider.crawler, SLOT, delay=0.05, concurrency=5)
            results.append((slot.concurrency, slot.delay, slot.jitter))

        results: list[tuple[int, float, float]] = []
        crawl(start)
        assert results == [(2, 0.2, 0.0), (5, 0.05, 0.0)]

    def test_a_paused_slot_sends_nothing_until_the_pause_ends_and_holds_no_other(self) -> None:
        pause = 0.6

        async def start(spider: Probe) -> AsyncIterator[Request]:
            yield page("first")
            await until(lambda: len(spider.seen) == 1)
            times["paused"] = monotonic()
            pause_slot(spider.crawler, SLOT, times["paused"] + pause)
            pause_slot(spider.crawler, "no-such-slot", times["paused"] + pause)  # no error
            yield page("second")
            yield page("elsewhere", slot="other.example:80")

        times: dict[str, float] = {}
        spider = crawl(start).spider
        assert isinstance(spider, Probe)
        assert spider.seen["data:,second"] - times["paused"] >= pause
        assert spider.seen["data:,elsewhere"] - times["paused"] < pause / 2


class TestQueuedDownloads:
    """crawler.extensions.shutdown: dropping what waits in the downloader on a stop."""

    def test_queued_requests_are_taken_and_dropped_by_their_deferreds(self) -> None:
        def dropped(failure: Failure) -> None:
            errors.append(failure.value)

        async def start(spider: Probe) -> AsyncIterator[Request]:
            yield page("first")
            await until(lambda: len(spider.seen) == 1)
            pause_slot(spider.crawler, SLOT, monotonic() + 60)  # longer than the crawl may take
            for name in ("queued-1", "queued-2"):
                yield page(name, errback=dropped)
            await until(lambda: len(reached) == 3)
            for request, deferred in pop_queued_downloads(spider.crawler):
                taken.append(request.url)
                deferred.errback(Failure(IgnoreRequest("stopping")))

        taken: list[str] = []
        errors: list[BaseException] = []
        reached: list[Request] = []
        crawler = crawl(start, lambda c: c.signals.connect(
            lambda request: reached.append(request), signals.request_reached_downloader,
            weak=False))
        assert taken == ["data:,queued-1", "data:,queued-2"]
        assert [type(error) for error in errors] == [IgnoreRequest, IgnoreRequest]
        assert list(pop_queued_downloads(crawler)) == []  # nothing left behind


class TestEngine:
    """crawler.distributed.worker: what the engine is not done with, and waking it."""

    def test_a_request_is_in_progress_until_its_callback_output_is_handled(self) -> None:
        async def start(spider: Probe) -> AsyncIterator[Request]:
            seen["before"] = requests_in_progress(spider.crawler)
            yield page("first", callback=during)

        def during(response: Response) -> None:
            assert response.request is not None
            seen["during"] = requests_in_progress(crawler_of[0])

        def idle() -> None:
            seen["idle"] = requests_in_progress(crawler_of[0])

        seen: dict[str, set[Request]] = {}
        crawler_of: list[Crawler] = []

        def connect(crawler: Crawler) -> None:
            crawler_of.append(crawler)
            crawler.signals.connect(idle, signals.spider_idle, weak=False)

        crawler = crawl(start, connect)
        assert seen["before"] == set()
        assert [r.url for r in seen["during"]] == ["data:,first"]
        assert seen["idle"] == set()
        assert requests_in_progress(crawler) == set()  # closed

    def test_waking_the_engine_fetches_newly_scheduled_requests_at_once(self) -> None:
        """Scrapy would otherwise look at the scheduler again only at its next
        heartbeat, 5 s on."""
        def idle(spider: Spider) -> None:
            if times:
                return
            assert spider.crawler.engine is not None
            scheduler = spider.crawler.engine.scheduler
            assert scheduler is not None
            scheduler.enqueue_request(page("from-elsewhere"))  # as the Redis frontier
            times["woken"] = monotonic() + 0.1
            asyncio.get_running_loop().call_later(
                0.1, lambda: woken.append(wake_engine(spider.crawler)))
            raise DontCloseSpider

        async def nothing(spider: Probe) -> AsyncIterator[Request]:
            return
            yield

        times: dict[str, float] = {}
        woken: list[bool] = []
        crawler = crawl(nothing, lambda c: c.signals.connect(idle, signals.spider_idle,
                                                                weak=False))
        spider = crawler.spider
        assert isinstance(spider, Probe)
        assert woken == [True]
        assert spider.seen["data:,from-elsewhere"] - times["woken"] < 2.0
        assert wake_engine(crawler) is False  # closed

    def test_close_spider_async_takes_a_reason(self) -> None:
        """The worker stops itself through the engine's documented close_spider_async()
        (close_spider() is deprecated since 2.14)."""
        async def start(spider: Probe) -> AsyncIterator[Request]:
            yield page("first")
            await until(lambda: len(spider.seen) == 1)
            assert spider.crawler.engine is not None
            deferred_from_coro(spider.crawler.engine.close_spider_async(reason="taken_for_dead"))

        reasons: list[str] = []
        crawl(start, lambda c: c.signals.connect(lambda reason: reasons.append(reason),
                                                 signals.spider_closed, weak=False))
        assert reasons == ["taken_for_dead"]

    def test_spider_closing_is_seen_while_the_close_waits_for_requests(self) -> None:
        """crawler.middlewares.robots lets the requests it holds back go when a close
        begins; the close itself waits for them."""
        async def start(spider: Probe) -> AsyncIterator[Request]:
            yield page("first", callback=during)

        async def during(response: Response) -> None:
            crawler = crawler_of[0]
            seen.append(spider_closing(crawler))
            assert crawler.engine is not None
            deferred_from_coro(crawler.engine.close_spider_async(reason="stopping"))
            await until(lambda: spider_closing(crawler))
            seen.append(spider_closing(crawler))

        seen: list[bool] = []
        crawler_of: list[Crawler] = []
        crawler = crawl(start, crawler_of.append)
        assert seen == [False, True]
        assert spider_closing(crawler) is False  # closed: nothing is closing any more


class TestRobotsParser:
    """crawler.spiders: a robots.txt's Sitemap: lines, from the robots_parsed signal."""

    def test_the_default_parser_keeps_the_sitemaps(self) -> None:
        async def parse() -> list[str]:
            crawler = get_crawler(Probe, SETTINGS)
            # As RobotsTxtMiddleware builds the parser it sends with robots_parsed.
            parser_class = load_object(crawler.settings["ROBOTSTXT_PARSER"])
            body = (b"User-agent: *\nDisallow: /search\n"
                    b"Sitemap: https://news.example/sitemap.xml\n"
                    b"Sitemap: https://news.example/news-sitemap.xml\n")
            return robots_sitemaps(build_from_crawler(parser_class, crawler, body))

        assert asyncio.run(parse()) == ["https://news.example/sitemap.xml",
                                        "https://news.example/news-sitemap.xml"]
