"""The benchmark's own parts, so that a benchmark run measures what it says it does.

The benchmarks themselves (bench/crawl_throughput.py, bench/extract_cost.py) are
run by hand: their figures are in docs/performance.md, not asserted here.
"""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
import urllib.request
from urllib.parse import urlsplit

import pytest

from archive.query.duplicates import DEFAULT_THRESHOLD
from bench._newssite.server import server_process
from bench._throughput.ceiling import ceiling, format_ceiling
from bench._throughput.compare import PIPELINES, probe_cost_seconds, server_cpu_seconds
from bench._throughput.lightsite import build_light_site, light_article_paths
from bench._throughput.realsite import (
    DEFAULT_AEB,
    build_real_site,
    load_originals,
    real_article_paths,
)
from bench.crawl_throughput import ArticleLines
from bench.crawl_throughput import main as throughput_main
from bench.duplicates_bench import measure, pair_scores, planted_set, write_archive
from bench.newssite import (
    SERVED_PATH,
    _site_problems,
    article_paths,
    build_site,
    html_paths,
    serve,
)
from bench.proctree import TreeWatcher, descendants, tree_usage


class TestNewsSite:
    def test_every_link_resolves_and_listings_reach_every_article(self):
        site = build_site(120)
        problems, _depth = _site_problems(site)
        assert problems == []
        assert len(article_paths(site)) == 120

    def test_same_seed_same_site(self):
        assert build_site(30) == build_site(30)
        assert build_site(30, seed=1) != build_site(30, seed=2)

    def test_every_requisite_the_crawler_finds_is_served(self):
        from crawler.discovery.requisites import page_requisites
        from crawler.extract.article import parse_html

        site = build_site(40)
        found = {urlsplit(r.url).path + (f"?{urlsplit(r.url).query}" if urlsplit(r.url).query
                                          else "")
                 for path in html_paths(site)
                 for r in page_requisites(parse_html(site[path].body.decode()),
                                          f"http://news.test{path}")}
        assert found and found <= site.keys()
        assert site["/static/fonts/ledger-serif.woff2"].content_type == "font/woff2"
        assert b'@import url("/static/css/fonts.css")' in site[
            "/static/css/main.3f9a1c.css"].body
        assert build_site(40, requisites=False).keys() == set(html_paths(site)) | {
            p for p in site if not site[p].content_type.startswith(
                ("image/", "font/", "text/css", "text/javascript"))}

    def test_server_answers_pages_and_counts_them(self):
        site = build_site(20)
        path = article_paths(site)[0]
        with serve(site) as base:
            with urllib.request.urlopen(base + path) as answer:
                assert answer.read() == site[path].body
            with urllib.request.urlopen(base + SERVED_PATH) as answer:
                assert int(answer.read()) == 1


class TestProcessTree:
    def test_cpu_of_children_counts_once_they_are_gone(self):
        # Each step waits for the test's word, not for a timer: on a loaded machine the
        # test may look late, and the processes are still as it expects.
        burn = ("import sys, time\nt = time.process_time()\n"
                "while time.process_time() - t < 0.5: pass\nsys.stdin.read()\n")
        script = ("import subprocess, sys\n"
                  f"child = subprocess.Popen([sys.executable, '-c', {burn!r}],"
                  " stdin=subprocess.PIPE)\n"
                  "print('started', flush=True)\nsys.stdin.readline()\n"
                  "child.stdin.close()\nchild.wait()\n"
                  "print('waited', flush=True)\nsys.stdin.read()\n")
        parent = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, text=True)
        assert parent.stdin is not None and parent.stdout is not None
        try:
            assert parent.stdout.readline() == "started\n"
            assert len(descendants(parent.pid)) == 2  # the child waits for its stdin
            parent.stdin.write("go\n")
            parent.stdin.flush()
            assert parent.stdout.readline() == "waited\n"
            usage = tree_usage(parent.pid)
        finally:
            parent.kill()
            parent.communicate()
        assert usage.processes == 1
        assert usage.cpu_seconds >= 0.45  # the child's, through the parent's cutime

    def test_a_live_tree(self):
        child = subprocess.Popen([sys.executable, "-c", "print('up', flush=True); "
                                  "import time; time.sleep(600)"], stdout=subprocess.PIPE,
                                 text=True)
        try:
            assert child.stdout is not None and child.stdout.readline() == "up\n"
            usage = tree_usage(child.pid, pss=True)
        finally:
            child.kill()
            child.communicate()
        assert usage.processes == 1
        assert usage.rss_bytes == usage.largest_rss_bytes > 1_000_000
        assert usage.pss_bytes is not None and 0 < usage.pss_bytes <= usage.rss_bytes


    def test_watcher_reads_known_processes_between_scans(self):
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
        try:
            watcher = TreeWatcher(child.pid, rescan_every=60)
            first = watcher.usage()
            second = watcher.usage(pss=True)
        finally:
            child.kill()
            child.wait()
        assert first.processes == second.processes == 1
        assert second.pss_bytes and first.pss_bytes is None
        assert watcher.usage().processes == 0  # gone, though not rescanned


