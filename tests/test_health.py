"""A source's health in one run, and drift alerts against its recent runs, on report dicts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.utils.test import get_crawler

from archive.status.health import drift_alerts, report_health, run_health, source_health
from archive.status.reports import run_reports
from crawler.middlewares.sourcehealth import SourceHealthMiddleware
from crawler.sourcestats import per_source
from tests.conftest import FAST, run_cli
from tests.sites.redesign import RedesignSite

# A steady daily run of one source: 20 articles written, all dated, most with bylines.
STEADY = {"pages": 30, "article_pages": 20, "new": 20, "dated": 20, "authored": 19,
          "errors": 1, "skipped/known": 4}


def report(sources: dict[str, dict[str, int]], *, medians: dict[str, int] | None = None,
           finish_reason: str = "finished", failed: tuple[str, ...] = ()) -> dict[str, Any]:
    """A run report as the crawl writes it (only the fields health reads)."""
    return {"job": "news", "finish_reason": finish_reason, "sources": sources,
            "failed_sources": [{"source": name, "reason": "connection refused"}
                               for name in failed],
            "health": run_health(sources, medians or {})}


def history(runs: int, counts: dict[str, int] = STEADY, *, median: int = 2400,
            source: str = "gazette") -> list[dict[str, Any]]:
    return [report({source: dict(counts)}, medians={source: median}) for _ in range(runs)]


def alerts_for(counts: dict[str, int], earlier: list[dict[str, Any]], *,
               median: int | None = 2400, **options: Any) -> list[dict[str, Any]]:
    health = run_health({"gazette": counts}, {"gazette": median} if median else {})
    return drift_alerts(health, earlier, **options)


class TestSourceHealth:
    def test_signals_of_a_steady_run(self):
        health = source_health(STEADY, median_body_chars=2400)
        assert health == {"pages": 30, "articles": 24, "dated_share": 1.0,
                          "authored_share": 0.95, "median_body_chars": 2400,
                          "error_share": pytest.approx(1 / 31, abs=1e-4),
                          "not_modified_share": 0.0, "blocked_share": 0.0}

    def test_articles_found_counts_known_and_not_modified_ones(self):
        quiet = {"pages": 12, "article_pages": 2, "not_modified": 5, "skipped/known": 18}
        assert source_health(quiet)["articles"] == 25

    def test_too_few_articles_leave_the_shares_unjudged(self):
        few = {"pages": 8, "article_pages": 4, "new": 4, "dated": 0, "authored": 0}
        health = source_health(few, median_body_chars=300)
        assert health["dated_share"] is None and health["authored_share"] is None
        assert health["median_body_chars"] is None

    def test_a_source_with_no_fetches_has_no_page_shares(self):
        health = source_health({})
        assert health["error_share"] is None and health["blocked_share"] is None
        assert health["not_modified_share"] is None

    def test_an_older_report_without_health_is_read_from_its_counts(self):
        old = {"job": "news", "sources": {"gazette": STEADY}}
        assert report_health(old)["gazette"]["dated_share"] == 1.0
        assert report_health(old)["gazette"]["median_body_chars"] is None


class TestDriftAlerts:
    def test_a_steady_run_has_none(self):
        assert alerts_for(STEADY, history(6)) == []

    def test_bylines_gone_is_an_alert_naming_source_signal_value_and_baseline(self):
        no_bylines = {**STEADY, "authored": 0}
        [alert] = alerts_for(no_bylines, history(6))
        assert alert == {
            "source": "gazette", "signal": "authored_share", "value": 0.0, "baseline": 0.95,
            "runs": 6, "message": "source gazette: share of articles with authors 0.00, "
                                  "was 0.95 (median of 6 runs)"}

    @pytest.mark.parametrize(("change", "signal"), [
        ({"dated": 3}, "dated_share"),
        ({"article_pages": 5, "skipped/known": 0, "new": 5, "dated": 5, "authored": 5},
         "articles"),
    ])
    def test_a_drop_below_half_the_baseline_alerts(self, change, signal):
        [alert] = alerts_for({**STEADY, **change}, history(5))
        assert alert["signal"] == signal

    def test_short_bodies_alert(self):
        [alert] = alerts_for(STEADY, history(5), median=900)
        assert alert["signal"] == "median_body_chars"
        assert alert["message"] == ("source gazette: median body length in characters 900, "
                                    "was 2400 (median of 5 runs)")

    def test_a_drop_to_just_above_half_does_not(self):
        assert alerts_for({**STEADY, "authored": 10}, history(5), median=1300) == []

    def test_the_baseline_is_the_median_of_the_last_ten_runs(self):
        # Ten runs without bylines, then ten with: only the last ten count.
        earlier = history(10, {**STEADY, "authored": 0}) + history(10)
        [alert] = alerts_for({**STEADY, "authored": 0}, earlier)
        assert alert["baseline"] == 0.95 and alert["runs"] == 10

    def test_too_few_runs_no_drift_alert(self):
        assert alerts_for({**STEADY, "authored": 0, "dated": 0}, history(2)) == []
        assert len(alerts_for({**STEADY, "authored": 0, "dated": 0}, history(3))) == 2

    def test_only_runs_where_the_source_appears_count(self):
        others = history(8, source="courier")
        assert alerts_for({**STEADY, "authored": 0}, others + history(2)) == []

    def test_a_quiet_incremental_run_does_not_alert(self):
        # Hourly: two new stories, the rest of the section known and not due.
        quiet = {"pages": 6, "article_pages": 2, "new": 2, "dated": 0, "authored": 0,
                 "skipped/known": 22}
        assert alerts_for(quiet, history(8), median=150) == []

    def test_quiet_runs_do_not_drag_the_baseline_down(self):
        quiet = {"pages": 6, "article_pages": 2, "new": 2, "dated": 2, "authored": 2,
                 "skipped/known": 22}
        earlier = history(3) + history(7, quiet, median=50)
        [alert] = alerts_for({**STEADY, "authored": 0}, earlier)
        assert alert["runs"] == 3  # the shares of the quiet runs were not judged

    def test_errors_rising_sharply_alert_and_a_usual_error_rate_does_not(self):
        errors = {**STEADY, "errors": 20}
        [alert] = alerts_for(errors, history(4))
        assert alert["signal"] == "error_share"
        usually_bad = {**STEADY, "errors": 12}
        assert alerts_for({**STEADY, "errors": 16}, history(4, usually_bad)) == []

    def test_a_source_blocked_from_its_first_run_alerts(self):
        blocked = {"pages": 1, "blocked": 1}
        [alert] = alerts_for(blocked, [], median=None)
        assert alert["signal"] == "blocked_share" and alert["baseline"] is None
        assert alert["message"] == ("source gazette: share of pages that were blocked 1.00, "
                                    "too few earlier runs to compare with (0)")

    def test_blocking_rising_sharply_alerts(self):
        [alert] = alerts_for({**STEADY, "blocked": 9}, history(4))
        assert alert["signal"] == "blocked_share" and alert["baseline"] == 0.0

    def test_a_run_cut_short_by_a_signal_is_not_judged_nor_a_baseline(self):
        assert alerts_for({**STEADY, "authored": 0}, history(5), finish_reason="shutdown") == []
        cut = [report({"gazette": {**STEADY, "authored": 0}}, finish_reason="shutdown")] * 5
        assert alerts_for({**STEADY, "authored": 0}, history(3) + cut)[0]["runs"] == 3

    def test_a_failed_source_is_not_judged_and_its_failed_runs_are_no_baseline(self):
        assert alerts_for({}, history(5), skip=["gazette"]) == []
        failed = [report({"gazette": {"unreachable": 3}}, failed=("gazette",))] * 5
        [alert] = alerts_for({**STEADY, "authored": 0}, history(3) + failed)
        assert alert["runs"] == 3

    def test_each_source_against_its_own_runs(self):
        both = [report({"gazette": STEADY, "courier": {**STEADY, "authored": 0}},
                       medians={"gazette": 2400, "courier": 2400}) for _ in range(4)]
        health = run_health({"gazette": {**STEADY, "authored": 0},
                             "courier": {**STEADY, "authored": 0}},
                            {"gazette": 2400, "courier": 2400})
        assert [a["source"] for a in drift_alerts(health, both)] == ["gazette"]


# -- crawls: a source redesigns overnight --------------------------------------------------
def write_job(path: Path, sources: dict[str, str]) -> Path:
    lines = ['name = "valley"']
    for name, seed in sources.items():
        lines += ["[[sources]]", f'name = "{name}"', f'seeds = ["{seed}"]']
    path.write_text("\n".join(lines) + "\n")
    return path


def last_report(out: Path) -> dict[str, Any]:
    return run_reports(out, job="valley")[-1]


@pytest.fixture(scope="module")
def redesigned(tmp_path_factory):
    """Three daily runs of two sources, each with six fresh stories per source; then the
    chronicle's template loses its bylines and dates, and a fourth run; then a quiet
    fifth run, where every story is known already; and a sixth, the chronicle still
    broken, with the alerts turned off."""
    tmp = tmp_path_factory.mktemp("health")
    chronicle, courier = RedesignSite(), RedesignSite(name="The Calder Courier")
    with chronicle.serve() as chronicle_site, courier.serve(address="127.0.0.2") as courier_site:
        job = write_job(tmp / "valley.toml", {"chronicle": chronicle_site.url("/"),
                                              "courier": courier_site.url("/")})
        out = tmp / "out"
        runs = []
        for run in range(6):
            if run in (1, 2, 3, 5):
                chronicle.next_edition()
                courier.next_edition()
            if run == 3:
                chronicle.template = "redesign"
            off = ["-s", "HEALTH_ALERTS_ENABLED=False"] if run == 5 else []
            result = run_cli("crawl", str(job), "--out", str(out), *FAST,
                             "-s", "EXTRACT_INLINE=True", *off)
            runs.append((result, last_report(out)))
    return runs


class TestDriftInACrawl:
    def test_steady_runs_have_health_and_no_alerts(self, redesigned):
        for result, report in redesigned[:3]:
            assert result.returncode == 0, result.stderr[-3000:]
            assert report["alerts"] == [] and report["problems"] == []
            assert "Warning:" not in result.stdout
        health = redesigned[2][1]["health"]
        for source in ("chronicle", "courier"):
            assert health[source]["articles"] == 6
            assert health[source]["dated_share"] == 1.0
            assert health[source]["authored_share"] == 1.0
            assert health[source]["median_body_chars"] > 1000
            assert health[source]["error_share"] == 0.0 and health[source]["pages"] == 7
        assert redesigned[2][1]["sources"]["chronicle"]["new"] == 6

    def test_the_redesign_alerts_for_that_source_only(self, redesigned):
        result, report = redesigned[3]
        assert result.returncode == 1, result.stderr[-3000:]
        assert {alert["source"] for alert in report["alerts"]} == {"chronicle"}
        assert {alert["signal"] for alert in report["alerts"]} == {"dated_share",
                                                                   "authored_share"}
        authored = next(a for a in report["alerts"] if a["signal"] == "authored_share")
        message = ("source chronicle: share of articles with authors 0.00, was 1.00 "
                   "(median of 3 runs)")
        assert authored == {"source": "chronicle", "signal": "authored_share", "value": 0.0,
                            "baseline": 1.0, "runs": 3, "message": message}
        assert report["exit_status"] == 1
        assert report["problems"] == [a["message"] for a in report["alerts"]]
        assert f"Warning: {message}" in result.stdout.splitlines()
        assert message in result.stderr.strip().splitlines()[-1]
        # The courier's articles are as they were; the chronicle's bodies too.
        assert report["health"]["courier"]["authored_share"] == 1.0
        assert report["health"]["chronicle"]["median_body_chars"] == \
            redesigned[2][1]["health"]["chronicle"]["median_body_chars"]

    def test_a_quiet_run_with_every_story_known_does_not_alert(self, redesigned):
        result, report = redesigned[4]
        assert result.returncode == 0, result.stderr[-3000:]
        assert report["alerts"] == [] and report["counts"]["articles"]["new"] == 0
        for source in ("chronicle", "courier"):
            # The six stories were found again, as known links not due for a re-check.
            assert report["health"][source]["articles"] == 6
            assert report["sources"][source]["skipped/known"] == 6
            assert report["health"][source]["authored_share"] is None

    def test_alerts_turned_off_leave_the_health_figures(self, redesigned):
        result, report = redesigned[5]
        assert result.returncode == 0, result.stderr[-3000:]
        assert report["alerts"] == [] and "Warning:" not in result.stdout
        assert report["health"]["chronicle"]["authored_share"] == 0.0


class TestCounters:
    def test_errors_are_counted_per_source_once_retrying_is_over(self):
        crawler = get_crawler()
        crawler.stats.open_spider()
        health = SourceHealthMiddleware(crawler.stats)
        page = Request("http://127.0.0.1:8001/news/1", meta={"source": "gazette"})
        health.process_response(page, Response(page.url, status=200))
        health.process_response(page, Response(page.url, status=503))
        health.process_response(page, Response(page.url, status=404))
        assert health.process_exception(page, ValueError("a bug in a handler")) is None
        # Refused by robots.txt or a cap: a choice, not an error.
        assert health.process_exception(page, IgnoreRequest("robots")) is None
        counts = per_source(crawler.stats.get_stats())["gazette"]
        assert counts["errors"] == 3 and counts["answered"] == 3
