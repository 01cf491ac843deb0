"""Everything the crawl needs from one HTML page, from a single parse.

What kind of page it is, its canonical URL, its links and advertised feeds,
and — for an article — the extracted article. The crawl runs this in its
worker processes (crawler.extract.pool), so the page is parsed once, off the
reactor, instead of once for discovery in the crawl and again for extraction.
No Scrapy import: it runs in workers and notebooks.

The extractor (trafilatura, the language model) is imported on first use, in
the workers: the crawl process hands this module's functions to its pool by
name and never needs them itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from crawler.discovery.links import anchor_says_pagination, page_anchors
from crawler.discovery.pagekind import PageKind, classify, feed_links, page_signals
from crawler.extract.rights import NO_SIGNALS, RightsSignals, page_rights


@dataclass(frozen=True)
class PageAnalysis:
    kind: PageKind
    canonical: str | None  # absolute, as the page declares it (articles only)
    # (href as written, the anchor itself says "next page": rel=next, "Older posts")
    anchors: list[tuple[str, bool]]
    feeds: list[str]  # absolute URLs of the RSS/Atom feeds the page advertises
    # The extracted article (crawler.extract.article) of an article page when asked for;
    # None when not asked for or when the page holds no article text after all.
    article: dict[str, Any] | None = None
    # What the page's meta tags say about its use (an article's: robots, TDM).
    rights: RightsSignals = NO_SIGNALS


def analyse_page(html: str | bytes, url: str, *, extract: bool = True) -> PageAnalysis | None:
    """The page's analysis, or None when it cannot be parsed as HTML."""
    from crawler.extract.article import extract_from_tree, parse_html  # see the module docstring

    tree = parse_html(html)
    if tree is None:
        return None
    signals = page_signals(tree, url)
    kind = classify(signals)
    # Links and feeds first: extraction edits the tree.
    anchors = [(href, anchor_says_pagination(element)) for element, href in page_anchors(tree)]
    feeds = list(feed_links(tree, url))
    if kind is not PageKind.ARTICLE:
        return PageAnalysis(kind, None, anchors, feeds)
    canonical = signals.canonical
    rights = page_rights(tree, url)
    article = extract_from_tree(tree, url) if extract else None
    return PageAnalysis(kind, canonical, anchors, feeds, article, rights=rights)


def analyse_page_only(html: str | bytes, url: str) -> PageAnalysis | None:
    """:func:`analyse_page` without extraction (``EXTRACT_ENABLED = False``); a
    module-level function, so that worker processes can be handed it by name."""
    return analyse_page(html, url, extract=False)
