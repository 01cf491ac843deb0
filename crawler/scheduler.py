"""Make ``CLOSESPIDER_PAGECOUNT`` (``--max-pages``) a real cap.

Scrapy's CloseSpider extension starts closing the spider at the cap, but every
request already handed to the downloader (up to ``CONCURRENT_REQUESTS``) is
still fetched, so a crawl overshoots by dozens of pages. Refusing to schedule
more than the cap in the first place keeps the crawl within it (robots.txt
fetches, which bypass the scheduler, aside).
"""

from __future__ import annotations

from scrapy import Request
from scrapy.core.scheduler import Scheduler


class CappedScheduler(Scheduler):
    @property
    def page_cap(self) -> int:
        return self.crawler.settings.getint("CLOSESPIDER_PAGECOUNT") if self.crawler else 0

    def enqueue_request(self, request: Request) -> bool:
        cap = self.page_cap
        if cap > 0 and self.stats is not None and \
                (self.stats.get_value("scheduler/enqueued") or 0) >= cap:
            if request.dont_filter or not self.df.request_seen(request):
                self.stats.inc_value("news/skipped/page_cap")
            return False
        return super().enqueue_request(request)
