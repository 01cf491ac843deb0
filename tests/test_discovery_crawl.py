"""A job file of two sources on two local hosts: every channel, every rule.

Both hosts serve the Courier (tests/sites/discovery_channels.py), a site written
apart from the crawler: some stories only in its feeds, some only in its gzip news sitemap
(reached through robots.txt and a sitemap index), robots.txt rules with a
Crawl-delay, a 429 with Retry-After, and traps (an endless calendar, faceted
events, never-ending notices, session ids, a byte-identical mirror page).
Source "courier" has a ``since`` date; source "mirror" has none and no
Crawl-delay, so it runs at its own, faster pace beside the first.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.sites import discovery_channels as courier
from tests.sites.checks import assert_clean_exit, compare_articles, same_moment

# Long enough that the arrival jitter of a busy 2-core machine (tens of ms) stays
# well inside the slack of test_crawl_delay_is_kept.
CRAWL_DELAY = 0.15
RETRY_AFTER = 1.0  # what the busy story's 429 asks for


@pytest.fixture(scope="module")
def hosts():
    """The two running Courier sites: "courier" (with a Crawl-delay), then "mirror"."""
    with courier.serve(crawl_delay=CRAWL_DELAY) as a, courier.serve(crawl_delay=0) as b:
        yield a, b


def write_job(path: Path, a_base: str, b_base: str) -> Path:
    path.write_text(f"""
name = "discovery"

[settings]
AUTOTHROTTLE_ENABLED = false
DOWNLOAD_DELAY = 0
POLITENESS_BACKOFF_DELAY = 0.05

[[sources]]
name = "courier"
seeds = ["{a_base}/"]
since = 2025-01-01

