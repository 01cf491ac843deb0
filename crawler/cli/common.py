"""What the ``newsarchive`` commands share: exit codes, the parser, the archive and
store options, range-checked number options, and opening the store they name."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    from archive.store.base import ObjectStore

EXIT_OK, EXIT_INCOMPLETE, EXIT_USAGE = 0, 1, 2
EXIT_BUSY = 75  # EX_TEMPFAIL: another process holds the archive directory; try later


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line that says where to look."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def duration(text: str) -> float:
    """An argparse ``type=``: a duration (``50m``, ``1h``, ``90``: seconds); a bad one is
    argparse's usage error, one line and exit 2."""
    from crawler.jobfiles.duration import parse_duration

    try:
        return parse_duration(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def at_least(minimum: int, *, at_most: int | None = None) -> Callable[[str], int]:
    """An argparse ``type=``: a whole number of ``minimum`` or more (up to ``at_most``).

    A bad value is then argparse's own usage error, one line and exit 2:
    ``newsarchive crawl: error: argument --max-pages: must be at least 1, got 0``.
    """
    wanted = f"at least {minimum}" if at_most is None else f"from {minimum} to {at_most}"

    def whole_number(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"expected a whole number ({wanted}), got {text!r}") from None
        if value < minimum or (at_most is not None and value > at_most):
            raise argparse.ArgumentTypeError(f"must be {wanted}, got {value}")
        return value

    return whole_number


def add_archive_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=Path("archive-data"), metavar="DIR",
                        help="local archive directory (default: ./archive-data)")


def add_store_options(parser: argparse.ArgumentParser, *, required: bool = False) -> None:
    parser.add_argument("--store", metavar="URI", required=required,
                        help="object store: s3://BUCKET/PREFIX or file:///PATH")
    parser.add_argument("--endpoint-url", metavar="URL",
                        help="S3-compatible server (default: $AWS_ENDPOINT_URL, else AWS S3)")


def add_keep_local(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--keep-local", action="store_true",
                        help="keep local copies of files once they are verified in the store")



def open_checked_store(command: str, args: argparse.Namespace, *,
                        writable: bool = True) -> ObjectStore | None:
    """The store named on the command line, proven usable; None after printing why not."""
    from archive.errors import StoreError
    from archive.store.base import StoreOptions, open_store
    from crawler.storage import store_option_problem

    problem = store_option_problem(args.store, args.endpoint_url,
                                   getattr(args, "keep_local", False))
    if problem:
        print(f"newsarchive {command}: error: {problem}", file=sys.stderr)
        return None
    try:
        store = open_store(args.store, StoreOptions(endpoint_url=args.endpoint_url))
        store.check(writable=writable)
    except StoreError as exc:
        print(f"newsarchive {command}: error: {exc}", file=sys.stderr)
        return None
    return store


def store_option_problem_line(args: argparse.Namespace) -> str:
    """What is wrong with the command's --store and --endpoint-url, or ""."""
    from crawler.storage import store_option_problem

    return store_option_problem(args.store, args.endpoint_url,
                                getattr(args, "keep_local", False))


def add_source_options(parser: argparse.ArgumentParser) -> None:
    """Where the researchers' commands read an archive: --out or --store, which jobs,
    and where a store's files are cached."""
    add_archive_options(parser)
    add_store_options(parser)
    parser.add_argument("--job", metavar="NAME", help="only this job (comma-separated: several)")
    parser.add_argument("--cache", type=Path, metavar="DIR",
                        help="where files fetched from --store are kept "
                        "(default: ~/.cache/newsarchive/)")
    parser.add_argument("--cache-max", type=cache_size, metavar="SIZE",
                        help="trim the cache to SIZE (bytes, or 500M, 2G...), least recently "
                        "used out (default: $NEWSARCHIVE_CACHE_MAX_BYTES, else 2G)")


def cache_size(text: str) -> int:
    """An argparse ``type=`` for ``--cache-max``: a size, as archive.query.cachelimit reads it."""
    from archive.errors import QueryError
    from archive.query.cachelimit import parse_size

    try:
        return parse_size(text)
    except QueryError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_as_of_option(parser: argparse.ArgumentParser) -> None:
    """``--as-of``: the archive as it stood at a crawl or a moment (archive.query.asof)."""
    parser.add_argument("--as-of", metavar="CRAWL_ID|DATE",
                        help="the archive as it stood then: a crawl id (20240620T090000Z: "
                        "that crawl and the ones before), a day (up to its end, UTC) or an "
                        "ISO 8601 time (captures fetched at or before it)")


def source_options(args: argparse.Namespace) -> dict[str, Any]:
    """The options of :func:`add_source_options` as ``archive.query.open_articles`` takes them."""
    return {"store": args.store, "endpoint_url": args.endpoint_url, "cache": args.cache,
            "cache_max": args.cache_max, "job": args.job}


def terminal_json(value: Any) -> str:
    """JSON for a terminal: no page text in it may steer one (archive.terminal)."""
    from archive.terminal import json_safe

    return json_safe(json.dumps(value, ensure_ascii=False, indent=2, default=str))


def usage_error(command: str, message: str) -> int:
    """Print a usage problem as one line; the exit status for it."""
    print(f"newsarchive {command}: error: {message}", file=sys.stderr)
    return EXIT_USAGE
