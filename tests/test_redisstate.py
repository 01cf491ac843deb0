"""The job state in Redis (archive.state.redisstate): what only a shared state has to get right.

Its interface is tested with SQLite's in tests/test_crawlstate.py; here, many workers
on one job, many jobs on one server, a server that is gone, and the key layout.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from archive.errors import StateError
from archive.state import redisstate
from archive.state.crawlstate import CrawlState
from archive.state.recrawl import DAY, RecrawlPolicy
from archive.state.redisconn import connect
from archive.state.redisstate import RedisCrawlState
from archive.warc.exchange import RecordLocation
from tests.redisserver import RedisServer, _free_port

NOW = 1_800_000_000.0
THREADS = 8
# redis-py retries a failed call 10 times with backoff; a test of failures need not wait.
NO_RETRY = Retry(NoBackoff(), 0)


def location(offset: int = 100, file: str = "warc/job/a.warc.gz") -> RecordLocation:
    return RecordLocation(file=file, offset=offset, length=50, record_id=f"<urn:uuid:{offset}>",
                          payload_digest="sha1:AAAA", warc_date="2026-11-28T12:00:00.000000Z")


def record(key: str, version: int = 1) -> dict:
    return {"url": key, "canonical_url": key, "source": "n", "version": version,
            "fetched_at": "2026-11-28T12:00:00+00:00", "payload_digest": "sha1:AAAA",
            "warc": location().as_dict()}


@pytest.fixture
def workers(redis_url):
    """Opens a worker's state of a job: its own client, as another process would have."""
    clients = []

    def open_(job: str = "job", **kwargs) -> RedisCrawlState:
        clients.append(connect(redis_url))
        return RedisCrawlState(clients[-1], job, **kwargs)

    yield open_
    for client in clients:
        client.close()


def in_threads(*calls) -> list:
    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return [future.result() for future in [pool.submit(call) for call in calls]]


@pytest.mark.redis
class TestSharing:
    def test_workers_of_one_job_see_each_others_writes(self, workers):
        one, two = workers(), workers()
        one.record_fetch("k", "http://n.example/k", status=200, payload_digest="sha1:A",
                         etag='"e"', last_modified=None, location=location(), warc_date="d")
        two.link_article("k", "art")
        two.record_version("art", record("art"), content_digest="c", published=None)
        one.add_pending("p", "http://n.example/p", "n")
        assert two.page("k").capture.record_id == "<urn:uuid:100>"
        assert one.page("k").article_key == "art"
        assert one.article_at("k").key == "art"
        assert two.pending_count() == 1
        two.fetched("p")
        assert one.pending_count() == 0

    def test_jobs_on_one_server_are_apart(self, workers):
        one, two = workers("one"), workers("two")
        one.record_fetch("k", "http://n.example/k", status=200, payload_digest="sha1:A",
                         etag=None, last_modified=None, location=location(), warc_date="d")
        one.record_version("k", record("k"), content_digest="c", published=None)
        one.add_pending("p", "http://n.example/p", "n")
        assert one.begin_run("r1", "2026-11-28T10:00:00", 1) == []
        assert two.page("k") is None and two.article_at("k") is None
        assert two.pending_count() == 0 and two.take_pending() == []
        assert two.due_articles(NOW + DAY, RecrawlPolicy()) == []
        assert two.forget_captures_beyond("warc/job/a.warc.gz", 0) == 0
        assert two.begin_run("r2", "2026-11-28T11:00:00", 2) == []  # r1 is not two's
        assert one.page("k").capture is not None and one.pending_count() == 1

    def test_closing_leaves_a_given_client_open(self, redis_url):
        client = connect(redis_url)
        state = RedisCrawlState(client, "job")
        state.add_pending("p", "http://n.example/p", "n")
        state.commit()
        state.close()
        assert client.ping() and RedisCrawlState(client, "job").pending_count() == 1
        client.close()


