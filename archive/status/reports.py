"""Run reports on disk: every run of every job, oldest first.

A run writes ``manifests/JOB-CRAWLID.report.json`` (one worker's part of a
distributed crawl adds ``-WORKER``) beside its manifest; status, health
baselines and the dashboard all read them through here.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from archive.store.manifest import REPORT_SUFFIX

logger = logging.getLogger(__name__)


def run_reports(out: Path, *, job: str | None = None) -> list[dict[str, Any]]:
    """Every readable run report under ``out/manifests``, oldest run first; with
    ``job``, only that job's. A report that cannot be read (half written by a full
    disk, hand-edited) is logged and left out rather than failing the whole view."""
    reports = [report for report in _read_all(Path(out) / "manifests")
               if job is None or report.get("job") == job]
    return sorted(reports, key=lambda report: (str(report.get("started") or ""),
                                               str(report.get("crawl_id") or "")))


def reports_by_job(out: Path, *, job: str | None = None) -> dict[str, list[dict[str, Any]]]:
    """``{job: [report, ...]}``, each job's runs oldest first, jobs by name."""
    grouped: dict[str, list[dict[str, Any]]] = {}
    for report in run_reports(out, job=job):
        grouped.setdefault(str(report.get("job")), []).append(report)
    return dict(sorted(grouped.items()))


def _read_all(folder: Path) -> Iterator[dict[str, Any]]:
    if not folder.is_dir():
        return
    for path in sorted(folder.glob(f"*{REPORT_SUFFIX}")):
        try:
            report = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            logger.warning("Run report %s could not be read: %s", path, exc)
            continue
        if isinstance(report, dict) and report.get("job"):
            report.setdefault("path", str(path))
            yield report
