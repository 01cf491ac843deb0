"""Distributed crawls: worker processes sharing one crawl through a real Redis
(redis-server on 127.0.0.1, tests/redisserver.py) on the local test site."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import redis

from tests.conftest import FAST, NEWSARCHIVE, ROOT, Crawl, run_cli, serve_site

JOB = "shared"
# Small concurrency, so one worker cannot take the whole frontier of a one-host site
# into its downloader before the other asks; a short timeout, so a dead worker is
# noticed within seconds.
WORKER = [*FAST, "-s", "CONCURRENT_REQUESTS=2", "-s", "REDIS_WORKER_TIMEOUT=3",
          "-s", "EXTRACT_PROCESSES=1"]


def start_worker(site_url: str, out: Path, redis_url: str, *extra: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with open(out.with_suffix(".log"), "a") as log:  # the worker keeps its own copy
        return subprocess.Popen(
            [*NEWSARCHIVE, "crawl", "--seed", site_url, "--out", str(out), "--job", JOB,
             "--redis", redis_url, *WORKER, *extra],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def wait(process: subprocess.Popen, out: Path, timeout: float = 240) -> None:
    code = process.wait(timeout=timeout)
    assert code == 0, out.with_suffix(".log").read_text()[-4000:]


def articles(*outs: Path) -> list[dict]:
    rows = []
    for out in outs:
        rows += Crawl(out, JOB, None).articles()  # type: ignore[arg-type]
    return rows


def paths(rows: list[dict]) -> Counter:
    """Articles by their URL's path (the two sites listen on different ports)."""
    return Counter(urlsplit(row["canonical_url"]).path for row in rows)


def page_hits(hits: dict[str, int]) -> Counter:
    """Fetches per URL, leaving out robots.txt (each worker reads it once, to obey it)."""
    return Counter({path: count for path, count in hits.items() if path != "/robots.txt"})


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    """One ordinary crawl of a fresh copy of the test site: what a single process fetches
    and archives."""
    site = serve_site("test")
    try:
        out = tmp_path_factory.mktemp("single") / "archive"
        result = run_cli("crawl", "--seed", site.base_url, "--out", str(out), "--job", JOB,
                         *FAST)
        assert result.returncode == 0, result.stderr[-3000:]
        return Crawl(out, JOB, result), site.hits()
    finally:
        site.stop()


@pytest.fixture
def site():
    served = serve_site("test")
    yield served
    served.stop()


@pytest.mark.redis
def test_two_workers_share_one_crawl(baseline, site, redis_url, tmp_path):
    single, single_hits = baseline
    outs = [tmp_path / "worker-a", tmp_path / "worker-b"]
    workers = [start_worker(site.base_url, out, redis_url) for out in outs]
    for process, out in zip(workers, outs, strict=True):
        wait(process, out)

    # Every URL fetched exactly as often as one process alone fetches it (retries of
    # the site's deliberately failing pages included), none twice across workers.
    assert page_hits(site.hits()) == page_hits(single_hits)
    assert site.hits()["/robots.txt"] <= 2

    found = articles(*outs)
    assert paths(found) == paths(single.articles())  # each article once, none missing
    # Both took part.
    assert all(Crawl(out, JOB, None).warcs() for out in outs)  # type: ignore[arg-type]

    # Each worker's manifest lists its own files; the crawl's (written by the last
    # worker out) lists all of them, once.
    worker_manifests = [json.loads(p.read_text()) for out in outs
                        for p in (out / "manifests").glob(f"{JOB}-*Z-*.json")
                        if not p.name.endswith(".report.json")]
    assert len(worker_manifests) == 2
    assert {m["crawl_id"] for m in worker_manifests} == {worker_manifests[0]["crawl_id"]}
    crawl_manifests = [p for out in outs for p in (out / "manifests").glob(f"{JOB}-*Z.json")]
    assert len(crawl_manifests) == 1
    crawl = json.loads(crawl_manifests[0].read_text())
    listed = sorted(f["path"] for f in crawl["files"])
    assert listed == sorted(f["path"] for m in worker_manifests for f in m["files"])
    assert len(listed) == len(set(listed))
    assert {w["worker"] for w in crawl["workers"]} == {m["worker"] for m in worker_manifests}
    assert crawl["counts"]["articles/written"] == len(found)
    assert crawl["finish_reason"] == "finished"

    # The crawl's working keys are gone; the shared state stays for the next run.
    client = redis.Redis.from_url(redis_url)
    keys = {k.decode() for k in client.keys("*")}
    assert not any(k.endswith((":requests", ":dupefilter")) or ":active:" in k for k in keys)
    assert f"newsarchive:{JOB}:state:articles" in keys
    assert f"newsarchive:{JOB}:current" not in keys

    # `workers` shows the finished crawl and both workers' counts.
    shown = run_cli("workers", "--redis", redis_url)
    assert shown.returncode == 0, shown.stderr
    assert f"job {JOB}: last crawl {crawl['crawl_id']}" in shown.stdout
    pages = [int(line.split()[2]) for line in shown.stdout.splitlines()
             if "finished" in line.split()[1:2]]
    assert len(pages) == 2 and sum(pages) == crawl["counts"]["response_received_count"]

    # A second run (cron) on both workers shares the incremental state: nothing new,
    # no article written again.
    workers = [start_worker(site.base_url, out, redis_url) for out in outs]
    for process, out in zip(workers, outs, strict=True):
        wait(process, out)
    assert len(articles(*outs)) == len(found)


