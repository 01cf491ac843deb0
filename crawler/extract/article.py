"""Article extraction: clean body text and metadata from one HTML page.

The body comes from trafilatura in precision mode (comments off), followed by a
line filter for boilerplate that survives it (ad labels, share prompts,
newsletter pitches, "Read more" teasers, photo credits). Metadata (title,
authors, dates, language...) comes from :mod:`crawler.extract.metadata`.

The page is parsed once; trafilatura and htmldate receive the lxml tree.
No Scrapy import: extraction runs in worker processes and notebooks too.
"""

from __future__ import annotations

import re
from copy import deepcopy
from html import unescape

import trafilatura
from lxml.html import HtmlElement
from w3lib.encoding import html_body_declared_encoding, html_to_unicode

from crawler.extract._comparison_shortcut import own_extraction
from crawler.extract._headline import heading_before_body
from crawler.extract._layout import (
    drop_link_lines,
    drop_related_blocks,
    drop_teaser_lists,
    keep_embedded_posts,
    keep_linked_phrases,
    unwrap_layout_tables,
)
from crawler.extract._split_body import join_split_bodies
from crawler.extract.jsonld import find_article, jsonld_objects, not_accessible_for_free, types_of
from crawler.extract.language import choose_language
from crawler.extract.metadata import article_metadata, first_meta, is_byline, meta_tags
from crawler.extract.microdata import declares_one_article

__all__ = ["MIN_TEXT_CHARS", "extract_article", "extract_from_tree", "parse_html"]

#: Bodies shorter than this (after cleanup) are not kept: error pages, stubs, teasers.
MIN_TEXT_CHARS = 200

# --- decoding ------------------------------------------------------------------------


def _decode(data: bytes) -> str:
    """Bytes to text as Scrapy decodes a response (w3lib): BOM, then a declared charset
    (``<meta>`` or the XML declaration; latin-1 and ASCII labels read as windows-1252,
    as browsers do), else UTF-8, undecodable bytes replaced."""
    # w3lib would read a page whose <meta> declares UTF-16/32 as UTF-16: but the
    # declaration was readable as ASCII, so the page is not UTF-16, and the WHATWG
    # prescan reads it as UTF-8. A charset passed as the header takes precedence.
    declared = html_body_declared_encoding(data)
    header = "charset=utf-8" if declared and declared.startswith(("utf-16", "utf-32")) else None
    return html_to_unicode(header, data)[1]


# --- body text -----------------------------------------------------------------------

