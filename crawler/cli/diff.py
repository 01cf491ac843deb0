"""``newsarchive diff`` and ``show --versions``: an article's versions, and what changed.

A few lines over :mod:`archive.query.versions`. Exit 1 when the article or a
version asked for is not in the archive, 2 for bad usage.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from archive.terminal import terminal_text
from crawler.cli.common import (
    EXIT_INCOMPLETE,
    EXIT_OK,
    add_as_of_option,
    add_source_options,
    at_least,
    store_option_problem_line,
    terminal_json,
    usage_error,
)


def add_diff_command(commands: Any) -> None:
    diff = commands.add_parser(
        "diff", help="what changed between two versions of an article",
        description=DIFF_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    diff.add_argument("url", metavar="URL", help="the article's URL or canonical URL")
    add_source_options(diff)
    diff.add_argument("--from", dest="old", type=at_least(1), metavar="N",
                      help="the older version (default: the one before --to)")
    diff.add_argument("--to", dest="new", type=at_least(1), metavar="M",
                      help="the newer version (default: the latest)")
    diff.add_argument("--format", choices=("text", "json"), default="text",
                      help="text (default: [-removed-] {+added+} words) or json (hunks)")
    add_as_of_option(diff)
    diff.set_defaults(handler=cmd_diff)


DIFF_HELP = """\
Show what changed between two versions of an article (the records of one
canonical URL, each a capture whose content changed): title, authors,
published and modified dates, description, and the body word by word, per
changed paragraph, removed words as [-old-] and added ones as {+new+} with a
few words of context. By default the latest version against the one before.

examples:
  newsarchive diff https://news.example/2024/06/20/harbour-ferry-returns/
  newsarchive diff https://news.example/a/ --from 1 --to 3 --format json
  newsarchive diff https://news.example/a/ --out /srv/archive --job example
  newsarchive diff https://news.example/a/ --as-of 2024-06-30
  newsarchive diff https://news.example/a/ --store s3://news-archive/crawls \\
      --endpoint-url http://127.0.0.1:8333

List the versions with `newsarchive show URL --versions`.

exit status: 0 shown (also for an article with one version: nothing to compare);
1 no such article or version; 2 bad usage.
"""


def cmd_diff(args: argparse.Namespace) -> int:
    from archive.errors import ArchiveError, NotInArchiveError
    from archive.query.versions import diff_lines, diff_versions

    if problem := _problem(args):
        return usage_error("diff", problem)
    try:
        found = _versions(args)
        new = found.get(args.new) if args.new is not None else found.versions[-1]
        if args.old is not None:
            old = found.get(args.old)
        else:
            earlier = [row for row in found.versions if (row["version"] or 0) <
                       (new["version"] or 0)]
            if not earlier:
                print(terminal_text(f"{found.url} has no version before version "
                                    f"{new['version']} (versions: "
                                    f"{', '.join(map(str, found.numbers()))}): "
                                    "nothing to compare"))
                return EXIT_OK
            old = earlier[-1]
    except NotInArchiveError as exc:
        print(f"newsarchive diff: {exc}", file=sys.stderr)
        return EXIT_INCOMPLETE
    except ArchiveError as exc:
        return usage_error("diff", str(exc))
    change = diff_versions(old, new)
    if args.format == "json":
        print(terminal_json({"job": found.job, **change.to_dict()}))
    else:
        print(terminal_text(f"{found.url} ({found.job})"))
        for line in diff_lines(change):
            print(terminal_text(line))
    return EXIT_OK


def show_versions(args: argparse.Namespace) -> int:
    """``show URL --versions``: every version with its capture time, digest and WARC."""
    from archive.errors import ArchiveError, NotInArchiveError
    from archive.query.versions import version_summary

    if problem := _problem(args):
        return usage_error("show", problem)
    try:
        found = _versions(args)
    except NotInArchiveError as exc:
        print(f"newsarchive show: {exc}", file=sys.stderr)
        return EXIT_INCOMPLETE
    except ArchiveError as exc:
        return usage_error("show", str(exc))
    rows = [version_summary(row) for row in found.versions]
    if args.json:
        print(terminal_json({"url": found.url, "job": found.job, "versions": rows}))
        return EXIT_OK
    print(terminal_text(f"{found.url} ({found.job}): {len(rows)} version"
                        f"{'s' if len(rows) != 1 else ''}"))
    for row in rows:
        warc = row["warc"] or {}
        print(terminal_text(f"  version {row['version']}  {row['fetched_at']}  "
                            f"{row['payload_digest']}  {warc.get('file')}:{warc.get('offset')}"))
    return EXIT_OK


def _versions(args: argparse.Namespace) -> Any:
    from archive.query.versions import article_versions

    found = article_versions(args.out, args.url, store=args.store,
                             endpoint_url=args.endpoint_url, cache=args.cache,
                             cache_max=args.cache_max, job=args.job, as_of=args.as_of)
    if found.other_jobs:
        print(f"newsarchive: job {found.job}; the URL is also in job "
              f"{', '.join(found.other_jobs)} (choose with --job)", file=sys.stderr)
    return found


def _problem(args: argparse.Namespace) -> str:
    if problem := store_option_problem_line(args):
        return problem
    from archive.errors import QueryError
    from archive.query.articles import check_article_url

    try:
        check_article_url(args.url, "newsarchive query --changed")
    except QueryError as exc:
        return str(exc)
    return ""

