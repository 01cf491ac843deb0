"""What incremental runs of one job remember: ``DIR/state/JOB.sqlite``.

* ``pages``: every URL fetched (by its normalised key): status, payload digest,
  ETag/Last-Modified for conditional requests, and the full response record an
  unchanged fetch refers back to (a revisit record names it).
* ``articles``: every article (by its canonical URL's key): its version, a digest
  of its extracted content, where its latest record is, and when it was last
  checked (the recrawl policy, :mod:`archive.state.recrawl`, says when it is due).
* ``frontier``: URLs asked for but not fetched yet (pages, and the requisites of
  pages archived), so a run that is killed or stopped at a page cap is picked up
  by the next.
* ``runs``: one row per run; a run that never finished was killed.
* ``source_failures``: sources whose sites failed to answer, since which run.
* ``source_crawls``: when each source was last crawled whole (for sources that are
  due only every so often).

SQLite in WAL mode, one writer (the crawl, which holds the job's lock). Writes
are committed about once a second rather than one by one: a SIGKILL loses at
most that last second, which costs a re-fetch, never data -- the WARC and JSONL
files are the record, and recovery replays their tails into the state.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from contextlib import closing
from pathlib import Path
from typing import Any

from archive.diskfull import disk_full
from archive.errors import ArchiveError, StateError
from archive.state.known import KnownArticle, KnownPage, PendingUrl, known_article, known_page
from archive.state.recrawl import RecrawlPolicy
from archive.state.sourcefailures import SourceFailure, next_failures
from archive.warc.exchange import RecordLocation

SCHEMA_VERSION = 2
# Runs a frontier URL may be carried over before it is given up (it keeps failing,
# or something refuses it every time).
MAX_FRONTIER_ATTEMPTS = 3
# Frontier rows read at a time when a run takes over what earlier runs left.
PENDING_BATCH = 1000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS pages (
    url_key TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    status INTEGER,
    payload_digest TEXT,
    etag TEXT,
    last_modified TEXT,
    first_fetched REAL NOT NULL,
    last_fetched REAL NOT NULL,
    record_id TEXT,
    warc_date TEXT,
    warc_file TEXT,
    warc_offset INTEGER,
    warc_length INTEGER,
    article_key TEXT
);
CREATE TABLE IF NOT EXISTS articles (
    article_key TEXT PRIMARY KEY,
    canonical_url TEXT NOT NULL,
    source TEXT,
    version INTEGER NOT NULL,
    content_digest TEXT NOT NULL,
    payload_digest TEXT,
    first_seen REAL NOT NULL,
    last_checked REAL NOT NULL,
    last_changed REAL NOT NULL,
    published REAL,
    unchanged_checks INTEGER NOT NULL DEFAULT 0,
    fetched_at TEXT,
    warc TEXT
);
CREATE TABLE IF NOT EXISTS frontier (
    url_key TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    source TEXT,
    added REAL NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    requisite TEXT
);
CREATE TABLE IF NOT EXISTS runs (
    crawl_id TEXT PRIMARY KEY,
    pid INTEGER,
    started TEXT NOT NULL,
    finished TEXT,
    finish_reason TEXT
);
CREATE TABLE IF NOT EXISTS source_failures (
    source TEXT PRIMARY KEY, since TEXT NOT NULL, last TEXT NOT NULL,
    runs INTEGER NOT NULL, reason TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS source_crawls (
    source TEXT PRIMARY KEY, started REAL NOT NULL
);
"""


