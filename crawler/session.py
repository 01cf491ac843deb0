"""The archive session of one crawl: job, paths, crawl id and the files produced.

The recorder, the article writer and the finisher are separate Scrapy
components; they meet here instead of reaching into each other. One session
hangs off each crawler (``ArchiveSession.of(crawler)``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from scrapy.crawler import Crawler

from archive.errors import ArchiveError
from archive.layout import ArchiveLayout, check_job_name
from archive.manifest import ManifestEntry
from archive.spoollock import SpoolLock
from archive.upload import BackgroundUploader
from crawler.jobspec import host_job_name
from crawler.storage import crawl_uploader

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

    @property
    def store_uri(self) -> str | None:
        return self.uploader.uploader.store.uri if self.uploader else None

    @classmethod
    def of(cls, crawler: Crawler) -> ArchiveSession:
        """The crawl's session, created on first use from settings and spider arguments."""
        session = getattr(crawler, _ATTR, None)
        if session is None:
            settings = crawler.settings
            started = datetime.now(UTC)
            session = cls(
                layout=ArchiveLayout(Path(settings.get("ARCHIVE_DIR") or "archive-data")),
                job=check_job_name(job_name(crawler)),
                crawl_id=started.strftime("%Y%m%dT%H%M%SZ"),
                started=started,
            )
            # Held with or without a store: `newsarchive upload` must not take this
            # crawl's finished files for leftovers while it runs.
            session.lock = _spool_lock(session.layout)
            uploader = crawl_uploader(settings, session.layout.root)
            if uploader is not None:
                session.uploader = BackgroundUploader(uploader)
            setattr(crawler, _ATTR, session)
        return session

    def add_file(self, entry: ManifestEntry) -> None:
        """A finished file: listed in the manifest, and sent to the store if there is one."""
        self.files.append(entry)
        if self.uploader is not None:
            self.uploader.submit(entry.path)

    def release(self) -> None:
        if self.lock is not None:
            self.lock.release()
            self.lock = None


def _spool_lock(layout: ArchiveLayout) -> SpoolLock | None:
    """Hold off ``newsarchive upload`` while this crawl uploads its own files."""
    try:
        return SpoolLock(layout.state_dir, exclusive=False).acquire()
    except (ArchiveError, OSError):
        return None  # checked before the crawl started; losing a race costs no data


def job_name(crawler: Crawler) -> str:
    """``ARCHIVE_JOB``, else the spider's ``job`` argument, else the first seed's host."""
    configured = crawler.settings.get("ARCHIVE_JOB")
    if configured:
        return str(configured)
    spider = crawler.spider
    if spider is not None and getattr(spider, "job", None):
        return str(spider.job)
    seeds = getattr(spider, "seeds", None) or []
    if seeds:
        return host_job_name(seeds[0])
    return "news"

