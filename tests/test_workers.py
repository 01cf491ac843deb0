"""crawler.distributed.coordination: the shared crawl's bookkeeping in a real Redis."""

from __future__ import annotations

import time

import pytest

from archive.state.redisconn import connect
from crawler.distributed.coordination import DistributedCrawl, WorkerStatus
from crawler.distributed.views import crawl_views

pytestmark = pytest.mark.redis


@pytest.fixture
def client(redis_url):
    connection = connect(redis_url)
    yield connection
    connection.close()


def worker(client, tag: str, *, ttl: float = 30.0, crawl_id: str = "C1") -> DistributedCrawl:
    crawl = DistributedCrawl(client, "job", tag, heartbeat_ttl=ttl)
    crawl.join(crawl_id, {"pid": 1})
    return crawl


def fall_silent(crawl: DistributedCrawl, timeout: float = 10.0) -> None:
    """Wait until the worker's heartbeat has lapsed: its alive key (``crawl:ID:alive:TAG``)
    expired, by Redis's clock. Polled, not slept: a loaded machine may take longer."""
    alive = crawl.key(f"alive:{crawl.tag}")
    deadline = time.monotonic() + timeout
    while crawl.client.exists(alive):
        assert time.monotonic() < deadline, f"{alive} still exists after {timeout} s"
        time.sleep(0.02)


def queue(crawl: DistributedCrawl, *members: str) -> None:
    for score, member in enumerate(members):
        crawl.client.zadd(crawl.requests_key, {member: score})


def test_the_first_worker_starts_the_crawl_and_the_others_join_it(client):
    first, second = worker(client, "a", crawl_id="C1"), worker(client, "b", crawl_id="C2")
    assert (first.crawl_id, first.created) == ("C1", True)
    assert (second.crawl_id, second.created) == ("C1", False)
    assert {t: w["status"] for t, w in first.workers().items()} == {
        "a": WorkerStatus.RUNNING, "b": WorkerStatus.RUNNING}


def test_a_taken_request_is_held_until_done(client):
    crawl = worker(client, "a")
    queue(crawl, "r1", "r2")
    taken = crawl.take()
    assert taken is not None and taken[1] == b"r1"  # lowest score first
    assert crawl.frontier_size() == 1 and crawl.in_hand() == {taken[0]}
    assert not crawl.idle()
    crawl.done([taken[0]])
    assert crawl.in_hand() == set()
    crawl.done([crawl.take()[0]])
    assert crawl.take() is None and crawl.idle()


def test_a_dead_workers_requests_go_back_as_they_were(client):
    doomed, survivor = worker(client, "doomed"), worker(client, "survivor")
    queue(doomed, "r1", "r2", "r3")
    doomed.take(), doomed.take()
    assert survivor.reclaim_dead() == {}  # still within its timeout (30 s)
    doomed.heartbeat_ttl = 0.3  # its last heartbeat, then nothing
    assert doomed.heartbeat({}) is True
    fall_silent(doomed)
    assert survivor.reclaim_dead() == {"doomed": 2}
    assert doomed.in_hand() == set()
    assert [m for m, _ in client.zrange(survivor.requests_key, 0, -1, withscores=True)] == \
        [b"r1", b"r2", b"r3"]
    assert client.zscore(survivor.requests_key, "r2") == 1.0  # same priority as before
    assert survivor.workers()["doomed"]["status"] == WorkerStatus.DEAD
    assert survivor.reclaim_dead() == {}  # once
    # Back from the dead (a long pause): it learns it must stop.
    assert doomed.heartbeat({"pages": 1}) is False


def test_the_last_worker_out_ends_the_crawl(client):
    first, second = worker(client, "a"), worker(client, "b")
    assert first.leave([{"path": "warc/job/a.warc.gz"}], {"articles/written": 2}) is False
    assert client.get("newsarchive:job:current") == b"C1"  # b still runs
    assert second.leave([{"path": "warc/job/b.warc.gz"}], {"articles/written": 3}) is True
    assert client.get("newsarchive:job:current") is None  # the next worker starts anew
    assert sorted((f["path"], f["worker"]) for f in second.crawl_files()) == \
        [("warc/job/a.warc.gz", "a"), ("warc/job/b.warc.gz", "b")]
    assert second.crawl_counts() == {"articles/written": 5}
    assert {w["status"] for w in second.workers().values()} == {WorkerStatus.FINISHED}


