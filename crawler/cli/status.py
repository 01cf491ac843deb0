"""``newsarchive status``: every job and source at a glance, for a person or a monitor.

A few lines over :func:`archive.status.collect.collect_status`: a header line per
job and one line per source, or the same as JSON. Exit 1 when any source is
flagged, so a monitor can call it.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from typing import Any

from crawler.cli.common import (
    EXIT_INCOMPLETE,
    EXIT_OK,
    add_archive_options,
    add_store_options,
    store_option_problem_line,
    terminal_json,
    usage_error,
)


def add_status_command(commands: Any) -> None:
    status = commands.add_parser(
        "status", help="each job's last run and each source's figures and health flags",
        description=STATUS_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_archive_options(status)
    add_store_options(status)
    status.add_argument("--job", metavar="NAME", help="only this job")
    status.add_argument("--json", action="store_true",
                        help="print the status as JSON, for scripts")
    status.set_defaults(handler=cmd_status)


STATUS_HELP = """\
Show, per job, its last run (when, exit status, finish reason, duration), how
many runs it has had and the files still waiting for upload, and per source one
line: pages and new/changed articles in the last run, new/changed articles in
the last 7 days, errors, blocked pages, and its flags. A flagged source's
alerts follow its job's table. The first line says what the spool (local WARC
and article files), the state and the query cache take on disk.

Flags: failing (its site never answered in the last run), blocked (pages were
blocked by a challenge, consent wall or login, and a health alert says so),
drift (any other health alert: fewer articles, dates or authors than usual...).

With --store, the run reports and manifests are read from the store (fetched
into the query cache), so it works on a machine that only has the bucket; files
waiting and the disk figures are still this machine's --out.

examples:
  newsarchive status --out archive-data
  newsarchive status --out archive-data --job example --json
  newsarchive status --store s3://news-archive/crawls --endpoint-url http://127.0.0.1:8333

exit status: 0 no source flagged; 1 some source flagged, or the store could not be
read (try again); 2 bad usage: no archive in --out, an unknown job, a bad store URI.
"""


def cmd_status(args: argparse.Namespace) -> int:
    from archive.errors import ArchiveError, StoreConfigError, StoreError
    from archive.status.collect import collect_status
    from archive.store.base import StoreOptions, open_store

    if problem := store_option_problem_line(args):
        return usage_error("status", problem)
    try:
        store = (open_store(args.store, StoreOptions(endpoint_url=args.endpoint_url))
                 if args.store else None)
        status = collect_status(args.out, job=args.job, store=store)
    except StoreConfigError as exc:
        return usage_error("status", str(exc))
    except StoreError as exc:  # down or failing for now: a passing fault
        print(f"newsarchive status: {exc}; try again later", file=sys.stderr)
        return EXIT_INCOMPLETE
    except ArchiveError as exc:
        return usage_error("status", str(exc))
    if args.json:
        print(terminal_json(status))
    else:
        from archive.terminal import terminal_text

        for line in status_lines(status):
            print(terminal_text(line))
    return EXIT_INCOMPLETE if status["flagged"] else EXIT_OK


def status_lines(status: dict[str, Any]) -> list[str]:
    """The terminal view of :func:`collect_status`'s answer (not yet made safe)."""
    disk = status["disk"]
    where = status["store"] or status["out"]
    lines = [f"{where}: spool {size(disk['spool_bytes'])}, state {size(disk['state_bytes'])}, "
             f"query cache {size(disk['query_cache_bytes'])}"]
    if not status["jobs"]:
        lines.append("no runs yet")
    now = datetime.fromisoformat(status["generated"])
    for job in status["jobs"]:
        lines.append("")
        lines.append(job_line(job, now))
        lines.extend(kinds_line(job))
        lines.extend(source_lines(job))
    if status["flagged"]:
        lines.append("")
        lines.append(f"flagged: {', '.join(status['flagged'])}")
    return lines


def job_line(job: dict[str, Any], now: datetime) -> str:
    runs = f"{job['runs']} run{'s' if job['runs'] != 1 else ''}"
    waiting = job["files_waiting"]
    files = "none" if not waiting["count"] else (
        f"{waiting['count']} ({size(waiting['bytes'])}, oldest {when(waiting['oldest'], now)})")
    last = job["last_run"]
    if last is None:
        return f"{job['job']}: no runs; files waiting: {files}"
    exit_status = "?" if last["exit_status"] is None else last["exit_status"]
    duration = "" if last["duration_seconds"] is None else f", {last['duration_seconds']} s"
    return (f"{job['job']}: last run {when(last['started'], now)}, exit {exit_status}, "
            f"{last['finish_reason'] or 'unknown end'}{duration}; {runs}; files waiting: {files}")


def kinds_line(job: dict[str, Any]) -> list[str]:
    """The last run's errors and blocked pages by kind, when it had any."""
    last = job["last_run"] or {}
    parts = [f"{label}: " + ", ".join(f"{kind} {n}" for kind, n in kinds.items())
             for label, kinds in (("errors", last.get("errors") or {}),
                                  ("blocked pages", last.get("blocked_pages") or {}))
             if kinds]
    return ["  last run's " + "; ".join(parts)] if parts else []


COLUMNS = ("pages", "new", "changed", "new 7d", "changed 7d", "errors", "blocked")


def source_lines(job: dict[str, Any]) -> list[str]:
    sources = job["sources"]
    if not sources:
        return ["  (no per-source figures in its last run)"]
    width = max(len("source"), *(len(source["source"]) for source in sources))
    lines = ["  " + "source".ljust(width) + "".join(f"  {name:>{len(name)}}" for name in COLUMNS)
             + "  flags"]
    for source in sources:
        last, week = source["last_run"], source["last_7_days"]
        figures = (last["pages"], last["articles_new"], last["articles_changed"],
                   week["articles_new"], week["articles_changed"], last["errors"],
                   last["blocked"])
        lines.append("  " + source["source"].ljust(width)
                     + "".join(f"  {value:>{len(name)}}" for name, value in zip(COLUMNS, figures,
                                                                                 strict=True))
                     + "  " + (",".join(source["flags"]) or "ok"))
    for source in sources:
        for alert in source["alerts"]:
            lines.append(f"  ! {source['source']}: {alert.get('message') or alert.get('signal')}")
    return lines


def when(moment: str | None, now: datetime) -> str:
    """``2024-06-20 09:00 UTC (3 h ago)``."""
    if not moment:
        return "unknown"
    at = datetime.fromisoformat(moment)
    at = at.astimezone(UTC) if at.tzinfo else at.replace(tzinfo=UTC)
    seconds = (now - at).total_seconds()
    ago = (f"{seconds / 86400:.0f} d" if seconds >= 172800 else
           f"{seconds / 3600:.0f} h" if seconds >= 7200 else f"{max(seconds, 0) / 60:.0f} min")
    return f"{at.strftime('%Y-%m-%d %H:%M')} UTC ({ago} ago)"


def size(count: int) -> str:
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if count >= scale:
            return f"{count / scale:.1f} {unit}"
    return f"{count} B"
