"""``newsarchive suppress`` and ``archive.query``'s suppress/unsuppress/suppressions: a
suppressed article is gone from query (--sql too), show, diff, replay (a real pywb)
and export-wacz, the archive's files keep their bytes, and undo brings it back; in a
local archive and in a SeaweedFS bucket."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from archive.errors import QueryError
from archive.query import find_articles, open_articles, suppress, suppressions, unsuppress
from archive.query.takedowns import hidden_urls
from archive.replay.pywb import ReplayServer
from crawler.demo.s3server import LocalS3Server
from tests.conftest import run_cli
from tests.gazettecorpus import TwoCrawls, crawl_editions_to_store, crawl_twice, sha256_of_files
from tests.gazettecrawl import JOB
from tests.sites import changing_editions as gazette
from tests.test_query import WACZ
from tests.test_replay import fetch
from tests.test_s3 import run


@pytest.fixture(scope="module")
def crawled(tmp_path_factory) -> TwoCrawls:
    return crawl_twice(tmp_path_factory.mktemp("suppress") / "crawled")


@pytest.fixture
def corpus(crawled, tmp_path) -> TwoCrawls:
    """A copy of the two crawls, for one test to suppress in."""
    out = tmp_path / "archive"
    shutil.copytree(crawled.out, out)
    return TwoCrawls(out, crawled.crawl_ids, crawled.edited, crawled.new)


def urls(out: Path, **options) -> set[str]:
    return {row["url"] for row in find_articles(out, fields=["url"], **options)}


def cli(corpus: TwoCrawls, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, "--out", str(corpus.out))


class TestHidden:
    def test_query_sql_show_diff_then_undo(self, corpus):
        before = sha256_of_files(corpus.out)
        every = urls(corpus.out)
        # Pasted with a tracking parameter and no trailing slash: still the article.
        pasted = corpus.edited.rstrip("/") + "?utm_source=mail"
        done = cli(corpus, "suppress", pasted, "--reason", "privacy request #12")
        assert done.returncode == 0, done.stderr
        assert urls(corpus.out) == every - {corpus.edited}
        assert corpus.edited not in urls(corpus.out, all_versions=True)
        assert find_articles(corpus.out, changed=True) == []
        # Every version is hidden, as of any crawl too.
        assert corpus.edited not in urls(corpus.out, as_of=corpus.crawl_ids[0])
        sql = cli(corpus, "query", "--sql", "SELECT count(*) AS n FROM articles WHERE url = "
                  f"'{corpus.edited}'")
        assert json.loads(sql.stdout) == {"n": 0}
        show = cli(corpus, "show", corpus.edited)
        assert show.returncode == 1 and show.stdout == ""
        assert "is suppressed: privacy request #12" in show.stderr
        versions = cli(corpus, "show", corpus.edited, "--versions")
        assert versions.returncode == 1 and "privacy request #12" in versions.stderr
        diff = cli(corpus, "diff", corpus.edited)
        assert diff.returncode == 1 and "is suppressed" in diff.stderr
        listed = cli(corpus, "suppress", "--list")
        assert listed.returncode == 0
        [line] = listed.stdout.splitlines()
        assert pasted in line and "privacy request #12" in line and "every job" in line
        undo = cli(corpus, "suppress", "--undo", corpus.edited, "--reason", "withdrawn")
        assert undo.returncode == 0, undo.stderr
        assert urls(corpus.out) == every
        assert cli(corpus, "show", corpus.edited, "--body-chars", "0").returncode == 0
        assert cli(corpus, "suppress", "--list").stdout == "No suppressions in force.\n"
        history = [json.loads(line) for line in
                   cli(corpus, "suppress", "--list", "--history", "--json").stdout.splitlines()]
        assert [(e["action"], e["reason"]) for e in history] == [
            ("suppress", "privacy request #12"), ("undo", "withdrawn")]
        assert all(e["by"] for e in history)
        assert sha256_of_files(corpus.out) == before

    def test_job_scope_and_library(self, corpus):
        entry = suppress(corpus.new[0], "court order", corpus.out, job="elsewhere")
        assert entry.job == "elsewhere" and urls(corpus.out) >= {corpus.new[0]}
        suppress(corpus.new[0], "court order", corpus.out, job=JOB)
        assert corpus.new[0] not in urls(corpus.out)
        assert [e.job for e in suppressions(corpus.out)] == ["elsewhere", JOB]
        unsuppress(corpus.new[0], corpus.out, job=JOB)
        assert corpus.new[0] in urls(corpus.out)
        assert [e.job for e in suppressions(corpus.out)] == ["elsewhere"]
        assert len(suppressions(corpus.out, history=True)) == 3
        with pytest.raises(QueryError, match="is not suppressed in job"):
            unsuppress(corpus.new[0], corpus.out, job=JOB)

    def test_list_is_terminal_safe(self, corpus):
        suppress(corpus.new[1], "spam \x1b]0;owned\x07 \u202e", corpus.out)
        listed = cli(corpus, "suppress", "--list")
        assert "\x1b" not in listed.stdout and "\\x1b]0;owned" in listed.stdout
        assert "\u202e" not in listed.stdout
        show = cli(corpus, "show", corpus.new[1])
        assert show.returncode == 1 and "\x1b" not in show.stderr
        as_json = cli(corpus, "suppress", "--list", "--json").stdout
        assert "\x1b" not in as_json and json.loads(as_json)["reason"].startswith("spam \x1b")


class TestBadInput:
    @pytest.mark.parametrize("args, message", [
        (["suppress", "http://x.test/a"], "--reason is required"),
        (["suppress", "http://x.test/a", "--reason", "  "], "--reason is required"),
        (["suppress", "x.test/a", "--reason", "r"], "is not a URL"),
        (["suppress"], "give the URL"),
        (["suppress", "--list", "http://x.test/a"], "--list takes no URL"),
        (["suppress", "--json"], "go with --list"),
        (["suppress", "--undo", "http://x.test/never"], "is not suppressed"),
        (["suppress", "http://x.test/a", "--reason", "r", "--job", "../x"], "job"),
    ])
    def test_one_line_exit_2_nothing_written(self, corpus, args, message):
        result = cli(corpus, *args)
        assert result.returncode == 2, result.stderr
        assert message in result.stderr and len(result.stderr.splitlines()) == 1
        assert not (corpus.out / "suppressions").exists()

    def test_not_an_archive(self, tmp_path):
        result = run_cli("suppress", "http://x.test/a", "--reason", "r", "--out",
                         str(tmp_path / "typo"))
        assert result.returncode == 2 and "is not an archive directory" in result.stderr
        assert not (tmp_path / "typo").exists()


@pytest.mark.pywb
def test_export_wacz_leaves_the_records_out(corpus, tmp_path):
    before = sha256_of_files(corpus.out)
    suppress(corpus.edited, "takedown", corpus.out)
    target = tmp_path / "gazette.wacz"
    result = cli(corpus, "export-wacz", "--job", JOB, "-o", str(target))
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(target) as package:
        pages = [json.loads(line) for line in
                 package.read("pages/pages.jsonl").decode().splitlines()[1:]]
        index = package.read("indexes/index.cdx").decode()
        targets = []
        for name in package.namelist():
            if name.startswith("archive/"):
                with package.open(name) as handle:
                    targets += [r.rec_headers.get_header("WARC-Target-URI")
                                for r in ArchiveIterator(handle)]
    assert len(pages) == 13 and corpus.edited not in {page["url"] for page in pages}
    assert corpus.edited not in index and corpus.new[0] in index
    assert corpus.edited not in targets and corpus.new[0] in targets
    checked = subprocess.run([str(WACZ), "validate", "-f", str(target)], capture_output=True,
                             text=True, check=False)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert sha256_of_files(corpus.out) == before


@pytest.mark.pywb
def test_replay_answers_as_never_captured(corpus):
    suppress(corpus.edited, "takedown", corpus.out)
    with open_articles(corpus.out) as query:
        excluded = hidden_urls(query, [JOB])
        rows = list(query.select(["url", "fetched_at"]).rows())
    assert corpus.edited in excluded[JOB]
    with ReplayServer(corpus.out, jobs=[JOB], excluded=excluded) as server:
        gone, _, _ = fetch(server.raw_url(JOB, "", corpus.edited))
        kept, _, _ = fetch(server.raw_url(JOB, "", rows[0]["url"]))
        listing, _, cdx = fetch(f"{server.base_url}/{JOB}/cdx?url={corpus.edited}")
    assert (gone, kept) == (404, 200)
    assert listing == 200 and cdx.strip() == ""


@pytest.mark.s3
def test_suppress_in_the_store(tmp_path):
    """Crawled straight to a bucket: the suppression is an object of its own there, the
    store's queries leave the article out, and the WARC objects are unchanged."""
    out = tmp_path / "out"
    with LocalS3Server(tmp_path / "s3", bucket="takedown") as server, gazette.serve() as site:
        store = ["--store", "s3://takedown/gazette", "--endpoint-url", server.endpoint_url,
                 "--cache", str(tmp_path / "cache")]
        crawl_editions_to_store(server, site, out, store[:4], editions=(1,))
        url = site.url(gazette.EDITED_PATH)
        every = run(server, "query", *store, "--fields", "url").stdout.splitlines()
        warcs = stored_digests(server, "takedown", "gazette/warc/")
        assert warcs
        done = run(server, "suppress", url, "--reason", "privacy", *store[:4])
        assert done.returncode == 0, done.stderr
        assert not (out / "suppressions").exists()
        after = run(server, "query", *store, "--fields", "url").stdout.splitlines()
        assert len(after) == len(every) - 1 and url not in "".join(after)
        show = run(server, "show", url, *store)
        assert show.returncode == 1 and "is suppressed: privacy" in show.stderr
        listed = run(server, "suppress", "--list", *store[:4])
        assert url in listed.stdout and "privacy" in listed.stdout
        assert run(server, "suppress", "--undo", url, *store[:4]).returncode == 0
        again = run(server, "query", *store, "--fields", "url").stdout.splitlines()
        assert len(again) == len(every)
        keys = run(server, "suppress", "--list", "--history", "--json", *store[:4])
        assert [json.loads(line)["action"] for line in keys.stdout.splitlines()] == [
            "suppress", "undo"]
        assert stored_digests(server, "takedown", "gazette/warc/") == warcs
        entries = stored_digests(server, "takedown", "gazette/suppressions/")
        assert len(entries) == 2 and all(key.endswith(".json") for key in entries)


def stored_digests(server: LocalS3Server, bucket: str, prefix: str) -> dict[str, str]:
    """Key -> SHA-256 of every object under ``prefix``, read from the server."""
    import boto3

    client = boto3.client("s3", **server.client_kwargs())
    listed = client.list_objects_v2(Bucket=bucket, Prefix=prefix).get("Contents", [])
    return {item["Key"]: hashlib.sha256(client.get_object(Bucket=bucket, Key=item["Key"])
                                        ["Body"].read()).hexdigest() for item in listed}
