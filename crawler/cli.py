"""The ``newsarchive`` command: the composition root.

It runs crawls itself and hands every other command to library functions that a
notebook can call too. Errors are one line on stderr and a non-zero exit:
2 for bad usage or configuration (nothing written), 1 when a crawl ran but
something could not be archived.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from crawler.summary import summary_lines

EXIT_OK, EXIT_INCOMPLETE, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line that says where to look."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _add_archive_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=Path("archive-data"), metavar="DIR",
                        help="local archive directory (default: ./archive-data)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="newsarchive", description=__doc__.split("\n\n")[0],
                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    crawl = commands.add_parser(
        "crawl", help="crawl news sites into WARC files and article JSON Lines",
        description=CRAWL_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    crawl.add_argument("--seed", action="append", default=[], metavar="URL",
                       help="a home or section page to start from (repeatable)")
    _add_archive_options(crawl)
    crawl.add_argument("--job", metavar="NAME",
                       help="job name for file names and paths (default: the first seed's host)")
    crawl.add_argument("--max-pages", type=int, metavar="N",
                       help="stop after N responses (default: CLOSESPIDER_PAGECOUNT, 100000)")
    crawl.add_argument("-s", dest="settings", action="append", default=[],
                       metavar="NAME=VALUE", help="override a Scrapy setting (repeatable)")
    crawl.set_defaults(handler=cmd_crawl)

    demo = commands.add_parser(
        "demo", help="crawl the bundled demo news site and show what was archived",
        description=DEMO_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    _add_archive_options(demo)
    demo.set_defaults(handler=cmd_demo)
    return parser


CRAWL_HELP = """\
Crawl news sites: follow sections and pagination from the seeds, record every
HTTP exchange in WARC files and write one JSON line per article.

example:
  newsarchive crawl --seed https://news.example/ --seed https://news.example/business/ \\
      --out archive-data --job example --max-pages 500 -s DOWNLOAD_DELAY=1

exit status: 0 done; 1 crawled, but something could not be archived; 2 bad usage.
"""

DEMO_HELP = """\
Serve the bundled demo news site on 127.0.0.1, crawl it and print a summary:
pages fetched, articles extracted, WARC files, where the JSON Lines are, and a
sample article.

example:
  newsarchive demo --out /tmp/demo-archive
"""


def cmd_crawl(args: argparse.Namespace) -> int:
    from crawler.run import UsageError, parse_setting_overrides, run_crawl

    try:
        overrides = parse_setting_overrides(args.settings)
        result = run_crawl(args.seed, args.out, job=args.job, max_pages=args.max_pages,
                           overrides=overrides)
    except UsageError as exc:
        print(f"newsarchive crawl: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print("\n".join(summary_lines(result.stats)))
    if manifest := result.stats.get("manifest/path"):
        print(f"Manifest:             {manifest}")
    if not result.ok:
        print("newsarchive crawl: not everything was archived: " + "; ".join(result.problems),
              file=sys.stderr)
        return EXIT_INCOMPLETE
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from crawler.demo import run_demo
    from crawler.run import UsageError

    try:
        return run_demo(args.out)
    except UsageError as exc:
        print(f"newsarchive demo: error: {exc}", file=sys.stderr)
        return EXIT_USAGE


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return args.handler(args)
    except KeyboardInterrupt:
        print("newsarchive: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
