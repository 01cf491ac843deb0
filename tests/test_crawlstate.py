"""The job's incremental state, the recrawl policy and the job lock.

The state's interface tests run against both backends: SQLite (archive.state.crawlstate)
and Redis (archive.state.redisstate, on the real server of tests/redisserver.py).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from archive.errors import JobBusyError, StateError
from archive.state.crawlstate import MAX_FRONTIER_ATTEMPTS, CrawlState
from archive.state.joblock import JobLock
from archive.state.recrawl import DAY, RecrawlPolicy
from archive.state.redisconn import connect
from archive.state.redisstate import RedisCrawlState
from archive.warc.exchange import RecordLocation

HOUR = 3600.0


class Clock:
    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    return Clock()


class StateOpener:
    """Opens one job's state in one backend; each call is a new handle on the same state,
    as a later run (SQLite) or another worker (Redis) would open it."""

    def __init__(self, tmp_path, clock, redis_url: str | None) -> None:
        self.tmp_path, self.clock, self.redis_url = tmp_path, clock, redis_url
        self.handles: list = []
        self.clients: list = []

    def __call__(self) -> CrawlState | RedisCrawlState:
        if self.redis_url is None:
            handle = CrawlState.for_job(self.tmp_path / "state", "job", clock=self.clock)
        else:
            self.clients.append(connect(self.redis_url))
            handle = RedisCrawlState(self.clients[-1], "job", clock=self.clock)
        self.handles.append(handle)
        return handle

    def close(self, handle) -> None:
        self.handles.remove(handle)
        handle.close()

    def close_all(self) -> None:
        while self.handles:
            self.close(self.handles[-1])
        for client in self.clients:
            client.close()


@pytest.fixture(params=["sqlite", pytest.param("redis", marks=pytest.mark.redis)])
def open_state(request, tmp_path, clock):
    redis_url = request.getfixturevalue("redis_url") if request.param == "redis" else None
    opener = StateOpener(tmp_path, clock, redis_url)
    yield opener
    opener.close_all()


@pytest.fixture
def state(open_state):
    return open_state()


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


    def test_a_new_version_resets_the_checks_and_keeps_a_known_publication(self, state, clock):
        clock.now = 1_800_000_000.123456  # sub-second timestamps come back exactly
        state.record_version("k", article(canonical_url="http://n.example/c"),
                             content_digest="c1", published=1_799_990_000.654321)
        state.article_unchanged("k")
        state.article_unchanged("k")
        known = state.article("k")
        assert known.unchanged_checks == 2 and known.last_checked == clock.now
        assert known.canonical_url == "http://n.example/c" and known.source == "n"
        clock.now += 0.5
        state.record_version("k", article(2, "Edited", canonical_url=None), content_digest="c2",
                             published=None)
        known = state.article("k")
        assert known.unchanged_checks == 0 and known.version == 2
        assert known.canonical_url == "http://n.example/a?x"  # falls back to the url
        assert known.published == 1_799_990_000.654321  # not said again: kept
        assert known.first_seen == 1_800_000_000.123456
        assert known.last_checked == 1_800_000_000.623456
        assert isinstance(known.first_seen, float) and isinstance(known.published, float)

    def test_an_unknown_article_found_unchanged_stays_unknown(self, state):
        state.article_unchanged("nope")
        assert state.article("nope") is None and state.article_at("nope") is None

    def test_due_articles_longest_waiting_first(self, state, clock):
        policy = RecrawlPolicy(max_age=3 * DAY, interval=HOUR, backoff=2, max_interval=DAY)
        for key in ("first", "second", "third"):
            state.record_version(key, article(canonical_url=key), content_digest="c",
                                 published=None)
            clock.now += 60
        state.article_unchanged("first")  # checked last now, and waits two hours
        clock.now += 2 * HOUR
        assert [a.key for a in state.due_articles(clock.now, policy)] == [
            "second", "third", "first"]
        assert [a.key for a in state.due_articles(clock.now - HOUR, policy)] == [
            "second", "third"]

    def test_articles_without_warc_or_digest(self, state):
        state.record_version("k", {"url": "http://n.example/k"}, content_digest="c",
                             published=None)
        known = state.article("k")
        assert (known.warc, known.payload_digest, known.source, known.fetched_at) == (
            None, None, None, None)
        assert known.pointer() == {"version": 1, "fetched_at": None, "payload_digest": None,
                                   "warc": None}


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


class TestJobLock:
    def test_second_holder_is_told_who_runs(self, tmp_path):
        holder = subprocess.Popen(
            [sys.executable, "-c", f"""
import sys, time
from archive.state.joblock import JobLock
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
from archive.state.joblock import JobLock
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
