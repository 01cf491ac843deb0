"""Four pipelines on one site, in one benchmark run, politeness off, no requisites:

  naive        Scrapy + a warcio downloader middleware + trafilatura in the callback
  newsarchive  ``newsarchive crawl`` as shipped (extraction in its process pool)
  bare         Scrapy + the warcio middleware, following the same links, no extraction
  noextract    ``newsarchive crawl`` with ``EXTRACT_ENABLED=false``

Each run is sampled from outside every 0.1 s: the site server's count of requests
answered, the article lines written so far, and the CPU of the crawl process and of
its whole process tree (the extraction workers) from /proc; PSS once a second.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench._throughput.ceiling import Ceiling, ceiling, format_ceiling
from bench.proctree import TreeWatcher, tree_usage

REPO = Path(__file__).resolve().parents[2]
NEWSARCHIVE = Path(sys.executable).with_name("newsarchive")
PIPELINES = ("naive", "newsarchive", "bare", "noextract")
EXTRACTING = {"naive", "newsarchive"}
#: Whole runs are compared; the steady state (10%..90% of the work) is printed beside.
STEADY_FROM, STEADY_TO = 0.10, 0.90
SAMPLE_EVERY = 0.1
PSS_EVERY = 10
TARGET_WRITTEN = 0.99


@dataclass
class Run:
    site: str
    pipeline: str
    pages: int  # responses served: articles, listings, robots.txt, anything asked for
    article_pages: int  # article pages the crawl received (200s in its WARC files)
    articles: int  # article records written (the extracting pipelines)
    wall_seconds: float
    crawl_cpu_seconds: float  # the crawl process's own
    tree_cpu_seconds: float  # the crawl process and its workers
    steady_articles_per_second: float
    steady_crawl_cpu_per_page: float
    peak_pss_bytes: int
    first_page_seconds: float  # from the start of the process to its first request
    last_page_seconds: float  # ... to its last request served (the rest is the tail)
    # The site server's CPU over the run, its answers to the sampler's probes taken out
    # (NaN when the server's process was not given).
    server_cpu_seconds: float = math.nan
    sampler_cpu_seconds: float = 0.0  # the sampler thread's own, in the benchmark process

    @property
    def done_articles(self) -> int:
        return self.articles if self.pipeline in EXTRACTING else self.article_pages

    def figures(self) -> dict[str, Any]:
        return {**asdict(self),
                "articles_per_second": self.done_articles / self.wall_seconds,
                "crawl_cpu_ms_per_page": 1000 * self.crawl_cpu_seconds / self.pages,
                "worker_cpu_ms_per_page":
                    1000 * (self.tree_cpu_seconds - self.crawl_cpu_seconds) / self.pages,
                "server_cpu_ms_per_page": 1000 * self.server_cpu_seconds / self.pages,
                "wall_ms_per_page": 1000 * self.wall_seconds / self.pages,
                "written_of_served": (self.articles / self.article_pages
                                      if self.article_pages else 0.0)}


def command_for(pipeline: str, base: str, out: Path, settings: dict[str, str]) -> list[str]:
    if pipeline in ("naive", "bare"):
        command = [sys.executable, "-m", "bench._throughput.baseline", f"{base}/", str(out)]
        return command + (["--extract"] if pipeline == "naive" else [])
    command = [str(NEWSARCHIVE), "crawl", "--seed", f"{base}/", "--out", str(out),
               "--job", "bench", "--requisites", "none"]
    overrides = {**settings, **({"EXTRACT_ENABLED": "false"} if pipeline == "noextract"
                                else {})}
    for name, value in overrides.items():
        command += ["-s", f"{name}={value}"]
    return command


def server_cpu_seconds(server_pid: int | None) -> float:
    """The site server's CPU so far (its process alone); NaN without a process."""
    return math.nan if server_pid is None else tree_usage(server_pid).root_cpu_seconds


def probe_cost_seconds(base: str, server_pid: int, probes: int = 300) -> float:
    """The server's CPU to answer one of the sampler's ``/__served__`` probes, measured
    while nothing else asks it anything."""
    from bench.crawl_throughput import served_count

    before = server_cpu_seconds(server_pid)
    for _ in range(probes):
        served_count(base)
    return (server_cpu_seconds(server_pid) - before) / probes


