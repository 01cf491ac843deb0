"""One crawl shared by many worker processes through Redis: who takes part, what each
has in hand, when the crawl is over.

Keys (all under ``PREFIX:JOB:``, see :mod:`archive.state.redisconn`):

``current``                   the id of the crawl workers join (absent between crawls)
``last``                      the id of the last crawl that finished
``crawl:ID:info``             hash: started, finished, finish_reason
``crawl:ID:requests``         sorted set: the frontier (scrapy-redis's priority queue)
``crawl:ID:dupefilter``       set: fingerprints of every request this crawl made
``crawl:ID:seen:KIND``        sets: first-come claims (articles, payloads) across workers
``crawl:ID:caps``             hash: requests enqueued, in all and per source
``crawl:ID:workers``          hash: worker tag -> JSON (host, pid, started, out)
``crawl:ID:status``           hash: worker tag -> running | finished | dead
``crawl:ID:alive:TAG``        string with a time to live, renewed by the worker's heartbeat
``crawl:ID:active:TAG``       hash: requests the worker took and has not finished
                              (id -> "SCORE MEMBER", so they can go back as they were)
``crawl:ID:progress:TAG``     hash: the worker's counts (pages, articles, ...)
``crawl:ID:counts``           hash: summed counts of the workers that finished
``crawl:ID:files``            list: manifest entries (JSON) of every finished worker's files

A request leaves the frontier and enters its taker's ``active`` hash in one step
(a Lua script), and leaves ``active`` only once the worker has dealt with it
completely. A worker whose heartbeat lapses is dead: any live worker moves its
active requests back to the frontier, so nothing it had in hand is lost. A
request the worker had in hand when Redis failed (its state, its links or its
claims may not have been written) goes back to the frontier too, once Redis
answers again, to be fetched again (:meth:`DistributedCrawl.hand_back`).

Nothing here imports Scrapy: requests are opaque strings to this module.
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, TypeVar

import redis

from archive.errors import RedisError
from archive.state.redisconn import DEFAULT_PREFIX, job_prefix, text


class WorkerStatus(StrEnum):
    """A worker's part in a crawl, as the ``status`` hash (and the Lua below) spell it."""

    RUNNING = "running"
    FINISHED = "finished"
    DEAD = "dead"  # its heartbeat lapsed and a live worker took back its requests
    SILENT = "silent"  # shown only: running, but its heartbeat lapsed


# The members under the names callers import (as ``re.IGNORECASE`` is ``re.RegexFlag``'s).

# What is left of a finished crawl (its info, counts and file list) stays this long,
# for `newsarchive workers` and for workers that arrive after the end.
FINISHED_CRAWL_TTL = 7 * 86_400

T = TypeVar("T")

# Pop the best request and hold it in the taker's active hash, in one step.
_TAKE = """
local popped = redis.call('ZPOPMIN', KEYS[1])
if #popped == 0 then return nil end
local id = redis.sha1hex(popped[1])
redis.call('HSET', KEYS[2], id, popped[2] .. ' ' .. popped[1])
return {id, popped[1]}
"""

# Move a worker's active requests back to the frontier, as they were.
_RETURN_BODY = """
local entries = redis.call('HGETALL', KEYS[1])
for i = 1, #entries, 2 do
  local value = entries[i + 1]
  local space = string.find(value, ' ', 1, true)
  redis.call('ZADD', KEYS[2], tonumber(string.sub(value, 1, space - 1)),
             string.sub(value, space + 1))
end
redis.call('DEL', KEYS[1])
"""
_RETURN = _RETURN_BODY + "return #entries / 2"

# The same for a dead worker (unless it came back to life meanwhile: then its alive
# key exists again and nothing moves), marked dead so that it stops if it returns.
_RECLAIM = """
if redis.call('EXISTS', KEYS[3]) == 1 then return -1 end
if redis.call('HGET', KEYS[4], ARGV[1]) ~= 'running' then return -1 end
""" + _RETURN_BODY + """
redis.call('HSET', KEYS[4], ARGV[1], 'dead')
return #entries / 2
"""

