"""Scrapy's redirect and decompression limits, counted.

Scrapy drops a response whose body decompresses past ``DOWNLOAD_MAXSIZE``
(``HttpCompressionMiddleware``, since 2.11.1, in bounded steps) and a redirect
chain longer than ``REDIRECT_MAX_TIMES`` (``RedirectMiddleware``) by raising
``IgnoreRequest``, which nothing counts and which Scrapy logs at debug level at
most: a gzip bomb or an endless redirect would vanish from the run's figures.
These subclasses take their places (590 and 600) and count each, crawl-wide and
per source (``httpcompression/max_size_exceeded`` and ``source/NAME/too_large``,
``redirect/max_reached`` and ``source/NAME/redirect_loop``; the summary counts
both as errors). Everything else is Scrapy's. What was on the
wire is archived all the same: the recorder (950) saw each response first, a
gzip bomb still compressed.
"""

from __future__ import annotations

import logging

from scrapy import Request
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.statscollectors import StatsCollector

from crawler import sourcestats

logger = logging.getLogger(__name__)

TOO_LARGE = "httpcompression/max_size_exceeded"
REDIRECT_LOOP = "redirect/max_reached"


def _count(stats: StatsCollector | None, stat: str, event: str, request: Request) -> None:
    if stats is not None:
        stats.inc_value(stat)
        sourcestats.count(stats, request.meta.get("source"), event)


class CountedHttpCompressionMiddleware(HttpCompressionMiddleware):
    def process_response(self, request: Request, response: Response) -> Request | Response:
        try:
            return super().process_response(request, response)
        except IgnoreRequest:  # only raised past DOWNLOAD_MAXSIZE; Scrapy logged it
            _count(self.stats, TOO_LARGE, "too_large", request)
            raise


class CountedRedirectMiddleware(RedirectMiddleware):
    def process_response(self, request: Request, response: Response) -> Request | Response:
        try:
            return super().process_response(request, response)
        except IgnoreRequest:  # only raised past REDIRECT_MAX_TIMES
            logger.warning("Redirected more than %d times, given up: %s",
                           self.max_redirect_times, request.url)
            _count(self.crawler.stats, REDIRECT_LOOP, "redirect_loop", request)
            raise