[[sources]]
name = "mirror"
seeds = ["{b_base}/"]
[sources.politeness]
concurrency = 4
""", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def crawl(hosts, tmp_path_factory):
    a_base, b_base = (host.base for host in hosts)
    tmp = tmp_path_factory.mktemp("discovery")
    job = write_job(tmp / "discovery.toml", a_base, b_base)
    out = tmp / "archive"
    result = run_cli("crawl", str(job), "--out", str(out), timeout=600)
    rows = []
    for part in sorted((out / "articles" / "discovery").glob("*.jsonl")):
        rows.extend(json.loads(line) for line in part.read_text("utf-8").splitlines() if line)
    manifest = json.loads(next((out / "manifests").glob("discovery-*Z.json")).read_text())
    return result, rows, manifest


def rows_of(rows: list[dict], source: str) -> list[dict]:
    return [r for r in rows if r["source"] == source]


def test_crawl_ends_by_itself_and_cleanly(crawl):
    result, _, manifest = crawl
    assert_clean_exit(result)
    assert manifest["finish_reason"] == "finished"


@pytest.mark.parametrize(("source", "expected"), [
    ("courier", courier.EXPECTED),
    ("mirror", courier.EXPECTED + courier.OLD_ARTICLES),
])
def test_every_article_is_found_through_sections_feeds_and_sitemaps(hosts, crawl, source,
                                                                     expected):
    base = (hosts[0] if source == "courier" else hosts[1]).base
    problems = compare_articles(base, rows_of(crawl[1], source), expected,
                                courier.EXPECTED_NON_ARTICLES, moment=same_moment)
    assert not problems, "\n".join(problems)


def test_each_channel_was_needed(crawl):
    found = {r["canonical_url"].split("/", 3)[3] for r in rows_of(crawl[1], "courier")}
    for paths in (courier.FEED_ONLY_PATHS, courier.SITEMAP_ONLY_PATHS, courier.DEEP_PATHS):
        assert paths and {p.lstrip("/") for p in paths} <= found


def test_since_skips_old_sitemap_entries_without_fetching_them(hosts, crawl):
    hits = hosts[0].hits()
    assert not [p for p in courier.OLD_PATHS if any(t.startswith(p) for t in hits)]
    assert "since" in crawl[0].stdout  # the per-source table has the column


def test_nothing_robots_txt_forbids_is_fetched(hosts, crawl):
    for host in hosts:
        hits = host.hits()
        forbidden = [t for t in hits if t.startswith(tuple(courier.FORBIDDEN_PREFIXES))]
        assert forbidden == []
        assert hits.get("/robots.txt") == 1


def test_traps_end(hosts, crawl):
    """Each trap costs a bounded number of pages, and the summary names the shapes stopped."""
    result = crawl[0]
    for host in hosts:
        hits = host.hits()
        for prefix in courier.TRAP_PREFIXES:
            fetched = sum(n for t, n in hits.items() if t.startswith(prefix))
            # A trap's URL shapes each cost NEWS_TRAP_PAGES listings, plus whatever was
            # already queued when the shape was caught (a few, by timing): endless
            # traps would run to hundreds.
            assert fetched <= 75, f"{fetched} requests under {prefix} at {host.base}"
    assert "Traps stopped:" in result.stdout
    assert "/calendar/#/#/" in result.stdout


def test_session_ids_are_dropped(hosts, crawl):
    for host in hosts:
        hits = host.hits()
        assert [t for t in hits if "sessionid" in t.lower()] == []


def test_crawl_delay_is_kept(hosts, crawl):
    """One request at a time, Crawl-delay apart. The server's clock sees arrivals, which
    a busy machine shifts by tens of ms either way, so single gaps get some slack;
    parallel requests (gaps near 0) or Scrapy's ±50% jitter (a fifth of the gaps under
    0.7 x the delay) would still show."""
    times = sorted((t, target) for target, ts in hosts[0].times().items() for t in ts)
    gaps = sorted((b[0] - a[0], a[1], b[1]) for a, b in itertools.pairwise(times))
    assert len(times) > 50
    closest, tenth = gaps[0], gaps[len(gaps) // 10]
    assert closest[0] >= CRAWL_DELAY * 0.5, f"{closest[1]}, {closest[2]}: {closest[0]:.3f}s"
    assert tenth[0] >= CRAWL_DELAY * 0.9, f"10% of requests less than {tenth[0]:.3f}s apart"


def test_retry_after_pauses_the_whole_host(hosts, crawl):
    """Nothing reaches the host until its Retry-After has passed, not only the retried
    page. Requests already handed to the network when the 429 came back still arrive
    in the first moments (the server sees arrivals, not starts): they are let be."""
    for host in hosts:
        log = host.times()
        refused_at = min(log[next(t for t in log if t.startswith(courier.BUSY_PATH))])
        later = sorted((t - refused_at, target) for target, ts in log.items() for t in ts
                       if t > refused_at)
        during_pause = [(round(t, 3), target) for t, target in later
                        if 0.5 < t < RETRY_AFTER * 0.95]
        assert during_pause == [], f"{host.base}: {later[:12]}"
        assert later and later[-1][0] > RETRY_AFTER, "nothing was fetched after the pause"
    busy = [r for r in crawl[1] if r["canonical_url"].endswith(courier.BUSY_PATH)]
    assert len(busy) == 2  # archived once per source after the retry


def test_sources_run_in_parallel_each_at_its_own_pace(hosts, crawl):
    a, b = ([t for ts in host.times().values() for t in ts] for host in hosts)
    # The mirror has no Crawl-delay: it is done well before the courier, having
    # started with it rather than after it.
    assert min(b) < min(a) + 2
    assert max(b) < max(a)
    assert (max(b) - min(b)) < (max(a) - min(a)) / 2


def test_summary_and_stats_are_per_source(crawl):
    result = crawl[0]
    assert "Per source" in result.stdout
    lines = {line.split()[0]: line.split() for line in result.stdout.splitlines()
             if line.startswith("  courier") or line.startswith("  mirror")}
    # source, pages, articles, feeds, sitemaps, |, robots, scope, cap, depth, trap, since, dup
    courier_row, mirror_row = lines["courier"], lines["mirror"]
    assert int(courier_row[2]) == len(courier.EXPECTED)
    assert int(mirror_row[2]) == len(courier.EXPECTED) + len(courier.OLD_ARTICLES)
    for row in (courier_row, mirror_row):
        assert int(row[3]) == len(courier.FEED_PATHS)  # feeds read
        assert int(row[4]) >= 3  # index, news (gzip), stories ...
        assert int(row[6]) == 6  # 2 members pages, 4 searches refused by robots.txt
        assert int(row[10]) > 0  # trap links not followed
    assert int(courier_row[11]) >= 1 and int(mirror_row[11]) == 0  # since
