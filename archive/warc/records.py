"""Build WARC/1.1 records (warcinfo, request, response) from HTTP exchanges.

Building is separate from writing (see :mod:`archive.warc.writer`): a builder makes
warcio record objects; whoever owns the file decides where they go. Record ids
and dates come from :meth:`WarcRecordBuilder.make_record_id` and
:meth:`WarcRecordBuilder.warc_date`, which tests override to get byte-for-byte
reproducible records.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from enum import StrEnum
from io import BytesIO

from warcio.recordbuilder import RecordBuilder
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders, StatusAndHeadersParser

from archive.warc.exchange import HttpExchange, PriorCapture

WARC_VERSION = "WARC/1.1"
# WARC 1.1 section 6.7: why a revisit record holds no payload.
IDENTICAL_PAYLOAD = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
SERVER_NOT_MODIFIED = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"


class Revisit(StrEnum):
    """Why a response is archived as a revisit record; the value names the stat
    (``incremental/not_modified``, ``incremental/identical``)."""

    NOT_MODIFIED = "not_modified"  # the server answered 304 to a conditional request
    IDENTICAL = "identical"  # the payload has the digest of the earlier capture

    @property
    def profile(self) -> str:
        """The record's WARC-Profile."""
        return SERVER_NOT_MODIFIED if self is Revisit.NOT_MODIFIED else IDENTICAL_PAYLOAD


# The members under the names callers import (as ``re.IGNORECASE`` is ``re.RegexFlag``'s).


class RawHttpHead(StatusAndHeaders):
    """An HTTP head that keeps the exact bytes it was built from.

    warcio re-serialises parsed headers when it writes a record and %-encodes
    any non-ASCII value; that would change what was on the wire, so the block
    (and its digest) is written from the original bytes instead.
    """

    def __init__(self, raw: bytes, *, is_request: bool):
        parsed = StatusAndHeadersParser(["HTTP/"] if not is_request else [], verify=False)
        head = parsed.parse(BytesIO(raw))
        super().__init__(head.statusline, head.headers, protocol=head.protocol)
        self.headers_buff = raw

    def compute_headers_buffer(self, header_filter=None) -> None:
        """Keep the bytes as received (see the class docstring)."""


class WarcRecordBuilder(RecordBuilder):
    """warcio's record builder with WARC/1.1 and overridable ids and dates."""

    def __init__(self) -> None:
        super().__init__(warc_version=WARC_VERSION)

    # -- determinism hooks ---------------------------------------------------
    def make_record_id(self) -> str:
        return f"<urn:uuid:{uuid.uuid4()}>"

    def warc_date(self, when: datetime | None = None) -> str:
        """WARC-Date in WARC/1.1 form: UTC with microseconds."""
        when = (when or datetime.now(UTC)).astimezone(UTC)
        return when.strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    # warcio calls these two internally (e.g. for warcinfo); route them to the hooks.
    def _make_warc_id(self) -> str:  # type: ignore[override]
        return self.make_record_id()

    def curr_warc_date(self) -> str:
        return self.warc_date()

    # -- records ---------------------------------------------------------------
    def warcinfo(self, filename: str, info: dict[str, str]) -> ArcWarcRecord:
        return self.create_warcinfo_record(filename, info)

    def exchange_records(self, exchange: HttpExchange) -> tuple[ArcWarcRecord, ArcWarcRecord]:
        """The response record and the request record concurrent to it."""
        headers = self._response_headers(exchange)
        response = self.create_warc_record(
            exchange.url,
            "response",
            payload=BytesIO(exchange.response_body),
            length=len(exchange.response_body),
            warc_headers_dict=headers,
            http_headers=RawHttpHead(exchange.response_head, is_request=False),
        )
        return response, self._request_record(exchange, headers)

    def revisit_records(self, exchange: HttpExchange, prior: PriorCapture, *,
                        not_modified: bool) -> tuple[ArcWarcRecord, ArcWarcRecord]:
        """A revisit record (the response's HTTP head, no payload) pointing at ``prior``,
        and the request record concurrent to it.

        ``not_modified``: the server answered 304 to a conditional request (profile
        server-not-modified); else the payload is byte-identical to ``prior``'s.
        Both carry the payload digest of the content they stand for, which is what
        replay tools (pywb) and indexers use to find the original.
        """
        headers = self._response_headers(exchange)
        kind = Revisit.NOT_MODIFIED if not_modified else Revisit.IDENTICAL
        headers.update({
            "WARC-Profile": kind.profile,
            "WARC-Refers-To": prior.record_id,
            "WARC-Refers-To-Target-URI": prior.url,
            "WARC-Refers-To-Date": prior.warc_date,
            "WARC-Payload-Digest": prior.payload_digest,
        })
        revisit = self.create_warc_record(
            exchange.url,
            "revisit",
            warc_headers_dict=headers,
            http_headers=RawHttpHead(exchange.response_head, is_request=False),
        )
        return revisit, self._request_record(exchange, headers)

    def _response_headers(self, exchange: HttpExchange) -> dict[str, str]:
        headers = {
            "WARC-Record-ID": self.make_record_id(),
            "WARC-Date": self.warc_date(exchange.fetched_at),
            **exchange.extra_warc_headers,
        }
        if exchange.ip_address:
            headers["WARC-IP-Address"] = exchange.ip_address
        return headers

    def _request_record(self, exchange: HttpExchange,
                        response_headers: dict[str, str]) -> ArcWarcRecord:
        date, response_id = response_headers["WARC-Date"], response_headers["WARC-Record-ID"]
        return self.create_warc_record(
            exchange.url,
            "request",
            payload=BytesIO(exchange.request_body),
            length=len(exchange.request_body),
            warc_headers_dict={
                "WARC-Record-ID": self.make_record_id(),
                "WARC-Date": date,
                "WARC-Concurrent-To": response_id,
            },
            http_headers=RawHttpHead(exchange.request_head, is_request=True),
        )
