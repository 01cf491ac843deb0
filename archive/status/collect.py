"""``collect_status``: every job and source of an archive at a glance, as plain JSON.

What ``newsarchive status --json`` prints, and what the dashboard and a monitor
read. It comes from what runs leave behind (run reports, manifests, the files
still waiting in the local directory), locally or in a store. A source is
flagged when its latest run says something is wrong with it:

- ``failing``: its site never answered (the report's ``failed_sources``);
- ``blocked``: pages of it were blocked (a challenge, consent wall or login) and
  a health alert is about that;
- ``drift``: any other health alert (fewer articles, dates or authors than
  usual, more errors...).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from archive.errors import StatusError
from archive.layout import check_job_name
from archive.query.sources import default_cache, fetch
from archive.status.reports import run_reports
from archive.status.runs import Run, group_runs
from archive.status.spool import disk_usage, files_waiting, local_manifests
from archive.store.base import ObjectStore, open_store

__all__ = ["FLAGS", "collect_status"]

# Every flag, in the order a source's flags are listed.
FLAGS = ("failing", "blocked", "drift")
# The window of a source's recent figures.
RECENT = timedelta(days=7)
_ARCHIVE_FOLDERS = ("manifests", "warc", "articles", "state")


def collect_status(out: Path, *, job: str | None = None, store: ObjectStore | str | None = None,
                   cache: Path | None = None, now: datetime | None = None) -> dict[str, Any]:
    """The status of the archive in ``out`` (or, with ``store``, of the runs whose
    reports and manifests are in the store, fetched into ``cache``); only ``job``'s
    when given. Raises StatusError when there is nothing to show where it looked or
    no such job, StoreError when the store cannot be read."""
    out = Path(out)
    now = now or datetime.now(UTC)
    if job is not None:
        check_job_name(job)
    opened = open_store(store) if isinstance(store, str) else store
    if opened is not None:
        cache = Path(cache) if cache is not None else default_cache(opened.uri)
        reports, manifests = _from_store(opened, cache, job)
        if not reports and not manifests and job is None:
            raise StatusError(f"no crawl manifests or run reports under {opened.uri}/manifests/:"
                              " is the store URI right?")
    else:
        if not any((out / folder).is_dir() for folder in _ARCHIVE_FOLDERS):
            raise StatusError(f"{out} is not an archive directory (give the --out a crawl "
                              "wrote to, or --store URI)")
        reports, manifests = run_reports(out), local_manifests(out)
    runs = group_runs(reports, manifests)
    if job is not None:
        if job not in runs:
            where = f"{opened.uri}/manifests/" if opened is not None else str(out)
            # A store was asked for this job's records alone: its other jobs are not known.
            known = "" if opened is not None else f" (its jobs: {', '.join(runs) or 'none yet'})"
            raise StatusError(f"no runs of job {job} in {where}{known}")
        runs = {job: runs[job]}
    # Files wait in this machine's directory, whichever record of the runs was read.
    spooled = local_manifests(out) if opened is not None else manifests
    jobs = [_job_status(name, job_runs, out, spooled, now) for name, job_runs in runs.items()]
    return {
        "out": str(out),
        "store": opened.uri if opened is not None else None,
        "generated": now.isoformat(),
        "flagged": [f"{entry['job']}/{source['source']}" for entry in jobs
                    for source in entry["sources"] if source["flags"]],
        "disk": disk_usage(out, cache if opened is not None else None),
        "jobs": jobs,
    }


def _job_status(job: str, runs: list[Run], out: Path, manifests: list[dict[str, Any]],
                now: datetime) -> dict[str, Any]:
    latest = runs[-1] if runs else None
    recent = [run for run in runs if (start := run.started_at()) and now - start <= RECENT
              and start <= now + timedelta(minutes=5)]
    return {
        "job": job,
        "runs": len(runs),
        "last_run": latest.summary() if latest else None,
        "files_waiting": files_waiting(out, job, manifests),
        "sources": [_source_status(name, latest, recent)
                    for name in (latest.sources() if latest else [])],
    }


def _source_status(source: str, latest: Run, recent: list[Run]) -> dict[str, Any]:
    counts = latest.counters(source)
    alerts = latest.alerts(source)
    blocking = [a for a in alerts if str(a.get("signal", "")).startswith("blocked")]
    flags = {
        "failing": latest.failed(source),
        "blocked": counts["blocked"] > 0 and bool(blocking),
        "drift": any(a not in blocking for a in alerts) or (bool(blocking)
                                                             and not counts["blocked"]),
    }
    return {
        "source": source,
        "flags": [flag for flag in FLAGS if flags[flag]],
        "alerts": alerts,
        "last_run": {"pages": counts["pages"], "articles_new": counts["new"],
                     "articles_changed": counts["changed"], "errors": counts["errors"],
                     "blocked": counts["blocked"], "not_modified": counts["not_modified"]},
        "last_7_days": {
            "runs": sum(source in run.sources() for run in recent),
            "articles_new": sum(run.counters(source)["new"] for run in recent),
            "articles_changed": sum(run.counters(source)["changed"] for run in recent),
        },
        # Sources have no crawl intervals yet: the job's schedule (cron) decides.
        "next_due": None,
    }


def _from_store(store: ObjectStore, cache: Path, job: str | None
                ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The store's run reports and manifests (of ``job``'s crawls when given), each
    fetched once into ``cache/manifests/``: they never change under their names."""
    wanted = [(key, size) for key, size in store.sizes("manifests") if key.endswith(".json")
              and (job is None or key.startswith(f"manifests/{job}-"))]
    for key, size in wanted:
        try:
            fetch(store, key, cache, size)
        except OSError as exc:
            raise StatusError(f"cannot keep {key} in the query cache {cache}: "
                              f"{exc.strerror or exc}; set XDG_CACHE_HOME to a writable "
                              "directory") from None
    keys = {key for key, _ in wanted}
    reports = [report for report in run_reports(cache, job=job)
               if _key(cache, report["path"]) in keys]
    for report in reports:
        report["path"] = f"{store.uri}/{_key(cache, report['path'])}"
    manifests = [manifest for manifest in local_manifests(cache)
                 if _key(cache, manifest["path"]) in keys
                 and (job is None or manifest.get("job") == job)]
    return reports, manifests


def _key(cache: Path, path: str) -> str:
    return Path(path).relative_to(cache).as_posix()
