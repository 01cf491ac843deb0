"""The query benchmark's parts, so that its figures measure what it says they do.

The archive it builds has the documented shape (planted phrases at their
counts, second versions under the same canonical URL, every part indexed), and
its two query paths (Parquet indexes, JSON Lines alone) agree with each other
and with counts done here by hand over the records on disk. The benchmark
itself is run by hand: its figures are in docs/performance.md.
"""

from __future__ import annotations

import calendar
import dataclasses
import re
import subprocess
import sys
from datetime import UTC, datetime
from typing import Any

import pytest

from archive.articles import read_articles
from archive.query.articleindex import index_path
from bench import query_bench as qb
from tests.conftest import ROOT

ARTICLES = 2000
PART_SIZE = 250
PART_NAME = re.compile(r"^(?P<job>[a-z-]+)-\d{17}-\d{5}-bench\.jsonl$")


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> qb.Archive:
    built = qb.build_archive(tmp_path_factory.mktemp("query-bench"), ARTICLES, PART_SIZE)
    qb.index_archive(built)
    return built


@pytest.fixture(scope="module")
def records(archive: qb.Archive) -> list[dict[str, Any]]:
    """Every record as written, read back from the parts."""
    return [record for part in archive.parts for record in read_articles(part)]


@pytest.fixture(scope="module")
def latest(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each article's latest version, chosen here rather than by the query's SQL."""
    chosen: dict[tuple[str, str], dict[str, Any]] = {}
    for record in records:
        key = (record["job"], record["canonical_url"] or record["url"])
        if key not in chosen or record["version"] > chosen[key]["version"]:
            chosen[key] = record
    return list(chosen.values())


def says(record: dict[str, Any], phrase: str) -> bool:
    return any(phrase in (record[name] or "").lower() for name in ("title", "text"))


class TestArchive:
    def test_parts_are_named_as_a_crawl_names_them_and_all_indexed(self, archive):
        assert sorted(archive.root.glob("articles/*/*.jsonl")) == sorted(archive.parts)
        assert not list(archive.root.glob("articles/*/*.open"))
        for part in archive.parts:
            named = PART_NAME.match(part.name)
            assert named and named["job"] == part.parent.name
            assert index_path(part).is_file()
        assert {part.parent.name for part in archive.parts} == {s.job for s in qb.SOURCES}

    def test_parts_hold_at_most_the_part_size(self, archive):
        sizes = [sum(1 for _ in read_articles(part)) for part in archive.parts]
        assert max(sizes) == PART_SIZE and sum(sizes) == archive.records

    def test_one_record_per_article_and_a_tenth_with_a_second_version(self, records, latest):
        versioned = round(qb.VERSIONED_SHARE * ARTICLES)
        assert len(latest) == ARTICLES
        assert len(records) == ARTICLES + versioned
        assert sum(record["version"] == 2 for record in latest) == versioned

    def test_second_versions_share_the_canonical_url_and_point_back(self, records):
        firsts = {(r["job"], r["canonical_url"]): r for r in records if r["version"] == 1}
        seconds = [r for r in records if r["version"] == 2]
        assert seconds
        for second in seconds:
            first = firsts[second["job"], second["canonical_url"]]
            assert second["previous"] == {"version": 1, "fetched_at": first["fetched_at"],
                                          "payload_digest": first["payload_digest"],
                                          "warc": first["warc"]}
            assert second["fetched_at"] > first["fetched_at"]
            assert second["text"] != first["text"] and second["published"] == first["published"]

    @pytest.mark.parametrize(("phrase", "share"), qb.PHRASES.items())
    def test_planted_phrases_in_exactly_their_share_of_latest_versions(self, latest, phrase,
                                                                       share):
        assert sum(says(record, phrase) for record in latest) == round(share * ARTICLES)

    def test_some_first_versions_said_the_phrase_their_second_dropped(self, records, latest):
        latest_ids = {id(record) for record in latest}
        older = [r for r in records if id(r) not in latest_ids and says(r, qb.TEXT_QUERY)]
        changed = [r for r in older if not says(self._second_of(r, records), qb.TEXT_QUERY)]
        versioned_without = round(qb.VERSIONED_SHARE * ARTICLES) - sum(
            says(r, qb.TEXT_QUERY) for r in latest if r["version"] == 2)
        assert len(changed) == round(qb.DROPPED_SHARE * versioned_without) > 0

    @staticmethod
    def _second_of(first: dict[str, Any], records: list[dict[str, Any]]) -> dict[str, Any]:
        [second] = [r for r in records if r["version"] == 2
                    and r["canonical_url"] == first["canonical_url"]]
        return second

    def test_regex_matches_its_planted_forms_and_not_the_decoys(self, latest):
        pattern = re.compile(qb.REGEX, re.IGNORECASE)
        matching = [r for r in latest if pattern.search(r["title"]) or pattern.search(r["text"])]
        decoys = [r for r in latest if says(r, "flood") and r not in matching]
        assert len(matching) == round(qb.REGEX_SHARE * ARTICLES)
        assert len(decoys) == round(qb.DECOY_SHARE * ARTICLES)

    def test_the_other_distributions(self, latest):
        assert {r["language"] for r in latest} == set(qb.LANGUAGES) and len(qb.LANGUAGES) == 6
        authors = {name for r in latest for name in r["authors"]}
        assert all(1 <= len(r["authors"]) <= 3 for r in latest)
        assert 100 < len(authors) <= qb.AUTHOR_POOL
        words = [len(r["text"].split()) for r in latest if r["version"] == 1]
        assert qb.BODY_WORDS[0] <= min(words) and max(words) <= qb.BODY_WORDS[1] + 5
        dated = [datetime.fromisoformat(r["published"]) for r in latest if r["published"]]
        assert 0 < ARTICLES - len(dated) < 0.03 * ARTICLES  # a few pages give no date
        assert min(dated) >= qb.START and max(dated) < qb.START + qb.SPAN
        assert len({moment.utcoffset() for moment in dated}) >= 6  # zones, with summer time


def by_hand() -> dict[str, Any]:
    """The date range, author and phrase queries, counted without the benchmark's
    own predicates. A date bound is the date the page printed, in its own zone."""
    def in_march(record: dict[str, Any]) -> bool:
        return "2024-03-01" <= (record["published"] or "")[:10] <= "2024-03-31"

    return {"date range (one month)": in_march,
            "author": lambda r: any("ruiz" in name.lower() for name in r["authors"]),
            "phrase (--text)": lambda r: says(r, "harbour ferry")}


class TestQueries:
    @pytest.mark.parametrize("label", sorted(by_hand()))
    def test_both_paths_count_what_a_count_by_hand_finds(self, archive, latest, label,
                                                         tmp_path):
        [query] = [q for q in qb.QUERIES if q.label == label]
        expected = sum(by_hand()[label](record) for record in latest)
        assert expected > 0
        assert archive.expected[label] == expected
        outcomes = {path: qb.run_once(query, opener, tmp_path)[1]
                    for path, opener in qb.openers(archive.root).items()}
        assert outcomes["parquet"] == outcomes["json"]
        assert outcomes["parquet"][0] == expected

    def test_date_bounds_are_the_pages_own_dates_every_month(self, archive, latest,
                                                             tmp_path):
        [template] = [q for q in qb.QUERIES if q.label == "date range (one month)"]
        paths = qb.openers(archive.root)
        dated = [(r["published"][:10], datetime.fromisoformat(r["published"]))
                 for r in latest if r["published"]]
        read_in_utc_differs = 0
        for year, month in [(y, m) for y in (2023, 2024) for m in range(1, 13)]:
            first = f"{year}-{month:02d}-01"
            last = f"{year}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"
            query = dataclasses.replace(template, filters={"since": first, "until": last})
            expected = sum(first <= day <= last for day, _ in dated)
            in_utc = sum(first <= moment.astimezone(UTC).date().isoformat() <= last
                         for _, moment in dated)
            read_in_utc_differs += expected != in_utc
            for path, opener in paths.items():
                assert qb.run_once(query, opener, tmp_path)[1][0] == expected, (path, first)
        assert read_in_utc_differs  # pages near midnight, in zones away from UTC

    def test_every_query_agrees_on_both_paths_and_with_the_generator(self, archive,
                                                                     tmp_path):
        timings = qb.time_queries(archive.root, 1, tmp_path)
        assert qb.disagreements(timings, archive.expected) == []
        assert not list(tmp_path.iterdir())  # exports cleaned up

    def test_a_disagreement_is_reported(self):
        timings = {(q.label, path): qb.Timing([0.1], {(1, "a")}) for q in qb.QUERIES
                   for path in ("parquet", "json")}
        timings["author", "json"].outcomes = {(2, "b")}
        problems = qb.disagreements(timings, {q.label: 1 for q in qb.QUERIES})
        assert len(problems) == 1 and problems[0].startswith("author: ")


class TestCommandLine:
    def test_refuses_too_few_articles_in_one_line(self):
        done = subprocess.run([sys.executable, "-m", "bench.query_bench", "--articles", "10"],
                              cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert done.returncode == 2 and done.stdout == ""
        error = [line for line in done.stderr.splitlines() if "error" in line]
        assert error == ["query_bench.py: error: argument --articles: "
                         "must be at least 1000, got 10"]

    def test_keep_refuses_a_folder_it_did_not_build(self, tmp_path, capsys):
        (tmp_path / "notes.txt").write_text("mine\n")
        with pytest.raises(SystemExit) as exit_:
            qb.main(["--articles", "1000", "--keep", str(tmp_path)])
        assert exit_.value.code == 2
        assert "not a finished benchmark archive" in capsys.readouterr().err
        assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]

    def test_runs_reuses_its_archive_and_fails_loudly_on_a_wrong_count(self, tmp_path,
                                                                        capsys, monkeypatch):
        kept = tmp_path / "kept"
        assert qb.main(["--articles", "1000", "--repeat", "1", "--keep", str(kept)]) == 0
        out = capsys.readouterr().out
        assert "generated in" in out and "rows: Parquet = JSON Lines = the count" in out
        # A reference count that is wrong (as after a change to the query's rules):
        wrong = [dataclasses.replace(q, matches=lambda r: False) if q.label == "author" else q
                 for q in qb.QUERIES]
        monkeypatch.setattr(qb, "QUERIES", tuple(wrong))
        assert qb.main(["--articles", "1000", "--repeat", "1", "--keep", str(kept)]) == 1
        captured = capsys.readouterr()
        assert "generated earlier (--keep)" in captured.out
        assert "MISMATCH" in captured.err
        assert "author: both paths gave" in captured.err and "expected 0" in captured.err


class TestSearch:
    def test_the_search_part_checks_its_ranking_and_reports(self, archive):
        lines, problems = qb.search_bench(archive, repeat=1)
        assert problems == []
        assert any(line.startswith("phrase, 0.1%") for line in lines)
