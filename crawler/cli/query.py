"""``newsarchive query``: find articles by date, author, language, text or SQL.

A few lines over :func:`archive.query.open_articles` (the notebook API) and
:mod:`archive.query.output`. Exit 2 for a bad option, filter or SQL statement
(nothing written).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from crawler.cli.common import (
    EXIT_OK,
    add_as_of_option,
    add_source_options,
    at_least,
    source_options,
    store_option_problem_line,
    usage_error,
)

# What a table shows when no --fields are given: a record has too much for a terminal.
TABLE_FIELDS = ["published", "title", "authors", "url"]
SEARCH_TABLE_FIELDS = ["score", "published", "title", "snippet", "url"]


def add_query_command(commands: Any) -> None:
    query = commands.add_parser(
        "query", help="find articles by date, author, language, text or SQL",
        description=QUERY_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_source_options(query)
    add_filter_options(query)
    query.add_argument("--collapse-duplicates", action="store_true",
                       help="one article per group of near-identical texts (the first "
                       "captured), with a `duplicates` field: how many, which sources/URLs")
    add_threshold_option(query)
    query.add_argument("--search", metavar="WORDS",
                       help='rank by relevance (BM25) to WORDS in title and body: words, '
                       '"a phrase", +required, -excluded; adds score and snippet')
    query.add_argument("--fields", metavar="A,B", help="fields to output (default: all; "
                       "for --format table: " + ",".join(TABLE_FIELDS) + ")")
    query.add_argument("--limit", type=at_least(1), metavar="N", help="at most N rows")
    query.add_argument("--sql", metavar="SELECT", help="SQL over the view `articles` "
                       "(the filters above narrow it)")
    query.add_argument("--format", metavar="FORMAT",
                       help="jsonl, csv, table or parquet (default: from -o's extension, "
                       "else jsonl)")
    query.add_argument("-o", "--output", type=Path, metavar="FILE",
                       help="write to FILE instead of stdout (needed for parquet)")
    query.set_defaults(handler=cmd_query)


def add_filter_options(parser: argparse.ArgumentParser) -> None:
    """The filters of ``query``, which ``duplicates`` takes too."""
    parser.add_argument("--since", metavar="DATE",
                        help="published on or after this day (YYYY-MM-DD, as the page dates "
                        "it) or at/after this ISO 8601 time")
    parser.add_argument("--until", metavar="DATE",
                        help="published on or before this day, or before this time")
    parser.add_argument("--author", metavar="TEXT",
                        help="an author's name contains TEXT (any case, any accents)")
    parser.add_argument("--language", metavar="CODE", help="language code(s): en or en,de")
    parser.add_argument("--text", metavar="PHRASE",
                        help="title or body contains PHRASE (any case, any accents)")
    parser.add_argument("--regex", metavar="PATTERN",
                        help="title or body matches PATTERN (RE2 syntax, any case)")
    parser.add_argument("--url-contains", metavar="TEXT", help="URL contains TEXT")
    parser.add_argument("--all-versions", action="store_true",
                        help="every captured version, not only each article's latest")
    parser.add_argument("--changed", action="store_true",
                        help="only articles captured in more than one version")
    add_as_of_option(parser)


def add_threshold_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dup-threshold", metavar="SHARE",
                        help="how alike two texts must be to count as copies: the share of "
                        "their three-word runs they have in common (default 0.5)")


def filter_options(args: argparse.Namespace) -> dict[str, Any]:
    """The options of :func:`add_filter_options` as ``open_articles`` takes them."""
    return {"since": args.since, "until": args.until, "author": args.author,
            "language": args.language, "text": args.text, "regex": args.regex,
            "url_contains": args.url_contains, "all_versions": args.all_versions,
            "changed": args.changed, "as_of": args.as_of}



QUERY_HELP = """\
Find articles in the archive (a local --out DIR, or --store URI) and print
them as JSON Lines, CSV, a table, or write Parquet. By default each article's
latest version; --all-versions for every capture. Filters combine (AND).

