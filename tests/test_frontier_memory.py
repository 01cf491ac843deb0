"""A capped source whose sitemaps list more than a run may fetch (tests/sites/big_sitemap.py):
what is over the cap is no request, waits on disk, and later runs take it up; queued
requests wait in a disk queue of the run's own, gone when the run ends.

How much memory this saves is measured, not tested: bench/frontier_memory.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from scrapy import Request, Spider
from scrapy.dupefilters import RFPDupeFilter
from scrapy.pqueues import ScrapyPriorityQueue
from scrapy.squeues import FifoMemoryQueue, PickleFifoDiskQueue
from scrapy.utils.test import get_crawler

from archive.state.crawlstate import CrawlState
from crawler.scheduler import CappedScheduler
from tests.conftest import FAST, run_cli
from tests.sites import big_sitemap

ARTICLES = 60
CAP = 20  # pages a run: robots.txt aside, the home page and 3 sitemaps are 4 of them


def job_file(tmp_path: Path, base: str) -> Path:
    path = tmp_path / "harbour.toml"
    path.write_text(f"""name = "harbour"
[[sources]]
name = "harbour"
seeds = ["{base}/"]
max_pages = {CAP}
""", encoding="utf-8")
    return path


def reports(out: Path) -> list[dict]:
    return [json.loads(p.read_text("utf-8"))
            for p in sorted((out / "manifests").glob("harbour-*.report.json"))]


@pytest.fixture(scope="module")
def four_runs(tmp_path_factory):
    """Four runs of the job (enough for every article); the state's frontier is
    looked at after the first."""
    tmp = tmp_path_factory.mktemp("big-sitemap")
    out = tmp / "out"
    site = big_sitemap.serve(articles=ARTICLES)
    try:
        job = job_file(tmp, site.base)
        runs, frontier_after_first = [], None
        for _ in range(4):
            result = run_cli("crawl", str(job), "--out", str(out), *FAST)
            runs.append(result)
            if frontier_after_first is None:
                frontier_after_first = CrawlState.for_job(out / "state", "harbour")
                frontier_after_first = frontier_after_first.pending_count()
        requests = site.requests()
    finally:
        site.shutdown()
    return runs, out, requests, frontier_after_first


class TestOverTheCap:
    def test_every_run_ends_well(self, four_runs):
        runs, *_ = four_runs
        for result in runs:
            assert result.returncode == 0, result.stderr[-3000:]

    def test_each_run_fetches_its_cap_of_new_articles_and_none_twice(self, four_runs):
        _, out, requests, _ = four_runs
        stories = [r["path"] for r in requests if r["path"].startswith("/story/")]
        assert len(stories) == len(set(stories))  # none fetched twice
        assert set(stories) == {big_sitemap.story_path(n) for n in range(ARTICLES)}
        counts = [r["sources"]["harbour"] for r in reports(out)]
        assert [c["articles"] for c in counts] == [CAP - 4] * 3 + [ARTICLES - 3 * (CAP - 4)]

    def test_sitemap_entries_over_the_cap_are_left_for_later_runs(self, four_runs):
        _, out, _, _ = four_runs
        deferred = [r["counts"]["deferred"]["sitemap_entries"] for r in reports(out)]
        skipped = [r["sources"]["harbour"].get("skipped/cap", 0) for r in reports(out)]
        # Once the source is full, the rest of a sitemap is left unread (known
        # articles among them too); requests made before the scheduler counted the
        # last of the cap are refused by it, counted as skipped.
        for run, (d, s) in enumerate(zip(deferred[:3], skipped, strict=False)):
            assert d + s >= ARTICLES - (run + 1) * (CAP - 4)
        assert deferred[3] == 0  # the last run had room for all that was left

    def test_the_run_queue_directory_is_gone_after_the_crawl(self, four_runs):
        _, out, _, _ = four_runs
        assert (out / "state").is_dir()
        assert not list((out / "state").glob("*.queue"))

    def test_a_finished_run_leaves_no_frontier(self, four_runs):
        # The sitemaps are read again by the next run: they, not the frontier, carry
        # the articles over the cap to it.
        *_, frontier_after_first = four_runs
        assert frontier_after_first == 0


def scheduler(tmp_path: Path) -> CappedScheduler:
    crawler = get_crawler(Spider, {"CLOSESPIDER_PAGECOUNT": 0})
    crawler.spider = Spider("test")
    return CappedScheduler(
        dupefilter=RFPDupeFilter(), queue_dir=tmp_path / "job.queue",
        dqclass=PickleFifoDiskQueue, mqclass=FifoMemoryQueue, pqclass=ScrapyPriorityQueue,
        stats=crawler.stats, crawler=crawler)


class TestRunQueue:
    def test_requests_wait_on_disk_and_the_directory_goes_at_the_end(self, tmp_path):
        queue = scheduler(tmp_path)
        queue.open(queue.crawler.spider)
        assert queue.enqueue_request(Request("http://n.example/a", meta={"source": "n"}))
        assert queue.stats.get_value("scheduler/enqueued/disk") == 1
        assert (tmp_path / "job.queue").is_dir()
        assert queue.next_request().url == "http://n.example/a"
        queue.close("finished")
        assert not (tmp_path / "job.queue").exists()

    def test_a_request_that_cannot_be_pickled_waits_in_memory(self, tmp_path):
        queue = scheduler(tmp_path)
        queue.open(queue.crawler.spider)
        request = Request("http://n.example/b", callback=lambda response: None)
        assert queue.enqueue_request(request)
        assert queue.stats.get_value("scheduler/unserializable") == 1
        assert queue.next_request() is request
        queue.close("finished")

    def test_a_killed_run_s_queue_is_dropped_by_the_next(self, tmp_path):
        (tmp_path / "job.queue" / "requests.queue").mkdir(parents=True)
        (tmp_path / "job.queue" / "requests.queue" / "active.json").write_text("[10]")
        queue = scheduler(tmp_path)
        queue.open(queue.crawler.spider)
        assert len(queue) == 0 and queue.next_request() is None
        queue.close("finished")
