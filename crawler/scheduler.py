"""Make page caps real: ``CLOSESPIDER_PAGECOUNT`` (``--max-pages``) for the whole
crawl and a source's ``max_pages`` for that source.

Scrapy's CloseSpider extension starts closing the spider at the cap, but every
request already handed to the downloader (up to ``CONCURRENT_REQUESTS``) is
still fetched, so a crawl overshoots by dozens of pages. Refusing to schedule
more than the cap in the first place keeps the crawl within it (robots.txt
fetches, which bypass the scheduler, aside). Only requests that pass the
duplicate filter count: a link seen twice costs one page.

It also drops queued links whose URL shape the spider found to be a trap
after they were queued (a faceted listing queues dozens of its variants before
the first fifteen of them show they lead nowhere).
"""

from __future__ import annotations

from collections import Counter

from scrapy import Request
from scrapy.core.scheduler import Scheduler

from crawler import sourcestats

# Set by the spider on links it found (not on seeds, feeds or sitemaps it was given).
DISCOVERED = "discovered"


class CappedScheduler(Scheduler):
    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.per_source: Counter[str] = Counter()

    @property
    def page_cap(self) -> int:
        return self.crawler.settings.getint("CLOSESPIDER_PAGECOUNT") if self.crawler else 0

    def source_cap(self, source: str | None) -> int:
        job = getattr(self.crawler.spider, "job_spec", None) if self.crawler else None
        found = job.source(source) if job is not None and source else None
        return found.max_pages or 0 if found else 0

    def next_request(self) -> Request | None:
        while (request := super().next_request()) is not None:
            if not self._trapped(request):
                return request
            sourcestats.count_skip(self.stats, request.meta.get("source"), "trap")
        return None

    def _trapped(self, request: Request) -> bool:
        traps = getattr(self.crawler.spider, "traps", None) if self.crawler else None
        return bool(request.meta.get(DISCOVERED)) and traps is not None and \
            traps.is_trapped(request.url)

    def enqueue_request(self, request: Request) -> bool:
        cap = self.page_cap
        source = request.meta.get("source")
        source_cap = self.source_cap(source)
        over_cap = cap > 0 and self.stats is not None and \
            (self.stats.get_value("scheduler/enqueued") or 0) >= cap
        over_source_cap = source_cap > 0 and self.per_source[source] >= source_cap
        if over_cap or over_source_cap:
            if request.dont_filter or not self.df.request_seen(request):
                sourcestats.count_skip(self.stats, source, "cap")
            return False
        queued = super().enqueue_request(request)
        if queued and source:
            self.per_source[source] += 1
        return queued