examples:
  newsarchive query --since 2024-06-01 --until 2024-06-30 --author ruiz --format table
  newsarchive query --text "ferry" --language en --format csv -o ferry.csv
  newsarchive query --regex "flood(s|ing)?" --fields url,title,published
  newsarchive query --job example --format parquet -o example.parquet
  newsarchive query --changed --fields url,version,fetched_at --format table
  newsarchive query --collapse-duplicates --since 2024-06-01 --format table
  newsarchive query --collapse-duplicates --dup-threshold 0.7 --fields url,title,duplicates
  newsarchive query --search 'flood "harbour ferry" -football' --since 2024-06-01 --format table
  newsarchive query --sql "SELECT language, count(*) AS n FROM articles GROUP BY 1"
  newsarchive query --as-of 20240620T090000Z --format parquet -o corpus-june20.parquet
  newsarchive query --store s3://news-archive/crawls --endpoint-url http://127.0.0.1:8333 \\
      --since 2024-06-01 --format table

Fields: url, canonical_url, job, source, title, text, authors, published,
modified, language, sitename, section, description, tags, image, fetched_at,
status, payload_digest, warc, version, previous, and published_at (published
as a UTC timestamp, for sorting and SQL); fingerprint (the text's MinHash) only
when named; with --collapse-duplicates, duplicates ({count, sources, urls} of
the other copies). Rows come newest published first.

--as-of answers as the archive stood then, for a corpus a paper can cite: a
crawl id (that crawl and every crawl started before it, as their manifests list
their files) or a date/time (captures fetched at or before it; a day: to its end,
UTC). Suppressed articles (newsarchive suppress) are never in the answer.

--search ranks by relevance instead (best first) and adds two fields: score
(BM25; title words count double) and snippet (a few lines of the body around
the words found, each marked **like this**). Words are stemmed in the article's
language (German "Häuser" finds "Haus"); accents and case do not matter.

exit status: 0 done (also when nothing matched); 2 bad option, filter or SQL.
"""


def cmd_query(args: argparse.Namespace) -> int:
    from archive.errors import ArchiveError
    from archive.query.articles import open_articles
    from archive.query.output import format_for, write_result

    try:
        fmt = format_for(args.format, args.output)
    except ArchiveError as exc:
        return usage_error("query", str(exc))
    if fmt == "parquet" and args.output is None:
        return usage_error("query", "--format parquet writes a file: add -o FILE.parquet")
    if problem := store_option_problem_line(args):
        return usage_error("query", problem)
    if args.sql is not None and args.fields is not None:
        return usage_error("query", "--fields does not apply to --sql: name the columns in the "
                      "SELECT")
    fields = args.fields.split(",") if args.fields is not None else None
    if args.dup_threshold is not None and not args.collapse_duplicates:
        return usage_error("query", "--dup-threshold is for --collapse-duplicates: add it, or "
                           "leave the threshold out")
    if fields is None and fmt == "table" and args.sql is None:
        fields = ((SEARCH_TABLE_FIELDS if args.search is not None else TABLE_FIELDS)
                  + (["version", "fetched_at"] if args.all_versions else [])
                  + (["duplicates"] if args.collapse_duplicates else []))
    try:
        with open_articles(args.out, **source_options(args), **filter_options(args),
                           collapse_duplicates=args.collapse_duplicates,
                           dup_threshold=args.dup_threshold, search=args.search) as query:
            result = (query.sql(args.sql, args.limit) if args.sql is not None
                      else query.select(fields, args.limit))
            count = write_result(result, fmt, args.output)
    except ArchiveError as exc:
        return usage_error("query", str(exc))
    if args.output is not None:
        print(f"Wrote {count} row{'s' if count != 1 else ''} to {args.output}", file=sys.stderr)
    return EXIT_OK
