"""Passing faults never cost a run, and a lost machine loses no history (issue 18).

A source whose site does not answer fails alone; a store that is down at the start
is an outage the run crawls through (its files wait in ``--out`` and the next run
sends them); Redis down at the start is "try again later" (75) and Redis going away
mid-crawl loses no request; the job's state goes to the store with every run, so a
new machine goes on with the job. Every server here is on 127.0.0.1; "a host that
does not resolve" is checked with the exception stubbed, never by asking DNS.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import shutil
import socket
import sqlite3
import subprocess
import time
from collections import Counter
from pathlib import Path

import boto3
import pytest
from scrapy import Request
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
)
from scrapy.http import Response
from scrapy.utils.test import get_crawler
from twisted.internet import error as twisted_error

from archive.state.crawlstate import CrawlState
from crawler.demo.s3server import LocalS3Server
from crawler.demo.site import load_site
from crawler.middlewares.sourcehealth import SourceHealthMiddleware, no_answer_reason
from crawler.sourcestats import unreachable_sources
from tests.conftest import FAST, run_cli
from tests.netcut import CuttableLink
from tests.sites import changing_editions as gazette
from tests.test_distributed import JOB, articles, start_worker
from tests.test_s3 import run as run_with_s3


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def write_job(path: Path, name: str, sources: dict[str, str]) -> Path:
    lines = [f'name = "{name}"']
    for source, seed in sources.items():
        lines += ["[[sources]]", f'name = "{source}"', f'seeds = ["{seed}"]']
    path.write_text("\n".join(lines) + "\n")
    return path


def reports(out: Path, job: str) -> list[dict]:
    return [json.loads(p.read_text()) for p in
            sorted((out / "manifests").glob(f"{job}-*.report.json"))]


def article_lines(out: Path, job: str) -> list[dict]:
    return [json.loads(line) for part in sorted((out / "articles" / job).glob("*.jsonl"))
            for line in part.read_text("utf-8").splitlines()]


# -- a site that does not answer ---------------------------------------------------------
class TestNoAnswer:
    @pytest.mark.parametrize(("exception", "reason"), [
        (DownloadConnectionRefusedError("refused"), "connection refused"),
        (twisted_error.ConnectionRefusedError(), "connection refused"),
        (CannotResolveHostError("no-such-host.invalid"), "host not found"),
        (twisted_error.DNSLookupError("no-such-host.invalid"), "host not found"),
        (DownloadTimeoutError("took longer than 30 s"), "timed out"),
        (twisted_error.TCPTimedOutError(), "timed out"),
        (ValueError("a bug, not the site"), None),
    ])
    def test_which_errors_mean_the_site_never_answered(self, exception, reason):
        assert no_answer_reason(exception) == reason

    def test_answers_and_silences_are_counted_per_source(self):
        crawler = get_crawler()
        crawler.stats.open_spider()
        health = SourceHealthMiddleware(crawler.stats)
        up = Request("http://127.0.0.1:8001/", meta={"source": "up"})
        down = Request("http://no-such-host.invalid/", meta={"source": "down"})
        health.process_response(up, Response(up.url, status=503))  # an answer all the same
        with pytest.raises(IgnoreRequest):  # counted: Scrapy need not log a traceback
            health.process_exception(down, CannotResolveHostError("no-such-host.invalid"))
        assert health.process_exception(up, ValueError("other")) is None
        stats = crawler.stats.get_stats()
        assert unreachable_sources(stats) == {"down": "host not found (no-such-host.invalid)"}

    def test_a_source_that_answered_once_has_not_failed(self):
        stats = {"source/a/unreachable": 3, "source/a/answered": 1, "source/b/unreachable": 1}
        assert list(unreachable_sources(stats)) == ["b"]


class TestFailureStreak:
    def test_the_state_remembers_since_when_a_source_fails(self, tmp_path):
        state = CrawlState.for_job(tmp_path, "job")
        first = state.record_sources("run1", {"down": "connection refused"}, ["up"])
        assert (first["down"].since, first["down"].runs) == ("run1", 1)
        state.record_sources("run2", {"down": "timed out"}, ["up"])
        again = state.record_sources("run2", {"down": "timed out"}, [])  # a second worker
        assert (again["down"].since, again["down"].runs, again["down"].reason) == (
            "run1", 2, "timed out")
        state.record_sources("run3", {}, [])  # not tried: the streak stands
        state.record_sources("run4", {}, ["down"])  # answered: forgotten
        fresh = state.record_sources("run5", {"down": "connection refused"}, [])
        assert (fresh["down"].since, fresh["down"].runs) == ("run5", 1)
        state.close()


class TestOneSourceDown:
    def test_the_others_are_crawled_and_the_run_exits_1(self, test_site, tmp_path):
        port = closed_port()
        job = write_job(tmp_path / "job.toml", "several", {
            "live": test_site.base_url, "down": f"http://127.0.0.1:{port}/"})
        out = tmp_path / "out"
        result = run_cli("crawl", str(job), "--out", str(out), *FAST)
        assert result.returncode == 1, result.stderr[-3000:]
        assert "Traceback" not in result.stderr
        last = result.stderr.strip().splitlines()[-1]
        assert last == (f"newsarchive crawl: incomplete: source down failed: connection "
                        f"refused (127.0.0.1:{port}), first failed run")
        assert f"  down: connection refused (127.0.0.1:{port}); first failed run" \
            in result.stdout
        [report] = reports(out, "several")
        assert report["exit_status"] == 1
        assert report["failed_sources"] == [{
            "source": "down", "reason": f"connection refused (127.0.0.1:{port})",
            "failing_since": report["crawl_id"], "runs": 1}]
        assert report["sources"]["live"]["articles"] > 0  # the other source was crawled
        assert article_lines(out, "several")


# -- the cron job: a source down and the store down, then the store back -----------------
BUCKET = "faults"


@pytest.fixture(scope="module")
def s3(tmp_path_factory):
    with LocalS3Server(tmp_path_factory.mktemp("s3"), bucket=BUCKET) as running:
        yield running


def bucket(server, prefix: str) -> dict[str, bytes]:
    """Every object under ``prefix``: key (without the prefix) -> bytes."""
    client = boto3.client("s3", **server.client_kwargs())
    objects = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET,
                                                                  Prefix=prefix + "/"):
        for item in page.get("Contents", []):
            with client.get_object(Bucket=BUCKET, Key=item["Key"])["Body"] as body:
                objects[item["Key"][len(prefix) + 1:]] = body.read()
    client.close()
    return objects


def as_if_nothing_failed(objects: dict[str, bytes]) -> tuple[list[str], Counter]:
    """What a bucket must be after runs that lost nothing: every manifest's files, each
    present with its recorded SHA-256, the manifests and their run reports, the job's
    state, and nothing else. Returns the manifests' names and the article URLs."""
    manifests = {key: json.loads(data) for key, data in objects.items()
                 if key.startswith("manifests/") and not key.endswith(".report.json")}
    expected = {"state/cron.sqlite"}
    for key, manifest in manifests.items():
        expected |= {key, key.removesuffix(".json") + ".report.json"}
        for entry in manifest["files"]:
            assert "pending" not in entry and entry["store"]["key"] == entry["path"]
            assert hashlib.sha256(objects[entry["path"]]).hexdigest() == entry["sha256"]
            expected.add(entry["path"])
    assert set(objects) == expected
    urls = Counter(json.loads(line)["url"] for key, data in objects.items()
                   if key.endswith(".jsonl") for line in data.decode().splitlines())
    return sorted(manifests), urls


