"""Runs of a job, put together from their run reports (and manifests).

One run is one crawl id: a distributed crawl leaves a report per worker, and its
figures are the sum of theirs. A crawl from before run reports existed is known
by its manifest alone: when and how it ended, but no per-source figures.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

# The per-source counters status shows; a report from before a counter existed
# counts as 0 for it.
SOURCE_COUNTERS = ("pages", "articles", "new", "changed", "errors", "blocked", "not_modified")


@dataclass(frozen=True)
class Run:
    job: str
    crawl_id: str
    reports: tuple[dict[str, Any], ...]  # one per worker; none for a manifest-only crawl
    manifest: dict[str, Any] | None = None

    @property
    def _records(self) -> list[dict[str, Any]]:
        return list(self.reports) or ([self.manifest] if self.manifest else [])

    @property
    def started(self) -> str | None:
        return min((str(r["started"]) for r in self._records if r.get("started")), default=None)

    @property
    def finished(self) -> str | None:
        return max((str(r["finished"]) for r in self._records if r.get("finished")),
                   default=None)

    def started_at(self) -> datetime | None:
        return _parse(self.started)

    def summary(self) -> dict[str, Any]:
        """``{crawl_id, started, finished, duration_seconds, exit_status, finish_reason,
        report, errors, blocked_pages}``; exit status null when no report says it; errors
        and blocked pages ``{kind: n}``, as the run report breaks them down."""
        start, end = _parse(self.started), _parse(self.finished)
        statuses = [r["exit_status"] for r in self.reports
                    if isinstance(r.get("exit_status"), int)]
        reasons = sorted({str(r["finish_reason"]) for r in self._records
                          if r.get("finish_reason")})
        # Of workers that ended differently, the reason that is not a clean finish.
        reason = next((r for r in reasons if r != "finished"), reasons[0] if reasons else None)
        return {
            "crawl_id": self.crawl_id,
            "started": self.started,
            "finished": self.finished,
            "duration_seconds": round((end - start).total_seconds(), 1)
            if start and end else None,
            "exit_status": max(statuses) if statuses else None,
            "finish_reason": reason,
            "report": self.reports[0].get("path") if self.reports else None,
            "errors": self._by_kind(lambda report: report.get("errors")),
            "blocked_pages": self._by_kind(
                lambda report: {kind: n for kind, n in
                                _dict(_dict(report.get("counts")).get("blocked_pages")).items()
                                if kind != "total"}),
        }

    def _by_kind(self, figures) -> dict[str, int]:
        """``{kind: n}`` summed over the workers' reports, most frequent first; kinds
        with none left out."""
        totals: dict[str, int] = {}
        for report in self.reports:
            for kind, value in _dict(figures(report)).items():
                if isinstance(value, int) and not isinstance(value, bool) and value:
                    totals[str(kind)] = totals.get(str(kind), 0) + value
        return dict(sorted(totals.items(), key=lambda item: (-item[1], item[0])))

    def sources(self) -> list[str]:
        """Every source this run names: counted, failed or alerted on."""
        names: set[str] = set()
        for report in self.reports:
            names.update(_dict(report.get("sources")))
            names.update(str(f.get("source")) for f in _list(report.get("failed_sources"))
                         if isinstance(f, dict) and f.get("source"))
            names.update(str(a.get("source")) for a in _list(report.get("alerts"))
                         if isinstance(a, dict) and a.get("source"))
        return sorted(names)

    def counters(self, source: str) -> dict[str, int]:
        totals = dict.fromkeys(SOURCE_COUNTERS, 0)
        for report in self.reports:
            counts = _dict(_dict(report.get("sources")).get(source))
            for name in SOURCE_COUNTERS:
                value = counts.get(name)
                if isinstance(value, int) and not isinstance(value, bool):
                    totals[name] += value
        return totals

    def alerts(self, source: str) -> list[dict[str, Any]]:
        return [alert for report in self.reports for alert in _list(report.get("alerts"))
                if isinstance(alert, dict) and alert.get("source") == source]

    def failed(self, source: str) -> bool:
        return any(isinstance(f, dict) and f.get("source") == source
                   for report in self.reports for f in _list(report.get("failed_sources")))


def group_runs(reports: Iterable[dict[str, Any]], manifests: Iterable[dict[str, Any]] = ()
               ) -> dict[str, list[Run]]:
    """``{job: [Run, ...]}``, each job's runs oldest first, jobs by name."""
    by_crawl: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for report in reports:
        key = (str(report.get("job")), str(report.get("crawl_id") or report.get("started")))
        by_crawl.setdefault(key, []).append(report)
    manifest_only: dict[tuple[str, str], dict[str, Any]] = {}
    for manifest in manifests:
        key = (str(manifest.get("job")), str(manifest.get("crawl_id")))
        if key not in by_crawl and manifest.get("crawl_id"):
            manifest_only.setdefault(key, manifest)
    runs = [Run(job, crawl_id, tuple(found)) for (job, crawl_id), found in by_crawl.items()]
    runs += [Run(job, crawl_id, (), manifest)
             for (job, crawl_id), manifest in manifest_only.items()]
    grouped: dict[str, list[Run]] = {}
    for run in sorted(runs, key=lambda run: (run.started or "", run.crawl_id)):
        grouped.setdefault(run.job, []).append(run)
    return dict(sorted(grouped.items()))


def _parse(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    # Reports write UTC with its offset; a hand-made one without is read as UTC too.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
