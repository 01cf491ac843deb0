"""robots.txt while a site is failing (RFC 9309 §2.3.1.3-4, §2.4), told from the
server's side: which requests reached the site, and when.

The site is the Flaky Herald (tests/sites/flaky.py): its robots.txt forbids
``/private/``, and it can answer 503 for the first tries, 404, or 503 every time.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

from tests.conftest import FAST, NEWSARCHIVE, ROOT, run_cli
from tests.sites import flaky
from tests.sites.flaky import FlakyHerald, private_path, story_path

JOB = "flaky"
STORIES = {story_path(n) for n in range(1, 7)}
PRIVATE = {private_path(n) for n in range(1, 3)}


def crawl(site_url: str, out: Path, *settings: str) -> subprocess.CompletedProcess[str]:
    return run_cli("crawl", "--seed", site_url, "--out", str(out), "--job", JOB, *FAST,
                   *settings, timeout=120)


def pages_asked(log: list[dict]) -> list[dict]:
    return [r for r in log if r["path"] != "/robots.txt"]


def robots_asked(log: list[dict]) -> list[dict]:
    return [r for r in log if r["path"] == "/robots.txt"]


class TestRobotsTxtFailingAtFirst:
    def test_pages_wait_for_the_rules_and_nothing_they_forbid_is_fetched(self, tmp_path):
        with flaky.serve(robots="fail:2") as site:
            result = crawl(site.url("/"), tmp_path / "out")
            log = site.requests()
        assert result.returncode == 0, result.stderr[-3000:]
        robots = robots_asked(log)
        assert [r["status"] for r in robots] == [503, 503, 200]
        # Each try waited for the Retry-After (1 s) the 503 asked for.
        assert robots[1]["time"] - robots[0]["time"] >= 0.9
        assert robots[2]["time"] - robots[1]["time"] >= 0.9
        pages = pages_asked(log)
        assert min(r["time"] for r in pages) > robots[-1]["time"]  # nothing before the rules
        assert {r["path"] for r in pages} == {"/", *STORIES}
        assert "robots.txt unreachable" not in result.stdout

    def test_a_missing_robots_txt_allows_everything(self, tmp_path):
        with flaky.serve(robots="404") as site:
            result = crawl(site.url("/"), tmp_path / "out")
            log = site.requests()
        assert result.returncode == 0, result.stderr[-3000:]
        assert [r["status"] for r in robots_asked(log)] == [404]
        assert {r["path"] for r in pages_asked(log)} == {"/", *STORIES, *PRIVATE}


class TestRobotsTxtThatNeverAnswers:
    def test_the_crawl_ends_by_itself_and_the_host_is_counted_as_not_fetched(self, tmp_path):
        out = tmp_path / "out"
        with flaky.serve(robots="down") as site:
            result = crawl(site.url("/"), out, "-s", "ROBOTSTXT_RETRY_TIMES=2")
            log = site.requests()
        assert result.returncode == 1, result.stderr[-3000:]
        assert "Traceback" not in result.stderr
        assert [r["path"] for r in log] == ["/robots.txt"] * 3  # and nothing else
        host = site.base.removeprefix("http://")
        assert f"robots.txt unreachable: {host} (3 tries), 1 page(s) not fetched" \
            in result.stdout
        # The source fails (exit 1), named with why.
        assert f"failed: robots.txt answered 503 ({host})" in result.stderr
        [report] = (out / "manifests").glob(f"{JOB}-*.report.json")
        stats = json.loads(report.read_text("utf-8"))
        assert [f["reason"] for f in stats["failed_sources"]] == \
            [f"robots.txt answered 503 ({host})"]
        header, row = [line.split() for line in result.stdout.splitlines() if " | " in line]
        assert dict(zip(header, row, strict=True))["robots_unreachable"] == "1"

    def test_a_stop_signal_lets_the_waiting_requests_go_at_once(self, tmp_path):
        """Requests held back for robots.txt do not hold up a stop until the next try."""
        out = tmp_path / "out"
        with flaky.serve(robots="down") as site:
            process = subprocess.Popen(
                [*NEWSARCHIVE, "crawl", "--seed", site.url("/"), "--out", str(out),
                 "--job", JOB, *FAST, "-s", "ROBOTSTXT_RETRY_DELAY=60"],
                cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            deadline = time.monotonic() + 60
            while not robots_asked(site.requests()):
                assert time.monotonic() < deadline and process.poll() is None
                time.sleep(0.05)
            time.sleep(0.5)  # the answer is in, the next try 60 s away
            stopped = time.monotonic()
            process.send_signal(signal.SIGTERM)
            _, stderr = process.communicate(timeout=60)
            took = time.monotonic() - stopped
            log = site.requests()
        assert took < 20, f"the stop took {took:.0f}s"
        assert process.returncode == 1, stderr[-3000:]
        assert "Traceback" not in stderr
        assert [r["path"] for r in log] == ["/robots.txt"]


class TestCachedRobotsTxt:
    def test_the_copy_an_earlier_run_kept_stands_in_while_the_host_fails(self, tmp_path):
        out = tmp_path / "out"
        herald = FlakyHerald(robots="rules")
        with herald.serve() as site:
            first = crawl(site.url("/"), out)
            assert first.returncode == 0, first.stderr[-3000:]
            [kept] = (out / "state" / "robots" / JOB).glob("127.0.0.1_*.txt")
            assert kept.read_text() == flaky.RULES
            site.reset_requests()
            herald.robots, herald.stories = "down", 8  # two new stories since
            second = crawl(site.url("/"), out)
            log = site.requests()
        assert second.returncode == 0, second.stderr[-3000:]
        assert [r["status"] for r in robots_asked(log)] == [503]
        # Crawled by the rules it last gave: the new stories, nothing under /private/.
        assert {r["path"] for r in pages_asked(log)} == {"/", story_path(7), story_path(8)}
        host = site.base.removeprefix("http://")
        assert f"robots.txt unreachable, an earlier run's copy used: {host} (0 days old)" \
            in second.stdout