@pytest.fixture(scope="module")
def runs(s3, test_site, tmp_path_factory):
    """The clean reference, then the outage run and the run after it, all of one job."""
    tmp = tmp_path_factory.mktemp("cron")
    down = closed_port()
    with gazette.serve() as site:
        job = write_job(tmp / "cron.toml", "cron", {
            "news": test_site.base_url, "gazette": site.url("/"),
            "down": f"http://127.0.0.1:{down}/"})

        def cron(out: Path, prefix: str) -> subprocess.CompletedProcess[str]:
            return run_with_s3(s3, "crawl", str(job), "--out", str(out), "--store",
                          f"s3://{BUCKET}/{prefix}", "--endpoint-url", s3.endpoint_url,
                          *FAST, "-s", "ARCHIVE_STORE_RETRY_DELAY=0.1")

        clean = cron(tmp / "clean", "clean")
        s3.kill()
        try:
            outage = cron(tmp / "out", "outage")
        finally:
            s3.start()
        pending = sorted(p.relative_to(tmp / "out").as_posix()
                         for p in (tmp / "out").rglob("*")
                         if p.is_file() and p.parts[-3] in ("warc", "articles"))
        back = cron(tmp / "out", "outage")
    return {"clean": clean, "outage": outage, "back": back, "down": down,
            "pending": pending, "out": tmp / "out"}


