"""Blocked pages: what the spider does with a page that stands in for the one asked for.

A challenge, consent wall or login form (crawler.extract.standin) is counted
(``pages/blocked``, ``pages/blocked/KIND``, per source ``source/NAME/blocked``) and
logged once per host, and nothing else: no article is taken from it and none of its
links is followed. The job's state keeps no article for its URL, so the URL is not
"known": the next run that finds it linked fetches it again. Its HTTP exchange is in
the WARC file like every other, as it was on the wire.

A stand-in that came with an error status (a 403 or 503 challenge) is counted as
blocked instead of as an HTTP error (``pages/blocked_by_status/STATUS``, taken off the
errors by crawler.extensions.summary.error_breakdown): the site answered, and
answered the same way for the next URL; a run's errors are for what failed, and a
wall counted twice would raise two alarms for one cause.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from scrapy.http import Response

from crawler import sourcestats
from crawler.extensions.summary import BLOCKED_PAGES, BLOCKED_PAGES_BY_STATUS
from crawler.extract.pageanalysis import PageAnalysis
from crawler.extract.standin import CHALLENGE, SameAnswers, StandIn
from crawler.jobfiles.spec import Source

if TYPE_CHECKING:
    from crawler.spiders.news import NewsSpider

logger = logging.getLogger(__name__)


class BlockedPages:
    """The stand-in handling of :class:`NewsSpider` (``self`` is the spider)."""

    same_answers: SameAnswers
    blocked_hosts: set[str]

    def _standin(self: NewsSpider, page: PageAnalysis, response: Response) -> StandIn | None:
        """The page's own verdict, or: it is the tiny page several hosts answer with."""
        if page.standin is not None:
            return page.standin
        if self.same_answers.answered(page.same_answer, response.url):
            return StandIn(CHALLENGE, f"same page from {self.same_answers.hosts} hosts")
        return None

    def _blocked(self: NewsSpider, response: Response, source: Source,
                 standin: StandIn) -> None:
        stats = self.crawler.stats
        stats.inc_value(BLOCKED_PAGES)
        stats.inc_value(f"{BLOCKED_PAGES}/{standin.kind}")
        sourcestats.count(stats, source.name, "blocked")
        sourcestats.count(stats, source.name, "pages")
        if response.status >= 400:
            stats.inc_value(f"{BLOCKED_PAGES_BY_STATUS}{response.status}")
        host = urlsplit(response.url).netloc
        if host not in self.blocked_hosts:
            self.blocked_hosts.add(host)
            logger.warning("Blocked: %s answers with a %s page (%s, HTTP %d) instead of %s; "
                           "counted as blocked, not archived as an article, asked for "
                           "again next run", host, standin.kind, standin.sign,
                           response.status, response.url)
