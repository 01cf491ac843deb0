"""The benchmark's own parts, so that a benchmark run measures what it says it does.

The benchmarks themselves (bench/crawl_throughput.py, bench/extract_cost.py) are
run by hand: their figures are in docs/performance.md, not asserted here.
"""

from __future__ import annotations

import subprocess
import sys
import urllib.request
from urllib.parse import urlsplit

from archive.query.duplicates import DEFAULT_THRESHOLD
from bench.crawl_throughput import ArticleLines
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