def test_leaving_hands_back_what_was_not_done(client):
    quitter, other = worker(client, "quitter"), worker(client, "other")
    queue(quitter, "r1", "r2")
    quitter.take()
    assert quitter.leave([], {}) is False  # work is left: not the end
    assert other.frontier_size() == 2


def test_no_last_worker_while_work_is_left(client):
    only = worker(client, "only")
    queue(only, "r1")
    assert only.leave([], {}) is False
    assert client.get("newsarchive:job:current") == b"C1"  # the next worker resumes it


def test_a_silent_worker_blocks_the_end_until_reclaimed(client):
    silent, last = worker(client, "silent", ttl=0.3), worker(client, "last")
    queue(silent, "r1")
    silent.take()
    fall_silent(silent)
    assert not last.idle()
    last.reclaim_dead()
    assert last.frontier_size() == 1


def test_claims_are_first_come_across_workers(client):
    first, second = worker(client, "a"), worker(client, "b")
    assert first.claim("articles", "k1") is True
    assert second.claimed("articles", "k1") and not second.claim("articles", "k1")
    assert second.claim("articles", "k2") is True


def test_caps_are_counted_crawl_wide(client):
    first, second = worker(client, "a"), worker(client, "b")
    first.count_enqueued("s1")
    second.count_enqueued("s1")
    second.count_enqueued(None)
    assert first.enqueued() == 3 and first.enqueued("s1") == 2 and first.enqueued("s2") == 0


def test_closing_keeps_the_record_and_drops_the_working_keys(client):
    crawl = worker(client, "a")
    queue(crawl, "r1")
    crawl.done([crawl.take()[0]])
    crawl.claim("articles", "k")
    crawl.heartbeat({"pages": 7})
    assert crawl.leave([{"path": "p"}], {"pages": 7}) is True
    crawl.close_crawl("finished")
    left = {k.decode().removeprefix("newsarchive:job:") for k in client.keys("*")}
    assert left == {"last", "crawl:C1:info", "crawl:C1:counts", "crawl:C1:files",
                    "crawl:C1:workers", "crawl:C1:status", "crawl:C1:progress:a"}
    assert all(0 < client.ttl(f"newsarchive:job:{k}") for k in left)
    [view] = crawl_views(client)
    assert (view.job, view.crawl_id, view.current) == ("job", "C1", False)
    assert view.info["finish_reason"] == "finished"
    assert view.workers[0].progress["pages"] == "7"


def test_views_show_the_running_crawl_and_silent_workers(client):
    crawl = worker(client, "a", ttl=0.3)
    queue(crawl, "r1", "r2")
    crawl.take()
    fall_silent(crawl)
    [view] = crawl_views(client, job="job")
    assert view.current and view.frontier == 1
    assert [(w.tag, w.status, w.in_hand) for w in view.workers] == [("a", "silent", 1)]
    assert crawl_views(client, job="other") == []


def test_a_dead_workers_requests_keep_the_crawl_open_for_the_next_worker(client):
    doomed, leaver = worker(client, "doomed", ttl=0.3), worker(client, "leaver")
    queue(doomed, "r1")
    doomed.take()
    fall_silent(doomed)
    assert leaver.leave([], {}) is False  # its request went back: work is left
    assert leaver.frontier_size() == 1
    resumer = worker(client, "resumer", crawl_id="C2")
    assert (resumer.crawl_id, resumer.created) == ("C1", False)


def test_at_the_page_cap_queued_requests_do_not_keep_the_crawl_open(client):
    only = worker(client, "only")
    queue(only, "r1", "r2")
    assert only.leave([], {}, capped=True) is True
    assert client.get("newsarchive:job:current") is None
