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

The same rules apply to the shared frontier of a distributed crawl
(crawler.distributed.frontier), where the counts are the crawl's, kept in Redis.
The spider asks :meth:`PageCaps.full` before it makes a request at all: a link over
a cap is left in the job state's frontier (on disk) instead of becoming a request
the scheduler would refuse (crawler/spiders/admission.py).

Queued requests are kept on disk (``SCHEDULER_ON_DISK``): Scrapy's disk queues in a
directory of the run's own, ``DIR/state/JOB.queue/``, removed when the crawl ends.
Nothing in it outlives the run: what a run leaves for the next is in the job
state's frontier table. A request that cannot be pickled is queued in memory,
as Scrapy does (``scheduler/unserializable``).
"""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path
from typing import Any

from scrapy import Request
from scrapy.core.scheduler import Scheduler
from scrapy.crawler import Crawler
from scrapy.utils.job import job_dir
from scrapy.utils.misc import build_from_crawler, load_object

from archive.diskfull import disk_full
from crawler import sourcestats
from crawler.middlewares.diskfull import stop_for_disk_full
from crawler.session import ArchiveSession
from crawler.spiders.requisites import REQUISITE_META_KEY

# Set by the spider on links it found (not on seeds, feeds or sitemaps it was given).
DISCOVERED = "discovered"
# Page requisites queued: in scheduler/enqueued, but not pages.
REQUISITES_ENQUEUED = "scheduler/enqueued_requisites"


class PageCaps:
    """Caps and trap skipping for a scheduler; the counting is the scheduler's own."""

    crawler: Any
    stats: Any
    df: Any

    def enqueued_in_all(self) -> int:
        raise NotImplementedError

    def enqueued_for(self, source: str) -> int:
        raise NotImplementedError

    def count_enqueued(self, source: str | None) -> None:
        raise NotImplementedError

    @property
    def page_cap(self) -> int:
        return self.crawler.settings.getint("CLOSESPIDER_PAGECOUNT") if self.crawler else 0

    def source_cap(self, source: str | None) -> int:
        job = getattr(self.crawler.spider, "job_spec", None) if self.crawler else None
        found = job.source(source) if job is not None and source else None
        return found.max_pages or 0 if found else 0

    def serve_caps_to(self, spider: Any) -> None:
        """Let the spider ask :meth:`full` before it makes a request (admission.py)."""
        spider.page_caps = self

    def full(self, source: str | None) -> bool:
        """The crawl, or ``source``, has queued its cap of pages: a page request for
        it now would be refused."""
        cap = self.page_cap
        if cap > 0 and self.enqueued_in_all() >= cap:
            return True
        source_cap = self.source_cap(source)
        return source_cap > 0 and source is not None and self.enqueued_for(source) >= source_cap

    def over_cap(self, request: Request) -> bool:
        """True (and counted) when ``request`` would take the crawl or its source past
        a cap; a request already seen costs nothing, a page requisite is no page (its
        caps are crawler.middlewares.requisites')."""
        if REQUISITE_META_KEY in request.meta:
            return False
        source = request.meta.get("source")
        if not self.full(source):
            return False
        if request.dont_filter or not self.df.request_seen(request):
            sourcestats.count_skip(self.stats, source, "cap")
        return True

    def trapped(self, request: Request) -> bool:
        """A discovered link of a URL shape found to be a trap after it was queued (counted)."""
        traps = getattr(self.crawler.spider, "traps", None) if self.crawler else None
        if not (request.meta.get(DISCOVERED) and traps is not None and
                traps.is_trapped(request.url)):
            return False
        sourcestats.count_skip(self.stats, request.meta.get("source"), "trap")
        return True


class CappedScheduler(PageCaps, Scheduler):
    def __init__(self, *args, queue_dir: Path | None = None,  # type: ignore[no-untyped-def]
                 **kwargs) -> None:
        """``queue_dir``: where this run's disk queues go, removed at the end; not
        used when the crawl has a ``jobdir`` (JOBDIR), Scrapy's resumable queues."""
        self.queue_dir = queue_dir if not kwargs.get("jobdir") else None
        if self.queue_dir is not None:
            # A killed run's queue: what it left is in the job state's frontier.
            shutil.rmtree(self.queue_dir, ignore_errors=True)
            kwargs["jobdir"] = str(self.queue_dir)
        super().__init__(*args, **kwargs)
        self.per_source: Counter[str] = Counter()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CappedScheduler:
        # Scrapy's Scheduler.from_crawler, and the run's own queue directory.
        settings = crawler.settings
        return cls(
            dupefilter=build_from_crawler(load_object(settings["DUPEFILTER_CLASS"]), crawler),
            jobdir=job_dir(settings),
            dqclass=load_object(settings["SCHEDULER_DISK_QUEUE"]),
            mqclass=load_object(settings["SCHEDULER_MEMORY_QUEUE"]),
            logunser=settings.getbool("SCHEDULER_DEBUG"),
            stats=crawler.stats,
            pqclass=load_object(settings["SCHEDULER_PRIORITY_QUEUE"]),
            crawler=crawler,
            queue_dir=run_queue_dir(crawler) if settings.getbool("SCHEDULER_ON_DISK") else None,
        )

    def open(self, spider: Any) -> Any:
        self.serve_caps_to(spider)
        return super().open(spider)

    def close(self, reason: str) -> Any:
        try:
            closed = super().close(reason)
        except OSError:
            if self.queue_dir is None:
                raise
            # The disk queues' bookkeeping could not be saved (a full disk): nothing
            # reads it, the directory goes now and the job's frontier carries what was
            # queued. Closed as Scrapy's close would have gone on to.
            closed = self.df.close(reason)
        if self.queue_dir is not None:
            shutil.rmtree(self.queue_dir, ignore_errors=True)
        return closed

    def enqueued_in_all(self) -> int:
        if not self.stats:
            return 0
        return (self.stats.get_value("scheduler/enqueued") or 0) - \
            (self.stats.get_value(REQUISITES_ENQUEUED) or 0)

    def enqueued_for(self, source: str) -> int:
        return self.per_source[source]

    def count_enqueued(self, source: str | None) -> None:
        if source:
            self.per_source[source] += 1

    def next_request(self) -> Request | None:
        while (request := super().next_request()) is not None:
            if not self.trapped(request):
                return request
        return None

    def enqueue_request(self, request: Request) -> bool:
        if self.over_cap(request):
            return False
        try:
            queued = super().enqueue_request(request)
        except OSError as exc:
            # The disk queue's disk is full: the crawl stops for it as for any write
            # (crawler.middlewares.diskfull); the request stays in the job's frontier.
            full = disk_full(exc, self.queue_dir or ".")
            if full is None or self.crawler is None:
                raise
            stop_for_disk_full(self.crawler, full)
            return False
        if queued and REQUISITE_META_KEY in request.meta:
            if self.stats:
                self.stats.inc_value(REQUISITES_ENQUEUED)
        elif queued:
            self.count_enqueued(request.meta.get("source"))
        return queued


def run_queue_dir(crawler: Crawler) -> Path | None:
    """``DIR/state/JOB.queue``: one run of the job at a time holds its lock. None
    when the crawl has no archive session (a spider other than NewsSpider)."""
    try:
        session = ArchiveSession.of(crawler)
    except RuntimeError:
        return None
    return session.layout.state_dir / f"{session.job}.queue"
