"""NewsSpider: from seed pages, follow sections and pagination, hand articles on.

    scrapy crawl news -a seed=https://example.com/ -a seed2=... -s ARCHIVE_DIR=out
    newsarchive crawl --seed https://example.com/ --out out
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlsplit

import lxml.html
from lxml.etree import ParserError
from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse

from crawler.discovery import (
    PageKind,
    article_url_shape,
    classify,
    iter_links,
    listing_section,
    page_signals,
)
from crawler.items import ArticlePage
from crawler.recorder import FETCHED_AT_META_KEY, WARC_META_KEY
from crawler.urls import TrackingParams, clean_url, is_http_url, site_of, url_key

logger = logging.getLogger(__name__)

ARTICLE_LINK_PRIORITY = 10


def parse_seeds(value: str | list[str] | None) -> list[str]:
    """Seeds from a spider argument: a list, or one string with commas or spaces."""
    if not value:
        return []
    if isinstance(value, str):
        value = value.replace(",", " ").split()
    return [v.strip() for v in value if v.strip()]


class NewsSpider(Spider):
    name = "news"

    def __init__(self, seed: str | list[str] | None = None, job: str | None = None,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.seeds = parse_seeds(seed)
        if not self.seeds:
            raise ValueError("NewsSpider needs at least one seed: -a seed=https://example.com/")
        bad = [s for s in self.seeds if not is_http_url(s)]
        if bad:
            raise ValueError(f"seed is not an http(s) URL: {bad[0]}")
        self.job = job
        self.sites = {site_of(s) for s in self.seeds}
        self.tracking = TrackingParams([])
        self.skip_extensions: frozenset[str] = frozenset()
        self.max_url_length = 2000
        self.articles_seen: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> NewsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.tracking = TrackingParams(settings.getlist("NEWS_TRACKING_PARAMS"))
        spider.skip_extensions = frozenset(
            e.lower().lstrip(".") for e in settings.getlist("NEWS_SKIP_EXTENSIONS")
        )
        spider.max_url_length = settings.getint("NEWS_MAX_URL_LENGTH")
        spider.seeds = [clean_url(s, spider.tracking) for s in spider.seeds]
        return spider

    async def start(self) -> AsyncIterator[Request]:
        for seed in self.seeds:
            yield Request(seed, callback=self.parse)

    # -- scope ---------------------------------------------------------------
    def in_scope(self, url: str) -> bool:
        if not is_http_url(url) or len(url) > self.max_url_length:
            return False
        if site_of(url) not in self.sites:
            return False
        suffix = PurePosixPath(urlsplit(url).path).suffix.lower().lstrip(".")
        return suffix not in self.skip_extensions

    # -- parsing -------------------------------------------------------------
    def parse(self, response: Response) -> Iterator[Request | ArticlePage]:
        if not isinstance(response, TextResponse) or not _is_html(response):
            self.crawler.stats.inc_value("news/pages/non_html")
            return
        try:
            tree = lxml.html.fromstring(response.text)
        except (ParserError, ValueError) as exc:
            logger.warning("Unparseable HTML at %s: %s", response.url, exc)
            self.crawler.stats.inc_value("news/pages/unparseable")
            return
        signals = page_signals(tree, response.url)
        kind = classify(signals)
        self.crawler.stats.inc_value(f"news/pages/{kind.value}")
        if kind is PageKind.ARTICLE:
            yield from self._article(response, signals.canonical)
        yield from self._follow(tree, response, kind)

    def _article(self, response: TextResponse, canonical: str | None
                 ) -> Iterator[Request | ArticlePage]:
        url = clean_url(response.url, self.tracking)
        canonical_url = clean_url(canonical, self.tracking) if canonical else url
        if url_key(canonical_url) != url_key(url) and self.in_scope(canonical_url):
            # This is a copy (AMP, print, tracking variant): archive the original instead.
            self.crawler.stats.inc_value("news/articles/canonical_redirected")
            yield Request(canonical_url, callback=self.parse, priority=ARTICLE_LINK_PRIORITY)
            return
        key = url_key(canonical_url)
        if key in self.articles_seen:
            self.crawler.stats.inc_value("news/articles/duplicate")
            return
        self.articles_seen.add(key)
        yield ArticlePage(
            url=response.url,
            canonical_url=canonical_url,
            html=response.text,
            status=response.status,
            fetched_at=response.meta.get(FETCHED_AT_META_KEY)
            or datetime.now(UTC).isoformat(timespec="seconds"),
            warc=response.meta.get(WARC_META_KEY),
            section_hint=response.meta.get("section_hint"),
        )

    def _follow(self, tree: lxml.html.HtmlElement, response: TextResponse, kind: PageKind
                ) -> Iterator[Request]:
        section = listing_section(response.url) if kind is PageKind.LISTING else None
        for link in iter_links(tree, response.url):
            url = clean_url(link.url, self.tracking)
            if not self.in_scope(url):
                continue
            looks_like_article = not link.is_pagination and article_url_shape(url) is not None
            meta = {"section_hint": section} if section and looks_like_article else {}
            yield Request(
                url,
                callback=self.parse,
                priority=ARTICLE_LINK_PRIORITY if looks_like_article else 0,
                meta=meta,
            )


def _is_html(response: TextResponse) -> bool:
    content_type = response.headers.get(b"Content-Type", b"").decode("latin-1").lower()
    return "html" in content_type or (not content_type and b"<html" in response.body[:2048].lower())
