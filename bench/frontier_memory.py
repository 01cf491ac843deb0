"""Does a crawl's memory stay bounded when a sitemap lists a million URLs?

Serves (bench/_frontier_site.py, its own process) a site whose robots.txt names a
sitemap index of 20 gzipped sitemaps listing ``--urls`` articles between them, and
runs ``newsarchive crawl`` on a job whose one source has ``max_pages``, twice
(``--runs``): the first run reads the sitemaps and fetches its cap of pages, the second carries over
what the first left (the job state's frontier) and fetches its cap more. Peak
memory (PSS and RSS, summed over the crawl's whole process tree, sampled every
0.2 s), wall time, pages and the state's size are printed for each run.

Then known-URL lookups are timed in job states of 1, 3 and 5 million pages
(bench/_state_lookups.py), and ``take_pending`` of a large frontier.

    .venv/bin/python -m bench.frontier_memory                       # 1,000,000 URLs
    .venv/bin/python -m bench.frontier_memory --urls 100000 --max-pages 500 --no-lookups
    .venv/bin/python -m bench.frontier_memory --json out.json --keep /tmp/fm
    .venv/bin/python -m bench.frontier_memory --no-lookups --runs 1 --max-pages 20000 \
        -s SCHEDULER_ON_DISK=False                           # queued requests in memory

Results and the machine they were measured on: docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bench._state_lookups import format_lookups, measure
from bench.crawl_throughput import at_least, machine
from bench.proctree import PeakSampler

REPO = Path(__file__).resolve().parents[1]
NEWSARCHIVE = Path(sys.executable).with_name("newsarchive")
SAMPLE_EVERY = 0.2
#: Our own site on 127.0.0.1: politeness off, so the runs measure the crawler.
BENCH_SETTINGS = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "False",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
    "LOG_LEVEL": "INFO",
    "PROGRESS_INTERVAL": "3600",
    "REQUISITES": "none",
}


@dataclass
class RunFigures:
    run: int
    exit_status: int
    wall_seconds: float
    pages: int  # article pages the site served in this run
    peak_pss_mb: float
    peak_rss_mb: float
    state_mb: float
    frontier_after: int  # URLs the state's frontier holds after the run


@contextmanager
def serve(urls: int) -> Iterator[str]:
    server = subprocess.Popen([sys.executable, "-m", "bench._frontier_site", "--urls", str(urls)],
                              stdout=subprocess.PIPE, text=True, cwd=REPO)
    try:
        assert server.stdout is not None
        yield server.stdout.readline().strip()
    finally:
        server.terminate()
        server.wait(10)


def served(base: str) -> int:
    with urllib.request.urlopen(f"{base}/__served__", timeout=5) as answer:
        return int(answer.read())


def write_job(path: Path, base: str, max_pages: int) -> None:
    path.write_text(f"""name = "million"
[[sources]]
name = "million"
seeds = ["{base}/"]
max_pages = {max_pages}
[sources.politeness]
delay = 0
concurrency = 16
""", encoding="utf-8")


def run_crawl(run: int, job: Path, out: Path, base: str,
              settings: dict[str, str]) -> RunFigures:
    command = [str(NEWSARCHIVE), "crawl", str(job), "--out", str(out)]
    for name, value in {**BENCH_SETTINGS, **settings}.items():
        command += ["-s", f"{name}={value}"]
    before = served(base)
    log = (out.parent / f"run{run}.log").open("w")
    started = time.monotonic()
    process = subprocess.Popen(command, env={**os.environ, "PYTHONPATH": str(REPO)},
                               stdout=log, stderr=subprocess.STDOUT)
    with PeakSampler(process.pid, SAMPLE_EVERY) as peaks:
        status = process.wait()
        wall = time.monotonic() - started
    log.close()
    state = out / "state" / "million.sqlite"
    return RunFigures(run, status, wall, served(base) - before, peaks.pss_bytes / 2**20,
                      peaks.rss_bytes / 2**20, _state_mb(state), _frontier(state))


def _state_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*")) / 2**20


def _frontier(path: Path) -> int:
    import sqlite3

    with sqlite3.connect(path) as db:
        return int(db.execute("SELECT count(*) FROM frontier").fetchone()[0])


def crawl_runs(urls: int, max_pages: int, directory: Path, *, runs: int = 2,
               settings: dict[str, str] | None = None) -> list[RunFigures]:
    directory.mkdir(parents=True, exist_ok=True)
    job, out = directory / "million.toml", directory / "out"
    done = []
    with serve(urls) as base:
        write_job(job, base, max_pages)
        for run in range(1, runs + 1):
            figures = run_crawl(run, job, out, base, settings or {})
            print(f"  run {run}: {figures.pages} pages in {figures.wall_seconds:.0f}s, "
                  f"peak PSS {figures.peak_pss_mb:.0f} MB (exit {figures.exit_status})",
                  flush=True)
            done.append(figures)
    return done


def _format(urls: int, max_pages: int, runs: list[RunFigures]) -> list[str]:
    lines = [f"sitemap index of 20 sitemaps, {urls:,} URLs; source max_pages = {max_pages:,}",
             f"{'run':<5}{'exit':>5}{'pages':>8}{'wall s':>8}{'peak PSS MB':>13}"
             f"{'peak RSS MB':>13}{'state MB':>10}{'frontier after':>16}"]
    for r in runs:
        lines.append(f"{r.run:<5}{r.exit_status:>5}{r.pages:>8}{r.wall_seconds:>8.0f}"
                     f"{r.peak_pss_mb:>13.0f}{r.peak_rss_mb:>13.0f}{r.state_mb:>10.0f}"
                     f"{r.frontier_after:>16,}")
    lines.append("peak memory: summed over the crawl's whole process tree (PSS counts "
                 "shared pages once)")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--urls", type=at_least(1000), default=1_000_000,
                        help="article URLs the sitemaps list (default 1,000,000)")
    parser.add_argument("--max-pages", type=at_least(10), default=2000,
                        help="the source's max_pages, per run (default 2,000)")
    parser.add_argument("--runs", type=at_least(1), default=2,
                        help="runs of the job, one after the other (default 2)")
    parser.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE",
                        help="a setting for the crawls (e.g. -s SCHEDULER_ON_DISK=False)")
    parser.add_argument("--state-sizes", default="1000000,3000000,5000000",
                        help="pages in the states the lookups are timed in")
    parser.add_argument("--pending", type=at_least(1), default=1_000_000,
                        help="frontier URLs take_pending is timed on (default 1,000,000)")
    parser.add_argument("--no-crawl", action="store_true", help="time the lookups only")
    parser.add_argument("--no-lookups", action="store_true", help="run the crawls only")
    parser.add_argument("--keep", type=Path, help="work in this directory and keep it")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    report: dict[str, Any] = {"machine": machine(), "urls": args.urls,
                              "max_pages": args.max_pages}
    with tempfile.TemporaryDirectory(prefix="frontier-") as tmp:
        directory = args.keep or Path(tmp)
        directory.mkdir(parents=True, exist_ok=True)
        lines = []
        if not args.no_crawl:
            settings = dict(item.split("=", 1) for item in args.set)
            runs = crawl_runs(args.urls, args.max_pages, directory / "crawl", runs=args.runs,
                              settings=settings)
            report["runs"] = [asdict(r) for r in runs]
            lines += _format(args.urls, args.max_pages, runs)
        if not args.no_lookups:
            sizes = [int(s) for s in args.state_sizes.split(",") if s]
            report["state"] = measure(directory / "lookups", sizes, args.pending)
            lines += ["", *format_lookups(report["state"])]
    print("\n".join(lines))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
