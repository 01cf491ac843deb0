"""One job's incremental state in Redis, shared by the workers of a distributed crawl.

A drop-in replacement for :class:`archive.state.crawlstate.CrawlState` (same methods,
same answers) whose keys all start with ``PREFIX:JOB:state:``:

* ``pages`` (hash): url_key -> the page as compact JSON.
* ``articles`` (hash): article_key -> the article as compact JSON.
* ``born`` (sorted set): article_key scored by its birth (published, else first
  seen), so :meth:`~RedisCrawlState.due_articles` reads only young articles.
* ``captures:WARC_FILE`` (list, one per WARC file): the url_keys whose capture
  went into that file, so :meth:`~RedisCrawlState.forget_captures_beyond` reads
  only that file's pages. A list costs half a sorted set per URL; a page since
  captured elsewhere stays listed, and is told apart by its row.
* ``frontier`` (hash): url_key -> the pending URL as JSON.
* ``runs`` (hash): crawl_id -> the run as JSON.
* ``version`` (string): the layout version, so an older newsarchive refuses a newer one.

Many workers write at once, so every read-modify-write is one Lua script, which
Redis runs atomically. The scripts write JSON with their own small encoder:
Redis's ``cjson.encode`` escapes every ``/`` of a URL and keeps only 14 digits
of a timestamp. Fields that are None are left out; a page's or article's own
URL, and a page's article when it is the page itself, are left out too: most
rows would repeat their key. Writes go straight to Redis, so there is nothing
to commit.

Every script names the keys it touches, so on Redis Cluster a prefix with a hash
tag (``{newsarchive}``) keeps a job's keys in one slot.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import redis

from archive.errors import StateError
from archive.state.crawlstate import (
    MAX_FRONTIER_ATTEMPTS,
    KnownArticle,
    KnownPage,
    PendingUrl,
    known_article,
    known_page,
)
from archive.state.recrawl import RecrawlPolicy
from archive.state.redisconn import DEFAULT_PREFIX, job_prefix
from archive.warc.exchange import RecordLocation

LAYOUT_VERSION = 1
# Articles read per round trip by due_articles.
_BATCH = 5_000

# Short JSON field -> CrawlState column.
_PAGE_FIELDS = {"u": "url", "s": "status", "d": "payload_digest", "e": "etag",
                "m": "last_modified", "f": "first_fetched", "l": "last_fetched",
                "r": "record_id", "w": "warc_date", "wf": "warc_file", "o": "warc_offset",
                "n": "warc_length", "a": "article_key"}
_ARTICLE_FIELDS = {"u": "canonical_url", "s": "source", "v": "version",
                   "c": "content_digest", "d": "payload_digest", "f": "first_seen",
                   "lc": "last_checked", "lx": "last_changed", "p": "published",
                   "uc": "unchanged_checks", "t": "fetched_at", "w": "warc"}

# JSON out of Lua: exact numbers (the shortest form that reads back the same) and
# no escaped slashes. Values are strings, numbers, booleans, cjson.null and tables.
_LUA_ENCODE = r"""
local ESC = {['"'] = '\\"', ['\\'] = '\\\\', ['\b'] = '\\b', ['\f'] = '\\f',
             ['\n'] = '\\n', ['\r'] = '\\r', ['\t'] = '\\t'}
local function str(s)
  return '"' .. (string.gsub(s, '[%c"\\]', function(c)
    return ESC[c] or string.format('\\u%04x', string.byte(c)) end)) .. '"'
end
local function num(x)
  if x == math.floor(x) and math.abs(x) < 1e15 then return string.format('%d', x) end
  for p = 15, 16 do
    local s = string.format('%.' .. p .. 'g', x)
    if tonumber(s) == x then return s end
  end
  return string.format('%.17g', x)
