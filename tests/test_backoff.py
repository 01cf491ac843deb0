"""A host that asks to back off (429/503) is slowed down, then returns to its own pace
step by step as it answers again (crawler.middlewares.politeness).

The crawl is judged from the server's side: the arrival times of its requests
at the Flaky Herald (tests/sites/flaky.py), whose first article requests answer
503 with Retry-After. Only the shape is checked (the gaps grow, then shrink back
to the configured delay), not speed figures a busy machine would blur.
"""

from __future__ import annotations

import itertools
import statistics

from crawler.extensions.hostsummary import host_lines
from crawler.middlewares.politeness import HostPace
from crawler.sourcestats import cut_short_sources
from tests.conftest import FAST, run_cli
from tests.sites import flaky

DELAY = 0.1  # the host's own pace: DOWNLOAD_DELAY
BACKOFF = 0.5  # POLITENESS_BACKOFF_DELAY


class TestHostPace:
    """The rule itself, on a clock of the test's own."""

    def test_good_answers_halve_the_added_delay_until_the_host_is_back_at_its_pace(self):
        pace = HostPace()
        pace.slow_down(DELAY, least=BACKOFF, most=30.0, now=100.0)
        pace.slow_down(pace.backoff, least=BACKOFF, most=30.0, now=101.0)
        assert pace.backoff == 1.0
        delays = []
        now = 101.0
        while pace.backoff:
            for _ in range(3):
                now += pace.backoff
                pace.answer_ok(DELAY, every=3, now=now)
            delays.append(round(pace.backoff, 4))
        assert delays == [0.55, 0.325, 0.2125, 0.1562, 0.1281, 0.1141, 0.0]
        assert pace.slowed_seconds(now + 50) == now - 100.0  # counted until it recovered
        assert pace.slowed_times == 2

    def test_an_error_answer_starts_the_count_again_and_a_new_429_doubles(self):
        pace = HostPace()
        pace.slow_down(DELAY, least=BACKOFF, most=30.0, now=0.0)
        pace.answer_ok(DELAY, every=3, now=1.0)
        pace.answer_ok(DELAY, every=3, now=2.0)
        pace.answer_failed()  # a 500: not a good answer
        assert pace.answer_ok(DELAY, every=3, now=3.0) is False
        assert pace.backoff == BACKOFF
        pace.slow_down(pace.backoff, least=BACKOFF, most=30.0, now=4.0)
        assert pace.backoff == 2 * BACKOFF
        pace.slow_down(pace.backoff, least=BACKOFF, most=1.5, now=5.0)
        assert pace.backoff == 1.5  # AUTOTHROTTLE_MAX_DELAY caps it
        assert pace.slowed_seconds(7.0) == 7.0  # still slowed down

    def test_a_host_never_slowed_down_is_untouched(self):
        pace = HostPace(crawl_delay=2.0)
        assert pace.answer_ok(2.0, every=1, now=1.0) is False
        assert pace.slowed_seconds(10.0) == 0.0


def test_the_summary_names_the_hosts_slowed_down_and_for_how_long():
    stats = {"politeness/slowed/a.example": 37.2, "politeness/slowed_times/a.example": 4,
             "politeness/slowed/b.example": 3.0, "politeness/slowed_times/b.example": 1}
    assert host_lines(stats) == [
        "Slowed down:          a.example (4 times, 37 s), b.example (1 time, 3 s)"]


def test_a_site_that_recovers_is_crawled_at_its_own_pace_again(tmp_path):
    with flaky.serve(stories=40, private=0, robots="404", busy=2) as site:
        result = run_cli(
            "crawl", "--seed", site.url("/"), "--out", str(tmp_path / "out"), "--job", "busy",
            *FAST, "-s", f"DOWNLOAD_DELAY={DELAY}", "-s", "DOWNLOAD_DELAY_JITTER=0",
            "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1", "-s", f"POLITENESS_BACKOFF_DELAY={BACKOFF}",
            "-s", "POLITENESS_RECOVER_AFTER=3", timeout=180)
        log = [r for r in site.requests() if r["path"] != "/robots.txt"]
    assert result.returncode == 0, result.stderr[-3000:]
    assert sum(r["status"] == 200 for r in log) == 41  # the home page and every story
    last_busy = max(i for i, r in enumerate(log) if r["status"] == 503)
    after = [b["time"] - a["time"] for a, b in itertools.pairwise(log[last_busy:])]
    assert len(after) >= 35
    # Slowed down: the first good answers come a back-off apart (1 s after two 503s;
    # the first also waited out the Retry-After) ...
    assert min(after[1:3]) > 0.8, [round(g, 2) for g in after[:12]]
    # ... then closer and closer ...
    steps = [statistics.mean(after[i:i + 3]) for i in range(1, 13, 3)]  # 1, .55, .33, .21 s
    assert steps == sorted(steps, reverse=True), [round(s, 2) for s in steps]
    # ... and back at the site's own pace well before the end of the crawl.
    tail = after[-12:]
    assert statistics.median(tail) < 2.5 * DELAY, [round(g, 2) for g in tail]
    host = site.base.removeprefix("http://")
    slowed = next(line for line in result.stdout.splitlines() if line.startswith("Slowed"))
    assert f"{host} (2 times, " in slowed


def test_a_host_that_keeps_asking_to_slow_down_is_left_for_the_next_run(tmp_path):
    """Three 503s in a row, each after the Retry-After it asked for: the run leaves the
    host instead of pausing for each of its pages; the next run fetches them all."""
    herald = flaky.FlakyHerald(stories=12, private=0, robots="404", busy=10**6)
    out = tmp_path / "out"
    crawl = ("crawl", "--seed", "", "--out", str(out), "--job", "busy", *FAST,
             "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1", "-s", "POLITENESS_LEAVE_AFTER=3")
    with herald.serve() as site:
        first = run_cli(*crawl[:2], site.url("/"), *crawl[3:], timeout=180)
        asked = [r for r in site.requests() if r["path"].startswith("/news/")]
        herald.busy = 0
        site.reset_requests()
        second = run_cli(*crawl[:2], site.url("/"), *crawl[3:], timeout=180)
        asked_again = [r for r in site.requests() if r["path"].startswith("/news/")]
    host = site.base.removeprefix("http://")
    assert first.returncode == 1, first.stderr[-3000:]
    assert len(asked) == 3, [r["path"] for r in asked]  # not 12 pages x 3 tries
    left = next(line for line in first.stdout.splitlines() if line.startswith("Left"))
    assert f"{host} (answered 429/503 3 times in a row)" in left
    assert "hosts left for the next run" in first.stderr
    assert second.returncode == 0, second.stderr[-3000:]
    assert sorted(r["path"] for r in asked_again) == sorted(
        flaky.story_path(n) for n in range(1, 13))
    assert sum(1 for _ in (out / "articles").rglob("*.jsonl")) >= 1


def test_a_source_whose_host_was_left_is_due_again_at_the_next_run():
    stats = {"source/wire/pages": 4, "source/wire/skipped/host_throttled": 9,
             "source/desk/pages": 7, "source/desk/skipped/known": 3,
             "source/gone/skipped/robots_unreachable": 2}
    assert cut_short_sources(stats) == {"wire", "gone"}