# Move some of this worker's active requests back to the frontier, as they were.
_HAND_BACK = """
local moved = 0
for i = 1, #ARGV do
  local value = redis.call('HGET', KEYS[1], ARGV[i])
  if value then
    local space = string.find(value, ' ', 1, true)
    redis.call('ZADD', KEYS[2], tonumber(string.sub(value, 1, space - 1)),
               string.sub(value, space + 1))
    redis.call('HDEL', KEYS[1], ARGV[i])
    moved = moved + 1
  end
end
return moved
"""

# Join the current crawl, or start one with the id offered; in the same step count
# this worker as running in it, so that no last worker can end the crawl in between.
_JOIN = """
local current = redis.call('GET', KEYS[1])
local created = 0
if not current then
  current = ARGV[1]
  created = 1
  redis.call('SET', KEYS[1], current)
end
local crawl = ARGV[2] .. 'crawl:' .. current .. ':'
redis.call('HSET', crawl .. 'status', ARGV[3], 'running')
redis.call('SET', crawl .. 'alive:' .. ARGV[3], '1', 'PX', ARGV[4])
return {current, created}
"""

# This worker is done. Is the crawl? Yes when no other worker runs, the frontier is
# empty and nobody holds a request; then it stops being current (new workers start
# a new crawl) and this worker, the last one, writes the crawl's manifest.
_LEAVE = """
redis.call('HSET', KEYS[1], ARGV[1], 'finished')
redis.call('DEL', KEYS[4] .. ARGV[1])
local status = redis.call('HGETALL', KEYS[1])
for i = 1, #status, 2 do
  if status[i + 1] == 'running' then return 0 end
  if redis.call('EXISTS', KEYS[5] .. status[i]) == 1 then return 0 end
end
-- At the page cap what is still queued was refused: the state's frontier keeps it
-- for the next run.
if ARGV[3] == '1' then redis.call('DEL', KEYS[2]) end
if redis.call('ZCARD', KEYS[2]) > 0 then return 0 end
if redis.call('GET', KEYS[3]) == ARGV[2] then redis.call('DEL', KEYS[3]) end
return 1
"""


