"""Uploads, ``newsarchive upload`` and ``verify`` against a real S3 server (SeaweedFS)."""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import boto3
import pytest

from archive.errors import StoreConfigError, StoreIntegrityError, StoreUnavailableError
from archive.store.base import StoreOptions, open_store
from archive.store.digests import file_digests
from archive.store.manifest import report_path
from archive.store.s3 import S3Store
from archive.store.verify import verify_store
from crawler.demo.s3server import LocalS3Server
from crawler.demo.site import load_site
from tests.conftest import FAST, NEWSARCHIVE, ROOT
from tests.test_store import make_crawl_output

pytestmark = pytest.mark.s3

BUCKET = "archive-test"
MIB = 1024 * 1024


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[LocalS3Server]:
    with LocalS3Server(tmp_path_factory.mktemp("s3"), bucket=BUCKET) as running:
        yield running


@pytest.fixture
def credentials(server, monkeypatch) -> dict[str, str]:
    env = {"AWS_ACCESS_KEY_ID": server.access_key, "AWS_SECRET_ACCESS_KEY": server.secret_key,
           "AWS_DEFAULT_REGION": "us-east-1"}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    return env


@pytest.fixture
def raw_s3(server):
    client = boto3.client("s3", **server.client_kwargs())
    yield client
    client.close()


def store_at(server: LocalS3Server, prefix: str, **options) -> S3Store:
    store = open_store(f"s3://{BUCKET}/{prefix}",
                       StoreOptions(endpoint_url=server.endpoint_url, **options))
    assert isinstance(store, S3Store)
    return store


def bucket_keys(raw_s3, prefix: str) -> list[str]:
    pages = raw_s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=prefix + "/")
    return sorted(item["Key"][len(prefix) + 1:] for page in pages
                  for item in page.get("Contents", []))


def read_object(raw_s3, key: str) -> bytes:
    with raw_s3.get_object(Bucket=BUCKET, Key=key)["Body"] as body:
        return body.read()


