"""Hostile answers, bounded: a crawl of tests/sites/hostile.py, one test per answer.

Two runs of one job over the site (the second shows what the per-run caps left for
later being taken up), with small caps so that the crawl stays short. For each
hostile answer: the crawl ends by itself, the peak memory of the whole process
tree (the crawl and its extraction workers) stays under 1 GB, what it fetched
besides is kept (in the WARC and as articles), and the answer is counted with its
reason in the crawl's stats.

Memory is the sum over the process tree of each process's own peak (VmHWM, read
every 50 ms while it lives): shared pages count once per process and the peaks
need not have come at once, so the figure errs high.
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import threading
import time
import tracemalloc
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from warcio.archiveiterator import ArchiveIterator

from bench.proctree import descendants
from crawler.discovery.links import LinkResolver
from crawler.discovery.sitemaps import SitemapError, SitemapReader
from crawler.discovery.urls import TrackingParams
from crawler.extract.jsonld import jsonld_objects
from tests.conftest import FAST, NEWSARCHIVE, ROOT
from tests.sites import hostile
from tests.sites.server import RunningSite

MEMORY_LIMIT = 1024 ** 3
ENTRIES, CHILDREN, LINKS = 25, 10, 30
CAPS = ["-s", f"NEWS_SITEMAP_MAX_ENTRIES={ENTRIES}",
        "-s", f"NEWS_SITEMAP_MAX_CHILDREN={CHILDREN}",
        "-s", f"NEWS_MAX_LINKS_PER_PAGE={LINKS}"]
JOB = "hostile"


def peak_memory(pid: int, stop: threading.Event, peaks: dict[int, int]) -> None:
    """Until ``stop``: each process of the tree under ``pid`` -> its highest VmHWM (bytes)."""
    while not stop.is_set():
        for member in descendants(pid):
            try:
                status = Path(f"/proc/{member}/status").read_text()
            except OSError:
                continue  # gone since the listing
            if match := re.search(r"^VmHWM:\s+(\d+) kB", status, re.M):
                peaks[member] = max(peaks.get(member, 0), int(match[1]) * 1024)
        stop.wait(0.05)


def scrapy_stats(log: str) -> dict[str, Any]:
    """The numbers and strings of the stats Scrapy dumps at the end of the crawl."""
    block = log.split("Dumping Scrapy stats:", 1)[1].split("\n}", 1)[0]
    return {key: ast.literal_eval(value)
            for key, value in re.findall(r"'([^']+)': (-?[\d.]+|'[^']*')", block)}


@dataclass
class Run:
    out: Path
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_bytes: int
    requested: list[str]  # request targets the site saw, in order

    @property
    def stats(self) -> dict[str, Any]:
        return scrapy_stats(self.stderr)

    def articles(self) -> dict[str, dict]:
        """Path -> article record, of every run so far."""
        rows = {}
        for part in sorted((self.out / "articles" / JOB).glob("*.jsonl")):
            for line in part.read_text("utf-8").splitlines():
                row = json.loads(line)
                rows["/" + row["url"].split("/", 3)[3]] = row
        return rows

    def responses(self) -> dict[str, Any]:
        """Path -> the WARC response record's (status, headers, length of the payload as
        sent: still content-encoded)."""
        found = {}
        for path in sorted((self.out / "warc" / JOB).glob("*.warc.gz")):
            with path.open("rb") as stream:
                for record in ArchiveIterator(stream):
                    if record.rec_type == "response":
                        uri = record.rec_headers.get_header("WARC-Target-URI")
                        found["/" + uri.split("/", 3)[3]] = (
                            int(record.http_headers.get_statuscode()),
                            record.http_headers.headers,
                            _length(record.raw_stream))
        return found

    def requested_under(self, prefix: str) -> set[str]:
        return {target for target in self.requested if target.startswith(prefix)}


def _length(stream: Any) -> int:
    total = 0
    while chunk := stream.read(1 << 20):
        total += len(chunk)
    return total


def crawl(site: RunningSite, job: Path, out: Path) -> Run:
    site.reset_requests()
    started = time.monotonic()
    process = subprocess.Popen(
        [*NEWSARCHIVE, "crawl", str(job), "--out", str(out), *FAST, *CAPS],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    stop, peaks = threading.Event(), {}
    watcher = threading.Thread(target=peak_memory, args=(process.pid, stop, peaks))
    watcher.start()
    try:
        stdout, stderr = process.communicate(timeout=240)
    finally:
        stop.set()
        watcher.join()
        if process.poll() is None:
            process.kill()
    return Run(out, process.returncode, stdout, stderr, time.monotonic() - started,
               sum(peaks.values()), [r["path"] for r in site.requests()])


@pytest.fixture(scope="module")
def site() -> Iterator[RunningSite]:
    with hostile.serve() as running:
        yield running


@pytest.fixture(scope="module")
def runs(site, tmp_path_factory) -> tuple[Run, Run]:
    """The first run of the job, and the second (same --out, same site)."""
    tmp = tmp_path_factory.mktemp("hostile")
    base = site.base
    job = tmp / "hostile.toml"
    job.write_text(f"""name = "{JOB}"