def run_pipeline(site: str, pipeline: str, base: str, out: Path, settings: dict[str, str],
                 article_paths: set[str], *, server_pid: int | None = None,
                 probe_seconds: float = 0.0) -> Run:
    """One run of ``pipeline``; with the server's process id, its CPU over the run too
    (less ``probe_seconds`` for each probe of the server's count this run made)."""
    from bench.crawl_throughput import ArticleLines, served_count

    command = command_for(pipeline, base, out, settings)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    server_before = server_cpu_seconds(server_pid)
    served_before = served_count(base)
    lines = ArticleLines(out)
    extracting = pipeline in EXTRACTING
    samples: list[tuple[float, int, int, float, int]] = []  # t, served, done, crawl cpu, pss
    sampler_cpu = [0.0]
    started = time.monotonic()
    process = subprocess.Popen(command, env=env, cwd=REPO, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    finished = threading.Event()
    tree = TreeWatcher(process.pid)

    def sample() -> None:
        while not finished.is_set():
            usage = tree.usage(pss=len(samples) % PSS_EVERY == 0)
            served = served_count(base) - served_before
            samples.append((time.monotonic() - started, served,
                            lines() if extracting else served,
                            usage.root_cpu_seconds, usage.pss_bytes or 0))
            finished.wait(SAMPLE_EVERY)
        sampler_cpu[0] = time.thread_time()

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    assert process.stdout is not None
    with process.stdout:
        output = process.stdout.read()
    # wait4, not wait: its rusage is the CPU of the whole tree, every worker reaped.
    _, status, rusage = os.wait4(process.pid, 0)
    wall = time.monotonic() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    finished.set()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"{site}/{pipeline}: {' '.join(command[:3])} exited "
                         f"{process.returncode}:\n{output[-4000:]}")
    pages = served_count(base) - served_before
    probes = len(samples) + 2  # one a sample, and the counts before and after
    server_cpu = server_cpu_seconds(server_pid) - server_before - probes * probe_seconds
    received = article_responses(out, article_paths)
    articles = lines()
    done_total = articles if extracting else pages
    per_done_articles = (articles if extracting else received) / max(done_total, 1)
    per_done_pages = pages / max(done_total, 1)
    steady_rate, steady_cpu = _steady(samples, done_total, per_done_articles, per_done_pages)
    return Run(site, pipeline, pages, received, articles, wall,
               crawl_cpu_seconds=max(s[3] for s in samples),
               tree_cpu_seconds=rusage.ru_utime + rusage.ru_stime,
               steady_articles_per_second=steady_rate, steady_crawl_cpu_per_page=steady_cpu,
               peak_pss_bytes=max(s[4] for s in samples),
               first_page_seconds=next((s[0] for s in samples if s[1] > 0), wall),
               last_page_seconds=next((s[0] for s in samples if s[1] >= pages), wall),
               server_cpu_seconds=max(server_cpu, 0.0), sampler_cpu_seconds=sampler_cpu[0])


def _steady(samples: list[tuple[float, int, int, float, int]], total: int,
            articles_per_done: float, pages_per_done: float) -> tuple[float, float]:
    """Articles/s and crawl-process CPU per page between 10% and 90% of the work
    (NaN when the run was too short to have such a window)."""
    try:
        first = next(s for s in samples if s[2] >= STEADY_FROM * total)
        last = next(s for s in samples if s[2] >= STEADY_TO * total)
    except StopIteration:
        return math.nan, math.nan
    done, seconds = last[2] - first[2], last[0] - first[0]
    if done <= 0 or seconds <= 0:
        return math.nan, math.nan
    return (done * articles_per_done / seconds,
            (last[3] - first[3]) / (done * pages_per_done))


def article_responses(out: Path, article_paths: set[str]) -> int:
    """Distinct article pages answered 200 in the run's WARC files."""
    from warcio.archiveiterator import ArchiveIterator

    seen: set[str] = set()
    for path in out.glob("warc/**/*.warc.gz*"):
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream):
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI") or ""
                if (record.http_headers.get_statuscode() == "200"
                        and urlsplit(url).path in article_paths):
                    seen.add(url)
    return len(seen)


