"""One worker of a distributed crawl (``REDIS_URL``): its heartbeat, what it hands
back, and when it may stop.

Every third of ``REDIS_WORKER_TIMEOUT`` the worker

* says it lives, with its counts (``newsarchive workers`` shows them);
* lets go of the requests it has dealt with completely: downloaded, archived,
  parsed, their links queued and their article written. Scrapy's engine keeps a
  request "in progress" until all of that is done, so whatever the worker holds
  and the engine no longer has in progress is done;
* hands the requests of dead workers (heartbeat lapsed) back to the frontier.

A worker with nothing to do stays while the crawl is not idle: another worker's
pages may still bring new links. It stops once the frontier is empty and no
worker holds a request.
"""

from __future__ import annotations

import logging
from typing import Literal

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy.utils.defer import deferred_from_coro
from twisted.internet import task

from archive.errors import RedisError
from crawler.distributed.coordination import DistributedCrawl
from crawler.distributed.frontier import FRONTIER_ID
from crawler.scrapy_internals import requests_in_progress, wake_engine
from crawler.session import ArchiveSession

logger = logging.getLogger(__name__)

WAITING_POLL = 0.5  # seconds
# What the worker is doing, as its heartbeat reports it (``newsarchive workers``).
Phase = Literal["starting", "crawling", "waiting", "done", "finished"]

PROGRESS_STATS = {
    "pages": "response_received_count",
    "articles": "articles/written",
    "warc_records": "warc/records",
    "warc_bytes": "warc/bytes",
    "enqueued": "scheduler/enqueued",
}


class DistributedWorker:
    def __init__(self, crawler: Crawler, session: ArchiveSession, crawl: DistributedCrawl,
                 interval: float) -> None:
        self.crawler = crawler
        self.session = session
        self.crawl = crawl
        self.interval = interval
        self.state: Phase = "starting"
        self._loop: task.LoopingCall | None = None
        self._poll: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DistributedWorker:
        session = ArchiveSession.of(crawler)
        crawl = session.distributed
        if crawl is None:
            raise NotConfigured  # no message: Scrapy would log it on every ordinary crawl
        worker = cls(crawler, session, crawl, crawl.heartbeat_ttl / 3)
        crawler.signals.connect(worker.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(worker.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(worker.spider_closed, signal=signals.spider_closed)
        return worker

    def spider_opened(self) -> None:
        self.state = "crawling"
        self._loop = task.LoopingCall(self.beat)
        self._loop.start(self.interval, now=True)
        self._poll = task.LoopingCall(self.poll)
        self._poll.start(WAITING_POLL, now=False)

    def poll(self) -> None:
        """Let go of finished requests at once (a worker killed now hands back only what
        it really had in hand), and a waiting worker asks for work as soon as some is
        queued, not at Scrapy's next idle check (every 5 s)."""
        try:
            self.settle()
            queued = self.crawl.frontier_size() if self.state == "waiting" else 0
        except RedisError:
            return  # the heartbeat reports it
        if queued and wake_engine(self.crawler):
            self.state = "crawling"

    def beat(self) -> None:
        try:
            self.settle()
            if not self.crawl.heartbeat(self.progress()):
                logger.error("Worker %s was taken for dead (silent for over %.0f s) and its "
                             "requests were given to other workers: stopping",
                             self.crawl.tag, self.crawl.heartbeat_ttl)
                self._close("taken_for_dead")
                return
            self.reclaim()
        except RedisError as exc:
            # Redis may come back: the next beat tries again. Meanwhile the crawl goes on
            # with what it holds; other workers may take it for dead after the timeout.
            logger.error("Heartbeat failed: %s", exc)

    def progress(self) -> dict[str, object]:
        assert self.crawler.stats is not None
        stats = self.crawler.stats.get_stats()
        counts = {name: stats.get(stat, 0) for name, stat in PROGRESS_STATS.items()}
        return {**counts, "state": self.state, "in_progress": len(self._in_progress())}

    def settle(self) -> None:
        """Let go of every held request the engine is done with; those it handled while
        Redis was failing go back to the frontier, to be fetched again."""
        held = self.crawl.in_hand()
        if not held:
            return
        finished = held - self._in_progress() - self._not_fetched()
        again = self.crawl.touched_by_failure(finished)
        if again and (count := self.crawl.hand_back(again)):
            logger.warning("Redis failed while %d request(s) were in hand (%s): they went "
                           "back to the frontier, to be fetched again", count,
                           self.crawl.last_error)
            self.crawler.stats.inc_value("distributed/handed_back", count)
        self.crawl.done(finished - again)

    def reclaim(self) -> None:
        for tag, count in self.crawl.reclaim_dead().items():
            logger.warning("Worker %s stopped answering: %d of its requests went back to "
                           "the frontier", tag, count)
            self.crawler.stats.inc_value("distributed/reclaimed", count)

    def spider_idle(self) -> None:
        """Stay while any worker may still bring new requests."""
        try:
            self.settle()
            self.reclaim()
            idle = self.crawl.idle()
        except RedisError as exc:
            logger.error("Cannot tell whether the crawl is over: %s", exc)
            raise DontCloseSpider from None
        if not idle:
            self.state = "waiting"
            raise DontCloseSpider
        self.state = "done"

    def spider_closed(self) -> None:
        for loop in (self._loop, self._poll):
            if loop is not None and loop.running:
                loop.stop()
        self.state = "finished"
        try:
            self.settle()
            self.crawl.report(self.progress())
        except RedisError as exc:
            logger.error("Could not report the last finished requests: %s", exc)
        if self.crawl.errors:
            # Nothing was lost (what Redis failing touched was handed back), but the
            # crawl did not go as it should: the run exits 1 (crawl_problems).
            self.crawler.stats.set_value("distributed/redis_errors", self.crawl.errors)
            self.crawler.stats.set_value("distributed/redis_last_error", self.crawl.last_error)

    def _in_progress(self) -> set[str]:
        # Every request from the scheduler until it has been downloaded and scraped and
        # its output handled.
        return {r.meta[FRONTIER_ID] for r in requests_in_progress(self.crawler)
                if FRONTIER_ID in r.meta}

    def _not_fetched(self) -> set[str]:
        """Dropped by a stop signal: they go back to the frontier when the worker leaves."""
        return {r.meta[FRONTIER_ID] for r in self.session.not_fetched
                if FRONTIER_ID in r.meta}

    def _close(self, reason: str) -> None:
        engine = self.crawler.engine
        if engine is not None and engine.spider is not None:
            # The engine's documented way (its close_spider() is deprecated since Scrapy 2.14).
            closing = deferred_from_coro(engine.close_spider_async(reason=reason))
            closing.addErrback(lambda failure: logger.error(
                "Worker %s could not stop: %s", self.crawl.tag, failure.value))
