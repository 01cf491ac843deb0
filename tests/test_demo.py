"""`newsarchive demo` and the bundled demo site; the same spider under `scrapy crawl`."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from warcio.archiveiterator import ArchiveIterator

from crawler.demo.site import load_site
from tests.conftest import FAST, ROOT, run_cli, serve_site


def read_articles(out: Path, job: str) -> list[dict]:
    rows = []
    for part in sorted((out / "articles" / job).glob("*.jsonl")):
        rows.extend(json.loads(line) for line in part.read_text("utf-8").splitlines() if line)
    return rows


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo") / "archive"
    result = run_cli("demo", "--out", str(out))
    return out, result


@pytest.mark.s3
class TestDemo:
    def test_prints_a_summary(self, demo_run):
        out, result = demo_run
        assert result.returncode == 0, result.stderr[-3000:]
        for heading in ("Pages fetched:", "Articles written:", "WARC files:",
                        "Articles (JSON Lines):", "Local S3 server:", "In the bucket",
                        "Sample article (from articles/demo/"):
            assert heading in result.stdout
        assert str(out / "warc" / "demo") in result.stdout

    def test_ends_pointing_at_status_and_dashboard_which_work(self, demo_run):
        out, result = demo_run
        tail = result.stdout.split("See how the job is doing", 1)[1]
        assert f"newsarchive status --out {out}" in tail
        assert f"newsarchive dashboard --out {out}" in tail
        status = run_cli("status", "--out", str(out), "--json")
        assert status.returncode == 0, status.stderr
        [job] = json.loads(status.stdout)["jobs"]
        assert job["job"] == "demo" and job["last_run"]["exit_status"] == 0
        assert [source["flags"] for source in job["sources"]] == [[]]

    def test_uploads_every_file_to_its_local_s3_server(self, demo_run):
        out, result = demo_run
        [manifest_path] = (out / "manifests").glob("demo-*Z.json")
        manifest = json.loads(manifest_path.read_text("utf-8"))
        listing = result.stdout.split("In the bucket", 1)[1].split("Sample article", 1)[0]
        assert sum(entry["kind"] == "warc" for entry in manifest["files"]) >= 2
        for entry in manifest["files"]:
            assert f"  {entry['path']}  (" in listing
            assert entry["store"]["etag"] and "pending" not in entry
        assert f"  manifests/{manifest_path.name}  (" in listing
        # The server went with the demo: nothing answers on its port any more.
        endpoint = re.search(r"Local S3 server: http://127\.0\.0\.1:(\d+)", result.stdout)
        assert endpoint is not None
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", int(endpoint.group(1))), timeout=5).close()

    def test_archives_every_demo_article_with_its_metadata(self, demo_run):
        out, _ = demo_run
        site = load_site("demo")
        by_path = {urlsplit(a["canonical_url"]).path: a for a in read_articles(out, "demo")}
        assert sorted(by_path) == sorted(a.path for a in site.expected_articles)
        templates = {a.template for a in site.expected_articles}
        assert templates == {"wordpress", "jsonld", "bare"}
        for expected in site.expected_articles:
            article = by_path[expected.path]
            assert (article["title"], article["authors"], article["published"]) == (
                expected.title, expected.authors, expected.published), expected.path
            for snippet in expected.body_snippets:
                assert snippet in article["text"], (expected.path, snippet)
            for snippet in expected.boilerplate_snippets:
                assert snippet not in article["text"], (expected.path, snippet)


class TestScrapyCrawl:
    def test_same_spider_runs_under_scrapy_crawl(self, tmp_path):
        site = serve_site("demo")
        try:
            out = tmp_path / "archive"
            env = {**os.environ, "PYTHONPATH": str(ROOT)}
            result = subprocess.run(
                [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"seed={site.base_url}",
                 "-a", "job=viascrapy", "-s", f"ARCHIVE_DIR={out}", "-s", "LOG_LEVEL=WARNING",
                 *FAST],
                cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)
        finally:
            site.stop()
        assert result.returncode == 0, result.stderr[-3000:]
        assert len(read_articles(out, "viascrapy")) == len(load_site("demo").expected_articles)
        assert list((out / "manifests").glob("viascrapy-*Z.json"))


class TestCaps:
    def test_max_pages_stops_the_crawl(self, test_site, tmp_path):
        out = tmp_path / "archive"
        result = run_cli("crawl", "--seed", test_site.base_url, "--out", str(out),
                         "--job", "capped", "--max-pages", "5", *FAST)
        assert result.returncode == 0, result.stderr[-3000:]
        report = json.loads(next((out / "manifests").glob("capped-*.report.json")).read_text())
        # five scheduled pages, plus the robots.txt fetch that bypasses the scheduler; the
        # pages' stylesheets and pictures are requisites, counted apart
        assert 5 <= report["counts"]["pages_fetched"] <= 6
        assert report["counts"]["requisites"]["fetched"] >= 1


class TestUserAgent:
    def test_user_agent_names_the_crawler_and_its_contact(self, test_site, tmp_path):
        out = tmp_path / "archive"
        result = run_cli("crawl", "--seed", test_site.base_url, "--out", str(out), "--job", "ua",
                         "--max-pages", "3", "-s", "ARCHIVE_CONTACT=mailto:archive@example.org",
                         *FAST)
        assert result.returncode == 0, result.stderr[-3000:]
        agents = set()
        for warc in (out / "warc" / "ua").glob("*.warc.gz"):
            with open(warc, "rb") as handle:
                for record in ArchiveIterator(handle):
                    if record.rec_type == "request":
                        agents.add(record.http_headers.get_header("User-Agent"))
        assert len(agents) == 1
        [agent] = agents
        assert agent.startswith("newsarchive/")
        assert "mailto:archive@example.org" in agent
