"""One ``newsarchive crawl JOB.toml --out DIR``, run as cron would run it, watched from
outside: wall time, CPU of its whole process tree, peak memory (PSS: shared pages
counted once), and the size of the job's state after it.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench.proctree import PeakSampler

REPO = Path(__file__).resolve().parents[2]
NEWSARCHIVE = Path(sys.executable).with_name("newsarchive")
SAMPLE_EVERY = 0.25
PSS_EVERY = 4  # samples: PSS costs the kernel a walk of every page table


@dataclass
class CrawlRun:
    exit_status: int
    wall_seconds: float
    cpu_seconds: float
    peak_pss_bytes: int
    peak_rss_bytes: int
    state_bytes: int
    log: Path


def directory_bytes(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) if path.exists() else 0


def run_crawl(job: Path, out: Path, log: Path, settings: dict[str, str]) -> CrawlRun:
    command = [str(NEWSARCHIVE), "crawl", str(job), "--out", str(out)]
    for name, value in settings.items():
        command += ["-s", f"{name}={value}"]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    started = time.monotonic()
    reaped_before = _reaped_cpu()
    with log.open("w") as output:
        process = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
        with PeakSampler(process.pid, SAMPLE_EVERY, pss_every=PSS_EVERY) as peaks:
            status = process.wait()
            wall = time.monotonic() - started
    # The tree's CPU once it is reaped (the crawl waits for its workers), which the
    # last sample, taken up to SAMPLE_EVERY before the end, falls short of.
    cpu = max(peaks.cpu_seconds, _reaped_cpu() - reaped_before)
    return CrawlRun(status, wall, cpu, peaks.pss_bytes, peaks.rss_bytes,
                    directory_bytes(out / "state"), log)


def _reaped_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime
