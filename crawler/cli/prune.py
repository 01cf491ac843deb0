"""``newsarchive prune``: remove local files the store already holds, verified.

A few lines over :func:`archive.store.prune.prune_local`. Exit 0 done; 1 when
some files stay because they could not be verified (a store copy missing or
different, a file in no manifest) or the store could not be read (then nothing
is removed); 2 bad usage; 75 a crawl of the job or an upload is running.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from archive.terminal import terminal_text
from crawler.cli.common import (
    EXIT_BUSY,
    EXIT_INCOMPLETE,
    EXIT_OK,
    add_archive_options,
    add_store_options,
    store_option_problem_line,
    usage_error,
)


def add_prune_command(commands: Any) -> None:
    prune = commands.add_parser(
        "prune", help="remove local files the store already holds, verified",
        description=PRUNE_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_archive_options(prune)
    add_store_options(prune, required=True)
    prune.add_argument("--job", metavar="NAME", help="only the files of this job")
    prune.add_argument("--dry-run", action="store_true",
                       help="print what would be removed, and remove nothing")
    prune.set_defaults(handler=cmd_prune)


PRUNE_HELP = """\
Free local disk: remove the WARC files, article parts, CDXJ and Parquet indexes
and search snapshots under --out that a crawl kept (--keep-local, or after an
outage) once the store holds them. A file goes only when a local manifest
lists it and the store's copy has the size it records and its bytes hash to
the SHA-256 it records (as `newsarchive verify` checks them). Files no manifest
lists, .open files and files whose store copy is missing or differs are kept
and reported; manifests and state stay. query, show and replay with --store
still find everything afterwards.

examples:
  newsarchive prune --out /srv/archive --store s3://news-archive/crawls --dry-run
  newsarchive prune --out /srv/archive --store s3://news-archive/crawls --job example \\
      --endpoint-url http://127.0.0.1:8333

exit status: 0 done; 1 some files could not be verified and stay (or the store
could not be read: nothing removed); 2 bad usage; 75 a crawl of the job or an
upload is running, try again later.
"""


def cmd_prune(args: argparse.Namespace) -> int:
    from archive.errors import ArchiveError, JobBusyError, StoreConfigError, StoreError
    from archive.layout import check_job_name
    from archive.store.base import StoreOptions, open_store
    from archive.store.prune import prune_local
    from archive.store.spoollock import SpoolBusyError

    if problem := store_option_problem_line(args):
        return usage_error("prune", problem)
    try:
        if args.job is not None:
            check_job_name(args.job)
    except ArchiveError as exc:
        return usage_error("prune", str(exc))
    try:
        store = open_store(args.store, StoreOptions(endpoint_url=args.endpoint_url))
    except StoreConfigError as exc:
        return usage_error("prune", str(exc))
    if not (args.out / "manifests").is_dir():
        return usage_error("prune", f"{args.out} holds no crawl manifests: give the --out a "
                           "crawl wrote to")
    try:
        store.check(writable=False)
    except StoreConfigError as exc:
        return usage_error("prune", str(exc))
    except StoreError as exc:
        print(f"newsarchive prune: {exc}; nothing removed", file=sys.stderr)
        return EXIT_INCOMPLETE
    try:
        report = prune_local(args.out, store, job=args.job, dry_run=args.dry_run)
    except (SpoolBusyError, JobBusyError) as exc:
        print(f"newsarchive prune: {exc}; nothing removed, try again later", file=sys.stderr)
        return EXIT_BUSY
    except StoreError as exc:
        print(f"newsarchive prune: {exc}; nothing removed", file=sys.stderr)
        return EXIT_INCOMPLETE
    verb = "would remove" if args.dry_run else "removed"
    for item in report.removed:
        print(terminal_text(f"{verb}  {item.relative}  ({item.size} bytes)"))
    for relative, why in report.kept:
        print(terminal_text(f"kept  {relative}: {why}"))
    for relative in report.unlisted:
        print(terminal_text(f"kept  {relative}: in no manifest (send it with "
                            "`newsarchive upload`)"))
    if report.unfinished:
        print(f"kept  {len(report.unfinished)} .open file(s): still being written, or "
              "recovered by the job's next crawl")
    total = report.bytes_freed
    print(f"{'Would remove' if args.dry_run else 'Removed'} {len(report.removed)} file(s), "
          f"{total} bytes ({total / 1e6:.2f} MB) {'would be ' if args.dry_run else ''}freed; "
          f"{len(report.kept) + len(report.unlisted)} kept")
    return EXIT_OK if report.ok else EXIT_INCOMPLETE
