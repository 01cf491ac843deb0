"""Links of a page, resolved once per crawl rather than once per occurrence.

A news page carries 100-300 links, and most of them (navigation, footer,
"most read", related stories) are on every page of the site. Joining, cleaning
and canonicalising each occurrence cost more CPU than everything else the crawl
does with a page; this cache makes a link seen before one dictionary lookup.

What a link resolves to depends only on the href and on as much of the page's
URL as the href leaves open: nothing for an absolute URL, the scheme for
``//host/path``, the origin for ``/path``, the whole page URL otherwise — so
the site-wide links hit the cache from every page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from lxml.html import HtmlElement

from crawler.discovery.pagekind import NEXT_TEXT, article_url_shape, is_pagination_url
from crawler.discovery.urls import TrackingParams, clean_url, url_key

# Never requested, whatever the case or the tabs and newlines a browser would drop.
_NOT_LINKS = ("#", "javascript:", "vbscript:", "mailto:", "tel:", "data:", "file:")
URL_BLANKS = str.maketrans("", "", "\t\n\r")
# No real link holds NUL or another control character: a hostile or broken page.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class ResolvedLink:
    url: str  # absolute, without fragment and tracking parameters
    key: str  # url_key(url): the identity used for de-duplication
    pagination_url: bool  # the URL alone says "page N of a listing"
    article_shape: bool  # the URL is shaped like a story's


@dataclass(frozen=True)
class Link:
    url: str
    text: str
    rel: str
    is_pagination: bool


def iter_links(tree: HtmlElement, base_url: str) -> Iterator[Link]:
    """Every link of a page, absolute, with pagination marked (uncached: for one page)."""
    for element, href in page_anchors(tree):
        url = urljoin(base_url, href)
        text = element.text_content().strip() if element.tag == "a" else ""
        yield Link(url=url, text=text, rel=(element.get("rel") or "").lower(),
                   is_pagination=anchor_says_pagination(element) or is_pagination_url(url))


def page_anchors(tree: HtmlElement) -> Iterator[tuple[HtmlElement, str]]:
    """Every ``<a href>`` and ``<link rel=next>`` worth following, with its href."""
    # One walk in document order: the XPath union of the two kinds took time
    # quadratic in the number of links (26 s for a page of 20,000).
    for element in tree.iter("a", "link"):
        if element.tag == "link" and "next" not in (element.get("rel") or ""):
            continue
        href = (element.get("href") or "").strip()
        if href and not href.translate(URL_BLANKS).lower().startswith(_NOT_LINKS) \
                and not CONTROL_CHARACTERS.search(href):
            yield element, href


def anchor_says_pagination(element: HtmlElement) -> bool:
    """rel="next", or link text such as "Older posts" or "»"."""
    if "next" in (element.get("rel") or "").lower().split():
        return True
    return element.tag == "a" and NEXT_TEXT.match(element.text_content().strip()) is not None


class LinkResolver:
    """href on a page -> :class:`ResolvedLink`, remembered for the rest of the crawl."""

    def __init__(self, tracking: TrackingParams, capacity: int = 50_000) -> None:
        self.tracking = tracking
        self.capacity = capacity
        self._resolved: dict[tuple[str, str], ResolvedLink] = {}
        self._page_url = ""
        self._origin = ""
        self._scheme = ""

    def resolve(self, page_url: str, href: str) -> ResolvedLink | None:
        """None for an href no URL can be made of (``http://[oops/``, a port out of
        range): urllib raises on them."""
        context = self._context(page_url, href)
        link = self._resolved.get((context, href))
        if link is None:
            if len(self._resolved) >= self.capacity:
                # Wholesale, not LRU: the links worth keeping are back within a page or two.
                self._resolved.clear()
            try:
                link = self._resolve(urljoin(page_url, href))
            except ValueError:
                return None
            self._resolved[(context, href)] = link
        return link

    def _context(self, page_url: str, href: str) -> str:
        """The part of the page URL the href depends on."""
        if href.startswith(("http://", "https://")):
            return ""
        if page_url != self._page_url:
            parts = urlsplit(page_url)
            self._page_url = page_url
            self._scheme = parts.scheme
            self._origin = f"{parts.scheme}://{parts.netloc}"
        if href.startswith("//"):
            return self._scheme
        if href.startswith("/"):
            return self._origin
        return page_url

    def _resolve(self, absolute: str) -> ResolvedLink:
        url = clean_url(absolute, self.tracking)
        return ResolvedLink(url=url, key=url_key(url),
                            pagination_url=is_pagination_url(url),
                            article_shape=article_url_shape(url) is not None)
