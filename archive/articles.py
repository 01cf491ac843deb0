"""Write article records as JSON Lines parts: ``.open`` while written, renamed when done."""

from __future__ import annotations

import io
import json
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from archive.errors import ArchiveError
from archive.warcfile import OPEN_SUFFIX, default_host_tag

DEFAULT_MAX_LINES = 100_000


@dataclass(frozen=True)
class ClosedPart:
    path: Path
    articles: int
    size: int


class ArticleWriter:
    """Appends one JSON object per line; each line is flushed whole, so a crash
    can at worst lose the line being written, never leave half of one behind
    a complete one."""

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
        self._file: io.TextIOWrapper | None = None
        self._path: Path | None = None
        self._lines = 0

    def write(self, article: Mapping[str, Any]) -> None:
        if self._file is not None and self._lines >= self.max_lines:
            self.close()
        if self._file is None:
            self._open_next()
        assert self._file is not None
        line = json.dumps(article, ensure_ascii=False, sort_keys=False) + "\n"
        try:
            self._file.write(line)
            self._file.flush()
        except OSError as exc:
            raise ArchiveError(f"cannot write to {self._path}: {exc}") from exc
        self._lines += 1

    def close(self) -> None:
        if self._file is None:
            return
        assert self._path is not None
        try:
            self._file.flush()
            os.fsync(self._file.fileno())
            self._file.close()
            final = self._path.with_name(self._path.name[: -len(OPEN_SUFFIX)])
            os.replace(self._path, final)
        except OSError as exc:
            raise ArchiveError(f"cannot close {self._path}: {exc}") from exc
        part = ClosedPart(final, self._lines, final.stat().st_size)
        self._file, self._path, self._lines = None, None, 0
        self.closed_parts.append(part)
        if self.on_close is not None:
            self.on_close(part)

    def _open_next(self) -> None:
        self._serial += 1
        stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S%f")[:17]
        name = f"{self.prefix}-{stamp}-{self._serial:05d}-{self.host_tag}.jsonl"
        path = self.directory / (name + OPEN_SUFFIX)
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            self._file = open(path, "x", encoding="utf-8")
        except OSError as exc:
            raise ArchiveError(f"cannot create {path}: {exc}") from exc
        self._path = path


def read_articles(path: Path) -> Iterator[dict[str, Any]]:
    """Every article in one JSONL part."""
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)
