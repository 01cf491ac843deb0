"""How fast does a crawl archive and extract, against what this machine allows?

Serves a synthetic news site (bench/newssite.py) on 127.0.0.1 and measures, in
one run, on the same pages:

  (a) recording   the crawl with WARC recording, no extraction
  (b) extraction  trafilatura-based extraction alone, in one process
  (c) naive       extraction inline in the crawl (as most news crawlers do it)
  (d) full        ``newsarchive crawl`` as shipped (extraction in a process pool)

From the CPU seconds per page of (a) and (b) it computes the machine's limit,
``min(1/cpu_a, cores/(cpu_a + cpu_b))`` pages/s: the crawl itself runs on one
core, and all the work of a page can at best be spread over every core.

Rates are measured in the steady state, between 10% and 90% of the work done,
so start-up and the last page's tail do not count; whole-run figures are
printed too. Work done is pages served for (a), and articles written for the
runs that extract (a crawl can fetch ahead of its extraction; only finished
articles count). A "page" is every response of the crawl (articles and
listings); cpu_b is the extraction CPU of the crawl's articles spread over
those pages. CPU is that of the crawl's whole process tree (its extraction
workers included), read from /proc.

    .venv/bin/python -m bench.crawl_throughput                  # 2,000 articles
    .venv/bin/python -m bench.crawl_throughput --articles 10000 --json out.json
    .venv/bin/python -m bench.crawl_throughput --requisites-cost  # (d) without and with

``--requisites-cost`` runs only (d), twice on the same site: ``--requisites none``
and ``--requisites all`` (bench/requisites_cost.py).

``--site synthetic|real|light|all`` runs instead, on each site, the naive pipeline
(Scrapy + warcio + trafilatura in the callback), newsarchive, bare Scrapy + warcio and
newsarchive without extraction, side by side (bench/_throughput/):

    .venv/bin/python -m bench.crawl_throughput --site all --json sites.json

Results and the machine they were measured on: docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bench._throughput.sites import SITES
from bench.newssite import SERVED_PATH, Page, article_paths, build_site, html_paths, serve
from bench.proctree import TreeWatcher

REPO = Path(__file__).resolve().parents[1]
NEWSARCHIVE = Path(sys.executable).with_name("newsarchive")

#: The bench site is local and ours: no politeness, and enough requests in
#: flight that the crawl never waits on the network.
BENCH_SETTINGS = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "false",
    "CONCURRENT_REQUESTS": "32",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "32",
    "DEPTH_LIMIT": "0",  # pagination runs deeper than a real site's sections
    "LOG_LEVEL": "WARNING",
    "PROGRESS_INTERVAL": "3600",
    # The site serves its pages' requisites (bench/_newssite/assets.py); runs (a), (c)
    # and (d) measure pages alone, as they did before the crawler fetched requisites.
    "REQUISITES": "none",
}
# (a) The crawl's own cost: pages analysed for links in its process, nothing extracted.
NO_EXTRACTION = {"EXTRACT_ENABLED": "false", "EXTRACT_INLINE": "true"}
# (c) Everything in the crawl's process, one page after the other.
INLINE_EXTRACTION = {"EXTRACT_INLINE": "true"}
STEADY_FROM, STEADY_TO = 0.10, 0.90
SAMPLE_EVERY = 0.1
PSS_EVERY = 10  # samples: PSS costs the kernel a walk of every page table


@dataclass
class Sample:
    seconds: float
    done: int  # pages served, or articles written
    cpu_seconds: float
    rss_bytes: int
    largest_rss_bytes: int
    pss_bytes: int | None


class ArticleLines:
    """Counts the article records written under an archive directory so far,
    reading only what was appended since the last look."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self._offsets: dict[str, int] = {}
        self._lines = 0

    def __call__(self) -> int:
        for part in self.out.glob("articles/*/*.jsonl*"):
            name = part.name.removesuffix(".open")
            try:
                with part.open("rb") as handle:
                    handle.seek(self._offsets.get(name, 0))
                    chunk = handle.read()
            except OSError:  # renamed from .open to .jsonl between glob and open
                continue
            self._offsets[name] = self._offsets.get(name, 0) + len(chunk)
            self._lines += chunk.count(b"\n")
        return self._lines


@dataclass
class CrawlFigures:
    mode: str
    pages: int
    articles: int
    wall_seconds: float
    cpu_seconds: float
    steady_pages_per_second: float
    steady_cpu_per_page: float
    peak_rss_bytes: int  # of the whole tree (shared memory counted per process)
    peak_largest_rss_bytes: int  # of its largest process
    peak_pss_bytes: int  # of the whole tree, shared memory counted once

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.wall_seconds


