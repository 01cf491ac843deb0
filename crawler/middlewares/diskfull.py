"""Stop the crawl when the disk is full: every later write would fail as well.

A full disk (or a used-up quota) is not one bad page. Whatever meets it -- the WARC
recorder, the article writer, the incremental middleware or the spider writing the
job's state, the indexer's thread -- ends up in :func:`stop_for_disk_full`: one
line naming the file and where to free space, the requests waiting in the
downloader dropped (they stay in the job's frontier), and the engine asked to
close the spider with reason ``disk_full``. Transfers under way finish and are
archived if they still fit; the run exits 1.

The run is left unfinished in the job's state (crawler.extensions.finisher), so
the next run treats it as killed: it recovers the files left ``.open`` (cut back
to their last whole record or line) and lists in its manifest those no manifest
lists.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Response
from twisted.internet import task

from archive.errors import DiskFullError
from crawler.extensions.shutdown import stop_now
from crawler.session import ArchiveSession

logger = logging.getLogger(__name__)

DISK_FULL_STAT = "disk/full"  # the line below, once the disk was found full
FINISH_REASON = "disk_full"


def disk_full_line(exc: DiskFullError) -> str:
    """What the user reads: which file, where to free space, and that nothing is lost."""
    return (f"disk full writing {exc.path}: free space on {exc.mount} and run the crawl "
            "again; nothing is lost")


def stop_for_disk_full(crawler: Crawler, exc: DiskFullError, *, closing: bool = False) -> None:
    """Stop the crawl for a full disk (once: later calls only log at debug level).

    ``closing``: the crawl is closing already (a file could not be finished), so
    only say so."""
    stats = crawler.stats
    assert stats is not None
    if stats.get_value(DISK_FULL_STAT):
        logger.debug("Disk still full: %s", exc)
        return
    line = disk_full_line(exc)
    stats.set_value(DISK_FULL_STAT, line)
    logger.error("Stopping: %s", line)
    if closing:
        return
    if dropped := stop_now(crawler, FINISH_REASON):
        logger.info("%d queued request(s) not fetched; the next run fetches them", dropped)


class DiskFullStop:
    """Spider middleware: a full disk met in a spider callback (the job's state is
    written there) stops the crawl instead of failing page after page; and since the
    indexer's thread cannot stop the engine, a full disk it met is looked for every
    ``interval`` seconds."""

    def __init__(self, crawler: Crawler, session: ArchiveSession,
                 interval: float = 1.0) -> None:
        self.crawler = crawler
        self.session = session
        self.interval = interval
        self._loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DiskFullStop:
        middleware = cls(crawler, ArchiveSession.of(crawler))
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def spider_opened(self) -> None:
        self._loop = task.LoopingCall(self.check_indexer)
        self._loop.start(self.interval, now=False)

    def spider_closed(self) -> None:
        if self._loop is not None and self._loop.running:
            self._loop.stop()

    def check_indexer(self) -> None:
        indexer = self.session.indexer
        if indexer is not None and indexer.disk_full is not None:
            stop_for_disk_full(self.crawler, indexer.disk_full)

    def process_spider_exception(self, response: Response,
                                 exception: Exception) -> Iterable[Any] | None:
        if not isinstance(exception, DiskFullError):
            return None
        stop_for_disk_full(self.crawler, exception)
        return ()  # handled: no traceback per page while the crawl stops