class TestS3Store:
    def test_single_upload_is_checked_and_verified(self, server, credentials, tmp_path):
        store = store_at(server, "single")
        source = tmp_path / "a.warc.gz"
        source.write_bytes(os.urandom(100_000))
        digests = file_digests(source)
        stored = store.put(source, "warc/job/a.warc.gz", digests)
        assert (stored.size, stored.etag, stored.sha256) == (
            100_000, digests.expected_etag, digests.sha256)
        assert stored.checksum_sha256 == digests.sha256_b64  # computed by the server
        with store.open("warc/job/a.warc.gz") as body:
            assert body.read() == source.read_bytes()

    def test_large_files_go_up_in_parts(self, server, credentials, tmp_path):
        store = store_at(server, "multi", multipart_threshold=5 * MIB, part_size=5 * MIB)
        source = tmp_path / "big.warc.gz"
        source.write_bytes(os.urandom(11 * MIB + 123))
        digests = file_digests(source, part_size=5 * MIB)
        assert len(digests.parts) == 3
        stored = store.put(source, "warc/job/big.warc.gz", digests)
        assert stored.etag == digests.expected_etag and stored.etag.endswith("-3")
        assert stored.checksum_sha256 == digests.expected_checksum_sha256
        assert stored.size == 11 * MIB + 123

    def test_server_rejects_a_body_that_does_not_match_its_checksum(self, server, credentials,
                                                                    tmp_path, raw_s3):
        store = store_at(server, "mismatch")
        source = tmp_path / "a.jsonl"
        source.write_bytes(b'{"a": 1}\n')
        wrong = replace(file_digests(source), sha256="00" * 32, md5="00" * 16)
        with pytest.raises(StoreIntegrityError, match="checksum mismatch"):
            store.put(source, "articles/job/a.jsonl", wrong)
        assert bucket_keys(raw_s3, "mismatch") == []

    def test_a_bad_part_aborts_the_multipart_upload(self, server, credentials, tmp_path,
                                                    raw_s3):
        store = store_at(server, "badpart", multipart_threshold=5 * MIB, part_size=5 * MIB)
        source = tmp_path / "big"
        source.write_bytes(os.urandom(10 * MIB + 1))
        digests = file_digests(source, part_size=5 * MIB)
        spoiled = replace(digests.parts[1], md5=b"\0" * 16)
        bad = replace(digests, parts=(digests.parts[0], spoiled, digests.parts[2]))
        with pytest.raises(StoreIntegrityError):
            store.put(source, "warc/job/big", bad)
        assert bucket_keys(raw_s3, "badpart") == []
        assert not raw_s3.list_multipart_uploads(Bucket=BUCKET, Prefix="badpart/").get("Uploads")

    def test_wrong_credentials_missing_bucket_and_dead_endpoint(self, server, credentials,
                                                                monkeypatch):
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "not-the-secret")
        with pytest.raises(StoreConfigError, match="rejected the credentials"):
            store_at(server, "x").check()
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", server.secret_key)
        missing = open_store("s3://no-such-bucket/x",
                             StoreOptions(endpoint_url=server.endpoint_url))
        with pytest.raises(StoreConfigError, match="bucket 'no-such-bucket' does not exist"):
            missing.check()
        dead = open_store(f"s3://{BUCKET}/x", StoreOptions(endpoint_url="http://127.0.0.1:9"))
        with pytest.raises(StoreUnavailableError, match="cannot reach"):
            dead.check()

    def test_verify_finds_corrupt_and_missing_objects(self, server, credentials, tmp_path,
                                                      raw_s3):
        store = store_at(server, "verify")
        files = {}
        for name in ("one", "two", "three"):
            path = tmp_path / name
            path.write_bytes(name.encode() * 1000)
            store.put(path, f"warc/job/{name}", file_digests(path))
            files[name] = path
        manifest = {"job": "job", "files": [
            {"path": f"warc/job/{name}", "size": path.stat().st_size,
             "sha256": file_digests(path).sha256} for name, path in files.items()]}
        raw_s3.put_object(Bucket=BUCKET, Key="verify/manifests/job-1.json",
                          Body=json.dumps(manifest).encode())
        assert verify_store(store).ok
        # Same size, other bytes: only reading the object back shows it.
        raw_s3.put_object(Bucket=BUCKET, Key="verify/warc/job/two", Body=b"TWO" * 1000)
        raw_s3.delete_object(Bucket=BUCKET, Key="verify/warc/job/three")
        report = verify_store(store)
        assert report.missing == ["warc/job/three"]
        assert len(report.corrupt) == 1 and report.corrupt[0].startswith("warc/job/two: sha256")


def cli_env(server: LocalS3Server, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("AWS_")}
    env.update(PYTHONPATH=str(ROOT), AWS_ACCESS_KEY_ID=server.access_key,
               AWS_SECRET_ACCESS_KEY=server.secret_key, AWS_DEFAULT_REGION="us-east-1")
    env.update(extra)
    return env


def run(server: LocalS3Server, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*NEWSARCHIVE, *args], capture_output=True, text=True, cwd=ROOT,
                          env=cli_env(server, **extra), timeout=300, check=False)


def stored_articles(raw_s3, prefix: str) -> list[dict]:
    rows = []
    for key in bucket_keys(raw_s3, prefix):
        if key.startswith("articles/") and key.endswith(".jsonl"):
            text = read_object(raw_s3, f"{prefix}/{key}").decode("utf-8")
            rows.extend(json.loads(line) for line in text.splitlines() if line)
    return rows


def local_data_files(out: Path) -> list[Path]:
    return [p for folder in ("warc", "articles") if (out / folder).exists()
            for p in (out / folder).rglob("*") if p.is_file()]


# Small WARC files, so that several are finished (and uploaded) during the crawl.
SMALL_WARCS = ["-s", "WARC_MAX_SIZE=40000"]


