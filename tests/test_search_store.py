"""The search index travels to the store: snapshots written whole, listed in the
crawl's manifest, uploaded and verified; a fresh cache (or a new machine) starts from
the newest one and catches up from the parts; a damaged one falls back to the parts;
a snapshot the store refuses never changes the crawl's exit status."""

from __future__ import annotations

import io
import json
import logging
import shutil
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest

from archive.search import JobIndex, add_part, parse_search, search_job
from archive.search.jobindex import held_parts
from archive.search.snapshot import (
    SnapshotError,
    last_snapshot,
    newest_snapshot,
    note_snapshot,
    restore_snapshot,
    snapshot_due,
    snapshot_name,
    start_from_snapshot,
    write_snapshot,
)
from archive.store.digests import file_digests
from archive.store.filestore import FileStore
from crawler.demo.s3server import LocalS3Server
from tests.conftest import FAST, NEWSARCHIVE, ROOT
from tests.sites import changing_editions as gazette
from tests.test_query import write_part
from tests.test_s3 import BUCKET, bucket_keys, cli_env, read_object, run, stored_articles
from tests.test_search import filler, story

JOB = "site"


def indexed_archive(root: Path, parts: int = 1) -> Path:
    """An archive of ``parts`` article parts, each in the job's search index."""
    folder = root / "articles" / "news"
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(parts):
        write_part(folder, [story(f"zeppelin-{n}", f"Zeppelin {n}", "A zeppelin landed."),
                            *filler(10, "news")], index=True)
    for part in sorted(folder.glob("*.parquet")):
        add_part(part)
    return root / "search" / "news"


def put_snapshot(store: FileStore, path: Path, job: str = "news") -> str:
    key = f"search/{job}/{path.name}"
    store.put(path, key, file_digests(path))
    return key


def hits(directory: Path, words: str) -> list[int]:
    return sorted(search_job(JobIndex.open(directory), parse_search(words)).captures)


class TestSnapshotFiles:
    def test_written_whole_restored_and_searched_alike(self, tmp_path):
        index = indexed_archive(tmp_path / "archive", parts=2)
        path, parts = write_snapshot(index, snapshot_name("20240620T100000Z", "host-1"))
        assert (path.name, parts) == ("index-20240620T100000Z-host-1.tar", 2)
        assert not list(index.glob("*.open"))
        with tarfile.open(path) as tar:
            names = tar.getnames()
        assert "parts.json" in names and "index/meta.json" in names
        assert not [name for name in names if name.endswith(".lock")]
        store = FileStore(tmp_path / "store")
        key = put_snapshot(store, path)
        cache = tmp_path / "cache" / "search" / "news"
        assert start_from_snapshot(store, cache, "news") == key
        assert held_parts(cache) == held_parts(index)
        assert hits(cache, "zeppelin") == hits(index, "zeppelin")
        assert len(hits(cache, "zeppelin")) == 2
        assert last_snapshot(cache) == {"name": path.name, "parts": 2}
        # Once there, later queries reuse it: the store is not asked again.
        shutil.rmtree(tmp_path / "store")
        assert start_from_snapshot(store, cache, "news") is None

    def test_the_newest_by_name(self, tmp_path):
        index = indexed_archive(tmp_path / "archive")
        store = FileStore(tmp_path / "store")
        for crawl in ("20240620T100000Z", "20240621T100000Z", "20240619T100000Z"):
            put_snapshot(store, write_snapshot(index, snapshot_name(crawl, "h-1"))[0])
        assert newest_snapshot(store, "news") == "search/news/index-20240621T100000Z-h-1.tar"
        assert newest_snapshot(store, "other") is None

    def test_due_when_the_index_has_grown_enough(self, tmp_path):
        index = tmp_path / "archive" / "search" / "news"
        assert not snapshot_due(index, 0.1)  # no index, no parts
        index = indexed_archive(tmp_path / "archive", parts=10)
        assert snapshot_due(index, 0.1)
        note_snapshot(index, "index-a.tar", 10)
        assert not snapshot_due(index, 0.0)  # nothing new
        folder = tmp_path / "archive" / "articles" / "news"
        write_part(folder, filler(3, "news"), index=True)
        for part in folder.glob("*.parquet"):
            add_part(part)
        assert snapshot_due(index, 0.1) and not snapshot_due(index, 0.2)

    def test_a_rebuild_keeps_a_snapshot_waiting_beside_the_index(self, tmp_path):
        index = indexed_archive(tmp_path / "archive")
        path, _ = write_snapshot(index, snapshot_name("20240620T100000Z", "h-1"))
        (index / "parts.json").write_text("{not json")
        JobIndex.open(index)  # unreadable: started afresh
        assert path.exists() and not held_parts(index)

    @pytest.mark.parametrize("damage", ["truncated", "escaping", "no parts list", "garbage"])
    def test_a_damaged_snapshot_is_a_warning_and_nothing_is_installed(self, tmp_path, damage,
                                                                      caplog):
        index = indexed_archive(tmp_path / "archive")
        good, _ = write_snapshot(index, snapshot_name("20240620T100000Z", "h-1"))
        bad = tmp_path / good.name
        if damage == "truncated":
            bad.write_bytes(good.read_bytes()[:3000])
        elif damage == "garbage":
            bad.write_bytes(b"not a tar " * 500)
        else:
            with tarfile.open(good) as source, tarfile.open(bad, "w") as tar:
                for member in source:
                    if damage == "no parts list" and member.name == "parts.json":
                        continue
                    tar.addfile(member, source.extractfile(member))
                if damage == "escaping":
                    evil = tarfile.TarInfo("../../evil")
                    evil.size = 4
                    tar.addfile(evil, io.BytesIO(b"evil"))
        store = FileStore(tmp_path / "store")
        put_snapshot(store, bad)
        cache = tmp_path / "cache" / "search" / "news"
        with pytest.raises(SnapshotError):
            restore_snapshot(store, cache, "news")
        with caplog.at_level(logging.WARNING):
            assert start_from_snapshot(store, cache, "news") is None
        assert "building the search index of job news from its parts instead" in caplog.text
        assert not held_parts(cache) and not list((tmp_path / "cache").rglob("evil"))
        assert not list((tmp_path / "cache" / "search").iterdir())  # no leftovers


