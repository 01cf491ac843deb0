"""The archive itself: WARC writing, article parts, manifests, object stores, indexes and
queries. No Scrapy here.

A researcher's notebook or an uploader cron imports this package without
pulling in the crawler.
"""

from __future__ import annotations

from archive.articles import ArticleWriter, read_articles
from archive.errors import (
    ArchiveError,
    ArchiveIndexError,
    CaptureError,
    DiskFullError,
    JobBusyError,
    OutputDirError,
    QueryError,
    RecoveryError,
    ReplayError,
    StateError,
    StoreConfigError,
    StoreError,
    StoreIntegrityError,
    StoreUnavailableError,
    WarcWriteError,
)
from archive.query.articles import ArticleQuery, find_articles, open_articles, run_sql
from archive.recovery import Recovery, recover_job
from archive.state.crawlstate import CrawlState
from archive.state.joblock import JobLock
from archive.state.recrawl import RecrawlPolicy
from archive.store.base import ObjectStore, StoredObject, StoreOptions, open_store
from archive.store.manifest import ManifestEntry, build_manifest, write_manifest
from archive.store.spool import UploadReport, upload_pending
from archive.store.upload import Uploader, UploadOutcome
from archive.store.verify import VerifyReport, verify_store
from archive.warc.capture import Capture, read_capture
from archive.warc.exchange import HttpExchange, PriorCapture, RecordLocation
from archive.warc.records import WarcRecordBuilder
from archive.warc.writer import RotatingWarcWriter, iipc_name

__all__ = [
    "ArchiveError",
    "ArchiveIndexError",
    "ArticleQuery",
    "ArticleWriter",
    "Capture",
    "CaptureError",
    "CrawlState",
    "DiskFullError",
    "HttpExchange",
    "JobBusyError",
    "JobLock",
    "ManifestEntry",
    "ObjectStore",
    "OutputDirError",
    "PriorCapture",
    "QueryError",
    "RecordLocation",
    "Recovery",
    "RecoveryError",
    "RecrawlPolicy",
    "ReplayError",
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
    "find_articles",
    "iipc_name",
    "open_articles",
    "open_store",
    "read_articles",
    "read_capture",
    "recover_job",
    "run_sql",
    "upload_pending",
    "verify_store",
    "write_manifest",
]