# Whole lines that label page furniture rather than say anything. A bare header
# ("Related stories", "Don't miss") also takes the list items right after it.
_FURNITURE_HEADER = re.compile(
    r"^(?:advertisement|advertising|sponsored(?: content)?|anzeige|publicidad|publicité|"
    r"related(?: stories| articles| posts| content| coverage| news| links| reading)?|"
    r"read (?:more|next|also)|also read|see also|more (?:on this|from|stories|news)\b.{0,40}|"
    r"keep reading|further reading|what to read next|more to read|"
    r"don'?t miss|recommended(?: for you)?|most (?:read|popular|viewed)|trending(?: now)?|"
    r"you (?:may|might) also (?:like|be interested in)|share(?: this)?(?: article| story| post)?|"
    r"tags|topics|comments?|\d+ comments?|leave a (?:comment|reply)|print|email)[\s:.!]*$",
    re.I,
)
_FURNITURE_LINE = re.compile(
    r"^(?:"
    # teaser links: "Read more: Other headline", "RELATED: ...", "Also on example.com ..."
    r"(?:read (?:more|also|next)|also read|see (?:also|more)|related(?: article| story)?|"
    r"more|watch|listen|don'?t miss|recommended)\s*[:|>»]\s?.{0,200}"
    r"|also on [\w.-]+\.[a-z]{2,}\b.{0,200}"
    # share and follow prompts
    r"|(?:like this (?:story|article)\?|share (?:this|on|via)\b).{0,100}"
    r"|follow (?:us|@?\w+(?: \w+)?) on (?:twitter|facebook|instagram|linkedin|youtube|x)\b.{0,150}"
    # newsletter and subscription pitches
    r"|.{0,120}\b(?:sign up|subscribe|signup)\b.{0,80}"
    r"\b(?:newsletters?|inbox|email alerts)\b.{0,120}"
    r"|.{0,80}\bnewsletters?\b.{0,60}\b(?:sign up|subscribe|delivered)\b.{0,120}"
    r"|get the latest .{0,80}\b(?:inbox|newsletters?)\b.{0,60}"
    # photo credits and captions' credit lines
    r"|(?:photo|image|picture|illustration|credit|foto)s?(?: credit)?\s*:.{0,150}"
    r"|\(?(?:photo|image|picture)s? (?:by|courtesy of|credit)\b.{0,150}"
    r"|.{0,150}\((?:photo|image|picture)s?:? .{0,60}\)"
    # a copyright or reprint notice (bare URLs stay: in deal and link posts they are the content)
    r"|(?:©|\(c\)|copyright\b).{0,150}"
    r"|.{0,40}\bfor your personal,? non-commercial use only\b.{0,250}"
    r")$",
    re.I,
)
_TOKENS = re.compile(r"\w+")
# What may remain of a dateline ("Updated: Tue, June 8, 2021 at 9:30 a.m. EDT") once the
# digits are gone: month and weekday names, connectives, time-of-day and zone words.
_DATELINE_WORDS = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|mon|tue|tues|wed|thu|thur|thurs|"
    r"fri|sat|sun)[a-z]*\.?|\b(?:updated|published|posted|last|modified|on|at|am|pm|"
    r"utc|gmt|[ecmp][sd]t|bst|cet|cest)\b|\b[ap]\.m\.|[\d\s,.:/|()+-]"
    # the same in German, French, Spanish, Italian, Dutch (months not caught above, words)
    r"|\b(?:januar|februar|märz|mai|juni|juli|oktober|dezember|janvier|février|mars|avril|"
    r"juin|juillet|août|septembre|octobre|novembre|décembre|enero|febrero|marzo|abril|mayo|"
    r"junio|julio|agosto|septiembre|octubre|noviembre|diciembre|gennaio|febbraio|aprile|"
    r"maggio|giugno|luglio|settembre|ottobre|dicembre|januari|februari|maart|mei|augustus|"
    r"uhr|um|am|le|el|il|à|de|del|op|aktualisiert|veröffentlicht|mis à jour|publié)\b",
    re.I,
)
# "Lahnfurt, 11.06.2024", "NEW YORK, June 5, 2024": a place name of up to three words before
# the date; what is left must still be a dateline
_DATELINE_PLACE = re.compile(r"^[^\W\d_][\w'’.-]*(?: [^\W\d_][\w'’.-]*){0,2}, ")
# "Lahnfurt, 11.06.2024 / Von Klaus Bauer": dateline and byline on one line
_META_SEPARATOR = re.compile(r"\s+[/|•·]\s+")


def _norm(text: str) -> str:
    return " ".join(_TOKENS.findall(text.casefold()))


def _clean_body(text: str, title: str | None) -> str:
    """Drop boilerplate lines trafilatura let through, and a repeated headline at the top."""
    lines = [line.strip() for line in text.splitlines()]
    kept: list[str] = []
    in_list_after_header = False
    for line in lines:
        if not line:
            continue
        if in_list_after_header and line.startswith(("- ", "• ", "* ")):
            continue
        in_list_after_header = bool(_FURNITURE_HEADER.match(line))
        if in_list_after_header or _FURNITURE_LINE.match(line):
            continue
        if kept and line == kept[-1]:
            continue
        kept.append(line)
    # headline, byline and dateline have fields of their own; trafilatura sometimes
    # keeps them as the body's opening lines
    while kept and ((title and _norm(kept[0]) == _norm(title)) or _is_byline_or_dateline(kept[0])):
        kept.pop(0)
    return "\n".join(kept)


def _is_dateline(line: str) -> bool:
    if not (len(line) <= 60 and re.search(r"\d{4}", line)):
        return False
    return not _DATELINE_WORDS.sub("", _DATELINE_PLACE.sub("", line, count=1))


