"""Take up sources as they fall due while the run is under way (crawler.spiders.schedule).

Every ``SOURCES_DUE_CHECK_INTERVAL`` seconds, the sources this run left out because
they were not due yet, and are now, start: their seeds, feeds and sitemaps are
handed to the engine as at the start of the run. Only in a job with a source that
has ``every``: in any other, every source starts with the run.
"""

from __future__ import annotations

import logging

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet.task import LoopingCall

logger = logging.getLogger(__name__)


class DueSources:
    def __init__(self, crawler: Crawler, interval: float) -> None:
        self.crawler = crawler
        self.interval = interval
        self.loop: LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DueSources:
        interval = crawler.settings.getfloat("SOURCES_DUE_CHECK_INTERVAL")
        if interval <= 0:
            raise NotConfigured("SOURCES_DUE_CHECK_INTERVAL is 0")
        extension = cls(crawler, interval)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: object) -> None:
        job = getattr(spider, "job_spec", None)
        if job is None or not job.has_intervals:
            return
        self.loop = LoopingCall(self.take_up_due)
        self.loop.start(self.interval, now=False).addErrback(
            lambda failure: logger.error("Sources falling due are not taken up: %s",
                                         failure.value))

    def take_up_due(self) -> None:
        engine, spider = self.crawler.engine, self.crawler.spider
        if engine is None or spider is None:
            return
        for request in spider.take_up_sources_now_due():
            engine.crawl(request)

    def spider_closed(self) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