# -- crawls to a real S3 server --------------------------------------------------------
@dataclass
class Scenario:
    """Two crawls of one job, the second on a new machine, with searches between."""

    prefix: str
    first: subprocess.CompletedProcess[str]
    second: subprocess.CompletedProcess[str]
    first_out: Path
    second_out: Path
    first_snapshot: str
    first_search: subprocess.CompletedProcess[str]
    first_cache: Path
    first_snapshot_meta: dict
    first_word: str
    first_url: str


@pytest.fixture(scope="module")
def s3(tmp_path_factory):
    with LocalS3Server(tmp_path_factory.mktemp("s3"), bucket=BUCKET) as running:
        yield running


@pytest.fixture(scope="module")
def raw_s3(s3):
    client = boto3.client("s3", **s3.client_kwargs())
    yield client
    client.close()


def store_args(server: LocalS3Server, prefix: str) -> list[str]:
    return ["--store", f"s3://{BUCKET}/{prefix}", "--endpoint-url", server.endpoint_url]


def crawl(server: LocalS3Server, seed: str, out: Path, prefix: str, job: str = JOB,
          command: list[str] | None = None) -> subprocess.CompletedProcess[str]:
    args = ["crawl", "--seed", seed, "--out", str(out), "--job", job,
            *store_args(server, prefix), *FAST, "-s", "ARCHIVE_STORE_RETRY_DELAY=0.05"]
    if command is None:
        return run(server, *args)
    return subprocess.run([*command, *args], capture_output=True, text=True, cwd=ROOT,
                          env=cli_env(server), timeout=300, check=False)


def search(server: LocalS3Server, prefix: str, cache: Path, word: str
           ) -> subprocess.CompletedProcess[str]:
    return run(server, "query", *store_args(server, prefix), "--cache", str(cache),
               "--search", word, "--fields", "url", "--limit", "1000")


def found_urls(done: subprocess.CompletedProcess[str]) -> set[str]:
    assert done.returncode == 0, done.stderr[-3000:]
    return {json.loads(line)["url"] for line in done.stdout.splitlines()}


