"""One HTTP exchange as it crossed the wire, independent of any crawler framework."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class HttpExchange:
    """A request and the response it got, as the archive needs to record them.

    ``response_head`` is the status line and headers as bytes ending in the blank
    line; ``response_body`` is the entity body exactly as received, still
    content-encoded (gzip, br, ...), with only the transfer framing removed.
    """

    url: str
    request_head: bytes
    request_body: bytes
    response_head: bytes
    response_body: bytes
    fetched_at: datetime
    ip_address: str | None = None
    extra_warc_headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RecordLocation:
    """Where a record lives: enough to read it back with one ranged read."""

    file: str
    offset: int
    length: int
    record_id: str
    payload_digest: str | None = None
    warc_date: str | None = None  # the record's WARC-Date, for revisits that refer to it

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "offset": self.offset,
            "length": self.length,
            "record_id": self.record_id,
        }


@dataclass(frozen=True)
class PriorCapture:
    """The full response record an unchanged page refers back to (WARC-Refers-To-*)."""

    url: str
    record_id: str
    warc_date: str
    payload_digest: str
    # Where it is, when known: an article extracted from an unchanged page points here.
    location: RecordLocation | None = None
