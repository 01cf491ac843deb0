"""Which sources' sites answered, and which could not be reached at all.

A seed host that refuses connections, times out or does not resolve is a
passing fault, not a bad job: that source fails (counted, named in the summary
and the run report), the others crawl, and the run exits 1. This middleware
only counts, per source (``crawler.sourcestats``): every response, whatever its
status, is an answer; a connection-level error that Scrapy's retries gave up
on is "unreachable", with its reason. The end of the run
(``crawler.extensions.finisher``) decides which sources failed: those that got
no answer at all. The retry middleware has logged the error in one line; Scrapy's
traceback for it is left out (it says nothing about a site that is down).

It sits below the retry middleware (550): ``process_exception`` runs from the
downloader outwards, so it sees an error only once retrying is over.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
)
from scrapy.http import Response
from scrapy.statscollectors import StatsCollector
from twisted.internet import error as twisted_error

from crawler import sourcestats
from crawler.middlewares.standin import STANDIN_META_KEY

# Errors that mean "no answer from the site", and how the summary words them.
NO_ANSWER: tuple[tuple[tuple[type[BaseException], ...], str], ...] = (
    ((DownloadConnectionRefusedError, twisted_error.ConnectionRefusedError),
     "connection refused"),
    ((CannotResolveHostError, twisted_error.DNSLookupError), "host not found"),
    ((DownloadTimeoutError, twisted_error.TimeoutError, twisted_error.TCPTimedOutError),
     "timed out"),
    ((DownloadFailedError, twisted_error.ConnectError, twisted_error.ConnectionLost,
      twisted_error.ConnectionDone), "connection failed"),
)


def no_answer_reason(exception: BaseException) -> str | None:
    """How to say why the site did not answer, or None when it is another kind of error."""
    for kinds, reason in NO_ANSWER:
        if isinstance(exception, kinds):
            return reason
    return None


class SourceHealthMiddleware:
    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SourceHealthMiddleware:
        assert crawler.stats is not None
        return cls(crawler.stats)

    def process_response(self, request: Request, response: Response) -> Response:
        source = request.meta.get("source")
        sourcestats.count_answer(self.stats, source)
        if response.status >= 400 and STANDIN_META_KEY not in request.meta:
            # What the retry middleware gave up on: one error per page, not per attempt
            # (the source's error share, archive.status.health). A wall that came with
            # an error status is counted as blocked, by the spider: not twice.
            sourcestats.count(self.stats, source, "errors")
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        if not isinstance(exception, IgnoreRequest):  # robots.txt, caps: choices
            sourcestats.count(self.stats, request.meta.get("source"), "errors")
        reason = no_answer_reason(exception)
        if reason is None:
            return
        host = urlsplit(request.url).netloc
        sourcestats.count_unreachable(self.stats, request.meta.get("source"),
                                      f"{reason} ({host})")
        # Counted already (downloader/exception_type_count, and here); the retry
        # middleware logged it in one line. Scrapy would log it again with a traceback
        # for every such request, which a site that is down for a day does not deserve.
        raise IgnoreRequest(f"no answer from {host}: {reason}")
