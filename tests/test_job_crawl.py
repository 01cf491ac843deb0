"""Per-source rules in real crawls: patterns and caps (test site), Crawl-delay (Courier)."""

from __future__ import annotations

import itertools
import json

import pytest

from tests.conftest import FAST, run_cli, serve_site
from tests.sites import discovery_channels as courier

CAP = 25


@pytest.fixture(scope="module")
def capped_crawl(tmp_path_factory):
    site = serve_site("test")
    tmp = tmp_path_factory.mktemp("jobcrawl")
    job = tmp / "capped.toml"
    job.write_text(f"""
[[sources]]
name = "capped"
seeds = ["{site.url('/')}"]
exclude = ['/tag/', '/author/']
max_pages = {CAP}
""", encoding="utf-8")
    result = run_cli("crawl", str(job), "--out", str(tmp / "out"), *FAST)
    hits = site.hits()
    site.stop()
    manifest = json.loads(next((tmp / "out" / "manifests").glob("capped-*Z.json")).read_text())
    return result, hits, manifest


def test_job_name_comes_from_the_file_name(capped_crawl):
    result, _, manifest = capped_crawl
    assert result.returncode == 0, result.stderr[-2000:]
    assert manifest["job"] == "capped"


def test_excluded_links_are_never_fetched(capped_crawl):
    _, hits, _ = capped_crawl
    assert [t for t in hits if t.startswith(("/tag/", "/author/"))] == []


def test_the_source_cap_holds(capped_crawl):
    result, hits, _ = capped_crawl
    # Pages only: the pictures under /static/ are their requisites, capped apart.
    fetched = sum(n for t, n in hits.items()
                  if t not in ("/robots.txt", "/__hits__") and not t.startswith("/static/"))
    # Retries of the 429 and 5xx pages are the same scheduled page fetched again.
    assert fetched <= CAP + 4
    row = next(line.split() for line in result.stdout.splitlines()
               if line.startswith("  capped"))
    scope, cap = int(row[7]), int(row[8])
    assert scope > 0 and cap > 0


def test_autothrottle_never_undercuts_a_crawl_delay(tmp_path):
    """AutoThrottle (on by default) tunes each host's delay to its latency — a few ms on
    127.0.0.1 — but never below the robots.txt Crawl-delay."""
    with courier.serve(crawl_delay=0.2) as site:
        result = run_cli("crawl", "--seed", site.url("/"), "--out", str(tmp_path / "out"),
                         "--max-pages", "15", "-s", "AUTOTHROTTLE_ENABLED=True",
                         "-s", "AUTOTHROTTLE_START_DELAY=0", "-s", "DOWNLOAD_DELAY=0",
                         "-s", "POLITENESS_BACKOFF_DELAY=0.05")
        times = sorted(t for ts in site.times().values() for t in ts)
    assert result.returncode == 0, result.stderr[-2000:]
    gaps = sorted(b - a for a, b in itertools.pairwise(times))
    assert len(times) >= 10
    assert gaps[len(gaps) // 10] >= 0.18 and gaps[0] >= 0.1, gaps[:5]
