"""Item pipelines: make the article record of each article page, then write it (a new
article, or a new version of a known one; unchanged content writes nothing)."""

from __future__ import annotations

import logging
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from archive.articles import ArticleWriter, ClosedPart, content_digest
from archive.errors import ArchiveError, DiskFullError
from archive.store.manifest import ManifestEntry
from crawler import sourcestats
from crawler.discovery.urls import url_key
from crawler.items import ArticlePage
from crawler.middlewares.diskfull import stop_for_disk_full
from crawler.session import ArchiveSession
from crawler.versions import remember_version

logger = logging.getLogger(__name__)


def article_record(page: ArticlePage, fields: dict[str, Any], job: str) -> dict[str, Any]:
    """The article record of DESIGN.md, from a page and what extraction found in it."""
    warc = page.warc
    return {
        "url": page.url,
        "canonical_url": page.canonical_url,
        "job": job,
        "source": page.source,
        "title": fields.get("title"),
        "text": fields.get("text"),
        "authors": fields.get("authors") or [],
        "published": fields.get("published"),
        "modified": fields.get("modified"),
        "language": fields.get("language"),
        "sitename": fields.get("sitename"),
        "section": fields.get("section") or page.section_hint,
        "description": fields.get("description"),
        "tags": fields.get("tags") or [],
        "image": fields.get("image"),
        # Only the public part of a paywalled article (JSON-LD isAccessibleForFree).
        "paywalled": bool(fields.get("paywalled")),
        # What the page says about its use (crawler.extract.rights).
        "robots": list(page.rights.robots),
        "tdm_reservation": page.rights.tdm_reservation,
        "tdm_policy": page.rights.tdm_policy,
        "fetched_at": page.fetched_at,
        "status": page.status,
        "payload_digest": warc.payload_digest if warc else None,
        "warc": warc.as_dict() if warc else None,
        # For finding copies of it in other outlets (archive.query.duplicates).
        "fingerprint": page.fingerprint,
    }


class ArticleRecordPipeline:
    """ArticlePage -> article record dict (the page was analysed and extracted in the
    crawl's worker processes, crawler.extract.pageanalysis)."""

    def __init__(self, crawler: Crawler, job: str, *, noarchive: str = "archive") -> None:
        self.crawler = crawler
        self.job = job
        # ROBOTS_NOARCHIVE: "skip" writes no article record for a page that says
        # noarchive. Its capture is in the WARC already: written as the response came
        # in, before the page was read; the header saying so is in it too.
        self.skip_noarchive = noarchive == "skip"

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArticleRecordPipeline:
        return cls(crawler, ArchiveSession.of(crawler).job,
                   noarchive=crawler.settings.get("ROBOTS_NOARCHIVE"))

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, ArticlePage):
            return item
        stats = self.crawler.stats
        assert stats is not None
        fields = item.fields
        if not fields or not fields.get("text"):
            stats.inc_value("extract/empty")
            raise DropItem(f"no article text at {item.url}", log_level="INFO")
        stats.inc_value("extract/articles")
        if item.rights.noarchive:
            stats.inc_value("rights/noarchive")
            if self.skip_noarchive:
                stats.inc_value("rights/noarchive_skipped")
                raise DropItem(f"noarchive, not kept (ROBOTS_NOARCHIVE=skip): {item.url}",
                               log_level="INFO")
        return article_record(item, fields, self.job)


class ArticleWriterPipeline:
    """Appends article records to JSON Lines parts under ``articles/JOB/``."""

    def __init__(self, crawler: Crawler, session: ArchiveSession) -> None:
        self.crawler = crawler
        self.session = session
        self.writer: ArticleWriter | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArticleWriterPipeline:
        return cls(crawler, ArchiveSession.of(crawler))

    def open_spider(self) -> None:
        session = self.session
        self.writer = ArticleWriter(
            session.layout.articles_dir(session.job), session.job, on_close=self._part_closed
        )

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, dict) or self.writer is None:
            return item
        try:
            return self._write(item)
        except DiskFullError as exc:  # the article line, or the job's state
            # Not one bad article: every write would fail now. A line written is kept
            # (the next run recovers it into the state); one not written is written
            # when the next run fetches the page again (the state does not know it).
            stop_for_disk_full(self.crawler, exc)
            raise DropItem(f"article not written: {exc}", log_level="DEBUG") from None

    def _write(self, item: dict[str, Any]) -> dict[str, Any]:
        assert self.writer is not None
        stats = self.crawler.stats
        assert stats is not None
        state = self.session.state
        previous = state.article(url_key(item["canonical_url"])) if state else None
        digest = content_digest(item)
        if previous is not None and previous.content_digest == digest:
            assert state is not None
            state.article_unchanged(previous.key)
            stats.inc_value("articles/unchanged")
            raise DropItem(f"unchanged since version {previous.version}: {item['url']}",
                           log_level="DEBUG")
        item["version"] = previous.version + 1 if previous else 1
        item["previous"] = previous.pointer() if previous else None
        try:
            self.writer.write(item)
        except ArchiveError as exc:
            stats.inc_value("articles/write_failed")
            if isinstance(exc, DiskFullError):
                raise
            raise DropItem(f"article not written: {exc}") from None
        if state is not None:
            remember_version(state, item, digest)
        stats.inc_value("articles/written")
        stats.inc_value("articles/changed" if previous else "articles/new")
        sourcestats.count(stats, item.get("source"), "articles")
        sourcestats.count(stats, item.get("source"), "changed" if previous else "new")
        return item

    def close_spider(self) -> None:
        if self.writer is not None:
            try:
                self.writer.close()
            except DiskFullError as exc:  # left .open: the next run recovers it
                stop_for_disk_full(self.crawler, exc, closing=True)
            except ArchiveError as exc:
                logger.error("Article file could not be closed: %s", exc)
                assert self.crawler.stats is not None
                self.crawler.stats.inc_value("articles/write_failed")

    def _part_closed(self, part: ClosedPart) -> None:
        self.session.add_file(
            ManifestEntry(part.path, "articles", articles=part.articles)
        )
