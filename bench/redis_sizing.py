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
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import redis

SEED = 1729
DEFAULT_SERVER = "/usr/bin/redis-server"
QUICK_URLS = 5000
BATCH = 250  # commands per pipeline: small, so the server's query buffer stays small
CONCURRENCY = 32  # CONCURRENT_REQUESTS (crawler/settings.py): one worker's requests in flight
HOSTS = ("www.example-news.com", "www.harbour-gazette.example", "www.abendblatt.example",
         "www.lequotidien.example", "www.diariosur.example", "www.asiawire.example")
SECTIONS = ("politics", "business", "sport", "culture", "science", "world", "local")
WORDS = ("minister", "council", "budget", "harbour", "ferry", "strike", "election", "floods",
         "warning", "season", "record", "court", "ruling", "hospital", "schools", "talks",
         "league", "final", "museum", "opens", "new", "plan", "after", "years", "city",
         "rail", "fares", "rise", "again", "report", "finds", "delays", "storm", "coast")
START = datetime(2026, 11, 1, tzinfo=UTC).timestamp()
MiB, GiB = 1024**2, 1024**3


# -- synthetic entries ---------------------------------------------------------------
class Entries:
    """Realistic values for every structure; entry ``i`` is the same on every run."""

    def __init__(self, seed: int = SEED) -> None:
        self.rng = random.Random(seed)

    def url(self, i: int) -> str:
        rng = self.rng
        host = rng.choice(HOSTS)
        day = datetime.fromtimestamp(START + rng.uniform(0, 30 * 86_400), UTC)
        head = f"https://{host}/{day:%Y/%m/%d}/{rng.choice(SECTIONS)}/"
        words = [rng.choice(WORDS) for _ in range(rng.randint(4, 12))]
        while len(head) + len("-".join(words)) + 12 > 120:
            words.pop()
        while len(head) + len("-".join(words)) + 12 < 70:
            words.append(rng.choice(WORDS))
        return f"{head}{'-'.join(words)}-{100_000 + i}.html"

    def fingerprint(self, url: str) -> str:
        return hashlib.sha1(f"GET {url}".encode()).hexdigest()

    def request(self, url: str) -> dict[str, object]:
        """A Scrapy request as ``Request.to_dict`` gives it (stored as compact JSON)."""
        host = urlsplit(url).hostname or ""
        priority = self.rng.choice((0, 10, 20))
        return {"url": url, "callback": "parse", "errback": None, "headers": {},
                      "body": "", "cookies": {},
                      "meta": {"source": host.removeprefix("www.").split(".")[0],
                               "download_slot": f"{host}:443",
                               "depth": self.rng.randint(1, 4), "discovered": True},
                      "encoding": "utf-8", "flags": [], "cb_kwargs": {},
                      "dont_filter": False, "method": "GET", "priority": priority}

    def moment(self) -> float:
        return round(START + self.rng.uniform(0, 30 * 86_400), 6)

    def _warc(self) -> dict[str, object]:
        stamp = datetime.fromtimestamp(self.moment(), UTC)
        source = self.rng.choice(HOSTS).removeprefix("www.").split(".")[0]
        name = (f"warc/{source}/{source}-{stamp:%Y%m%d%H%M%S%f}"[:-3]
                + f"-{self.rng.randint(0, 999):05d}-crawler-{self.rng.randint(1, 16):02d}.warc.gz")
        return {"file": name, "offset": self.rng.randint(0, 999_000_000),
                "length": self.rng.randint(8_000, 120_000),
                "record_id": f"<urn:uuid:{uuid.UUID(int=self.rng.getrandbits(128), version=4)}>"}

    def payload_digest(self) -> str:
        return "sha1:" + base64.b32encode(self.rng.randbytes(20)).decode()

    def page(self, url: str) -> str:
        warc = self._warc()
        first = self.moment()
        etag = f'"{self.rng.randbytes(8).hex()}"' if self.rng.random() < 0.6 else None
        modified = (datetime.fromtimestamp(first - 600, UTC).strftime("%a, %d %b %Y %H:%M:%S GMT")
                    if self.rng.random() < 0.5 else None)
        return _json({"url": url, "status": 200, "payload_digest": self.payload_digest(),
                      "etag": etag, "last_modified": modified, "first_fetched": first,
                      "last_fetched": round(first + self.rng.uniform(0, 3 * 86_400), 6),
                      "record_id": warc["record_id"],
                      "warc_date": datetime.fromtimestamp(first, UTC).isoformat()
                      .replace("+00:00", "Z"),
                      "warc_file": warc["file"], "warc_offset": warc["offset"],
                      "warc_length": warc["length"], "article_key": url})

    def article(self, url: str) -> str:
        first = self.moment()
        return _json({"canonical_url": url, "source": urlsplit(url).hostname,
                      "version": self.rng.choice((1, 1, 1, 2)),
                      "content_digest": self.rng.randbytes(20).hex(),
                      "payload_digest": self.payload_digest(), "first_seen": first,
                      "last_checked": round(first + 7_200.5, 6),
                      "last_changed": first, "published": round(first - 900.25, 6),
                      "unchanged_checks": self.rng.randint(0, 5),
                      "fetched_at": datetime.fromtimestamp(first, UTC).isoformat(),
                      "warc": self._warc()})

    def pending(self, url: str) -> str:
        return _json({"url": url, "source": urlsplit(url).hostname,
                      "added": self.moment(), "attempts": self.rng.randint(0, 3)})