@pytest.fixture(scope="module")
def clean_crawl(server, test_site, tmp_path_factory):
    """A crawl of the test site straight to the store, with no outage."""
    out = tmp_path_factory.mktemp("s3crawl") / "archive"
    result = run(server, "crawl", "--seed", test_site.base_url, "--out", str(out),
                 "--job", "site", "--store", f"s3://{BUCKET}/clean",
                 "--endpoint-url", server.endpoint_url, *FAST, *SMALL_WARCS,
                 "-s", "LOG_LEVEL=DEBUG")
    return out, result


class TestCrawlToS3:
    def test_every_file_lands_in_the_bucket_verified(self, clean_crawl, raw_s3, server):
        out, result = clean_crawl
        assert result.returncode == 0, result.stderr[-3000:]
        [manifest_path] = (out / "manifests").glob("site-*Z.json")
        manifest = json.loads(manifest_path.read_text())
        keys = bucket_keys(raw_s3, "clean")
        assert f"manifests/{manifest_path.name}" in keys
        assert sum(entry["kind"] == "warc" for entry in manifest["files"]) >= 3
        for entry in manifest["files"]:
            assert entry["path"] in keys and "pending" not in entry
            assert entry["store"]["etag"] and entry["store"]["size"] == entry["size"]
            head = raw_s3.head_object(Bucket=BUCKET, Key=f"clean/{entry['path']}")
            assert head["ContentLength"] == entry["size"]
            assert head["Metadata"]["sha256"] == entry["sha256"]
        # The manifest in the bucket is the final one, and the spool is empty.
        assert json.loads(read_object(raw_s3, f"clean/manifests/{manifest_path.name}")) \
            == manifest
        assert local_data_files(out) == []
        assert "Uploaded to store:" in result.stdout

    def test_verify_passes_and_articles_are_readable_from_the_bucket(self, clean_crawl,
                                                                     raw_s3, server,
                                                                     test_site):
        verify = run(server, "verify", "--store", f"s3://{BUCKET}/clean",
                     "--endpoint-url", server.endpoint_url)
        assert verify.returncode == 0, verify.stderr
        assert "all present and intact" in verify.stdout
        articles = stored_articles(raw_s3, "clean")
        expected = {test_site.url(article.path)
                    for article in load_site("test").expected_articles}
        assert {a["url"] for a in articles} == expected and len(articles) == len(expected)

    def test_researchers_query_show_and_export_from_the_bucket(self, clean_crawl, raw_s3,
                                                                server, tmp_path):
        """The crawl removed its local copies: every researcher command reads the bucket
        (Parquet indexes fetched into a cache, captures by ranged GET)."""
        out, _ = clean_crawl
        assert not list((out / "articles").rglob("*.jsonl"))
        keys = bucket_keys(raw_s3, "clean")
        assert any(k.endswith(".parquet") for k in keys) and any(k.endswith(".cdxj")
                                                                 for k in keys)
        store = ["--store", f"s3://{BUCKET}/clean", "--endpoint-url", server.endpoint_url,
                 "--cache", str(tmp_path / "cache")]
        expected = stored_articles(raw_s3, "clean")
        queried = run(server, "query", *store, "--fields", "url,warc")
        assert queried.returncode == 0, queried.stderr
        rows = [json.loads(line) for line in queried.stdout.splitlines()]
        assert sorted(r["url"] for r in rows) == sorted(a["url"] for a in expected)
        # Only the Parquet indexes were fetched, not the JSON Lines they index.
        fetched = [p.name for p in (tmp_path / "cache").rglob("*") if p.is_file()]
        assert fetched and all(name.endswith(".parquet") for name in fetched)
        shown = run(server, "show", rows[0]["url"], *store, "--json")
        assert shown.returncode == 0, shown.stderr
        capture = json.loads(shown.stdout)
        assert capture["warc"]["WARC-Record-ID"] == rows[0]["warc"]["record_id"]
        assert capture["http"]["status"].startswith("HTTP/1.1 200")
        local = run(server, "show", rows[0]["url"], "--out", str(out))
        assert local.returncode == 2 and f"add --store s3://{BUCKET}/clean" in local.stderr
        wacz = tmp_path / "site.wacz"
        exported = run(server, "export-wacz", *store, "--job", "site", "-o", str(wacz))
        assert exported.returncode == 0, exported.stderr
        assert f"{len(expected)} page(s)" in exported.stdout

    def test_endpoint_from_the_environment(self, clean_crawl, server):
        result = run(server, "verify", "--store", f"s3://{BUCKET}/clean", "--job", "site",
                     AWS_ENDPOINT_URL=server.endpoint_url)
        assert result.returncode == 0, result.stderr
        nothing = run(server, "verify", "--store", f"s3://{BUCKET}/clean", "--job", "other",
                      AWS_ENDPOINT_URL=server.endpoint_url)
        assert nothing.returncode == 1 and "no crawl manifests" in nothing.stderr

    def test_secrets_never_reach_the_output(self, clean_crawl, server):
        _, result = clean_crawl
        output = result.stdout + result.stderr
        assert "DEBUG" in output  # the crawl really logged at debug level
        assert server.secret_key not in output and server.access_key not in output

    def test_secrets_are_refused_as_settings(self, server, test_site, tmp_path):
        result = run(server, "crawl", "--seed", test_site.base_url, "--out", str(tmp_path / "o"),
                     "--store", f"s3://{BUCKET}/x", "-s", "AWS_SECRET_ACCESS_KEY=abc")
        assert result.returncode == 2 and "AWS_SECRET_ACCESS_KEY cannot be given" in result.stderr
        assert not (tmp_path / "o").exists()