def ratios(runs: dict[str, Run]) -> dict[str, float]:
    f = {name: run.figures() for name, run in runs.items()}
    return {
        "newsarchive_over_naive": f["newsarchive"]["articles_per_second"]
                                  / f["naive"]["articles_per_second"],
        "steady_newsarchive_over_naive": runs["newsarchive"].steady_articles_per_second
                                         / runs["naive"].steady_articles_per_second,
        "noextract_over_bare_crawl_cpu": f["noextract"]["crawl_cpu_ms_per_page"]
                                         / f["bare"]["crawl_cpu_ms_per_page"],
        "steady_noextract_over_bare_crawl_cpu":
            runs["noextract"].steady_crawl_cpu_per_page / runs["bare"].steady_crawl_cpu_per_page,
    }


def bound(runs: dict[str, Run], cores: int) -> Ceiling | None:
    """The ceiling of newsarchive / naive from the runs' whole-run CPU a page (None when
    the server's CPU was not measured)."""
    ours, naive = runs["newsarchive"].figures(), runs["naive"].figures()
    if math.isnan(ours["server_cpu_ms_per_page"]) or math.isnan(naive["server_cpu_ms_per_page"]):
        return None
    return ceiling(cores, crawl_ms=ours["crawl_cpu_ms_per_page"],
                   workers_ms=ours["worker_cpu_ms_per_page"],
                   server_ms=ours["server_cpu_ms_per_page"],
                   # The naive pipeline is one process; its tree's CPU, to be sure.
                   naive_ms=naive["crawl_cpu_ms_per_page"] + naive["worker_cpu_ms_per_page"],
                   naive_server_ms=naive["server_cpu_ms_per_page"])


def format_site(site: str, description: str, runs: dict[str, Run], targets: float,
                cores: int = 1) -> str:
    lines = [f"site {site}: {description}",
             f"{'pipeline':<12}{'pages':>6}{'art.pages':>10}{'written':>8}{'of served':>10}"
             f"{'whole a/s':>10}{'steady a/s':>11}{'crawl ms/p':>11}{'steady':>7}"
             f"{'workers ms/p':>13}{'server':>7}{'wall s':>7}{'first':>6}{'last':>6}"
             f"{'PSS MB':>7}"]
    for name in PIPELINES:
        run = runs[name]
        f = run.figures()
        written = f"{f['written_of_served']:.1%}" if name in EXTRACTING else "-"
        lines.append(
            f"{name:<12}{run.pages:>6}{run.article_pages:>10}"
            f"{run.articles if name in EXTRACTING else '-':>8}{written:>10}"
            f"{f['articles_per_second']:>10.1f}{run.steady_articles_per_second:>11.1f}"
            f"{f['crawl_cpu_ms_per_page']:>11.2f}{run.steady_crawl_cpu_per_page * 1000:>7.2f}"
            f"{f['worker_cpu_ms_per_page']:>13.2f}{f['server_cpu_ms_per_page']:>7.2f}"
            f"{run.wall_seconds:>7.1f}"
            f"{run.first_page_seconds:>6.1f}{run.last_page_seconds:>6.1f}"
            f"{run.peak_pss_bytes / 2**20:>7.0f}")
    r = ratios(runs)
    lines += [
        f"newsarchive / naive, whole run: {r['newsarchive_over_naive']:.2f} "
        f"(steady {r['steady_newsarchive_over_naive']:.2f}; target >= {targets:.1f})",
        f"crawl CPU per page, noextract / bare: {r['noextract_over_bare_crawl_cpu']:.2f} "
        f"(steady {r['steady_noextract_over_bare_crawl_cpu']:.2f}; target <= 1.3)",
    ]
    limit = bound(runs, cores)
    if limit is not None:
        lines.append(format_ceiling(
            limit, r["newsarchive_over_naive"], target=targets,
            naive_wall_ms=runs["naive"].figures()["wall_ms_per_page"],
            newsarchive_wall_ms=runs["newsarchive"].figures()["wall_ms_per_page"]))
    return "\n".join(lines)
