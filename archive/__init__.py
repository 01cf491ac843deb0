"""The archive itself: WARC writing, article parts, manifests. No Scrapy here.

A researcher's notebook or an uploader cron imports this package without
pulling in the crawler.
"""

from __future__ import annotations

from archive.articles import ArticleWriter, read_articles
from archive.errors import ArchiveError, OutputDirError, WarcWriteError
from archive.exchange import HttpExchange, RecordLocation
from archive.manifest import ManifestEntry, build_manifest, write_manifest
from archive.warcfile import RotatingWarcWriter, iipc_name
from archive.warcrecords import WarcRecordBuilder

__all__ = [
    "ArchiveError",
    "ArticleWriter",
    "HttpExchange",
    "ManifestEntry",
    "OutputDirError",
    "RecordLocation",
    "RotatingWarcWriter",
    "WarcRecordBuilder",
    "WarcWriteError",
    "build_manifest",
    "iipc_name",
    "read_articles",
    "write_manifest",
]