class TestUploadAndVerifyCommands:
    def test_upload_a_local_crawl_then_verify_finds_damage(self, server, tmp_path, raw_s3):
        out = tmp_path / "out"
        make_crawl_output(out)  # as a crawl without --store leaves it
        store = ["--store", f"s3://{BUCKET}/cli", "--endpoint-url", server.endpoint_url]
        upload = run(server, "upload", "--out", str(out), *store)
        assert upload.returncode == 0, upload.stderr
        assert "  sent     warc/job/job-1.warc.gz" in upload.stdout
        assert "Uploaded 4 file(s)" in upload.stdout
        assert run(server, "verify", *store).returncode == 0
        raw_s3.put_object(Bucket=BUCKET, Key="cli/warc/job/job-1.warc.gz", Body=b"W1" * 100)
        raw_s3.delete_object(Bucket=BUCKET, Key="cli/articles/job/job-1.jsonl")
        verify = run(server, "verify", *store)
        assert verify.returncode == 1
        assert "CORRUPT  warc/job/job-1.warc.gz: sha256" in verify.stdout
        assert "MISSING  articles/job/job-1.jsonl" in verify.stdout
        assert "1 missing, 1 corrupt" in verify.stdout


class TestStoreProblemsBeforeCrawling:
    @pytest.mark.parametrize(("store", "endpoint", "env", "message"), [
        (f"s3://{BUCKET}/x", None, {"AWS_SECRET_ACCESS_KEY": "wrong"},
         "rejected the credentials (SignatureDoesNotMatch)"),
        (f"s3://{BUCKET}/x", None, {"AWS_ACCESS_KEY_ID": "nobody"},
         "rejected the credentials (InvalidAccessKeyId)"),
        ("s3://missing-bucket/x", None, {}, "bucket 'missing-bucket' does not exist"),
        (f"s3://{BUCKET}/../x", None, {}, "refusing object key"),
        (f"s3://{BUCKET}/x", None, {"AWS_PROFILE": "no-such-profile"},
         "The config profile (no-such-profile) could not be found"),
        ("gs://bucket/x", None, {}, "unsupported store"),
    ])
    def test_one_line_exit_2_nothing_written(self, server, test_site, tmp_path, store,
                                             endpoint, env, message):
        out = tmp_path / "out"
        endpoint_args = ["--endpoint-url", endpoint or server.endpoint_url] \
            if store.startswith("s3://") else []
        result = run(server, "crawl", "--seed", test_site.base_url, "--out", str(out),
                     "--store", store, *endpoint_args, **env)
        assert result.returncode == 2, result.stderr
        assert message in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
        assert "Traceback" not in result.stderr and not out.exists()
        assert server.secret_key not in result.stderr


