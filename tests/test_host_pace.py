"""A host's pace as its server sees it (crawler.middlewares.politeness).

Under a robots.txt Crawl-delay the delay runs from the host's last answer: the
server sees its requests at least the delay apart however slowly it answers, and
however late a busy crawl put a request on the wire. Without any delay, the
host's concurrency still holds (crawler.scrapy_internals.MIN_SLOT_DELAY)."""

from __future__ import annotations

import itertools

from tests.conftest import FAST, run_cli
from tests.sites import flaky

CRAWL_DELAY = 0.6
ANSWER_AFTER = 0.5  # each article takes this long to answer


def test_the_crawl_delay_runs_from_the_answer_not_from_the_request(tmp_path):
    with flaky.serve(stories=6, private=0, crawl_delay=CRAWL_DELAY,
                     answer_after=ANSWER_AFTER) as site:
        result = run_cli("crawl", "--seed", site.url("/"), "--out", str(tmp_path / "out"),
                         "--job", "slow", *FAST, timeout=120)
        log = site.requests()
    assert result.returncode == 0, result.stderr[-3000:]
    stories = [r for r in log if r["path"].startswith("/news/")]
    assert len(stories) == 6
    # Timed from each request, they would arrive CRAWL_DELAY apart (the answer takes
    # less); timed from each answer, the answer's time and the whole delay apart.
    gaps = [b["time"] - a["time"] for a, b in itertools.pairwise(stories)]
    assert min(gaps) >= (ANSWER_AFTER + CRAWL_DELAY) * 0.95, [round(g, 2) for g in gaps]
    # The first page after robots.txt, too: a full delay after robots.txt's answer.
    robots = next(i for i, r in enumerate(log) if r["path"] == "/robots.txt")
    assert log[robots + 1]["time"] - log[robots]["time"] >= CRAWL_DELAY * 0.95


def test_without_a_delay_a_host_still_gets_no_more_requests_at_once_than_allowed(tmp_path):
    with flaky.serve(stories=12, private=0, robots="404", answer_after=ANSWER_AFTER) as site:
        result = run_cli("crawl", "--seed", site.url("/"), "--out", str(tmp_path / "out"),
                         "--job", "burst", *FAST, "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2",
                         timeout=120)
        arrivals = sorted(r["time"] for r in site.requests() if r["path"].startswith("/news/"))
    assert result.returncode == 0, result.stderr[-3000:]
    assert len(arrivals) == 12
    # Two at a time, each answered after ANSWER_AFTER: a third request can only come
    # once one of the two before it has its answer.
    thirds = [c - a for a, c in zip(arrivals, arrivals[2:], strict=False)]
    assert min(thirds) >= ANSWER_AFTER * 0.9, [round(t, 2) for t in thirds]
