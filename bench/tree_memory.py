"""Where a crawl's memory is: each process of its tree at the tree's peak, and what a
worker's imports and models cost.

Serves one of the ``--site`` benchmark sites (bench/_throughput/sites.py) on
127.0.0.1, runs ``newsarchive crawl`` on it (politeness off, no requisites, as
bench/crawl_throughput.py does) and reads every process's
``/proc/PID/smaps_rollup`` twice a second. At the sample where the tree's summed
PSS peaked it prints each process: its role, PSS, RSS, and how much of it is
private (only that process's pages) or shared.

``--imports`` instead loads, in a fresh interpreter, what an extraction worker
loads, step by step, and prints the RSS and anonymous memory after each step.

    .venv/bin/python -m bench.tree_memory --site light
    .venv/bin/python -m bench.tree_memory --site real --copies 2 -s EXTRACT_PROCESSES=2
    .venv/bin/python -m bench.tree_memory --imports
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.crawl_throughput import BENCH_SETTINGS
from bench.proctree import descendants, smaps_rollup

REPO = Path(__file__).resolve().parents[1]
NEWSARCHIVE = Path(sys.executable).with_name("newsarchive")
SAMPLE_EVERY = 0.5
_FIELDS = ("Rss", "Pss", "Private_Clean", "Private_Dirty", "Anonymous")

# Run in a fresh interpreter by --imports: what a worker loads, in the order it does.
_IMPORT_STEPS = r"""
import os
def show(step):
    fields = {}
    for line in open(f"/proc/{os.getpid()}/smaps_rollup").readlines()[1:]:
        name, value, *_ = line.split()
        fields[name.rstrip(":")] = int(value) // 1024
    print(f"{step:<44}{fields['Rss']:>6}{fields['Anonymous']:>7}", flush=True)
print(f"{'after':<44}{'RSS':>6}{'anon':>7}  MB")
show("interpreter")
import concurrent.futures, multiprocessing; show("multiprocessing, concurrent.futures")
import lxml.html; show("lxml")
import crawler.extract.pageanalysis; show("crawler.extract.pageanalysis (links, kind)")
import trafilatura; show("trafilatura (and htmldate, courlan, justext)")
import crawler.extract.article; show("crawler.extract.article")
import numpy; show("numpy")
from crawler.extract import language; language._identifier(); show("py3langid model")
crawler.extract.article.extract_article("<html><body><p>warm up</p></body></html>",
                                        "http://localhost/"); show("first extraction")
from archive.fingerprint import fingerprint
fingerprint("warm up " * 40); show("first fingerprint (its MinHash maps)")
import crawler.cli; show("crawler.cli (newsarchive's __main__)")
"""


def role(pid: int, root: int) -> str:
    if pid == root:
        return "crawl"
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        parent = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return "?"
    if "forkserver import main" in command:  # the fork server and the workers it forked
        return "fork server" if parent == root else "worker (forked)"
    if "resource_tracker" in command:
        return "resource tracker"
    return "worker (spawned)" if "spawn_main" in command else command[:20]


def rollup(pid: int) -> dict[str, int] | None:
    fields = smaps_rollup(pid)
    return None if fields is None else {
        name: value for name, value in fields.items() if name in _FIELDS}


def crawl_peak(base: str, out: Path, overrides: list[str]) -> list[tuple[int, str, dict]]:
    """Every process of the crawl's tree at the sample where its summed PSS peaked."""
    command = [str(NEWSARCHIVE), "crawl", "--seed", f"{base}/", "--out", str(out),
               "--job", "bench", "--requisites", "none"]
    for name, value in BENCH_SETTINGS.items():
        command += ["-s", f"{name}={value}"]
    for override in overrides:
        command += ["-s", override]
    process = subprocess.Popen(command, env={**os.environ, "PYTHONPATH": str(REPO)},
                               cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak: list[tuple[int, str, dict]] = []
    while process.poll() is None:
        sample = [(pid, role(pid, process.pid), fields) for pid in descendants(process.pid)
                  if (fields := rollup(pid)) is not None]
        if sum(f["Pss"] for _, _, f in sample) > sum(f["Pss"] for _, _, f in peak):
            peak = sample
        time.sleep(SAMPLE_EVERY)
    _, errors = process.communicate()
    if process.returncode not in (0, 1):
        raise SystemExit(f"newsarchive crawl exited {process.returncode}:\n"
                         f"{errors.decode()[-2000:]}")
    return peak


def format_peak(peak: list[tuple[int, str, dict]]) -> str:
    mb = 2**20
    lines = [f"{'process':<20}{'PSS':>6}{'RSS':>6}{'private':>9}{'shared':>8}{'anon':>6}  MB"]
    for pid, name, f in sorted(peak, key=lambda p: -p[2]["Pss"]):
        private = f["Private_Clean"] + f["Private_Dirty"]
        lines.append(f"{name:<20}{f['Pss'] / mb:>6.0f}{f['Rss'] / mb:>6.0f}"
                     f"{private / mb:>9.0f}{(f['Rss'] - private) / mb:>8.0f}"
                     f"{f['Anonymous'] / mb:>6.0f}  (pid {pid})")
    lines.append(f"{'tree':<20}{sum(f['Pss'] for _, _, f in peak) / mb:>6.0f}"
                 f"{sum(f['Rss'] for _, _, f in peak) / mb:>6.0f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    from bench._throughput.sites import SITES
    from bench.crawl_throughput import at_least

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", choices=SITES, default="light")
    parser.add_argument("--imports", action="store_true",
                        help="instead: a worker's imports and models, step by step")
    parser.add_argument("--copies", type=at_least(1), default=10,
                        help="--site real: copies of each benchmark page (default 10)")
    parser.add_argument("--articles", type=at_least(1), default=2000,
                        help="articles on the light or synthetic site (default 2000)")
    parser.add_argument("-s", dest="settings", action="append", default=[],
                        metavar="NAME=VALUE", help="a setting for the crawl")
    args = parser.parse_args(argv)
    if args.imports:
        return subprocess.run([sys.executable, "-c", _IMPORT_STEPS], cwd=REPO,
                              env={**os.environ, "PYTHONPATH": str(REPO)}).returncode

    from bench._throughput.sites import build
    from bench.newssite import serve

    site = build(args.site, synthetic_articles=args.articles, light_articles=args.articles,
                 copies=args.copies, real_pages=None, aeb=None)
    print(f"site {args.site}: {site.describe()}")
    with serve(site.pages) as base, tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        peak = crawl_peak(base, Path(tmp, "out"), args.settings)
    print(format_peak(peak))
    return 0


if __name__ == "__main__":
    sys.exit(main())
