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
* ``sources`` (hash): source -> its failure streak as JSON (sources that keep failing).
* ``crawled`` (hash): source -> when the last run that crawled it whole took it up.
* ``version`` (string): the layout version, so an older newsarchive refuses a newer one.

Many workers write at once, so every read-modify-write is one Lua script, which
Redis runs atomically (the scripts and the compact JSON rows they edit are
:mod:`archive.state._redisrows`). A page's or article's own URL, and a page's
article when it is the page itself, are left out of its row: most rows would
repeat their key. Writes go straight to Redis, so there is nothing to commit.

Every script names the keys it touches, so on Redis Cluster a prefix with a hash
tag (``{newsarchive}``) keeps a job's keys in one slot.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import redis

from archive.errors import StateError
from archive.state import _redisrows as rows
from archive.state.crawlstate import MAX_FRONTIER_ATTEMPTS
from archive.state.known import KnownArticle, KnownPage, PendingUrl, known_article, known_page
from archive.state.recrawl import RecrawlPolicy
from archive.state.redisconn import DEFAULT_PREFIX, job_prefix, text
from archive.state.sourcefailures import SourceFailure, next_failures
from archive.warc.exchange import RecordLocation

LAYOUT_VERSION = 1
# Articles read per round trip by due_articles.
_BATCH = 5_000