def snapshot_keys(raw_s3, prefix: str) -> list[str]:
    return [key for key in bucket_keys(raw_s3, prefix) if key.startswith(f"search/{JOB}/")]


def snapshot_member(raw_s3, prefix: str, key: str, name: str) -> dict:
    with tarfile.open(fileobj=io.BytesIO(read_object(raw_s3, f"{prefix}/{key}"))) as tar:
        return json.load(tar.extractfile(name))


def segments(meta: dict) -> set[str]:
    return {segment["segment_id"] for segment in meta["segments"]}


def title_word(article: dict) -> str:
    return max(article["title"].split(), key=len).strip(".,:;!?'\"")


@pytest.fixture(scope="module")
def scenario(s3, raw_s3, test_site, tmp_path_factory) -> Scenario:
    tmp = tmp_path_factory.mktemp("searchstore")
    prefix = "two"
    first = crawl(s3, test_site.base_url, tmp / "first", prefix)
    assert first.returncode == 0, first.stderr[-3000:]
    [first_snapshot] = snapshot_keys(raw_s3, prefix)
    [article] = [a for a in stored_articles(raw_s3, prefix) if a["title"]][:1]
    word = title_word(article)
    cache = tmp / "cache-first"
    first_search = search(s3, prefix, cache, word)
    meta = snapshot_member(raw_s3, prefix, first_snapshot, "index/meta.json")
    with gazette.serve() as site:
        # A new machine: an empty --out, the job's state and search index in the store.
        second = crawl(s3, site.url("/"), tmp / "second", prefix)
    return Scenario(prefix, first, second, tmp / "first", tmp / "second", first_snapshot,
                    first_search, cache, meta, word, article["url"])