@pytest.mark.s3
class TestCronThroughOutages:
    """The cron line never changes: a run with a source down and the store down, then
    one with the store back, leave the bucket as a run that met no fault would."""

    def test_the_outage_run_crawls_into_the_spool_and_says_so_twice(self, runs):
        outage = runs["outage"]
        assert outage.returncode == 1, outage.stderr[-3000:]
        assert "Traceback" not in outage.stderr
        # At the start (the log) and at the end (the one line for cron).
        assert "The store is down (cannot reach s3://faults/outage" in outage.stderr
        last = outage.stderr.strip().splitlines()[-1]
        assert "wait for upload (the store was down when the run started: cannot reach" \
            in last and "the next run with this store sends them" in last
        assert f"source down failed: connection refused (127.0.0.1:{runs['down']})" in last
        assert runs["pending"], "the outage run left nothing waiting"
        [report, _] = reports(runs["out"], "cron")
        assert report["exit_status"] == 1 and [f["source"] for f in report["failed_sources"]] \
            == ["down"]

    def test_the_next_run_sends_what_waited_and_names_the_old_failure(self, runs):
        back = runs["back"]
        assert back.returncode == 1, back.stderr[-3000:]  # the source is still down
        first, second = reports(runs["out"], "cron")
        [failure] = second["failed_sources"]
        assert (failure["failing_since"], failure["runs"]) == (first["crawl_id"], 2)
        assert f"failing since run {first['crawl_id']} (2 runs in a row)" in back.stdout
        assert "Sent for earlier runs:" in back.stdout
        assert not [p for p in runs["out"].rglob("*")
                    if p.is_file() and p.parts[-3] in ("warc", "articles")]

    def test_the_bucket_is_as_if_nothing_had_failed(self, runs, s3):
        assert runs["clean"].returncode == 1  # the down source, nothing else
        clean_manifests, clean_urls = as_if_nothing_failed(bucket(s3, "clean"))
        manifests, urls = as_if_nothing_failed(bucket(s3, "outage"))
        assert len(clean_manifests) == 1 and len(manifests) == 2
        # Every article of the live sources, once; the second run had nothing new.
        assert urls == clean_urls and set(urls.values()) == {1}
        verify = run_with_s3(s3, "verify", "--store", f"s3://{BUCKET}/outage",
                        "--endpoint-url", s3.endpoint_url)
        assert verify.returncode == 0, verify.stdout + verify.stderr


# -- a lost machine ------------------------------------------------------------------------
class TestNewMachine:
    def test_an_empty_out_with_the_same_store_goes_on_with_the_job(self, tmp_path):
        store = (tmp_path / "store").as_uri()
        with gazette.serve() as site:
            first = run_cli("crawl", "--seed", site.url("/"), "--out", str(tmp_path / "old"),
                            "--job", "gazette", "--store", store, *FAST)
            assert first.returncode == 0, first.stderr[-3000:]
            assert (tmp_path / "store" / "state" / "gazette.sqlite").is_file()
            shutil.rmtree(tmp_path / "old")  # the machine is gone
            site.set_edition(2)
            new = tmp_path / "new"
            second = run_cli("crawl", "--seed", site.url("/"), "--out", str(new),
                             "--job", "gazette", "--store", store, "--keep-local", *FAST)
        assert second.returncode == 0, second.stderr[-3000:]
        assert "had no state here: fetched its state from" in second.stderr
        # Known articles are not archived again; the edited one goes on at version 2.
        written = {a["canonical_url"].split("/", 3)[3]: a for a in article_lines(new, "gazette")}
        assert sorted("/" + path for path in written) == sorted(
            [*gazette.NEW_IN_EDITION_2, gazette.EDITED_PATH])
        edited = written[gazette.EDITED_PATH.lstrip("/")]
        assert edited["version"] == 2 and edited["previous"]["version"] == 1