def _json(value: object) -> str:
    return json.dumps(value, separators=(",", ":"))


# -- the structures --------------------------------------------------------------------
Writer = Callable[[redis.client.Pipeline, str, int, Entries], int]  # returns payload bytes


@dataclass(frozen=True)
class Structure:
    name: str  # the key after newsarchive:JOB:
    kind: str
    write: Writer


def _requests(pipe, key, i, entries):
    request = entries.request(entries.url(i))
    member = _json(request)
    pipe.zadd(key, {member: -request["priority"]})  # as scrapy-redis scores them
    return len(member)


def _dupefilter(pipe, key, i, entries):
    pipe.sadd(key, member := entries.fingerprint(entries.url(i)))
    return len(member)


def _seen(pipe, key, i, entries):
    pipe.sadd(key, member := entries.url(i))
    return len(member)


def _active(pipe, key, i, entries):
    # One hash per worker, each with one worker's requests in flight.
    url = entries.url(i)
    field, value = entries.fingerprint(url), _json(entries.request(url))
    pipe.hset(key.replace("TAG", f"w{i // CONCURRENCY:05d}"), field, value)
    return len(field) + len(value)


def _hash(make: Callable[[Entries, str], str]) -> Writer:
    def write(pipe, key, i, entries):
        url = entries.url(i)
        pipe.hset(key, url, value := make(entries, url))
        return len(url) + len(value)
    return write


def _born(pipe, key, i, entries):
    url = entries.url(i)
    pipe.zadd(key, {url: entries.moment()})
    return len(url) + 8  # and its score, a double


STRUCTURES = (
    Structure("crawl:ID:requests", "sorted set", _requests),
    Structure("crawl:ID:dupefilter", "set", _dupefilter),
    Structure("crawl:ID:seen:articles", "set", _seen),
    Structure("crawl:ID:worker:TAG:active", "hash", _active),
    Structure("state:pages", "hash", _hash(Entries.page)),
    Structure("state:articles", "hash", _hash(Entries.article)),
    Structure("state:born", "sorted set", _born),
    Structure("state:frontier", "hash", _hash(Entries.pending)),
)


@dataclass(frozen=True)
class Measured:
    structure: Structure
    entries: int
    payload: float  # bytes of member/field and value per entry
    used: float  # bytes per entry: growth of used_memory without client buffers
    usage: float  # bytes per entry: MEMORY USAGE key SAMPLES 0, summed over its keys
    keys: int


def dataset_memory(client: redis.Redis) -> int:
    """used_memory without client buffers (they come and go with each pipeline)."""
    info = client.info("memory")
    return int(info["used_memory"]) - int(info.get("mem_clients_normal", 0))


