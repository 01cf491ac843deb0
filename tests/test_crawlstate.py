"""The job's incremental state: pages and their validators, the frontier, runs and the
recrawl policy.

The state's interface tests run against both backends: SQLite (archive.state.crawlstate)
and Redis (archive.state.redisstate, on the real server of tests/redisserver.py); the
fixtures are in tests/statefixtures.py.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from archive.errors import StateError
from archive.state.crawlstate import MAX_FRONTIER_ATTEMPTS, CrawlState
from archive.state.recrawl import DAY, RecrawlPolicy
from archive.warc.exchange import RecordLocation
from tests.statefixtures import HOUR, location


class TestPages:
    def test_full_capture_is_what_a_revisit_refers_to(self, state):
        state.record_fetch("k", "http://n.example/a", status=200, payload_digest="sha1:AAAA",
                           etag='"v1"', last_modified="Sat, 28 Nov 2026 10:00:00 GMT",
                           location=location(), warc_date="2026-11-28T12:00:00.000000Z")
        page = state.page("k")
        assert page.etag == '"v1"' and page.last_modified.endswith("GMT")
        assert page.capture.record_id == "<urn:uuid:100>"
        assert page.capture.payload_digest == "sha1:AAAA"
        assert page.capture.warc_date == "2026-11-28T12:00:00.000000Z"

    def test_revisit_keeps_the_original_capture(self, state):
        state.record_fetch("k", "http://n.example/a", status=200, payload_digest="sha1:AAAA",
                           etag='"v1"', last_modified=None, location=location(),
                           warc_date="d1")
        state.record_fetch("k", "http://n.example/a", status=304, payload_digest=None,
                           etag='"v1"', last_modified=None, location=None, warc_date=None)
        page = state.page("k")
        assert page.status == 304
        assert page.capture.record_id == "<urn:uuid:100>"

    def test_unknown_page(self, state):
        assert state.page("nope") is None

    def test_captures_cut_by_recovery_are_forgotten(self, state):
        for key, offset in (("a", 100), ("b", 900)):
            state.record_fetch(key, f"http://n.example/{key}", status=200,
                               payload_digest="sha1:AAAA", etag='"e"', last_modified=None,
                               location=location(offset), warc_date="d")
        assert state.forget_captures_beyond("warc/job/a.warc.gz", 500) == 1
        assert state.page("a").capture is not None
        assert state.page("b").capture is None and state.page("b").etag is None

    def test_a_revisit_updates_validators_it_has_and_keeps_the_others(self, state):
        state.record_fetch("k", "http://n.example/a", status=200, payload_digest="sha1:AAAA",
                           etag='"v1"', last_modified="Sat, 28 Nov 2026 10:00:00 GMT",
                           location=location(), warc_date="d1")
        state.record_fetch("k", "http://n.example/a?b=1", status=304, payload_digest=None,
                           etag='"v2"', last_modified=None, location=None, warc_date=None)
        page = state.page("k")
        assert (page.url, page.status, page.etag) == ("http://n.example/a?b=1", 304, '"v2"')
        assert page.last_modified == "Sat, 28 Nov 2026 10:00:00 GMT"
        assert page.payload_digest == "sha1:AAAA"

    def test_a_new_capture_replaces_the_validators_even_with_none(self, state):
        state.record_fetch("k", "http://n.example/a", status=200, payload_digest="sha1:AAAA",
                           etag='"v1"', last_modified="Sat, 28 Nov 2026 10:00:00 GMT",
                           location=location(), warc_date="d1")
        state.record_fetch("k", "http://n.example/a", status=200, payload_digest="sha1:BBBB",
                           etag=None, last_modified=None,
                           location=location(70, "warc/job/b.warc.gz"), warc_date="d2")
        page = state.page("k")
        assert page.etag is None and page.last_modified is None
        assert page.capture.location == RecordLocation(
            file="warc/job/b.warc.gz", offset=70, length=50, record_id="<urn:uuid:70>",
            payload_digest="sha1:BBBB", warc_date="d2")
        assert page.capture.url == "http://n.example/a" and page.capture.warc_date == "d2"

    def test_a_capture_moved_to_another_file_is_not_forgotten_with_the_old_one(self, state):
        state.record_fetch("k", "http://n.example/a", status=200, payload_digest="sha1:A",
                           etag=None, last_modified=None, location=location(), warc_date="d")
        state.record_fetch("k", "http://n.example/a", status=200, payload_digest="sha1:A",
                           etag=None, last_modified=None,
                           location=location(100, "warc/job/b.warc.gz"), warc_date="d")
        assert state.forget_captures_beyond("warc/job/a.warc.gz", 0) == 0
        assert state.page("k").capture.location.file == "warc/job/b.warc.gz"
        assert state.forget_captures_beyond("warc/job/b.warc.gz", 150) == 0  # ends at 150
        assert state.forget_captures_beyond("warc/job/b.warc.gz", 149) == 1
        assert state.forget_captures_beyond("warc/job/b.warc.gz", 0) == 0  # already gone

    def test_a_forgotten_capture_keeps_the_page_and_its_article(self, state):
        state.record_fetch("k", "http://n.example/a", status=200, payload_digest="sha1:A",
                           etag='"e"', last_modified=None, location=location(), warc_date="d")
        state.link_article("k", "http://n.example/a")
        assert state.forget_captures_beyond("warc/job/a.warc.gz", 0) == 1
        page = state.page("k")
        assert (page.status, page.payload_digest, page.capture) == (200, None, None)
        assert page.article_key == "http://n.example/a"

    def test_text_of_any_kind_survives(self, state):
        url = 'http://n.example/ä/"q"\\/\t?x=1&y=é'
        etag = 'W/"\\x\u2028\x01"'
        state.record_fetch(url, url + "#frag", status=200, payload_digest="sha1:A", etag=etag,
                           last_modified=None, location=location(), warc_date="d")
        state.link_article(url, url)
        page = state.page(url)
        assert (page.url, page.etag, page.article_key) == (url + "#frag", etag, url)
        state.add_pending(url, url, "Zürich „news“")
        assert [(p.url, p.source) for p in state.take_pending()] == [(url, "Zürich „news“")]

    def test_linking_an_unknown_page_does_nothing(self, state):
        state.link_article("nope", "http://n.example/a")
        assert state.page("nope") is None

    def test_state_survives_reopening(self, open_state):
        first = open_state()
        first.record_fetch("k", "http://n.example/a", status=200, payload_digest="sha1:A",
                           etag=None, last_modified=None, location=location(), warc_date="d")
        open_state.close(first)
        assert open_state().page("k").capture is not None

    def test_a_schema_1_state_is_upgraded_keeping_its_frontier(self, tmp_path):
        import sqlite3
        db = sqlite3.connect(tmp_path / "job.sqlite")
        db.executescript("""CREATE TABLE frontier (url_key TEXT PRIMARY KEY, url TEXT NOT NULL,
                            source TEXT, added REAL NOT NULL,
                            attempts INTEGER NOT NULL DEFAULT 0);
                            INSERT INTO frontier VALUES ('a', 'http://n.example/a', 'n', 1, 0);
                            PRAGMA user_version=1;""")
        db.close()
        state = CrawlState.for_job(tmp_path, "job")
        state.add_pending("b", "http://n.example/b.css", "n", requisite='{"kind": "css"}')
        assert [(p.url, p.requisite) for p in state.take_pending()] == [
            ("http://n.example/a", None), ("http://n.example/b.css", '{"kind": "css"}')]
        state.close()
        assert CrawlState.for_job(tmp_path, "job").pending_count() == 2  # opened again

    def test_newer_schema_is_refused_with_a_fix(self, tmp_path):
        CrawlState.for_job(tmp_path, "job").close()
        import sqlite3
        db = sqlite3.connect(tmp_path / "job.sqlite")
        db.execute("PRAGMA user_version=99")
        db.commit()
        db.close()
        with pytest.raises(StateError, match="newer newsarchive"):
            CrawlState.for_job(tmp_path, "job")

    def test_not_a_database(self, tmp_path):
        (tmp_path / "job.sqlite").write_bytes(b"this is not sqlite" * 100)
        with pytest.raises(StateError, match="move the file away"):
            CrawlState.for_job(tmp_path, "job")


class TestFrontier:
    def test_pending_until_fetched(self, state):
        state.add_pending("a", "http://n.example/a", "n")
        state.add_pending("b", "http://n.example/b", None)
        state.fetched("a")
        assert [(p.url, p.source, p.attempts) for p in state.take_pending()] == [
            ("http://n.example/b", None, 1)]

    def test_given_up_after_repeated_runs(self, state):
        state.add_pending("a", "http://n.example/a", "n")
        for attempt in range(1, MAX_FRONTIER_ATTEMPTS + 1):
            assert [p.attempts for p in state.take_pending()] == [attempt]
        assert state.take_pending() == []

    def test_oldest_first_and_asked_for_once(self, state, clock):
        state.add_pending("b", "http://n.example/b", "n")
        clock.now += 1
        state.add_pending("a", "http://n.example/a", "n")
        state.add_pending("b", "http://n.example/b2", "other")  # already listed
        assert state.pending_count() == 2
        assert [(p.url, p.source) for p in state.take_pending()] == [
            ("http://n.example/b", "n"), ("http://n.example/a", "n")]

    def test_cleared_after_a_finished_run(self, state):
        state.add_pending("a", "http://n.example/a", "n")
        state.clear_pending()
        assert state.pending_count() == 0

    def test_a_finished_run_keeps_the_sources_it_did_not_take_up(self, state):
        state.add_pending("a", "http://n.example/a", "n")
        state.add_pending("w", "http://weekly.example/w", "weekly")
        state.add_pending("r", "http://cdn.example/r.css", None, requisite="{}")
        state.clear_pending(keep_sources={"weekly"})
        assert [(p.url, p.source) for p in state.take_pending()] == [
            ("http://weekly.example/w", "weekly")]


class TestRuns:
    def test_a_run_that_never_finished_is_reported(self, state):
        assert state.begin_run("r1", "2026-11-28T10:00:00", 1) == []
        assert state.begin_run("r2", "2026-11-28T11:00:00", 2) == ["r1"]  # r1 was killed
        state.end_run("r2", "2026-11-28T11:05:00", "finished")
        assert state.begin_run("r3", "2026-11-28T12:00:00", 3) == []

    def test_finished_and_stopped_runs_are_not_reported(self, state):
        state.begin_run("r1", "2026-11-28T10:00:00", 1)
        state.end_run("r1", "2026-11-28T10:05:00", "closespider_pagecount")
        state.begin_run("r2", "2026-11-28T11:00:00", 2)
        state.begin_run("r3", "2026-11-28T12:00:00", 3)  # r2 killed
        state.begin_run("r4", "2026-11-28T13:00:00", 4)  # r3 killed
        assert state.begin_run("r5", "2026-11-28T14:00:00", 5) == ["r4"]

    def test_ending_an_unknown_run_does_nothing(self, state):
        state.begin_run("r1", "2026-11-28T10:00:00", 1)
        state.end_run("nope", "2026-11-28T10:05:00", "finished")  # not a run: nothing
        state.begin_run("r2", "2026-11-28T11:00:00", 2)  # r1 killed
        assert state.begin_run("r3", "2026-11-28T12:00:00", 3) == ["r2"]

    def test_uncommitted_writes_are_lost_but_committed_ones_survive_a_kill(self, tmp_path):
        script = f"""
