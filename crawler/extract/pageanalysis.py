"""Everything the crawl needs from one HTML page, from a single parse.

What kind of page it is, its canonical URL, its links and advertised feeds,
and — for an article — the extracted article. The crawl runs this in its
worker processes (crawler.extract.pool), so the page is parsed once, off the
reactor, instead of once for discovery in the crawl and again for extraction.
No Scrapy import: it runs in workers and notebooks.

The extractor (trafilatura, the language model) is imported on first use, in
the workers: the crawl process hands this module's functions to its pool by
name and never needs them itself.

Hostile pages: libxml2 keeps its limits (nesting past 256 levels is cut off, so
no recursion here or in trafilatura goes deeper), and a script block over
``jsonld.MAX_BLOCK`` characters is emptied before the parse: libxml2 would stop
at a text node over 10 MB and lose the rest of the page, and no such block is
read anyway (a 10 MB JSON-LD block). A page of more than ``MAX_ELEMENTS``
elements is read for its links only: extraction costs ~2.5 KB of memory an
element, so a page of 100,000 links would take 250 MB of a worker, and a 20 MB
one (``DOWNLOAD_MAXSIZE``) well over a gigabyte.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from archive.fingerprint import fingerprint as text_fingerprint
from crawler.discovery.links import anchor_says_pagination, page_anchors
from crawler.discovery.pagekind import PageKind, classify, feed_links, page_signals
from crawler.discovery.requisites import may_name_lazy_backgrounds, page_requisites
from crawler.extract.jsonld import MAX_BLOCK
from crawler.extract.rights import NO_SIGNALS, RightsSignals, page_rights
from crawler.extract.standin import StandIn, page_standin, same_answer_key

#: Elements of a page whose article is extracted. News pages have a few thousand at
#: most (the largest of the extraction benchmark's 181 pages: 1,600).
MAX_ELEMENTS = 50_000
# what tree.iter() yields (elements, comments, processing instructions), counted by
# libxml2 without making a Python object of each: 0.1 ms a real page instead of 0.2
_COUNT_NODES = etree.XPath("count(descendant-or-self::*|descendant::comment()"
                           "|descendant::processing-instruction())")
_SCRIPT_START = re.compile(r"<script\b[^>]*>", re.I)
_SCRIPT_END = re.compile(r"</script", re.I)


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
    # Why a page that declares an article was not extracted (and is ``OTHER``):
    # "too_many_elements" (see the module docstring).
    not_extracted: str | None = None
    # What the page's meta tags say about its use (an article's: robots, TDM).
    rights: RightsSignals = NO_SIGNALS
    # The article text's fingerprint (archive.fingerprint), made here in the worker:
    # work the crawl's own thread need not do.
    fingerprint: list[int] | None = None
    # Not the page asked for but a challenge, consent wall or login form standing in for
    # it (crawler.extract.standin): nothing else is read from it.
    standin: StandIn | None = None
    # A tiny page of no kind: what the crawl compares across hosts to find a bot wall
    # answering for them all (crawler.extract.standin.SameAnswers).
    same_answer: str | None = None
    # (URL, kind) of what the page needs to be shown (crawler.discovery.requisites):
    # stylesheets, images, fonts, scripts, icons.
    requisites: list[tuple[str, str]] = field(default_factory=list)


def analyse_page(html: str | bytes, url: str, *, extract: bool = True,
                 find_requisites: bool = True) -> PageAnalysis | None:
    """The page's analysis, or None when it cannot be parsed as HTML.
    ``find_requisites=False``: no requisites (the job fetches none; 1 ms a real page)."""
    from crawler.extract.article import extract_from_tree, parse_html  # see the module docstring

    tree = parse_html(without_huge_scripts(html))
    if tree is None:
        return None
    signals = page_signals(tree, url)
    source = html if isinstance(html, str) else html.decode("latin-1")
    standin = page_standin(tree, source, url, declared_article=signals.declared_article)
    if standin is not None:
        return PageAnalysis(PageKind.OTHER, None, [], [], standin=standin)
    kind = classify(signals)
    # Links and feeds first: extraction edits the tree.
    anchors = [(href, anchor_says_pagination(element)) for element, href in page_anchors(tree)]
    feeds = list(feed_links(tree, url))
    requisites = [(found.url, found.kind) for found in page_requisites(
        tree, url, lazy_backgrounds=may_name_lazy_backgrounds(source))] if find_requisites else []
    if kind is not PageKind.ARTICLE:
        same_answer = same_answer_key(tree, url) if kind is PageKind.OTHER else None
        return PageAnalysis(kind, None, anchors, feeds, same_answer=same_answer,
                            requisites=requisites)
    if _COUNT_NODES(tree) > MAX_ELEMENTS:
        return PageAnalysis(PageKind.OTHER, None, anchors, feeds,
                            not_extracted="too_many_elements", requisites=requisites)
    canonical = signals.canonical
    rights = page_rights(tree, url)
    article = extract_from_tree(tree, url) if extract else None
    signature = text_fingerprint(article.get("text")) if article else None
    return PageAnalysis(kind, canonical, anchors, feeds, article, rights=rights,
                        fingerprint=signature, requisites=requisites)


def without_huge_scripts(html: str | bytes) -> str | bytes:
    """``html`` with the content of every script block over ``MAX_BLOCK`` characters
    removed (see the module docstring); a page smaller than that is returned as is."""
    if len(html) <= MAX_BLOCK or not isinstance(html, str):
        return html
    kept, pos = [], 0
    while (start := _SCRIPT_START.search(html, pos)) is not None:
        end = _SCRIPT_END.search(html, start.end())
        stop = end.start() if end else len(html)
        if stop - start.end() > MAX_BLOCK:
            kept.append(html[pos:start.end()])  # the tag, not what it holds
            pos = stop
        if end is None:
            break
        kept.append(html[pos:end.end()])
        pos = end.end()
    kept.append(html[pos:])
    return "".join(kept)
