"""The naive pipeline, for comparison: extraction inline, on the crawl's own thread.

This is how most news crawlers do it (extract in the spider callback or a
synchronous item pipeline): while a page is being extracted, the reactor
downloads, records and schedules nothing. Used by bench/crawl_throughput.py.
"""

from __future__ import annotations

from typing import Any

from scrapy.exceptions import DropItem

from crawler.extract import extract_article
from crawler.items import ArticlePage
from crawler.pipelines import ExtractionPipeline, article_record
from crawler.session import ArchiveSession


class InlineExtractionPipeline(ExtractionPipeline):
    def process_item(self, item: Any) -> Any:  # type: ignore[override]
        if not isinstance(item, ArticlePage):
            return item
        fields = extract_article(item.html, item.url)
        if not fields or not fields.get("text"):
            raise DropItem(f"no article text at {item.url}")
        return article_record(item, fields, ArchiveSession.of(self.crawler).job)
