"""The structures a distributed crawl keeps in Redis, filled with synthetic entries,
and what each entry costs by the server's own accounting."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import redis

from bench._redis_sizing.entries import Entries, compact_json

BATCH = 250  # commands per pipeline: small, so the server's query buffer stays small
CONCURRENCY = 32  # CONCURRENT_REQUESTS (crawler/settings.py): one worker's requests in flight

Writer = Callable[[redis.client.Pipeline, str, int, Entries], int]  # returns payload bytes


@dataclass(frozen=True)
class Structure:
    name: str  # the key after newsarchive:JOB:
    kind: str
    write: Writer


def _requests(pipe, key, i, entries):
    request = entries.request(entries.url(i))
    member = compact_json(request)
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
    field, value = entries.fingerprint(url), compact_json(entries.request(url))
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


def table(measured: list[Measured]) -> list[str]:
    lines = [f"{'structure (newsarchive:JOB:...)':<32}{'type':<12}{'entries':>9}"
             f"{'payload':>9}{'bytes/entry':>15}{'MEMORY USAGE':>14}",
             f"{'':<53}{'B/entry':>9}{'(used_memory)':>15}{'B/entry':>14}"]
    for m in measured:
        lines.append(f"{m.structure.name:<32}{m.structure.kind:<12}{m.entries:>9,}"
                     f"{m.payload:>9.0f}{m.used:>15.0f}{m.usage:>14.0f}")
    return lines
