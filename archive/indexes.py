"""Indexes of finished archive files, built off the crawl's thread.

Each finished WARC file gets its CDXJ (:mod:`archive.warc.cdxj`) and each
article part its Parquet index (:mod:`archive.query.articleindex`), written beside
it. Indexing a 1 GB WARC file takes seconds, so a crawl hands finished files
to :class:`BackgroundIndexer`, which indexes them one at a time on a thread
and then passes the file and its index on (to the manifest and the uploader),
in the order the files were finished. An index that fails is logged and
counted; the file itself is passed on regardless: indexes can be rebuilt,
the data cannot.

Each article part is also added to its job's search index (:mod:`archive.search`,
``search/JOB/``) before the part is handed on (an upload may remove the local copy).
A failure there is logged and counted apart: the next ``query --search`` adds the
part itself.

A part's two indexes are built at the same time, the search index from the JSON
Lines on this thread and the Parquet index on a second one: the search index is
mostly the analysis of every word, which holds the GIL, and DuckDB writes Parquet
without it, so the work spreads over both cores. At the end of a run, when the last part
closes, the extraction workers are done and nothing else would use the second core
(docs/performance.md, "The last part's indexes").
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from archive import search
from archive.background import BackgroundWorker
from archive.diskfull import disk_full
from archive.errors import ArchiveError, DiskFullError
from archive.query import articleindex
from archive.store.manifest import FileKind, ManifestEntry
from archive.warc import cdxj as cdxindex

logger = logging.getLogger(__name__)

def is_index_file(path: Path | str) -> bool:
    """True for a file that indexes another (and can be rebuilt from it)."""
    return cdxindex.is_cdxj(path) or articleindex.is_article_index(path)


def build_index(entry: ManifestEntry) -> ManifestEntry | None:
    """Write the index of ``entry``'s file (or take the one written as the file was);
    its manifest entry, or None when the kind of file has none. Raises
    ArchiveIndexError when indexing fails."""
    if entry.kind == FileKind.WARC and entry.index is not None:
        return ManifestEntry(entry.index, FileKind.CDXJ)
    if entry.kind == FileKind.WARC:
        return ManifestEntry(cdxindex.write_cdxj(entry.path), FileKind.CDXJ)
    if entry.kind == FileKind.ARTICLES:
        return ManifestEntry(articleindex.write_index(entry.path), FileKind.PARQUET)
    return None


Listed = Callable[[list[ManifestEntry]], None]


class BackgroundIndexer:
    """Indexes finished files on one thread, then hands each file (and its index) on."""

    def __init__(self, on_indexed: Listed) -> None:
        self.on_indexed = on_indexed
        self.indexed = 0
        self.failures: list[str] = []
        self.search_failures: list[str] = []
        # Set when an index failed for a full disk: the crawl must stop, and this
        # thread cannot stop it, so the crawl looks here.
        self.disk_full: DiskFullError | None = None
        # An article part's Parquet index is written here while _index adds the part
        # to the search index; one at a time, as _index waits for it.
        self._beside = ThreadPoolExecutor(1, thread_name_prefix="newsarchive-parquet")
        self._worker = BackgroundWorker(self._index, name="newsarchive-index")

    def submit(self, entry: ManifestEntry) -> None:
        self._worker.submit(entry)

    def drain(self) -> None:
        """Wait until every submitted file is indexed and handed on."""
        self._worker.drain()
        self._beside.shutdown(wait=True)

    def _index(self, entry: ManifestEntry) -> None:
        entries = [entry]
        if entry.kind == FileKind.ARTICLES:
            parquet = self._beside.submit(build_index, entry)
            self._add_to_search(entry.path)
            index = self._built(entry, parquet)
        else:
            index = self._built(entry, None)
        if index is not None:
            entries.append(index)
            self.indexed += 1
        try:
            self.on_indexed(entries)
        except Exception:
            logger.exception("Could not list %s", entry.path)

    def _built(self, entry: ManifestEntry,
               building: Future[ManifestEntry | None] | None) -> ManifestEntry | None:
        """The index of ``entry`` (built by ``building``, or now), or None when it has
        none or indexing failed (logged and counted)."""
        try:
            return building.result() if building is not None else build_index(entry)
        except ArchiveError as exc:
            logger.error("%s; the file is kept and listed without it", exc)
            self.failures.append(str(exc))
            self.disk_full = self.disk_full or disk_full(exc, entry.path)
        except Exception as exc:  # a bug must not stop later files being listed
            logger.exception("Indexing %s failed unexpectedly", entry.path)
            self.failures.append(repr(exc))
        return None

    def _add_to_search(self, part: Path) -> None:
        """Add the part to the job's search index, read from its JSON Lines: its
        Parquet index is being written meanwhile (the same rows, in the same order)."""
        try:
            search.add_part(part)
        except Exception as exc:  # the search index is rebuilt by the next search
            logger.error("Could not add %s to the search index (%s); the next "
                         "query --search adds it", part, exc)
            self.search_failures.append(str(exc))
