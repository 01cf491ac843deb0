"""``newsarchive suppress``: hide an article (a takedown or privacy request), list
what is hidden, take it back.

A few lines over :mod:`archive.query.takedowns`. Exit 2 for bad usage (nothing
written); ``--undo`` of a URL nothing hides is bad usage too.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from archive.terminal import json_safe, terminal_text
from crawler.cli.common import (
    EXIT_OK,
    add_archive_options,
    add_store_options,
    store_option_problem_line,
    usage_error,
)


def add_suppress_command(commands: Any) -> None:
    suppress = commands.add_parser(
        "suppress", help="hide an article from query, show, replay and export (a takedown)",
        description=SUPPRESS_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    suppress.add_argument("url", nargs="?", metavar="URL",
                          help="the article's URL or canonical URL")
    add_archive_options(suppress)
    add_store_options(suppress)
    suppress.add_argument("--reason", metavar="TEXT",
                          help="why it is hidden (required to suppress; kept in the log)")
    suppress.add_argument("--job", metavar="NAME",
                          help="only in this job (default: in every job)")
    suppress.add_argument("--undo", action="store_true",
                          help="take back the suppression of URL (an entry in the log too)")
    suppress.add_argument("--list", action="store_true",
                          help="list the suppressions in force")
    suppress.add_argument("--history", action="store_true",
                          help="with --list: every entry of the log, undos too")
    suppress.add_argument("--json", action="store_true", help="with --list: JSON Lines")
    suppress.set_defaults(handler=cmd_suppress)


SUPPRESS_HELP = """\
Hide an article, every version of it, from query (--sql too), show, diff,
replay and export-wacz: for a takedown or privacy request. The WARC files, the
article files and the manifests are not touched (their checksums stay as they
were); the suppression is an entry in an append-only log kept with the archive
(DIR/suppressions/log.jsonl, or one object per entry under suppressions/ in
--store) naming the URL, the job (or every job), the reason, who and when.
--undo takes it back with another entry, so the log keeps the whole history.

examples:
  newsarchive suppress https://news.example/a/ --reason "privacy request #1234"
  newsarchive suppress https://news.example/a/ --reason "court order" --job example \\
      --store s3://news-archive/crawls --endpoint-url http://127.0.0.1:8333
  newsarchive suppress --list
  newsarchive suppress --list --history --json --out /srv/archive
  newsarchive suppress --undo https://news.example/a/ --reason "request withdrawn"

exit status: 0 done; 2 bad usage (no --reason, not a URL, --undo of a URL that
is not suppressed; nothing written).
"""


def cmd_suppress(args: argparse.Namespace) -> int:
    from archive.errors import ArchiveError
    from archive.query.suppressions import describe
    from archive.query.takedowns import suppress, suppressions, unsuppress

    if problem := _problem(args):
        return usage_error("suppress", problem)
    where = {"store": args.store, "endpoint_url": args.endpoint_url}
    try:
        if args.list:
            entries = suppressions(args.out, **where, history=args.history)
        elif args.undo:
            entry = unsuppress(args.url, args.out, **where, job=args.job, reason=args.reason)
        else:
            entry = suppress(args.url, args.reason or "", args.out, **where, job=args.job)
    except ArchiveError as exc:
        return usage_error("suppress", str(exc))
    if not args.list:
        verb = "Took back the suppression of" if args.undo else "Suppressed"
        print(terminal_text(f"{verb} {entry.url} in "
                            f"{'job ' + entry.job if entry.job else 'every job'} "
                            f"({args.store or args.out}; {len(entry.keys)} URL forms)"))
        return EXIT_OK
    for entry in entries:
        if args.json:
            # One line per entry; page-borne text escaped as everywhere (archive.terminal).
            print(json_safe(json.dumps(describe(entry), ensure_ascii=False)))
            continue
        print(terminal_text(f"{entry.at}  {entry.action:<8}  {entry.url}  "
                            f"[{entry.job or 'every job'}]  by {entry.by}: "
                            f"{entry.reason or '(no reason given)'}"))
    if not entries and not args.json:
        print("No suppressions" + (" in the log." if args.history else " in force."))
    return EXIT_OK


def _problem(args: argparse.Namespace) -> str:
    if problem := store_option_problem_line(args):
        return problem
    if args.list:
        if args.url or args.undo or args.reason or args.job:
            return "--list takes no URL, --undo, --reason or --job: list, or change, not both"
        return ""
    if args.history or args.json:
        return "--history and --json go with --list"
    if not args.url:
        return "give the URL of the article to suppress (or --list to see the suppressions)"
    if not args.undo and not (args.reason or "").strip():
        return ("--reason is required: say why the article is hidden (a takedown request, "
                "a privacy complaint), for whoever reads the log later")
    return ""
