"""What the spider hands to the pipelines."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from archive.warc.exchange import RecordLocation
from crawler.extract.rights import NO_SIGNALS, RightsSignals


@dataclass
class ArticlePage:
    """A fetched page the spider judged to be an article, with what was extracted from it."""

    url: str
    canonical_url: str
    # What extraction found (crawler.extract.article), or None: no article text after all.
    fields: dict[str, Any] | None
    status: int
    fetched_at: str
    warc: RecordLocation | None
    section_hint: str | None = None
    source: str | None = None  # the job source it was found through
    # What its headers and meta tags say about its use (X-Robots-Tag, TDM reservation).
    rights: RightsSignals = NO_SIGNALS
    # Its text's fingerprint, for finding copies of it (archive.fingerprint).
    fingerprint: list[int] | None = None
