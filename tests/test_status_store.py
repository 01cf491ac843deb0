"""``newsarchive status --store``: a machine that only has the bucket sees the runs,
against a real S3 server (SeaweedFS); a store that is down is a passing fault."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawler.demo.s3server import LocalS3Server
from tests.conftest import FAST
from tests.test_faults import closed_port, write_job
from tests.test_s3 import run as run_with_s3

pytestmark = pytest.mark.s3

BUCKET = "status-check"


@pytest.fixture(scope="module")
def s3(tmp_path_factory):
    with LocalS3Server(tmp_path_factory.mktemp("s3"), bucket=BUCKET) as running:
        yield running


@pytest.fixture(scope="module")
def crawled(s3, test_site, tmp_path_factory):
    """One run of a job with a live source and one whose site never answers, sent to
    the store; ``out`` is the crawling machine's directory."""
    tmp = tmp_path_factory.mktemp("statusstore")
    job = write_job(tmp / "cron.toml", "cron", {"live": test_site.base_url,
                                                 "down": f"http://127.0.0.1:{closed_port()}/"})
    out = tmp / "out"
    result = crawl(s3, job, out)
    assert result.returncode == 1, result.stderr[-3000:]  # the down source
    return job, out, tmp


def crawl(s3: LocalS3Server, job: Path, out: Path):
    return run_with_s3(s3, "crawl", str(job), "--out", str(out), "--store",
                       f"s3://{BUCKET}/crawls", "--endpoint-url", s3.endpoint_url, *FAST,
                       "-s", "ARCHIVE_STORE_RETRY_DELAY=0.1")


def status(s3: LocalS3Server, tmp: Path, *args: str):
    return run_with_s3(s3, "status", "--store", f"s3://{BUCKET}/crawls", "--endpoint-url",
                       s3.endpoint_url, *args, XDG_CACHE_HOME=str(tmp / "cache"))


def test_a_machine_with_only_the_bucket_sees_the_runs_and_flags(s3, crawled, tmp_path):
    _, out, _ = crawled
    result = status(s3, tmp_path, "--out", str(tmp_path / "no-archive-here"), "--json")
    assert result.returncode == 1, result.stderr  # a source is flagged
    shown = json.loads(result.stdout)
    assert shown["store"] == f"s3://{BUCKET}/crawls"
    assert shown["flagged"] == ["cron/down"]
    [entry] = shown["jobs"]
    [report] = (out / "manifests").glob("cron-*.report.json")
    local = json.loads(report.read_text())
    assert entry["runs"] == 1
    assert entry["last_run"]["crawl_id"] == local["crawl_id"]
    assert entry["last_run"]["report"] == f"s3://{BUCKET}/crawls/manifests/{report.name}"
    live = next(s for s in entry["sources"] if s["source"] == "live")
    assert live["last_run"]["pages"] == local["sources"]["live"]["pages"] > 0
    assert shown["disk"]["spool_bytes"] == 0
    # The reports and manifests were fetched into the query cache.
    assert shown["disk"]["query_cache_bytes"] >= report.stat().st_size
    terminal = status(s3, tmp_path, "--out", str(tmp_path / "no-archive-here"))
    assert terminal.returncode == 1
    assert terminal.stdout.splitlines()[-1] == "flagged: cron/down"


def test_store_down_files_wait_and_status_says_try_again(s3, crawled, tmp_path):
    job, out, _ = crawled
    s3.kill()
    try:
        outage = crawl(s3, job, out)
        assert outage.returncode == 1, outage.stderr[-3000:]
        down = status(s3, tmp_path, "--out", str(out))
        local = run_with_s3(s3, "status", "--out", str(out), "--json")
    finally:
        s3.start()
    assert down.returncode == 1 and down.stdout == ""
    assert "Traceback" not in down.stderr and len(down.stderr.splitlines()) == 1
    assert down.stderr.startswith("newsarchive status: cannot reach")
    assert down.stderr.rstrip().endswith("try again later")
    [entry] = json.loads(local.stdout)["jobs"]
    assert entry["runs"] == 2
    waiting = [p for folder in ("warc", "articles") for p in (out / folder).rglob("*")
               if p.is_file() and not p.name.endswith(".open")]
    assert entry["files_waiting"]["count"] == len(waiting) > 0
    assert entry["files_waiting"]["bytes"] == sum(p.stat().st_size for p in waiting)
    assert entry["files_waiting"]["oldest"] is not None


def test_a_missing_bucket_is_exit_2(s3, tmp_path):
    result = run_with_s3(s3, "status", "--store", "s3://no-such-bucket/x", "--endpoint-url",
                         s3.endpoint_url, XDG_CACHE_HOME=str(tmp_path / "cache"))
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("newsarchive status: error: ") and \
        "no-such-bucket" in result.stderr and len(result.stderr.splitlines()) == 1
