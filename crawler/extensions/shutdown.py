"""Stop promptly on SIGTERM/SIGINT: drop the requests the downloader has queued but not
started.

On the first signal Scrapy closes the spider gracefully, which means waiting for
every request already handed to the downloader. In a polite crawl those are many
(up to CONCURRENT_REQUESTS) and each host's slot lets one go per delay: a stop
could take minutes, past systemd's stop timeout and into a SIGKILL. Requests not
yet on the wire are dropped instead (IgnoreRequest); they stay in the job's
frontier (crawler.middlewares.incremental) and the next run fetches them. Transfers already
under way finish, so every response received is archived.
"""

from __future__ import annotations

import logging
import signal
from collections.abc import Callable
from types import FrameType
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.defer import deferred_from_coro
from twisted.python.failure import Failure

from crawler.scrapy_internals import pop_queued_downloads
from crawler.session import ArchiveSession

logger = logging.getLogger(__name__)

Handler = Callable[[int, FrameType | None], Any]


class PromptShutdown:
    def __init__(self, crawler: Crawler, session: ArchiveSession) -> None:
        self.crawler = crawler
        self.session = session

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PromptShutdown:
        extension = cls(crawler, ArchiveSession.of(crawler))
        # CrawlerProcess installs its shutdown handlers before the engine starts.
        crawler.signals.connect(extension.engine_started, signal=signals.engine_started)
        return extension

    def engine_started(self) -> None:
        for signum in (signal.SIGTERM, signal.SIGINT):
            previous = signal.getsignal(signum)
            if callable(previous):
                signal.signal(signum, self._wrap(previous))

    def _wrap(self, previous: Handler) -> Handler:
        def handler(signum: int, frame: FrameType | None) -> Any:
            from twisted.internet import reactor

            reactor.callFromThread(self.drop_queued)  # type: ignore[attr-defined]
            return previous(signum, frame)
        return handler

    def drop_queued(self) -> int:
        """Fail every request waiting in a downloader slot; return how many."""
        dropped = drop_queued(self.crawler, self.session)
        if dropped:
            logger.warning("Stopping: %d queued request(s) not fetched; the next run of the "
                           "job fetches them", dropped)
        return dropped


def drop_queued(crawler: Crawler, session: ArchiveSession) -> int:
    """Fail every request waiting in a downloader slot (they stay in the job's frontier,
    and the next run fetches them); return how many. Also used by a stop for a full
    disk (crawler.middlewares.diskfull)."""
    if crawler.engine is None:
        return 0
    dropped = 0
    for request, deferred in pop_queued_downloads(crawler):
        # A distributed crawl's worker hands these back to the shared frontier.
        session.not_fetched.append(request)
        deferred.errback(Failure(IgnoreRequest(f"not fetched: stopping ({request.url})")))
        dropped += 1
    if dropped:
        assert crawler.stats is not None
        crawler.stats.inc_value("shutdown/dropped_requests", dropped)
    return dropped


def stop_now(crawler: Crawler, reason: str) -> int:
    """Close the spider with ``reason`` as promptly as a SIGTERM does: the requests
    queued in the downloader are dropped (:func:`drop_queued`), transfers under way
    finish. For a stop the crawl decides itself (a full disk, its time budget);
    returns how many requests were dropped."""
    engine = crawler.engine
    if engine is None or engine.spider is None:
        return 0
    dropped = drop_queued(crawler, ArchiveSession.of(crawler))
    stopping = deferred_from_coro(engine.close_spider_async(reason=reason))
    stopping.addErrback(lambda failure: logger.error("Could not stop the crawl: %s",
                                                     failure.value))
    return dropped
