"""Ranked full-text search of the articles: one tantivy (BM25) index per job, built
from the article parts, language-aware, and always rebuildable from them.

    >>> from archive.search import add_part, parse_search, search_job, JobIndex
    >>> add_part("archive-data/articles/news/news-20240620T100000Z-00001-host.jsonl")
    >>> hits = search_job(JobIndex.open("archive-data/search/news"), parse_search("ferry"))

Researchers use it through ``archive.query`` (``search="..."``) or ``newsarchive
query --search``, which bring the index up to date with the parts they read first.
With a store, crawls send the index there as snapshots and a query's cache starts
from the newest (:mod:`archive.search.snapshot`).
"""

from __future__ import annotations

# archive.query first: its search view imports this package's index, which reads the
# Parquet index in archive.query, so whichever of the two is imported first, the
# query package must finish first.
import archive.query  # noqa: F401
from archive.search.jobindex import (
    CAPTURE_ID_SQL,
    JobIndex,
    add_part,
    index_dir_for_part,
    job_index_dir,
    part_name,
    rebuild,
)
from archive.search.searching import Hits, search_job
from archive.search.snapshot import (
    SnapshotError,
    restore_snapshot,
    start_from_snapshot,
    write_snapshot,
)
from archive.search.snippet import make_snippet
from archive.search.syntax import SearchText, parse_search

__all__ = ["CAPTURE_ID_SQL", "Hits", "JobIndex", "SearchText", "SnapshotError", "add_part",
           "index_dir_for_part", "job_index_dir", "make_snippet", "parse_search", "part_name",
           "rebuild", "restore_snapshot", "search_job", "start_from_snapshot",
           "write_snapshot"]
