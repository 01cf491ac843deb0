"""Near-duplicate articles: fingerprints (archive.fingerprint), their grouping
(archive.query.duplicates), ``newsarchive duplicates`` and ``query
--collapse-duplicates``, on archives written as a crawl writes them — parts with
fingerprints and Parquet indexes, older parts without either — locally and in a
real S3-compatible store."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from archive.errors import QueryError
from archive.fingerprint import NUM_PERM, fingerprint, similarity
from archive.query import find_articles, find_duplicates, run_sql
from archive.query.articleindex import sql_string
from bench.duplicates_bench import Stories
from crawler.demo.s3server import LocalS3Server
from tests.conftest import run_cli
from tests.test_query import write_part
from tests.test_query_older_indexes import write_older_index
from tests.test_s3 import run

STORIES = Stories(seed=5)
WIRE = STORIES.story(0)  # the wire story: four outlets
REPRINT = STORIES.story(1)  # one outlet's story, republished under a new URL
CORRECTED = STORIES.story(2)  # a copy whose outlet corrected it later (two versions)
SAME_TOPIC = [STORIES.story(0), STORIES.story(0)]  # other stories on the wire's topic
NEW_INTRO = STORIES.paragraph(0)
HOSTILE_TITLE = "Ferry \x1b[2J\x1b]0;owned\x07 back \u202e"


def record(url: str, source: str, paragraphs: list[str], fetched: str, *, title: str = "",
           version: int = 1, with_fingerprint: bool = True) -> dict:
    text = "\n".join(paragraphs)
    found = {"url": url, "canonical_url": url, "job": "news", "source": source,
             "title": title or f"Story at {url}", "text": text, "authors": [],
             "published": "2024-06-20", "language": "en", "fetched_at": fetched,
             "version": version, "previous": {"version": version - 1} if version > 1 else None}
    if with_fingerprint:
        found["fingerprint"] = fingerprint(text)
    return found


@pytest.fixture
def archive(tmp_path) -> Path:
    """Three parts: the newest indexed with fingerprints, one JSON Lines only without
    them, one with an index from before fingerprints."""
    folder = tmp_path / "archive" / "articles" / "news"
    folder.mkdir(parents=True)
    older = write_part(folder, [
        record("https://d.example/wire/", "d", WIRE, "2024-06-20T12:00:00+00:00",
               with_fingerprint=False),
        record("https://e.example/corrected/", "e", CORRECTED, "2024-06-20T08:00:00+00:00",
               with_fingerprint=False)], index=False)
    write_older_index(older, ("fingerprint",))  # from before fingerprints
    write_part(folder, [
        record("https://a.example/reprint/", "a", REPRINT, "2024-06-21T10:00:00+00:00",
               with_fingerprint=False),
        record("https://c.example/wire/", "c", [NEW_INTRO, *WIRE[1:]],
               "2024-06-21T11:00:00+00:00", with_fingerprint=False)], index=False)
    write_part(folder, [
        record("https://a.example/wire/", "a", WIRE, "2024-06-22T10:00:00+00:00"),
        record("https://b.example/wire/", "b", WIRE, "2024-06-19T09:00:00+00:00",
               title=HOSTILE_TITLE),
        record("https://a.example/reprint-again/", "a", REPRINT, "2024-06-22T11:00:00+00:00"),
        record("https://e.example/corrected/", "e", [*CORRECTED[:-1], STORIES.paragraph(2)],
               "2024-06-22T12:00:00+00:00", version=2),
        record("https://f.example/corrected/", "f", CORRECTED, "2024-06-20T10:00:00+00:00"),
        *(record(f"https://g.example/topic-{i}/", "g", story, "2024-06-22T13:00:00+00:00")
          for i, story in enumerate(SAME_TOPIC))], index=True)
    return tmp_path / "archive"


def urls(group) -> list[str]:
    return [member.url for member in group.members]


class TestFingerprint:
    def test_copies_agree_and_other_stories_do_not(self):
        whole = "\n".join(WIRE)
        assert fingerprint(whole) == fingerprint(whole)
        assert len(fingerprint(whole)) == NUM_PERM
        assert all(0 <= value < 2**32 for value in fingerprint(whole))
        assert similarity(fingerprint(whole), fingerprint("\n".join([NEW_INTRO, *WIRE[1:]]))) > 0.6
        assert similarity(fingerprint(whole), fingerprint("\n".join(SAME_TOPIC[0]))) < 0.2

    def test_case_accents_and_punctuation_do_not_count(self):
        assert fingerprint("Le café « ouvre » — à Paris.") == fingerprint("le cafe ouvre a paris")
        assert fingerprint("Le café ouvre à Paris") != fingerprint("Le café ferme à Paris")

    def test_short_texts_have_one_and_empty_ones_none(self):
        assert len(fingerprint("Ferry back")) == NUM_PERM
        assert fingerprint("Ferry back") != fingerprint("Ferry late")
        assert fingerprint("") is None and fingerprint(None) is None
        assert fingerprint(" … — ") is None


class TestGroups:
    def test_copies_across_outlets_and_urls_grouped_largest_first(self, archive):
        groups = find_duplicates(archive)
        assert [urls(group) for group in groups] == [
            # The earliest capture first: b's, though a's carries the wire's byline.
            ["https://b.example/wire/", "https://d.example/wire/", "https://c.example/wire/",
             "https://a.example/wire/"],
            # e's first capture (version 1, 08:00) is before f's, though e's latest is not.
            ["https://e.example/corrected/", "https://f.example/corrected/"],
            ["https://a.example/reprint/", "https://a.example/reprint-again/"]]
        first = groups[0].members[0]
        assert (first.source, first.title, first.first_captured) == (
            "b", HOSTILE_TITLE, "2024-06-19T09:00:00+00:00")

    def test_versions_of_one_article_are_not_duplicates(self, archive):
        groups = find_duplicates(archive, all_versions=True)
        corrected = [urls(g) for g in groups if "https://f.example/corrected/" in urls(g)]
        assert corrected == [["https://e.example/corrected/", "https://f.example/corrected/"]]
        alone = find_duplicates(archive, all_versions=True, url_contains="e.example")
        assert alone == []

    def test_threshold_min_size_limit_and_filters(self, archive):
        strict = find_duplicates(archive, threshold=0.95)
        assert "https://c.example/wire/" not in urls(strict[0])  # its new intro
        assert [g.size for g in find_duplicates(archive, min_size=3)] == [4]
        assert len(find_duplicates(archive, limit=1)) == 1
        assert [urls(g) for g in find_duplicates(archive, url_contains="a.example")] == [
            ["https://a.example/reprint/", "https://a.example/reprint-again/"]]
        for bad in ({"threshold": 0}, {"threshold": 1.5}, {"threshold": "x"},
                    {"min_size": 1}, {"limit": 0}):
            with pytest.raises(QueryError):
                find_duplicates(archive, **bad)


class TestCollapse:
    def test_one_article_per_group_with_its_copies(self, archive):
        every = find_articles(archive, fields=["url"])
        rows = find_articles(archive, collapse_duplicates=True)
        assert len(rows) == len(every) - 3 - 1 - 1
        by_url = {row["url"]: row for row in rows}
        assert by_url["https://b.example/wire/"]["duplicates"] == {
            "count": 3, "sources": ["d", "c", "a"],
            "urls": ["https://d.example/wire/", "https://c.example/wire/",
                     "https://a.example/wire/"]}
        assert by_url["https://g.example/topic-0/"]["duplicates"] == {
            "count": 0, "sources": [], "urls": []}
        assert "https://a.example/wire/" not in by_url
        assert "fingerprint" not in rows[0]  # not shown unless asked for

    def test_with_filters_sql_and_a_threshold(self, archive):
        rows = find_articles(archive, collapse_duplicates=True, url_contains="/wire/",
                             fields=["url", "duplicates"])
        assert [row["url"] for row in rows] == ["https://b.example/wire/"]
        strict = find_articles(archive, collapse_duplicates=True, dup_threshold=0.95,
                               url_contains="/wire/", fields=["url"])
        assert {row["url"] for row in strict} == {"https://b.example/wire/",
                                                  "https://c.example/wire/"}
        [counted] = run_sql("SELECT count(*) AS n, sum(duplicates.count) AS copies "
                            "FROM articles", archive, collapse_duplicates=True)
        assert counted == {"n": 5, "copies": 5}
        with pytest.raises(QueryError, match="duplicates"):
            find_articles(archive, fields=["duplicates"])  # only when collapsing

    def test_fingerprints_selectable_by_name(self, archive):
        rows = find_articles(archive, fields=["url", "fingerprint"], url_contains="b.example")
        assert rows == [{"url": "https://b.example/wire/",
                         "fingerprint": fingerprint("\n".join(WIRE))}]


class TestCommand:
    def test_table_and_jsonl(self, archive):
        done = run_cli("duplicates", "--out", str(archive))
        assert done.returncode == 0, done.stderr
        lines = done.stdout.splitlines()
        assert lines[0].startswith("4 articles like ")
        assert lines[1].split()[:3] == ["2024-06-19T09:00:00+00:00", "b",
                                        "https://b.example/wire/"]
        assert lines[-1] == "(3 groups)"
        done = run_cli("duplicates", "--out", str(archive), "--format", "jsonl",
                       "--min-size", "3")
        [group] = [json.loads(line) for line in done.stdout.splitlines()]
        assert group["size"] == 4 and group["members"][0]["title"] == HOSTILE_TITLE

    def test_page_text_cannot_steer_the_terminal(self, archive):
        done = run_cli("duplicates", "--out", str(archive), "--min-size", "3")
        assert "\x1b" not in done.stdout and "\u202e" not in done.stdout
        assert "Ferry \\x1b[2J\\x1b]0;owned\\x07 back \\u202e" in done.stdout
        done = run_cli("duplicates", "--out", str(archive), "--format", "jsonl")
        assert "\x1b" not in done.stdout and "\\u202e" in done.stdout

    @pytest.mark.parametrize("fmt", ["jsonl", "csv", "table", "parquet"])
    def test_query_collapses_in_every_format(self, archive, tmp_path, fmt):
        target = tmp_path / f"rows.{'txt' if fmt == 'table' else fmt}"
        done = run_cli("query", "--out", str(archive), "--collapse-duplicates",
                       "--url-contains", "/wire/", "--format", fmt, "-o", str(target))
        assert done.returncode == 0, done.stderr
        assert "Wrote 1 row to" in done.stderr
        if fmt == "jsonl":
            [row] = [json.loads(line) for line in target.read_text().splitlines()]
            assert row["duplicates"]["count"] == 3 and "fingerprint" not in row

    @pytest.mark.parametrize(("args", "message"), [
        (["duplicates", "--dup-threshold", "0"], "--dup-threshold '0': give a number above 0"),
        (["duplicates", "--dup-threshold", "lots"], "--dup-threshold 'lots'"),
        (["duplicates", "--min-size", "1"], "argument --min-size: must be at least 2"),
        (["duplicates", "--limit", "0"], "argument --limit: must be at least 1"),
        (["duplicates", "--since", "last tuesday"], "--since 'last tuesday' is not a date"),
        (["duplicates", "--format", "csv"], "argument --format: invalid choice"),
        (["query", "--dup-threshold", "0.7"], "--dup-threshold is for --collapse-duplicates"),
        (["query", "--collapse-duplicates", "--dup-threshold", "2"], "give a number above 0"),
    ])
    def test_bad_input_is_one_line_and_exit_2(self, archive, tmp_path, args, message):
        target = tmp_path / "out.jsonl"
        done = run_cli(*args, "--out", str(archive), *(
            ["-o", str(target)] if args[0] == "query" else []))
        assert done.returncode == 2 and done.stdout == ""
        assert len(done.stderr.splitlines()) == 1 and message in done.stderr, done.stderr
        assert not target.exists()

    def test_no_archive_is_exit_2(self, tmp_path):
        done = run_cli("duplicates", "--out", str(tmp_path / "none"))
        assert done.returncode == 2 and "holds no articles" in done.stderr


class TestCrawl:
    def test_the_crawler_writes_each_texts_fingerprint(self, test_crawl):
        records = test_crawl.articles()
        assert records and all(r["fingerprint"] == fingerprint(r["text"]) for r in records)
        parts = sorted((test_crawl.out / "articles" / test_crawl.job).glob("*.parquet"))
        with duckdb.connect() as connection:
            [(kind,)] = connection.execute(
                f"SELECT column_type FROM (DESCRIBE SELECT fingerprint FROM read_parquet("
                f"{sql_string(str(parts[0]))}))").fetchall()
            indexed = dict(connection.execute(
                f"SELECT url, fingerprint FROM read_parquet({sql_string(str(parts[0]))})"
            ).fetchall())
        assert kind == "UINTEGER[]"
        assert indexed and all(indexed[r["url"]] == r["fingerprint"] for r in records
                               if r["url"] in indexed)


@pytest.mark.s3
def test_duplicates_read_from_the_store(archive, tmp_path):
    with LocalS3Server(tmp_path / "s3", bucket="dups") as server:
        store = ["--store", "s3://dups/news", "--endpoint-url", server.endpoint_url]
        uploaded = run(server, "upload", "--out", str(archive), *store)
        assert uploaded.returncode == 0, uploaded.stderr
        shutil.rmtree(archive / "articles")
        store += ["--cache", str(tmp_path / "cache")]
        listed = run(server, "duplicates", *store, "--format", "jsonl")
        assert listed.returncode == 0, listed.stderr
        assert [json.loads(line)["size"] for line in listed.stdout.splitlines()] == [4, 2, 2]
        collapsed = run(server, "query", *store, "--collapse-duplicates", "--fields",
                        "url,duplicates", "--url-contains", "/wire/")
        [row] = [json.loads(line) for line in collapsed.stdout.splitlines()]
        assert row["url"] == "https://b.example/wire/" and row["duplicates"]["count"] == 3