def _is_byline_or_dateline(line: str) -> bool:
    parts = _META_SEPARATOR.split(line) if len(line) <= 160 else [line]
    return all(is_byline(part) or _is_dateline(part) for part in parts)


def _looks_like_listing(tree: HtmlElement, text: str) -> bool:
    """A section/index page: the "body" is stitched together from several teasers.

    Only asked of pages without article markup. Teasers are ``<article>``
    elements holding a link, or the containers of linked ``<h2>``/``<h3>``
    headlines; an article page has a few of those too (related stories), but its
    body text does not come from them.
    """
    if any(types_of(obj) & {"CollectionPage", "ItemList", "SearchResultsPage"}
           for obj in jsonld_objects(tree)):
        return True
    containers = {id(el): el for el in tree.xpath("//article[.//a[@href]]")}
    for heading in tree.xpath("//*[self::h2 or self::h3][.//a[@href]]"):
        parent = heading.getparent()
        if parent is not None and parent.tag not in ("body", "html"):
            containers.setdefault(id(parent), parent)
    if len(containers) < 3:
        return False
    lines = [_norm(line) for line in text.split("\n")]
    lines = [line for line in lines if len(line) >= 20]
    if not lines:
        return False
    teaser_texts = [_norm(el.text_content()) for el in containers.values()]
    hits = [any(line in t for line in lines) for t in teaser_texts]
    from_teasers = [line for line in lines if sum(line in t for t in teaser_texts) == 1]
    # several teasers contribute, and together they make up most of the "body"
    return sum(hits) >= 3 and len(from_teasers) * 2 >= len(lines)


def _body(tree: HtmlElement, url: str | None, title: str | None, article: dict) -> str:
    """Body text: trafilatura in precision mode, else balanced mode, else JSON-LD ``articleBody``.

    Precision mode keeps boilerplate out of most pages but now and then throws
    the whole article away; the retries only run on those pages, so they cost
    little overall. Before that, layout tables are unwrapped, related-story
    boxes and link-only lines removed and embedded social posts freed from the
    wrappers trafilatura discards (see :mod:`crawler.extract._layout`): ``tree`` is
    changed in place.
    """
    unwrap_layout_tables(tree)
    join_split_bodies(tree)
    drop_related_blocks(tree)
    drop_link_lines(tree, url)
    drop_teaser_lists(tree, url)
    keep_embedded_posts(tree)
    keep_linked_phrases(tree)
    text = ""
    for favor_precision in (True, False):
        with own_extraction():
            document = trafilatura.bare_extraction(
                tree, url=url, include_comments=False, favor_precision=favor_precision
            )
        if document is not None and document.text:
            candidate = _clean_body(document.text, title)
            if len(candidate) > len(text):
                text = candidate
        if len(text) >= MIN_TEXT_CHARS:
            return text
    # pages that render the article with JavaScript often still ship it as JSON-LD
    embedded = article.get("articleBody")
    if isinstance(embedded, str):
        candidate = _clean_body(unescape(embedded), title)
        if len(candidate) > len(text):
            text = candidate
    return text


# --- paywall -------------------------------------------------------------------------


def _paywalled(article: dict, metas: dict[str, list[str]]) -> bool:
    """The page says the text is only a paywalled article's public part: its JSON-LD
    (``isAccessibleForFree: false`` on the article or a part of it), the same in microdata
    (``<meta itemprop="isAccessibleForFree" content="false">``), or the content tier meta
    tag (``article:content_tier`` = ``locked``; ``metered`` pages are free until a quota,
    so they are not marked)."""
    if not_accessible_for_free(article):
        return True
    if any(not_accessible_for_free({"isAccessibleForFree": value})
           for value in metas.get("isaccessibleforfree", ())):
        return True
    tier = first_meta(metas, "article:content_tier", "og:article:content_tier")
    return (tier or "").strip().lower() == "locked"


# --- entry point ---------------------------------------------------------------------


