"""What a job's state knows, whichever backend keeps it (SQLite, Redis): known pages,
known articles, URLs waiting in the frontier, and how a stored row becomes one."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from archive.state.recrawl import RecrawlPolicy
from archive.warc.exchange import PriorCapture, RecordLocation


@dataclass(frozen=True)
class KnownPage:
    url: str
    status: int | None
    payload_digest: str | None
    etag: str | None
    last_modified: str | None
    capture: PriorCapture | None  # the full response record to refer back to
    article_key: str | None
    last_fetched: float | None = None  # seconds since the epoch


@dataclass(frozen=True)
class KnownArticle:
    key: str
    canonical_url: str
    source: str | None
    version: int
    content_digest: str
    payload_digest: str | None
    first_seen: float
    last_checked: float
    published: float | None
    unchanged_checks: int
    fetched_at: str | None
    warc: dict[str, Any] | None

    @property
    def born(self) -> float:
        return self.published if self.published is not None else self.first_seen

    def is_due(self, now: float, policy: RecrawlPolicy, *,
               modified: float | None = None) -> bool:
        """Re-check now? Yes when the policy says so, or a feed or sitemap dates a change
        after the last check."""
        if modified is not None and modified > self.last_checked:
            return True
        due = policy.due_at(born=self.born, last_checked=self.last_checked,
                            unchanged_checks=self.unchanged_checks)
        return due is not None and due <= now

    def pointer(self) -> dict[str, Any]:
        """What a newer version's ``previous`` says about this one."""
        return {"version": self.version, "fetched_at": self.fetched_at,
                "payload_digest": self.payload_digest, "warc": self.warc}


@dataclass(frozen=True)
class PendingUrl:
    url: str
    source: str | None
    attempts: int
    # A page's requisite rather than a page: what the crawler needs to ask for it
    # again (its own JSON, opaque here); None for a page.
    requisite: str | None = None


# A row is a mapping of the columns of the state's tables to values, absent ones NULL.
def known_page(row: Mapping[str, Any]) -> KnownPage:
    """A :class:`KnownPage` from a ``pages`` row."""
    get = row.get
    capture = None
    if get("record_id") and get("payload_digest"):
        location = None
        if get("warc_file") is not None:
            location = RecordLocation(
                file=row["warc_file"], offset=row["warc_offset"], length=row["warc_length"],
                record_id=row["record_id"], payload_digest=row["payload_digest"],
                warc_date=get("warc_date"))
        capture = PriorCapture(url=row["url"], record_id=row["record_id"],
                               warc_date=get("warc_date"),
                               payload_digest=row["payload_digest"], location=location)
    return KnownPage(url=row["url"], status=get("status"),
                     payload_digest=get("payload_digest"), etag=get("etag"),
                     last_modified=get("last_modified"), capture=capture,
                     article_key=get("article_key"),
                     last_fetched=float(get("last_fetched")) if get("last_fetched") else None)


def known_article(row: Mapping[str, Any]) -> KnownArticle:
    """A :class:`KnownArticle` from an ``articles`` row whose ``warc`` is already decoded."""
    get = row.get
    published = get("published")
    return KnownArticle(
        key=row["article_key"], canonical_url=row["canonical_url"], source=get("source"),
        version=row["version"], content_digest=row["content_digest"],
        payload_digest=get("payload_digest"), first_seen=float(row["first_seen"]),
        last_checked=float(row["last_checked"]),
        published=float(published) if published is not None else None,
        unchanged_checks=get("unchanged_checks") or 0, fetched_at=get("fetched_at"),
        warc=get("warc"))