import os, signal
from archive.state.crawlstate import CrawlState
s = CrawlState.for_job({str(tmp_path)!r}, "job", commit_interval=3600)
s.add_pending("committed", "http://n.example/c", "n")
s.commit()
s.add_pending("lost", "http://n.example/l", "n")
os.kill(os.getpid(), signal.SIGKILL)
"""
        subprocess.run([sys.executable, "-c", script], check=False)
        state = CrawlState.for_job(tmp_path, "job")
        assert [p.url for p in state.take_pending()] == ["http://n.example/c"]
        state.close()


class TestPolicy:
    policy = RecrawlPolicy(max_age=3 * DAY, interval=HOUR, backoff=2.0, max_interval=6 * HOUR)

    @pytest.mark.parametrize(("checks", "wait"), [(0, 1), (1, 2), (2, 4), (3, 6), (50, 6),
                                                  (10_000, 6)])
    def test_wait_grows_and_is_capped(self, checks, wait):
        assert self.policy.due_at(born=0, last_checked=0, unchanged_checks=checks) == wait * HOUR

    def test_old_articles_are_not_rechecked(self):
        assert self.policy.due_at(born=0, last_checked=3 * DAY - HOUR / 2,
                                  unchanged_checks=0) is None

    def test_zero_max_age_turns_rechecks_off(self):
        assert RecrawlPolicy(max_age=0).due_at(born=0, last_checked=0,
                                               unchanged_checks=0) is None
