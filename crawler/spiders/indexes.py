"""Pages that list articles for the spider: feeds, sitemaps (and sitemap indexes), and the
``Sitemap:`` lines of robots.txt.

A mixin of :class:`crawler.spiders.news.NewsSpider`: what it reads from such a page
passes through the spider's ``_admit`` (scope, traps, depth, known articles) like
any link, and a source's ``since`` drops entries dated before it.

Caps per run, so that a hostile or merely huge index costs a bounded crawl: a
sitemap admits at most ``NEWS_SITEMAP_MAX_ENTRIES`` new requests, a sitemap index
at most ``NEWS_SITEMAP_MAX_CHILDREN`` child sitemaps, a feed (like any page) at most
``NEWS_MAX_LINKS_PER_PAGE`` links; and once the source (or the crawl) has queued its
page cap, a sitemap's remaining entries are not read into requests at all. What is
over a cap is left for later runs, not dropped (counted,
``news/sitemaps/entries_deferred``, ``news/links/deferred``): known articles are
skipped as known and do not count, so the next run admits the next ones; of an
index's children, those the job never fetched (or whose lastmod is after their
last capture) go first, then those whose change is unknown, then those unchanged
since.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from datetime import datetime
from itertools import islice
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.http import Response, TextResponse
from scrapy.robotstxt import RobotParser

from crawler import sourcestats
from crawler.discovery.feeds import FeedError, read_feed
from crawler.discovery.sitemaps import (
    SitemapError,
    SitemapReader,
    sitemap_date,
    sitemap_urls_from_robots,
)
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
        cap = self.crawler.settings.getint("NEWS_MAX_LINKS_PER_PAGE")
        if cap and len(feeds) > cap:
            self._defer("news/links/deferred", len(feeds) - cap, "feed links of a page",
                        "NEWS_MAX_LINKS_PER_PAGE")
        for url in islice(feeds, cap or None):
            url = clean_url(url, self.tracking)
            if url_key(url) not in self.requested and self.scopes[source.name].owns(url):
                yield self._request(url, source, priority=INDEX_PRIORITY)

    def _feed(self: NewsSpider, response: Response, source: Source) -> Iterator[Request]:
        try:
            feed = read_feed(response.body, response.url)
        except FeedError as exc:
            logger.warning("Unreadable feed at %s: %s", response.url, exc)
            self._count("news/feeds/unreadable", source, "feeds")
            self.crawler.stats.inc_value(f"news/feeds/unreadable/{exc.reason}")
            return
        self._count("news/feeds", source, "feeds")
        if feed.stopped:
            logger.warning("Feed at %s read only in part (%d entries): %s", response.url,
                           len(feed.entries), feed.stopped[1])
            self.crawler.stats.inc_value(f"news/feeds/truncated/{feed.stopped[0]}")
        depth = response.meta.get("depth", 0) + 1
        cap = self.crawler.settings.getint("NEWS_MAX_LINKS_PER_PAGE")
        admitted = 0
        for i, entry in enumerate(feed.entries):
            if _older(entry.published or entry.updated, source.since):
                sourcestats.count_skip(self.crawler.stats, source.name, "since")
                continue
            if cap and admitted >= cap:
                self._defer("news/links/deferred", len(feed.entries) - i,
                            f"entries of the feed {response.url}", "NEWS_MAX_LINKS_PER_PAGE")
                return
            request = self._admit(clean_url(entry.url, self.tracking), source, depth=depth,
                                  priority=ARTICLE_LINK_PRIORITY, meta={},
                                  modified=entry.updated)
            if request is not None:
                admitted += 1
                yield request

    def _sitemap(self: NewsSpider, response: Response, source: Source) -> Iterator[Request]:
        try:
            reader = SitemapReader(response.body, response.url, max_size=self.sitemap_max_size)
        except SitemapError as exc:
            logger.warning("Unreadable sitemap at %s: %s", response.url, exc)
            self._count("news/sitemaps/unreadable", source, "sitemaps")
            self.crawler.stats.inc_value(f"news/sitemaps/unreadable/{exc.reason}")
            return
        self._count("news/sitemaps", source, "sitemaps")
        try:
            if reader.is_index:
                yield from self._sitemap_children(reader, response.url, source)
            else:
                yield from self._sitemap_pages(reader, response.url, source)
        except SitemapError as exc:
            # What came before is kept: the entries were good, and are followed.
            logger.warning("Sitemap at %s read only in part: %s", response.url, exc)
            self.crawler.stats.inc_value(f"news/sitemaps/truncated/{exc.reason}")

    def _sitemap_pages(self: NewsSpider, reader: SitemapReader, url: str,
                       source: Source) -> Iterator[Request]:
        cap = self.crawler.settings.getint("NEWS_SITEMAP_MAX_ENTRIES")
        admitted = 0
        for entry in reader:
            if _older(entry.news_published or entry.lastmod, source.since):
                sourcestats.count_skip(self.crawler.stats, source.name, "since")
                continue
            if cap and admitted >= cap:
                self._defer("news/sitemaps/entries_deferred", 1 + reader.count_rest(),
                            f"entries of the sitemap {url}", "NEWS_SITEMAP_MAX_ENTRIES")
                return
            if self.page_caps is not None and self.page_caps.full(source.name):
                # The source has its pages for this run: the rest wait for the next
                # runs, which read the sitemap again (without parsing them into
                # requests and frontier rows, a million entries cost seconds, not minutes).
                rest = 1 + reader.count_rest()
                self.crawler.stats.inc_value("news/sitemaps/entries_deferred", rest)
                logger.info("%d entries of the sitemap %s left for later runs (source %s "
                            "or the crawl at its page cap)", rest, url, source.name)
                return
            # Sitemap entries are a flat list, not a path from the seeds: depth 1.
            request = self._admit(clean_url(entry.url, self.tracking), source, depth=1,
                                  priority=ARTICLE_LINK_PRIORITY, meta={},
                                  modified=entry.lastmod)
            if request is not None:
                admitted += 1
                yield request

    def _sitemap_children(self: NewsSpider, reader: SitemapReader, url: str,
                          source: Source) -> Iterator[Request]:
        """The child sitemaps of an index. Child sitemaps may live on another host (a
        CDN); what they list is still checked against the source's scope."""
        cap = self.crawler.settings.getint("NEWS_SITEMAP_MAX_CHILDREN")
        chosen = deferred = 0
        # Children fetched before, whose change is unknown / who did not change: they
        # wait for the room the new ones leave, in document order, at most a cap each.
        later: tuple[list[str], list[str]] = ([], [])
        stopped = None
        try:
            for entry in reader:
                if _older(entry.lastmod, source.since):
                    sourcestats.count_skip(self.crawler.stats, source.name, "since")
                    continue
                child = clean_url(entry.url, self.tracking)
                if url_key(child) in self.requested:
                    continue
                rank = self._sitemap_rank(child, entry.lastmod)
                if rank == 0 or not cap:
                    if cap and chosen >= cap:
                        deferred += 1 + len(later[0]) + len(later[1]) + reader.count_rest()
                        later = ([], [])
                        break
                    chosen += 1
                    yield self._request(child, source, priority=INDEX_PRIORITY)
                elif len(later[rank - 1]) < cap:
                    later[rank - 1].append(child)
                else:
                    deferred += 1
        except SitemapError as exc:
            stopped = exc  # raised below, once the children read before it are chosen
        for child in (*later[0], *later[1]):
            if url_key(child) in self.requested:
                continue
            if chosen >= cap:
                deferred += 1
                continue
            chosen += 1
            yield self._request(child, source, priority=INDEX_PRIORITY)
        if deferred:
            self._defer("news/sitemaps/entries_deferred", deferred,
                        f"child sitemaps of the index {url}", "NEWS_SITEMAP_MAX_CHILDREN")
        if stopped is not None:
            raise stopped

    def _sitemap_rank(self: NewsSpider, url: str, lastmod: datetime | None) -> int:
        """0: the job never fetched this child sitemap, or its lastmod is after the last
        capture of it; 1: fetched before, change unknown; 2: unchanged since."""
        page = self.state.page(url_key(url)) if self.state is not None else None
        if page is None:
            return 0
        captured = page.capture.warc_date if page.capture is not None else None
        captured_at = sitemap_date(captured) if captured else None
        if lastmod is None or captured_at is None:
            return 1
        return 0 if lastmod > captured_at else 2

    def _defer(self: NewsSpider, stat: str, count: int, what: str, setting: str) -> None:
        """``count`` of ``what`` are over a per-run cap: left for later runs."""
        self.crawler.stats.inc_value(stat, count)
        logger.info("%d %s left for later runs (%s = %d)", count, what, setting,
                    self.crawler.settings.getint(setting))


def _older(when: datetime | None, since: datetime | None) -> bool:
    """Both are aware: feed and sitemap dates are read as UTC when they name no zone,
    and so is a job file's ``since``."""
    return when is not None and since is not None and when < since


def robots_url(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/robots.txt"