@pytest.mark.s3
class TestSnapshotsInTheStore:
    def test_a_crawl_uploads_a_snapshot_listed_in_its_manifest(self, scenario, raw_s3):
        [manifest] = (scenario.first_out / "manifests").glob(f"{JOB}-*Z.json")
        files = json.loads(manifest.read_text())["files"]
        [entry] = [entry for entry in files if entry["kind"] == "search"]
        assert entry["path"] == scenario.first_snapshot
        assert entry["store"]["key"] == entry["path"] and "pending" not in entry
        head = raw_s3.head_object(Bucket=BUCKET, Key=f"{scenario.prefix}/{entry['path']}")
        assert head["Metadata"]["sha256"] == entry["sha256"]
        assert head["ContentLength"] == entry["size"]
        # The snapshot holds every part of the crawl.
        parts = {Path(e["path"]).name.removesuffix(".jsonl") for e in files
                 if e["kind"] == "articles"}
        listed = snapshot_member(raw_s3, scenario.prefix, entry["path"], "parts.json")
        assert set(listed["parts"]) == parts
        # The uploaded copy is gone from --out; the index later crawls add to stays.
        index = scenario.first_out / "search" / JOB
        assert not list(index.glob("*.tar")) and held_parts(index) == parts

    def test_a_fresh_cache_downloads_the_snapshot_instead_of_rebuilding(self, scenario):
        assert scenario.first_url in found_urls(scenario.first_search)
        # The same segments as in the snapshot: taken whole, not built again from the
        # parts (a build writes segments of new ids).
        meta = json.loads((scenario.first_cache / "search" / JOB / "index" / "meta.json")
                          .read_text())
        assert segments(meta) == segments(scenario.first_snapshot_meta)

    def test_a_second_crawl_adds_a_newer_snapshot_holding_both(self, scenario, raw_s3, s3,
                                                               tmp_path):
        assert scenario.second.returncode == 0, scenario.second.stderr[-3000:]
        assert "took search/site/index-" in scenario.second.stderr  # the new machine
        first, newest = snapshot_keys(raw_s3, scenario.prefix)
        assert first == scenario.first_snapshot and newest > first
        before = snapshot_member(raw_s3, scenario.prefix, first, "parts.json")["parts"]
        after = snapshot_member(raw_s3, scenario.prefix, newest, "parts.json")["parts"]
        assert set(before) < set(after)
        gazette_article = next(a for a in second_crawl_articles(scenario, raw_s3)
                               if a["title"])
        word = title_word(gazette_article)
        # A fresh cache starts from the newest snapshot and finds both crawls' articles.
        cache = tmp_path / "cache"
        assert scenario.first_url in found_urls(search(s3, scenario.prefix, cache,
                                                       scenario.first_word))
        assert gazette_article["url"] in found_urls(search(s3, scenario.prefix, cache, word))
        newest_meta = snapshot_member(raw_s3, scenario.prefix, newest, "index/meta.json")
        meta = json.loads((cache / "search" / JOB / "index" / "meta.json").read_text())
        assert segments(meta) == segments(newest_meta)
        # The first cache keeps its snapshot and catches up from the new parts.
        assert gazette_article["url"] in found_urls(
            search(s3, scenario.prefix, scenario.first_cache, word))
        assert held_parts(scenario.first_cache / "search" / JOB) == set(after)

    def test_a_damaged_snapshot_falls_back_and_verify_finds_it(self, scenario, raw_s3, s3,
                                                                tmp_path):
        store = store_args(s3, scenario.prefix)
        verified = run(s3, "verify", *store)
        assert verified.returncode == 0, verified.stdout + verified.stderr
        newest = snapshot_keys(raw_s3, scenario.prefix)[-1]
        key = f"{scenario.prefix}/{newest}"
        original = read_object(raw_s3, key)
        metadata = raw_s3.head_object(Bucket=BUCKET, Key=key)["Metadata"]
        damaged = bytearray(original)
        damaged[len(damaged) // 2] ^= 0xFF
        raw_s3.put_object(Bucket=BUCKET, Key=key, Body=bytes(damaged), Metadata=metadata)
        try:
            done = search(s3, scenario.prefix, tmp_path / "cache", scenario.first_word)
            assert scenario.first_url in found_urls(done)
            [warning] = done.stderr.splitlines()
            assert "did not arrive intact" in warning and "from its parts instead" in warning
            assert "Traceback" not in done.stderr
            verified = run(s3, "verify", *store)
            assert verified.returncode == 1
            assert f"{newest}: sha256" in verified.stdout + verified.stderr
        finally:
            raw_s3.put_object(Bucket=BUCKET, Key=key, Body=original, Metadata=metadata)


def second_crawl_articles(scenario: Scenario, raw_s3) -> list[dict]:
    """The articles of the second crawl, read from the store (its --out is a spool)."""
    [manifest] = (scenario.second_out / "manifests").glob(f"{JOB}-*Z.json")
    rows = []
    for entry in json.loads(manifest.read_text())["files"]:
        if entry["kind"] == "articles":
            text = read_object(raw_s3, f"{scenario.prefix}/{entry['path']}").decode()
            rows += [json.loads(line) for line in text.splitlines() if line]
    return rows


# A store that takes every file but the search snapshots: the snapshot alone fails.
REFUSES_SNAPSHOTS = """
import sys
from archive.errors import StoreUnavailableError
from archive.store import base
from archive.store.s3 import S3Store

class RefusesSnapshots(S3Store):
    def put(self, path, key, digests):
        if key.startswith("search/"):
            raise StoreUnavailableError("this store refuses snapshots (test)")
        return super().put(path, key, digests)

base.STORE_SCHEMES["s3"] = lambda uri, options: RefusesSnapshots.from_uri(uri, options)
from crawler.cli.main import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.s3
def test_a_snapshot_the_store_refuses_leaves_the_exit_status(s3, raw_s3, test_site, tmp_path):
    out = tmp_path / "archive"
    done = crawl(s3, test_site.base_url, out, "refused", job="refused",
                 command=[NEWSARCHIVE[0], "-c", REFUSES_SNAPSHOTS])
    assert done.returncode == 0, done.stderr[-3000:]
    assert "did not take the search snapshot" in done.stderr
    [manifest] = (out / "manifests").glob("refused-*Z.json")
    keys = bucket_keys(raw_s3, "refused")
    assert f"manifests/{manifest.name}" in keys  # not held back by the snapshot
    assert not [key for key in keys if key.startswith("search/")]
    files = json.loads(manifest.read_text())["files"]
    assert not [e for e in files if e["kind"] == "search" or e.get("pending")]
    index = out / "search" / "refused"
    assert not list(index.glob("*.tar")) and held_parts(index)
    assert not (index / "snapshot.json").exists()  # the next run sends one
