"""``newsarchive prune`` against a real S3 server (SeaweedFS): a crawl kept its files
locally (--keep-local); prune removes those the store holds intact, and nothing else."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest

from archive.state.joblock import JobLock
from crawler.demo.s3server import LocalS3Server
from tests.conftest import FAST
from tests.test_s3 import BUCKET, SMALL_WARCS, run

pytestmark = pytest.mark.s3

PREFIX = "prune"
JOB = "site"


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[LocalS3Server]:
    with LocalS3Server(tmp_path_factory.mktemp("s3"), bucket=BUCKET) as running:
        yield running


@pytest.fixture
def raw_s3(server):
    client = boto3.client("s3", **server.client_kwargs())
    yield client
    client.close()


@pytest.fixture(scope="module")
def kept_crawl(server, test_site, tmp_path_factory) -> Path:
    """A crawl to the store that kept its local copies: the directory prune works on."""
    out = tmp_path_factory.mktemp("keptcrawl") / "archive"
    result = run(server, "crawl", "--seed", test_site.base_url, "--out", str(out),
                 "--job", JOB, "--store", f"s3://{BUCKET}/{PREFIX}",
                 "--endpoint-url", server.endpoint_url, "--keep-local", *FAST, *SMALL_WARCS)
    assert result.returncode == 0, result.stderr[-3000:]
    return out


@pytest.fixture
def out(kept_crawl, tmp_path) -> Path:
    """A copy of the kept crawl's directory (modification times too: the upload ledger
    knows the files by them), so each test prunes its own."""
    copy = tmp_path / "archive"
    shutil.copytree(kept_crawl, copy)
    return copy


def store_args(server: LocalS3Server) -> list[str]:
    return ["--store", f"s3://{BUCKET}/{PREFIX}", "--endpoint-url", server.endpoint_url]


def prune(server: LocalS3Server, out: Path, *args: str):
    return run(server, "prune", "--out", str(out), *store_args(server), *args)


def listed(out: Path) -> dict[str, dict]:
    """The manifest entries of the crawl, by path."""
    [path] = (out / "manifests").glob(f"{JOB}-*Z.json")
    return {entry["path"]: entry for entry in json.loads(path.read_text("utf-8"))["files"]}


def local_files(out: Path) -> set[str]:
    """The local archive's data files: WARC, articles, their indexes, search snapshots
    (not the live search index, which the next crawl adds to)."""
    found = [*(out / "warc").rglob("*"), *(out / "articles").rglob("*"),
             *(out / "search").glob("*/index-*.tar")]
    return {p.relative_to(out).as_posix() for p in found if p.is_file()}


def urls(result) -> list[str]:
    assert result.returncode == 0, result.stderr
    return sorted(json.loads(line)["url"] for line in result.stdout.splitlines())


class TestPrune:
    def test_dry_run_then_prune_then_the_store_still_answers(self, server, out, tmp_path):
        entries = listed(out)
        kinds = {entry["kind"] for entry in entries.values()}
        assert {"warc", "articles", "cdxj", "parquet"} <= kinds
        assert set(entries) <= local_files(out)  # --keep-local kept every file
        before = local_files(out)
        local_urls = urls(run(server, "query", "--out", str(out), "--fields", "url"))

        dry = prune(server, out, "--dry-run")
        assert dry.returncode == 0, dry.stderr
        assert local_files(out) == before
        assert {line.split()[2] for line in dry.stdout.splitlines()
                if line.startswith("would remove")} == set(entries)
        total = sum(entry["size"] for entry in entries.values())
        assert f"Would remove {len(entries)} file(s), {total} bytes" in dry.stdout

        done = prune(server, out)
        assert done.returncode == 0, done.stderr
        assert not set(entries) & local_files(out)
        assert f"Removed {len(entries)} file(s), {total} bytes" in done.stdout
        for path, entry in entries.items():
            assert f"removed  {path}  ({entry['size']} bytes)" in done.stdout
        # What the crawl left that is not data stays: manifests, reports, state, and the
        # live search index the next crawl adds to.
        assert list((out / "manifests").glob("*.json")) and (out / "state").is_dir()
        assert (out / "search" / JOB / "parts.json").is_file()

        again = prune(server, out)
        assert again.returncode == 0 and "Removed 0 file(s), 0 bytes" in again.stdout

        cache = ["--cache", str(tmp_path / "cache")]
        from_store = run(server, "query", "--out", str(out), *store_args(server), *cache,
                         "--fields", "url")
        assert urls(from_store) == local_urls and local_urls
        shown = run(server, "show", local_urls[0], *store_args(server), *cache, "--json")
        assert shown.returncode == 0, shown.stderr
        assert json.loads(shown.stdout)["http"]["status"].startswith("HTTP/1.1 200")
        wacz = tmp_path / "site.wacz"
        exported = run(server, "export-wacz", "--out", str(out), *store_args(server), *cache,
                       "--job", JOB, "-o", str(wacz))
        assert exported.returncode == 0, exported.stderr
        assert f"{len(local_urls)} page(s)" in exported.stdout

    def test_a_store_copy_that_differs_keeps_its_local_file(self, server, out, raw_s3):
        entries = listed(out)
        warc = next(path for path, entry in entries.items() if entry["kind"] == "warc")
        size = entries[warc]["size"]
        key = f"{PREFIX}/{warc}"
        raw_s3.put_object(Bucket=BUCKET, Key=key, Body=b"X" * size,
                          Metadata={"sha256": entries[warc]["sha256"]})  # a lying digest
        try:
            # A local file changed since its crawl is kept too, and so is one in no manifest.
            part = next(path for path, entry in entries.items() if entry["kind"] == "articles")
            with open(out / part, "ab") as handle:
                handle.write(b"\n")
            (out / "warc" / JOB / "left-by-a-killed-run.warc.gz").write_bytes(b"w" * 10)
            (out / "warc" / JOB / "being-written.warc.gz.open").write_bytes(b"o" * 10)
            result = prune(server, out)
        finally:
            raw_s3.put_object(Bucket=BUCKET, Key=key, Body=(out / warc).read_bytes(),
                              Metadata={"sha256": entries[warc]["sha256"]})  # as it was
        assert result.returncode == 1, result.stderr
        assert f"kept  {warc}: the copy in s3://{BUCKET}/{PREFIX} differs (sha256" \
            in result.stdout
        assert f"kept  {part}: local copy has" in result.stdout
        assert "left-by-a-killed-run.warc.gz: in no manifest" in result.stdout
        assert "kept  1 .open file(s)" in result.stdout
        remaining = local_files(out)
        assert {warc, part, f"warc/{JOB}/left-by-a-killed-run.warc.gz",
                f"warc/{JOB}/being-written.warc.gz.open"} == remaining
        assert f"Removed {len(entries) - 2} file(s)" in result.stdout

    def test_a_running_crawl_of_the_job_is_waited_for(self, server, out):
        before = local_files(out)
        with JobLock(out / "state", JOB):
            result = prune(server, out)
        assert result.returncode == 75
        assert result.stdout == "" and len(result.stderr.strip().splitlines()) == 1
        assert f"job {JOB} is already running" in result.stderr
        assert local_files(out) == before
        # Another job's run is no reason to wait.
        with JobLock(out / "state", "other"):
            assert prune(server, out, "--job", JOB, "--dry-run").returncode == 0

    def test_a_store_that_is_down_removes_nothing(self, server, out):
        before = local_files(out)
        result = run(server, "prune", "--out", str(out), "--store", f"s3://{BUCKET}/{PREFIX}",
                     "--endpoint-url", "http://127.0.0.1:9")
        assert result.returncode == 1
        assert len(result.stderr.strip().splitlines()) == 1 and "nothing removed" in result.stderr
        assert local_files(out) == before

    @pytest.mark.parametrize("args", [
        [],  # no --store
        ["--store", "ftp://x/y"],
        ["--store", f"s3://{BUCKET}/{PREFIX}", "--job", "../etc"],
        ["--store", f"s3://{BUCKET}/{PREFIX}", "--out", "/nonexistent/archive"],
    ])
    def test_bad_arguments_are_one_line_and_exit_2(self, server, args):
        result = run(server, "prune", *args)
        assert result.returncode == 2, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
