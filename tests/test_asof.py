"""``--as-of CRAWL_ID|DATE`` (query, show, diff) and ``archive.query``'s ``as_of``: on two
real crawls of the changing Gazette, on hand-made manifests of a distributed crawl, and
on two crawls straight to a SeaweedFS bucket."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from archive.errors import QueryError
from archive.query import article_versions, find_articles
from crawler.demo.s3server import LocalS3Server
from tests.conftest import run_cli
from tests.gazettecorpus import TwoCrawls, crawl_editions_to_store, crawl_twice
from tests.gazettecrawl import JOB
from tests.sites import changing_editions as gazette
from tests.test_query import write_part
from tests.test_s3 import run


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> TwoCrawls:
    return crawl_twice(tmp_path_factory.mktemp("asof") / "out")


def urls(rows: list[dict]) -> set[str]:
    return {row["url"] for row in rows}


class TestAsOfACrawl:
    def test_first_crawl_has_version_1_and_not_the_later_stories(self, corpus):
        first, second = corpus.crawl_ids
        now = find_articles(corpus.out, fields=["url", "version"])
        then = find_articles(corpus.out, as_of=first, fields=["url", "version"])
        assert len(now) == 14 and len(then) == 12
        assert urls(now) - urls(then) == set(corpus.new)
        versions = {row["url"]: row["version"] for row in then}
        assert versions[corpus.edited] == 1
        assert {row["url"]: row["version"] for row in now}[corpus.edited] == 2
        # The latest crawl's id is the archive as it is; JOB-CRAWLID names it too.
        assert find_articles(corpus.out, as_of=second, fields=["url", "version"]) == now
        assert find_articles(corpus.out, as_of=f"{JOB}-{first}", fields=["url"]) == \
            [{"url": row["url"]} for row in then]

    def test_cut_comes_before_latest_and_changed(self, corpus):
        first, second = corpus.crawl_ids
        assert find_articles(corpus.out, as_of=first, changed=True) == []
        changed = find_articles(corpus.out, as_of=second, changed=True, fields=["url"])
        assert urls(changed) == {corpus.edited}
        every = find_articles(corpus.out, as_of=first, all_versions=True, fields=["version"])
        assert len(every) == 12 and {row["version"] for row in every} == {1}
        # The body that edition 2 corrected is the one found as of the first crawl.
        old_text = find_articles(corpus.out, as_of=first, text="rate by 14 per cent from April",
                                 fields=["url"])
        assert urls(old_text) == {corpus.edited}
        assert find_articles(corpus.out, text="rate by 14 per cent from April") == []

    def test_sql_over_the_corpus_then(self, corpus):
        result = run_cli("query", "--out", str(corpus.out), "--as-of", corpus.crawl_ids[0],
                         "--sql", "SELECT count(*) AS n, max(version) AS v FROM articles")
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout) == {"n": 12, "v": 1}

    def test_show_and_diff_as_then(self, corpus):
        first = corpus.crawl_ids[0]
        show = run_cli("show", corpus.edited, "--out", str(corpus.out), "--as-of", first,
                       "--json", "--body-chars", "0")
        assert show.returncode == 0, show.stderr
        assert json.loads(show.stdout)["article"]["version"] == 1
        listed = run_cli("show", corpus.edited, "--out", str(corpus.out), "--versions",
                         "--json", "--as-of", first)
        assert [v["version"] for v in json.loads(listed.stdout)["versions"]] == [1]
        diff = run_cli("diff", corpus.edited, "--out", str(corpus.out), "--as-of", first)
        assert diff.returncode == 0 and "nothing to compare" in diff.stdout
        assert article_versions(corpus.out, corpus.edited).numbers() == [1, 2]
        missing = run_cli("show", corpus.new[0], "--out", str(corpus.out), "--as-of", first)
        assert missing.returncode == 1 and f"as of {first}" in missing.stderr


class TestAsOfADate:
    def test_day_and_instant(self, corpus):
        started = [datetime.fromisoformat(corpus.manifest(i)["started"]) for i in (0, 1)]
        day_before = (started[0] - timedelta(days=1)).date().isoformat()
        assert find_articles(corpus.out, as_of=day_before) == []
        # A day means up to its end: both crawls ran "today".
        assert len(find_articles(corpus.out, as_of=started[1].date().isoformat())) == 14
        # Capture times are whole seconds: the second crawl's first pages can carry its
        # very start time, so the cut is the second before it.
        before_second = started[1] - timedelta(seconds=1)
        between = find_articles(corpus.out, as_of=before_second.isoformat(),
                                fields=["url", "version"])
        assert len(between) == 12 and {row["version"] for row in between} == {1}
        # No zone: UTC.
        naive = before_second.replace(tzinfo=None).isoformat()
        assert len(find_articles(corpus.out, as_of=naive)) == 12


class TestBadAsOf:
    def test_unknown_crawl_names_the_nearest(self, corpus):
        first, second = corpus.crawl_ids
        result = run_cli("query", "--out", str(corpus.out), "--as-of", "20200101T000000Z")
        assert result.returncode == 2 and result.stdout == ""
        [line] = result.stderr.splitlines()
        assert "no such crawl" in line and f"{JOB}-{first}" in line and f"{JOB}-{second}" in line
        other = run_cli("query", "--out", str(corpus.out), "--as-of", f"other-{first}")
        assert other.returncode == 2 and "no crawl manifests of job other" in other.stderr

    @pytest.mark.parametrize("value", ["yesterday", "2024-13-01", " "])
    def test_not_a_crawl_or_date(self, corpus, value):
        result = run_cli("query", "--out", str(corpus.out), "--as-of", value)
        assert result.returncode == 2 and "Traceback" not in result.stderr
        assert len(result.stderr.splitlines()) == 1 and "--as-of" in result.stderr

    def test_library_raises_query_error(self, corpus):
        with pytest.raises(QueryError, match="neither a crawl id"):
            find_articles(corpus.out, as_of="last week")


def test_distributed_crawl_counts_every_workers_manifest(tmp_path):
    """A crawl's workers write one manifest each (JOB-CRAWLID-WORKER.json), and the last
    one the crawl's own: the files of all of them are the crawl's."""
    folder = tmp_path / "articles" / "news"
    folder.mkdir(parents=True)

    def record(url: str, fetched: str) -> dict:
        return {"url": url, "canonical_url": url, "job": "news", "title": url,
                "text": "Body.", "fetched_at": fetched, "version": 1}

    a = write_part(folder, [record("http://x.test/a", "2024-06-20T09:01:00+00:00")], index=True)
    b = write_part(folder, [record("http://x.test/b", "2024-06-20T09:02:00+00:00")], index=False)
    c = write_part(folder, [record("http://x.test/c", "2024-06-21T09:01:00+00:00")], index=True)
    write_part(folder, [record("http://x.test/d", "2024-06-21T09:02:00+00:00")], index=False)
    manifests = tmp_path / "manifests"
    manifests.mkdir()

    def manifest(name: str, crawl_id: str, *parts: Path) -> None:
        files = [{"path": p.relative_to(tmp_path).as_posix(), "kind": "articles"} for p in parts]
        (manifests / name).write_text(json.dumps({"job": "news", "crawl_id": crawl_id,
                                                  "files": files}))

    manifest("news-20240620T090000Z-w1.json", "20240620T090000Z", a)
    manifest("news-20240620T090000Z-w2.json", "20240620T090000Z", b)
    manifest("news-20240621T090000Z-w1.json", "20240621T090000Z", c)
    # d: no manifest lists it (a crawl still running): in no crawl's corpus yet.
    assert urls(find_articles(tmp_path, as_of="20240620T090000Z")) == {
        "http://x.test/a", "http://x.test/b"}
    assert urls(find_articles(tmp_path, as_of="20240621T090000Z")) == {
        "http://x.test/a", "http://x.test/b", "http://x.test/c"}
    assert urls(find_articles(tmp_path)) == {f"http://x.test/{n}" for n in "abcd"}
    assert urls(find_articles(tmp_path, as_of="2024-06-20")) == {
        "http://x.test/a", "http://x.test/b"}
    with pytest.raises(QueryError, match="nearest of its 2 crawls: news-20240620T090000Z, "
                                         "news-20240621T090000Z"):
        find_articles(tmp_path, as_of="20240622T000000Z")


@pytest.mark.s3
def test_as_of_from_the_store(tmp_path):
    """Two crawls straight to a bucket: the crawl ids come from the store's manifests."""
    out = tmp_path / "out"
    with LocalS3Server(tmp_path / "s3", bucket="asof") as server, gazette.serve() as site:
        store = ["--store", "s3://asof/gazette", "--endpoint-url", server.endpoint_url]
        crawl_editions_to_store(server, site, out, store)
        store += ["--cache", str(tmp_path / "cache")]
        ids = sorted(p.name.removeprefix(f"{JOB}-").removesuffix(".json")
                     for p in (out / "manifests").glob(f"{JOB}-*Z.json"))
        for path in (out / "manifests").glob("*.json"):
            path.unlink()  # the store's manifests, not the local copies, must be read
        then = run(server, "query", *store, "--as-of", ids[0], "--fields", "url,version")
        assert then.returncode == 0, then.stderr
        rows = [json.loads(line) for line in then.stdout.splitlines()]
        assert len(rows) == 12 and {row["version"] for row in rows} == {1}
        now = run(server, "query", *store, "--as-of", ids[1], "--fields", "url")
        assert len(now.stdout.splitlines()) == 14
        unknown = run(server, "query", *store, "--as-of", "20200101T000000Z")
        assert unknown.returncode == 2 and f"{JOB}-{ids[0]}" in unknown.stderr