def extract_article(html: str | bytes, url: str) -> dict | None:
    """Extract the article of one HTML page, or None if it has no article body worth keeping.

    ``html`` is the page as text or as raw bytes (decoded by w3lib as Scrapy
    decodes a response: BOM, ``<meta charset>``, else UTF-8 with replacement
    characters). The result has exactly the keys ``title`` (from metadata, else
    the heading just above the body when ``<title>`` confirms none), ``text``
    (paragraphs separated by ``"\\n"``), ``authors``, ``published``, ``modified``
    (ISO 8601 with the page's own offset, or a bare date), ``language`` (primary subtag, e.g.
    ``"en"``: the article's JSON-LD ``inLanguage``, else ``<html lang>``/meta
    tags unless the text clearly contradicts them, else identified from the
    text; see :mod:`crawler.extract.language`), ``sitename``, ``section``,
    ``description``, ``tags``, ``image``, ``canonical_url`` (absolute URLs) and
    ``paywalled`` (the JSON-LD says the text is only a paywalled article's public part).
    Garbage, empty or binary input gives None; a non-str/bytes ``html`` is a
    caller's bug and raises TypeError.
    """
    tree = parse_html(html)
    return None if tree is None else extract_from_tree(tree, url)


def parse_html(html: str | bytes) -> HtmlElement | None:
    """The page's lxml tree as trafilatura parses it, or None for garbage or an empty page.

    One parse serves the crawler's page analysis and the extraction
    (:mod:`crawler.extract.pageanalysis`); a non-str/bytes ``html`` raises TypeError.
    """
    if isinstance(html, bytes):
        html = _decode(html)
    elif not isinstance(html, str):
        raise TypeError(f"html must be str or bytes, not {type(html).__name__}")
    if not html.strip():
        return None
    return trafilatura.load_html(_without_leading_debris(html))


# PHP prints its warnings before the page when a plugin misbehaves ("<b>Warning</b>:  Use
# of undefined constant ..."); a document that does not open with <!DOCTYPE> or <html>
# is parsed as a fragment, without <head> or <body>
_DOCUMENT_START = re.compile(r"<(?:!doctype\b|html\b)", re.I)
_SERVER_DEBRIS = re.compile(r"<b>(?:warning|notice|deprecated|strict standards)</b>:", re.I)
_DEBRIS_SCAN = 20_000


def _without_leading_debris(html: str) -> str:
    """``html`` from its <!DOCTYPE>/<html> on when what comes before is a server's warnings."""
    page = html.lstrip()
    head = page[:_DEBRIS_SCAN]
    if head[:2] == "<!" or head[:5].lower() == "<html":
        return html
    start = _DOCUMENT_START.search(head)
    if start is None or not _SERVER_DEBRIS.search(head, 0, start.start()):
        return html
    return page[start.start():]


def extract_from_tree(tree: HtmlElement, url: str) -> dict | None:
    """:func:`extract_article` on a tree from :func:`parse_html`, which it changes."""
    metas = meta_tags(tree)
    article = find_article(tree)
    record = article_metadata(tree, url, metas, article or {})
    # pages that declare themselves articles (JSON-LD, og:type) are taken at their word
    declared = (article is not None or "article" in (first_meta(metas, "og:type") or "").lower()
                or declares_one_article(tree))
    # _body edits the tree it gets; the listing check needs the page's teasers intact
    text = _body(tree if declared else deepcopy(tree), url, record["title"], article or {})
    if record.pop("title_guessed") and text:
        # no metadata named the headline: the heading right above the body is the best witness
        heading = heading_before_body(tree, text, record["sitename"])
        if heading:
            record["title"] = heading
            first, _, rest = text.partition("\n")
            if _norm(first) == _norm(heading):
                text = rest
    if len(text) < MIN_TEXT_CHARS:
        return None
    if not declared and _looks_like_listing(tree, text):
        return None
    record["language"] = choose_language(
        record["language"], text, by_article=record.pop("language_by_article")
    )
    # A paywalled article shows its public part: the record says it is not the whole.
    record["paywalled"] = _paywalled(article or {}, metas)
    return {"title": record.pop("title"), "text": text, **record}