class RedisCrawlState:
    """One job's state in Redis; safe to use from many threads and processes at once."""

    def __init__(self, client: redis.Redis, job: str, *, prefix: str = DEFAULT_PREFIX,
                 clock: Callable[[], float] = time.time,
                 on_error: Callable[[Exception], None] | None = None) -> None:
        self.client = client
        self.clock = clock
        # Told of every Redis failure (a distributed worker hands back what it touched).
        self.on_error = on_error
        self.prefix = job_prefix(job, prefix) + "state:"
        self.server = _server(client)
        self._pages, self._articles = self.prefix + "pages", self.prefix + "articles"
        self._born, self._frontier = self.prefix + "born", self.prefix + "frontier"
        self._runs, self._captures = self.prefix + "runs", self.prefix + "captures:"
        script = client.register_script
        self._record_fetch, self._update = script(rows.RECORD_FETCH), script(rows.UPDATE)
        self._forget, self._record_version = script(rows.FORGET), script(rows.RECORD_VERSION)
        self._unchanged, self._take_pending = script(rows.UNCHANGED), script(rows.TAKE_PENDING)
        self._begin_run = script(rows.BEGIN_RUN)
        with self._redis("open"):
            pipe = client.pipeline(transaction=False)
            pipe.set(self.prefix + "version", LAYOUT_VERSION, nx=True)
            pipe.get(self.prefix + "version")
            version = pipe.execute()[1]
        if not text(version).isdigit() or int(version) > LAYOUT_VERSION:
            raise StateError(f"the job state in Redis at {self.server} ({self.prefix}*) was "
                             f"written by a newer newsarchive (layout {text(version)}); "
                             "upgrade newsarchive on every worker")

    @contextmanager
    def _redis(self, action: str) -> Iterator[None]:
        where = f"the job state in Redis at {self.server} ({self.prefix}*)"
        try:
            yield
        except redis.RedisError as exc:
            if self.on_error is not None:
                self.on_error(exc)
            if not isinstance(exc, redis.ConnectionError | redis.TimeoutError):
                raise StateError(f"cannot {action} {where}: Redis answered {_line(exc)}; "
                                 "check its log and memory limit (maxmemory), and that "
                                 "nothing else writes these keys") from exc
            raise StateError(f"cannot {action} {where}: {_line(exc)}; check that "
                             "redis-server runs there and the --redis URL") from exc
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
            flat = [text(v) for v in self._begin_run(keys=[self._runs],
                                                      args=[crawl_id, started, pid])]
        killed = sorted(zip(flat[1::2], flat[::2], strict=True))  # by start, as CrawlState
        return [killed_id for _, killed_id in killed]

    def end_run(self, crawl_id: str, finished: str, reason: str) -> None:
        with self._redis("update"):
            self._update(keys=[self._runs],
                         args=[crawl_id, "finished", finished, "reason", reason])

    def record_sources(self, crawl_id: str, failed: Mapping[str, str],
                       answered: Iterable[str]) -> dict[str, SourceFailure]:
        """As :meth:`CrawlState.record_sources`; each worker tells what it saw."""
        key = self.prefix + "sources"
        with self._redis("update"):
            known = {text(name): SourceFailure(**json.loads(raw))
                     for name, raw in self.client.hgetall(key).items()}
            now, cleared = next_failures(known, crawl_id, failed, answered)
            pipe = self.client.pipeline(transaction=False)
            for failure in now.values():
                pipe.hset(key, failure.source, json.dumps(failure.__dict__))
            if cleared:
                pipe.hdel(key, *cleared)
            pipe.execute()
        return now

    def sources_crawled(self) -> dict[str, float]:
        """As :meth:`CrawlState.sources_crawled`."""
        with self._redis("read"):
            return {text(name): float(started) for name, started
                    in self.client.hgetall(self.prefix + "crawled").items()}

    def source_crawled(self, source: str, started: float) -> None:
        with self._redis("update"):
            self.client.hset(self.prefix + "crawled", source, repr(started))

    # -- pages -------------------------------------------------------------------------
    def page(self, url_key: str) -> KnownPage | None:
        with self._redis("read"):
            raw = self.client.hget(self._pages, url_key)
            return None if raw is None else known_page(rows.page_row(url_key, raw))

    def record_fetch(self, url_key: str, url: str, *, status: int,
                     payload_digest: str | None, etag: str | None,
                     last_modified: str | None, location: RecordLocation | None,
                     warc_date: str | None) -> None:
        """A page was fetched. ``location`` is its new full response record; None for a
        revisit (the page keeps pointing at the record the revisit refers to)."""
        new = rows.compact({"u": None if url == url_key else url, "s": status,
                        "d": payload_digest, "e": etag, "m": last_modified})
        loc = "" if location is None else rows.compact(
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
            return None if raw is None else known_article(rows.article_row(article_key, raw))

    def article_at(self, url_key: str) -> KnownArticle | None:
        """The article a URL is (its canonical key) or was last seen to hold."""
        with self._redis("read"):
            pipe = self.client.pipeline(transaction=False)
            pipe.hget(self._articles, url_key)
            pipe.hget(self._pages, url_key)
            own, page = pipe.execute()
            if own is not None:
                return known_article(rows.article_row(url_key, own))
            if page is None:
                return None
            article_key = rows.page_row(url_key, page).get("article_key")
        return self.article(article_key) if article_key is not None else None

    def record_version(self, article_key: str, record: dict[str, Any], *, content_digest: str,
                       published: float | None) -> None:
        """A new version of an article was written (``record`` is its JSON record)."""
        now = self.clock()
        canonical = record.get("canonical_url") or record.get("url")
        new = rows.compact({"u": None if canonical == article_key else canonical,
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
                        article = known_article(rows.article_row(text(key), raw))
                        if article.last_checked <= checked_before:
                            found[article.key] = article
                last = batch[-1][1]
                same = sum(1 for _, score in batch if score == last)
                skip, low = (skip + same if last == low else same), last
        due = sorted(found.values(), key=lambda article: article.last_checked)
        return [article for article in due if article.is_due(now, policy)]

    # -- frontier ----------------------------------------------------------------------
    def add_pending(self, url_key: str, url: str, source: str | None, *,
                    requisite: str | None = None) -> bool:
        """List a URL as asked for; True when it was not listed yet."""
        entry = rows.compact({"u": None if url == url_key else url, "s": source,
                              "t": self.clock(), "r": requisite})
        with self._redis("update"):
            return bool(self.client.hsetnx(self._frontier, url_key, entry))

    def fetched(self, url_key: str) -> None:
        with self._redis("update"):
            self.client.hdel(self._frontier, url_key)

    def take_pending(self, skip_sources: Collection[str] = ()) -> list[PendingUrl]:
        """As :meth:`CrawlState.take_pending`."""
        with self._redis("update"):
            flat = self._take_pending(keys=[self._frontier],
                                      args=[MAX_FRONTIER_ATTEMPTS, *sorted(skip_sources)])
            entries = [(text(key), json.loads(raw)) for key, raw in zip(flat[::2], flat[1::2],
                                                                       strict=True)]
        entries.sort(key=lambda entry: (entry[1]["t"], entry[0]))
        return [PendingUrl(entry.get("u", key), entry.get("s"), entry["n"], entry.get("r"))
                for key, entry in entries]

    def stream_pending(self, skip_sources: Collection[str] = ()) -> Iterator[PendingUrl]:
        """:meth:`take_pending` in the shape CrawlState streams it; the Lua script
        hands the hash over whole (a distributed crawl's frontier is its Redis queue,
        this one holds what a stopped crawl left)."""
        return iter(self.take_pending(skip_sources))

    def clear_pending(self, keep_sources: Collection[str] = ()) -> None:
        """As :meth:`CrawlState.clear_pending`."""
        with self._redis("update"):
            if not keep_sources:
                self.client.delete(self._frontier)
                return
            keep = set(keep_sources)
            refused = [key for key, raw in self.client.hscan_iter(self._frontier)
                       if json.loads(raw).get("s") not in keep]
            for start in range(0, len(refused), _BATCH):
                self.client.hdel(self._frontier, *refused[start:start + _BATCH])

    def pending_count(self) -> int:
        with self._redis("read"):
            return int(self.client.hlen(self._frontier))


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