class TestOutage:
    def test_server_killed_mid_crawl_then_upload_completes(self, server, test_site, tmp_path,
                                                           raw_s3, clean_crawl, credentials):
        out = tmp_path / "archive"
        # Slower than FAST, so the crawl is still running when the store goes away.
        crawl = subprocess.Popen(
            [*NEWSARCHIVE, "crawl", "--seed", test_site.base_url, "--out", str(out),
             "--job", "site", "--store", f"s3://{BUCKET}/outage",
             "--endpoint-url", server.endpoint_url, *FAST, *SMALL_WARCS,
             "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1", "-s", "DOWNLOAD_DELAY=0.05",
             "-s", "ARCHIVE_STORE_RETRY_DELAY=0.1"],
            cwd=ROOT, env=cli_env(server), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True)
        try:
            deadline = time.monotonic() + 120
            while not bucket_keys(raw_s3, "outage"):
                assert crawl.poll() is None, "the crawl ended before anything was uploaded"
                assert time.monotonic() < deadline
                time.sleep(0.05)
            server.kill()
            assert crawl.poll() is None, "the crawl ended before the store went down"
            _, stderr = crawl.communicate(timeout=300)
        finally:
            if crawl.poll() is None:
                crawl.kill()
                crawl.communicate()
            server.start()
        assert crawl.returncode == 1, stderr[-3000:]
        assert "wait for upload" in stderr
        assert f"newsarchive upload --out {out} --store s3://{BUCKET}/outage --endpoint-url " \
            f"{server.endpoint_url}" in stderr
        [manifest_path] = (out / "manifests").glob("site-*Z.json")
        manifest = json.loads(manifest_path.read_text())
        pending = [entry for entry in manifest["files"] if entry.get("pending")]
        assert pending and all((out / entry["path"]).exists() for entry in pending)
        assert f"manifests/{manifest_path.name}" not in bucket_keys(raw_s3, "outage")

        upload = run(server, "upload", "--out", str(out), "--store", f"s3://{BUCKET}/outage",
                     "--endpoint-url", server.endpoint_url)
        assert upload.returncode == 0, upload.stderr
        assert local_data_files(out) == []
        again = run(server, "upload", "--out", str(out), "--store", f"s3://{BUCKET}/outage",
                    "--endpoint-url", server.endpoint_url)
        assert again.returncode == 0 and again.stdout.startswith("Uploaded 0 file(s)")

        # The same bucket contents as the crawl without an outage: every file of the
        # manifest, the manifest itself and its run report, every article exactly once.
        # (The job's state goes up with the next crawl: tests/test_faults.py.)
        manifest = json.loads(manifest_path.read_text())
        keys = bucket_keys(raw_s3, "outage")
        assert sorted([entry["path"] for entry in manifest["files"]]
                      + [f"manifests/{manifest_path.name}",
                         f"manifests/{report_path(manifest_path).name}"]) == keys
        assert verify_store(store_at(server, "outage")).ok
        outage_urls = sorted(a["url"] for a in stored_articles(raw_s3, "outage"))
        clean_urls = sorted(a["url"] for a in stored_articles(raw_s3, "clean"))
        assert outage_urls == clean_urls

    def test_upload_refuses_a_missing_directory(self, server, tmp_path):
        result = run(server, "upload", "--out", str(tmp_path / "nothing"),
                     "--store", f"s3://{BUCKET}/x", "--endpoint-url", server.endpoint_url)
        assert result.returncode == 2 and "not an archive directory" in result.stderr
