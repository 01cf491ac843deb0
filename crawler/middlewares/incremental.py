"""Incremental runs: conditional re-checks of known articles, and what each fetch
leaves in the job's state.

The recorder decides how a fetch is archived (a full response, or a revisit
record when the server answered 304 or sent the same bytes as the capture the
state knows); this middleware sits just after it and tells the job's state
(:mod:`archive.state.crawlstate`) what came back, so a later run can ask
``If-None-Match``/``If-Modified-Since`` and refer back to the right record.
Article versions are :mod:`crawler.versions`.
"""

from __future__ import annotations

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.statscollectors import StatsCollector

from archive.errors import DiskFullError
from archive.state.crawlstate import CrawlState
from archive.warc.exchange import RecordLocation
from archive.warc.records import Revisit
from crawler.discovery.urls import url_key
from crawler.middlewares.diskfull import stop_for_disk_full
from crawler.middlewares.recorder import REVISIT_META_KEY, WARC_META_KEY
from crawler.session import ArchiveSession
from crawler.spiders.requisites import REQUISITE_META_KEY

# Set here when the page is a known article found as it was: nothing to extract.
UNCHANGED_META_KEY = "article_unchanged"


class IncrementalMiddleware:
    """Adds validators to requests for known pages; records every fetch in the state."""

    def __init__(self, crawler: Crawler, session: ArchiveSession, stats: StatsCollector, *,
                 conditional: bool) -> None:
        self.crawler = crawler
        self.session = session
        self.stats = stats
        self.conditional = conditional

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IncrementalMiddleware:
        assert crawler.stats is not None
        return cls(crawler, ArchiveSession.of(crawler), crawler.stats,
                   conditional=crawler.settings.getbool("INCREMENTAL_ENABLED"))

    def process_request(self, request: Request) -> None:
        state = self.session.state
        if not self.conditional or state is None:
            return
        key = url_key(request.url)
        known = state.page(key)
        if known is None or known.capture is None:
            return
        # Only articles are asked for conditionally, and only when the article on
        # record was extracted from the very capture the validators belong to: a 304
        # then means "the article as archived". Listings, feeds and sitemaps are read
        # in full every run: a 304 would say nothing about the pages they link to (a
        # section's page 2, a sitemap index's children), which may have changed.
        # A page requisite (an image, a font) is the bytes archived, nothing more: a 304
        # means it is as archived (crawler/spiders/requisites.py). Not a stylesheet: it
        # is read again for what it imports (archived as a revisit when identical).
        kind = request.meta.get(REQUISITE_META_KEY)
        if kind == "stylesheet":
            return
        if kind is None:
            article = state.article_at(key)
            if article is None or article.payload_digest != known.capture.payload_digest:
                return
        if known.etag and b"If-None-Match" not in request.headers:
            request.headers[b"If-None-Match"] = known.etag
        if known.last_modified and b"If-Modified-Since" not in request.headers:
            request.headers[b"If-Modified-Since"] = known.last_modified

    def process_response(self, request: Request, response: Response) -> Response:
        try:
            return self._record(request, response)
        except DiskFullError as exc:  # the state's disk: every later write fails too
            stop_for_disk_full(self.crawler, exc)
            raise IgnoreRequest(f"not recorded in the job state: {exc}") from None

    def _record(self, request: Request, response: Response) -> Response:
        state = self.session.state
        if state is None or "cached" in response.flags:
            return response
        location: RecordLocation | None = request.meta.get(WARC_META_KEY)
        revisit = request.meta.get(REVISIT_META_KEY)
        key = url_key(response.url)
        full_capture = location is not None and not revisit and 200 <= response.status < 300
        state.record_fetch(
            key, response.url, status=response.status,
            payload_digest=location.payload_digest if full_capture and location else None,
            etag=_header(response, b"ETag"), last_modified=_header(response, b"Last-Modified"),
            location=location if full_capture else None,
            warc_date=location.warc_date if full_capture and location else None)
        state.fetched(url_key(request.url))
        if revisit and location is not None:
            self.stats.inc_value(f"incremental/{revisit}")
            self._known_article_unchanged(state, key, request, revisit, location)
        return response

    def _known_article_unchanged(self, state: CrawlState, key: str, request: Request,
                                 revisit: str, location: RecordLocation) -> None:
        article = state.article_at(key)
        if article is None:
            return  # never extracted (it failed, or the run died first): extract now
        # A revisit record carries the payload digest of the capture it stands for.
        if revisit == Revisit.IDENTICAL and location.payload_digest != article.payload_digest:
            return  # the same bytes as last fetch, but not those the article came from
        state.article_unchanged(article.key)
        request.meta[UNCHANGED_META_KEY] = True
        self.stats.inc_value("articles/unchanged")


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None
