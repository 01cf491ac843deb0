"""Page requisites: what the spider asks for besides an archived HTML page, so that the
page replays as its readers saw it (crawler.requisites).

Each HTML page archived (articles and listings, not stand-ins or copies) hands over
the requisites found in it (crawler.discovery.requisites, in the extraction worker).
Each is asked for once per crawl (a stylesheet shared by every page, once), and not
again on later runs until it is due for a re-check (``REQUISITES_RECHECK_DAYS``
after its last fetch; then conditionally, and archived as a revisit record when it
has not changed). A stylesheet is read for what it needs in turn (``@import``,
fonts and images in ``url()``), up to ``REQUISITES_CSS_DEPTH`` steps from the page;
nothing else of a requisite is read, followed or extracted.

Requisite requests carry no source (``meta["source"]``): they are not the source's
pages (``--max-pages`` and the source's caps count pages), and a missing icon is not
the source failing. Caps (count and bytes, per page and per crawl) are in
crawler.middlewares.requisites; what was skipped is counted by rule
(``requisites/skipped/RULE``).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from crawler.discovery.requisites import css_requisites
from crawler.discovery.urls import is_http_url, slot_key, url_key
from crawler.jobfiles.spec import Source
from crawler.requisites.policy import RequisitePolicy
from crawler.spiders.methodrequest import SpiderMethodRequest

if TYPE_CHECKING:
    from crawler.spiders.news import NewsSpider
    from crawler.versions import LeftOver

# meta: the requisite's kind (crawler.discovery.requisites.KINDS), the page it was
# found for, and how many steps from that page (1: named by the page itself).
REQUISITE_META_KEY = "requisite"
REQUISITE_OF_META_KEY = "requisite_of"
REQUISITE_DEPTH_META_KEY = "requisite_depth"
# Below every page: a page's requisites wait behind the pages already queued, but
# come before the crawl ends, as every request does.
REQUISITE_PRIORITY = -10
SKIPPED = "requisites/skipped/"


class PageRequisites:
    """The requisite handling of :class:`NewsSpider` (``self`` is the spider)."""

    requisite_policy: RequisitePolicy
    requisites_seen: set[str]
    requisites_per_page: int
    requisite_css_depth: int
    requisite_recheck: float  # seconds

    def configure_requisites(self: NewsSpider) -> None:
        settings = self.crawler.settings
        spec = self.job_spec
        self.requisite_policy = RequisitePolicy(
            settings.get("REQUISITES") or spec.requisites,
            {source.name: source.requisites for source in spec.sources},
            spec.requisites_exclude)
        self.requisites_seen = set()
        self.requisites_per_page = settings.getint("REQUISITES_PER_PAGE")
        self.requisite_css_depth = settings.getint("REQUISITES_CSS_DEPTH")
        self.requisite_recheck = settings.getfloat("REQUISITES_RECHECK_DAYS") * 86400

    def page_requisites(self: NewsSpider, response: Response, source: Source | None,
                        found: Sequence[tuple[str, str]], depth: int = 1) -> Iterator[Request]:
        """Requests for the requisites ``found`` for ``response`` (a page, or a
        stylesheet ``depth - 1`` steps from one) not asked for yet in this crawl."""
        # (the page's URL, its source): a stylesheet carries its page's.
        page = response.meta.get(REQUISITE_OF_META_KEY) or \
            (response.url, source.name if source is not None else None)
        source_name = page[1]
        if not found or not self.requisite_policy.fetches_any(source_name):
            return
        stats = self.crawler.stats
        issued = 0
        for url, kind in found:
            key = url_key(url)
            if key in self.requisites_seen or not is_http_url(url):
                continue  # asked for already in this crawl (any page's)
            refusal = self.requisite_policy.refusal(url, page[0], source_name)
            if refusal is None and issued >= self.requisites_per_page:
                # Over this page's cap only: another page that names it may still ask.
                stats.inc_value(SKIPPED + "page_cap")
                continue
            self.requisites_seen.add(key)
            if refusal is None and self._requisite_fresh(key):
                refusal = "fresh"
            if refusal is not None:
                stats.inc_value(SKIPPED + refusal)
                continue
            if not self._first_in_crawl("requisites", key):
                continue  # another worker of a distributed crawl asked for it
            issued += 1
            yield self._requisite_request(url, key, kind, page, depth)

    def _requisite_request(self: NewsSpider, url: str, key: str, kind: str,
                           page: tuple[str, str | None], depth: int) -> Request:
        self.crawler.stats.inc_value("requisites/requested")
        if self.state is not None:  # until fetched: a killed run's successor asks again
            self.state.add_pending(key, url, page[1], requisite=json.dumps(
                {"kind": kind, "of": page[0], "depth": depth}))
        return SpiderMethodRequest(
            url, callback=self.parse_requisite, errback=self.requisite_failed,
            priority=REQUISITE_PRIORITY, dont_filter=True,
            meta={REQUISITE_META_KEY: kind, REQUISITE_OF_META_KEY: page,
                  REQUISITE_DEPTH_META_KEY: depth, "download_slot": slot_key(url)})

    def carried_requisite(self: NewsSpider, left: LeftOver) -> Request | None:
        """A requisite an earlier run asked for and never got (it was killed, or stopped
        at a cap), asked for again unless the job's rules now refuse it. It counts
        towards no page's cap: its page is not in this run."""
        try:
            note = json.loads(left.requisite or "")
            kind, page_url, depth = str(note["kind"]), str(note["of"]), int(note["depth"])
        except (ValueError, TypeError, KeyError):
            return None  # not written by this version: dropped, as a page would be
        key = url_key(left.url)
        if key in self.requisites_seen or not is_http_url(left.url) or \
                not self.requisite_policy.fetches_any(left.source):
            return None  # this run asks for none of the source's requisites
        self.requisites_seen.add(key)
        refusal = self.requisite_policy.refusal(left.url, page_url, left.source)
        if refusal is None and self._requisite_fresh(key):
            refusal = "fresh"
        if refusal is not None:
            self.crawler.stats.inc_value(SKIPPED + refusal)
            return None
        if not self._first_in_crawl("requisites", key):
            return None
        return self._requisite_request(left.url, key, kind, (page_url, left.source), depth)

    def _requisite_fresh(self: NewsSpider, key: str) -> bool:
        """Archived by an earlier run, recently enough not to be asked again yet."""
        state = self.state
        if state is None or self.requisite_recheck <= 0:
            return False
        known = state.page(key)
        return (known is not None and known.capture is not None
                and known.last_fetched is not None
                and time.time() - known.last_fetched < self.requisite_recheck)

    def parse_requisite(self: NewsSpider, response: Response) -> Iterator[Request]:
        """A requisite arrived (archived by now): a stylesheet is read for its own."""
        stats = self.crawler.stats
        if response.status == 304:
            stats.inc_value("requisites/not_modified")
            return
        stats.inc_value("requisites/fetched" if response.status < 400 else "requisites/failed")
        depth = response.meta.get(REQUISITE_DEPTH_META_KEY, 1)
        if response.status >= 300 or depth >= self.requisite_css_depth or \
                not _is_stylesheet(response):
            return
        css = response.text if isinstance(response, TextResponse) else \
            response.body.decode("utf-8", "replace")
        found = [(r.url, r.kind) for r in css_requisites(css, response.url)]
        yield from self.page_requisites(response, None, found, depth + 1)

    def requisite_failed(self: NewsSpider, failure: Failure) -> None:
        """No answer (counted by the downloader), or dropped by a cap or robots.txt
        (counted where it was dropped): a requisite missing is not the crawl failing."""
        if not failure.check(IgnoreRequest):
            self.crawler.stats.inc_value("requisites/no_answer")


def _is_stylesheet(response: Response) -> bool:
    content_type = response.headers.get(b"Content-Type", b"").decode("latin-1").lower()
    return "css" in content_type or (
        not content_type and response.meta.get(REQUISITE_META_KEY) == "stylesheet")
