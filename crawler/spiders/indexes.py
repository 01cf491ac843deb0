"""Pages that list articles for the spider: feeds, sitemaps (and sitemap indexes), and the
``Sitemap:`` lines of robots.txt.

A mixin of :class:`crawler.spiders.news.NewsSpider`: what it reads from such a page
passes through the spider's ``_admit`` (scope, traps, depth, known articles) like
any link, and a source's ``since`` drops entries dated before it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.http import Response, TextResponse
from scrapy.robotstxt import RobotParser

from crawler import sourcestats
from crawler.discovery.feeds import FeedError, parse_feed
from crawler.discovery.sitemaps import SitemapError, parse_sitemap, sitemap_urls_from_robots
from crawler.discovery.urls import clean_url, is_http_url, url_key
from crawler.jobfiles.spec import Source
from crawler.scrapy_internals import robots_sitemaps

if TYPE_CHECKING:
    from crawler.spiders.news import NewsSpider

logger = logging.getLogger(__name__)

ARTICLE_LINK_PRIORITY = 10
# Feeds and sitemaps list many articles at once: fetch them early.
INDEX_PRIORITY = 20


class IndexPages:
    """Feeds, sitemaps and robots.txt for :class:`NewsSpider` (``self`` is the spider)."""

    def robots_parsed(self: NewsSpider, robotparser: RobotParser, request: Request) -> None:
        """Scrapy read a host's robots.txt: queue its sitemaps for the sources there."""
        robots = robots_url(request.url)
        if robots in self.robots_hosts:
            return
        self.robots_hosts.add(robots)
        sitemaps = robots_sitemaps(robotparser)
        for request_ in self._robots_sitemaps(robots, sitemaps):
            assert self.crawler.engine is not None
            self.crawler.engine.crawl(request_)

    def parse_robots(self: NewsSpider, response: Response) -> Iterator[Request]:
        text = response.text if isinstance(response, TextResponse) else ""
        yield from self._robots_sitemaps(
            response.url, sitemap_urls_from_robots(text, response.url))

    def _robots_sitemaps(self: NewsSpider, robots_url: str,
                         sitemaps: Iterable[str]) -> Iterator[Request]:
        owners = [s for s in self.sources if s.discover_sitemaps and
                  self.scopes[s.name].owns(robots_url)]
        for source in owners:
            for url in sitemaps:
                if is_http_url(url):
                    yield self._request(clean_url(url, self.tracking), source,
                                        priority=INDEX_PRIORITY)

    def _feed_requests(self: NewsSpider, feeds: list[str], source: Source) -> Iterator[Request]:
        for url in feeds:
            url = clean_url(url, self.tracking)
            if url_key(url) not in self.requested and self.scopes[source.name].owns(url):
                yield self._request(url, source, priority=INDEX_PRIORITY)

    def _feed(self: NewsSpider, response: Response, source: Source) -> Iterator[Request]:
        try:
            entries = parse_feed(response.body, response.url)
        except FeedError as exc:
            logger.warning("Unreadable feed at %s: %s", response.url, exc)
            self._count("news/feeds/unreadable", source, "feeds")
            return
        self._count("news/feeds", source, "feeds")
        depth = response.meta.get("depth", 0) + 1
        for entry in entries:
            if _older(entry.published or entry.updated, source.since):
                sourcestats.count_skip(self.crawler.stats, source.name, "since")
                continue
            request = self._admit(clean_url(entry.url, self.tracking), source, depth=depth,
                                  priority=ARTICLE_LINK_PRIORITY, meta={},
                                  modified=entry.updated)
            if request is not None:
                yield request

    def _sitemap(self: NewsSpider, response: Response, source: Source) -> Iterator[Request]:
        try:
            sitemap = parse_sitemap(response.body, response.url, max_size=self.sitemap_max_size)
        except SitemapError as exc:
            logger.warning("Unreadable sitemap at %s: %s", response.url, exc)
            self._count("news/sitemaps/unreadable", source, "sitemaps")
            return
        self._count("news/sitemaps", source, "sitemaps")
        for entry in sitemap.entries:
            url = clean_url(entry.url, self.tracking)
            if _older(entry.news_published or entry.lastmod, source.since):
                sourcestats.count_skip(self.crawler.stats, source.name, "since")
                continue
            if sitemap.is_index:
                # Child sitemaps may live on another host (a CDN); what they list is
                # still checked against the source's scope.
                if url_key(url) not in self.requested:
                    yield self._request(url, source, priority=INDEX_PRIORITY)
                continue
            # Sitemap entries are a flat list, not a path from the seeds: depth 1.
            request = self._admit(url, source, depth=1, priority=ARTICLE_LINK_PRIORITY,
                                  meta={}, modified=entry.lastmod)
            if request is not None:
                yield request


def _older(when: datetime | None, since: datetime | None) -> bool:
    """Both are aware: feed and sitemap dates are read as UTC when they name no zone,
    and so is a job file's ``since``."""
    return when is not None and since is not None and when < since


def robots_url(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/robots.txt"
