"""Runs of one incremental job against the Gazette (tests/sites/changing_editions.py,
written apart from the crawler) that do not end as planned: runs of one job exclude
each other, a stopped run closes its files and the next one finishes the crawl, and a
run killed with SIGKILL in the middle of writing is recovered by the next.

What a run records when the site changed between runs is in
tests/test_incremental_changes.py."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from tests.conftest import FAST, NEWSARCHIVE, ROOT, run_cli
from tests.gazettecrawl import JOB, article_lines, crawl, path_of, report
from tests.sites import changing_editions as gazette


def start_crawl(site: gazette.Site, out: Path, *extra: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [*NEWSARCHIVE, "crawl", "--seed", site.url("/"), "--out", str(out), "--job", JOB,
         *FAST, *extra], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, start_new_session=True)


def wait_for(predicate, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.05)


def open_files(out: Path, suffix: str) -> list[Path]:
    return sorted(out.rglob(f"*{suffix}.open"))


def article_count_in_open_parts(out: Path) -> int:
    return sum(p.read_bytes().count(b"\n") for p in open_files(out, ".jsonl"))


class TestOneRunAtATime:
    def test_second_run_of_the_job_exits_75_naming_the_first(self, tmp_path):
        out = tmp_path / "out"
        with gazette.serve(article_delay=0.3, extra_articles=30) as site:
            # A polite pace: over ten seconds of crawl, however fast the rest is.
            first = start_crawl(site, out, "-s", "DOWNLOAD_DELAY=0.25")
            try:
                wait_for(lambda: open_files(out, ".warc.gz"))
                second = crawl(site, out)
                other_job = run_cli("crawl", "--seed", site.url("/"), "--out", str(out),
                                    "--job", "other", "--max-pages", "3", *FAST)
            finally:
                first.send_signal(signal.SIGTERM)  # a clean stop: exit 1, files closed
                _, stderr = first.communicate(timeout=120)
        assert second.returncode == 75
        [line] = second.stderr.strip().splitlines()
        assert f"job {JOB} is already running: process {first.pid}" in line
        assert f"kill {first.pid}" in line
        assert not second.stdout
        assert other_job.returncode == 0, other_job.stderr[-2000:]  # other jobs may run
        assert first.returncode == 1, stderr[-3000:]
        assert "stopped before the end" in stderr
        assert not open_files(out, "")  # a clean stop closes every file


@pytest.fixture(scope="module")
def killed_then_resumed(tmp_path_factory):
    out = tmp_path_factory.mktemp("killed") / "out"
    with gazette.serve(article_delay=0.05, extra_articles=60) as site:
        # Small WARC files: some are finished (and listed in no manifest) before the kill.
        victim = start_crawl(site, out, "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16",
                             "-s", "WARC_MAX_SIZE=30000")
        try:
            # Killed in the middle of writing: articles already in the part.
            wait_for(lambda: article_count_in_open_parts(out) >= 10)
        finally:
            os.killpg(victim.pid, signal.SIGKILL)  # the crawl and its extraction workers
            victim.communicate(timeout=30)
        finished_before_kill = sorted(p.name for p in (out / "warc" / JOB).glob("*.warc.gz"))
        # Make sure the kill "came" mid-write, whatever the timing did: half a record
        # at the end of the WARC, half a line at the end of the articles.
        [warc] = open_files(out, ".warc.gz")
        data = warc.read_bytes()
        with open(warc, "ab") as handle:
            handle.write(data[-300:-100])
        [part] = open_files(out, ".jsonl")
        with open(part, "ab") as handle:
            handle.write(b'{"url": "http://127.0.0.1/half-writ')
        left_open = {p.name: p.stat().st_size for p in open_files(out, "")}
        lines_before = part.read_bytes().count(b"\n")
        resumed = crawl(site, out)
        yield {"out": out, "left_open": left_open, "resumed": resumed,
               "finished_before_kill": finished_before_kill,
               "lines_before": lines_before, "site": site}


def child_pids(pid: int) -> set[int]:
    children = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            children.add(int(stat.parent.name))
    return children


def is_running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


class TestStopping:
    def test_sigterm_stops_a_polite_crawl_at_once_and_the_next_run_finishes(self, tmp_path):
        out = tmp_path / "out"
        with gazette.serve(extra_articles=40) as site:
            # One request per second: the downloader holds dozens waiting their turn.
            polite = ["-s", "DOWNLOAD_DELAY=1", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1"]
            victim = start_crawl(site, out, *polite)
            wait_for(lambda: len(site.requests()) >= 4)
            asked_before = len(site.requests())
            started = time.monotonic()
            victim.send_signal(signal.SIGTERM)
            _, stderr = victim.communicate(timeout=60)
            took = time.monotonic() - started
            asked_after = len(site.requests()) - asked_before
            resumed = crawl(site, out)
        assert took < 10, f"stopping took {took:.1f}s"
        assert asked_after <= 2  # at most what was already on the wire
        assert victim.returncode == 1 and "stopped before the end" in stderr
        assert "queued request(s) not fetched" in stderr
        assert resumed.returncode == 0, resumed.stderr[-3000:]
        assert report(out)["counts"]["carried_over"] > 0
        urls = Counter(path_of(a["canonical_url"]) for a in article_lines(out))
        assert set(urls) == {a["path"] for a in site.articles()} and max(urls.values()) == 1

    def test_a_second_signal_exits_1_and_the_next_run_recovers(self, tmp_path):
        out = tmp_path / "out"
        with gazette.serve(extra_articles=40, article_delay=2) as site:
            victim = start_crawl(site, out)
            wait_for(lambda: article_count_in_open_parts(out) >= 1)
            # The first signal waits for transfers under way: make sure one has just
            # begun (2 s to answer), so the second comes while the crawl still waits.
            wait_for(lambda: any(r["status"] is None and time.time() - r["time"] < 0.5
                                 for r in site.requests()))
            victim.send_signal(signal.SIGINT)
            time.sleep(0.2)
            victim.send_signal(signal.SIGINT)
            _, stderr = victim.communicate(timeout=60)
            assert victim.returncode == 1
            assert "forced to stop (a second signal)" in stderr.strip().splitlines()[-1]
            resumed = crawl(site, out, "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=32")
        assert resumed.returncode == 0, resumed.stderr[-3000:]
        assert not open_files(out, "")

    def test_extraction_workers_die_with_a_killed_crawl(self, tmp_path):
        out = tmp_path / "out"
        with gazette.serve(extra_articles=40, article_delay=1) as site:
            victim = start_crawl(site, out)
            try:
                wait_for(lambda: article_count_in_open_parts(out) >= 1)
                workers = child_pids(victim.pid)
            finally:
                victim.kill()  # the crawl alone, not its process group
                victim.communicate(timeout=30)
        assert workers
        wait_for(lambda: not any(is_running(pid) for pid in workers), timeout=10)


class TestKilledRun:
    def test_the_kill_left_open_files(self, killed_then_resumed):
        names = killed_then_resumed["left_open"]
        assert any(n.endswith(".warc.gz.open") for n in names)
        assert any(n.endswith(".jsonl.open") for n in names)

    def test_next_run_recovers_and_finishes(self, killed_then_resumed):
        out, resumed = killed_then_resumed["out"], killed_then_resumed["resumed"]
        assert resumed.returncode == 0, resumed.stderr[-3000:]
        assert not open_files(out, "")
        assert "Recovered:" in resumed.stdout
        assert "200 bytes cut" in resumed.stderr and "1 lines dropped" in resumed.stderr
        files = json.loads(sorted((out / "manifests").glob(f"{JOB}-*Z.json"))[-1]
                           .read_text())["files"]
        paths = [f["path"] for f in files]
        assert len(paths) == len(set(paths)), "a file listed twice"
        # Recovered files are indexed like the others: a CDXJ per WARC, a Parquet per part.
        kinds = Counter(f["kind"] for f in files)
        assert kinds["cdxj"] == kinds["warc"] and kinds["parquet"] == kinds["articles"]
        recovered = {Path(f["path"]).name for f in files if f.get("recovered")}
        assert recovered == {name.removesuffix(".open")
                             for name in killed_then_resumed["left_open"]} | set(
            killed_then_resumed["finished_before_kill"])
        assert killed_then_resumed["finished_before_kill"]  # the case was exercised

    def test_every_file_is_in_a_manifest(self, killed_then_resumed):
        out = killed_then_resumed["out"]
        listed = {e["path"] for m in (out / "manifests").glob("*Z.json")
                  for e in json.loads(m.read_text())["files"]}
        on_disk = {p.relative_to(out).as_posix() for folder in ("warc", "articles")
                   for p in (out / folder).rglob("*") if p.is_file()}
        assert on_disk == listed

    def test_every_warc_is_valid(self, killed_then_resumed):
        files = sorted((killed_then_resumed["out"] / "warc" / JOB).glob("*.warc.gz"))
        check = subprocess.run([str(Path(sys.executable).parent / "warcio"), "check",
                                *map(str, files)], capture_output=True, text=True)
        assert check.returncode == 0, check.stdout[-2000:]
        for path in files:  # every member is whole
            with gzip.open(path) as handle:
                while handle.read(1 << 20):
                    pass

    def test_every_article_exactly_once_and_every_line_whole(self, killed_then_resumed):
        out, site = killed_then_resumed["out"], killed_then_resumed["site"]
        lines = []
        for path in sorted((out / "articles" / JOB).glob("*.jsonl")):
            text = path.read_text("utf-8")
            assert text.endswith("\n")
            lines += [json.loads(line) for line in text.splitlines()]
        assert len(lines) >= killed_then_resumed["lines_before"] - 1
        urls = Counter(path_of(a["canonical_url"]) for a in lines)
        assert [u for u, n in urls.items() if n > 1] == []
        assert set(urls) == {a["path"] for a in site.articles()}
        assert {a["version"] for a in lines} == {1}

    def test_every_article_points_at_a_record_that_holds_it(self, killed_then_resumed):
        out = killed_then_resumed["out"]
        for path in sorted((out / "articles" / JOB).glob("*.jsonl")):
            for line in path.read_text("utf-8").splitlines():
                pointer = json.loads(line)["warc"]
                with open(out / pointer["file"], "rb") as handle:
                    handle.seek(pointer["offset"])
                    record = next(ArchiveIterator(handle))
                assert record.rec_type == "response"
                assert record.rec_headers["WARC-Record-ID"] == pointer["record_id"]

    def test_report_says_the_previous_run_was_interrupted(self, killed_then_resumed):
        second = report(killed_then_resumed["out"])
        assert len(second["previous_run_interrupted"]) == 1
        assert second["counts"]["recovered_files"] >= 2
