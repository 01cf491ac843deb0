"""An archive whose older Parquet indexes lack columns added since (the rights signals)
is still queried whole: those columns come back empty for the older captures."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from archive.query import find_articles, open_articles
from archive.query.articleindex import ARTICLE_COLUMNS, index_path, json_reader_sql, sql_string
from tests.test_query import article, write_part

ADDED = ("robots", "tdm_reservation", "tdm_policy")


def write_older_index(part: Path, added: tuple[str, ...] = ADDED) -> None:
    """The index an earlier version wrote: every column but the ones ``added`` since."""
    older = ", ".join(f'"{name}"' for name in ARTICLE_COLUMNS if name not in added)
    with duckdb.connect() as connection:
        connection.execute(f"COPY (SELECT {older} FROM {json_reader_sql([str(part)])}) "
                           f"TO {sql_string(str(index_path(part)))} (FORMAT parquet)")


@pytest.fixture(params=["older first", "newer first"])
def mixed(tmp_path, request) -> Path:
    folder = tmp_path / "archive" / "articles" / "news"
    folder.mkdir(parents=True)
    older = [article("http://x.test/old", 1, "Ferry delayed")]
    newer = [article("http://x.test/new", 1, "Ferry back", robots=["noai"],
                     tdm_reservation=True, tdm_policy="http://x.test/policy.json")]
    first, second = (older, newer) if request.param == "older first" else (newer, older)
    for records in (first, second):
        part = write_part(folder, records, index=records is newer)
        if records is older:
            write_older_index(part)
    return tmp_path / "archive"


class TestOlderIndexes:
    def test_every_capture_is_found_with_what_its_index_holds(self, mixed):
        rows = {r["url"]: r for r in find_articles(mixed)}
        assert set(rows) == {"http://x.test/old", "http://x.test/new"}
        assert [rows["http://x.test/old"][name] for name in ADDED] == [None, None, None]
        assert [rows["http://x.test/new"][name] for name in ADDED] == [
            ["noai"], True, "http://x.test/policy.json"]

    def test_both_parts_are_read_from_their_indexes(self, mixed):
        with open_articles(mixed) as query:
            assert len(query.files.parquet) == 2 and not query.files.jsonl
            assert len(list(query.select(["url", "robots"]).rows())) == 2

    def test_filters_apply_to_the_older_captures_too(self, mixed):
        assert [r["url"] for r in find_articles(mixed, text="delayed")] == ["http://x.test/old"]


@pytest.mark.parametrize("older_first", [True, False])
def test_a_search_for_the_best_few_reads_older_indexes_too(tmp_path, older_first):
    """The best few are worked out over their articles' captures by a statement that
    reads the parts itself: it, too, turns to reading by name."""
    folder = tmp_path / "archive" / "articles" / "news"
    folder.mkdir(parents=True)
    older = [article(f"http://x.test/old-{i}", 1, f"Ferry news {i}") for i in range(8)]
    newer = [article("http://x.test/new", 1, "Ferry ferry back", robots=["noai"])]
    for records in (older, newer) if older_first else (newer, older):
        part = write_part(folder, records, index=True)
        if records is older:
            write_older_index(part)
    every = find_articles(tmp_path / "archive", search="ferry")
    assert len(every) == 9
    for limit in (1, 2):
        assert find_articles(tmp_path / "archive", search="ferry", limit=limit) == every[:limit]


def test_an_index_from_before_fingerprints_is_grouped_too(tmp_path):
    """Parts indexed before the fingerprint column (and one without any index) are
    read by name; their fingerprints are made at query time."""
    from archive.fingerprint import fingerprint
    from archive.query import find_duplicates

    folder = tmp_path / "archive" / "articles" / "news"
    folder.mkdir(parents=True)
    story = "The harbour ferry returned to service on Monday after a two-year refit. " * 5
    older = write_part(folder, [article("http://x.test/old", 1, "Ferry back", text=story)],
                       index=False)
    write_older_index(older, ("fingerprint",))
    write_part(folder, [article("http://x.test/new", 1, "Ferry returns", text=story,
                                fingerprint=fingerprint(story))], index=True)
    rows = {r["url"]: r for r in find_articles(tmp_path / "archive",
                                               fields=["url", "fingerprint"])}
    assert rows["http://x.test/old"]["fingerprint"] is None
    assert rows["http://x.test/new"]["fingerprint"] == fingerprint(story)
    [group] = find_duplicates(tmp_path / "archive")
    assert {m.url for m in group.members} == {"http://x.test/old", "http://x.test/new"}


def test_an_archive_whose_every_index_predates_a_column(tmp_path):
    """No index has the newer columns at all (an archive from before them, queried by
    this version): they come back empty, every filter and search still works."""
    folder = tmp_path / "archive" / "articles" / "news"
    folder.mkdir(parents=True)
    for n in range(2):
        part = write_part(folder, [article(f"http://x.test/{n}", 1, f"Ferry {n} delayed")],
                          index=False)
        write_older_index(part, (*ADDED, "fingerprint"))
    rows = find_articles(tmp_path / "archive", fields=["url", "robots", "fingerprint"])
    assert sorted(r["url"] for r in rows) == ["http://x.test/0", "http://x.test/1"]
    assert {(r["robots"], r["fingerprint"]) for r in rows} == {(None, None)}
    found = find_articles(tmp_path / "archive", search="delayed", text="ferry 1",
                          fields=["url"])
    assert [r["url"] for r in found] == ["http://x.test/1"]


@pytest.mark.parametrize("older_first", [True, False])
def test_an_index_from_before_the_folded_bodies(tmp_path, older_first):
    """An index written before ``text_folded`` (every record column, no fold): ``--text``
    searches its bodies as they are, and the newer index's folds, alike."""
    folder = tmp_path / "archive" / "articles" / "news"
    folder.mkdir(parents=True)
    older = [article("http://x.test/old", 1, "Stadtrat", text="Bürgermeister Häußler\x00sprach.")]
    newer = [article("http://x.test/new", 1, "Stadtrat", text="BÜRGERMEISTER HÄUSSLER sprach.")]
    folded = {}
    for records in (older, newer) if older_first else (newer, older):
        part = write_part(folder, records, index=True)
        if records is older:
            write_older_index(part, ())
        with duckdb.connect() as connection:
            folded[records[0]["url"]] = ("text_folded",) in connection.execute(
                f"SELECT name FROM parquet_schema({sql_string(str(index_path(part)))})").fetchall()
    assert folded == {"http://x.test/old": False, "http://x.test/new": True}
    for phrase in ("haussler", "BURGERMEISTER HÄUSSLER"):
        found = find_articles(tmp_path / "archive", text=phrase, fields=["url"])
        assert sorted(r["url"] for r in found) == ["http://x.test/new", "http://x.test/old"]
    assert [r["url"] for r in find_articles(tmp_path / "archive", text="haussler sprach")] == [
        "http://x.test/new"]
