"""The archive itself: WARC writing, article parts, manifests, object stores. No Scrapy here.

A researcher's notebook or an uploader cron imports this package without
pulling in the crawler.
"""

from __future__ import annotations

from archive.articles import ArticleWriter, read_articles
from archive.crawlstate import CrawlState
from archive.errors import (
    ArchiveError,
    JobBusyError,
    OutputDirError,
    RecoveryError,
    StateError,
    StoreConfigError,
    StoreError,
    StoreIntegrityError,
    StoreUnavailableError,
    WarcWriteError,
)
from archive.exchange import HttpExchange, PriorCapture, RecordLocation
from archive.joblock import JobLock
from archive.manifest import ManifestEntry, build_manifest, write_manifest
from archive.recovery import Recovery, recover_job
from archive.recrawl import RecrawlPolicy
from archive.spool import UploadReport, upload_pending
from archive.store import ObjectStore, StoredObject, StoreOptions, open_store
from archive.upload import Uploader, UploadOutcome
from archive.verify import VerifyReport, verify_store
from archive.warcfile import RotatingWarcWriter, iipc_name
from archive.warcrecords import WarcRecordBuilder

__all__ = [
    "ArchiveError",
    "ArticleWriter",
    "CrawlState",
    "HttpExchange",
    "JobBusyError",
    "JobLock",
    "ManifestEntry",
    "ObjectStore",
    "OutputDirError",
    "PriorCapture",
    "RecordLocation",
    "Recovery",
    "RecoveryError",
    "RecrawlPolicy",
    "RotatingWarcWriter",
    "StateError",
    "StoreConfigError",
    "StoreError",
    "StoreIntegrityError",
    "StoreOptions",
    "StoreUnavailableError",
    "StoredObject",
    "UploadOutcome",
    "UploadReport",
    "Uploader",
    "VerifyReport",
    "WarcRecordBuilder",
    "WarcWriteError",
    "build_manifest",
    "iipc_name",
    "open_store",
    "read_articles",
    "recover_job",
    "upload_pending",
    "verify_store",
    "write_manifest",
]
