"""NewsSpider: from seeds, feeds and sitemaps, follow sections and pagination, hand
articles on — per source, within each source's scope and caps.

    newsarchive crawl jobs/example.toml
    newsarchive crawl --seed https://example.com/ --out out
    scrapy crawl news -a jobfile=jobs/example.toml
    scrapy crawl news -a seed=https://example.com/ -s ARCHIVE_DIR=out

Every request carries the name of the source it belongs to (``meta["source"]``);
scope, depth, page caps, politeness and stats all follow from it.

Incremental runs: seeds, listings, feeds and sitemaps are read every run; an
article already archived is fetched again only when due for a re-check (see
crawler.versions) or when a feed or sitemap dates a change after the last check.
Each run starts with what the last one asked for and never got.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse
from scrapy.settings import BaseSettings

from archive.state.crawlstate import CrawlState
from crawler import sourcestats
from crawler.discovery.feeds import looks_like_feed
from crawler.discovery.links import LinkResolver
from crawler.discovery.pagekind import PageKind
from crawler.discovery.scope import SourceScope
from crawler.discovery.sitemaps import (
    is_gzip,
    looks_like_sitemap,
)
from crawler.discovery.traps import TrapDetector
from crawler.discovery.urls import TrackingParams, clean_url, slot_key, url_key
from crawler.extract.pageanalysis import PageAnalysis, analyse_page
from crawler.extract.pool import (
    ExtractionCrashed,
    ExtractionPool,
    ExtractionTimeout,
    InlineExtraction,
)
from crawler.extract.rights import header_rights
from crawler.extract.standin import SameAnswers
from crawler.items import ArticlePage
from crawler.jobfiles.load import load_job_file
from crawler.jobfiles.spec import JobSpec, Politeness, Source, seed_argument_job
from crawler.middlewares.incremental import UNCHANGED_META_KEY
from crawler.middlewares.recorder import FETCHED_AT_META_KEY, ORIGINAL_META_KEY, WARC_META_KEY
from crawler.middlewares.standin import STANDIN_META_KEY
from crawler.session import ArchiveSession, job_name
from crawler.spiders.admission import LinkAdmission
from crawler.spiders.blocked import BlockedPages
from crawler.spiders.indexes import (
    ARTICLE_LINK_PRIORITY,
    IndexPages,
)
from crawler.spiders.requisites import PageRequisites
from crawler.spiders.schedule import SourceSchedule

logger = logging.getLogger(__name__)

SOURCE = "source"


class NewsSpider(SourceSchedule, IndexPages, LinkAdmission, BlockedPages, PageRequisites,
                 Spider):
    name = "news"

    def __init__(self, seed: str | list[str] | None = None, job: str | None = None,
                 jobfile: str | None = None, job_spec: JobSpec | None = None,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if job_spec is None:
            job_spec = load_job_file(jobfile) if jobfile else seed_argument_job(seed)
        self.job_spec = job_spec
        self.job = job or job_spec.name
        self.seeds = job_spec.seeds
        self.tracking = TrackingParams([])
        self.links = LinkResolver(self.tracking)
        # Where HTML pages are analysed (and articles extracted): worker processes.
        self.pages: ExtractionPool | InlineExtraction = InlineExtraction(analyse_page)
        self.extracting = True  # False: archive only (EXTRACT_ENABLED)
        self.scopes: dict[str, SourceScope] = {}
        self.max_depth = 0
        self.sitemap_max_size = 50 * 1024 * 1024
        self.traps = TrapDetector(0)
        self.requested: set[str] = set()  # url_key of every URL this spider asked for
        self.articles_seen: set[str] = set()
        self.article_payloads: set[bytes] = set()  # sha1 of every page archived as an article
        self.refused: dict[str, set[str]] = {}  # source -> url_keys not followed (any reason)
        self.robots_hosts: set[str] = set()
        self._off_scope_hosts: set[tuple[str, str]] = set()  # (source, host) redirected to
        self.same_answers = SameAnswers()  # tiny pages, by the hosts that answered with them
        self.blocked_hosts: set[str] = set()  # hosts a stand-in page was logged for
        self.skip_known = True
        self.session: ArchiveSession  # opened in from_crawler
        self._known_on_page = 0

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        super().update_settings(settings)
        if settings.get("REDIS_URL"):
            # One worker of a distributed crawl, however started (newsarchive crawl
            # --redis, scrapy crawl -s REDIS_URL=..., Scrapyd): the frontier is Redis's.
            settings.set("SCHEDULER", "crawler.distributed.frontier.RedisScheduler",
                         priority="spider")

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> NewsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        # The run of the job starts here, before Scrapy builds any other component:
        # locks, recovery, Redis, state (crawler.session). JobBusyError stops the crawl.
        spider.session = ArchiveSession.open(
            crawler, job_name(settings, spider.job, spider.seeds))
        spider.tracking = TrackingParams(settings.getlist("NEWS_TRACKING_PARAMS")
                                         + settings.getlist("NEWS_SESSION_PARAMS"))
        spider.links = LinkResolver(spider.tracking)
        skip_extensions = frozenset(
            e.lower().lstrip(".") for e in settings.getlist("NEWS_SKIP_EXTENSIONS")
        )
        spider.scopes = {
            source.name: SourceScope(source, skip_extensions=skip_extensions,
                                     max_url_length=settings.getint("NEWS_MAX_URL_LENGTH"))
            for source in spider.job_spec.sources
        }
        spider.max_depth = settings.getint("DEPTH_LIMIT")
        spider.sitemap_max_size = settings.getint("NEWS_SITEMAP_MAX_SIZE")
        spider.traps = TrapDetector(settings.getint("NEWS_TRAP_PAGES"))
        spider.skip_known = settings.getbool("INCREMENTAL_ENABLED")
        spider.extracting = settings.getbool("EXTRACT_ENABLED")
        spider.configure_requisites()  # crawler/spiders/requisites.py
        # The workers look for a page's requisites only when some source fetches them.
        finding = any(spider.requisite_policy.fetches_any(source.name)
                      for source in spider.job_spec.sources)
        # (partials of a module-level function: the pool hands them to workers by name)
        analyser = partial(analyse_page, extract=spider.extracting, find_requisites=finding)
        spider.analyse_unchanged = partial(analyse_page, extract=False, find_requisites=finding)
        spider.pages = InlineExtraction(analyser) if settings.getbool("EXTRACT_INLINE") else \
            ExtractionPool(processes=settings.getint("EXTRACT_PROCESSES"),
                           timeout=settings.getfloat("EXTRACT_TIMEOUT"), extractor=analyser)
        crawler.signals.connect(spider.robots_parsed, signal=signals.robots_parsed)
        # Last, once nothing above can refuse the crawl: the workers load their models
        # while Scrapy builds its components and fetches robots.txt and the seeds.
        spider.pages.start()
        return spider

    # -- sources -----------------------------------------------------------------
    @property
    def sources(self) -> tuple[Source, ...]:
        return self.job_spec.sources

    def source_of(self, url: str, hint: str | None = None) -> Source | None:
        """The source a URL belongs to: ``hint`` (the page it was found on) first."""
        if hint in self.scopes and self.scopes[hint].owns(url):
            return self.scopes[hint].source
        return next((s.source for s in self.scopes.values() if s.owns(url)), None)

    def politeness_for(self, url: str) -> Politeness | None:
        """Read by the politeness middleware (job-wide values are Scrapy settings by then)."""
        source = self.source_of(url)
        return source.politeness if source else None

    @property
    def state(self) -> CrawlState | None:
        return self.session.state

    def _request(self, url: str, source: Source, *, priority: int = 0,
                 meta: dict[str, Any] | None = None) -> Request:
        key = url_key(url)
        self.requested.add(key)
        if self.state is not None:  # until fetched: a killed run's successor asks again
            self.state.add_pending(key, url, source.name)
        # The slot is set here, not only by crawler.middlewares.politeness: the scheduler's
        # DownloaderAwarePriorityQueue keeps one queue per slot and needs it first.
        # No callback: Scrapy calls parse() then, and a request with a bound method for
        # its callback costs 0.25 ms on its way to the disk queue (Request.to_dict looks
        # the method's name up among every member of the spider), a tenth of the crawl's
        # own time per page on light pages.
        return Request(url, priority=priority,
                       meta={SOURCE: source.name, "download_slot": slot_key(url), **(meta or {})})

    # -- responses -----------------------------------------------------------
    async def parse(self, response: Response) -> AsyncIterator[Request | ArticlePage]:
        source = self._source_of_response(response)
        if source is None:
            return
        if (standin := response.meta.get(STANDIN_META_KEY)) is not None:
            self._blocked(response, source, standin)  # crawler/spiders/blocked.py
            return
        if response.status == 304:  # a known article, unchanged (crawler.middlewares.incremental)
            self._count("news/pages/not_modified", source, "pages")
            sourcestats.count(self.crawler.stats, source.name, "not_modified")
            return
        if self._left_scope(response, source):  # archived, not read (spiders/admission.py)
            return
        body = response.body
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1").lower()
        if is_gzip(body) or (looks_like_sitemap(body) and "html" not in content_type):
            for output in self._sitemap(response, source):
                yield output
        elif looks_like_feed(body, content_type):
            for output in self._feed(response, source):
                yield output
        elif isinstance(response, TextResponse) and _is_html(response, content_type):
            for output in await self._html(response, source):
                yield output
        else:
            self._count("news/pages/non_html", source, "pages")

    def _source_of_response(self, response: Response) -> Source | None:
        name = response.meta.get(SOURCE)
        if name in self.scopes:
            return self.scopes[name].source
        return self.source_of(response.url) or (self.sources[0] if self.sources else None)

    def _count(self, stat: str | None, source: Source, event: str) -> None:
        if stat:
            self.crawler.stats.inc_value(stat)
        sourcestats.count(self.crawler.stats, source.name, event)

    async def _html(self, response: TextResponse, source: Source) -> list[Request | ArticlePage]:
        # A known article, byte for byte as archived, has nothing new to extract.
        analyse = self.analyse_unchanged if response.meta.get(UNCHANGED_META_KEY) else \
            self.pages.extractor
        try:
            page = await self.pages.run(analyse, response.text, response.url)
        except (ExtractionTimeout, ExtractionCrashed) as exc:
            logger.warning("Page not analysed, skipped: %s: %s", response.url, exc)
            self.crawler.stats.inc_value("extract/failed")
            self._count(None, source, "pages")
            sourcestats.count(self.crawler.stats, source.name, "errors")
            return []
        if page is None:
            logger.warning("Unparseable HTML at %s", response.url)
            self._count("news/pages/unparseable", source, "pages")
            return []
        return list(self._analysed(page, response, source))

    def _analysed(self, page: PageAnalysis, response: TextResponse,
                  source: Source) -> Iterator[Request | ArticlePage]:
        if (standin := self._standin(page, response)) is not None:
            self._blocked(response, source, standin)  # nothing else is read from it
            return
        kind = page.kind
        # Per host: two sites serving the same bytes are two sites, not one copy.
        digest = hashlib.sha1(urlsplit(response.url).netloc.encode() + b" " + response.body
                              ).digest()
        if self._repeated(digest, kind, response.url):
            # Session ids, mirrors, print views: one copy is archived and followed.
            self._count(None, source, "pages")
            sourcestats.count_skip(self.crawler.stats, source.name, "duplicate")
            return
        self._count(f"news/pages/{kind.value}", source, "pages")
        # What the page needs to be shown as its readers saw it (spiders/requisites.py).
        yield from self.page_requisites(response, source, page.requisites)
        if page.not_extracted:  # too big to extract (crawler.extract.pageanalysis): links only
            logger.warning("Article not extracted, %s: %s", page.not_extracted, response.url)
            self.crawler.stats.inc_value(f"extract/skipped/{page.not_extracted}")
        if kind is PageKind.ARTICLE:
            # Articles found, known or not (a source's health, archive.status.health).
            sourcestats.count(self.crawler.stats, source.name, "article_pages")
            yield from self._article(response, source, page, digest)
        self._known_on_page = 0  # counted by _admit
        links = list(self._follow(page.anchors, response, source, kind))
        # Listings (not articles, whose feeds are their comments) and the seeds,
        # whatever they look like, advertise the feeds worth reading.
        is_seed = not response.meta.get("depth")
        if source.discover_feeds and (kind is PageKind.LISTING or is_seed):
            links.extend(self._feed_requests(page.feeds, source))
        yield from links
        if kind is not PageKind.ARTICLE:
            self.traps.listing_done(response.url, [r.url for r in links],
                                    known_links=self._known_on_page)

    def _repeated(self, digest: bytes, kind: PageKind, url: str) -> bool:
        """The same payload was already archived as an article, or (any other page) seen
        at another URL. An article copy that only pointed at its canonical URL does not
        count: the canonical page must still come out as the article."""
        if kind is PageKind.ARTICLE:
            return digest in self.article_payloads or self._seen_in_crawl("payloads", digest)
        first_url = self.traps.first_url_with_payload(digest, url)
        if first_url is not None:
            logger.debug("Same content as %s: %s", first_url, url)
        return first_url is not None

    def _article(self, response: TextResponse, source: Source, page: PageAnalysis,
                 digest: bytes) -> Iterator[Request | ArticlePage]:
        if response.meta.get(UNCHANGED_META_KEY):
            return  # a known article, byte for byte as archived: nothing new to extract
        canonical = page.canonical
        url = clean_url(response.url, self.tracking)
        canonical_url = clean_url(canonical, self.tracking) if canonical else url
        if self.state is not None:
            # Redirects to it and copies of it are the article too: when it is known
            # and not due, the next run need not fetch them either.
            for alias in (*response.meta.get("redirect_urls", ()), response.url):
                self.state.link_article(url_key(alias), url_key(canonical_url))
        if url_key(canonical_url) != url_key(url) and \
                self.scopes[source.name].refusal(canonical_url) is None:
            # This is a copy (AMP, print, tracking variant): archive the original instead.
            self.crawler.stats.inc_value("news/articles/canonical_redirected")
            yield self._request(canonical_url, source, priority=ARTICLE_LINK_PRIORITY)
            return
        key = url_key(canonical_url)
        if key in self.articles_seen or not self._first_in_crawl("articles", key):
            self.crawler.stats.inc_value("news/articles/duplicate")
            return
        self.articles_seen.add(key)
        self.article_payloads.add(digest)
        self._first_in_crawl("payloads", digest)
        if not self.extracting:
            return  # archive only: the page is in the WARC, no article record is wanted
        yield ArticlePage(
            url=response.url,
            canonical_url=canonical_url,
            fields=page.article,
            status=response.status,
            fetched_at=response.meta.get(FETCHED_AT_META_KEY)
            or datetime.now(UTC).isoformat(timespec="seconds"),
            # An unchanged page archived as a revisit: the payload is in the original.
            warc=response.meta.get(ORIGINAL_META_KEY) or response.meta.get(WARC_META_KEY),
            section_hint=response.meta.get("section_hint"),
            source=source.name,
            rights=header_rights(response.headers, response.url).then(page.rights),
            fingerprint=page.fingerprint,
        )

    def _first_in_crawl(self, kind: str, key: str | bytes) -> bool:
        """In a distributed crawl: no other worker met this article (or payload) first,
        and now none will. Asked after this worker's own sets: once per key and worker."""
        crawl = self.session.distributed
        return crawl is None or crawl.claim(kind, key)

    def _seen_in_crawl(self, kind: str, key: str | bytes) -> bool:
        crawl = self.session.distributed
        return crawl is not None and crawl.claimed(kind, key)

    def closed(self, reason: str) -> None:
        # Not waited for: the workers exit while the crawl indexes and lists its files.
        self.pages.close(wait=False)
        for template in self.traps.trapped_templates:
            self.crawler.stats.set_value(f"news/traps/{template}", 1)
        for template in self.traps.caught_up_templates:
            self.crawler.stats.set_value(f"news/caught_up/{template}", 1)


def _is_html(response: TextResponse, content_type: str) -> bool:
    return "html" in content_type or (not content_type and b"<html" in response.body[:2048].lower())

