"""At the end of a crawl: write the manifest and log the summary built from stats."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from scrapy import signals
from scrapy.crawler import Crawler

from archive.errors import ArchiveError
from archive.manifest import build_manifest, write_manifest
from crawler.session import ArchiveSession
from crawler.summary import summary_lines

logger = logging.getLogger(__name__)

MANIFEST_COUNTS = (
    "response_received_count", "warc/records", "warc/bytes", "articles/written",
    "extract/empty", "extract/failed", "robotstxt/forbidden", "news/pages/article",
    "news/pages/listing", "news/pages/other", "news/pages/non_html",
)


class CrawlFinisher:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlFinisher:
        finisher = cls(crawler)
        # engine_stopped comes after the recorder and the writers closed their files.
        crawler.signals.connect(finisher.engine_stopped, signal=signals.engine_stopped)
        return finisher

    def engine_stopped(self) -> None:
        stats = self.crawler.stats
        assert stats is not None
        session = ArchiveSession.of(self.crawler)
        counts = {key: stats.get_value(key, 0) for key in MANIFEST_COUNTS}
        try:
            manifest = build_manifest(
                session.layout.root,
                job=session.job,
                crawl_id=session.crawl_id,
                started=session.started,
                finished=datetime.now(UTC),
                entries=session.files,
                counts=counts,
            )
            path = write_manifest(session.layout.root, manifest)
        except (ArchiveError, OSError) as exc:
            logger.error("Manifest could not be written: %s", exc)
            stats.set_value("manifest/error", str(exc))
            return
        stats.set_value("manifest/path", str(path))
        logger.info("Crawl summary for job %s:\n%s", session.job,
                    "\n".join(summary_lines(stats.get_stats())))
