"""One crawl process, or two on one job: does the second one take its share of the cores?

A crawl process does its own work (downloading, WARC recording, scheduling, state,
handing pages to its extraction workers, writing records) on one core; with light
pages, or with extraction off, that core is the ceiling however many the machine has.
``newsarchive crawl --redis`` runs several processes on one job, sharing its frontier,
duplicate filter and state in Redis (docs/distributed.md). This benchmark serves the
synthetic news site (bench/newssite.py) on 127.0.0.1 and, in one run, crawls it:

  one          one process, its state in SQLite (an ordinary crawl)
  one+redis    one process on Redis (what the shared frontier costs)
  two          two processes on one job on Redis, started together

with the same number of extraction workers in all (``--cores`` of them: each of the
two processes gets half). It prints whole-run and steady-state (10%–90% of the
articles) rates, CPU per page of the crawl trees and of redis-server, and how the
pages were split between the two processes. ``--no-extract`` runs them all with
``EXTRACT_ENABLED=false``, where the crawl process is the ceiling.

    .venv/bin/python -m bench.two_processes                     # 1,000 articles
    .venv/bin/python -m bench.two_processes --articles 2000 --no-extract

On a 2-core machine two processes cannot gain much: each crawl process, its
workers, redis-server and the site's server all share the same two cores. What
this shows there is what the split costs; the gain needs more cores. Results and
the recipe: docs/performance.md, "Using more cores".
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median

import redis

from bench._redis_sizing.server import ServerError, own_server
from bench.crawl_throughput import ArticleLines, at_least, served_count
from bench.newssite import build_site, html_paths, serve
from bench.proctree import TreeWatcher, tree_usage

REPO = Path(__file__).resolve().parents[1]
JOB = "bench"
#: As bench/crawl_throughput.py: the site is local and ours, no politeness, no requisites.
SETTINGS = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "false",
    "CONCURRENT_REQUESTS": "32",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "32",
    "DEPTH_LIMIT": "0",
    "LOG_LEVEL": "WARNING",
    "PROGRESS_INTERVAL": "3600",
    "REQUISITES": "none",
}
STEADY_FROM, STEADY_TO = 0.10, 0.90
_TICKS = os.sysconf("SC_CLK_TCK")
SAMPLE_EVERY = 0.1


@dataclass
class Run:
    mode: str
    processes: int
    pages: int = 0
    articles: int = 0
    wall_seconds: float = 0.0
    cpu_seconds: float = 0.0  # the crawl trees', summed
    own_cpu_seconds: float = 0.0  # the crawl processes' alone, without their workers
    redis_cpu_seconds: float = 0.0
    unit: str = "articles"  # what the rates count: articles written, or pages fetched
    steady_per_second: float = 0.0
    steady_own_ms_per_page: float = 0.0  # the crawl processes' CPU a page, start-up left out
    pages_by_process: list[int] = field(default_factory=list)

    @property
    def per_second(self) -> float:
        return (self.articles if self.unit == "articles" else self.pages) / self.wall_seconds

    @property
    def cpu_ms_per_page(self) -> float:
        return 1000 * self.cpu_seconds / self.pages

    @property
    def own_ms_per_page(self) -> float:
        return 1000 * self.own_cpu_seconds / self.pages


def crawl(mode: str, base: str, tmp: Path, *, processes: int, cores: int, extract: bool,
          redis_url: str | None, redis_pid: int | None) -> Run:
    """``processes`` crawls of the site on one job, started together, sampled from outside."""
    run = Run(mode, processes, unit="articles" if extract else "pages")
    outs = [tmp / f"{mode}-{n}" for n in range(processes)]
    settings = {**SETTINGS, "EXTRACT_PROCESSES": str(max(1, cores // processes)),
                "EXTRACT_ENABLED": str(extract).lower()}
    if redis_url is not None:
        redis.Redis.from_url(redis_url).flushdb()  # a fresh job: nothing known, nothing queued
    served_before = served_count(base)
    redis_before = tree_usage(redis_pid).cpu_seconds if redis_pid else 0.0
    counters = [ArticleLines(out) for out in outs]

    def done() -> int:  # articles written, or (extraction off) pages served, so far
        if extract:
            return sum(count() for count in counters)
        return served_count(base) - served_before
    started = time.monotonic()
    children = [_start(base, out, settings, redis_url) for out in outs]
    cpu = [0.0] * processes
    own = [0.0] * processes
    samples: list[tuple[float, int, float]] = []  # (seconds, done(), own CPU so far)
    finished = threading.Event()

    def sample() -> None:
        watchers = [TreeWatcher(child.pid) for child in children]
        while not finished.is_set():
            for n, watcher in enumerate(watchers):  # never poll(): that would reap them
                cpu[n] = max(cpu[n], watcher.usage().cpu_seconds)
                own[n] = max(own[n], _own_cpu(children[n].pid))
            samples.append((time.monotonic() - started, done(), sum(own)))
            finished.wait(SAMPLE_EVERY)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    for n, child in enumerate(children):
        # wait4: the process's own CPU and that of the workers it waited for, exactly
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        cpu[n] = max(cpu[n], usage.ru_utime + usage.ru_stime)
    run.wall_seconds = time.monotonic() - started
    finished.set()
    sampler.join()
    for child, out in zip(children, outs, strict=True):
        if child.returncode != 0:
            log = out.with_suffix(".log").read_text(errors="replace")[-3000:]
            raise SystemExit(f"{mode}: newsarchive crawl exited {child.returncode}:\n{log}")
    run.pages = served_count(base) - served_before
    run.articles = sum(count() for count in counters)
    run.cpu_seconds = sum(cpu)
    run.own_cpu_seconds = sum(own)
    run.redis_cpu_seconds = tree_usage(redis_pid).cpu_seconds - redis_before if redis_pid else 0
    run.steady_per_second, own_per_unit = _steady(samples, run.articles if extract else run.pages)
    run.steady_own_ms_per_page = 1000 * own_per_unit * (run.articles / run.pages if extract else 1)
    run.pages_by_process = [_pages_fetched(out) for out in outs]
    return run


def _start(base: str, out: Path, settings: dict[str, str],
           redis_url: str | None) -> subprocess.Popen:
    command = [sys.executable, "-m", "crawler.cli", "crawl", "--seed", f"{base}/",
               "--out", str(out), "--job", JOB]
    if redis_url is not None:
        command += ["--redis", redis_url]
    for name, value in settings.items():
        command += ["-s", f"{name}={value}"]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    with open(out.with_suffix(".log"), "w") as log:
        return subprocess.Popen(command, cwd=REPO, env=env, stdout=log,
                                stderr=subprocess.STDOUT)


def _own_cpu(pid: int) -> float:
    """utime + stime of one process (not its children), from /proc; 0 once it is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = raw[raw.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / _TICKS


def _steady(samples: list[tuple[float, int, float]], total: int) -> tuple[float, float]:
    """Work done a second, and the crawl processes' own CPU seconds a unit of work,
    between 10% and 90% of the work."""
    if total == 0:
        return 0.0, 0.0
    first = next(s for s in samples if s[1] >= STEADY_FROM * total)
    last = next((s for s in samples if s[1] >= STEADY_TO * total), samples[-1])
    work = max(last[1] - first[1], 1)
    return work / max(last[0] - first[0], 1e-9), (last[2] - first[2]) / work


def _pages_fetched(out: Path) -> int:
    """Responses this process received, from its own manifest (JOB-CRAWLID[-WORKER].json)."""
    for path in (out / "manifests").glob(f"{JOB}-*.json"):
        if not path.name.endswith(".report.json"):
            manifest = json.loads(path.read_text(encoding="utf-8"))
            if "worker" in manifest or "workers" not in manifest:
                return int(manifest.get("counts", {}).get("response_received_count", 0))
    return 0


def machine() -> dict[str, object]:
    model = platform.processor() or "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {"cores": os.cpu_count(), "cpu": model, "python": platform.python_version()}


MODES = (("one", 1, False), ("one+redis", 1, True), ("two", 2, True))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=at_least(200), default=1000,
                        help="articles on the synthetic site (default 1000)")
    parser.add_argument("--rounds", type=at_least(1), default=3,
                        help="rounds of the three runs, interleaved; the median of each "
                             "figure is printed (default 3: other load comes and goes)")
    parser.add_argument("--cores", type=at_least(2), default=max(2, os.cpu_count() or 2),
                        help="extraction workers in all, split between the processes "
                             "(default: this machine's cores)")
    parser.add_argument("--no-extract", dest="extract", action="store_false",
                        help="EXTRACT_ENABLED=false: archive only, the crawl process's own "
                             "cost alone")
    parser.add_argument("--redis-server", default="/usr/bin/redis-server", metavar="PATH")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)

    site = build_site(args.articles)
    pages = html_paths(site)
    info = machine()
    print(f"machine: {info['cores']} cores, {info['cpu']}, Python {info['python']}; "
          f"load average at start {os.getloadavg()[0]:.2f}")
    print(f"site: {args.articles} articles, {len(pages)} HTML pages, "
          f"{sum(len(site[p].body) for p in pages) / len(pages) / 1024:.0f} KiB a page; "
          f"extraction {'on' if args.extract else 'off'}, {args.cores} workers in all; "
          f"{args.rounds} rounds")
    runs: dict[str, list[Run]] = {mode: [] for mode, _, _ in MODES}
    try:
        with own_server(args.redis_server) as (redis_url, redis_pid), serve(site) as base:
            for _ in range(args.rounds):
                for mode, processes, shared in MODES:
                    with tempfile.TemporaryDirectory(prefix="bench-two-") as tmp:
                        runs[mode].append(crawl(
                            mode, base, Path(tmp), processes=processes, cores=args.cores,
                            extract=args.extract, redis_url=redis_url if shared else None,
                            redis_pid=redis_pid if shared else None))
    except ServerError as exc:
        print(f"two_processes: {exc}", file=sys.stderr)
        return 1
    print(_format(runs))
    print(f"load average at the end {os.getloadavg()[0]:.2f}")
    if args.json:
        report = {"machine": info, "articles": args.articles, "extract": args.extract,
                  "runs": {mode: [{**vars(r), "per_second": r.per_second,
                                   "cpu_ms_per_page": r.cpu_ms_per_page,
                                   "own_ms_per_page": r.own_ms_per_page} for r in rounds]
                           for mode, rounds in runs.items()}}
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