[[sources]]
name = "herald"
seeds = ["{base}/"]
feeds = {json.dumps([base + path for path in hostile.FEEDS])}
sitemaps = {json.dumps([base + path for path in hostile.SITEMAPS])}
""", encoding="utf-8")
    first = crawl(site, job, tmp / "archive")
    second = crawl(site, job, tmp / "archive")
    return first, second


@pytest.fixture(scope="module")
def first(runs) -> Run:
    return runs[0]


# ------------------------------------------------------------------------- every answer
class TestTheCrawlSurvives:
    def test_each_run_ends_by_itself(self, runs):
        for run in runs:
            assert run.returncode == 0, run.stderr[-3000:]
            assert run.stats["finish_reason"] == "finished"
            assert "Traceback" not in run.stderr
            assert "spider_exceptions/count" not in run.stats

    def test_the_process_tree_stays_under_1_gb(self, runs):
        for run in runs:
            assert 0 < run.peak_bytes < MEMORY_LIMIT, f"{run.peak_bytes / 2**20:.0f} MiB"

    def test_ordinary_pages_are_archived_and_extracted(self, first):
        wanted = {*hostile.ARTICLES, *hostile.BEFORE.values(), hostile.AFTER_BAD_URLS}
        responses, articles = first.responses(), first.articles()
        assert {path for path in wanted if responses.get(path, (0,))[0] == 200} == wanted
        assert wanted <= set(articles)
        assert all(articles[path]["text"] for path in wanted)

    def test_every_hostile_answer_is_archived_as_sent(self, first):
        responses = first.responses()
        for path in (*hostile.FEEDS, *hostile.SITEMAPS, "/hostile/gzip-bomb",
                     "/hostile/headers", "/hostile/links", "/hostile/deep",
                     "/hostile/jsonld", "/hostile/bad-urls"):
            status, _, length = responses[path]
            assert status == 200
            body = hostile._static()[path][1]
            assert length == len(body), path


# -------------------------------------------------------------------------- XML entities
class TestEntityExpansion:
    @pytest.mark.parametrize("feed", hostile.FEEDS)
    def test_in_a_feed_stops_the_reading_and_keeps_what_came_before(self, first, feed):
        assert first.stats["news/feeds/truncated/entities"] == len(hostile.FEEDS)
        assert hostile.BEFORE[feed] in first.articles()
        assert "/news/never-reached" not in first.requested

    def test_in_a_sitemap_stops_the_reading_and_keeps_what_came_before(self, first):
        assert first.stats["news/sitemaps/truncated/entities"] == 1
        assert hostile.BEFORE["/sitemaps/laughs.xml"] in first.articles()
        assert not any("lol" in target for target in first.requested)


# ---------------------------------------------------------------------------- gzip bombs
class TestGzipBomb:
    def test_a_sitemap_is_inflated_up_to_its_limit_only(self, first):
        # 8 GiB of zeros after one good entry: read until NEWS_SITEMAP_MAX_SIZE (50 MB).
        assert first.stats["news/sitemaps/truncated/too_large"] == 1
        assert hostile.BEFORE["/sitemaps/bomb.xml.gz"] in first.articles()

    def test_a_content_encoded_page_is_dropped_at_download_maxsize(self, first):
        stats = first.stats
        assert stats["httpcompression/max_size_exceeded"] == 1
        assert stats["source/herald/too_large"] == 1
        assert "/hostile/gzip-bomb" not in first.articles()
        # What was on the wire is archived: the compressed bytes, Content-Encoding kept.
        _, headers, length = first.responses()["/hostile/gzip-bomb"]
        assert ("Content-Encoding", "gzip") in headers
        assert length == len(hostile.gzip_bomb(hostile.BOMB_SIZE)) < 10 * 2 ** 20


# ------------------------------------------------------------------- caps, left for later
class TestCapsLeaveTheRestForLaterRuns:
    def test_a_million_entry_sitemap(self, runs):
        first, second = runs
        assert first.requested_under("/m/") == {f"/m/{n}" for n in range(ENTRIES)}
        # The first run's are known articles now: the next ones are admitted.
        assert second.requested_under("/m/") == {f"/m/{n}" for n in range(ENTRIES, 2 * ENTRIES)}
        assert second.stats["news/skipped/known"] >= ENTRIES
        deferred = hostile.MILLION - ENTRIES
        assert first.stats["news/sitemaps/entries_deferred"] >= deferred
        assert second.stats["news/sitemaps/entries_deferred"] >= deferred - ENTRIES

    def test_a_sitemap_index_of_10000_sitemaps(self, runs):
        first = runs[0]
        children = [{t for t in run.requested_under("/sitemaps/child-")} for run in runs]
        assert children[0] == {f"/sitemaps/child-{n}.xml" for n in range(CHILDREN)}
        # Children never fetched go first: the second run reads the next ten.
        assert children[1] == {f"/sitemaps/child-{n}.xml" for n in range(CHILDREN, 2 * CHILDREN)}
        assert first.requested_under("/c/") == {f"/c/{n}" for n in range(CHILDREN)}
        stats = first.stats
        assert stats["news/sitemaps/entries_deferred"] == \
            (hostile.MILLION - ENTRIES) + (hostile.CHILDREN - CHILDREN)

    def test_100000_links_on_one_page(self, runs):
        first, second = runs
        assert first.requested_under("/l/") == {f"/l/{n}" for n in range(LINKS)}
        assert second.requested_under("/l/") == {f"/l/{n}" for n in range(LINKS, 2 * LINKS)}
        assert first.stats["news/links/deferred"] == hostile.LINKS - LINKS
        # A page of 100,000 elements is read for its links, not extracted.
        assert first.stats["extract/skipped/too_many_elements"] == 1
        assert "/hostile/links" not in first.articles()


    def test_the_summary_and_the_run_report_say_what_waits(self, first):
        deferred = {"sitemap_entries": first.stats["news/sitemaps/entries_deferred"],
                    "links": hostile.LINKS - LINKS}
        assert f"Left for later runs:  {deferred['sitemap_entries']} sitemap entries, " \
            f"{deferred['links']} links" in first.stdout
        [report, _] = sorted((first.out / "manifests").glob(f"{JOB}-*.report.json"))
        assert json.loads(report.read_text("utf-8"))["counts"]["deferred"] == deferred


# ------------------------------------------------------------------------------- headers
class TestHeaders:
    def test_10000_response_headers(self, first):
        _, headers, _ = first.responses()["/hostile/headers"]
        assert sum(name.startswith("X-Herald-") for name, _ in headers) == hostile.HEADERS
        assert first.articles()["/hostile/headers"]["title"] == "Ten thousand headers"

    def test_a_1_mb_header_line(self, first):
        # Twisted drops a connection whose header line passes 16 KB: a download error,
        # tried three times and counted; the site's other pages are unaffected.
        stats = first.stats
        assert first.requested.count("/hostile/long-header") == 3
        assert stats["downloader/exception_type_count/scrapy.exceptions.DownloadFailedError"] == 3
        assert stats["retry/max_reached"] == 1
        assert "/hostile/long-header" not in first.articles()
        assert "sources/failed/herald" not in stats


# ---------------------------------------------------------------------------- page shape
class TestPageShape:
    def test_html_nested_100000_levels_deep(self, first):
        # libxml2 stops nesting at 256 levels: the article before is extracted, and no
        # worker crashed or ran out of stack.
        assert first.articles()["/hostile/deep"]["title"] == "Nested all the way down"
        assert "extract/failed" not in first.stats

    def test_a_10_mb_json_ld_block(self, first):
        # The block is not read (its headline would win); the page around it is.
        article = first.articles()["/hostile/jsonld"]
        assert article["title"] == "Ten megabytes of JSON-LD"
        assert "part 4" in article["text"]


# ----------------------------------------------------------------------------------- URLs
class TestUrls:
    def test_odd_schemes_and_bytes_never_reach_the_wire(self, first):
        for target in first.requested:
            assert all(" " < char < "\x7f" for char in target), repr(target)
            assert not any(mark in target for mark in hostile.NEVER_REQUESTED), target

    def test_the_page_with_them_is_read_to_its_end(self, first):
        assert first.articles()["/hostile/bad-urls"]["title"] == "Links nobody should follow"
        assert hostile.AFTER_BAD_URLS in first.requested

    def test_an_endless_redirect_chain(self, first):
        hops = [t for t in first.requested if t.startswith("/hostile/redirect/")]
        assert hops == [f"/hostile/redirect/{n}" for n in range(1, 7)]  # REDIRECT_MAX_TIMES 5
        assert first.stats["redirect/max_reached"] == 1
        assert first.stats["source/herald/redirect_loop"] == 1


# ------------------------------------------------------------------ the pieces, directly
class TestStreamingSitemapReader:
    def test_a_million_entries_cost_the_memory_of_a_few(self):
        body = hostile.million_sitemap()
        tracemalloc.start()
        try:
            reader = SitemapReader(body, "http://herald.test/sitemap.xml.gz")
            # range first: zip stops there without taking one more entry from the reader
            last = deque((entry.url for _, entry in zip(range(20_000), reader, strict=False)),
                         maxlen=1)
            rest = reader.count_rest()
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert list(last) == ["http://herald.test/m/19999"]
        assert rest == hostile.MILLION - 20_000
        assert peak < 8 * 2 ** 20  # the document is 31 MB, the entries read 2 MB of it

    @pytest.mark.parametrize("chunk_size", [1, 7, 64, 1 << 20])
    def test_chunk_boundaries_change_nothing(self, chunk_size):
        body = ("\ufeff<urlset><url><loc>/a?x=1&y=2</loc></url>"
                "<url><loc><![CDATA[/b?p=1&q=>2]]></loc></url>"
                "<url><loc>/c?r=&amp;s</loc><lastmod>2024-06-11</lastmod></url></urlset>")
        for encoded in (body.encode("utf-8"), body.encode("utf-16")):
            reader = SitemapReader(encoded, "http://herald.test/", chunk_size=chunk_size)
            assert [e.url for e in reader] == ["http://herald.test/a?x=1&y=2",
                                               "http://herald.test/b?p=1&q=>2",
                                               "http://herald.test/c?r=&s"]

    def test_what_came_before_a_bomb_is_read_then_the_reason(self):
        reader = SitemapReader(hostile._static()["/sitemaps/laughs.xml"][1], "http://h.test/")
        got = []
        with pytest.raises(SitemapError) as stopped:
            got.extend(entry.url for entry in reader)
        assert got == ["http://h.test" + hostile.BEFORE["/sitemaps/laughs.xml"]]
        assert stopped.value.reason == "entities"

    def test_locations_urllib_cannot_parse_are_skipped(self):
        body = (b"<urlset><url><loc>http://[oops/</loc></url><url><loc>http://h.test:99999/"
                b"</loc></url><url><loc>/fine</loc></url></urlset>")
        assert [e.url for e in SitemapReader(body, "http://h.test/")] == ["http://h.test/fine"]


class TestPagePieces:
    def test_links_no_url_can_be_made_of_are_none(self):
        resolver = LinkResolver(TrackingParams([]))
        assert resolver.resolve("http://h.test/", "http://[oops/") is None
        assert resolver.resolve("http://h.test/", "http://h.test:port/") is None
        assert resolver.resolve("http://h.test/", "/fine").url == "http://h.test/fine"

    def test_json_ld_too_big_or_too_deep_is_not_read(self):
        deep = '<script type="application/ld+json">' + "[" * 100_000 + "]" * 100_000
        huge = ('<script type="application/ld+json">{"@type": "NewsArticle", "x": "'
                + "x" * 1_000_001 + '"}')
        for block in (deep, huge):
            tree = lxml.html.fromstring(f"<html><head>{block}</script></head></html>")
            assert jsonld_objects(tree) == []