class TestArticleLines:
    def test_counts_appended_lines_across_a_rename(self, tmp_path):
        parts = tmp_path / "articles" / "job"
        parts.mkdir(parents=True)
        count = ArticleLines(tmp_path)
        open_part = parts / "a.jsonl.open"
        open_part.write_bytes(b'{"n": 1}\n{"n": 2}\n')
        assert count() == 2
        with open_part.open("ab") as handle:
            handle.write(b'{"n": 3}\n')
        open_part.rename(parts / "a.jsonl")  # finished parts lose .open
        assert count() == 3
        (parts / "b.jsonl.open").write_bytes(b'{"n": 4}\n')
        assert count() == 4


class TestDuplicatesBench:
    """bench/duplicates_bench.py, run small: its planted set, and the grouping's scores
    on it at the default threshold (the figures at 100,000: docs/performance.md)."""

    def test_pair_scores_count_pairs(self):
        truth = {"a": 1, "b": 1, "c": 1, "d": 2, "e": 3}
        assert pair_scores([["a", "b", "c"]], truth) == (1.0, 1.0)
        assert pair_scores([["a", "b"], ["d", "e"]], truth) == (0.5, 1 / 3)
        assert pair_scores([], truth) == (1.0, 0.0)

    def test_planted_set_is_the_same_for_the_same_seed(self):
        one, other = planted_set(300), planted_set(300)
        assert [p.record for p in one] == [p.record for p in other]
        assert len({p.story for p in one}) < len(one)  # copies were planted

    def test_grouping_finds_the_planted_copies(self, tmp_path):
        planted = planted_set(600)
        write_archive(planted, tmp_path)
        truth = {p.record["url"]: p.story for p in planted}
        precision, recall, _seconds = measure(tmp_path, truth, DEFAULT_THRESHOLD)
        assert precision >= 0.95 and recall >= 0.95


_HREF = re.compile(r'href="(/[^"]*)"')


def _reachable(site: dict) -> set[str]:
    """Paths reached from / by following the site's own links."""
    seen, todo = {"/"}, ["/"]
    while todo:
        for path in _HREF.findall(site[todo.pop()].body.decode("utf-8", "replace")):
            if path in site and path not in seen:
                seen.add(path)
                todo.append(path)
    return seen


class TestThroughputSites:
    """The real-page and light-page sites of ``crawl_throughput --site``."""

    def test_real_pages_are_distinct_copies_found_through_listings(self):
        originals = load_originals(DEFAULT_AEB, limit=4)
        site = build_real_site(originals, copies=3)
        articles = real_article_paths(site)
        assert len(articles) == 12
        assert all(re.fullmatch(r"/\d{4}/\d{2}/\d{2}/copy-\d/[a-z0-9-]+\.html", p)
                   for p in articles)
        bodies = [site[p].body for p in articles]
        assert len(set(bodies)) == len(bodies)
        for body in bodies:
            assert not re.search(rb'<link\b[^>]*rel="?canonical|<meta\b[^>]*og:url|<base\b',
                                 body, re.I)
            # Relative links were made absolute against the page's own site.
            assert not re.search(rb'<a\s[^>]*href="(?!https?:|//|#|mailto:|javascript:)[^"]',
                                 body, re.I)
        assert set(articles) <= _reachable(site)

    def test_light_site_is_light_and_found_through_listings(self):
        site = build_light_site(60)
        articles = light_article_paths(site)
        assert len(articles) == 60
        sizes = [len(site[p].body) for p in articles]
        assert 5_000 < sum(sizes) / len(sizes) < 11_000
        assert set(articles) <= _reachable(site)
        assert build_light_site(10) == build_light_site(10)


class TestThroughputComparison:
    def test_every_pipeline_runs_on_a_tiny_site_of_each_kind(self, tmp_path, capsys):
        figures = tmp_path / "figures.json"
        assert throughput_main(["--site", "all", "--articles", "12", "--light-articles", "15",
                                "--copies", "1", "--real-pages", "3",
                                "--json", str(figures)]) == 0
        report = json.loads(figures.read_text())
        assert set(report["sites"]) == {"synthetic", "real", "light"}
        for name, articles in (("synthetic", 12), ("real", 3), ("light", 15)):
            runs = report["sites"][name]["runs"]
            assert set(runs) == set(PIPELINES)
            for pipeline, run in runs.items():
                assert run["article_pages"] == articles, (name, pipeline)
                assert run["pages"] > articles and run["crawl_cpu_seconds"] > 0
            # Every article extracted by both extracting pipelines, none by the others.
            assert runs["naive"]["articles"] == articles
            assert runs["newsarchive"]["articles"] == articles
            assert runs["bare"]["articles"] == runs["noextract"]["articles"] == 0
            assert runs["newsarchive"]["worker_cpu_ms_per_page"] > 0
            ratios = report["sites"][name]["ratios"]
            assert all(math.isfinite(ratios[r]) for r in
                       ("newsarchive_over_naive", "noextract_over_bare_crawl_cpu"))
            assert all(run["server_cpu_ms_per_page"] >= 0 for run in runs.values())
            bound = report["sites"][name]["ceiling"]
            assert bound["ratio"] > 0 and math.isfinite(bound["share_reached"])
        printed = capsys.readouterr().out
        assert printed.count("newsarchive / naive, whole run:") == 3
        assert printed.count("ceiling on ") == 3


