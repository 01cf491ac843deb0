"""Redirects leave a source's hosts for one hop at most.

Scrapy's RedirectMiddleware (600) turns a 3xx into a new request that goes through
every downloader middleware again, the egress guard (50) first; this one (60) then
asks the spider whether the hop leaves the source's hosts a second time in a row
(``NewsSpider.refuse_redirect``, where the rule is written down) and refuses it
before it is sent. The 3xx itself is archived like any response.
"""

from __future__ import annotations

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest


class RedirectScopeMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedirectScopeMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        refuse = getattr(self.crawler.spider, "refuse_redirect", None)
        if "redirect_urls" in request.meta and refuse is not None and refuse(request):
            raise IgnoreRequest(f"redirect out of the source's hosts, again: {request.url}")
