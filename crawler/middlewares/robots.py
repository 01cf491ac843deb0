"""robots.txt as Scrapy obeys it, with refusals counted per source.

Crawl-delay is applied by :mod:`crawler.middlewares.politeness` and ``Sitemap:`` lines are
read by the spider, both from Scrapy's ``robots_parsed`` signal.
"""

from __future__ import annotations

from scrapy import Request
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.robotstxt import RobotParser

from crawler.sourcestats import count_skip


class SourceRobotsTxtMiddleware(RobotsTxtMiddleware):
    def process_request_2(self, rp: RobotParser | None, request: Request) -> None:
        try:
            super().process_request_2(rp, request)
        except IgnoreRequest:
            count_skip(self._stats, request.meta.get("source"), "robots")
            raise