class TestCeiling:
    """The best newsarchive / naive ratio the CPU a page allows (bench/_throughput/ceiling.py)."""

    def test_all_cpu_spread_over_the_cores_against_the_slower_of_naive_and_server(self):
        # The light site's figures before the server was measured, with a guess for it.
        bound = ceiling(2, crawl_ms=3.5, workers_ms=4.5, server_ms=0.4, naive_ms=6.0)
        assert bound.all_ms == 8.4
        assert bound.newsarchive_floor_ms == 4.2
        assert bound.naive_floor_ms == 6.0
        assert math.isclose(bound.ratio, 6.0 / 4.2)
        # A target of 1.6 needs all CPU a page at 2 * 6.0 / 1.6 = 7.5 ms.
        assert math.isclose(bound.needed_all_ms(1.6), 7.5)

    def test_a_server_slower_than_the_naive_crawl_sets_its_pace(self):
        bound = ceiling(2, crawl_ms=1.0, workers_ms=1.0, server_ms=2.0, naive_ms=1.5,
                        naive_server_ms=3.0)
        assert bound.naive_floor_ms == 3.0
        assert bound.newsarchive_floor_ms == 2.0
        assert bound.ratio == 1.5

    def test_one_core_or_a_busy_crawl_process_bounds_newsarchive(self):
        one = ceiling(1, crawl_ms=2.0, workers_ms=3.0, server_ms=1.0, naive_ms=4.0)
        assert one.newsarchive_floor_ms == 6.0 and one.naive_floor_ms == 5.0
        many = ceiling(16, crawl_ms=2.0, workers_ms=3.0, server_ms=1.0, naive_ms=4.0)
        assert many.newsarchive_floor_ms == 2.0  # the crawl process's own CPU
        assert many.ratio == 2.0

    def test_costs_must_make_sense(self):
        for bad in ({"crawl_ms": 0.0}, {"naive_ms": -1.0}, {"server_ms": -0.1}):
            costs = {"crawl_ms": 1.0, "workers_ms": 1.0, "server_ms": 0.1, "naive_ms": 2.0,
                     **bad}
            with pytest.raises(ValueError):
                ceiling(2, **costs)
        with pytest.raises(ValueError):
            ceiling(0, crawl_ms=1.0, workers_ms=1.0, server_ms=0.1, naive_ms=2.0)

    def test_the_printed_line_names_every_term_and_the_share_reached(self):
        bound = ceiling(2, crawl_ms=3.5, workers_ms=4.5, server_ms=0.5, naive_ms=6.0)
        text = format_ceiling(bound, 1.2, naive_wall_ms=6.4, newsarchive_wall_ms=5.0,
                              target=1.6)
        assert text.startswith("ceiling on 2 cores: newsarchive / naive <= 1.41 (all CPU a "
                               "page: crawl 3.50 + workers 4.50 + server 0.50 = 8.50 ms; "
                               "naive 6.00 ms + server 0.50 ms); reached 1.20, 85% of it")
        assert "naive 6.40 ms (floor 6.00), newsarchive 5.00 ms (floor 4.25)" in text

    def test_the_server_cpu_of_pages_served_is_captured(self):
        site = build_light_site(40)
        paths = light_article_paths(site)
        with server_process(site, "127.0.0.1", 0) as (base, server):
            probe = probe_cost_seconds(base, server.pid, probes=50)
            assert 0 <= probe < 0.005
            idle = server_cpu_seconds(server.pid)
            for _ in range(20):  # 800 pages: tenths of a second at the server
                for path in paths:
                    with urllib.request.urlopen(f"{base}{path}", timeout=5) as answer:
                        answer.read()
            assert server_cpu_seconds(server.pid) - idle > 0.02
        assert math.isnan(server_cpu_seconds(None))


class TestExtractCost:
    def test_every_reader_is_timed_on_light_pages(self, capsys):
        from bench.extract_cost import READERS, cpu_per_page, light_pages, report

        pages = light_pages(3)
        assert len(pages) == 3
        assert all(READERS["analyse_page"](html, url).article for url, html in pages)
        cost = cpu_per_page(READERS, pages, rounds=1)
        assert set(cost) == set(READERS)
        assert all(seconds > 0 for seconds in cost.values())
        report("light", cost)
        assert "extract_article / trafilatura:" in capsys.readouterr().out
