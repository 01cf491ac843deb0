"""Blocked pages in a crawl: a challenge, consent wall or login form that stands in for
an article is counted, archived as fetched, never written as an article nor remembered
as one, so the run after the wall comes down fetches the article (tests/sites/walled.py)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from archive.state.crawlstate import CrawlState
from archive.status.reports import run_reports
from crawler.discovery.urls import url_key
from crawler.extensions.summary import blocked_page_lines, error_breakdown
from tests.conftest import FAST, run_cli
from tests.sites.walled import STORIES, WALLED, WalledCourier, serve_waiting_room, story_path

JOB = "walled"


def crawl(site_url: str, out: Path, *, exit_status: int = 0):
    result = run_cli("crawl", "--seed", site_url, "--out", str(out), "--job", JOB, *FAST,
                     "-s", "EXTRACT_INLINE=True", timeout=240)
    assert result.returncode == exit_status, result.stderr[-3000:]
    return result


def article_urls(out: Path) -> list[str]:
    urls = []
    for part in sorted((out / "articles" / JOB).glob("*.jsonl*")):
        opener = gzip.open if part.suffix == ".gz" else open
        with opener(part, "rt", encoding="utf-8") as lines:
            urls += [json.loads(line)["url"] for line in lines]
    return urls


def archived_responses(out: Path) -> list[tuple[str, int]]:
    responses = []
    for path in sorted((out / "warc" / JOB).glob("*.warc.gz")):
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream):
                if record.rec_type == "response":
                    responses.append((record.rec_headers.get_header("WARC-Target-URI"),
                                      int(record.http_headers.get_statuscode())))
    return responses


def test_walls_are_counted_not_archived_as_articles_and_fetched_again(tmp_path):
    out = tmp_path / "out"
    courier = WalledCourier(walled=True)
    with courier.serve() as site:
        # Five of its six stories walled: the source is flagged from its first run.
        first = crawl(site.url("/"), out, exit_status=1)
        first_hits = site.hits()
        blocked_urls = [site.url(story_path(n)) for n in WALLED]

        # First run: five stand-ins, one article.
        assert article_urls(out) == [site.url(story_path(STORIES))]
        report = run_reports(out, job=JOB)[-1]
        assert report["counts"]["blocked_pages"] == {
            "total": 5, "challenge": 3, "consent": 1, "login": 1}
        [source] = report["sources"]
        assert report["sources"][source]["blocked"] == 5
        assert [(a["source"], a["signal"]) for a in report["alerts"]] == [
            (source, "blocked_share")]
        # A challenge that came with 403 or 503 is blocked, not an HTTP error, and the
        # 503 is not retried: the same wall would answer.
        assert report["counts"]["errors"] == 0 and report["errors"] == {}
        assert report["sources"][source].get("errors", 0) == 0  # nor the source's
        assert first_hits[story_path(3)] == 1
        assert "Blocked pages:        5 (challenge 3, consent 1, login 1)" in first.stdout
        assert first.stderr.count("Blocked: ") == 1  # logged once for the host
        # What was on the wire is archived, walls included.
        responses = archived_responses(out)
        assert {(site.url(story_path(n)), status)
                for n, status in zip(WALLED, (403, 403, 503, 200, 200), strict=True)
                } <= set(responses)
        # The job's state knows no article at those URLs.
        state = CrawlState.for_job(out / "state", JOB)
        try:
            assert all(state.article_at(url_key(url)) is None for url in blocked_urls)
        finally:
            state.close()

        # The wall comes down: the next run fetches those URLs again and archives them.
        courier.walled = False
        site.reset_requests()
        second = crawl(site.url("/"), out)
        second_hits = site.hits()
    assert all(second_hits[story_path(n)] == 1 for n in WALLED)
    assert sorted(article_urls(out)) == sorted(site.url(story_path(n))
                                               for n in range(1, STORIES + 1))
    report = run_reports(out, job=JOB)[-1]
    assert report["counts"]["blocked_pages"]["total"] == 0
    assert report["counts"]["articles"]["new"] == 5
    assert "Blocked pages:" not in second.stdout


class TestSummaryFigures:
    def test_blocked_pages_line_by_kind(self):
        stats = {"pages/blocked": 3, "pages/blocked/challenge": 2, "pages/blocked/login": 1}
        assert blocked_page_lines(stats) == [
            "Blocked pages:        3 (challenge 2, login 1); no article taken, "
            "asked for again next run"]
        assert blocked_page_lines({}) == []

    def test_a_blocked_403_is_not_an_http_error(self):
        stats = {"downloader/response_status_count/403": 3,
                 "pages/blocked_by_status/403": 2}
        assert error_breakdown(stats) == {"http_403": 1}


def test_the_same_tiny_page_from_three_hosts_is_a_wall(tmp_path):
    out = tmp_path / "out"
    sites = [serve_waiting_room(f"127.0.0.{n}") for n in (2, 3, 4)]
    try:
        seeds = [arg for site in sites for arg in ("--seed", site.url("/"))]
        result = run_cli("crawl", *seeds, "--out", str(out), "--job", JOB, *FAST,
                         "-s", "EXTRACT_INLINE=True", "-s", "CONCURRENT_REQUESTS=1",
                         timeout=240)
    finally:
        for site in sites:
            site.shutdown()
    assert result.returncode == 0, result.stderr[-3000:]
    blocked = run_reports(out, job=JOB)[-1]["counts"]["blocked_pages"]
    # Six such pages; from the third host on, each is taken for the wall it is.
    assert 1 <= blocked["total"] <= 4
    assert blocked == {"total": blocked["total"], "challenge": blocked["total"],
                       "consent": 0, "login": 0}
    assert "same page from 3 hosts" in result.stderr
    assert not list((out / "articles" / JOB).glob("*.jsonl*")) or article_urls(out) == []
