"""Which discovered links become requests: the spider's one gate for links from pages,
feeds, sitemaps and earlier runs.

A link is refused (and counted once per source and URL, ``source/NAME/skipped/REASON``)
when it is out of the source's scope, in a trap, too deep, or a known article not due
for a re-check; otherwise it becomes a request marked as discovered (the scheduler's
page caps count those).

A link over a page cap (the crawl's or its source's, :meth:`PageCaps.full`) becomes
no request at all: it is listed in the job state's frontier, on disk, and counted
``skipped/cap`` the first time it is listed. A sitemap of a million URLs thus costs
a capped run the memory of its cap, not of the sitemap; what the run leaves, later
runs find again (the sitemaps are read every run, their known articles skipped).

Redirects out of scope: a page of a source (a URL on the source's hosts) that
redirects elsewhere is followed for one hop out of the source's hosts, and only to
an address the egress guard allows (crawler.middlewares.egress). The page it lands on
is archived as fetched, but not read: none of its links, feeds or sitemaps is
followed and no article is taken from it. A further redirect from there to another
host outside the source is not followed (``skipped/scope``). Chains that start
outside the source — a feed or sitemap the job lists on a CDN — are the job's own
choice and are read as before.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.http import Response, TextResponse

from crawler import sourcestats
from crawler.discovery.pagekind import PageKind, listing_section
from crawler.discovery.urls import url_key
from crawler.jobfiles.spec import Source
from crawler.scheduler import DISCOVERED
from crawler.spiders.indexes import ARTICLE_LINK_PRIORITY
from crawler.versions import known_not_due

# Links into a source this run does not crawl, left in the job's frontier for its run.
LINKS_TO_SOURCES_NOT_DUE = "news/links/to_sources_not_due"

if TYPE_CHECKING:
    from crawler.scheduler import PageCaps
    from crawler.spiders.news import NewsSpider

logger = logging.getLogger(__name__)


class LinkAdmission:
    """The link gate of :class:`NewsSpider` (``self`` is the spider)."""

    # The scheduler's caps, set when it opens (PageCaps.serve_caps_to).
    page_caps: PageCaps | None = None

    def _follow(self: NewsSpider, anchors: list[tuple[str, bool]], response: TextResponse,
                source: Source, kind: PageKind) -> Iterator[Request]:
        section = listing_section(response.url) if kind is PageKind.LISTING else None
        depth = response.meta.get("depth", 0) + 1
        # Over the cap, the rest of the page's links wait for a later run (docs/crawling.md).
        cap = self.crawler.settings.getint("NEWS_MAX_LINKS_PER_PAGE")
        admitted = 0
        for i, (href, says_pagination) in enumerate(anchors):
            link = self.links.resolve(response.url, href)
            if link is None or link.key in self.requested:
                continue  # most of a page: navigation, footer, "most read"
            if cap and admitted >= cap:
                self._defer("news/links/deferred", len(anchors) - i,
                            f"links of the page {response.url}", "NEWS_MAX_LINKS_PER_PAGE")
                return
            looks_like_article = link.article_shape and not (
                link.pagination_url or says_pagination)
            meta = {"section_hint": section} if section and looks_like_article else {}
            request = self._admit(link.url, source, depth=depth,
                                  priority=ARTICLE_LINK_PRIORITY if looks_like_article else 0,
                                  meta=meta, key=link.key)
            if request is not None:
                admitted += 1
                yield request

    def _admit(self: NewsSpider, url: str, source: Source, *, depth: int, priority: int,
               meta: dict[str, Any], modified: datetime | None = None,
               key: str | None = None) -> Request | None:
        """A request for a discovered link, or None (counted) when it is not followed.

        ``modified``: when a feed or sitemap says the page last changed; ``key``: the
        URL's url_key when the caller has it already."""
        key = key or url_key(url)
        if key in self.requested:
            return None
        owner = self.source_of(url, source.name) or source
        reason = self.scopes[owner.name].refusal(url)
        if reason is None and self.traps.is_trapped(url):
            reason = "trap"
        limit = owner.max_depth or self.max_depth
        if reason is None and limit and depth > limit:
            reason = "depth"
        if reason is None and self._known_not_due(key, modified):
            reason = "known"
            self._known_on_page += 1
        if reason is None and owner is not source and not self._taken_up(owner):
            # A link into a source this run left out (not due yet): fetched now, that
            # source would be crawled at another's pace. It waits in the job's frontier
            # for the run that takes the source up, uncounted, as its re-checks do.
            if self.state is not None and self.state.add_pending(key, url, owner.name):
                self.crawler.stats.inc_value(LINKS_TO_SOURCES_NOT_DUE)
            return None
        if reason is None and self.page_caps is not None and self.page_caps.full(owner.name):
            if self.state is None:
                reason = "cap"
            else:  # waits on disk for a later run, counted once
                if self.state.add_pending(key, url, owner.name):
                    sourcestats.count_skip(self.crawler.stats, owner.name, "cap")
                return None
        if reason is not None:
            refused = self.refused.setdefault(owner.name, set())
            if key not in refused:  # a site's footer links count once, not once per page
                refused.add(key)
                sourcestats.count_skip(self.crawler.stats, owner.name, reason)
            return None
        return self._request(url, owner, priority=priority, meta={DISCOVERED: True, **meta})

    def _taken_up(self: NewsSpider, source: Source) -> bool:
        """Whether this run crawls ``source``: it was due, or fell due meanwhile. Every
        source is, for a job without ``every``; a worker of a distributed crawl follows
        every link (which sources are due is the whole crawl's, not the worker's)."""
        return (self.source_times is None or not self.source_times.waiting
                or self.session.distributed is not None or source.name in self.sources_due
                or source.name in self.sources_taken)

    def _known_not_due(self: NewsSpider, key: str, modified: datetime | None) -> bool:
        session = self.session
        return self.skip_known and session.state is not None and known_not_due(
            session.state, session.policy, key, modified)

    # -- redirects out of scope ----------------------------------------------------
    def refuse_redirect(self: NewsSpider, request: Request) -> bool:
        """A redirect hop that would leave the source's hosts a second time in a row
        (counted once per URL as ``skipped/scope``)."""
        scope, hops = self.scopes.get(request.meta.get("source", "")), \
            request.meta.get("redirect_urls")
        if scope is None or not hops or not scope.owns(hops[0]) or scope.owns(hops[-1]) \
                or scope.owns(request.url):
            return False
        refused = self.refused.setdefault(scope.source.name, set())
        if url_key(request.url) not in refused:
            refused.add(url_key(request.url))
            sourcestats.count_skip(self.crawler.stats, scope.source.name, "scope")
        return True

    def _left_scope(self: NewsSpider, response: Response, source: Source) -> bool:
        """The response is where a page of the source redirected to, off its hosts:
        archived (the recorder has it), counted, and not read."""
        scope, hops = self.scopes[source.name], response.meta.get("redirect_urls")
        if not hops or not scope.owns(hops[0]) or scope.owns(response.url):
            return False
        self._count("news/pages/off_scope", source, "pages")
        host = urlsplit(response.url).netloc
        if (source.name, host) not in self._off_scope_hosts:
            self._off_scope_hosts.add((source.name, host))
            logger.info("Redirected out of source %s: %s -> %s; archived, not followed "
                        "(add %s to its allowed_domains to crawl it)",
                        source.name, hops[0], response.url, host)
        return True
