"""Incremental runs against a site that changes between them (the Gazette,
tests/sites/changing_editions.py, written apart from the crawler): only new and changed
articles become records, unchanged pages become revisit records, rechecks follow the
policy, and bad settings, a damaged state and capped runs are handled."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from crawler.versions import changed_at
from tests.conftest import run_cli
from tests.gazettecrawl import JOB, article_lines, crawl, path_of, report
from tests.sites import changing_editions as gazette

NOT_MODIFIED = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
IDENTICAL = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"


def warc_records(out: Path, names: set[str] | None = None) -> list[dict]:
    """Every record of the job's WARC files (optionally only the files named)."""
    records = []
    for path in sorted((out / "warc" / JOB).glob("*.warc.gz")):
        if names is not None and path.name not in names:
            continue
        with open(path, "rb") as handle:
            for record in ArchiveIterator(handle, check_digests=True):
                records.append({"type": record.rec_type, "file": path.name,
                                "uri": record.rec_headers["WARC-Target-URI"],
                                "headers": dict(record.rec_headers.headers),
                                "status": record.http_headers.get_statuscode()
                                if record.http_headers else None})
    return records


def manifest_files(out: Path, order: int = -1) -> set[str]:
    manifests = sorted((out / "manifests").glob(f"{JOB}-*Z.json"))
    return {Path(e["path"]).name for e in json.loads(manifests[order].read_text())["files"]}


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    """Edition 1 crawled, then edition 2 (two new stories, one corrected), then nothing
    changed: three runs of one job."""
    out = tmp_path_factory.mktemp("incremental") / "out"
    with gazette.serve() as site:
        first = crawl(site, out)
        lines_after_first = article_lines(out)
        site.set_edition(2)
        site.reset_requests()
        second = crawl(site, out)
        second_requests = site.requests()
        lines_after_second = article_lines(out)
        site.reset_requests()
        third = crawl(site, out)
        yield {"site": site, "out": out, "runs": (first, second, third),
               "lines": (lines_after_first, lines_after_second, article_lines(out)),
               "second_requests": second_requests, "third_requests": site.requests()}


