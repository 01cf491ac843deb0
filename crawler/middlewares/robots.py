"""robots.txt as Scrapy obeys it, with refusals counted per source.

Crawl-delay is applied by :mod:`crawler.middlewares.politeness` and ``Sitemap:`` lines are
read by the spider, both from Scrapy's ``robots_parsed`` signal.
"""

from __future__ import annotations

from scrapy import Request
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest

from crawler.sourcestats import count_skip


class SourceRobotsTxtMiddleware(RobotsTxtMiddleware):
    async def process_request(self, request: Request) -> None:
        # Scrapy's middleware refuses a request by raising IgnoreRequest from its
        # (public) process_request, and raises it for nothing else.
        try:
            await super().process_request(request)
        except IgnoreRequest:
            count_skip(self.crawler.stats, request.meta.get("source"), "robots")
            raise
