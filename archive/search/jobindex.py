"""One job's search index: a tantivy index of its article parts, and the list of the
parts it holds.

One index per job, not per part, so the ranking's statistics (how rare a word is,
how long an article is) are the job's. ``search/JOB/`` beside ``articles/JOB/``::

    search/JOB/index/        the tantivy index (title and body, analysed, not stored)
    search/JOB/parts.json    {"schema": N, "parts": [part names held]}

Adding a part is idempotent: a part already listed adds nothing, and a part is first
taken out (by its name) before it is added, so a crash between the index's commit and
``parts.json`` being written cannot leave it in twice. The index can always be
rebuilt from the parts: an index that cannot be opened, or of an older schema, is
deleted and built again.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from archive.errors import ArchiveIndexError
from archive.query.articleindex import (
    is_article_index,
    is_article_part,
    json_reader_sql,
    part_stem,
    sql_string,
)
from archive.search import analysis

logger = logging.getLogger(__name__)

# Bump when the schema or the analysers change: older indexes are rebuilt.
# 2: one title and one body field, analysed in Python; 3: each capture's article;
# 4: each capture's part and row, URL, version, fetch and publication times.
SCHEMA_VERSION = 4
_BATCH = 500
# How long to wait for another process (a crawl, another query) that holds the
# index's writer lock, before giving up.
_LOCK_WAIT = 60.0

# Which capture a row is, as a number both the index and the query's view compute
# the same way (in DuckDB, from the same columns): job, article, version, fetch time.
CAPTURE_ID_SQL = ("md5_number_lower(concat_ws(chr(31), coalesce(job, ''), "
                  "coalesce(canonical_url, url, ''), coalesce(version, 0)::VARCHAR, "
                  "coalesce(fetched_at, '')))")


def part_name(path: Path | str) -> str:
    """A part's name without its suffix: its JSON Lines and its Parquet index are
    the same part."""
    stem = part_stem(Path(path).name)
    if stem is not None:
        return stem
    raise ArchiveIndexError(f"{path} is not an article part (.jsonl, .jsonl.gz or .parquet)")


def job_index_dir(root: Path | str, job: str) -> Path:
    """Where ``job``'s search index lives under an archive (or cache) directory."""
    return Path(root) / "search" / job


def index_dir_for_part(part: Path | str) -> Path:
    """The search index of the archive that ``DIR/articles/JOB/NAME.jsonl`` is in."""
    part = Path(part)
    return job_index_dir(part.parent.parent.parent, part.parent.name)


@dataclass
class JobIndex:
    """An opened job index: search it (:mod:`archive.search.searching`) or add parts."""

    directory: Path
    index: Any
    parts: set[str]

    @classmethod
    def open(cls, directory: Path | str) -> JobIndex:
        """Open the index in ``directory``, creating it (empty) if there is none, and
        starting it afresh if it cannot be read or is of an older schema."""
        import tantivy

        directory = Path(directory)
        parts = _held_parts(directory)
        if parts is None and directory.exists():
            logger.warning("Search index %s is unreadable or outdated: rebuilding it", directory)
            _clear(directory)
        try:
            (directory / "index").mkdir(parents=True, exist_ok=True)
            index = tantivy.Index(analysis.build_schema(), path=str(directory / "index"))
        except (OSError, ValueError) as exc:
            raise ArchiveIndexError(f"cannot open the search index {directory}: {exc}; "
                                    "delete it and it is built again") from None
        analysis.register_analysers(index)
        return cls(directory, index, parts or set())

    def missing(self, paths: Iterable[Path]) -> list[Path]:
        """Of the part files ``paths``, those whose part the index does not hold yet."""
        return [path for path in paths if part_name(path) not in self.parts]

    def add_parts(self, paths: Iterable[Path], *, threads: int = 1) -> int:
        """Index the parts not yet held (each file a JSON Lines part or its Parquet
        index); the number of parts added."""
        with self._writer(threads) as writer:
            self.parts = _held_parts(self.directory) or set()  # another process may have added
            todo = self.missing(paths)
            for path in todo:
                writer.delete_documents_by_term(analysis.PART, part_name(path))
                for document in _documents(path):
                    writer.add_document(document)
            if not todo:
                return 0
            writer.commit()
            writer.wait_merging_threads()
            self.parts |= {part_name(path) for path in todo}
            _write_parts(self.directory, self.parts)
        self.index.reload()
        return len(todo)

    @contextmanager
    def unchanging(self) -> Iterator[set[str]]:
        """Hold the index's writer lock, so no process changes its files meanwhile (a
        copy made now is whole); yields the parts it holds."""
        with self._writer(1):
            yield _held_parts(self.directory) or set()

    @contextmanager
    def _writer(self, threads: int) -> Iterator[Any]:
        deadline = time.monotonic() + _LOCK_WAIT
        while True:
            try:
                # 50 MB a thread: enough to write a part of 1,000 articles as one
                # segment, small beside a crawl's own memory.
                writer = self.index.writer(heap_size=50_000_000 * threads,
                                           num_threads=threads)
                break
            except ValueError as exc:
                if "Lock" not in str(exc) or time.monotonic() > deadline:
                    raise ArchiveIndexError(f"cannot write the search index {self.directory}: "
                                            f"{exc}") from None
                time.sleep(0.2)  # a crawl or another query is adding a part
        try:
            yield writer
        except BaseException:
            writer.rollback()
            raise
        finally:
            del writer  # releases the lock