class TestSiteThatChanged:
    def test_every_run_succeeds(self, two_runs):
        for run in two_runs["runs"]:
            assert run.returncode == 0, run.stderr[-3000:]

    def test_first_run_archives_every_article_as_version_1(self, two_runs):
        first, _, _ = two_runs["lines"]
        paths = sorted(path_of(a["canonical_url"]) for a in first)
        assert paths == sorted(a["path"] for a in gazette.articles(1))
        assert {a["version"] for a in first} == {1}
        assert all(a["previous"] is None for a in first)

    def test_second_run_writes_exactly_the_two_new_and_the_edited_article(self, two_runs):
        first, second, _ = two_runs["lines"]
        new = second[len(first):]
        assert second[:len(first)] == first  # nothing rewritten
        by_path = {path_of(a["canonical_url"]): a for a in new}
        assert sorted(by_path) == sorted([*gazette.NEW_IN_EDITION_2, gazette.EDITED_PATH])
        for path in gazette.NEW_IN_EDITION_2:
            assert by_path[path]["version"] == 1 and by_path[path]["previous"] is None
        edited = by_path[gazette.EDITED_PATH]
        assert gazette.EDIT_SNIPPET in edited["text"]
        assert gazette.REMOVED_SNIPPET not in edited["text"]
        [original] = [a for a in first if path_of(a["canonical_url"]) == gazette.EDITED_PATH]
        assert gazette.REMOVED_SNIPPET in original["text"]
        assert edited["version"] == 2
        assert edited["previous"] == {"version": 1, "fetched_at": original["fetched_at"],
                                      "payload_digest": original["payload_digest"],
                                      "warc": original["warc"]}

    def test_new_records_point_at_their_own_new_captures(self, two_runs):
        first, second, _ = two_runs["lines"]
        out = two_runs["out"]
        for article in second[len(first):]:
            pointer = article["warc"]
            with open(out / pointer["file"], "rb") as handle:
                handle.seek(pointer["offset"])
                record = next(ArchiveIterator(handle))
            assert record.rec_type == "response"
            assert record.rec_headers["WARC-Record-ID"] == pointer["record_id"]
            assert record.rec_headers["WARC-Payload-Digest"] == article["payload_digest"]
            assert pointer["file"] not in {a["warc"]["file"] for a in first}

    def test_known_articles_are_not_fetched_again(self, two_runs):
        asked = Counter(r["path"] for r in two_runs["second_requests"])
        unchanged = {a["path"] for a in gazette.articles(1)} - {gazette.EDITED_PATH}
        # All of edition 1 is older than the re-check age: only the edit (its sitemap
        # lastmod is later than the first run) and the new stories are fetched.
        assert not unchanged & set(asked)
        assert asked[gazette.EDITED_PATH] == 1
        for path in gazette.NEW_IN_EDITION_2:
            assert asked[path] == 1
        # Listings, the feed and the sitemap are read again, every run.
        for path in ("/", "/feed.xml", "/sitemap.xml", "/section/fens/"):
            assert asked[path] == 1, path

    def test_unchanged_pages_are_revisit_records_referring_to_the_first_capture(
            self, two_runs):
        out = two_runs["out"]
        first_files = manifest_files(out, 0)
        originals = {r["headers"]["WARC-Record-ID"]: r
                     for r in warc_records(out, first_files) if r["type"] == "response"}
        second = warc_records(out, manifest_files(out, 1))
        revisits = [r for r in second if r["type"] == "revisit"]
        revisited = {path_of(r["uri"]) for r in revisits}
        # The Fens listing, about page and robots.txt did not change in edition 2.
        assert {"/section/fens/", "/about/", "/robots.txt"} <= revisited
        assert "/" not in revisited and "/sitemap.xml" not in revisited  # they changed
        for revisit in revisits:
            headers = revisit["headers"]
            assert headers["WARC-Profile"] == IDENTICAL
            original = originals[headers["WARC-Refers-To"]]
            assert original["uri"] == headers["WARC-Refers-To-Target-URI"] == revisit["uri"]
            assert original["headers"]["WARC-Date"] == headers["WARC-Refers-To-Date"]
            assert original["headers"]["WARC-Payload-Digest"] == \
                headers["WARC-Payload-Digest"]
        # Every request record, revisits' included, is concurrent to the record it asked for.
        ids = {r["headers"]["WARC-Record-ID"] for r in second}
        assert all(r["headers"]["WARC-Concurrent-To"] in ids
                   for r in second if r["type"] == "request")

    def test_third_run_of_an_unchanged_site_writes_no_article(self, two_runs):
        _, second, third = two_runs["lines"]
        assert third == second
        assert not {r["path"] for r in two_runs["third_requests"]} & {
            a["path"] for a in gazette.articles(2)}

    def test_run_reports(self, two_runs):
        out = two_runs["out"]
        counts = [report(out, i)["counts"]["articles"] for i in range(3)]
        assert [(c["new"], c["changed"]) for c in counts] == [(12, 0), (2, 1), (0, 0)]
        second = report(out, 1)
        assert second["exit_status"] == 0 and second["finish_reason"] == "finished"
        assert second["counts"]["skipped"]["known"] >= 11
        assert second["counts"]["identical"] >= 3
        assert {Path(f["path"]).name for f in second["files"]} == manifest_files(out, 1)
        _, run2, _ = two_runs["runs"]
        assert "Articles written:     3 (2 new, 1 changed" in run2.stdout
        assert "not due for a re-check" in run2.stdout

    def test_warc_files_pass_warcio_check_and_index(self, two_runs):
        files = sorted((two_runs["out"] / "warc" / JOB).glob("*.warc.gz"))
        assert len(files) == 3
        check = subprocess.run([str(Path(sys.executable).parent / "warcio"), "check",
                                *map(str, files)], capture_output=True, text=True)
        assert check.returncode == 0, check.stdout[-2000:]
        # Indexers see the revisits, with the digest that finds the original.
        index = subprocess.run([str(Path(sys.executable).parent / "cdxj-indexer"),
                                *map(str, files)], capture_output=True, text=True, check=True)
        entries = [json.loads(line.split(" ", 2)[2]) for line in index.stdout.splitlines()]
        digests = {(e["url"], e["digest"]) for e in entries if e["mime"] != "warc/revisit"}
        revisits = [e for e in entries if e["mime"] == "warc/revisit"]
        assert revisits
        assert all((e["url"], e["digest"]) in digests for e in revisits)


class TestModifiedDates:
    @pytest.mark.parametrize(("lastmod", "expected"), [
        ("2026-11-28T09:30:00+00:00", "2026-11-28T09:30:00+00:00"),
        # A bare date may mean any time that day: its end, so a same-day edit counts.
        ("2026-11-28T00:00:00+00:00", "2026-11-29T00:00:00+00:00"),
        ("2026-11-28T00:00:00+02:00", "2026-11-29T00:00:00+02:00"),
    ])
    def testchanged_at(self, lastmod, expected):
        assert changed_at(datetime.fromisoformat(lastmod)) == \
            datetime.fromisoformat(expected).timestamp()
        assert changed_at(None) is None


