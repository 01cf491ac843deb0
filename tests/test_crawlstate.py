"""The job's incremental state (archive.crawlstate), the recrawl policy and the job lock."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from archive.crawlstate import MAX_FRONTIER_ATTEMPTS, CrawlState
from archive.errors import JobBusyError, StateError
from archive.exchange import RecordLocation
from archive.joblock import JobLock
from archive.recrawl import DAY, RecrawlPolicy

HOUR = 3600.0


class Clock:
    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def state(tmp_path, clock):
    s = CrawlState.for_job(tmp_path / "state", "job", clock=clock)
    yield s
    s.close()


def location(offset: int = 100, file: str = "warc/job/a.warc.gz") -> RecordLocation:
    return RecordLocation(file=file, offset=offset, length=50, record_id=f"<urn:uuid:{offset}>",
                          payload_digest="sha1:AAAA", warc_date="2026-11-28T12:00:00.000000Z")


def article(version: int = 1, text: str = "Body", **more) -> dict:
    return {"url": "http://n.example/a?x", "canonical_url": "http://n.example/a",
            "source": "n", "version": version, "title": "T", "text": text, "authors": [],
            "published": None, "fetched_at": "2026-11-28T12:00:00+00:00",
            "payload_digest": "sha1:AAAA", "warc": location().as_dict(), **more}


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

    def test_state_survives_reopening(self, tmp_path, clock):
        first = CrawlState.for_job(tmp_path, "job", clock=clock)
        first.record_fetch("k", "http://n.example/a", status=200, payload_digest="sha1:A",
                           etag=None, last_modified=None, location=location(), warc_date="d")
        first.close()
        second = CrawlState.for_job(tmp_path, "job", clock=clock)
        assert second.page("k").capture is not None
        second.close()

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


class TestArticles:
    def test_versions_and_pointer(self, state, clock):
        state.record_version("http://n.example/a", article(), content_digest="c1",
                             published=None)
        known = state.article("http://n.example/a")
        assert known.version == 1 and known.content_digest == "c1"
        assert known.pointer() == {"version": 1, "fetched_at": "2026-11-28T12:00:00+00:00",
                                   "payload_digest": "sha1:AAAA", "warc": location().as_dict()}
        clock.now += HOUR
        state.record_version("http://n.example/a", article(2, "Edited"), content_digest="c2",
                             published=None)
        known = state.article("http://n.example/a")
        assert known.version == 2 and known.content_digest == "c2"
        assert known.first_seen == clock.now - HOUR  # kept from version 1

    def test_article_found_through_the_page_that_holds_it(self, state):
        state.record_fetch("http://n.example/amp", "http://n.example/amp", status=200,
                           payload_digest="sha1:A", etag=None, last_modified=None,
                           location=location(), warc_date="d")
        state.record_version("http://n.example/a", article(), content_digest="c",
                             published=None)
        assert state.article_at("http://n.example/amp") is None
        state.link_article("http://n.example/amp", "http://n.example/a")
        assert state.article_at("http://n.example/amp").key == "http://n.example/a"
        assert state.article_at("http://n.example/a").key == "http://n.example/a"

    def test_due_articles_follow_the_policy(self, state, clock):
        policy = RecrawlPolicy(max_age=3 * DAY, interval=HOUR, backoff=2, max_interval=DAY)
        young, old = clock.now - HOUR, clock.now - 10 * DAY
        state.record_version("young", article(canonical_url="young"), content_digest="c",
                             published=young)
        state.record_version("old", article(canonical_url="old"), content_digest="c",
                             published=old)
        assert state.due_articles(clock.now, policy) == []  # just checked
        clock.now += HOUR
        assert [a.key for a in state.due_articles(clock.now, policy)] == ["young"]
        state.article_unchanged("young")  # found as it was: the wait doubles
        clock.now += HOUR
        assert state.due_articles(clock.now, policy) == []
        clock.now += HOUR
        assert [a.key for a in state.due_articles(clock.now, policy)] == ["young"]
        # A changed policy applies at once, to every article.
        assert state.due_articles(clock.now, RecrawlPolicy(max_age=0)) == []

    def test_modified_date_after_last_check_makes_any_article_due(self, state, clock):
        state.record_version("old", article(), content_digest="c", published=clock.now - 99 * DAY)
        known = state.article("old")
        policy = RecrawlPolicy()
        assert not known.is_due(clock.now, policy)
        assert not known.is_due(clock.now, policy, modified=clock.now - 1)
        assert known.is_due(clock.now, policy, modified=clock.now + 1)


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

    def test_cleared_after_a_finished_run(self, state):
        state.add_pending("a", "http://n.example/a", "n")
        state.clear_pending()
        assert state.pending_count() == 0


class TestRuns:
    def test_a_run_that_never_finished_is_reported(self, state):
        assert state.begin_run("r1", "2026-11-28T10:00:00", 1) == []
        assert state.begin_run("r2", "2026-11-28T11:00:00", 2) == ["r1"]  # r1 was killed
        state.end_run("r2", "2026-11-28T11:05:00", "finished")
        assert state.begin_run("r3", "2026-11-28T12:00:00", 3) == []

    def test_uncommitted_writes_are_lost_but_committed_ones_survive_a_kill(self, tmp_path):
        script = f"""
import os, signal
from archive.crawlstate import CrawlState
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


class TestJobLock:
    def test_second_holder_is_told_who_runs(self, tmp_path):
        holder = subprocess.Popen(
            [sys.executable, "-c", f"""
import sys, time
from archive.joblock import JobLock
JobLock({str(tmp_path)!r}, "job").acquire()
print("locked", flush=True)
time.sleep(60)
"""], stdout=subprocess.PIPE, text=True)
        try:
            assert holder.stdout.readline().strip() == "locked"
            with pytest.raises(JobBusyError) as caught:
                JobLock(tmp_path, "job").acquire()
            message = str(caught.value)
            assert f"process {holder.pid}" in message and f"kill {holder.pid}" in message
            assert "\n" not in message
        finally:
            holder.kill()
            holder.wait()
            holder.stdout.close()
        # The kernel dropped the dead holder's lock: taken over, and said so.
        lock = JobLock(tmp_path, "job").acquire()
        assert lock.previous_holder["pid"] == holder.pid
        lock.release()

    def test_released_lock_leaves_no_holder(self, tmp_path):
        JobLock(tmp_path, "job").acquire().release()
        lock = JobLock(tmp_path, "job").acquire()
        assert lock.previous_holder is None
        info = json.loads((tmp_path / "job.lock").read_text())
        assert info["pid"] == os.getpid()
        lock.release()

    def test_other_jobs_are_independent(self, tmp_path):
        with JobLock(tmp_path, "one"), JobLock(tmp_path, "two"):
            pass

    def test_same_process_may_take_its_own_lock_again(self, tmp_path):
        outer = JobLock(tmp_path, "job").acquire()
        inner = JobLock(tmp_path, "job").acquire()
        inner.release()  # the outer holder keeps it
        script = f"""
from archive.joblock import JobLock
from archive.errors import JobBusyError
try:
    JobLock({str(tmp_path)!r}, "job").acquire()
except JobBusyError:
    print("busy")
"""
        out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
        assert out.stdout.strip() == "busy"
        outer.release()
        out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
        assert out.stdout.strip() == ""
