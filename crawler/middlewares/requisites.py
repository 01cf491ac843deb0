"""Caps on page requisites (crawler.spiders.requisites), so that one page with 500
images, or a site of huge pictures, cannot stall a crawl or fill its disk.

- per requisite: ``REQUISITE_MAX_SIZE`` bytes (Scrapy's ``download_maxsize``, so a
  larger one is cut off as it downloads, not after);
- per page: ``REQUISITES_PAGE_BYTES`` (the count, ``REQUISITES_PER_PAGE``, is kept by
  the spider as it asks);
- per crawl: ``REQUISITES_MAX`` requisites and ``REQUISITES_MAX_BYTES`` bytes.

A requisite over a cap is dropped before it is fetched and counted
(``requisites/skipped/RULE``). Pages are never held back by these caps, and
requisites never count towards the pages' (``--max-pages``, per-source caps).
Requisite answers are counted apart (``requisites/response_status/NNN`` here, beside
Scrapy's own count of every answer; ``requisites/responses`` where the engine counts
responses, crawler.extensions.statusclasses), so the summary's pages and errors are
pages'.
"""

from __future__ import annotations

from collections import Counter

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.statscollectors import StatsCollector

from crawler.extensions.summary import REQUISITE_BYTES as BYTES
from crawler.extensions.summary import REQUISITE_STATUSES as RESPONSE_STATUS
from crawler.spiders.requisites import REQUISITE_META_KEY, REQUISITE_OF_META_KEY, SKIPPED


class RequisiteCapsMiddleware:
    def __init__(self, stats: StatsCollector, *, max_count: int, max_bytes: int,
                 page_bytes: int, max_size: int) -> None:
        self.stats = stats
        self.max_count, self.max_bytes = max_count, max_bytes
        self.page_bytes, self.max_size = page_bytes, max_size
        self.sent = 0
        self.received = 0  # bytes, crawl-wide
        self.by_page: Counter[str] = Counter()  # bytes, per page that named them

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RequisiteCapsMiddleware:
        settings = crawler.settings
        assert crawler.stats is not None
        return cls(crawler.stats, max_count=settings.getint("REQUISITES_MAX"),
                   max_bytes=settings.getint("REQUISITES_MAX_BYTES"),
                   page_bytes=settings.getint("REQUISITES_PAGE_BYTES"),
                   max_size=settings.getint("REQUISITE_MAX_SIZE"))

    def process_request(self, request: Request) -> None:
        if REQUISITE_META_KEY not in request.meta:
            return
        rule = None
        if self.max_count and self.sent >= self.max_count:
            rule = "crawl_cap"
        elif self.max_bytes and self.received >= self.max_bytes:
            rule = "crawl_bytes"
        elif self.page_bytes and self.by_page[_page(request)] >= self.page_bytes:
            rule = "page_bytes"
        if rule is not None:
            self.stats.inc_value(SKIPPED + rule)
            raise IgnoreRequest(f"page requisite over a cap ({rule}): {request.url}")
        if "download_maxsize" not in request.meta and self.max_size:
            request.meta["download_maxsize"] = self.max_size
        if not request.meta.get("retry_times"):
            self.sent += 1

    def process_response(self, request: Request, response: Response) -> Response:
        if REQUISITE_META_KEY in request.meta:
            size = len(response.body)
            self.received += size
            self.by_page[_page(request)] += size
            self.stats.inc_value(BYTES, size)
            self.stats.inc_value(f"{RESPONSE_STATUS}{response.status}")
        return response


def _page(request: Request) -> str:
    page = request.meta.get(REQUISITE_OF_META_KEY) or ("",)
    return str(page[0])
