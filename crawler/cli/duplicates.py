"""``newsarchive duplicates``: groups of near-identical articles, largest first.

A few lines over :func:`archive.query.duplicate_groups`. Exit 2 for a bad option
or filter (nothing written).
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from crawler.cli.common import (
    EXIT_OK,
    add_source_options,
    at_least,
    source_options,
    store_option_problem_line,
    usage_error,
)
from crawler.cli.query import add_filter_options, add_threshold_option, filter_options


def add_duplicates_command(commands: Any) -> None:
    duplicates = commands.add_parser(
        "duplicates", help="groups of near-identical articles (syndication, republished "
        "stories), largest first", description=DUPLICATES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    add_source_options(duplicates)
    add_filter_options(duplicates)
    add_threshold_option(duplicates)
    duplicates.add_argument("--min-size", type=at_least(2), default=2, metavar="N",
                            help="only groups of at least N articles (default 2)")
    duplicates.add_argument("--limit", type=at_least(1), metavar="N", help="at most N groups")
    duplicates.add_argument("--format", choices=("table", "jsonl"), default="table",
                            help="table (default: a heading and a line per article) or "
                            "jsonl (one group per line)")
    duplicates.set_defaults(handler=cmd_duplicates)


DUPLICATES_HELP = """\
List the groups of near-identical articles among those the filters keep (the
same as query's), largest first: the same wire story in many outlets, a story
republished under a new URL. Each group lists its articles, the one captured
first at the top, with the time of its first capture, its source, URL and
title. Two articles are near-identical when their texts share at least
--dup-threshold (default 0.5) of their three-word runs, as their fingerprints
estimate it. Versions of one article are never duplicates of each other; with
--all-versions, any version of an article may match any of another's.

examples:
  newsarchive duplicates --since 2024-06-01 --min-size 3
  newsarchive duplicates --job example --language en --format jsonl --limit 20
  newsarchive duplicates --text "harbour ferry" --dup-threshold 0.7
  newsarchive duplicates --as-of 20240620T090000Z --min-size 2
  newsarchive duplicates --store s3://news-archive/crawls --endpoint-url http://127.0.0.1:8333

exit status: 0 done (also when there are no groups); 2 bad option or filter.
"""


def cmd_duplicates(args: argparse.Namespace) -> int:
    from archive.errors import ArchiveError
    from archive.query import duplicate_groups, open_articles
    from archive.query.duplicates import member_lines
    from archive.terminal import json_safe, terminal_text

    if problem := store_option_problem_line(args):
        return usage_error("duplicates", problem)
    try:
        with open_articles(args.out, **source_options(args), **filter_options(args)) as query:
            groups = duplicate_groups(query, args.dup_threshold, min_size=args.min_size,
                                      limit=args.limit)
    except ArchiveError as exc:
        return usage_error("duplicates", str(exc))
    for group in groups:
        if args.format == "jsonl":
            print(json_safe(json.dumps(group.to_dict(), ensure_ascii=False)))
        else:
            for line in member_lines(group):
                print(terminal_text(line))
    if args.format == "table":
        print(f"({len(groups)} group{'s' if len(groups) != 1 else ''})")
    return EXIT_OK
