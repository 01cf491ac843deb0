"""Crawls of the Gazette (tests/sites/changing_editions.py) as one job, and what they
leave in ``--out``: ``crawl`` runs one, ``article_lines`` and ``report`` read back its
article lines and run report, ``path_of`` is a URL's path."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.conftest import FAST, run_cli
from tests.sites import changing_editions as gazette

JOB = "gazette"


def crawl(site: gazette.Site, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return run_cli("crawl", "--seed", site.url("/"), "--out", str(out), "--job", JOB,
                   *FAST, *extra)


def article_lines(out: Path) -> list[dict]:
    """Every article line of the job, in file order (file names sort by time)."""
    lines = []
    for path in sorted((out / "articles" / JOB).glob("*.jsonl")):
        lines += [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    return lines


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def report(out: Path, crawl_id_order: int = -1) -> dict:
    reports = sorted((out / "manifests").glob(f"{JOB}-*.report.json"))
    return json.loads(reports[crawl_id_order].read_text("utf-8"))