@pytest.mark.redis
class TestConcurrentWorkers:
    def test_unchanged_checks_are_all_counted(self, workers):
        workers().record_version("art", record("art"), content_digest="c", published=None)

        def check() -> None:
            state = workers()
            for _ in range(50):
                state.article_unchanged("art")

        in_threads(*[check] * THREADS)
        assert workers().article("art").unchanged_checks == THREADS * 50

    def test_captures_links_and_revisits_of_the_same_pages_are_all_kept(self, workers):
        keys = [f"http://n.example/{n}" for n in range(200)]
        setup = workers()
        for n, key in enumerate(keys):
            setup.record_fetch(key, key, status=200, payload_digest="sha1:A", etag='"v1"',
                               last_modified=None, location=location(n * 50), warc_date="d")

        def link() -> None:
            state = workers()
            for key in keys:
                state.link_article(key, "art")

        def revisit() -> None:
            state = workers()
            for key in keys:
                state.record_fetch(key, key, status=304, payload_digest=None, etag='"v2"',
                                   last_modified="Sat, 28 Nov 2026 10:00:00 GMT",
                                   location=None, warc_date=None)

        def capture() -> None:
            state = workers()
            for n, key in enumerate(keys):
                state.record_fetch(key, key, status=200, payload_digest="sha1:B", etag=None,
                                   last_modified=None,
                                   location=location(n * 50, "warc/job/b.warc.gz"),
                                   warc_date="d2")

        in_threads(link, revisit, capture)
        state = workers()
        for key in keys:
            page = state.page(key)
            assert page.article_key == "art"
            assert page.capture.location.file == "warc/job/b.warc.gz"
            assert page.payload_digest == "sha1:B"
        # The index of captures by file moved with them.
        assert state.forget_captures_beyond("warc/job/a.warc.gz", 0) == 0
        assert state.forget_captures_beyond("warc/job/b.warc.gz", 0) == len(keys)
        assert state.client.keys(state.prefix + "captures:*") == []  # nothing left to list

    def test_each_worker_taking_the_frontier_counts_an_attempt(self, workers):
        workers().add_pending("p", "http://n.example/p", "n")
        taken = in_threads(*[lambda: workers().take_pending()] * 5)
        attempts = sorted(p.attempts for pending in taken for p in pending)
        assert attempts == [1, 2, 3]  # and then dropped, once, by whoever came fourth
        assert workers().pending_count() == 0

    def test_a_new_version_is_not_lost_to_checks_of_the_old_one(self, workers):
        keys = [f"art{n}" for n in range(100)]
        setup = workers(clock=lambda: NOW)
        for key in keys:
            setup.record_version(key, record(key), content_digest="c1", published=NOW - DAY)

        def check() -> None:
            state = workers(clock=lambda: NOW + 60)
            for _ in range(3):
                for key in keys:
                    state.article_unchanged(key)

        def edit() -> None:
            state = workers(clock=lambda: NOW + 120)
            for key in keys:
                state.record_version(key, record(key, 2), content_digest="c2", published=None)

        in_threads(check, edit)
        state = workers()
        for key in keys:
            known = state.article(key)
            assert (known.version, known.content_digest) == (2, "c2")
            assert known.unchanged_checks <= 3
            assert (known.first_seen, known.published) == (NOW, NOW - DAY)
        born = state.client.zrange(state.prefix + "born", 0, -1, withscores=True)
        assert sorted(born) == sorted((key.encode(), NOW - DAY) for key in keys)


@pytest.mark.redis
class TestRuns:
    def test_every_worker_begins_the_same_run(self, workers):
        one, two = workers(), workers()
        assert one.begin_run("r1", "2026-11-28T10:00:00", 11) == []
        assert two.begin_run("r1", "2026-11-28T10:00:02", 22) == []  # not killed by itself
        assert one.begin_run("r1", "2026-11-28T10:00:03", 11) == []
        run = json.loads(one.client.hget(one.prefix + "runs", "r1"))
        assert run["started"] == "2026-11-28T10:00:00"  # its first worker's start
        assert two.begin_run("r2", "2026-11-28T11:00:00", 33) == ["r1"]

    def test_a_run_all_workers_ended_is_not_reported(self, workers):
        one, two = workers(), workers()
        one.begin_run("r1", "2026-11-28T10:00:00", 11)
        two.begin_run("r1", "2026-11-28T10:00:01", 22)
        one.end_run("r1", "2026-11-28T10:30:00", "finished")
        two.end_run("r1", "2026-11-28T10:31:00", "finished")
        assert one.begin_run("r2", "2026-11-28T11:00:00", 11) == []

    def test_workers_beginning_at_once_report_a_killed_run_once(self, workers):
        workers().begin_run("r0", "2026-11-28T09:00:00", 1)
        reports = in_threads(*[lambda n=n: workers().begin_run("r1", f"2026-11-28T10:00:0{n}",
                                                               n)
                               for n in range(THREADS)])
        assert sorted(reports, key=len) == [[]] * (THREADS - 1) + [["r0"]]
        assert workers().begin_run("r2", "2026-11-28T11:00:00", 2) == ["r1"]


class TestErrors:
    def test_a_server_nobody_listens_on(self):
        port = _free_port()
        client = redis.Redis(host="127.0.0.1", port=port, socket_connect_timeout=2,
                             retry=NO_RETRY)
        with pytest.raises(StateError) as caught:
            RedisCrawlState(client, "job")
        message = str(caught.value)
        assert f"redis://127.0.0.1:{port}/0" in message and "redis-server runs" in message
        assert "\n" not in message
        client.close()

    @pytest.mark.redis
    def test_a_server_that_went_away_fails_every_call_with_state_error(self, tmp_path):
        server = RedisServer(tmp_path)
        client = redis.Redis(host="127.0.0.1", port=server.port, socket_connect_timeout=2,
                             socket_timeout=2, retry=NO_RETRY)
        state = RedisCrawlState(client, "job")
        server.stop()
        calls = [
            lambda: state.begin_run("r", "2026-11-28T10:00:00", 1),
            lambda: state.end_run("r", "2026-11-28T10:00:00", "finished"),
            lambda: state.page("k"),
            lambda: state.record_fetch("k", "u", status=200, payload_digest=None, etag=None,
                                       last_modified=None, location=location(),
                                       warc_date=None),
            lambda: state.link_article("k", "a"),
            lambda: state.forget_captures_beyond("f", 0),
            lambda: state.article("k"),
            lambda: state.article_at("k"),
            lambda: state.record_version("k", record("k"), content_digest="c",
                                         published=None),
            lambda: state.article_unchanged("k"),
            lambda: state.due_articles(NOW, RecrawlPolicy()),
            lambda: state.add_pending("k", "u", None),
            lambda: state.fetched("k"),
            lambda: state.take_pending(),
            lambda: state.clear_pending(),
            lambda: state.pending_count(),
        ]
        for call in calls:
            with pytest.raises(StateError, match=r"cannot (read|update) the job state in "
                                                 r"Redis at redis://127\.0\.0\.1:"):
                call()
        state.commit()  # nothing to send
        state.close()
        client.close()

    @pytest.mark.redis
    def test_a_damaged_entry(self, workers):
        state = workers()
        state.client.hset(state.prefix + "pages", "k", "not json")
        with pytest.raises(StateError, match="damaged entry"):
            state.page("k")
        with pytest.raises(StateError, match="Redis answered"):  # the script cannot decode
            state.link_article("k", "a")

    @pytest.mark.redis
    def test_keys_of_another_type(self, workers):
        state = workers()
        state.client.set(state.prefix + "frontier", "mine")
        with pytest.raises(StateError, match=r"WRONGTYPE.*nothing else writes these keys"):
            state.add_pending("k", "u", None)

    @pytest.mark.redis
    def test_a_newer_layout_is_refused(self, workers):
        state = workers()
        state.client.set(state.prefix + "version", 99)
        with pytest.raises(StateError, match="newer newsarchive"):
            workers()


@pytest.mark.redis
class TestLayout:
    @pytest.mark.parametrize("prefix", ["newsarchive", "test-na"])
    def test_every_key_is_under_the_jobs_prefix(self, workers, prefix):
        state = workers("job", prefix=prefix, clock=lambda: NOW)
        state.begin_run("r1", "2026-11-28T10:00:00", 1)
        state.record_fetch("k", "http://n.example/k", status=200, payload_digest="sha1:A",
                           etag=None, last_modified=None, location=location(), warc_date="d")
        state.link_article("k", "k")
        state.record_version("k", record("k"), content_digest="c", published=None)
        state.article_unchanged("k")
        state.add_pending("p", "http://n.example/p", "n")
        state.take_pending()
        assert state.due_articles(NOW + DAY, RecrawlPolicy()) != []
        keys = sorted(key.decode() for key in state.client.keys("*"))
        assert keys == [f"{prefix}:job:state:{name}" for name in (
            "articles", "born", "captures:warc/job/a.warc.gz", "frontier", "pages", "runs",
            "version")]

    def test_rows_leave_out_what_repeats_their_key(self, workers):
        state = workers(clock=lambda: NOW)
        key = "http://n.example/k"
        state.record_fetch(key, key, status=200, payload_digest="sha1:A", etag=None,
                           last_modified=None, location=location(), warc_date="d")
        state.link_article(key, key)
        state.record_version(key, record(key), content_digest="c", published=None)
        state.add_pending(key, key, None)
        page = json.loads(state.client.hget(state.prefix + "pages", key))
        assert page == {"s": 200, "d": "sha1:A", "f": NOW, "l": NOW, "r": "<urn:uuid:100>",
                        "w": "d", "wf": "warc/job/a.warc.gz", "o": 100, "n": 50, "a": ""}
        assert "u" not in json.loads(state.client.hget(state.prefix + "articles", key))
        assert json.loads(state.client.hget(state.prefix + "frontier", key)) == {"t": NOW}
        assert state.page(key).article_key == key and state.article(key).canonical_url == key