def _format(runs: dict[str, list[Run]]) -> str:
    unit = runs["one"][0].unit
    lines = [f"{'run (median)':<13}{'pages':>6}{'articles':>9}{'wall s':>8}{unit + '/s':>12}"
             f"{'steady/s':>10}{'CPU ms/page':>13}{'own':>6}{'steady':>7}{'+redis':>8}"
             "  pages by process"]
    medians: dict[str, dict[str, float]] = {}
    for mode, rounds in runs.items():
        m = medians[mode] = {
            "rate": median(r.per_second for r in rounds),
            "steady": median(r.steady_per_second for r in rounds),
            "tree": median(r.cpu_ms_per_page for r in rounds),
            "own": median(r.own_ms_per_page for r in rounds),
            "steady_own": median(r.steady_own_ms_per_page for r in rounds),
            "redis": median(1000 * r.redis_cpu_seconds / r.pages for r in rounds),
            "wall": median(r.wall_seconds for r in rounds),
        }
        last = rounds[-1]
        split = " / ".join(str(n) for n in last.pages_by_process)
        lines.append(f"{mode:<13}{last.pages:>6}{last.articles:>9}{m['wall']:>8.1f}"
                     f"{m['rate']:>12.1f}{m['steady']:>10.1f}{m['tree']:>13.2f}{m['own']:>6.2f}"
                     f"{m['steady_own']:>7.2f}"
                     f"{m['redis']:>8.2f}  {split}")
    one, two = medians["one"], medians["two"]
    lines += [
        "",
        f"two / one:        {two['rate'] / one['rate']:.2f} whole run, "
        f"{two['steady'] / one['steady']:.2f} steady; CPU a page "
        f"{(two['tree'] + two['redis']) / one['tree']:.2f}x",
        f"two / one+redis:  {two['rate'] / medians['one+redis']['rate']:.2f} whole run, "
        f"{two['steady'] / medians['one+redis']['steady']:.2f} steady",
        f"ceilings (1 / steady own): one crawl process {1000 / one['steady_own']:.0f} pages/s,"
        f" two {2000 / two['steady_own']:.0f}; cores two need at that pace: "
        f"{2 * (two['tree'] + two['redis']) / two['steady_own']:.1f}",
        "CPU ms/page: the crawl processes and their extraction workers, whole run; own: the "
        "crawl processes alone, whole run and steady; +redis: redis-server's. Rounds: "
        + "; ".join(f"{mode} " + ", ".join(f"{r.per_second:.0f}" for r in rounds)
                    for mode, rounds in runs.items()) + f" {unit}/s",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
