"""Downloader middleware that records every HTTP exchange as WARC request/response records.

A page the job's state (``crawler.middlewares.incremental``) has a full capture of is
recorded as a ``revisit`` record instead when it did not change: the server
answered 304 to a conditional re-check (profile server-not-modified), or sent
a payload with the same digest (identical-payload-digest). Either way the
record names the original (``WARC-Refers-To*``) and holds only the HTTP head.

It sits at priority 950, nearer the downloader than ``HttpCompressionMiddleware``
(590) and ``RedirectMiddleware`` (600), so it sees every response — redirects,
errors, robots.txt, non-HTML — with the body still content-encoded exactly as it
came off the wire.

What survives Scrapy's default (Twisted) HTTP/1.1 handler, and what we chose:

* body: byte-exact, content-encoding intact (gzip stays gzip);
* header values and their order: as received; header *names* come back in
  Twisted's canonical capitalisation (``content-type`` -> ``Content-Type``);
* status line: protocol and code as received; the reason phrase is not kept by
  Scrapy's response, so the standard phrase for the code is written;
* connection-control headers (``Connection``, ``Keep-Alive``,
  ``Transfer-Encoding``, ``TE``, ``Trailers``, ``Upgrade``) are consumed by
  Twisted's HTTP client and never reach Scrapy; ``Content-Length`` is re-derived
  from the body. The chunk framing is gone too, so the record is consistent: a
  replay tool will not try to de-chunk a body that is no longer chunked.

We stay on the Twisted handler rather than the httpx one (whose responses keep
raw header bytes and the reason phrase) because Scrapy 2.19 ships it as a
private module with an extra dependency; see docs/warc-fidelity.md.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from http import HTTPStatus
from urllib.parse import urlsplit

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response
from scrapy.statscollectors import StatsCollector

from archive.errors import ArchiveError, DiskFullError
from archive.store.digests import warc_payload_digest
from archive.store.manifest import ManifestEntry
from archive.warc.exchange import HttpExchange, PriorCapture
from archive.warc.records import Revisit
from archive.warc.writer import ClosedWarc, RotatingWarcWriter
from crawler.discovery.urls import url_key
from crawler.middlewares.diskfull import stop_for_disk_full
from crawler.session import ArchiveSession

logger = logging.getLogger(__name__)

WARC_META_KEY = "warc"
# The capture time, as in the record's WARC-Date, for the article's fetched_at.
FETCHED_AT_META_KEY = "fetched_at"
# Set when the response was archived as a revisit record: why (a Revisit),
# and where the full record it refers to is (an article extracted from the page
# points there: a revisit record holds no payload).
REVISIT_META_KEY = "revisit"
ORIGINAL_META_KEY = "warc_original"


class WarcRecorderMiddleware:
    def __init__(
        self,
        crawler: Crawler,
        session: ArchiveSession,
        stats: StatsCollector,
        *,
        max_size: int,
        compress_level: int,
        prefix: str,
        info: dict[str, str],
        revisit_identical: bool = True,
    ) -> None:
        self.crawler = crawler
        self.session = session
        self.revisit_identical = revisit_identical
        self.stats = stats
        self.max_size = max_size
        self.compress_level = compress_level
        self.prefix = prefix
        self.info = info
        self.writer: RotatingWarcWriter | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcRecorderMiddleware:
        settings = crawler.settings
        if not settings.getbool("WARC_ENABLED"):
            raise NotConfigured("WARC_ENABLED is off")
        assert crawler.stats is not None
        middleware = cls(
            crawler,
            ArchiveSession.of(crawler),
            crawler.stats,
            max_size=settings.getint("WARC_MAX_SIZE"),
            compress_level=settings.getint("WARC_COMPRESS_LEVEL"),
            prefix=settings.get("WARC_PREFIX") or "",
            info=dict(settings.getdict("WARC_INFO")),
            revisit_identical=settings.getbool("INCREMENTAL_ENABLED"),
        )
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def spider_opened(self) -> None:
        session = self.session
        info = {
            "operator": self.crawler.settings.get("ARCHIVE_CONTACT") or "",
            "http-header-user-agent": self.crawler.settings.get("USER_AGENT"),
            "robots": "obey" if self.crawler.settings.getbool("ROBOTSTXT_OBEY") else "ignore",
            "isPartOf": session.job,
            **self.info,
        }
        self.writer = RotatingWarcWriter(
            session.layout.warc_dir(session.job),
            self.prefix or session.job,
            max_size=self.max_size,
            compress_level=self.compress_level,
            warcinfo={k: v for k, v in info.items() if v},
            relative_to=session.layout.root,
            on_close=self._file_closed,
        )

    def spider_closed(self) -> None:
        if self.writer is not None:
            try:
                self.writer.close()
            except DiskFullError as exc:  # left .open: the next run recovers it
                stop_for_disk_full(self.crawler, exc, closing=True)
            except ArchiveError as exc:
                logger.error("WARC file could not be closed: %s", exc)
                self.stats.inc_value("warc/write_failed")

    def _file_closed(self, closed: ClosedWarc) -> None:
        self.session.add_file(
            ManifestEntry(closed.path, "warc", records=closed.records, index=closed.cdxj)
        )
        self.stats.inc_value("warc/files")
        logger.info("WARC file finished: %s (%d records, %d bytes)",
                    closed.path, closed.records, closed.size)

    def process_response(self, request: Request, response: Response) -> Response:
        if self.writer is None or "cached" in response.flags:
            return response
        exchange = exchange_from_scrapy(request, response)
        prior, revisit = self._prior_capture(response)
        try:
            if prior is not None:
                location = self.writer.write_revisit(exchange, prior,
                                                     not_modified=revisit == Revisit.NOT_MODIFIED)
            else:
                location = self.writer.write_exchange(exchange)
        except DiskFullError as exc:
            # Not one bad page: every write would fail now. The page stays in the
            # job's frontier, and the next run fetches it.
            self.stats.inc_value("warc/write_failed")
            stop_for_disk_full(self.crawler, exc)
            raise IgnoreRequest(f"not archived: {exc}") from None
        except ArchiveError as exc:
            logger.error("Could not archive %s: %s", response.url, exc)
            self.stats.inc_value("warc/write_failed")
            raise IgnoreRequest(f"not archived: {exc}") from exc
        request.meta[WARC_META_KEY] = location
        request.meta[FETCHED_AT_META_KEY] = exchange.fetched_at.isoformat(timespec="seconds")
        if revisit:
            assert prior is not None
            request.meta[REVISIT_META_KEY] = revisit
            request.meta[ORIGINAL_META_KEY] = prior.location
            self.stats.inc_value("warc/revisits")
        self.stats.inc_value("warc/records", 2)
        self.stats.set_value("warc/bytes", self.writer.bytes_written)
        self.stats.inc_value(f"warc/response_status/{response.status}")
        return response

    def _prior_capture(self, response: Response) -> tuple[PriorCapture | None, str | None]:
        """The earlier full capture this response repeats, and why; (None, None) when it
        must be archived in full."""
        state = self.session.state
        known = state.page(url_key(response.url)) if state is not None else None
        if known is None or known.capture is None:
            return None, None
        if response.status == 304:
            return known.capture, Revisit.NOT_MODIFIED
        if (self.revisit_identical and 200 <= response.status < 300
                and warc_payload_digest(response.body) == known.capture.payload_digest):
            return known.capture, Revisit.IDENTICAL
        return None, None


def exchange_from_scrapy(request: Request, response: Response) -> HttpExchange:
    """The request as the handler sent it and the response as the middleware received it."""
    return HttpExchange(
        url=response.url,
        request_head=request_head(request),
        request_body=request.body or b"",
        response_head=response_head(response),
        response_body=response.body,
        fetched_at=datetime.now(UTC),
        ip_address=str(response.ip_address) if response.ip_address else None,
    )


def request_head(request: Request) -> bytes:
    parts = urlsplit(request.url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    lines = [f"{request.method} {target} HTTP/1.1".encode(), b"Host: " + parts.netloc.encode()]
    for name, values in request.headers.items():
        if name.lower() == b"host":
            continue
        lines.extend(name + b": " + value for value in values)
    if request.body:
        lines.append(b"Content-Length: " + str(len(request.body)).encode())
    return b"\r\n".join(lines) + b"\r\n\r\n"


def response_head(response: Response) -> bytes:
    protocol = response.protocol or "HTTP/1.1"
    try:
        reason = HTTPStatus(response.status).phrase
    except ValueError:
        reason = ""
    lines = [f"{protocol} {response.status} {reason}".rstrip().encode()]
    for name, values in response.headers.items():
        lines.extend(name + b": " + value for value in values)
    return b"\r\n".join(lines) + b"\r\n\r\n"
