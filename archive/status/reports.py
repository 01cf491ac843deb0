"""Run reports on disk: every run of every job, oldest first.

A run writes ``manifests/JOB-CRAWLID.report.json`` (one worker's part of a
distributed crawl adds ``-WORKER``) beside its manifest; status, health
baselines and the dashboard all read them through here.
"""

from __future__ import annotations

import glob
import json
import logging
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from archive.store.manifest import REPORT_SUFFIX

logger = logging.getLogger(__name__)


def run_reports(out: Path, *, job: str | None = None, latest: int | None = None
                ) -> list[dict[str, Any]]:
    """Every readable run report under ``out/manifests``, oldest run first; with
    ``job``, only that job's; with ``latest``, only its newest ``latest`` reports (read
    alone, so a job of years of hourly runs costs each run a few files, not thousands).
    A report that cannot be read (half written by a full disk, hand-edited) is logged
    and left out rather than failing the whole view."""
    if latest is not None:
        return list(reversed(list(islice(newest_reports(out, job=job), latest))))
    reports = [report for report in _read_all(_report_paths(Path(out) / "manifests", job))
               if job is None or report.get("job") == job]
    return sorted(reports, key=_run_order)


def newest_reports(out: Path, *, job: str | None = None) -> Iterator[dict[str, Any]]:
    """A job's run reports, newest first, read one at a time as they are asked for.
    A report is named after its job and crawl id, and a crawl id is the time it
    started (``JOB-20261206T170000Z``), so within one job the names sort as the runs."""
    paths = sorted(_report_paths(Path(out) / "manifests", job), reverse=True)
    for report in _read_all(paths):
        if job is None or report.get("job") == job:
            yield report


def _run_order(report: dict[str, Any]) -> tuple[str, str]:
    return str(report.get("started") or ""), str(report.get("crawl_id") or "")


def reports_by_job(out: Path, *, job: str | None = None) -> dict[str, list[dict[str, Any]]]:
    """``{job: [report, ...]}``, each job's runs oldest first, jobs by name."""
    grouped: dict[str, list[dict[str, Any]]] = {}
    for report in run_reports(out, job=job):
        grouped.setdefault(str(report.get("job")), []).append(report)
    return dict(sorted(grouped.items()))


def _report_paths(folder: Path, job: str | None) -> list[Path]:
    """The report files, only those named for ``job`` when given (a job whose name is
    another's prefix is told apart by the ``job`` inside)."""
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{glob.escape(job)}-*{REPORT_SUFFIX}" if job
                              else f"*{REPORT_SUFFIX}"))


def _read_all(paths: Iterable[Path]) -> Iterator[dict[str, Any]]:
    for path in paths:
        try:
            report = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            logger.warning("Run report %s could not be read: %s", path, exc)
            continue
        if isinstance(report, dict) and report.get("job"):
            report.setdefault("path", str(path))
            yield report
