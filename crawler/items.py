"""What the spider hands to the pipelines."""

from __future__ import annotations

from dataclasses import dataclass

from archive.exchange import RecordLocation


@dataclass
class ArticlePage:
    """A fetched page the spider judged to be an article, before extraction."""

    url: str
    canonical_url: str
    html: str
    status: int
    fetched_at: str
    warc: RecordLocation | None
    section_hint: str | None = None
    source: str | None = None  # the job source it was found through
