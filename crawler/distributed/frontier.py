"""The shared frontier of a distributed crawl: scrapy-redis's scheduler, queue and
duplicate filter, keyed by job and crawl, with three changes.

* A request taken from the frontier is held in the taker's ``active`` hash until
  the worker has dealt with it (crawler.distributed.coordination): a worker that dies loses none.
* Nothing is flushed when one worker closes (other workers still crawl); the last
  worker out cleans up (crawler.distributed.coordination.DistributedCrawl.close_crawl).
* Requests are stored as JSON (crawler.distributed.requestcodec), never pickled.

Page caps and trap skipping are those of crawler.scheduler, counted crawl-wide.
"""

from __future__ import annotations

from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler as ScrapyRedisScheduler

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
        scheduler.stats = crawler.stats
        return scheduler

    def open(self, spider: Any) -> None:
        # scrapy-redis's open(), without its deprecated Spider.log() call.
        self.spider = spider
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

    # scrapy-redis's own enqueue and pop, minus its deprecated per-spider stats calls.
    def enqueue_request(self, request: Request) -> bool:
        if self.over_cap(request):
            return False
        if not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.spider)
            return False
        self.queue.push(request)
        self.count_enqueued(request.meta.get("source"))
        if self.stats:
            self.stats.inc_value("scheduler/enqueued")
        return True

    def next_request(self) -> Request | None:
        while (request := self.queue.pop()) is not None:
            if self.stats:
                self.stats.inc_value("scheduler/dequeued")
            if not self.trapped(request):
                return request
            self.crawl.done([request.meta[FRONTIER_ID]])  # dropped: nothing to hold
        return None
