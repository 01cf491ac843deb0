"""How much memory does a distributed crawl's Redis need? Measured, then projected.

Fills every structure a distributed crawl keeps in Redis (a run's frontier,
dupefilter, articles seen and requests in flight; the job's incremental state:
pages, articles, birth dates, carried-over frontier) with synthetic but
realistic entries (news URLs of 70-120 characters, Scrapy requests serialised
as JSON, WARC pointers), measures what each entry costs from the server's own
accounting (the growth of ``INFO memory`` used_memory, client buffers left out,
checked against ``MEMORY USAGE``), and projects the memory a deployment needs
from those measured figures.

    .venv/bin/python bench/redis_sizing.py                        # 200,000 entries each
    .venv/bin/python bench/redis_sizing.py --quick                # 5,000 (seconds)
    .venv/bin/python bench/redis_sizing.py --articles-per-day 200000 --pages-per-article 5
    .venv/bin/python bench/redis_sizing.py --redis redis://127.0.0.1:6379/15

Without ``--redis`` it starts its own redis-server (no persistence, a free port
on 127.0.0.1, a temporary folder) and stops it at exit. With ``--redis`` it
writes under a job name of its own and deletes those keys at the end; another
client writing to the same server meanwhile skews the figures. Results:
docs/distributed.md.

This module is the command; its parts are in ``bench/_redis_sizing/``: the
synthetic entries, the structures and their measurement, the projection, and
the redis-server of its own.
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

if __name__ == "__main__" and not __package__:
    # Run as a file (python bench/redis_sizing.py): import the bench package as -m would.
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import redis

from bench._redis_sizing.measure import CONCURRENCY, measure_all, table
from bench._redis_sizing.projection import Deployment, projection
from bench._redis_sizing.server import ServerError, own_server

DEFAULT_SERVER = "/usr/bin/redis-server"
QUICK_URLS = 5000


def _stop_on_sigterm() -> None:
    """SIGTERM unwinds like an exception, so the server we started is stopped too."""
    def stop(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)
    signal.signal(signal.SIGTERM, stop)


# -- command line ------------------------------------------------------------------------------
def _at_least(lowest: float, kind: type = int) -> Callable[[str], float]:
    def parse(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
        if value < lowest:
            raise argparse.ArgumentTypeError(f"must be at least {lowest}, got {text}")
        return value
    return parse


def _where(url: str) -> str:
    parts = urlsplit(url)
    if not parts.hostname:  # unix:///path/to/redis.sock
        return parts.path
    return f"{parts.hostname}:{parts.port or 6379}{parts.path}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="example: .venv/bin/python bench/redis_sizing.py --quick")
    parser.add_argument("--urls", type=_at_least(1000), default=200_000, metavar="N",
                        help="entries written into each structure (default 200000)")
    parser.add_argument("--quick", action="store_true",
                        help=f"{QUICK_URLS} entries each, for tests")
    parser.add_argument("--redis", metavar="URL",
                        help="measure on this server (a quiet one) instead of starting one")
    parser.add_argument("--redis-server", default=DEFAULT_SERVER, metavar="PATH",
                        help=f"the redis-server to start (default {DEFAULT_SERVER})")
    parser.add_argument("--articles-per-day", type=_at_least(1), default=1_000_000,
                        metavar="A", help="articles archived a day (default 1000000)")
    parser.add_argument("--pages-per-article", type=_at_least(1, float), default=3.0,
                        metavar="P", help="pages fetched per article: the article, listings, "
                                          "feeds, redirects (default 3)")
    parser.add_argument("--runs-per-day", type=_at_least(1), default=24, metavar="N",
                        help="crawl runs a day (default 24, hourly)")
    parser.add_argument("--recheck-days", type=_at_least(0, float), default=3.0,
                        metavar="D", help="days articles stay in the state for re-checks "
                                          "(default 3, RecrawlPolicy.max_age)")
    parser.add_argument("--page-days", type=_at_least(1, float), metavar="R",
                        help="days pages stay in the state (default: every page ever seen)")
    parser.add_argument("--workers", type=_at_least(1), default=8, metavar="W",
                        help="crawl workers, each with 32 requests in flight (default 8)")
    args = parser.parse_args(argv)
    count = QUICK_URLS if args.quick else args.urls
    deployment = Deployment(args.articles_per_day, args.pages_per_article, args.runs_per_day,
                            args.recheck_days, args.page_days, args.workers)
    _stop_on_sigterm()
    try:
        if args.redis:
            return run(args.redis, count, deployment, "given with --redis")
        with own_server(args.redis_server) as (url, pid):
            print(f"redis-server: started pid {pid} on {_where(url)} (no persistence)",
                  flush=True)
            return run(url, count, deployment, f"started by this script, pid {pid}")
    except ServerError as exc:
        print(f"redis_sizing: {exc}", file=sys.stderr)
        return 1
    except redis.RedisError as exc:
        where = _where(args.redis) if args.redis else "its own redis-server"
        print(f"redis_sizing: Redis at {where} failed: {exc}", file=sys.stderr)
        return 1


def run(url: str, count: int, deployment: Deployment, origin: str) -> int:
    client = redis.Redis.from_url(url, socket_timeout=60, socket_connect_timeout=10)
    try:
        server = client.info("server")
        memory = client.info("memory")
        started = time.monotonic()
        measured = measure_all(client, count)
        seconds = time.monotonic() - started
    finally:
        client.close()
    print(f"Redis {server['redis_version']} ({memory.get('mem_allocator', '?')}, "
          f"{server.get('arch_bits', '?')}-bit) at {_where(url)}, {origin}")
    print(f"{count:,} entries per structure, measured in {seconds:.1f} s\n")
    print("\n".join(table(measured)))
    print("\nbytes/entry: growth of INFO used_memory (less client buffers) over the entries "
          "written;\nMEMORY USAGE: the server's own estimate, summed over the structure's "
          f"keys ({measured[3].keys:,} worker hashes of {CONCURRENCY} for active).\n")
    print("\n".join(projection(measured, deployment)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