class DistributedCrawl:
    """One worker's handle on the shared crawl of ``job``."""

    def __init__(self, client: redis.Redis, job: str, tag: str, *,
                 prefix: str = DEFAULT_PREFIX, heartbeat_ttl: float = 30.0,
                 clock: Callable[[], float] = time.time) -> None:
        self.client = client
        self.job = job
        self.tag = tag
        self.prefix = prefix
        self.base = job_prefix(job, prefix)
        self.heartbeat_ttl = heartbeat_ttl
        self.clock = clock
        self.crawl_id = ""
        self.created = False  # this worker started the crawl (others joined it)
        # Redis failures seen so far (any call, any part of the worker): a request
        # taken before the latest one may have lost what its handling wrote.
        self.errors = 0
        self.last_error = ""
        self._taken: dict[str, int] = {}  # request id -> self.errors when it was taken
        self._take = client.register_script(_TAKE)
        self._return = client.register_script(_RETURN)
        self._reclaim = client.register_script(_RECLAIM)
        self._join = client.register_script(_JOIN)
        self._hand_back = client.register_script(_HAND_BACK)
        self._leave = client.register_script(_LEAVE)

    # -- keys ---------------------------------------------------------------------------
    def key(self, name: str) -> str:
        """A key of this crawl: ``PREFIX:JOB:crawl:ID:name``."""
        return f"{self.base}crawl:{self.crawl_id}:{name}"

    @property
    def requests_key(self) -> str:
        return self.key("requests")

    @property
    def dupefilter_key(self) -> str:
        return self.key("dupefilter")

    def active_key(self, tag: str | None = None) -> str:
        return self.key(f"active:{tag or self.tag}")

    def alive_key(self, tag: str | None = None) -> str:
        return self.key(f"alive:{tag or self.tag}")

    # -- taking part ----------------------------------------------------------------------
    def join(self, proposed_id: str, info: Mapping[str, Any]) -> str:
        """Join the job's current crawl, or start one named ``proposed_id``; return its id."""
        crawl_id, created = self._call(self._join, keys=[self.base + "current"], args=[
            proposed_id, self.base, self.tag, int(self.heartbeat_ttl * 1000)])
        self.crawl_id = text(crawl_id)
        self.created = bool(created)
        details = {"host": socket.gethostname(), **info, "joined": _now()}
        pipe = self.client.pipeline()
        pipe.hsetnx(self.key("info"), "started", _now())
        pipe.hset(self.key("workers"), self.tag, json.dumps(details))
        self._run(pipe.execute)
        return self.crawl_id

    def heartbeat(self, progress: Mapping[str, Any]) -> bool:
        """Say this worker lives, with its counts. False when the others took it for dead
        (and gave its requests to someone else): it must stop at once."""
        pipe = self.client.pipeline()
        pipe.set(self.alive_key(), "1", px=int(self.heartbeat_ttl * 1000))
        self._progress(pipe, progress)
        pipe.hget(self.key("status"), self.tag)
        status = self._run(pipe.execute)[-1]
        return text(status) != WorkerStatus.DEAD

    def report(self, progress: Mapping[str, Any]) -> None:
        """The worker's last counts, as it stops."""
        pipe = self.client.pipeline()
        self._progress(pipe, progress)
        self._run(pipe.execute)

    def _progress(self, pipe: Any, progress: Mapping[str, Any]) -> None:
        pipe.hset(self.key(f"progress:{self.tag}"),
                  mapping={**{k: str(v) for k, v in progress.items()}, "updated": _now()})

    # -- the frontier ---------------------------------------------------------------------
    def take(self) -> tuple[str, bytes] | None:
        """The frontier's best request (its id, its encoded form), now held by this worker."""
        taken = self._call(self._take, keys=[self.requests_key, self.active_key()], args=[])
        if not taken:
            return None
        self._taken[text(taken[0])] = self.errors
        return text(taken[0]), taken[1]

    def done(self, ids: Iterable[str]) -> None:
        """This worker finished with these requests."""
        ids = list(ids)
        if ids:
            self._run(lambda: self.client.hdel(self.active_key(), *ids))
            for request_id in ids:
                self._taken.pop(request_id, None)

    def touched_by_failure(self, ids: Iterable[str]) -> set[str]:
        """The requests among ``ids`` that were in this worker's hands when Redis failed
        (or that it cannot place): what their handling wrote may be lost."""
        return {i for i in ids if self._taken.get(i, -1) < self.errors}

    def hand_back(self, ids: Iterable[str]) -> int:
        """Put these requests back in the frontier, as they were, to be fetched again."""
        ids = list(ids)
        if not ids:
            return 0
        moved = self._call(self._hand_back, keys=[self.active_key(), self.requests_key],
                           args=ids)
        for request_id in ids:
            self._taken.pop(request_id, None)
        return int(moved)

    def note_error(self, exc: BaseException) -> None:
        """A Redis call failed, here or in the job's state (RedisCrawlState's on_error)."""
        self.errors += 1
        self.last_error = str(exc).splitlines()[0] if str(exc) else type(exc).__name__

    def in_hand(self) -> set[str]:
        return {text(k) for k in self._run(lambda: self.client.hkeys(self.active_key()))}

    def frontier_size(self) -> int:
        return int(self._run(lambda: self.client.zcard(self.requests_key)))

    def reclaim_dead(self) -> dict[str, int]:
        """Move the requests of workers whose heartbeat lapsed back to the frontier:
        worker tag -> how many."""
        status = self._run(lambda: self.client.hgetall(self.key("status")))
        moved = {}
        for tag, state in ((text(t), text(s)) for t, s in status.items()):
            if state != WorkerStatus.RUNNING or tag == self.tag:
                continue
            count = self._call(self._reclaim, keys=[
                self.active_key(tag), self.requests_key, self.alive_key(tag), self.key("status")],
                args=[tag])
            if count >= 0:
                moved[tag] = int(count)
        return moved

    def idle(self) -> bool:
        """Nothing queued and nothing in anyone's hands: the crawl has nothing left."""
        status = self._run(lambda: self.client.hgetall(self.key("status")))
        pipe = self.client.pipeline()
        pipe.zcard(self.requests_key)
        for tag in status:
            pipe.hlen(self.active_key(text(tag)))
        counts = self._run(pipe.execute)
        return not any(counts)

    # -- shared counters and claims -------------------------------------------------------
    def claim(self, kind: str, key: str | bytes) -> bool:
        """True for the first worker to claim ``key`` of ``kind`` in this crawl."""
        return bool(self._run(lambda: self.client.sadd(self.key(f"seen:{kind}"), key)))

    def claimed(self, kind: str, key: str | bytes) -> bool:
        return bool(self._run(lambda: self.client.sismember(self.key(f"seen:{kind}"), key)))

    def count_enqueued(self, source: str | None) -> None:
        pipe = self.client.pipeline()
        pipe.hincrby(self.key("caps"), "", 1)
        if source:
            pipe.hincrby(self.key("caps"), f"source:{source}", 1)
        self._run(pipe.execute)

    def enqueued(self, source: str | None = None) -> int:
        field_ = f"source:{source}" if source else ""
        return int(self._run(lambda: self.client.hget(self.key("caps"), field_)) or 0)

    # -- the end --------------------------------------------------------------------------
    def leave(self, files: list[dict[str, Any]], counts: Mapping[str, Any], *,
              capped: bool = False) -> bool:
        """This worker is done: add its files and counts to the crawl's. True when it is the
        last one out (the crawl is over and it writes the crawl's manifest). ``capped``:
        the crawl reached its page cap, so requests still queued do not keep it open."""
        self.reclaim_dead()  # a dead worker's requests are work left, not the end
        pipe = self.client.pipeline()
        if files:
            pipe.rpush(self.key("files"), *(json.dumps({**f, "worker": self.tag})
                                            for f in files))
        for name, value in counts.items():
            if isinstance(value, int) and not isinstance(value, bool) and value:
                pipe.hincrby(self.key("counts"), name, value)
        self._run(pipe.execute)
        # What it still held was never dealt with (a stop signal dropped it): back it goes.
        self._call(self._return, keys=[self.active_key(), self.requests_key], args=[])
        last = self._call(self._leave, keys=[
            self.key("status"), self.requests_key, self.base + "current",
            self.key("alive:"), self.key("active:")],
            args=[self.tag, self.crawl_id, "1" if capped else "0"])
        return bool(last)

    def info(self) -> dict[str, str]:
        return {text(k): text(v) for k, v in
                self._run(lambda: self.client.hgetall(self.key("info"))).items()}

    def crawl_files(self) -> list[dict[str, Any]]:
        return [json.loads(raw) for raw in
                self._run(lambda: self.client.lrange(self.key("files"), 0, -1))]

    def crawl_counts(self) -> dict[str, int]:
        return {text(k): int(v) for k, v in
                self._run(lambda: self.client.hgetall(self.key("counts"))).items()}

    def workers(self) -> dict[str, dict[str, Any]]:
        """Every worker that took part: tag -> what it said of itself, and its status."""
        pipe = self.client.pipeline()
        pipe.hgetall(self.key("workers"))
        pipe.hgetall(self.key("status"))
        joined, status = self._run(pipe.execute)
        return {text(tag): {**json.loads(raw), "status": text(status.get(tag, b"?"))}
                for tag, raw in joined.items()}

    def close_crawl(self, finish_reason: str) -> None:
        """The last worker wrote the manifest: drop the crawl's working keys, keep its
        record (info, counts, files, workers) for a week."""
        record = {self.key(name) for name in ("info", "counts", "files", "workers", "status")}
        every = {text(k) for k in self._run(lambda: list(self.client.scan_iter(
            match=self.key("*"), count=1000)))}
        keep = record | {k for k in every if k.startswith(self.key("progress:"))}
        working = sorted(every - keep)
        pipe = self.client.pipeline()
        pipe.hset(self.key("info"), mapping={"finished": _now(),
                                             "finish_reason": finish_reason})
        if working:
            pipe.delete(*working)
        for name in keep:
            pipe.expire(name, FINISHED_CRAWL_TTL)
        pipe.set(self.base + "last", self.crawl_id, ex=FINISHED_CRAWL_TTL)
        self._run(pipe.execute)

    # -- plumbing -------------------------------------------------------------------------
    def _call(self, script: Any, *, keys: list[str], args: list[Any]) -> Any:
        return self._run(lambda: script(keys=keys, args=args))

    def _run(self, call: Callable[[], T]) -> T:
        try:
            return call()
        except redis.RedisError as exc:
            self.note_error(exc)
            raise RedisError(f"Redis failed during the distributed crawl of job {self.job}: "
                             f"{exc}") from exc


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
