"""The shared frontier of a distributed crawl: scrapy-redis's scheduler, queue and
duplicate filter, keyed by job and crawl, with four changes.

* A request taken from the frontier is held in the taker's ``active`` hash until
  the worker has dealt with it (crawler.distributed.coordination): a worker that dies loses none.
* Nothing is flushed when one worker closes (other workers still crawl); the last
  worker out cleans up (crawler.distributed.coordination.DistributedCrawl.close_crawl).
* Requests are stored as JSON (crawler.distributed.requestcodec), never pickled.
* Redis failing for a moment stops nothing: links found meanwhile wait in the
  worker and are queued once it answers; taking requests waits for it.

Page caps and trap skipping are those of crawler.scheduler, counted crawl-wide.
"""

from __future__ import annotations

import time
from collections import deque
from typing import Any

import redis
from scrapy import Request
from scrapy.crawler import Crawler
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler as ScrapyRedisScheduler

from archive.errors import RedisError
from crawler.distributed import requestcodec
from crawler.distributed.coordination import DistributedCrawl
from crawler.middlewares.incremental import UNCHANGED_META_KEY
from crawler.middlewares.recorder import (
    FETCHED_AT_META_KEY,
    ORIGINAL_META_KEY,
    REVISIT_META_KEY,
    WARC_META_KEY,
)
from crawler.scheduler import PageCaps
from crawler.session import ArchiveSession
from crawler.spiders.requisites import REQUISITE_META_KEY

# The id under which the taker holds a request (crawler.distributed.coordination).
FRONTIER_ID = "frontier_id"
# What one fetch of a request left in its meta: a retry or redirect that goes back to
# the frontier is a new attempt and starts without them.
ATTEMPT_META_KEYS = (FRONTIER_ID, WARC_META_KEY, FETCHED_AT_META_KEY, REVISIT_META_KEY,
                     ORIGINAL_META_KEY, UNCHANGED_META_KEY)


class HeldRequestQueue(PriorityQueue):
    """scrapy-redis's priority queue, popping into the taker's hands."""

    crawl: DistributedCrawl

    def _encode_request(self, request: Request) -> str:
        clean = request.replace(meta={k: v for k, v in request.meta.items()
                                      if k not in ATTEMPT_META_KEYS})
        return super()._encode_request(clean)

    def pop(self, timeout: int = 0) -> Request | None:
        taken = self.crawl.take()
        if taken is None:
            return None
        frontier_id, encoded = taken
        request = self._decode_request(encoded)
        request.meta[FRONTIER_ID] = frontier_id
        return request


class CrawlDupeFilter(RFPDupeFilter):
    """scrapy-redis's duplicate filter; the crawl's last worker clears it, not each one."""

    def close(self, reason: str = "") -> None:
        pass


class RedisScheduler(PageCaps, ScrapyRedisScheduler):
    crawl: DistributedCrawl
    crawler: Crawler
    # Requests to queue that Redis did not take (down for a moment): sent once it answers.
    unsent: deque[Request]
    _next_try: float

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedisScheduler:
        crawl = ArchiveSession.of(crawler).distributed
        if crawl is None:
            raise RuntimeError("RedisScheduler needs REDIS_URL (newsarchive crawl --redis URL)")
        scheduler = cls(
            server=crawl.client, persist=True, queue_key=crawl.requests_key,
            queue_cls=f"{HeldRequestQueue.__module__}.{HeldRequestQueue.__qualname__}",
            dupefilter=CrawlDupeFilter(crawl.client, crawl.dupefilter_key,
                                       debug=crawler.settings.getbool("DUPEFILTER_DEBUG")),
            serializer=requestcodec,
        )
        scheduler.crawl = crawl
        scheduler.crawler = crawler
        scheduler.unsent = deque()
        scheduler._next_try = 0.0
        scheduler.stats = crawler.stats
        return scheduler

    def open(self, spider: Any) -> None:
        # scrapy-redis's open(), without its deprecated Spider.log() call.
        self.spider = spider
        self.serve_caps_to(spider)
        self.queue = HeldRequestQueue(server=self.server, spider=spider, key=self.queue_key,
                                      serializer=self.serializer)
        self.queue.crawl = self.crawl

    def close(self, reason: str) -> None:
        """Keep the shared frontier: other workers still crawl it."""

    # -- caps, counted crawl-wide -----------------------------------------------------
    def enqueued_in_all(self) -> int:
        return self.crawl.enqueued()

    def enqueued_for(self, source: str) -> int:
        return self.crawl.enqueued(source)

    def count_enqueued(self, source: str | None) -> None:
        self.crawl.count_enqueued(source)

    # scrapy-redis's own enqueue and pop, minus its deprecated per-spider stats calls,
    # and riding out a Redis that does not answer: links found meanwhile wait here.
    def enqueue_request(self, request: Request) -> bool:
        try:
            return self._enqueue(request, check_seen=True)
        except (redis.RedisError, RedisError) as exc:
            self._redis_failed(exc)
            self.unsent.append(request)
            return True

    def _enqueue(self, request: Request, *, check_seen: bool) -> bool:
        if self.over_cap(request):
            return False
        if check_seen and not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.spider)
            return False
        self.queue.push(request)  # the same request twice is one member of the queue
        if REQUISITE_META_KEY not in request.meta:  # a page requisite is no page
            self.count_enqueued(request.meta.get("source"))
        if self.stats:
            self.stats.inc_value("scheduler/enqueued")
        return True

    def next_request(self) -> Request | None:
        try:
            self._send_unsent()
            while (request := self.queue.pop()) is not None:
                if self.stats:
                    self.stats.inc_value("scheduler/dequeued")
                if not self.trapped(request):
                    return request
                self.crawl.done([request.meta[FRONTIER_ID]])  # dropped: nothing to hold
        except (redis.RedisError, RedisError) as exc:
            self._redis_failed(exc)
        return None

    def has_pending_requests(self) -> bool:
        if self.unsent:
            return True
        try:
            return len(self) > 0
        except (redis.RedisError, RedisError) as exc:
            self._redis_failed(exc)
            return True  # unknown: not a reason to end the crawl

    def _send_unsent(self) -> None:
        """Links found while Redis did not answer, queued now (tried once a second)."""
        if not self.unsent or time.monotonic() < self._next_try:
            return
        self._next_try = time.monotonic() + 1.0
        while self.unsent:
            # Whether the duplicate filter saw it before Redis failed is unknown: asked
            # again, it might say "seen" and the link would be lost.
            self._enqueue(self.unsent[0], check_seen=False)
            self.unsent.popleft()

    def _redis_failed(self, exc: BaseException) -> None:
        if isinstance(exc, redis.RedisError):  # the crawl's own calls count theirs
            self.crawl.note_error(exc)
