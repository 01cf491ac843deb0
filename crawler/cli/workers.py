"""``newsarchive workers``: the distributed crawls in a Redis, their frontiers and how
far each worker has got."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from archive.errors import ArchiveError
from archive.state.redisconn import DEFAULT_PREFIX, connect
from crawler.cli.common import EXIT_OK, EXIT_USAGE

if TYPE_CHECKING:
    from crawler.distributed.views import CrawlView, WorkerView

WORKERS_HELP = """\
Show each job's distributed crawl in a Redis: the one running (else the last one,
kept for a week), its frontier, and every worker that took part with its counts.

  newsarchive workers --redis redis://127.0.0.1:6379/0
  newsarchive workers --redis redis://127.0.0.1:6379/0 --job example --json

A worker is "running" while its heartbeat comes, "silent" once it stops (dead,
until a live worker hands its requests back: then "dead"), "finished" when done.

exit status: 0 shown (also when there is no crawl); 2 bad usage or Redis unreachable.
"""


def add_workers_command(commands: Any) -> None:
    workers = commands.add_parser(
        "workers", help="show the distributed crawls in a Redis and each worker's progress",
        description=WORKERS_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    workers.add_argument("--redis", required=True, metavar="URL",
                         help="the Redis the workers share (redis://HOST:PORT/DB)")
    workers.add_argument("--job", metavar="NAME", help="only this job")
    workers.add_argument("--prefix", default=DEFAULT_PREFIX, metavar="PREFIX",
                         help=f"key prefix the workers use (REDIS_KEY_PREFIX; default "
                         f"{DEFAULT_PREFIX})")
    workers.add_argument("--json", action="store_true", help="print JSON instead of a table")
    workers.set_defaults(handler=cmd_workers)


def cmd_workers(args: argparse.Namespace) -> int:
    # Here, not at the top: every command's module is imported to build the parser,
    # and the views import the Redis client.
    from crawler.distributed.views import crawl_views

    try:
        client = connect(args.redis)
        views = crawl_views(client, job=args.job, prefix=args.prefix)
    except ArchiveError as exc:
        print(f"newsarchive workers: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.json:
        print(json.dumps([asdict(view) for view in views], indent=2))
    elif not views:
        where = f"job {args.job}" if args.job else "any job"
        print(f"No distributed crawl of {where} in this Redis (start workers with "
              "`newsarchive crawl JOB.toml --redis URL`).")
    else:
        print("\n\n".join(describe(view) for view in views))
    return EXIT_OK


def describe(view: CrawlView) -> str:
    started = view.info.get("started", "?")
    if view.current:
        head = f"job {view.job}: crawl {view.crawl_id}, running since {started}"
    else:
        head = (f"job {view.job}: last crawl {view.crawl_id}, {started} to "
                f"{view.info.get('finished', '?')} ({view.info.get('finish_reason', '?')})")
    lines = [head]
    if view.current:
        lines.append(f"  frontier: {view.frontier} queued, {view.requested} requested so far")
    lines.append(f"  {'worker':<28} {'status':<9} {'pages':>7} {'articles':>8} "
                 f"{'in hand':>7}  last heard")
    for worker in view.workers:
        lines.append(_worker_line(worker))
    return "\n".join(lines)


def _worker_line(worker: WorkerView) -> str:
    progress = worker.progress
    return (f"  {worker.tag:<28} {worker.status:<9} {progress.get('pages', '0'):>7} "
            f"{progress.get('articles', '0'):>8} {worker.in_hand:>7}  "
            f"{_ago(progress.get('updated'))}")


def _ago(stamp: str | None) -> str:
    if not stamp:
        return "never"
    try:
        seconds = (datetime.now(UTC) - datetime.fromisoformat(stamp)).total_seconds()
    except ValueError:
        return stamp
    return f"{seconds:.0f} s ago" if seconds < 120 else f"{seconds / 60:.0f} min ago"
