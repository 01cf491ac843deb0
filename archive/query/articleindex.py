"""A columnar (Parquet) index of each article part, written beside its JSON Lines.

``articles/JOB/NAME.jsonl`` gets ``articles/JOB/NAME.parquet`` holding the same
records in typed columns, so a query over millions of articles reads only the
columns it needs and never parses JSON. The JSON Lines stay the archive's
record; the Parquet file can always be rebuilt from them, and a part without
one (an older crawl, an index that failed) is still queried, from its JSON.

One schema, :data:`ARTICLE_COLUMNS`, serves both the writer and the query's
reading of JSON parts, so both kinds of file give the same columns and types.
The index also holds what a query would otherwise work out from every record
each time (:data:`INDEX_COLUMNS`): those columns are the index's, not the
record's, and no query shows them.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePath
from typing import TypeVar

from archive.errors import ArchiveIndexError
from archive.query._folding import folded_text_sql

PARQUET_SUFFIX = ".parquet"
_PART_SUFFIXES = (".jsonl.gz", ".jsonl")

_WARC_POINTER = 'STRUCT(file VARCHAR, "offset" BIGINT, length BIGINT, record_id VARCHAR)'

# Every field of an article record, in record order, with its DuckDB type.
# ``published``/``modified``/``fetched_at`` stay text as the page gave them
# (a date alone, or with its own zone); the query adds parsed timestamps.
ARTICLE_COLUMNS: dict[str, str] = {
    "url": "VARCHAR",
    "canonical_url": "VARCHAR",
    "job": "VARCHAR",
    "source": "VARCHAR",
    "title": "VARCHAR",
    "text": "VARCHAR",
    "authors": "VARCHAR[]",
    "published": "VARCHAR",
    "modified": "VARCHAR",
    "language": "VARCHAR",
    "sitename": "VARCHAR",
    "section": "VARCHAR",
    "description": "VARCHAR",
    "tags": "VARCHAR[]",
    "image": "VARCHAR",
    "fetched_at": "VARCHAR",
    "status": "INTEGER",
    "payload_digest": "VARCHAR",
    "warc": _WARC_POINTER,
    "version": "INTEGER",
    # The version this one replaced: where to find it, and when it was fetched.
    "previous": "STRUCT(version INTEGER, fetched_at VARCHAR, payload_digest VARCHAR, "
                + "warc " + _WARC_POINTER + ")",
    # Rights signals (added after the first indexes were written: an older index lacks
    # them, and the query then reads indexes by name, see archive.query._sql).
    "robots": "VARCHAR[]",
    "tdm_reservation": "BOOLEAN",
    "tdm_policy": "VARCHAR",
    # Only the public part of a paywalled article (added later too: null in older indexes).
    "paywalled": "BOOLEAN",
    # The text's MinHash (archive.fingerprint), for archive.query.duplicates; older
    # records have none and get it computed when a query needs it.
    "fingerprint": "UINTEGER[]",
}

# Columns of the index that are not fields of the record, each with the SQL that makes it
# from the record when the part is indexed. The query reads them only to filter (their
# reader is archive.query._sql, which selects ARTICLE_COLUMNS only, so they are never
# shown, exported or seen by --sql); an index written before one was added lacks it,
# and the query then works without it, as for a part with no index at all.
INDEX_COLUMNS: dict[str, tuple[str, str]] = {
    # The body folded as --text compares it (lower case, no accents, ß as ss), so a
    # query looks for the folded phrase in it instead of folding every body again. Every
    # body's, ASCII ones too: the search then reads this column alone, where reading the
    # body as well would double its time (docs/performance.md). NULL for a NULL body.
    "text_folded": ("VARCHAR", folded_text_sql('"text"')),
}

# Columns a query outputs only when asked for by name: 64 numbers a row that mean
# nothing to a reader (a seventh of a typical JSON record).
NOT_SHOWN_BY_DEFAULT = ("fingerprint",)


def is_article_part(path: Path | str) -> bool:
    return Path(path).name.endswith(_PART_SUFFIXES)


def is_article_index(path: Path | str) -> bool:
    return Path(path).name.endswith(PARQUET_SUFFIX)


def part_stem(path: PurePath | str) -> str | None:
    """``path`` without its part or index suffix (``articles/J/NAME`` for
    ``articles/J/NAME.jsonl`` and ``articles/J/NAME.parquet``: a part and its index
    are one part); None when it is neither."""
    text = PurePath(path).as_posix()
    for suffix in (*_PART_SUFFIXES, PARQUET_SUFFIX):
        if text.endswith(suffix):
            return text.removesuffix(suffix)
    return None


_P = TypeVar("_P", bound=PurePath)


def index_path(part: _P) -> _P:
    """``NAME.parquet`` for ``NAME.jsonl`` (or ``NAME.jsonl.gz``)."""
    for suffix in _PART_SUFFIXES:
        if part.name.endswith(suffix):
            return part.with_name(part.name.removesuffix(suffix) + PARQUET_SUFFIX)
    raise ArchiveIndexError(f"{part} is not an article part (.jsonl or .jsonl.gz)")


def json_reader_sql(paths: list[str]) -> str:
    """A DuckDB table expression reading article JSON Lines with the shared schema.

    Keys a record lacks come back NULL and keys the schema does not know are
    ignored, so parts written by older or newer versions read alike.
    """
    columns = ", ".join(f"'{name}': '{kind}'" for name, kind in ARTICLE_COLUMNS.items())
    listed = ", ".join(sql_string(path) for path in paths)
    return (f"read_json([{listed}], format = 'newline_delimited', columns = {{{columns}}}, "
            "maximum_object_size = 268435456)")


# Row groups of about this much data (a part of 1,000 articles in three or four), not
# one for the whole part: a search reads its best few rows by position
# (archive.query._best) and DuckDB decodes only the row groups holding them. Over
# 100,000 articles (bench/query_bench.py): a search of 20 rows 83 ms against 116 ms
# in one group; smaller groups gain the search nothing and cost every scan more
# (counting the latest versions 122 ms at 4 MB, 193 ms at 1 MB, 96 ms in one group).
ROW_GROUP_BYTES = "4MB"


def write_index(part: Path) -> Path:
    """Write ``part``'s Parquet index beside it (whole, then renamed into place)."""
    import duckdb  # loaded only by the processes that index or query

    part = Path(part)
    target = index_path(part)
    temp = target.with_name(target.name + ".tmp")
    try:
        with duckdb.connect() as connection:
            connection.execute("SET threads TO 1")  # a crawl's side job: leave it the cores
            connection.execute(
                f"COPY (SELECT *, {_index_only()} FROM {json_reader_sql([str(part)])}) "
                f"TO {sql_string(str(temp))} (FORMAT parquet, COMPRESSION zstd, "
                f"ROW_GROUP_SIZE_BYTES '{ROW_GROUP_BYTES}')")
        os.replace(temp, target)
    except (duckdb.Error, OSError) as exc:
        temp.unlink(missing_ok=True)
        raise ArchiveIndexError(f"cannot index {part}: {exc}") from exc
    return target


def _index_only() -> str:
    return ", ".join(f'{make} AS "{name}"' for name, (_kind, make) in INDEX_COLUMNS.items())


def sql_string(text: str) -> str:
    """``text`` as an SQL string literal (DuckDB: quotes doubled, no backslash escapes)."""
    return "'" + text.replace("'", "''") + "'"
