"""``--max-pages`` (``CLOSESPIDER_PAGECOUNT``) counts pages, not page requisites, and a
capped crawl still fetches the requisites of the pages it archived.

Scrapy's CloseSpider counts every response and closes the crawl at once at the cap:
a page's stylesheets, images and fonts (crawler.spiders.requisites) would use up a
cap the user gave in pages, and those of the last pages would never be fetched.
This one counts pages only, and at the cap lets the crawl run dry instead (the
scheduler takes no page past the cap, crawler.scheduler), then ends it for the cap.
It is Scrapy's in everything else.
"""

from __future__ import annotations

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.extensions.closespider import CloseSpider
from scrapy.http import Response

from crawler.spiders.requisites import REQUISITE_META_KEY

PAGE_CAP = "closespider_pagecount"


class PageCountCloseSpider(CloseSpider):
    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.capped = False
        crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)

    def page_count(self, response: Response, request: Request, spider: Spider) -> None:
        if request is not None and REQUISITE_META_KEY in request.meta:
            return
        super().page_count(response, request, spider)

    def _close_spider(self, reason: str) -> None:
        if reason == PAGE_CAP:
            self.capped = True  # closed once what is queued has been fetched
            return
        super()._close_spider(reason)

    def spider_idle(self) -> None:
        if self.capped:
            super()._close_spider(PAGE_CAP)
