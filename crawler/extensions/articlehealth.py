"""What the articles written in a run look like, per source: the figures a broken
template shows first (archive.status.health).

Counts, per source (crawler.sourcestats), the articles written with a published
date (``dated``) and with at least one author (``authored``), and keeps their body
lengths here, not in the stats (stats are dumped to the log at the end of a crawl,
and a run writes thousands of articles): when the spider closes, only each source's
median is set, as ``health/median_body_chars/NAME``.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.statscollectors import StatsCollector

from crawler import sourcestats

MEDIAN_BODY_CHARS = "health/median_body_chars/"


class ArticleHealth:
    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats
        self.body_lengths: dict[str, list[int]] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArticleHealth:
        if crawler.stats is None:
            raise NotConfigured("no stats collector")
        extension = cls(crawler.stats)
        # item_scraped: an article record every pipeline kept, i.e. one written (new
        # or changed); the same articles the source's "new" and "changed" count.
        crawler.signals.connect(extension.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def item_scraped(self, item: Any) -> None:
        if not isinstance(item, Mapping) or not item.get("source"):
            return
        source = str(item["source"])
        if item.get("published"):
            sourcestats.count(self.stats, source, "dated")
        if item.get("authors"):
            sourcestats.count(self.stats, source, "authored")
        self.body_lengths.setdefault(source, []).append(len(item.get("text") or ""))

    def spider_closed(self) -> None:
        for source, lengths in self.body_lengths.items():
            self.stats.set_value(MEDIAN_BODY_CHARS + source, round(statistics.median(lengths)))


def median_body_chars(stats: Mapping[str, Any]) -> dict[str, int]:
    """``{source: median body length}`` of the articles a run wrote."""
    return {key[len(MEDIAN_BODY_CHARS):]: int(value) for key, value in stats.items()
            if key.startswith(MEDIAN_BODY_CHARS)}