def served_count(base: str) -> int:
    """Requests the site has answered so far (bench/newssite.py's ``/__served__``)."""
    with urllib.request.urlopen(f"{base}{SERVED_PATH}", timeout=5) as answer:
        return int(answer.read())


def run_crawl(mode: str, base: str, out: Path, overrides: dict[str, str], *,
              extracts: bool) -> CrawlFigures:
    """One ``newsarchive crawl`` of the site in a fresh directory, sampled from outside."""
    settings = {**BENCH_SETTINGS, **overrides}
    command = [str(NEWSARCHIVE), "crawl", "--seed", f"{base}/", "--out", str(out),
               "--job", "bench"]
    for name, value in settings.items():
        command += ["-s", f"{name}={value}"]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    served_before = served_count(base)
    articles = ArticleLines(out)

    def done() -> int:
        return articles() if extracts else served_count(base) - served_before

    samples: list[Sample] = []
    started = time.monotonic()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    finished = threading.Event()

    tree = TreeWatcher(process.pid)

    def sample() -> None:
        while not finished.is_set():
            usage = tree.usage(pss=len(samples) % PSS_EVERY == 0)
            samples.append(Sample(time.monotonic() - started, done(), usage.cpu_seconds,
                                  usage.rss_bytes, usage.largest_rss_bytes, usage.pss_bytes))
            finished.wait(SAMPLE_EVERY)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = process.communicate()
    wall = time.monotonic() - started
    finished.set()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"{mode}: newsarchive crawl exited {process.returncode}:\n{output}")
    pages = served_count(base) - served_before
    return _figures(mode, samples, wall, pages=pages, articles=articles())


def _figures(mode: str, samples: list[Sample], wall: float, *, pages: int,
             articles: int) -> CrawlFigures:
    total = samples[-1].done
    first = next(s for s in samples if s.done >= STEADY_FROM * total)
    last = next(s for s in samples if s.done >= STEADY_TO * total)
    # Work counted in articles stands for its share of all pages crawled.
    pages_per_unit = pages / total
    window_pages = (last.done - first.done) * pages_per_unit
    return CrawlFigures(
        mode=mode,
        pages=pages,
        articles=articles,
        wall_seconds=wall,
        cpu_seconds=max(s.cpu_seconds for s in samples),
        steady_pages_per_second=window_pages / (last.seconds - first.seconds),
        steady_cpu_per_page=(last.cpu_seconds - first.cpu_seconds) / window_pages,
        peak_rss_bytes=max(s.rss_bytes for s in samples),
        peak_largest_rss_bytes=max(s.largest_rss_bytes for s in samples),
        peak_pss_bytes=max(s.pss_bytes or 0 for s in samples),
    )


def extraction_alone(site: dict[str, Page], base: str) -> tuple[float, int]:
    """CPU seconds to extract every article page once, in this process, and how many."""
    from crawler.extract.article import extract_article

    pages = [(f"{base}{path}", site[path].body.decode("utf-8")) for path in article_paths(site)]
    extract_article(pages[0][1], pages[0][0])  # load models outside the measurement
    started = time.process_time()
    for url, html in pages:
        extract_article(html, url)
    return time.process_time() - started, len(pages)


