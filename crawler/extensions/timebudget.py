"""``--max-duration``: a run that has taken its time budget stops as on SIGTERM.

At ``CRAWL_MAX_DURATION`` seconds after the run began (its start-up included),
requests waiting in the downloader are dropped (they stay in the job's frontier
for the next run, crawler.extensions.shutdown), transfers under way finish, and the
spider closes with the reason ``max_duration``; then the run ends as any run does
(files closed, indexed, uploaded, the report written), which takes seconds, not
the minutes a polite crawl would need to empty its queues. Like ``--max-pages``, a
budget reached is not a failure (exit status 0); the sources it cut short stay due
(crawler.sourcedue).
"""

from __future__ import annotations

import logging
import time

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import reactor
from twisted.internet.interfaces import IDelayedCall

from crawler.extensions.shutdown import stop_now

logger = logging.getLogger(__name__)

MAX_DURATION = "max_duration"


class TimeBudget:
    def __init__(self, crawler: Crawler, budget: float) -> None:
        self.crawler = crawler
        self.budget = budget
        self.began = time.monotonic()  # built with the crawler: the run's start-up counts
        self.call: IDelayedCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> TimeBudget:
        budget = crawler.settings.getfloat("CRAWL_MAX_DURATION")
        if budget <= 0:
            raise NotConfigured("no CRAWL_MAX_DURATION")
        extension = cls(crawler, budget)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self) -> None:
        left = max(0.0, self.budget - (time.monotonic() - self.began))
        self.call = reactor.callLater(left, self.stop)  # type: ignore[attr-defined]

    def stop(self) -> None:
        engine = self.crawler.engine
        if engine is None or engine.spider is None:
            return
        assert self.crawler.stats is not None
        self.crawler.stats.set_value("crawl/max_duration", self.budget)
        dropped = stop_now(self.crawler, MAX_DURATION)
        logger.warning("Stopping: the run's time budget (%.0f s) is used up; %d queued "
                       "request(s) not fetched, the next run fetches them", self.budget,
                       dropped)

    def spider_closed(self) -> None:
        if self.call is not None and self.call.active():
            self.call.cancel()