end
local enc
enc = function(v)
  local t = type(v)
  if t == 'string' then return str(v) end
  if t == 'number' then return num(v) end
  if t == 'boolean' then return tostring(v) end
  if t ~= 'table' then return 'null' end
  local parts = {}
  if #v > 0 then
    for i = 1, #v do parts[i] = enc(v[i]) end
    return '[' .. table.concat(parts, ',') .. ']'
  end
  for k, x in pairs(v) do parts[#parts + 1] = str(k) .. ':' .. enc(x) end
  return '{' .. table.concat(parts, ',') .. '}'
end
"""

# KEYS: pages, the captures of the location's file (or pages again). ARGV: url_key, the
# new fields {u,s,d,e,m}, the location {r,w,wf,o,n} or '', now.
_RECORD_FETCH = _LUA_ENCODE + r"""
local key, new, now = ARGV[1], cjson.decode(ARGV[2]), tonumber(ARGV[4])
local raw = redis.call('HGET', KEYS[1], key)
local p = new
if raw then
  p = cjson.decode(raw)
  p.u, p.s = new.u, new.s
  if new.e ~= nil then p.e = new.e end
  if new.m ~= nil then p.m = new.m end
  if new.d ~= nil then p.d = new.d end
else
  p.f = now
end
p.l = now
if ARGV[3] ~= '' then
  local loc = cjson.decode(ARGV[3])
  if p.wf ~= loc.wf then redis.call('RPUSH', KEYS[2], key) end
  p.r, p.w, p.wf, p.o, p.n = loc.r, loc.w, loc.wf, loc.o, loc.n
  p.e, p.m = new.e, new.m
end
redis.call('HSET', KEYS[1], key, enc(p))
"""

# KEYS: a hash. ARGV: field, then name/value pairs to set in its JSON if it exists.
_UPDATE = _LUA_ENCODE + r"""
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return 0 end
local v = cjson.decode(raw)
for i = 2, #ARGV, 2 do v[ARGV[i]] = ARGV[i + 1] end
redis.call('HSET', KEYS[1], ARGV[1], enc(v))
return 1
"""

# KEYS: pages, captures of one WARC file. ARGV: the size kept, the WARC file.
_FORGET = _LUA_ENCODE + r"""
local size, changed, kept = tonumber(ARGV[1]), 0, 0
for _, key in ipairs(redis.call('LRANGE', KEYS[2], 0, -1)) do
  local raw = redis.call('HGET', KEYS[1], key)
  if raw then
    local p = cjson.decode(raw)
    if p.wf == ARGV[2] and p.o + p.n > size then
      p.r, p.w, p.wf, p.o, p.n, p.d, p.e, p.m = nil, nil, nil, nil, nil, nil, nil, nil
      redis.call('HSET', KEYS[1], key, enc(p))
      changed = changed + 1
    elseif p.wf == ARGV[2] then
      kept = kept + 1
    end
  end
end
if kept == 0 then redis.call('DEL', KEYS[2]) end
return changed
"""

# KEYS: articles, born. ARGV: article_key, the new article (without f), now.
_RECORD_VERSION = _LUA_ENCODE + r"""
local a = cjson.decode(ARGV[2])
a.f = tonumber(ARGV[3])
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if raw then
  local old = cjson.decode(raw)
  a.f = old.f
  if a.p == nil then a.p = old.p end
end
redis.call('HSET', KEYS[1], ARGV[1], enc(a))
redis.call('ZADD', KEYS[2], num(a.p or a.f), ARGV[1])
"""

# KEYS: articles. ARGV: article_key, now.
_UNCHANGED = _LUA_ENCODE + r"""
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return 0 end
local a = cjson.decode(raw)
a.lc = tonumber(ARGV[2])
a.uc = (a.uc or 0) + 1
redis.call('HSET', KEYS[1], ARGV[1], enc(a))
return 1
"""

# KEYS: frontier. ARGV: the attempts after which a URL is dropped.
# Returns url_key, JSON, url_key, JSON... of the URLs kept.
_TAKE_PENDING = _LUA_ENCODE + r"""
local all, kept, most = redis.call('HGETALL', KEYS[1]), {}, tonumber(ARGV[1])
for i = 1, #all, 2 do
  local u = cjson.decode(all[i + 1])
  u.n = (u.n or 0) + 1
  if u.n > most then
    redis.call('HDEL', KEYS[1], all[i])
  else
    local value = enc(u)
    redis.call('HSET', KEYS[1], all[i], value)
    table.insert(kept, all[i])
    table.insert(kept, value)
  end
end
return kept
"""

# KEYS: runs. ARGV: crawl_id, started, pid. Every worker of a distributed crawl
# begins the same run: it is never killed by itself, and keeps its first start.
# Returns crawl_id, started... of the other runs that never finished.
_BEGIN_RUN = _LUA_ENCODE + r"""
local all, killed, run = redis.call('HGETALL', KEYS[1]), {}, nil
for i = 1, #all, 2 do
  local r = cjson.decode(all[i + 1])
  if all[i] == ARGV[1] then
    run = r
  elseif r.finished == nil and r.reason == nil then
    r.reason = 'killed'
    redis.call('HSET', KEYS[1], all[i], enc(r))
    table.insert(killed, all[i])
    table.insert(killed, r.started or '')
  end
end
local started = ARGV[2]
if run and run.started then started = run.started end
redis.call('HSET', KEYS[1], ARGV[1], enc({pid = tonumber(ARGV[3]), started = started}))
return killed
"""


class RedisCrawlState:
    """One job's state in Redis; safe to use from many threads and processes at once."""

    def __init__(self, client: redis.Redis, job: str, *, prefix: str = DEFAULT_PREFIX,
                 clock: Callable[[], float] = time.time) -> None:
        self.client = client
        self.clock = clock
        self.prefix = job_prefix(job, prefix) + "state:"
        self.server = _server(client)
        self._pages, self._articles = self.prefix + "pages", self.prefix + "articles"
        self._born, self._frontier = self.prefix + "born", self.prefix + "frontier"
        self._runs, self._captures = self.prefix + "runs", self.prefix + "captures:"
        script = client.register_script
        self._record_fetch, self._update = script(_RECORD_FETCH), script(_UPDATE)
        self._forget, self._record_version = script(_FORGET), script(_RECORD_VERSION)
        self._unchanged, self._take_pending = script(_UNCHANGED), script(_TAKE_PENDING)
        self._begin_run = script(_BEGIN_RUN)
        with self._redis("open"):
            pipe = client.pipeline(transaction=False)
            pipe.set(self.prefix + "version", LAYOUT_VERSION, nx=True)
            pipe.get(self.prefix + "version")
            version = pipe.execute()[1]
        if not _text(version).isdigit() or int(version) > LAYOUT_VERSION:
            raise StateError(f"the job state in Redis at {self.server} ({self.prefix}*) was "
                             f"written by a newer newsarchive (layout {_text(version)}); "
                             "upgrade newsarchive on every worker")

    @contextmanager
    def _redis(self, action: str) -> Iterator[None]:
        where = f"the job state in Redis at {self.server} ({self.prefix}*)"
        try:
            yield
        except (redis.ConnectionError, redis.TimeoutError) as exc:
            raise StateError(f"cannot {action} {where}: {_line(exc)}; check that "
                             "redis-server runs there and the --redis URL") from exc
        except redis.RedisError as exc:
            raise StateError(f"cannot {action} {where}: Redis answered {_line(exc)}; check "
                             "its log and memory limit (maxmemory), and that nothing else "
                             "writes these keys") from exc
        except ValueError as exc:  # JSON that is not ours
            raise StateError(f"cannot {action} {where}: a damaged entry ({_line(exc)}); "
                             "delete those keys to start the job afresh") from exc

    def commit(self) -> None:
        """Nothing to do: every write went straight to Redis."""

    def close(self) -> None:
        """Nothing to do: the client is the caller's, and may be shared."""

    # -- runs --------------------------------------------------------------------------
    def begin_run(self, crawl_id: str, started: str, pid: int) -> list[str]:
        """Record a run's start; return the other runs that never finished (killed)."""
        with self._redis("update"):
            flat = [_text(v) for v in self._begin_run(keys=[self._runs],
                                                      args=[crawl_id, started, pid])]
        killed = sorted(zip(flat[1::2], flat[::2], strict=True))  # by start, as CrawlState
        return [killed_id for _, killed_id in killed]

    def end_run(self, crawl_id: str, finished: str, reason: str) -> None:
        with self._redis("update"):
            self._update(keys=[self._runs],
                         args=[crawl_id, "finished", finished, "reason", reason])

    # -- pages -------------------------------------------------------------------------
    def page(self, url_key: str) -> KnownPage | None:
        with self._redis("read"):
            raw = self.client.hget(self._pages, url_key)
            return None if raw is None else known_page(_page_row(url_key, raw))

    def record_fetch(self, url_key: str, url: str, *, status: int,
                     payload_digest: str | None, etag: str | None,
                     last_modified: str | None, location: RecordLocation | None,
                     warc_date: str | None) -> None:
        """A page was fetched. ``location`` is its new full response record; None for a
        revisit (the page keeps pointing at the record the revisit refers to)."""
        new = _compact({"u": None if url == url_key else url, "s": status,
                        "d": payload_digest, "e": etag, "m": last_modified})
        loc = "" if location is None else _compact(
            {"r": location.record_id, "w": warc_date, "wf": location.file,
             "o": location.offset, "n": location.length})
        captures = self._pages if location is None else self._captures + location.file
        with self._redis("update"):
            self._record_fetch(keys=[self._pages, captures],
                               args=[url_key, new, loc, self.clock()])

    def link_article(self, url_key: str, article_key: str) -> None:
        """The page at ``url_key`` holds the article ``article_key``."""
        with self._redis("update"):
            self._update(keys=[self._pages],
                         args=[url_key, "a", "" if article_key == url_key else article_key])

    def forget_captures_beyond(self, warc_file: str, size: int) -> int:
        """Records past ``size`` in ``warc_file`` were lost (cut by recovery): never refer
        to them. Returns how many pages lost their capture."""
        with self._redis("update"):
            return int(self._forget(keys=[self._pages, self._captures + warc_file],
                                    args=[size, warc_file]))

    # -- articles ----------------------------------------------------------------------
    def article(self, article_key: str) -> KnownArticle | None:
        with self._redis("read"):
            raw = self.client.hget(self._articles, article_key)
            return None if raw is None else known_article(_article_row(article_key, raw))

    def article_at(self, url_key: str) -> KnownArticle | None:
        """The article a URL is (its canonical key) or was last seen to hold."""
        with self._redis("read"):
            pipe = self.client.pipeline(transaction=False)
            pipe.hget(self._articles, url_key)
            pipe.hget(self._pages, url_key)
            own, page = pipe.execute()
            if own is not None:
                return known_article(_article_row(url_key, own))
            if page is None:
                return None
            article_key = _page_row(url_key, page).get("article_key")
        return self.article(article_key) if article_key is not None else None

    def record_version(self, article_key: str, record: dict[str, Any], *, content_digest: str,
                       published: float | None) -> None:
        """A new version of an article was written (``record`` is its JSON record)."""
        now = self.clock()
        canonical = record.get("canonical_url") or record.get("url")
        new = _compact({"u": None if canonical == article_key else canonical,
                        "s": record.get("source"), "v": int(record.get("version") or 1),
                        "c": content_digest, "d": record.get("payload_digest"),
                        "lc": now, "lx": now, "p": published,
                        "t": record.get("fetched_at"), "w": record.get("warc")})
        with self._redis("update"):
            self._record_version(keys=[self._articles, self._born],
                                 args=[article_key, new, now])

    def article_unchanged(self, article_key: str) -> None:
        """An article was checked and found as it was."""
        with self._redis("update"):
            self._unchanged(keys=[self._articles], args=[article_key, self.clock()])

    def due_articles(self, now: float, policy: RecrawlPolicy) -> list[KnownArticle]:
        """Articles the policy says to re-check now, the longest-waiting first."""
        if policy.max_age <= 0:
            return []
        # The birth index narrows to young articles, the last check to those not checked
        # within the shortest wait; the policy decides on those few.
        checked_before = now - min(policy.interval, policy.max_interval)
        found: dict[str, KnownArticle] = {}
        low, skip = now - policy.max_age, 0
        with self._redis("read"):
            # Paged by score, not by offset: a big offset costs its length on every page.
            while batch := self.client.zrangebyscore(self._born, low, "+inf", start=skip,
                                                     num=_BATCH, withscores=True):
                keys = [key for key, _ in batch]
                for key, raw in zip(keys, self.client.hmget(self._articles, keys),
                                    strict=True):
                    if raw is not None:
                        article = known_article(_article_row(_text(key), raw))
                        if article.last_checked <= checked_before:
                            found[article.key] = article
                last = batch[-1][1]
                same = sum(1 for _, score in batch if score == last)
                skip, low = (skip + same if last == low else same), last
        due = sorted(found.values(), key=lambda article: article.last_checked)
        return [article for article in due if article.is_due(now, policy)]

    # -- frontier ----------------------------------------------------------------------
    def add_pending(self, url_key: str, url: str, source: str | None) -> None:
        entry = _compact({"u": None if url == url_key else url, "s": source,
                          "t": self.clock()})
        with self._redis("update"):
            self.client.hsetnx(self._frontier, url_key, entry)

    def fetched(self, url_key: str) -> None:
        with self._redis("update"):
            self.client.hdel(self._frontier, url_key)

    def take_pending(self) -> list[PendingUrl]:
        """URLs earlier runs asked for and never got; each call counts an attempt, and
        URLs past MAX_FRONTIER_ATTEMPTS are dropped."""
        with self._redis("update"):
            flat = self._take_pending(keys=[self._frontier], args=[MAX_FRONTIER_ATTEMPTS])
            entries = [(_text(key), json.loads(raw)) for key, raw in zip(flat[::2], flat[1::2],
                                                                       strict=True)]
        entries.sort(key=lambda entry: (entry[1]["t"], entry[0]))
        return [PendingUrl(entry.get("u", key), entry.get("s"), entry["n"])
                for key, entry in entries]

    def clear_pending(self) -> None:
        """A run finished with nothing left to do: whatever is still listed was refused."""
        with self._redis("update"):
            self.client.delete(self._frontier)

    def pending_count(self) -> int:
        with self._redis("read"):
            return int(self.client.hlen(self._frontier))


def _compact(fields: Mapping[str, Any]) -> str:
    return json.dumps({name: value for name, value in fields.items() if value is not None},
                      separators=(",", ":"), ensure_ascii=False)


def _columns(raw: bytes | str, names: Mapping[str, str]) -> dict[str, Any]:
    return {names[name]: value for name, value in json.loads(raw).items() if name in names}


def _page_row(url_key: str, raw: bytes | str) -> dict[str, Any]:
    row = _columns(raw, _PAGE_FIELDS)
    row.setdefault("url", url_key)
    if row.get("article_key") == "":  # the page is the article
        row["article_key"] = url_key
    return row


def _article_row(article_key: str, raw: bytes | str) -> dict[str, Any]:
    row = _columns(raw, _ARTICLE_FIELDS)
    row.setdefault("canonical_url", article_key)
    row["article_key"] = article_key
    return row


def _text(value: bytes | str | None) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def _line(exc: Exception) -> str:
    return " ".join(str(exc).split()).rstrip(".") or type(exc).__name__


def _server(client: redis.Redis) -> str:
    """Where ``client`` connects, without its password."""
    pool = client.connection_pool
    kwargs, db = pool.connection_kwargs, pool.connection_kwargs.get("db", 0)
    if "path" in kwargs:
        return f"unix://{kwargs['path']}?db={db}"
    scheme = "rediss" if issubclass(pool.connection_class, redis.SSLConnection) else "redis"
    return f"{scheme}://{kwargs.get('host', 'localhost')}:{kwargs.get('port', 6379)}/{db}"