def add_part(part: Path | str, directory: Path | str | None = None) -> int:
    """Add one article part (JSON Lines, or its Parquet index) to its job's search
    index (by default the one of the archive it is in); 1 if added, 0 if held already."""
    part = Path(part)
    return JobIndex.open(directory or index_dir_for_part(part)).add_parts([part])


def rebuild(directory: Path | str, parts: Iterable[Path]) -> JobIndex:
    """Delete the index in ``directory`` and build it again from ``parts``."""
    _clear(Path(directory))
    index = JobIndex.open(directory)
    index.add_parts(list(parts), threads=2)
    return index


def _documents(path: Path) -> Iterator[Any]:
    """The index documents of one part, read with the query's own readers, so the
    capture numbers are the ones the query's view computes."""
    import duckdb
    import tantivy

    if is_article_index(path):
        source = f"read_parquet({sql_string(str(path))}, union_by_name = true)"
    elif is_article_part(path):
        source = json_reader_sql([str(path)])
    else:
        raise ArchiveIndexError(f"{path} is not an article part")
    name = part_name(path)
    try:
        with duckdb.connect() as connection:
            connection.execute("SET threads TO 1")
            cursor = connection.execute(
                f"SELECT {CAPTURE_ID_SQL}, coalesce(canonical_url, url, ''), title, text, "
                f"language, url, coalesce(version, 0), fetched_at, published FROM {source}")
            row = 0  # the record's position in its part, as the Parquet index keeps it
            while batch := cursor.fetchmany(_BATCH):
                for (capture, article, title, text, language, url, version, fetched_at,
                     published) in batch:
                    document = tantivy.Document()
                    document.add_unsigned(analysis.CAPTURE, capture)
                    document.add_text(analysis.PART, name)
                    document.add_unsigned(analysis.ROW, row)
                    row += 1
                    document.add_text(analysis.ARTICLE, article)
                    document.add_unsigned(analysis.VERSION, max(int(version), 0))
                    for field_name, value in ((analysis.URL, url),
                                              (analysis.FETCHED_AT, fetched_at),
                                              (analysis.PUBLISHED, published)):
                        if value is not None:
                            document.add_text(field_name, value)
                    group = analysis.group_of(language)
                    if title:
                        document.add_text(analysis.TITLE, analysis.analysed(title, group))
                    if text:
                        document.add_text(analysis.BODY, analysis.analysed(text, group))
                    yield document
    except duckdb.Error as exc:
        raise ArchiveIndexError(f"cannot read {path} for the search index: {exc}") from None


def held_parts(directory: Path | str) -> set[str] | None:
    """The parts the index in ``directory`` holds: empty when there is none yet, None
    when it is unreadable or of another schema."""
    return _held_parts(Path(directory))


def _clear(directory: Path) -> None:
    """Remove the index and its list of parts; other files beside them (a search
    snapshot waiting to be uploaded, :mod:`archive.search.snapshot`) stay."""
    shutil.rmtree(directory / "index", ignore_errors=True)
    (directory / "parts.json").unlink(missing_ok=True)


def _held_parts(directory: Path) -> set[str] | None:
    """The parts ``parts.json`` lists; empty for a new index, None when it is
    unreadable or of another schema (the index is then rebuilt)."""
    listing = directory / "parts.json"
    if not directory.exists():
        return set()
    if not listing.exists():
        # An index created but never given a part (or one from before parts.json).
        return set() if not any((directory / "index").glob("*.store")) else None
    try:
        held = json.loads(listing.read_text("utf-8"))
        if held.get("schema") != SCHEMA_VERSION:
            return None
        return {str(name) for name in held["parts"]}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _write_parts(directory: Path, parts: set[str]) -> None:
    listing = directory / "parts.json"
    temp = listing.with_name(f"parts.json.{os.getpid()}.tmp")
    temp.write_text(json.dumps({"schema": SCHEMA_VERSION, "parts": sorted(parts)}, indent=1),
                    "utf-8")
    os.replace(temp, listing)