def settled_memory(client: redis.Redis, timeout: float = 10.0) -> int:
    """The memory once the server has finished rehashing and trimming: a growing hash
    table keeps its old table until incremental rehashing (serverCron) is done."""
    last, steady, deadline = dataset_memory(client), 0, time.monotonic() + timeout
    while steady < 3 and time.monotonic() < deadline:
        time.sleep(0.1)
        now = dataset_memory(client)
        steady = steady + 1 if now == last else 0
        last = now
    return last


def measure(client: redis.Redis, prefix: str, structure: Structure, count: int) -> Measured:
    key = prefix + structure.name.replace("ID", "20261129T100000Z")
    entries = Entries()
    before = settled_memory(client)
    payload = 0
    for start in range(0, count, BATCH):
        pipe = client.pipeline(transaction=False)
        for i in range(start, min(count, start + BATCH)):
            payload += structure.write(pipe, key, i, entries)
        pipe.execute()
    used = settled_memory(client) - before
    keys = list(client.scan_iter(match=key.replace("TAG", "*"), count=1000))
    pipe = client.pipeline(transaction=False)
    for name in keys:
        pipe.memory_usage(name, samples=0)
    usage = sum(pipe.execute())
    return Measured(structure, count, payload / count, used / count, usage / count, len(keys))


def measure_all(client: redis.Redis, count: int) -> list[Measured]:
    prefix = f"newsarchive:redis-sizing-{uuid.uuid4().hex[:8]}:"
    try:
        return [measure(client, prefix, structure, count) for structure in STRUCTURES]
    finally:
        for name in client.scan_iter(match=prefix + "*", count=1000):
            client.unlink(name)


# -- the projection ----------------------------------------------------------------------
@dataclass(frozen=True)
class Deployment:
    articles_per_day: int
    pages_per_article: float
    runs_per_day: int
    recheck_days: float
    page_days: float | None  # None: every page ever seen is kept
    workers: int


def projection(measured: list[Measured], d: Deployment) -> list[str]:
    cost = {m.structure.name: m.used for m in measured}
    pages_day = d.articles_per_day * d.pages_per_article
    run_requests = pages_day / d.runs_per_day
    run_articles = d.articles_per_day / d.runs_per_day
    in_flight = d.workers * CONCURRENCY
    kept_articles = d.articles_per_day * d.recheck_days
    article_cost = cost["state:articles"] + cost["state:born"]
    run = {"crawl:ID:requests": run_requests, "crawl:ID:dupefilter": run_requests,
           "crawl:ID:seen:articles": run_articles, "crawl:ID:worker:TAG:active": in_flight}
    run_peak = sum(cost[name] * n for name, n in run.items())
    bounded = kept_articles * article_cost + run_requests * cost["state:frontier"]
    page_growth = pages_day * cost["state:pages"]
    floor = d.articles_per_day * cost["state:pages"]  # each article's own URL is new
    kept_pages = ("every page ever seen (grows without end)" if d.page_days is None
                  else f"{d.page_days:g} days, then pruned")
    lines = [
        f"Projection: {d.articles_per_day:,} articles/day, {d.pages_per_article:g} pages "
        f"fetched per article, {d.runs_per_day} runs/day, {d.workers} workers",
        "  assumptions:",
        f"    pages fetched a day        {pages_day:,.0f}; each counted as a new URL in "
        "state:pages (an upper bound: listings re-fetched every run are one URL)",
        f"    one run                    1/{d.runs_per_day} of a day: {run_requests:,.0f} "
        f"requests, {run_articles:,.0f} articles; its keys deleted when it ends",
        "    frontier peak              every request of the run queued at once (upper bound)",
        f"    in flight                  {d.workers} workers x {CONCURRENCY} "
        f"(CONCURRENT_REQUESTS) = {in_flight:,} requests",
        f"    articles kept              {d.recheck_days:g} days (the re-check window): "
        f"{kept_articles:,.0f} in state:articles and state:born",
        "    state:frontier             at most one run's requests carried over",
        f"    pages kept                 {kept_pages}",
        "  per-run peak (crawl:ID:*):",
    ]
    lines += [f"    {name:<28}{n:>12,.0f} x {cost[name]:>6.0f} B = {_size(cost[name] * n)}"
              for name, n in run.items()]
    lines += [
        f"    {'total':<28}{'':>23}{_size(run_peak)}",
        "  state, bounded (state:articles + state:born, state:frontier):",
        f"    {'articles re-checked':<28}{kept_articles:>12,.0f} x {article_cost:>6.0f} B = "
        f"{_size(kept_articles * article_cost)}",
        f"    {'frontier carried over':<28}{run_requests:>12,.0f} x "
        f"{cost['state:frontier']:>6.0f} B = {_size(run_requests * cost['state:frontier'])}",
        "  state, growing (state:pages):",
        f"    {'pages a day':<28}{pages_day:>12,.0f} x {cost['state:pages']:>6.0f} B = "
        f"{_size(page_growth)}/day = {_size(page_growth * 365)}/year",
        f"    {'(at least: new articles)':<28}{d.articles_per_day:>12,} x "
        f"{cost['state:pages']:>6.0f} B = {_size(floor)}/day = {_size(floor * 365)}/year",
    ]
    if d.page_days is None:
        year = run_peak + bounded + page_growth * 365
        lines += [
            f"  if articles are never pruned either: + {_size(d.articles_per_day * article_cost)}"
            f"/day = {_size(d.articles_per_day * article_cost * 365)}/year",
            f"projection: per-run peak {_size(run_peak)}; state {_size(bounded)} bounded + "
            f"{_size(page_growth)}/day ({_size(page_growth * 365)}/year); "
            f"Redis memory after one year {_size(year)}",
        ]
    else:
        plateau = run_peak + bounded + page_growth * d.page_days
        lines.append(f"projection: per-run peak {_size(run_peak)}; state {_size(bounded)} "
                     f"bounded + {_size(page_growth)}/day for {d.page_days:g} days; Redis "
                     f"memory at most {_size(plateau)}")
    lines.append("  (used_memory only: leave room for fragmentation and for the fork of "
                 "AOF rewrites, which copies pages written meanwhile)")
    return lines


