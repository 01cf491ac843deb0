"""Make page caps real: ``CLOSESPIDER_PAGECOUNT`` (``--max-pages``) for the whole
crawl and a source's ``max_pages`` for that source.

Scrapy's CloseSpider extension starts closing the spider at the cap, but every
request already handed to the downloader (up to ``CONCURRENT_REQUESTS``) is
still fetched, so a crawl overshoots by dozens of pages. Refusing to schedule
more than the cap in the first place keeps the crawl within it (robots.txt
fetches, which bypass the scheduler, aside). Only requests that pass the
duplicate filter count: a link seen twice costs one page.
"""

from __future__ import annotations

from collections import Counter

from scrapy import Request
from scrapy.core.scheduler import Scheduler

from crawler import sourcestats


class CappedScheduler(Scheduler):
    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.per_source: Counter[str] = Counter()

    @property
    def page_cap(self) -> int:
        return self.crawler.settings.getint("CLOSESPIDER_PAGECOUNT") if self.crawler else 0

    def source_cap(self, source: str | None) -> int:
        job = getattr(self.crawler.spider, "job_spec", None) if self.crawler else None
        if job is None or not source:
            return 0
        return next((s.max_pages or 0 for s in job.sources if s.name == source), 0)

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