@pytest.mark.s3
def test_a_new_machine_with_the_store_down_never_overwrites_the_history(s3, tmp_path):
    """No state here and the store down: the run starts afresh and says so (exit 1),
    and its state is provisional: not sent over the job's history, but joined to it
    by the next run that reaches the store."""
    store = ["--store", f"s3://{BUCKET}/machines", "--endpoint-url", s3.endpoint_url]
    with gazette.serve() as site:
        def crawl(out: str) -> subprocess.CompletedProcess[str]:
            return run_with_s3(s3, "crawl", "--seed", site.url("/"), "--out", str(tmp_path / out),
                          "--job", "gazette", *store, *FAST)

        assert crawl("old").returncode == 0
        history = bucket(s3, "machines")["state/gazette.sqlite"]
        s3.kill()
        try:
            afresh = crawl("new")
        finally:
            s3.start()
        assert afresh.returncode == 1
        assert "has no state here and the store's cannot be fetched: this run starts " \
            "afresh" in afresh.stderr
        assert "the job's state could not be fetched from the store" in \
            afresh.stderr.strip().splitlines()[-1]
        assert (tmp_path / "new" / "state" / "gazette.provisional").exists()
        joined = crawl("new")
    assert joined.returncode == 0, joined.stderr[-3000:]
    assert not (tmp_path / "new" / "state" / "gazette.provisional").exists()
    snapshot = tmp_path / "snapshot.sqlite"
    snapshot.write_bytes(bucket(s3, "machines")["state/gazette.sqlite"])
    before = tmp_path / "history.sqlite"
    before.write_bytes(history)
    runs = []
    for path in (before, snapshot):
        with contextlib.closing(sqlite3.connect(path)) as db:
            runs.append(db.execute("SELECT count(*) FROM runs").fetchone()[0])
    assert runs == [1, 3]  # the history's run, the provisional one, the last one


# -- Redis ------------------------------------------------------------------------------
@pytest.mark.redis
def test_redis_going_away_mid_crawl_loses_no_request(redis_server, test_site, tmp_path):
    """The link to Redis is cut for a few seconds while a worker crawls: what it had in
    hand goes back to the frontier and is fetched again, the run exits 1; with the
    next run every article of the site is archived, once."""
    database = redis_server.fresh_url().rsplit("/", 1)[1]
    link = CuttableLink(redis_server.port)
    out = tmp_path / "worker"
    worker = start_worker(test_site.base_url, out, link.url(path=f"/{database}"),
                          "-s", "DOWNLOAD_DELAY=0.2",
                          "-s", "REDIS_WORKER_TIMEOUT=30")
    try:
        deadline = time.monotonic() + 60
        while not list((out / "warc" / JOB).glob("*.warc.gz.open")):
            assert worker.poll() is None and time.monotonic() < deadline
            time.sleep(0.1)
        time.sleep(1.0)  # well into the crawl
        link.cut()
        time.sleep(4.0)  # longer than the client's own retries (about 1.5 s)
        link.restore()
        code = worker.wait(timeout=240)
    finally:
        if worker.poll() is None:
            worker.kill()
        link.cut()
    log = out.with_suffix(".log").read_text()
    assert code == 1, log[-4000:]
    assert "went back to the frontier, to be fetched again" in log
    assert "newsarchive crawl: incomplete: Redis failed" in log
    [report] = reports(out, JOB)
    assert report["exit_status"] == 1
    again = start_worker(test_site.base_url, out, redis_server.url(int(database)))
    assert again.wait(timeout=240) == 0, out.with_suffix(".log").read_text()[-4000:]
    found = Counter(a["url"].split("/", 3)[3] for a in articles(out))
    assert found == Counter(a.path.lstrip("/") for a in load_site("test").expected_articles)