@pytest.mark.redis
def test_a_killed_worker_loses_nothing(baseline, site, redis_url, tmp_path):
    single, _ = baseline
    slow = ["-s", "DOWNLOAD_DELAY=0.3"]  # long enough to kill one worker mid-crawl
    doomed_out, survivor_out = tmp_path / "doomed", tmp_path / "survivor"
    doomed = start_worker(site.base_url, doomed_out, redis_url, *slow)
    survivor = start_worker(site.base_url, survivor_out, redis_url, *slow)
    client = redis.Redis.from_url(redis_url)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not _held_by(client, doomed.pid):
        time.sleep(0.1)
    assert _held_by(client, doomed.pid), "the doomed worker never took a request"
    doomed.send_signal(signal.SIGKILL)
    doomed.wait()
    wait(survivor, survivor_out)
    log = survivor_out.with_suffix(".log").read_text()
    assert "stopped answering" in log and "went back to the frontier" in log

    # Restarted on its directory (as systemd would), the killed worker recovers the
    # files it left open; between them every article is archived.
    restarted = start_worker(site.base_url, doomed_out, redis_url, *slow)
    wait(restarted, doomed_out)
    found = paths(articles(doomed_out, survivor_out))
    assert set(found) == set(paths(single.articles()))


def _held_by(client: redis.Redis, pid: int) -> bool:
    return any(key.decode().endswith(f"-{pid}") and client.hlen(key)
               for key in client.scan_iter(match=f"newsarchive:{JOB}:crawl:*:active:*"))


def test_bad_redis_url_is_one_line_and_writes_nothing(tmp_path, test_site):
    """A malformed URL is exit 2; a Redis that is down is exit 75, try again later."""
    out = tmp_path / "archive"
    for url, words, status in (("http://127.0.0.1:6379/0", "redis://HOST:PORT/DB", 2),
                               ("redis://127.0.0.1:1/0", "cannot reach Redis", 75)):
        result = run_cli("crawl", "--seed", test_site.base_url, "--out", str(out),
                         "--redis", url)
        assert result.returncode == status
        assert words in result.stderr and len(result.stderr.strip().splitlines()) == 1
        assert not out.exists()
    shown = run_cli("workers", "--redis", "redis://127.0.0.1:1/0")
    assert shown.returncode == 2 and "cannot reach Redis" in shown.stderr


@pytest.mark.redis
def test_workers_without_crawls(redis_url):
    shown = run_cli("workers", "--redis", redis_url)
    assert shown.returncode == 0
    assert "No distributed crawl" in shown.stdout
