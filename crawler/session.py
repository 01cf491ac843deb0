"""The archive session of one crawl: job, paths, crawl id, state and the files produced.

A run of a job starts in one place, :meth:`ArchiveSession.open`, called once by
``NewsSpider.from_crawler`` (the first component Scrapy builds, so every other
one finds the session ready). Its steps, in this order:

1. hold the spool lock (shared): ``newsarchive upload`` must not take this
   crawl's finished files for leftovers while it runs;
2. take the job's lock (one run of a job per archive directory; JobBusyError);
3. recover the files a killed run left ``.open`` (safe only under the lock);
4. with ``REDIS_URL``, join the job's distributed crawl in Redis (or start it):
   its crawl id becomes this run's;
5. reach the store: one that cannot be reached now is an outage, not a
   mistake; the run crawls into ``--out``, where its files wait (said once now,
   once at the end, exit 1);
6. fetch the job's state from the store when there is none here (a new
   machine, an emptied ``--out``): known articles are not archived again and
   versions go on (:mod:`archive.state.snapshot`); and the job's search index,
   from its newest snapshot, when there is none here either
   (:mod:`crawler.extensions.searchsnapshot`);
7. open the job's state (SQLite, or the one all workers share in Redis) and
   begin the run in it, learning which earlier runs never finished;
8. adopt what a killed run left: recovered files and finished files no
   manifest lists join this run's manifest and uploads.

The recorder, the article writer, the incremental middleware, the distributed
worker and the finisher are separate Scrapy components: each takes the session
in its ``from_crawler`` (:meth:`ArchiveSession.of`) and keeps it, instead of
reaching into the others. The finisher ends the run (:meth:`release`).
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scrapy.crawler import Crawler
from scrapy.settings import Settings

from archive.articles import read_articles
from archive.errors import ArchiveError, StoreError, StoreUnavailableError
from archive.indexes import BackgroundIndexer, is_index_file
from archive.layout import ArchiveLayout, check_job_name
from archive.partfile import default_host_tag
from archive.recovery import Recovery, recover_job
from archive.state.crawlstate import CrawlState
from archive.state.joblock import JobLock
from archive.state.recrawl import RecrawlPolicy
from archive.state.redisconn import connect
from archive.state.redisstate import RedisCrawlState
from archive.state.snapshot import has_history, is_provisional, mark_provisional, restore_state
from archive.store.manifest import ManifestEntry
from archive.store.spool import unlisted_job_files
from archive.store.spoollock import SpoolLock
from archive.store.upload import BackgroundUploader
from crawler.distributed.coordination import DistributedCrawl
from crawler.extensions.searchsnapshot import restore_search
from crawler.jobfiles.spec import host_job_name
from crawler.storage import crawl_uploader
from crawler.versions import recrawl_policy, replay_recovered

logger = logging.getLogger(__name__)

_ATTR = "_newsarchive_session"


@dataclass
class ArchiveSession:
    layout: ArchiveLayout
    job: str
    crawl_id: str
    started: datetime
    files: list[ManifestEntry] = field(default_factory=list)
    uploader: BackgroundUploader | None = None
    lock: SpoolLock | None = None
    job_lock: JobLock | None = None
    state: CrawlState | RedisCrawlState | None = None
    policy: RecrawlPolicy = field(default_factory=RecrawlPolicy)
    # Earlier runs of this job that never finished (killed): their files were recovered.
    interrupted_runs: list[str] = field(default_factory=list)
    recovery: Recovery | None = None
    # Finished files pass through here (CDXJ, Parquet) on their way to the manifest.
    indexer: BackgroundIndexer | None = None
    # Every file handed to add_file, at once (``files`` fills in as they are indexed).
    finished: set[Path] = field(default_factory=set)
    # A worker of a distributed crawl (REDIS_URL): the crawl it shares with the others.
    distributed: DistributedCrawl | None = None
    # Requests dropped unfetched by a stop signal (crawler.extensions.shutdown): not done with.
    not_fetched: list[Any] = field(default_factory=list)
    page_cap: int = 0  # CLOSESPIDER_PAGECOUNT (--max-pages)
    # Why the store could not be reached when the run started ("" when it could).
    store_down: str = ""
    # Why the run has no state of its own: none here, and the store's not fetched.
    state_not_fetched: str = ""

    @property
    def store_uri(self) -> str | None:
        return self.uploader.uploader.store.uri if self.uploader else None

    @classmethod
    def open(cls, crawler: Crawler, job: str) -> ArchiveSession:
        """Start this crawler's run of ``job`` (the steps in the module docstring) and
        attach the session to the crawler. Raises ArchiveError (JobBusyError, a damaged
        state) or RedisError before any page is fetched."""
        if getattr(crawler, _ATTR, None) is not None:
            raise RuntimeError("the archive session of this crawl is already open")
        settings = crawler.settings
        started = datetime.now(UTC)
        session = cls(
            layout=ArchiveLayout(Path(settings.get("ARCHIVE_DIR") or "archive-data")),
            job=check_job_name(job),
            crawl_id=started.strftime("%Y%m%dT%H%M%SZ"),
            started=started,
            policy=recrawl_policy(settings),
            page_cap=settings.getint("CLOSESPIDER_PAGECOUNT"),
        )
        uploader = crawl_uploader(settings, session.layout.root)
        session.uploader = BackgroundUploader(uploader) if uploader is not None else None
        session.indexer = BackgroundIndexer(session._list_files)
        try:
            session.lock = _spool_lock(session.layout)                       # 1
            session._lock_job()                                               # 2
            session.recovery = recover_job(session.layout, session.job)       # 3
            if settings.get("REDIS_URL"):
                session._join_crawl(settings)                                 # 4
            session._reach_store()                                            # 5
            session._restore_state()                                          # 6
            restore_search(session)
            session.state = session._open_state()                             # 7
            session._begin_run()
            session._adopt_recovered(session.recovery, session.state)         # 8
            # A distributed crawl's state says whether any worker's run was killed,
            # not whether this directory's was: look here every time.
            if session.interrupted_runs or session.distributed is not None:
                session._adopt_unlisted()
        except BaseException:
            session.release()
            raise
        setattr(crawler, _ATTR, session)
        return session

    @classmethod
    def of(cls, crawler: Crawler) -> ArchiveSession:
        """The session :meth:`open` attached to this crawler."""
        session = getattr(crawler, _ATTR, None)
        if session is None:
            raise RuntimeError("no archive session: NewsSpider.from_crawler opens it, so "
                               "newsarchive's components run only with NewsSpider")
        return session

    def _join_crawl(self, settings: Settings) -> None:
        """Join (or start) the job's distributed crawl: its id becomes this run's."""
        client = connect(settings.get("REDIS_URL"))  # RedisError: checked before the crawl
        self.distributed = DistributedCrawl(
            client, self.job, default_host_tag(), prefix=settings.get("REDIS_KEY_PREFIX"),
            heartbeat_ttl=settings.getfloat("REDIS_WORKER_TIMEOUT"))
        self.crawl_id = self.distributed.join(self.crawl_id, {
            "pid": os.getpid(), "out": str(self.layout.root.absolute())})
        logger.info("Worker %s %s crawl %s of job %s", self.distributed.tag,
                    "started" if self.distributed.created else "joined", self.crawl_id,
                    self.job)

    @property
    def state_path(self) -> Path:
        """The job's own state database (a distributed crawl's is in Redis instead)."""
        return self.layout.state_dir / f"{self.job}.sqlite"

    def _reach_store(self) -> None:
        if self.uploader is None:
            return
        uploader = self.uploader.uploader
        try:
            uploader.store.check()  # StoreConfigError: checked before the crawl
        except StoreUnavailableError as exc:
            self.store_down = uploader.last_error = str(exc)
            uploader.healthy = False  # one attempt per file until the store is back
            logger.warning("The store is down (%s): this run's files wait in %s, marked "
                           "pending, and go up with the next run", exc, self.layout.root)

    def _restore_state(self) -> None:
        if self.uploader is None or self.distributed is not None:
            return
        store, why = self.uploader.uploader.store, self.store_down
        try:
            if not why and restore_state(store, self.job, self.state_path):
                logger.warning("Job %s had no state here: fetched its state from %s, so "
                               "it goes on where its last run stopped", self.job, store.uri)
                return
        except StoreError as exc:  # down since step 5, or a damaged copy
            why = str(exc)
        if why and (not has_history(self.state_path) or is_provisional(self.state_path)):
            # Sent as it is, this state would replace the job's history in the store.
            self.state_not_fetched = why
            mark_provisional(self.state_path, why)
            logger.warning("Job %s has no state here and the store's cannot be fetched: "
                           "this run starts afresh (known articles may be archived again)",
                           self.job)

    def _open_state(self) -> CrawlState | RedisCrawlState:
        if self.distributed is not None:
            local = self.state_path
            if local.exists():
                logger.warning("Job %s has a state of its own in %s, which a distributed crawl "
                               "does not use: its state is the one in Redis, and pages known "
                               "only here are fetched again", self.job, local)
            return RedisCrawlState(self.distributed.client, self.job,
                                   prefix=self.distributed.prefix,
                                   on_error=self.distributed.note_error)
        return CrawlState(self.state_path)

    def _lock_job(self) -> None:
        self.job_lock = JobLock(self.layout.state_dir, self.job).acquire()  # JobBusyError
        if holder := self.job_lock.previous_holder:
            logger.warning("Took over the lock of job %s left by process %s, which is no "
                           "longer running", self.job, holder.get("pid"))

    def _begin_run(self) -> None:
        assert self.state is not None
        self.interrupted_runs = self.state.begin_run(
            self.crawl_id, self.started.isoformat(timespec="seconds"), os.getpid())
        if self.interrupted_runs:
            logger.warning("The last run of job %s (%s) did not finish; picking up where it "
                           "stopped", self.job, ", ".join(self.interrupted_runs))

    def _adopt_recovered(self, recovery: Recovery,
                         state: CrawlState | RedisCrawlState) -> None:
        """Recovered files join this run: listed in its manifest, uploaded with its files,
        and their records and articles known to the state."""
        for warc in recovery.warcs:
            relative = warc.path.relative_to(self.layout.root).as_posix()
            state.forget_captures_beyond(relative, 0 if warc.removed else warc.size)
            logger.warning("Recovered %s from a killed run: %d records kept, %d bytes cut",
                           relative, warc.records, warc.dropped_bytes)
            if not warc.removed:
                self.add_file(ManifestEntry(warc.path, "warc", records=warc.records,
                                            recovered=True))
        for part in recovery.parts:
            logger.warning("Recovered %s from a killed run: %d articles kept, %d lines "
                           "dropped", part.path.relative_to(self.layout.root).as_posix(),
                           part.articles, part.dropped_lines)
            if not part.removed:
                replay_recovered(state, list(read_articles(part.path)))
                self.add_file(ManifestEntry(part.path, "articles", articles=part.articles,
                                            recovered=True))

    def add_file(self, entry: ManifestEntry) -> None:
        """A finished file: indexed, then listed in the manifest and sent to the store
        (if there is one) with its index."""
        self.finished.add(entry.path)
        if self.indexer is None:
            self._list_files([entry])
        else:
            self.indexer.submit(entry)

    def finish_files(self) -> None:
        """Wait until every finished file is indexed and listed."""
        if self.indexer is not None:
            self.indexer.drain()

    def add_derived(self, entry: ManifestEntry) -> None:
        """A file made from this run's others at its end (the search snapshot): listed
        and sent to the store, with nothing to index."""
        self.finished.add(entry.path)
        self._list_files([entry])

    def _list_files(self, entries: list[ManifestEntry]) -> None:
        for entry in entries:
            self.files.append(entry)
            if self.uploader is not None:
                self.uploader.submit(entry.path)

    def _adopt_unlisted(self) -> None:
        """Files a killed run had already finished are listed in no manifest: this run's
        lists them (and uploads them, if they are still here)."""
        recovered = set(self.finished)
        for path in unlisted_job_files(self.layout, self.job):
            if path in recovered or is_index_file(path):
                continue  # indexes are rebuilt with the file they index
            kind = "warc" if path.parent == self.layout.warc_dir(self.job) else "articles"
            articles = None
            if kind == "articles" and self.state is not None:
                records = list(read_articles(path))
                replay_recovered(self.state, records)
                articles = len(records)
            logger.warning("Adopted %s, finished by a killed run and listed in no manifest",
                           path.relative_to(self.layout.root).as_posix())
            self.add_file(ManifestEntry(path, kind, articles=articles, recovered=True))

    def release(self) -> None:
        """End of the run: close the state, then let the next run of the job start."""
        if self.state is not None:
            try:
                self.state.close()
            except ArchiveError as exc:
                logger.error("Job state could not be saved: %s", exc)
            self.state = None
        if self.lock is not None:
            self.lock.release()
            self.lock = None
        if self.job_lock is not None:
            self.job_lock.release()
            self.job_lock = None


def _spool_lock(layout: ArchiveLayout) -> SpoolLock | None:
    """Hold off ``newsarchive upload`` while this crawl uploads its own files."""
    try:
        return SpoolLock(layout.state_dir, exclusive=False).acquire()
    except (ArchiveError, OSError):
        return None  # checked before the crawl started; losing a race costs no data


def job_name(settings: Settings, job: str | None, seeds: list[str]) -> str:
    """``ARCHIVE_JOB``, else the spider's ``job`` argument, else the first seed's host."""
    configured = settings.get("ARCHIVE_JOB")
    if configured:
        return str(configured)
    if job:
        return str(job)
    if seeds:
        return host_job_name(seeds[0])
    return "news"
