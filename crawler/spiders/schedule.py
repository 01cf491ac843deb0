"""What a run of the spider takes up: the sources that are due (crawler.sourcedue),
their seeds, feeds and sitemaps, and what earlier runs left for them.

A source due only every so often (``every``) is left out of a run that starts before
it is due. A run that is under way takes a source up when it falls due
(``SOURCES_DUE_CHECK_INTERVAL``; crawler.extensions.duesources), rather than leaving
it to wait behind the job's lock for the run to end: one process per job, so the
job's state keeps one writer, and a long source (a large sitemap) never delays the
front pages due every 15 minutes. A run that has nothing left to do still ends, even
if a source falls due a minute later: the next run from cron takes it. The due
sources whose host asked for the longest Crawl-delay last time start first
(crawler.spiders.slowfirst).

Which sources a run took up, and when, is kept in ``sources_taken``; when the run
ends whole (crawler.sourcedue.WHOLE_RUN_REASONS), each that did not fail is recorded
as crawled at that time (crawler.extensions.finisher).
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING

from scrapy import Request
from scrapy.utils.asyncio import sleep

from archive.state.robotscache import RobotsCache
from crawler.discovery.urls import clean_url
from crawler.jobfiles.spec import Source
from crawler.sourcedue import SourceTimes, sort_by_due
from crawler.spiders.indexes import ARTICLE_LINK_PRIORITY, INDEX_PRIORITY, robots_url
from crawler.spiders.slowfirst import slowest_first
from crawler.versions import left_over

if TYPE_CHECKING:
    from crawler.spiders.news import NewsSpider

logger = logging.getLogger(__name__)

# Left-overs passed over between two looks at the reactor.
PASSED_OVER_BATCH = 500


class SourceSchedule:
    """The start of :class:`NewsSpider`'s runs (``self`` is the spider)."""

    sources_taken: dict[str, float]  # source -> when this run took it up (unix time)
    source_times: SourceTimes | None = None  # as the run started
    # The names of the sources due as the run started: taken up as the start requests
    # are read, which Scrapy does lazily.
    sources_due: frozenset[str] = frozenset()

    async def start(self: NewsSpider) -> AsyncIterator[Request]:
        self.sources_taken = {}
        now = time.time()
        self.source_times = sort_by_due(self.sources, self._sources_crawled(), now)
        self.sources_due = frozenset(source.name for source in self.source_times.due)
        stats = self.crawler.stats
        stats.set_value("sources/due", len(self.source_times.due))
        stats.set_value("sources/not_due", len(self.source_times.waiting))
        self._note_next_due()
        for source in self._slowest_first(self.source_times.due):
            for request in self.take_up(source, now):
                yield request
        passed_over = 0
        for request in self._carried_over():
            if request is not None:
                yield request
                continue
            passed_over += 1
            if passed_over % PASSED_OVER_BATCH == 0:
                # Left-overs the run does not take (a source at its cap, out of scope)
                # can be millions of rows: let the downloads go on between batches.
                await sleep(0)

    def take_up(self: NewsSpider, source: Source, now: float) -> Iterator[Request]:
        """The requests a source starts from: its feeds and sitemaps, its seeds, and
        (without robots.txt obeyed) the robots.txt whose Sitemap: lines it reads."""
        self.sources_taken[source.name] = now
        for url in source.feeds + source.sitemaps:
            yield self._request(clean_url(url, self.tracking), source, priority=INDEX_PRIORITY)
        for seed in source.seeds:
            yield self._request(clean_url(seed, self.tracking), source)
        if source.discover_sitemaps and not self.crawler.settings.getbool("ROBOTSTXT_OBEY"):
            # Scrapy reads robots.txt only when obeying it; read the Sitemap: lines here.
            for start in source.seeds[:1]:
                yield Request(robots_url(start), callback=self.parse_robots,
                              meta={"source": source.name}, priority=INDEX_PRIORITY)

    def take_up_sources_now_due(self: NewsSpider) -> list[Request]:
        """The start requests of the sources this run left out that are due now, which
        it takes up (crawler.extensions.duesources)."""
        if self.source_times is None or self.session.distributed is not None:
            return []  # before the start, or a worker of a distributed crawl (its start)
        now = time.time()
        ready = [source for source, when in self.source_times.waiting
                 if when <= now and source.name not in self.sources_taken]
        requests = []
        for source in ready:
            logger.info("Source %s is due: taken up by this run", source.name)
            requests += self.take_up(source, now)
        if ready:
            self.crawler.stats.inc_value("sources/taken_up_later", len(ready))
            self._note_next_due()
        return requests

    def _note_next_due(self: NewsSpider) -> None:
        """The stat ``sources/next_due`` ("NAME UNIXTIME"): the first source still to
        fall due, for the summary."""
        assert self.source_times is not None
        waiting = [(when, source.name) for source, when in self.source_times.waiting
                   if source.name not in self.sources_taken]
        if waiting:
            when, name = min(waiting)
            self.crawler.stats.set_value("sources/next_due", f"{name} {when:.0f}")
        else:
            self.crawler.stats.set_value("sources/next_due", "")

    def _slowest_first(self: NewsSpider, sources: list[Source]) -> list[Source]:
        settings = self.crawler.settings
        if not settings.getbool("ROBOTSTXT_OBEY"):
            return sources
        cache = RobotsCache.for_job(self.session.layout.state_dir, self.session.job)
        return slowest_first(sources, cache, settings.get("ROBOTSTXT_USER_AGENT")
                             or settings.get("USER_AGENT"))

    def _sources_crawled(self: NewsSpider) -> dict[str, float]:
        if self.state is None or not self.job_spec.has_intervals:
            return {}
        return self.state.sources_crawled()

    def _carried_over(self: NewsSpider) -> Iterator[Request | None]:
        """What earlier runs left to do: URLs they asked for and never got (a killed run,
        a page cap), and known articles now due for a re-check; those of a source this
        run does not take up wait, uncounted, for the run that does. None for each one
        passed over."""
        session = self.session
        if session.state is None:
            return
        if session.distributed is not None and not session.distributed.created:
            return  # a distributed crawl's first worker queued them for all
        waiting = [source.name for source in self.sources
                   if source.name not in self.sources_taken]
        for left in left_over(session.state, session.policy, rechecks=self.skip_known,
                              waiting=waiting):
            if left.requisite is not None:  # a page's, maybe on another host
                if (carried := self.carried_requisite(left)) is not None:
                    self.crawler.stats.inc_value("incremental/carried_over")
                yield carried
                continue
            source = self.source_of(left.url, left.source)
            if source is None:
                yield None  # no longer in any source of the job
                continue
            if source.name not in self.sources_taken:
                yield None  # a re-check waits for the run that takes its source up
                continue
            priority = ARTICLE_LINK_PRIORITY if left.recheck else 0
            request = self._admit(left.url, source, depth=1, priority=priority, meta={})
            if request is not None:
                self.crawler.stats.inc_value(
                    "incremental/rechecks" if left.recheck else "incremental/carried_over")
            yield request  # None: not admitted (at its cap, out of scope ...)