def machine() -> dict[str, Any]:
    return {
        "cores": os.cpu_count(),
        "cpu": _cpu_model(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def at_least(lowest: int) -> Callable[[str], int]:
    """An argparse type: a whole number no smaller than ``lowest``."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if value < lowest:
            raise argparse.ArgumentTypeError(f"must be at least {lowest}, got {value}")
        return value
    return parse


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=at_least(1), default=2000,
                        help="articles on the synthetic site (default 2000; at least 500 "
                             "without --site, or the steady state is too short to measure)")
    parser.add_argument("--cores", type=at_least(1), default=os.cpu_count() or 1,
                        help="cores the limit assumes (default: this machine's)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--requisites-cost", action="store_true",
                        help="instead: the full crawl with --requisites none, then all")
    parser.add_argument("--site", choices=(*SITES, "all"),
                        help="instead: naive, newsarchive, bare Scrapy and newsarchive "
                             "without extraction on this site (or all three), side by side")
    parser.add_argument("--copies", type=at_least(1), default=10,
                        help="--site real: copies of each benchmark page (default 10)")
    parser.add_argument("--real-pages", type=at_least(1), metavar="N",
                        help="--site real: only the first N benchmark pages (default all)")
    parser.add_argument("--light-articles", type=at_least(1), default=2000,
                        help="--site light: articles (default 2000)")
    parser.add_argument("--aeb", type=Path, help="the benchmark pages' directory "
                        "(default ../shared/aeb)")
    args = parser.parse_args(argv)
    if args.site:
        from bench._throughput.sites import compare

        names = list(SITES) if args.site == "all" else [args.site]
        return compare(names, BENCH_SETTINGS, args.json, cores=args.cores,
                       synthetic_articles=args.articles,
                       light_articles=args.light_articles, copies=args.copies,
                       real_pages=args.real_pages, aeb=args.aeb)
    if args.articles < 500:
        parser.error(f"argument --articles: must be at least 500, got {args.articles}")

    built = time.monotonic()
    site = build_site(args.articles)
    pages = html_paths(site)
    print(f"site: {args.articles} articles, {len(pages)} HTML pages, "
          f"{sum(len(site[p].body) for p in pages) / len(pages) / 1024:.0f} KiB a page, "
          f"{len(site) - len(pages)} other paths (requisites, robots.txt, sitemaps), "
          f"built in {time.monotonic() - built:.1f}s")
    if args.requisites_cost:
        from bench.requisites_cost import compare

        return compare(site, args.json)
    with serve(site) as base, tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        recording = run_crawl("recording", base, Path(tmp, "a"), NO_EXTRACTION,
                              extracts=False)
        extract_cpu, extracted = extraction_alone(site, base)
        naive = run_crawl("naive", base, Path(tmp, "c"), INLINE_EXTRACTION, extracts=True)
        full = run_crawl("full", base, Path(tmp, "d"), {}, extracts=True)
    report = _report(args.cores, recording, extract_cpu, extracted, naive, full)
    print(_format(report))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


def _report(cores: int, recording: CrawlFigures, extract_cpu: float, extracted: int,
            naive: CrawlFigures, full: CrawlFigures) -> dict[str, Any]:
    cpu_a = recording.steady_cpu_per_page
    cpu_b = extract_cpu / recording.pages  # the articles' extraction, per page crawled
    limit = min(1 / cpu_a, cores / (cpu_a + cpu_b))
    return {
        "machine": machine(),
        "cores": cores,
        "cpu_a_ms": cpu_a * 1000,
        "cpu_b_ms": cpu_b * 1000,
        "extract_ms_per_article": extract_cpu / extracted * 1000,
        "limit_pages_per_second": limit,
        "runs": {f.mode: {**asdict(f), "pages_per_second": f.pages_per_second}
                 for f in (recording, naive, full)},
        "full_of_limit": full.steady_pages_per_second / limit,
        "full_over_naive": full.steady_pages_per_second / naive.steady_pages_per_second,
    }


def _format(report: dict[str, Any]) -> str:
    runs = report["runs"]
    lines = [
        f"machine: {report['machine']['cores']} cores, {report['machine']['cpu']}, "
        f"Python {report['machine']['python']}",
        f"(a) recording:  {report['cpu_a_ms']:.2f} ms CPU a page",
        f"(b) extraction: {report['extract_ms_per_article']:.2f} ms CPU an article "
        f"= {report['cpu_b_ms']:.2f} ms a page crawled",
        f"limit: min(1/cpu_a, {report['cores']}/(cpu_a+cpu_b)) = "
        f"{report['limit_pages_per_second']:.1f} pages/s",
        "",
        f"{'run':<12}{'pages':>7}{'articles':>10}{'steady p/s':>12}{'whole p/s':>11}"
        f"{'CPU ms/page':>13}  peak MB: {'RSS':>5}{'PSS':>6}{'largest':>9}",
    ]
    for mode in ("recording", "naive", "full"):
        run = runs[mode]
        lines.append(
            f"{mode:<12}{run['pages']:>7}{run['articles']:>10}"
            f"{run['steady_pages_per_second']:>12.1f}{run['pages_per_second']:>11.1f}"
            f"{run['steady_cpu_per_page'] * 1000:>13.2f}{'':>11}"
            f"{run['peak_rss_bytes'] / 2**20:>5.0f}{run['peak_pss_bytes'] / 2**20:>6.0f}"
            f"{run['peak_largest_rss_bytes'] / 2**20:>9.0f}"
        )
    lines += [
        "",
        f"(d) full / limit: {report['full_of_limit']:.2f}   (target >= 0.90)",
        f"(d) full / (c) naive: {report['full_over_naive']:.2f}",
        "peak MB: RSS summed over the crawl's processes (shared memory counted in each), "
        "PSS summed (shared memory counted once), RSS of the largest process",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