@pytest.mark.redis
class TestReading:
    def test_due_articles_are_read_in_pages_of_any_size(self, workers, monkeypatch):
        state = workers(clock=lambda: NOW)
        keys = [f"art{n:02d}" for n in range(23)]
        for n, key in enumerate(keys):  # births in runs of equal times
            state.record_version(key, record(key), content_digest="c",
                                 published=NOW - 3600 * (n // 5))
        policy = RecrawlPolicy(max_age=3 * DAY, interval=3600, backoff=2, max_interval=DAY)
        whole = state.due_articles(NOW + 7200, policy)
        assert sorted(article.key for article in whole) == keys
        for batch in (1, 2, 5, 7):
            monkeypatch.setattr(redisstate, "_BATCH", batch)
            assert state.due_articles(NOW + 7200, policy) == whole

    def test_a_client_that_decodes_answers(self, redis_url):
        client = redis.Redis.from_url(redis_url, decode_responses=True)
        state = RedisCrawlState(client, "job", clock=lambda: NOW)
        state.begin_run("r1", "2026-11-28T10:00:00", 1)
        assert state.begin_run("r2", "2026-11-28T11:00:00", 2) == ["r1"]
        state.record_fetch("k", "http://n.example/k", status=200, payload_digest="sha1:A",
                           etag=None, last_modified=None, location=location(), warc_date="d")
        state.record_version("k", record("k"), content_digest="c", published=None)
        state.add_pending("p", "http://n.example/p", "n")
        assert state.page("k").capture.record_id == "<urn:uuid:100>"
        assert [a.key for a in state.due_articles(NOW + DAY, RecrawlPolicy())] == ["k"]
        assert [p.url for p in state.take_pending()] == ["http://n.example/p"]
        client.close()


@pytest.mark.redis
def test_both_backends_answer_alike(tmp_path, workers):
    """One history of writes, replayed on SQLite and on Redis, reads back the same."""
    now = [NOW + 0.25]
    sqlite = CrawlState(tmp_path / "job.sqlite", clock=lambda: now[0])
    shared = workers(clock=lambda: now[0])
    policy = RecrawlPolicy(max_age=3 * DAY, interval=3600, backoff=2, max_interval=DAY)
    for state in (sqlite, shared):
        now[0] = NOW + 0.25
        state.begin_run("r1", "2026-11-28T10:00:00", 1)
        for n in range(20):
            key = f"http://n.example/{n}"
            state.record_fetch(key, key + "?utm=x", status=200, payload_digest=f"sha1:{n}",
                               etag=f'"{n}"' if n % 2 else None,
                               last_modified="Sat, 28 Nov 2026 10:00:00 GMT" if n % 3 else None,
                               location=location(n * 50), warc_date="d")
            state.record_version(key, record(key), content_digest="c",
                                 published=NOW - n * 3600 * 6 if n % 4 else None)
            state.link_article(key + "/amp", key)
            state.add_pending(f"p{n}", f"http://n.example/p{n}", "n" if n % 2 else None,
                              requisite='{"kind": "image"}' if n % 5 == 0 else None)
            now[0] += 7.5
        for n in range(0, 20, 3):
            state.record_fetch(f"http://n.example/{n}", f"http://n.example/{n}", status=304,
                               payload_digest=None, etag='"new"', last_modified=None,
                               location=None, warc_date=None)
            state.article_unchanged(f"http://n.example/{n}")
            now[0] += 1.5
        state.forget_captures_beyond("warc/job/a.warc.gz", 500)
        state.take_pending()
        state.fetched("p3")
        # The odd URLs' source "n" is not crawled in this run: neither counted nor taken.
        assert [p.url for p in state.take_pending(skip_sources=["n"])] == [
            f"http://n.example/p{n}" for n in range(0, 20, 2)]
        state.source_crawled("n", NOW + 0.5)
    keys = [f"http://n.example/{n}" for n in range(20)]
    assert [sqlite.page(k) for k in keys] == [shared.page(k) for k in keys]
    assert [sqlite.article(k) for k in keys] == [shared.article(k) for k in keys]
    assert [sqlite.article_at(k + "/amp") for k in keys] == [
        shared.article_at(k + "/amp") for k in keys]
    for later in (3600.0, 5 * 3600.0, 2 * DAY):
        assert sqlite.due_articles(now[0] + later, policy) == shared.due_articles(
            now[0] + later, policy)
    assert sqlite.take_pending() == shared.take_pending()
    for state in (sqlite, shared):  # a finished run that did not take source "n" up
        state.add_pending("w", "http://weekly.example/w", "weekly")
        state.add_pending("x", "http://n.example/x", "n")
        state.clear_pending(keep_sources={"weekly"})
    kept = sqlite.take_pending()
    assert kept == shared.take_pending()
    assert [(p.url, p.source) for p in kept] == [("http://weekly.example/w", "weekly")]
    assert sqlite.sources_crawled() == shared.sources_crawled() == {"n": NOW + 0.5}
    assert sqlite.begin_run("r2", "x", 2) == shared.begin_run("r2", "x", 2) == ["r1"]
    sqlite.close()