def _size(n: float) -> str:
    return f"{n / GiB:,.2f} GiB" if n >= GiB else f"{n / MiB:,.1f} MiB"


def table(measured: list[Measured]) -> list[str]:
    lines = [f"{'structure (newsarchive:JOB:...)':<32}{'type':<12}{'entries':>9}"
             f"{'payload':>9}{'bytes/entry':>15}{'MEMORY USAGE':>14}",
             f"{'':<53}{'B/entry':>9}{'(used_memory)':>15}{'B/entry':>14}"]
    for m in measured:
        lines.append(f"{m.structure.name:<32}{m.structure.kind:<12}{m.entries:>9,}"
                     f"{m.payload:>9.0f}{m.used:>15.0f}{m.usage:>14.0f}")
    return lines


# -- the server ----------------------------------------------------------------------------
class ServerError(Exception):
    pass


@contextmanager
def own_server(binary: str) -> Iterator[tuple[str, int]]:
    """A redis-server of our own on 127.0.0.1: its URL and pid, stopped however we leave."""
    if not Path(binary).is_file():
        raise ServerError(f"cannot start redis-server: {binary} not found (Debian: apt-get "
                          "install redis-server), or pass --redis URL")
    with tempfile.TemporaryDirectory(prefix="redis-sizing-") as workdir:
        port = _free_port()
        try:
            process = subprocess.Popen(
                [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "",
                 "--appendonly", "no", "--dir", workdir, "--protected-mode", "yes",
                 "--loglevel", "warning", "--logfile", str(Path(workdir) / "redis.log")],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        except OSError as exc:
            raise ServerError(f"cannot start redis-server {binary}: {exc}") from None
        try:
            _wait_ready(process, port, Path(workdir) / "redis.log")
            yield f"redis://127.0.0.1:{port}/0", process.pid
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_ready(process: subprocess.Popen, port: int, log: Path, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            said = log.read_text(errors="replace").strip().splitlines() if log.exists() else []
            raise ServerError(f"redis-server exited with {process.returncode} at start"
                              + (f": {said[-1]}" if said else ""))
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                if sock.recv(16).startswith(b"+PONG"):
                    return
        except OSError:
            time.sleep(0.05)
    raise ServerError(f"redis-server did not answer on 127.0.0.1:{port} within {timeout:g} s")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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
