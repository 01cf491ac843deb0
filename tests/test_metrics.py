"""Prometheus metrics of a crawl (crawler.extensions.metrics): the endpoint while it runs,
the textfile at its end, both with the run report's figures."""

from __future__ import annotations

import json
import socket
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from crawler.extensions.statsmetrics import RunFacts, metric_families
from tests.conftest import FAST, run_cli, serve_site

Samples = dict[str, list[tuple[dict[str, str], float]]]


def samples(text: str) -> Samples:
    """``{sample name: [(labels, value), ...]}`` of an exposition, as Prometheus reads it."""
    found: Samples = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found.setdefault(sample.name, []).append((sample.labels, sample.value))
    return found


def total(found: Samples, name: str, **labels: str) -> float:
    return sum(value for got, value in found.get(name, [])
               if all(got.get(k) == v for k, v in labels.items()))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def report_of(out: Path) -> dict:
    [path] = (out / "manifests").glob("*.report.json")
    return json.loads(path.read_text("utf-8"))


class Scraper(threading.Thread):
    """Scrapes ``url`` every tenth of a second until stopped, keeping what it got."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.url = url
        self.scrapes: list[str] = []
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.1):
            try:
                with urllib.request.urlopen(self.url, timeout=2) as response:
                    self.scrapes.append(response.read().decode("utf-8"))
            except OSError:
                pass  # not listening yet, or no more


@pytest.fixture(scope="module")
def metered_crawl(tmp_path_factory) -> Iterator[tuple[Path, Path, list[str], int]]:
    """One crawl of the test site (its slow page and retried 429 keep it running a few
    seconds) with both the endpoint and the file, scraped all along."""
    site = serve_site("test")
    folder = tmp_path_factory.mktemp("metrics")
    out, prom, port = folder / "archive", folder / "textfile" / "newsarchive.prom", free_port()
    prom.parent.mkdir()
    scraper = Scraper(f"http://127.0.0.1:{port}/metrics")
    scraper.start()
    try:
        result = run_cli("crawl", "--seed", site.base_url, "--out", str(out), "--job", "metered",
                         *FAST, "-s", f"METRICS_PORT={port}", "-s", f"METRICS_FILE={prom}")
    finally:
        scraper.done.set()
        scraper.join()
        site.stop()
    assert result.returncode == 0, result.stderr[-3000:]
    yield out, prom, scraper.scrapes, port


class TestMetricsFile:
    def test_carries_the_run_reports_counts(self, metered_crawl):
        out, prom, _, _ = metered_crawl
        report, found = report_of(out), samples(prom.read_text("utf-8"))
        counts = report["counts"]
        assert counts["pages_fetched"] > 0 and counts["articles"]["new"] > 0
        assert total(found, "newsarchive_pages_fetched_total") == counts["pages_fetched"]
        for kind, n in counts["articles"].items():
            assert total(found, "newsarchive_articles_total", kind=kind) == n, kind
        # The test site's 404, 500 and 429 are errors, kind by kind as in the report.
        assert counts["errors"] > 0
        assert total(found, "newsarchive_errors_total") == counts["errors"]
        assert {labels["kind"]: value for labels, value in found["newsarchive_errors_total"]
                } == report["errors"]
        assert total(found, "newsarchive_warc_bytes_total") == counts["warc_bytes"] > 0
        assert total(found, "newsarchive_warc_records_total") == counts["warc_records"]
        assert total(found, "newsarchive_response_bytes_total") > 0
        assert total(found, "newsarchive_pages_fetched_total", status_class="4xx") >= 1
        assert total(found, "newsarchive_pages_fetched_total", status_class="5xx") >= 1

    def test_carries_each_sources_counts(self, metered_crawl):
        out, prom, _, _ = metered_crawl
        sources, found = report_of(out)["sources"], samples(prom.read_text("utf-8"))
        assert sources
        for name, events in sources.items():
            assert total(found, "newsarchive_source_pages_total", source=name) == \
                events["pages"] > 0
            for kind in ("2xx", "4xx", "5xx"):
                assert total(found, "newsarchive_source_pages_fetched_total", source=name,
                             status_class=kind) == events[f"status/{kind}"] > 0
            assert total(found, "newsarchive_source_failed", source=name) == 0
            assert total(found, "newsarchive_source_blocked_pages_total", source=name) == \
                events.get("blocked", 0)

    def test_says_how_the_run_ended(self, metered_crawl):
        out, prom, _, _ = metered_crawl
        report, found = report_of(out), samples(prom.read_text("utf-8"))
        [(info, _)] = found["newsarchive_run_info"]
        assert info == {"job": "metered", "crawl_id": report["crawl_id"],
                        "finish_reason": "finished"}
        assert total(found, "newsarchive_run_exit_status") == report["exit_status"] == 0
        started = datetime.fromisoformat(report["started"]).timestamp()
        assert total(found, "newsarchive_run_start_time_seconds") == pytest.approx(started)
        end = total(found, "newsarchive_run_end_time_seconds")
        assert end >= datetime.fromisoformat(report["finished"]).timestamp()
        assert total(found, "newsarchive_run_duration_seconds") == pytest.approx(end - started)
        assert total(found, "newsarchive_last_success_time_seconds") == end
        assert total(found, "newsarchive_files_waiting_for_upload") == 0

    def test_is_the_only_file_left(self, metered_crawl):
        _, prom, _, _ = metered_crawl
        # write_to_textfile's temporary file was renamed over it, not left beside it.
        assert [p.name for p in prom.parent.iterdir()] == ["newsarchive.prom"]


class TestMetricsEndpoint:
    def test_answers_while_the_crawl_runs(self, metered_crawl):
        out, _, scrapes, _ = metered_crawl
        during = [found for found in map(samples, scrapes)
                  if "newsarchive_run_exit_status" not in found]
        assert during, "no scrape while the crawl ran"
        last = during[-1]
        [(info, _)] = last["newsarchive_run_info"]
        assert info["job"] == "metered" and info["finish_reason"] == ""
        assert "newsarchive_run_end_time_seconds" not in last
        final = report_of(out)["counts"]["pages_fetched"]
        assert 0 < total(last, "newsarchive_pages_fetched_total") <= final
        assert {labels["status_class"] for labels, _ in
                last["newsarchive_pages_fetched_total"]} >= {"2xx", "3xx", "4xx", "5xx"}

    def test_is_closed_when_the_crawl_ends(self, metered_crawl):
        _, _, _, port = metered_crawl
        with pytest.raises(urllib.error.URLError):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2)

    def test_a_port_in_use_costs_the_endpoint_not_the_run(self, tmp_path):
        """The source here never answers, so the run fails (exit 1): its file is written
        all the same, and the port taken is one logged error."""
        with socket.socket() as taken, socket.socket() as closed:
            taken.bind(("127.0.0.1", 0))
            taken.listen()
            closed.bind(("127.0.0.1", 0))  # bound, never listening: connections refused
            port, dead = taken.getsockname()[1], closed.getsockname()[1]
            out, prom = tmp_path / "archive", tmp_path / "failed.prom"
            result = run_cli("crawl", "--seed", f"http://127.0.0.1:{dead}/", "--out", str(out),
                             "--job", "down", *FAST, "-s", f"METRICS_PORT={port}",
                             "-s", f"METRICS_FILE={prom}")
        assert result.returncode == 1, result.stderr[-3000:]
        errors = [line for line in result.stderr.splitlines() if "Metrics not served" in line]
        assert len(errors) == 1 and f"port {port}" in errors[0]
        found = samples(prom.read_text("utf-8"))
        assert total(found, "newsarchive_run_exit_status") == report_of(out)["exit_status"] == 1
        assert total(found, "newsarchive_source_failed", source=f"127.0.0.1-{dead}") == 1
        assert "newsarchive_last_success_time_seconds" not in found


class TestMetricsSettings:
    @pytest.mark.parametrize(("setting", "says"), [
        ("METRICS_PORT=abc", "METRICS_PORT expects a port number"),
        ("METRICS_PORT=70000", "METRICS_PORT expects a port number"),
        ("METRICS_ADDRESS=localhost:9410", "METRICS_ADDRESS expects an IP address"),
        ("METRICS_FILE=newsarchive.txt", "METRICS_FILE must end in .prom"),
        ("METRICS_FILE=/nonexistent/folder/newsarchive.prom", "does not exist"),
    ])
    def test_a_bad_value_is_one_line_and_exit_2(self, tmp_path, setting, says):
        out = tmp_path / "archive"
        result = run_cli("crawl", "--seed", "http://127.0.0.1:9/", "--out", str(out),
                         "-s", setting)
        assert result.returncode == 2
        assert result.stderr.count("\n") == 1 and says in result.stderr, result.stderr
        assert not out.exists()


class TestMetricFamilies:
    def test_blocked_pages_and_sources_come_from_the_shared_stats(self):
        stats = {"pages/blocked": 3, "pages/blocked/challenge": 2, "pages/blocked/login": 1,
                 "source/gazette/blocked": 3, "source/gazette/new": 4,
                 "source/gazette/changed": 1, "source/gazette/articles": 5,
                 "source/herald/articles": 2, "source/gazette/errors": 6,
                 "source/gazette/status/2xx": 9, "source/gazette/status/9xx": 1,
                 "egress/blocked": 7}
        run = RunFacts(job="j", crawl_id="c", started=datetime(2026, 1, 1, tzinfo=UTC))
        found: Samples = {}
        for family in metric_families(stats, run, datetime(2026, 1, 1, 0, 1, tzinfo=UTC)):
            for sample in family.samples:
                found.setdefault(sample.name, []).append((sample.labels, sample.value))
        assert total(found, "newsarchive_blocked_pages_total", kind="challenge") == 2
        assert total(found, "newsarchive_blocked_pages_total", kind="consent") == 0
        assert total(found, "newsarchive_blocked_pages_total", kind="login") == 1
        assert total(found, "newsarchive_source_blocked_pages_total", source="gazette") == 3
        assert total(found, "newsarchive_source_errors_total", source="gazette") == 6
        assert total(found, "newsarchive_egress_refused_total", kind="private_address") == 7
        assert total(found, "newsarchive_source_articles_total", source="gazette", kind="new") == 4
        # Written but not counted per source by kind: left out, never shown as 0.
        assert not [s for s in found["newsarchive_source_articles_total"]
                    if s[0]["source"] == "herald"]
        assert total(found, "newsarchive_source_pages_fetched_total", source="gazette",
                     status_class="9xx") == 1
        assert total(found, "newsarchive_run_duration_seconds") == 60
        assert "newsarchive_run_exit_status" not in found  # still running
