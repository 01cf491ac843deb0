"""The query cache's size limit: least recently used out, never what a query uses."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from archive.errors import QueryError
from archive.query import cachelimit, find_articles
from archive.query.cachelimit import (
    DEFAULT_MAX_BYTES,
    cache_max_bytes,
    cache_size,
    mark_used,
    parse_size,
    trim_cache,
)
from archive.query.sources import fetch
from archive.store.digests import file_digests
from archive.store.filestore import FileStore
from tests.conftest import run_cli
from tests.test_query import article, write_part


@pytest.fixture(autouse=True)
def fresh_process(monkeypatch):
    """Each test is a process of its own: nothing used yet."""
    monkeypatch.setattr(cachelimit, "_USED", {})
    monkeypatch.delenv(cachelimit.ENV_MAX_BYTES, raising=False)


def cached(cache: Path, name: str, size: int, used_ago: float) -> Path:
    path = cache / "articles" / "news" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x" * size)
    when = time.time() - used_ago
    os.utime(path, (when, when))
    return path


class TestSizes:
    @pytest.mark.parametrize(("text", "size"), [
        ("1048576", 1048576), ("500M", 500 * 1024 ** 2), ("2G", 2 * 1024 ** 3),
        ("1.5GiB", int(1.5 * 1024 ** 3)), ("64k", 65536), ("0", 0)])
    def test_parse(self, text, size):
        assert parse_size(text) == size

    @pytest.mark.parametrize("text", ["", "lots", "-1G", "2X"])
    def test_bad_sizes_say_how(self, text):
        with pytest.raises(QueryError, match=r"e\.g\. 2G"):
            parse_size(text)

    def test_from_the_environment(self):
        assert cache_max_bytes({}) == DEFAULT_MAX_BYTES == 2 * 1024 ** 3
        assert cache_max_bytes({"NEWSARCHIVE_CACHE_MAX_BYTES": "10M"}) == 10 * 1024 ** 2
        with pytest.raises(QueryError, match="NEWSARCHIVE_CACHE_MAX_BYTES"):
            cache_max_bytes({"NEWSARCHIVE_CACHE_MAX_BYTES": "big"})


class TestTrim:
    def test_least_recently_used_go_first_until_under_the_limit(self, tmp_path):
        cache = tmp_path / "cache"
        oldest = cached(cache, "a.parquet", 1000, used_ago=300)
        older = cached(cache, "b.parquet", 1000, used_ago=200)
        newer = cached(cache, "c.parquet", 1000, used_ago=100)
        newest = cached(cache, "d.parquet", 1000, used_ago=10)
        assert cache_size(cache) == 4000
        removed = trim_cache(cache, 2500)
        assert [item.path for item in removed] == [oldest, older]
        assert newer.exists() and newest.exists() and cache_size(cache) == 2000
        assert trim_cache(cache, 2500) == []  # under the limit: nothing to do

    def test_what_is_kept_stays_even_over_the_limit(self, tmp_path):
        cache = tmp_path / "cache"
        in_use = cached(cache, "a.parquet", 1000, used_ago=300)
        other = cached(cache, "b.parquet", 1000, used_ago=200)
        removed = trim_cache(cache, 0, keep=[in_use])
        assert [item.path for item in removed] == [other]
        assert in_use.exists() and cache_size(cache) == 1000

    def test_a_used_file_is_touched_and_moves_to_the_back(self, tmp_path):
        cache = tmp_path / "cache"
        first = cached(cache, "a.parquet", 1000, used_ago=300)
        second = cached(cache, "b.parquet", 1000, used_ago=200)
        mark_used(cache, first)
        assert first.stat().st_mtime > second.stat().st_mtime
        assert cachelimit.used_here(cache) == {first.absolute()}
        # A later process: nothing of its own in use, and first is now the newer.
        assert [item.path for item in trim_cache(cache, 1000)] == [second]

    def test_a_search_index_is_one_item_and_anothers_download_is_left(self, tmp_path):
        cache = tmp_path / "cache"
        index = cache / "search" / "news"
        (index / "index").mkdir(parents=True)
        (index / "index" / "segment").write_bytes(b"s" * 3000)
        (index / "parts.json").write_text("{}")
        for path in [index / "index" / "segment", index / "parts.json", index / "index", index]:
            os.utime(path, (time.time() - 500, time.time() - 500))
        downloading = cached(cache, "c.parquet.4242.tmp", 500, used_ago=400)
        part = cached(cache, "d.parquet", 1000, used_ago=10)
        removed = trim_cache(cache, 1500)
        assert [item.path for item in removed] == [index]
        assert removed[0].size == 3002 and not index.exists()
        assert downloading.exists() and part.exists()

    def test_fetch_marks_what_it_serves(self, tmp_path):
        store = FileStore(tmp_path / "store")
        source = tmp_path / "a.parquet"
        source.write_bytes(b"p" * 100)
        store.put(source, "articles/news/a.parquet", file_digests(source))
        cache = tmp_path / "cache"
        stale = cached(cache, "old.parquet", 100, used_ago=1000)
        got = fetch(store, "articles/news/a.parquet", cache, 100)
        os.utime(got, (time.time() - 2000, time.time() - 2000))
        assert fetch(store, "articles/news/a.parquet", cache, 100) == got  # from the cache
        assert got.stat().st_mtime > stale.stat().st_mtime
        assert cachelimit.used_here(cache) == {got.absolute()}


def store_of_parts(tmp_path: Path, parts: int) -> tuple[str, list[str]]:
    """A file store of ``parts`` indexed article parts of job news; their keys."""
    local = tmp_path / "local" / "articles" / "news"
    local.mkdir(parents=True)
    store = FileStore(tmp_path / "store")
    keys = []
    for n in range(parts):
        part = write_part(local, [article(f"http://x.test/{n}", 1, f"Story {n}")], index=True)
        for path in (part, part.with_suffix(".parquet")):
            key = f"articles/news/{path.name}"
            store.put(path, key, file_digests(path))
            keys.append(key)
    return store.uri, keys


class TestQueries:
    def test_a_query_keeps_its_own_files_and_drops_older_ones(self, tmp_path):
        uri, keys = store_of_parts(tmp_path, 2)
        cache = tmp_path / "cache"
        stale = [cached(cache, f"gone-{n}.parquet", 50_000, used_ago=1000 + n) for n in range(3)]
        rows = find_articles(store=uri, cache=cache, cache_max=1, fields=["url"])
        assert sorted(r["url"] for r in rows) == ["http://x.test/0", "http://x.test/1"]
        assert not any(path.exists() for path in stale)
        # Over the limit of 1 byte, still: what the query read stays.
        fetched = sorted(p.name for p in (cache / "articles" / "news").iterdir())
        assert fetched == sorted(Path(k).name for k in keys if k.endswith(".parquet"))

    def test_the_limit_from_the_environment_and_the_command_line(self, tmp_path,
                                                                 monkeypatch):
        uri, _ = store_of_parts(tmp_path, 1)
        cache = tmp_path / "cache"
        stale = cached(cache, "gone.parquet", 5000, used_ago=1000)
        big = run_cli("query", "--store", uri, "--cache", str(cache), "--cache-max", "1M")
        assert big.returncode == 0, big.stderr
        assert stale.exists()
        monkeypatch.setenv(cachelimit.ENV_MAX_BYTES, "100")
        small = run_cli("query", "--store", uri, "--cache", str(cache))
        assert small.returncode == 0, small.stderr
        assert not stale.exists() and list((cache / "articles" / "news").iterdir())

    def test_a_bad_size_is_one_line_and_exit_2(self, tmp_path):
        uri, _ = store_of_parts(tmp_path, 1)
        result = run_cli("query", "--store", uri, "--cache-max", "lots")
        assert result.returncode == 2
        assert len(result.stderr.strip().splitlines()) == 1 and "--cache-max" in result.stderr
