"""Hourly cycles over a simulated news web: does every new article get archived once,
every edit caught, every host's limits kept, and how long and how much memory does it take?

Starts the simulated web (bench/newsweb.py, its own process), writes the job file for
its N sites (one source a site, ``egress_allow`` for the web's loopback range,
``requisites = "none"``: requisites' cost is measured apart, bench/requisites_cost.py),
then runs the first crawl (cycle 0: every site's back catalogue) and K hourly cycles:
advance the web one simulated hour, run one ``newsarchive crawl JOB.toml --out DIR``
as cron would, with the project's politeness defaults. After each cycle it prints:

- recall: articles published in that hour on sites that were up (not down, not
  answering 429/503), against those the cycle archived; duplicates (an article
  written again without an edit); edits caught (a new version in the same cycle);
- politeness as the servers saw it (bench/_cycles/politeness.py);
- requests per second, CPU per request of the crawl's process tree, wall time against
  its floor (the slowest host's polite time, or the CPU limit: tree CPU / cores),
  peak PSS of the tree, and the size of DIR/state/.

    .venv/bin/python -m bench.newsweb_cycles                     # 300 sites, 3 cycles
    .venv/bin/python -m bench.newsweb_cycles --sites 50 --cycles 2 --keep /tmp/nw
    .venv/bin/python -m bench.newsweb_cycles --json out.json -s CONCURRENT_REQUESTS=64

Results: docs/performance.md, "A simulated news web: hourly cycles".
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bench._cycles.crawlrun import CrawlRun, run_crawl
from bench._cycles.jobfile import write_job
from bench._cycles.politeness import Politeness, check
from bench._cycles.scoring import CycleScore, RecordReader, Scorer
from bench.crawl_throughput import at_least, machine
from bench.newsweb import EGRESS_RANGE, NewsWeb

JOB = "newsweb"
JITTER = 0.5  # Scrapy's DOWNLOAD_DELAY_JITTER, which the crawler keeps
SHOW = 5  # examples printed of each problem


def crawl_defaults(overrides: dict[str, str]) -> dict[str, float]:
    from crawler import settings

    def pick(name: str) -> float:
        return float(overrides.get(name, getattr(settings, name)))
    return {"delay": pick("DOWNLOAD_DELAY"), "concurrency": pick("CONCURRENT_REQUESTS_PER_DOMAIN")}


def cycle_figures(cycle: int, run: CrawlRun, score: CycleScore, polite: Politeness,
                  cores: int) -> dict[str, Any]:
    cpu_floor = run.cpu_seconds / cores
    floor = max(polite.slowest_floor, cpu_floor)
    return {
        "cycle": cycle, "exit_status": run.exit_status, "wall_seconds": run.wall_seconds,
        "requests": polite.requests, "statuses": dict(polite.statuses),
        "requests_per_second": polite.requests / run.wall_seconds,
        "cpu_seconds": run.cpu_seconds,
        "cpu_ms_per_request": 1000 * run.cpu_seconds / max(1, polite.requests),
        "floor_seconds": floor, "host_floor_seconds": polite.slowest_floor,
        "slowest_host": polite.slowest_host, "cpu_floor_seconds": cpu_floor,
        "wall_over_floor": run.wall_seconds / floor if floor else 0.0,
        "peak_pss_bytes": run.peak_pss_bytes, "peak_rss_bytes": run.peak_rss_bytes,
        "state_bytes": run.state_bytes,
        "published": score.published, "archived": score.archived, "recall": score.recall,
        "excused": len(score.excused), "missed": score.missed, "records": score.records,
        "duplicates": score.duplicates, "edits": score.edits,
        "edits_caught": score.edits_caught, "edits_missed": score.edits_missed,
        "unknown_records": score.unknown,
        "politeness": {**asdict(polite), "violations": polite.violations},
    }


def print_cycle(f: dict[str, Any]) -> None:
    p = f["politeness"]
    print(f"{f['cycle']:>5} {f['published']:>6} {f['archived']:>6} {f['recall']:>7.1%}"
          f" {f['excused']:>5} {len(f['duplicates']):>4} {f['edits_caught']:>4}/{f['edits']:<4}"
          f" {f['requests']:>6} {sum(p['over_concurrency'].values()):>4}"
          f" {sum(n for n, _, _ in p['short_gaps'].values()):>4}"
          f" {sum(p['before_retry_after'].values()):>4} {len(p['disallowed']):>4}"
          f" {f['wall_seconds']:>6.0f} {f['host_floor_seconds']:>5.0f}"
          f" {f['cpu_floor_seconds']:>5.0f} {f['wall_over_floor']:>5.1f}"
          f" {f['requests_per_second']:>6.1f} {f['cpu_ms_per_request']:>6.1f}"
          f" {f['peak_pss_bytes'] / 2**20:>6.0f} {f['state_bytes'] / 2**20:>6.1f}"
          f" {f['exit_status']:>4}", flush=True)


HEADER = (f"{'cycle':>5} {'new':>6} {'arch':>6} {'recall':>7} {'excus':>5} {'dup':>4}"
          f" {'edits':>9} {'reqs':>6} {'conc':>4} {'gap':>4} {'rtry':>4} {'dis':>4}"
          f" {'wall s':>6} {'host':>5} {'cpu':>5} {'x flr':>5} {'req/s':>6}"
          f" {'ms/req':>6} {'PSS MB':>6} {'stateM':>6} {'exit':>4}")


def print_problems(f: dict[str, Any]) -> None:
    p = f["politeness"]
    lines = []
    for label, items in (("missed", f["missed"]), ("duplicates", f["duplicates"]),
                         ("edits missed", f["edits_missed"]),
                         ("records of no article", f["unknown_records"]),
                         ("disallowed", p["disallowed"])):
        if items:
            lines.append(f"  {label} ({len(items)}): {', '.join(items[:SHOW])}")
    if p["over_concurrency"]:
        lines.append(f"  over concurrency: {_top(p['over_concurrency'])}")
    if p["short_gaps"]:
        shown = sorted(p["short_gaps"].items(), key=lambda kv: -kv[1][0])[:SHOW]
        lines.append("  short gaps: " + ", ".join(
            f"{host} {n}x (min {low:.3f}s < {need:.3f}s)" for host, (n, low, need) in shown))
    if p["near_misses"]:
        lines.append(f"  near misses (gap short by < 10%, not counted): "
                     f"{sum(n for n, _, _ in p['near_misses'].values())} on "
                     f"{len(p['near_misses'])} host(s), smallest "
                     f"{min(low / need for _, low, need in p['near_misses'].values()):.0%} "
                     f"of the delay")
    if p["before_retry_after"]:
        lines.append(f"  before Retry-After: {_top(p['before_retry_after'])}")
    if p["backed_off"]:
        lines.append(f"  {len(p['backed_off'])} host(s) asked to back off (429/503), last "
                     f"answered {max(p['backed_off'].values()):.0f} s into the cycle; every "
                     f"other host was done at {p['others_done']:.0f} s (their floor "
                     f"{p['others_floor']:.0f} s)")
    if f["exit_status"] not in (0, 1):
        lines.append(f"  crawl exited {f['exit_status']}")
    print("\n".join(lines) if lines else "  no problems", flush=True)


def _top(counts: dict[str, int]) -> str:
    return ", ".join(f"{host} {n}" for host, n in
                     sorted(counts.items(), key=lambda kv: -kv[1])[:SHOW])


def run(args: argparse.Namespace, out: Path) -> dict[str, Any]:
    overrides = dict(item.split("=", 1) for item in args.set)
    limits = crawl_defaults(overrides)
    cores = os.cpu_count() or 1
    logs = out / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with NewsWeb(args.sites, seed=args.seed, port=args.port) as web:
        truth = web.truth()
        job = write_job(out / f"{JOB}.toml", JOB, truth["sites"], EGRESS_RANGE)
        faults = [s for s in truth["sites"] if s["fault"] != "up"]
        print(f"web: {args.sites} sites, {len(truth['articles'])} articles at hour 0, "
              f"{sum(1 for s in truth['sites'] if s['crawl_delay'])} with Crawl-delay, "
              f"{sum(1 for s in truth['sites'] if s['disallow'])} with Disallow, "
              f"{sum(1 for s in truth['sites'] if s['alias'])} with a www alias; faults: "
              + ", ".join(f"{s['name']} {s['fault']}" for s in faults))
        print(f"job: {job} (requisites = \"none\"), politeness: delay {limits['delay']:g} s "
              f"(jitter +-{JITTER:.0%}), {limits['concurrency']:g} per host, robots.txt "
              f"obeyed; settings {overrides or 'as shipped'}; {cores} cores", flush=True)
        reader, scorer = RecordReader(out / "articles" / JOB), Scorer()
        cycles = []
        print(HEADER)
        for cycle in range(args.cycles + 1):
            if cycle:
                web.advance(cycle)
            web.log(reset=True)
            crawl = run_crawl(job, out, logs / f"cycle-{cycle}.log", overrides)
            entries = web.log(reset=True)
            (logs / f"cycle-{cycle}.requests.json").write_text(json.dumps(entries))
            truth = web.truth()
            score = scorer.score(cycle, reader.new_records(), truth)
            polite = check(entries, truth["sites"], delay=limits["delay"], jitter=JITTER,
                           concurrency=int(limits["concurrency"]))
            figures = cycle_figures(cycle, crawl, score, polite, cores)
            cycles.append(figures)
            print_cycle(figures)
            print_problems(figures)
        (logs / "truth.json").write_text(json.dumps(truth))
        late, owed = scorer.late()
        never = scorer.never(truth)
    return summarize(args, cycles, late, owed, never, time.monotonic() - started)


def summarize(args: argparse.Namespace, cycles: list[dict[str, Any]], late: int, owed: int,
              never: list[str], wall: float) -> dict[str, Any]:
    hourly = cycles[1:] or cycles
    published = sum(c["published"] for c in hourly)
    archived = sum(c["archived"] for c in hourly)
    total = {
        "hourly_recall": archived / published if published else 1.0,
        "published": published, "archived": archived,
        "duplicates": sum(len(c["duplicates"]) for c in cycles),
        "edits": sum(c["edits"] for c in hourly),
        "edits_caught": sum(c["edits_caught"] for c in hourly),
        "politeness_violations": sum(c["politeness"]["violations"] for c in cycles),
        "disallowed": sum(len(c["politeness"]["disallowed"]) for c in cycles),
        "owed_then_archived": late, "owed": owed, "never_archived": len(never),
        "worst_wall_over_floor": max(c["wall_over_floor"] for c in hourly),
        "peak_pss_bytes": max(c["peak_pss_bytes"] for c in cycles),
        "state_bytes": cycles[-1]["state_bytes"], "bench_seconds": wall,
    }
    print(f"\nhourly cycles 1-{args.cycles}: recall {total['hourly_recall']:.2%} "
          f"({archived}/{published}, target >= 99.5%), duplicates {total['duplicates']} "
          f"(target 0), edits caught {total['edits_caught']}/{total['edits']}, politeness "
          f"violations {total['politeness_violations']} (disallowed {total['disallowed']}; "
          f"target 0), worst wall/floor {total['worst_wall_over_floor']:.1f} (target <= 2), "
          f"peak PSS {total['peak_pss_bytes'] / 2**20:.0f} MB (target < 1024), state "
          f"{total['state_bytes'] / 2**20:.1f} MB")
    print(f"owed by an earlier cycle (missed, or the site was out) and archived since: "
          f"{late}/{owed}; never archived: {len(never)} {never[:SHOW]}; whole benchmark "
          f"{wall:.0f} s")
    print("columns: new/arch = published in the hour on sites up / archived by the cycle; "
          "excus = published on sites down or throttled; conc/gap/rtry/dis = requests over "
          "the concurrency, sooner than the delay, sooner than Retry-After, disallowed; "
          "host/cpu = floors (s); x flr = wall / max(floors); req/s and ms/req count every "
          "request the servers answered (robots.txt, 304s, redirects included)")
    return {"machine": machine(), "sites": args.sites, "cycles": cycles, "total": total,
            "never_archived": never}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sites", type=at_least(1), default=300)
    parser.add_argument("--cycles", type=at_least(1), default=3,
                        help="hourly cycles after the first crawl (default 3)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--port", type=int, default=8000, help="the sites' port")
    parser.add_argument("--keep", type=Path, help="archive here, and keep it")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("-s", dest="set", action="append", default=[],
                        metavar="NAME=VALUE", help="a setting for every crawl")
    args = parser.parse_args(argv)
    if any("=" not in item for item in args.set):
        parser.error("-s takes NAME=VALUE")
    out = args.keep or Path(tempfile.mkdtemp(prefix="newsweb-"))
    try:
        report = run(args, out)
    finally:
        if not args.keep:
            shutil.rmtree(out, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
