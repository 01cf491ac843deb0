"""``newsarchive dashboard``: the archive at a glance, as a local web page.

A few lines over :mod:`archive.dashboard`; the distributed workers' view (Redis)
is :mod:`crawler.distributed.views`, as ``newsarchive workers`` shows it.
"""

from __future__ import annotations

import argparse
import signal
import sys
from typing import Any

from crawler.cli.common import (
    EXIT_OK,
    add_source_options,
    at_least,
    store_option_problem_line,
    usage_error,
)

DASHBOARD_HELP = """\
Serve a read-only web page of the archive on 127.0.0.1: for each job, its
articles per day per source, its runs over time with their exit status, errors
and blocked pages, each source's completeness (dated, authored, error,
not-modified and blocked shares) with alerts marked, the files waiting for
upload, and the latest articles, each linked to its record, its raw capture
(as `newsarchive show` prints it) and its replay in pywb. With --redis, the
distributed crawls' workers too (as `newsarchive workers` shows them). Runs
until Ctrl-C; the page reads the archive afresh at each load.

examples:
  newsarchive dashboard
  newsarchive dashboard --out /srv/archive --job example --port 8765
  newsarchive dashboard --out /srv/archive --port 0 --redis redis://127.0.0.1:6379/0

Run reports are read from --out; with --store, articles and captures are read
from the store (as `newsarchive query` and `show` do). Replay links point at
`newsarchive replay --port N` (--replay-port, default 8090): start it to follow
them.

exit status: 0 stopped with Ctrl-C; 2 bad usage, no archive at --out, the port is
taken, or Redis unreachable.
"""


def add_dashboard_command(commands: Any) -> None:
    dashboard = commands.add_parser(
        "dashboard", help="a local web page of the archive: runs, articles, health, alerts",
        description=DASHBOARD_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_source_options(dashboard)
    dashboard.add_argument("--port", type=at_least(0, at_most=65535), default=8765,
                           metavar="N", help="port on 127.0.0.1 (default 8765; 0: a free one)")
    dashboard.add_argument("--replay-port", type=at_least(1, at_most=65535), default=8090,
                           metavar="N", help="the port of `newsarchive replay --port N` "
                           "the replay links point at (default 8090)")
    dashboard.add_argument("--redis", metavar="URL",
                           help="also show the distributed crawls' workers in this Redis "
                           "(redis://HOST:PORT/DB)")
    dashboard.set_defaults(handler=cmd_dashboard)


def cmd_dashboard(args: argparse.Namespace) -> int:
    from archive.dashboard import Dashboard, DashboardServer, Source
    from archive.errors import ArchiveError
    from archive.layout import check_job_name

    if problem := store_option_problem_line(args):
        return usage_error("dashboard", problem)
    if not args.store and not any((args.out / folder).is_dir()
                                  for folder in ("manifests", "articles")):
        return usage_error("dashboard", f"{args.out} is not an archive directory (no "
                           "manifests/ or articles/): give the --out a crawl wrote to")
    try:
        if args.job:
            check_job_name(args.job)
        workers = _workers_view(args.redis, args.job) if args.redis else None
        source = Source(args.out, store=args.store, endpoint_url=args.endpoint_url,
                        cache=args.cache, cache_max=args.cache_max)
        server = DashboardServer(Dashboard(source, job=args.job, replay_port=args.replay_port,
                                           workers=workers), port=args.port)
    except ArchiveError as exc:
        return usage_error("dashboard", str(exc))
    # A service manager stops with SIGTERM: stop as Ctrl-C does.
    previous = signal.signal(signal.SIGTERM, _interrupt)
    print(f"Dashboard of {args.store or args.out} at {server.url} (Ctrl-C stops it)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("Dashboard stopped.", file=sys.stderr)
    finally:
        server.stop()
        signal.signal(signal.SIGTERM, previous)
    return EXIT_OK


def _workers_view(url: str, job: str | None) -> Any:
    """What `newsarchive workers` prints of each crawl, read afresh for each page."""
    from archive.state.redisconn import connect
    from crawler.cli.workers import describe
    from crawler.distributed.views import crawl_views

    client = connect(url)  # unreachable: ArchiveError now, one line and exit 2

    def view() -> list[str]:
        return [describe(crawl) for crawl in crawl_views(client, job=job)]

    return view


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
