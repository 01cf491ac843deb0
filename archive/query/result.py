"""The answer to one query over the ``articles`` view: its columns, and its rows
fetched in batches, as records, as lines of text or bytes, or into a Parquet file."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from archive.query._sql import sql_string

if TYPE_CHECKING:
    from archive.query.articles import ArticleQuery

BATCH = 1000


@dataclass
class QueryResult:
    """The answer to one query: its columns, and its rows fetched in batches."""

    query: ArticleQuery
    sql: str
    columns: list[str] = field(default_factory=list)

    def rows(self) -> Iterator[dict[str, Any]]:
        cursor = self.query.execute(self.sql)
        while batch := cursor.fetchmany(BATCH):
            for values in batch:
                yield dict(zip(self.columns, values, strict=True))

    def types(self) -> list[Any]:
        """DuckDB's type of each column (``.id``, ``.children`` for lists and records)."""
        cursor = self.query.execute(f"SELECT * FROM ({self.sql}) LIMIT 0")
        return [column[1] for column in cursor.description]

    def lines(self, expression: str) -> Iterator[list[str]]:
        """``expression`` (SQL over the result's columns: one text per row), in the
        result's order, in batches."""
        cursor = self.query.execute(f"SELECT {expression} FROM ({self.sql})")
        while batch := cursor.fetchmany(BATCH):
            yield [line for (line,) in batch]

    def encoded_lines(self, expression: str) -> Iterator[list[bytes]]:
        """:meth:`lines` as UTF-8 bytes, never made Python strings (a third of the
        time for 100,000 articles' bodies: docs/performance.md)."""
        return self.lines(f"encode({expression})")  # type: ignore[return-value]

    def write_parquet(self, path: Path) -> None:
        # zstd's level 1: 2.1 s for 100,000 articles, against 3.5 s at the default
        # level 3, for a file 7% larger. Row groups of 10,000 rows, not one of all:
        # DuckDB compresses row groups on both cores while keeping their order
        # (1.7 s against 2.4 s for 100,000 articles; docs/performance.md).
        self.query.execute(f"COPY ({self.sql}) TO {sql_string(str(path))} "
                           "(FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 1, "
                           "ROW_GROUP_SIZE 10000)")
