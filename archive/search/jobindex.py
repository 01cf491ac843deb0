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
from collections import deque
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
from archive.search.helper import AnalysisHelper, HelperFailed, Texts, Words

logger = logging.getLogger(__name__)

# Bump when the schema or the analysers change: older indexes are rebuilt.
# 2: one title and one body field, analysed in Python; 3: each capture's article;
# 4: each capture's part and row, URL, version, fetch and publication times.
SCHEMA_VERSION = 4
_BATCH = 500
# Rows a batch of text for the analysis helper holds (about 20 ms of analysis): small
# enough that neither side waits long for the other at the end of a part. The helper
# is given one batch at a time: a second sent while it writes its answer to the first
# would fill both pipes, each side waiting for the other to read.
_HELPER_BATCH = 100
# Batches analysed here may wait this many deep for the helper's answer before this
# thread waits too (the memory of a slow helper's backlog).
_HELPER_AHEAD = 16
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

    def add_parts(self, paths: Iterable[Path], *, threads: int = 1,
                  helper: bool = False) -> int:
        """Index the parts not yet held (each file a JSON Lines part or its Parquet
        index); the number of parts added. ``helper`` shares the analysis of their
        text with a second process (:mod:`archive.search.helper`): for a caller that
        knows a core is free."""
        with self._writer(threads) as writer:
            self.parts = _held_parts(self.directory) or set()  # another process may have added
            todo = self.missing(paths)
            if not todo:
                return 0
            with _helper_if(helper) as analysis_helper:
                for path in todo:
                    writer.delete_documents_by_term(analysis.PART, part_name(path))
                    for document in _documents(path, analysis_helper):
                        writer.add_document(document)
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


def add_part(part: Path | str, directory: Path | str | None = None, *,
             helper: bool = False) -> int:
    """Add one article part (JSON Lines, or its Parquet index) to its job's search
    index (by default the one of the archive it is in); 1 if added, 0 if held already.
    ``helper``: see :meth:`JobIndex.add_parts`."""
    part = Path(part)
    return JobIndex.open(directory or index_dir_for_part(part)).add_parts([part],
                                                                          helper=helper)


def rebuild(directory: Path | str, parts: Iterable[Path]) -> JobIndex:
    """Delete the index in ``directory`` and build it again from ``parts``."""
    _clear(Path(directory))
    index = JobIndex.open(directory)
    index.add_parts(list(parts), threads=2)
    return index


def _documents(path: Path, helper: AnalysisHelper | None = None) -> Iterator[Any]:
    """The index documents of one part, read with the query's own readers, so the
    capture numbers are the ones the query's view computes; in the part's order."""
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
            for batch, words in _analysed(_batches(cursor), helper):
                for (capture, article, title, text, _language, url, version, fetched_at,
                     published), (title_words, body_words) in zip(batch, words, strict=True):
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
                    if title:
                        document.add_text(analysis.TITLE, title_words)
                    if text:
                        document.add_text(analysis.BODY, body_words)
                    yield document
    except duckdb.Error as exc:
        raise ArchiveIndexError(f"cannot read {path} for the search index: {exc}") from None


def _batches(cursor: Any) -> Iterator[list[tuple]]:
    while rows := cursor.fetchmany(_BATCH):
        for start in range(0, len(rows), _HELPER_BATCH):
            yield rows[start:start + _HELPER_BATCH]


def _texts(batch: list[tuple]) -> Texts:
    return [(title, text, analysis.group_of(language))
            for _, _, title, text, language, *_ in batch]


def _analyse_here(texts: Texts) -> Words:
    return [(analysis.analysed(title, group) if title else "",
             analysis.analysed(body, group) if body else "") for title, body, group in texts]


def _analysed(batches: Iterator[list[tuple]], helper: AnalysisHelper | None
              ) -> Iterator[tuple[list[tuple], Words]]:
    """Each batch of rows with its titles' and bodies' words, in order. With a helper,
    it is sent a batch whenever it has none, and this thread
    analyses the others meanwhile; if it fails, its batches are analysed here."""
    pending: deque[tuple[list[tuple], Texts, Words | None]] = deque()  # None: sent
    for batch in batches:
        texts = _texts(batch)
        try:
            if helper is not None and helper.can_take():
                helper.send(texts)
                pending.append((batch, texts, None))
                continue
        except HelperFailed as exc:
            helper = _given_up(exc, pending)
        pending.append((batch, texts, _analyse_here(texts)))
        while pending and (pending[0][2] is not None or helper is None or helper.ready()
                           or len(pending) > _HELPER_AHEAD):
            helper = yield from _hand_on(pending.popleft(), helper, pending)
    while pending:
        helper = yield from _hand_on(pending.popleft(), helper, pending)


def _hand_on(head: tuple[list[tuple], Texts, Words | None], helper: AnalysisHelper | None,
             pending: deque[tuple[list[tuple], Texts, Words | None]]
             ) -> Iterator[tuple[list[tuple], Words]]:
    """Yield the oldest batch with its words (the helper's answer, waited for, when it
    was sent there); the helper, or None once it failed."""
    batch, texts, words = head
    if words is None:
        try:
            if helper is None:
                raise HelperFailed("already given up")
            words = helper.receive()
        except HelperFailed as exc:
            helper = _given_up(exc, pending)
            words = _analyse_here(texts)
    yield batch, words
    return helper


def _given_up(exc: HelperFailed, pending: deque[tuple[list[tuple], Texts, Words | None]]
              ) -> None:
    """After the helper failed: the batches it had are analysed here instead."""
    if str(exc) != "already given up":
        logger.warning("%s; the search index's analysis goes on in this process", exc)
    for place, (batch, texts, words) in enumerate(pending):
        if words is None:
            pending[place] = (batch, texts, _analyse_here(texts))
    return None


@contextmanager
def _helper_if(wanted: bool) -> Iterator[AnalysisHelper | None]:
    if not wanted:
        yield None
        return
    try:
        helper: AnalysisHelper | None = AnalysisHelper.start()
    except HelperFailed as exc:
        logger.warning("%s; the search index's analysis is done in this process", exc)
        helper = None
    try:
        yield helper
    finally:
        if helper is not None:
            helper.close()


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
