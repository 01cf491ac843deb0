"""Responses by HTTP status class (2xx, 3xx, 4xx, 5xx), crawl-wide and per source.

``pages/status/CLASS`` counts every response the engine received but the page
requisites' (counted as ``requisites/responses``), so the classes add up to the
run report's ``pages_fetched``;
``source/NAME/status/CLASS`` counts those of each source (through
``crawler.sourcestats``), so they appear in the run report's ``sources``. Scrapy's
own ``downloader/response_status_count/NNN`` counts at the downloader, before
retries and redirects are followed, so it cannot be split by source.

The metrics (crawler.extensions.metrics) read these; they are counted whether or
not metrics are on, so the run report says the same with or without them.
"""

from __future__ import annotations

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.statscollectors import StatsCollector

from crawler import sourcestats
from crawler.extensions.summary import REQUISITE_RESPONSES
from crawler.spiders.requisites import REQUISITE_META_KEY

STATUS = "pages/status/"


def status_class(status: int) -> str:
    """``404`` -> ``"4xx"``."""
    return f"{status // 100}xx"


class StatusClassCounter:
    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StatusClassCounter:
        assert crawler.stats is not None
        counter = cls(crawler.stats)
        crawler.signals.connect(counter.response_received, signal=signals.response_received)
        return counter

    def response_received(self, response: Response, request: Request) -> None:
        if REQUISITE_META_KEY in request.meta:
            # A page's stylesheet or picture, no page (crawler/spiders/requisites.py):
            # taken off response_received_count for the run report's pages_fetched.
            self.stats.inc_value(REQUISITE_RESPONSES)
            return
        kind = status_class(response.status)
        self.stats.inc_value(STATUS + kind)
        sourcestats.count(self.stats, request.meta.get("source"), f"status/{kind}")