class CrawlState:
    """One job's state database. Use from one thread (the crawl's reactor)."""

    def __init__(self, path: Path, *, commit_interval: float = 1.0,
                 clock: Callable[[], float] = time.time) -> None:
        self.path = Path(path)
        self.commit_interval = commit_interval
        self.clock = clock
        self._last_commit = clock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path)
            self._db.row_factory = sqlite3.Row
            self._db.execute("PRAGMA journal_mode=WAL")
            # NORMAL in WAL mode: a crash of this process loses nothing committed; only
            # a power cut can lose the last commits, which the next run re-fetches.
            self._db.execute("PRAGMA synchronous=NORMAL")
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise StateError(f"{self.path} was written by a newer newsarchive (schema "
                                 f"{version}); upgrade newsarchive to crawl this job")
            self._db.executescript(_SCHEMA)
            _upgrade(self._db, version)
            self._db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            self._db.commit()
        except sqlite3.Error as exc:
            raise self._failed("open", exc, "; move the file away to start the job afresh") from exc

    @classmethod
    def for_job(cls, state_dir: Path, job: str, **kwargs: Any) -> CrawlState:
        return cls(Path(state_dir) / f"{job}.sqlite", **kwargs)

    # -- transactions ----------------------------------------------------------------
    def _write(self, sql: str, params: Iterable[Any] = ()) -> None:
        try:
            self._db.execute(sql, tuple(params))
        except sqlite3.Error as exc:
            raise self._failed("update", exc) from exc
        if self.clock() - self._last_commit >= self.commit_interval:
            self.commit()

    def _read(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        try:
            return self._db.execute(sql, tuple(params)).fetchall()
        except sqlite3.Error as exc:
            raise StateError(f"cannot read the job state {self.path}: {exc}") from exc

    def commit(self) -> None:
        try:
            self._db.commit()
        except sqlite3.Error as exc:
            raise self._failed("update", exc) from exc
        self._last_commit = self.clock()

    def _failed(self, action: str, exc: sqlite3.Error, advice: str = "") -> ArchiveError:
        return disk_full(exc, self.path) or StateError(
            f"cannot {action} the job state {self.path}: {exc}{advice}")

    def close(self) -> None:
        try:
            self.commit()
        finally:
            self._db.close()

    # -- runs --------------------------------------------------------------------------
    def begin_run(self, crawl_id: str, started: str, pid: int) -> list[str]:
        """Record a run's start; return the runs before it that never finished (killed)."""
        unfinished = [row["crawl_id"] for row in
                      self._read("SELECT crawl_id FROM runs WHERE finished IS NULL "
                                 "AND finish_reason IS NULL ORDER BY started")]
        self._write("UPDATE runs SET finish_reason = 'killed' WHERE finished IS NULL "
                    "AND finish_reason IS NULL")
        self._write("INSERT OR REPLACE INTO runs (crawl_id, pid, started) VALUES (?, ?, ?)",
                    (crawl_id, pid, started))
        self.commit()
        return unfinished

    def end_run(self, crawl_id: str, finished: str, reason: str) -> None:
        self._write("UPDATE runs SET finished = ?, finish_reason = ? WHERE crawl_id = ?",
                    (finished, reason, crawl_id))
        self.commit()

    def record_sources(self, crawl_id: str, failed: Mapping[str, str],
                       answered: Iterable[str]) -> dict[str, SourceFailure]:
        """Failed sources (name -> reason) and those that answered -> failed streaks."""
        known = {row["source"]: SourceFailure(**dict(row))
                 for row in self._read("SELECT * FROM source_failures")}
        now, cleared = next_failures(known, crawl_id, failed, answered)
        for f in now.values():
            self._write("INSERT OR REPLACE INTO source_failures VALUES (?, ?, ?, ?, ?)",
                        (f.source, f.since, f.last, f.runs, f.reason))
        for source in cleared:
            self._write("DELETE FROM source_failures WHERE source = ?", (source,))
        self.commit()
        return now

    def sources_crawled(self) -> dict[str, float]:
        """Source -> when (unix time) the last run that crawled it whole took it up."""
        return {row["source"]: row["started"]
                for row in self._read("SELECT source, started FROM source_crawls")}

    def source_crawled(self, source: str, started: float) -> None:
        self._write("INSERT OR REPLACE INTO source_crawls VALUES (?, ?)", (source, started))

    # -- pages -------------------------------------------------------------------------
    def page(self, url_key: str) -> KnownPage | None:
        rows = self._read("SELECT * FROM pages WHERE url_key = ?", (url_key,))
        return known_page(dict(rows[0])) if rows else None

    def record_fetch(self, url_key: str, url: str, *, status: int,
                     payload_digest: str | None, etag: str | None,
                     last_modified: str | None, location: RecordLocation | None,
                     warc_date: str | None) -> None:
        """A page was fetched. ``location`` is its new full response record; None for a
        revisit (the row keeps pointing at the record the revisit refers to)."""
        now = self.clock()
        self._write("""
            INSERT INTO pages (url_key, url, status, payload_digest, etag, last_modified,
                               first_fetched, last_fetched)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (url_key) DO UPDATE SET
                url = excluded.url, status = excluded.status, last_fetched = excluded.last_fetched,
                etag = coalesce(excluded.etag, pages.etag),
                last_modified = coalesce(excluded.last_modified, pages.last_modified),
                payload_digest = coalesce(excluded.payload_digest, pages.payload_digest)
            """, (url_key, url, status, payload_digest, etag, last_modified, now, now))
        if location is not None:
            self._write("""UPDATE pages SET record_id = ?, warc_date = ?, warc_file = ?,
                               warc_offset = ?, warc_length = ?, etag = ?, last_modified = ?
                           WHERE url_key = ?""",
                        (location.record_id, warc_date, location.file, location.offset,
                         location.length, etag, last_modified, url_key))

    def link_article(self, url_key: str, article_key: str) -> None:
        """The page at ``url_key`` holds the article ``article_key``."""
        self._write("UPDATE pages SET article_key = ? WHERE url_key = ?", (article_key, url_key))

    def forget_captures_beyond(self, warc_file: str, size: int) -> int:
        """Records past ``size`` in ``warc_file`` were lost (cut by recovery): never refer
        to them. Returns how many pages lost their capture."""
        before = self._db.total_changes
        self._write("""UPDATE pages SET record_id = NULL, warc_date = NULL, warc_file = NULL,
                           warc_offset = NULL, warc_length = NULL, payload_digest = NULL,
                           etag = NULL, last_modified = NULL
                       WHERE warc_file = ? AND warc_offset + warc_length > ?""",
                    (warc_file, size))
        self.commit()
        return self._db.total_changes - before

    # -- articles ----------------------------------------------------------------------
    def article(self, article_key: str) -> KnownArticle | None:
        rows = self._read("SELECT * FROM articles WHERE article_key = ?", (article_key,))
        return _article(rows[0]) if rows else None

    def article_at(self, url_key: str) -> KnownArticle | None:
        """The article a URL is (its canonical key) or was last seen to hold."""
        return self.article(url_key) or next(iter(_articles(self._read(
            """SELECT articles.* FROM pages JOIN articles USING (article_key)
               WHERE pages.url_key = ?""", (url_key,)))), None)

    def record_version(self, article_key: str, record: dict[str, Any], *, content_digest: str,
                       published: float | None) -> None:
        """A new version of an article was written (``record`` is its JSON record)."""
        now = self.clock()
        self._write("""
            INSERT INTO articles (article_key, canonical_url, source, version, content_digest,
                payload_digest, first_seen, last_checked, last_changed, published,
                unchanged_checks, fetched_at, warc)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)
            ON CONFLICT (article_key) DO UPDATE SET
                canonical_url = excluded.canonical_url, source = excluded.source,
                version = excluded.version, content_digest = excluded.content_digest,
                payload_digest = excluded.payload_digest, last_checked = excluded.last_checked,
                last_changed = excluded.last_changed,
                published = coalesce(excluded.published, articles.published),
                unchanged_checks = 0, fetched_at = excluded.fetched_at, warc = excluded.warc
            """, (article_key, record.get("canonical_url") or record.get("url"),
                  record.get("source"), int(record.get("version") or 1), content_digest,
                  record.get("payload_digest"), now, now, now, published,
                  record.get("fetched_at"), json.dumps(record.get("warc"))))

    def article_unchanged(self, article_key: str) -> None:
        """An article was checked and found as it was."""
        self._write("""UPDATE articles SET last_checked = ?,
                           unchanged_checks = unchanged_checks + 1
                       WHERE article_key = ?""", (self.clock(), article_key))

    def due_articles(self, now: float, policy: RecrawlPolicy) -> list[KnownArticle]:
        """Articles the policy says to re-check now, the longest-waiting first."""
        if policy.max_age <= 0:
            return []
        # SQL narrows to young articles not checked within the shortest wait; the
        # policy decides on those few.
        rows = self._read(
            """SELECT * FROM articles WHERE coalesce(published, first_seen) >= ?
               AND last_checked <= ? ORDER BY last_checked""",
            (now - policy.max_age, now - min(policy.interval, policy.max_interval)))
        return [article for article in _articles(rows) if article.is_due(now, policy)]

    # -- frontier ----------------------------------------------------------------------
    def add_pending(self, url_key: str, url: str, source: str | None, *,
                    requisite: str | None = None) -> bool:
        """List a URL as asked for; True when it was not listed yet."""
        before = self._db.total_changes
        self._write("INSERT OR IGNORE INTO frontier (url_key, url, source, added, requisite) "
                    "VALUES (?, ?, ?, ?, ?)", (url_key, url, source, self.clock(), requisite))
        return self._db.total_changes > before

    def fetched(self, url_key: str) -> None:
        self._write("DELETE FROM frontier WHERE url_key = ?", (url_key,))

    def take_pending(self, skip_sources: Collection[str] = ()) -> list[PendingUrl]:
        """URLs earlier runs asked for and never got; each call counts an attempt, and
        URLs past MAX_FRONTIER_ATTEMPTS are dropped. Those of ``skip_sources`` are
        neither returned nor counted (their sources are not crawled in this run)."""
        return list(self.stream_pending(skip_sources))

    def stream_pending(self, skip_sources: Collection[str] = (),
                       batch: int = PENDING_BATCH) -> Iterator[PendingUrl]:
        """:meth:`take_pending`, read ``batch`` rows at a time: a frontier of millions
        of URLs (a killed run, a huge sitemap) costs the memory of one batch. The
        attempt is counted for every row at once; rows this run adds while the stream
        is read are not part of it."""
        skipped = json.dumps(sorted(skip_sources))
        # A URL without a source is never skipped (json_each yields no NULL).
        taken = "coalesce(source NOT IN (SELECT value FROM json_each(?)), 1)"
        self._write(f"UPDATE frontier SET attempts = attempts + 1 WHERE {taken}", (skipped,))
        self._write("DELETE FROM frontier WHERE attempts > ?", (MAX_FRONTIER_ATTEMPTS,))
        self.commit()
        last = self._read("SELECT max(rowid) FROM frontier")[0][0] or 0
        after = 0
        # By rowid, the order rows were added in: pages resume where the reading
        # stopped even when the crawl deletes rows (fetched) between two batches.
        while after < last:
            rows = self._read("SELECT rowid, url, source, attempts, requisite FROM frontier "
                              f"WHERE rowid > ? AND rowid <= ? AND {taken} "
                              "ORDER BY rowid LIMIT ?", (after, last, skipped, batch))
            if not rows:
                return
            after = rows[-1]["rowid"]
            yield from (PendingUrl(row["url"], row["source"], row["attempts"],
                                   row["requisite"]) for row in rows)

    def clear_pending(self, keep_sources: Collection[str] = ()) -> None:
        """A run finished with nothing left to do: whatever is still listed was refused,
        but for the URLs of ``keep_sources`` (sources the run did not take up)."""
        if not keep_sources:
            self._write("DELETE FROM frontier")
            return
        self._write("DELETE FROM frontier WHERE coalesce(source NOT IN "
                    "(SELECT value FROM json_each(?)), 1)", (json.dumps(sorted(keep_sources)),))

    def pending_count(self) -> int:
        return int(self._read("SELECT count(*) FROM frontier")[0][0])


def read_sources_crawled(path: Path) -> dict[str, float]:
    """:meth:`CrawlState.sources_crawled` of the state file ``path``, read without
    writing to it or waiting for the crawl that may hold it ({} if it cannot say)."""
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
            return dict(db.execute("SELECT source, started FROM source_crawls").fetchall())
    except sqlite3.Error:  # an older state without the table, or unreadable
        return {}


def _upgrade(db: sqlite3.Connection, version: int) -> None:
    """Bring a state written by an older newsarchive (schema ``version``) up to date;
    a new file (version 0) has the current tables already."""
    if 0 < version < 2:  # schema 2: the frontier lists requisites too
        db.execute("ALTER TABLE frontier ADD COLUMN requisite TEXT")


def _articles(rows: Iterable[sqlite3.Row]) -> list[KnownArticle]:
    return [_article(row) for row in rows]


def _article(row: sqlite3.Row) -> KnownArticle:
    return known_article({**dict(row), "warc": json.loads(row["warc"]) if row["warc"] else None})
