"""The archive itself: WARC writing, article parts, manifests, object stores, indexes and
queries. No Scrapy here.

A researcher's notebook or an uploader cron imports this package without
pulling in the crawler.
"""

from __future__ import annotations

import importlib
from typing import Any

# The public names, each imported from its module when first asked for: every part of
# newsarchive imports some ``archive.X``, which runs this file first, and the whole
# archive (DuckDB queries, the stores, recovery) is 0.1 s that an extraction worker or
# a command's start has no use for.
_HOMES = {name: home for home, names in {
    "archive.articles": ("ArticleWriter", "read_articles"),
    "archive.errors": ("ArchiveError", "ArchiveIndexError", "CaptureError", "DiskFullError",
                       "JobBusyError", "OutputDirError", "QueryError", "RecoveryError",
                       "ReplayError", "StateError", "StoreConfigError", "StoreError",
                       "StoreIntegrityError", "StoreUnavailableError", "WarcWriteError"),
    "archive.query.articles": ("ArticleQuery", "find_articles", "open_articles", "run_sql"),
    "archive.recovery": ("Recovery", "recover_job"),
    "archive.state.crawlstate": ("CrawlState",),
    "archive.state.joblock": ("JobLock",),
    "archive.state.recrawl": ("RecrawlPolicy",),
    "archive.store.base": ("ObjectStore", "StoredObject", "StoreOptions", "open_store"),
    "archive.store.manifest": ("ManifestEntry", "build_manifest", "write_manifest"),
    "archive.store.spool": ("UploadReport", "upload_pending"),
    "archive.store.upload": ("Uploader", "UploadOutcome"),
    "archive.store.verify": ("VerifyReport", "verify_store"),
    "archive.warc.capture": ("Capture", "read_capture"),
    "archive.warc.exchange": ("HttpExchange", "PriorCapture", "RecordLocation"),
    "archive.warc.records": ("WarcRecordBuilder",),
    "archive.warc.writer": ("RotatingWarcWriter", "iipc_name"),
}.items() for name in names}
__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'archive' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value  # asked once
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOMES])
