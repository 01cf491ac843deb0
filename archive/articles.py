"""Write article records as JSON Lines parts: ``.open`` while written, renamed when done."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from archive.partfile import PartFile
from archive.warc.writer import default_host_tag

DEFAULT_MAX_LINES = 100_000


@dataclass(frozen=True)
class ClosedPart:
    path: Path
    articles: int
    size: int


class ArticleWriter:
    """Appends one JSON object per line, each flushed whole: a crash can at worst
    cut the last line short, never leave half a line before a complete one."""

    def __init__(
        self,
        directory: Path,
        prefix: str,
        *,
        max_lines: int = DEFAULT_MAX_LINES,
        host_tag: str | None = None,
        on_close: Callable[[ClosedPart], None] | None = None,
    ) -> None:
        self.directory = Path(directory)
        self.prefix = prefix
        self.max_lines = max_lines
        self.host_tag = host_tag or default_host_tag()
        self.on_close = on_close
        self.closed_parts: list[ClosedPart] = []
        self._serial = 0
        self._file: PartFile | None = None
        self._lines = 0

    def write(self, article: Mapping[str, Any]) -> None:
        if self._file is not None and self._lines >= self.max_lines:
            self.close()
        if self._file is None:
            self._open_next()
        assert self._file is not None
        self._file.write(json.dumps(article, ensure_ascii=False) + "\n")
        self._file.flush()
        self._lines += 1

    def close(self) -> None:
        if self._file is None:
            return
        final = self._file.finish()
        part = ClosedPart(final, self._lines, final.stat().st_size)
        self._file, self._lines = None, 0
        self.closed_parts.append(part)
        if self.on_close is not None:
            self.on_close(part)

    def _open_next(self) -> None:
        self._serial += 1
        stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S%f")[:17]
        name = f"{self.prefix}-{stamp}-{self._serial:05d}-{self.host_tag}.jsonl"
        self._file = PartFile(self.directory, name, binary=False)


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
