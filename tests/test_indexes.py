"""The indexes of finished files (archive.indexes): an article part's Parquet index and
search index built at the same time, the same as built one after the other, failures
of either counted apart, and files handed on in the order they were finished."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import duckdb
import pytest
import tantivy

from archive import search
from archive.errors import ArchiveIndexError
from archive.indexes import BackgroundIndexer
from archive.query import articleindex
from archive.search import JobIndex, add_part, job_index_dir, parse_search, search_job
from archive.store.manifest import FileKind, ManifestEntry
from tests.test_query import write_part
from tests.test_search import FILLER, filler, story

QUERIES = ("lighthouse", "ferry zeppelin", '"harbour ferry"', "häuser", "presidentielles",
           "+council -ferry", "town notes")


def planted() -> list[dict]:
    """Articles in three languages, with and without titles and languages."""
    return [
        story("title-hit", "Lighthouse keeper retires", FILLER),
        story("body-hit", "Harbour news", FILLER + " A lighthouse was repainted."),
        story("rare", "Weekly notes", FILLER + " The zeppelin landed."),
        story("phrase", "Ferry", "The harbour ferry sails at dawn. " + FILLER),
        story("de", "Neue Häuser am Hafen", "Die Stadt baut Häusern am Hafen.", language="de"),
        story("fr", "Les élections présidentielles", "Le scrutin présidentiel approche.",
              language="fr-FR"),
        story("untitled", "", "A page with no title and no language.", language=None),
        *filler(25),
    ]


def archive_with_part(root: Path) -> Path:
    folder = root / "articles" / "news"
    folder.mkdir(parents=True)
    return write_part(folder, planted(), index=False)


def index_with_indexer(part: Path) -> list[list[ManifestEntry]]:
    listed: list[list[ManifestEntry]] = []
    indexer = BackgroundIndexer(listed.append)
    indexer.submit(ManifestEntry(part, FileKind.ARTICLES))
    indexer.drain()
    assert indexer.failures == [] and indexer.search_failures == []
    return listed


def index_one_after_the_other(part: Path) -> None:
    """What the crawl did before: the Parquet index, then the search index read from it."""
    add_part(articleindex.write_index(part))


def parquet_rows(path: Path) -> list[tuple]:
    with duckdb.connect() as connection:
        return connection.execute(
            f"SELECT * FROM read_parquet({articleindex.sql_string(str(path))})").fetchall()


def stored_documents(root: Path) -> list[dict]:
    index = JobIndex.open(job_index_dir(root, "news"))
    searcher = index.index.searcher()
    found = searcher.search(tantivy.Query.all_query(), limit=1000).hits
    return sorted((searcher.doc(address).to_dict() for _, address in found),
                  key=lambda document: document["row"])


def ranked(root: Path, words: str) -> list[tuple[int, float]]:
    hits = search_job(JobIndex.open(job_index_dir(root, "news")), parse_search(words))
    return list(zip(hits.captures, hits.scores, strict=True))


class TestBothIndexesAtOnce:
    def test_the_two_indexes_of_a_part_are_built_at_the_same_time(self, tmp_path, monkeypatch):
        # Each waits (up to a minute) for the other to have started: one after the
        # other, the first would give up waiting and see the other not started.
        started = {"parquet": threading.Event(), "search": threading.Event()}
        saw_other: dict[str, bool] = {}
        real_build, real_add = articleindex.write_index, search.add_part

        def meeting(name: str, other: str) -> None:
            started[name].set()
            saw_other[name] = started[other].wait(60)

        def build(part: Path) -> Path:
            meeting("parquet", "search")
            return real_build(part)

        def add(part: Path) -> int:
            meeting("search", "parquet")
            return real_add(part)

        monkeypatch.setattr(articleindex, "write_index", build)
        monkeypatch.setattr(search, "add_part", add)
        part = archive_with_part(tmp_path / "archive")
        [entries] = index_with_indexer(part)
        assert saw_other == {"parquet": True, "search": True}
        assert [e.path for e in entries] == [part, articleindex.index_path(part)]

    def test_the_indexes_hold_what_they_held_when_built_one_after_the_other(self, tmp_path):
        now, before = tmp_path / "now", tmp_path / "before"
        part = archive_with_part(now)
        shutil.copytree(now, before)
        index_with_indexer(part)
        index_one_after_the_other(before / part.relative_to(now))
        index = articleindex.index_path(part)
        assert parquet_rows(index) == parquet_rows(before / index.relative_to(now))
        assert len(parquet_rows(index)) == len(planted())
        assert stored_documents(now) == stored_documents(before)
        assert len(stored_documents(now)) == len(planted())
        for words in QUERIES:
            assert ranked(now, words) == ranked(before, words), words
            assert ranked(now, words), words  # each query finds something


def _index_one_part(tmp_path: Path) -> tuple[Path, BackgroundIndexer, list]:
    """A part indexed by a fresh indexer, and the lists of files it handed on."""
    part = archive_with_part(tmp_path / "archive")
    listed: list[list[ManifestEntry]] = []
    indexer = BackgroundIndexer(listed.append)
    indexer.submit(ManifestEntry(part, FileKind.ARTICLES))
    indexer.drain()
    return part, indexer, listed


class TestFailures:
    def test_a_parquet_index_that_fails_is_counted_and_the_part_still_searched(
            self, tmp_path, monkeypatch):
        def fails(part: Path) -> Path:
            raise ArchiveIndexError(f"cannot index {part}: broken")

        monkeypatch.setattr(articleindex, "write_index", fails)
        part, indexer, listed = _index_one_part(tmp_path)
        assert indexer.failures == [f"cannot index {part}: broken"]
        assert indexer.search_failures == [] and indexer.indexed == 0
        assert [[e.path for e in entries] for entries in listed] == [[part]]
        assert ranked(tmp_path / "archive", "zeppelin")  # searchable all the same

    def test_a_search_index_that_fails_is_counted_and_the_parquet_index_kept(
            self, tmp_path, monkeypatch, caplog):
        def fails(part: Path) -> int:
            raise ArchiveIndexError("cannot write the search index: locked")

        monkeypatch.setattr(search, "add_part", fails)
        part, indexer, listed = _index_one_part(tmp_path)
        assert indexer.search_failures == ["cannot write the search index: locked"]
        assert indexer.failures == [] and indexer.indexed == 1
        assert [[e.path for e in entries] for entries in listed] == \
            [[part, articleindex.index_path(part)]]
        assert "the next query --search adds it" in caplog.text

    @pytest.mark.parametrize("failing", ["parquet", "search"])
    def test_a_bug_in_either_is_logged_and_later_files_still_listed(
            self, tmp_path, monkeypatch, caplog, failing):
        def bug(part: Path) -> None:
            raise RuntimeError("a bug")

        monkeypatch.setattr(*((articleindex, "write_index") if failing == "parquet"
                              else (search, "add_part")), bug)
        first = archive_with_part(tmp_path / "archive")
        second = write_part(first.parent, planted()[:3], index=False)
        listed: list[list[ManifestEntry]] = []
        indexer = BackgroundIndexer(listed.append)
        for part in (first, second):
            indexer.submit(ManifestEntry(part, FileKind.ARTICLES))
        indexer.drain()
        assert [entries[0].path for entries in listed] == [first, second]
        failures = indexer.failures if failing == "parquet" else indexer.search_failures
        assert len(failures) == 2 and "a bug" in failures[0]


def test_files_are_handed_on_in_the_order_they_were_finished(tmp_path):
    root = tmp_path / "archive"
    first = archive_with_part(root)
    warc = ManifestEntry(root / "warc" / "news" / "a.warc.gz", FileKind.WARC,
                         index=root / "warc" / "news" / "a.cdxj")
    second = write_part(first.parent, planted()[:3], index=False)
    listed: list[list[ManifestEntry]] = []
    indexer = BackgroundIndexer(listed.append)
    for entry in (ManifestEntry(first, FileKind.ARTICLES), warc,
                  ManifestEntry(second, FileKind.ARTICLES)):
        indexer.submit(entry)
    indexer.drain()
    assert [entries[0].path for entries in listed] == [first, warc.path, second]
    assert [len(entries) for entries in listed] == [2, 2, 2]
    assert JobIndex.open(job_index_dir(root, "news")).parts == {
        articleindex.part_stem(first.name), articleindex.part_stem(second.name)}