class TestRechecks:
    def test_due_articles_are_asked_conditionally_and_304_is_a_revisit(self, tmp_path):
        out = tmp_path / "out"
        recheck = ["-s", "INCREMENTAL_RECHECK_INTERVAL=0",
                   "-s", "INCREMENTAL_RECHECK_MAX_AGE=100000000"]
        with gazette.serve() as site:
            assert crawl(site, out).returncode == 0
            site.reset_requests()
            second = crawl(site, out, *recheck)
            requests = site.requests()
        assert second.returncode == 0, second.stderr[-3000:]
        articles = {a["path"] for a in gazette.articles(1)}
        rechecked = [r for r in requests if r["path"] in articles]
        assert {r["path"] for r in rechecked} == articles
        for request in rechecked:
            assert request["if_none_match"] and request["if_modified_since"]
            assert request["status"] == 304
        # Listings are never asked conditionally: their links must be read again.
        assert all(not r["if_none_match"] for r in requests if r["path"] not in articles)
        revisits = [r for r in warc_records(out, manifest_files(out, 1))
                    if r["type"] == "revisit" and path_of(r["uri"]) in articles]
        assert len(revisits) == len(articles)
        assert {r["headers"]["WARC-Profile"] for r in revisits} == {NOT_MODIFIED}
        assert {r["status"] for r in revisits} == {"304"}
        assert len(article_lines(out)) == len(articles)
        assert report(out)["counts"]["articles"]["unchanged"] == len(articles)

    def test_changed_bytes_with_the_same_article_write_no_record(self, tmp_path):
        # Every render carries a new token and ETag: archived in full, no new version.
        out = tmp_path / "out"
        with gazette.serve(dynamic_chrome=True) as site:
            assert crawl(site, out).returncode == 0
            second = crawl(site, out, "-s", "INCREMENTAL_RECHECK_INTERVAL=0",
                           "-s", "INCREMENTAL_RECHECK_MAX_AGE=100000000")
        assert second.returncode == 0, second.stderr[-3000:]
        assert len(article_lines(out)) == len(gazette.articles(1))
        counts = report(out)["counts"]
        assert counts["articles"]["unchanged"] == len(gazette.articles(1))
        assert counts["articles"]["new"] == counts["articles"]["changed"] == 0
        second_warc = warc_records(out, manifest_files(out, 1))
        full = {path_of(r["uri"]) for r in second_warc if r["type"] == "response"}
        assert {a["path"] for a in gazette.articles(1)} <= full

    def test_without_validators_identical_bytes_are_recognised(self, tmp_path):
        out = tmp_path / "out"
        with gazette.serve(validators=False) as site:
            assert crawl(site, out).returncode == 0
            second = crawl(site, out, "-s", "INCREMENTAL_RECHECK_INTERVAL=0",
                           "-s", "INCREMENTAL_RECHECK_MAX_AGE=100000000")
        assert second.returncode == 0
        revisits = [r for r in warc_records(out, manifest_files(out, 1))
                    if r["type"] == "revisit"]
        paths = {path_of(r["uri"]) for r in revisits}
        assert {a["path"] for a in gazette.articles(1)} <= paths
        assert {r["headers"]["WARC-Profile"] for r in revisits} == {IDENTICAL}
        assert not [r for r in warc_records(out, manifest_files(out, 1))
                    if r["type"] == "response" and path_of(r["uri"]) in paths]


class TestBadSettings:
    @pytest.mark.parametrize(("setting", "message"), [
        ("INCREMENTAL_RECHECK_MAX_AGE=-5", "INCREMENTAL_RECHECK_MAX_AGE='-5': must be 0 or more"),
        ("INCREMENTAL_RECHECK_INTERVAL=nan", "INCREMENTAL_RECHECK_INTERVAL expects a number"),
        ("INCREMENTAL_RECHECK_BACKOFF=0.5", "INCREMENTAL_RECHECK_BACKOFF='0.5': must be 1"),
        ("INCREMENTAL_ENABLED=perhaps", "INCREMENTAL_ENABLED"),
    ])
    def test_one_line_and_nothing_written(self, tmp_path, setting, message):
        result = run_cli("crawl", "--seed", "http://127.0.0.1:9/", "--out", str(tmp_path / "o"),
                         "-s", setting)
        assert result.returncode == 2
        [line] = result.stderr.strip().splitlines()
        assert message in line
        assert not (tmp_path / "o").exists()


class TestDamagedState:
    def test_a_state_file_that_is_not_a_database_is_one_line(self, tmp_path):
        out = tmp_path / "out"
        (out / "state").mkdir(parents=True)
        (out / "state" / f"{JOB}.sqlite").write_bytes(b"not a database " * 400)
        with gazette.serve() as site:
            result = crawl(site, out)
            assert site.requests() == []
        assert result.returncode == 2
        [line] = result.stderr.strip().splitlines()
        assert "file is not a database" in line and "move the file away" in line
        assert not (out / "warc").exists() and not (out / "manifests").exists()


class TestCappedRuns:
    def test_a_capped_run_is_continued_by_the_next(self, tmp_path):
        out = tmp_path / "out"
        with gazette.serve(extra_articles=30) as site:
            first = crawl(site, out, "--max-pages", "15")
            second = crawl(site, out)
        assert first.returncode == 0 and second.returncode == 0, second.stderr[-3000:]
        first_report, second_report = report(out, 0), report(out, 1)
        assert first_report["finish_reason"] == "closespider_pagecount"
        assert second_report["counts"]["carried_over"] > 0
        lines = article_lines(out)
        urls = Counter(path_of(a["canonical_url"]) for a in lines)
        assert set(urls) == {a["path"] for a in site.articles()}
        assert max(urls.values()) == 1
        # The cap left most of the site to the second run.
        assert first_report["counts"]["articles"]["new"] < len(urls) / 2
