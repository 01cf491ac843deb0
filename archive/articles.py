"""Write article records as JSON Lines parts: ``.open`` while written, renamed when done."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from archive.partfile import PartFile, RotatingPartWriter

DEFAULT_MAX_LINES = 100_000


@dataclass(frozen=True)
class ClosedPart:
    path: Path
    articles: int
    size: int


class ArticleWriter(RotatingPartWriter[ClosedPart]):
    """Appends one JSON object per line, each written whole: a crash can at worst
    cut the last line short, never leave half a line before a complete one (and a
    full disk leaves none: the line is cut off again)."""

    suffix = ".jsonl"

    def __init__(
        self,
        directory: Path,
        prefix: str,
        *,
        max_lines: int = DEFAULT_MAX_LINES,
        host_tag: str | None = None,
        on_close: Callable[[ClosedPart], None] | None = None,
    ) -> None:
        super().__init__(directory, prefix, host_tag=host_tag, on_close=on_close)
        self.max_lines = max_lines
        self.closed_parts: list[ClosedPart] = []

    def write(self, article: Mapping[str, Any]) -> None:
        self._current().write(json.dumps(article, ensure_ascii=False) + "\n")
        self._count += 1

    def _full(self, file: PartFile) -> bool:
        return self._count >= self.max_lines

    def _finished(self, path: Path, count: int, size: int) -> ClosedPart:
        finished = ClosedPart(path, count, size)
        self.closed_parts.append(finished)
        return finished


def content_digest(article: Mapping[str, Any]) -> str:
    """What makes two captures of an article the same article: title, text and authors.

    Pages carry ads, dates, "most read" boxes and tokens that change on every
    fetch; an article is a new version only when what was extracted changed.
    """
    parts = [article.get("title") or "", article.get("text") or "",
             "\x1f".join(article.get("authors") or [])]
    return "sha1:" + hashlib.sha1("\x1e".join(parts).encode("utf-8")).hexdigest()


def fetched_utc(article: Mapping[str, Any]) -> datetime | None:
    """When the article's page was fetched, in UTC; None when the record does not say.

    The crawler writes ``fetched_at`` in UTC; a time without a zone can only mean that.
    """
    try:
        when = datetime.fromisoformat(str(article["fetched_at"]))
    except (KeyError, ValueError):
        return None
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).astimezone(UTC)


def read_articles(path: Path) -> Iterator[dict[str, Any]]:
    """Every article in one JSONL part."""
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)
