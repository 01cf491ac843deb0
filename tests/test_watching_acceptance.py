"""The operations acceptance test (issue 22): tried as a new user would, after a few hourly
runs of one job over four local papers (tests/sites/watched_papers.py) — one of which
starts answering with an anti-bot challenge and one whose redesign drops bylines and
dates — the run report lists the problems, ``status`` and the dashboard show every
source's state and flag exactly those two, and the metrics endpoint and file carry the
run report's counts.

Everything goes through the ``newsarchive`` command line. The runs happen once for the
module: four quiet hours, then the hour in which both papers break.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from archive.dashboard import Dashboard, DashboardServer, Source
from tests.conftest import FAST, run_cli
from tests.headless import BROWSER_MARKS, chromium, severe
from tests.sites import watched_papers
from tests.test_metrics import Scraper, free_port, samples, total

JOB = "watched"
QUIET_HOURS = 4
BROKEN = {"quayside", "ridgeway"}  # the challenged paper and the redesigned one


@dataclass(frozen=True)
class Hours:
    """The job's runs into ``out``: the last one's exit status, summary and metrics."""

    out: Path
    exit_status: int
    summary: str
    metrics_file: Path
    scrapes: list[str]  # the endpoint, scraped while the last run went on

    def reports(self) -> list[dict]:
        paths = sorted((self.out / "manifests").glob("*.report.json"))
        return [json.loads(path.read_text("utf-8")) for path in paths]


@pytest.fixture(scope="module")
def hours(tmp_path_factory) -> Hours:
    tmp = tmp_path_factory.mktemp("watching")
    out, job = tmp / "archive-data", tmp / f"{JOB}.toml"
    with watched_papers.serve() as site:
        job.write_text(site.job_toml(JOB), encoding="utf-8")
        for _ in range(QUIET_HOURS):
            done = run_cli("crawl", str(job), "--out", str(out), *FAST)
            assert done.returncode == 0, done.stderr[-3000:]
            site.advance()
        site.start_challenge("quayside")
        site.redesign("ridgeway")
        prom, port = tmp / "textfile" / "newsarchive.prom", free_port()
        prom.parent.mkdir()
        scraper = Scraper(f"http://127.0.0.1:{port}/metrics")
        scraper.start()
        try:
            done = run_cli("crawl", str(job), "--out", str(out), *FAST,
                           "-s", f"METRICS_PORT={port}", "-s", f"METRICS_FILE={prom}")
        finally:
            scraper.done.set()
            scraper.join()
    assert "Traceback" not in done.stderr
    return Hours(out, done.returncode, done.stdout + done.stderr, prom, scraper.scrapes)


def test_the_quiet_hours_raise_no_alert(hours):
    """The premise: every paper's stories were archived with bylines and dates, hour
    after hour, and no run found anything to flag."""
    quiet = hours.reports()[:QUIET_HOURS]
    assert len(quiet) == QUIET_HOURS
    for report in quiet:
        assert report["exit_status"] == 0, report["problems"]
        assert report["alerts"] == []
        for paper in watched_papers.PAPERS:
            health = report["health"][paper]
            assert health["articles"] >= watched_papers.STORIES_PER_HOUR
            assert health["dated_share"] == health["authored_share"] == 1.0


def test_the_broken_hour_reports_exactly_the_two_broken_papers(hours):
    last = hours.reports()[-1]
    assert hours.exit_status == 1
    assert last["exit_status"] == 1
    assert {alert["source"] for alert in last["alerts"]} == BROKEN
    for alert in last["alerts"]:
        assert alert["message"] in last["problems"]
    redesigned = {alert["signal"] for alert in last["alerts"] if alert["source"] == "ridgeway"}
    assert {"dated_share", "authored_share"} <= redesigned
    # The challenge stands in for every page: counted as blocked, never an article.
    assert last["counts"]["blocked_pages"]["challenge"] >= 1
    assert last["sources"]["quayside"].get("blocked", 0) >= 1
    assert not last["sources"]["quayside"].get("new")
    for paper in BROKEN:
        assert any(paper in line and "warning" in line.lower()
                   for line in hours.summary.splitlines()), hours.summary


def test_status_flags_exactly_the_two_and_exits_1(hours):
    done = run_cli("status", "--out", str(hours.out), "--json")
    assert done.returncode == 1, done.stderr
    status = json.loads(done.stdout)
    assert sorted(status["flagged"]) == sorted(f"{JOB}/{paper}" for paper in BROKEN)
    [job] = status["jobs"]
    assert job["runs"] == QUIET_HOURS + 1
    flags = {source["source"]: source["flags"] for source in job["sources"]}
    assert set(flags) == set(watched_papers.PAPERS)
    assert {paper for paper, marks in flags.items() if marks} == BROKEN
    assert "blocked" in flags["quayside"]

    table = run_cli("status", "--out", str(hours.out))
    assert table.returncode == 1
    for paper in watched_papers.PAPERS:
        assert paper in table.stdout
    assert "last run's blocked pages: challenge" in table.stdout


def test_the_metrics_carry_the_run_reports_counts(hours):
    last = hours.reports()[-1]
    found = samples(hours.metrics_file.read_text("utf-8"))
    counts = last["counts"]
    assert total(found, "newsarchive_pages_fetched_total") == counts["pages_fetched"]
    assert total(found, "newsarchive_articles_total", kind="new") == counts["articles"]["new"]
    assert (total(found, "newsarchive_blocked_pages_total")
            == counts["blocked_pages"]["total"] >= 1)
    for paper in watched_papers.PAPERS:
        assert (total(found, "newsarchive_source_blocked_pages_total", source=paper)
                == last["sources"][paper].get("blocked", 0))
    assert total(found, "newsarchive_run_exit_status") == 1
    # While the run went on, the endpoint served the same families, figures still
    # growing towards the file's.
    assert hours.scrapes, "the metrics endpoint never answered during the run"
    during = samples(hours.scrapes[-1])
    assert 0 < total(during, "newsarchive_pages_fetched_total") <= counts["pages_fetched"]


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    yield from chromium(tmp_path_factory.mktemp("chromium"))


class TestInChromium:
    pytestmark = BROWSER_MARKS

    def test_the_dashboard_shows_every_source_and_flags_the_two(self, hours, browser):
        from selenium.webdriver.common.by import By

        with DashboardServer(Dashboard(Source(hours.out)), port=0) as running:
            browser.get(running.url)
            assert severe(browser) == []
            job = browser.find_element(By.CSS_SELECTOR, f'section.job[data-job="{JOB}"]')
            rows = {}
            for row in job.find_elements(By.CSS_SELECTOR, "table.sources tbody tr"):
                cells = [cell.text for cell in row.find_elements(By.TAG_NAME, "td")]
                rows[cells[0]] = cells[1]
            assert set(rows) == set(watched_papers.PAPERS)
            assert {paper for paper, flags in rows.items() if flags != "ok"} == BROKEN
            assert "blocked" in rows["quayside"]
            flagged = browser.find_element(By.CSS_SELECTOR, "li.flagged").text
            assert all(f"{JOB}/{paper}" in flagged for paper in BROKEN)
            alerts = job.find_element(By.CSS_SELECTOR, "div.alerts").text
            assert "ridgeway" in alerts and "quayside" in alerts
            assert "lowtide" not in alerts and "moorland" not in alerts
            for chart in ("articles-per-day", "runs"):
                assert job.find_element(By.CSS_SELECTOR, f'svg[data-chart="{chart}"]').size["width"]
            shot = hours.out.parent / "dashboard.png"
            assert browser.save_screenshot(str(shot)) and shot.stat().st_size > 10_000
