"""Tree fixes applied before trafilatura sees a page.

Two kinds of markup defeat trafilatura's boilerplate heuristics on their own:

* **Layout tables.** Legacy sites lay the whole page out in a ``<table>``
  (navigation cell, story cell, classifieds cell, footer row). trafilatura
  treats every table as content and emits it whole, one ``| cell | cell |``
  line per row, so the navigation, sidebars and copyright line land in the
  body. Relabelling such tables as ``<div>`` lets trafilatura judge each cell
  like any other block and keep only the story cell.
* **Related-content boxes with a heading** ("Keep reading", "More on this
  story") inside ``<main>``/``<article>``: trafilatura keeps them because of
  where they sit. A heading of that kind followed by link-carrying teasers is
  furniture wherever it appears.

* **Link-only lines** in the story: "Printer-friendly version | Email this
  story", "Read also: <other headline>" (in any language). trafilatura keeps
  them because they are ``<p>`` elements among the paragraphs. A short
  paragraph that is almost all link text, or a label and a link, is furniture;
  a sentence that merely contains a link is not.
* **Embedded social posts** (the ``<blockquote>`` of a Twitter/X, Instagram,
  TikTok, Bluesky... embed) are quoted content, but sites wrap them in
  ``<div class="embed ...">`` or ``<figure>``, which trafilatura discards
  wholesale. The post is lifted out of wrappers that hold nothing else.

All functions change the tree in place; the caller passes a tree it owns and
has finished reading metadata from.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from lxml.html import HtmlElement

__all__ = [
    "drop_link_lines",
    "drop_related_blocks",
    "drop_teaser_lists",
    "keep_embedded_posts",
    "keep_linked_phrases",
    "unwrap_layout_tables",
]

_BLOCKS = ("p", "div", "h1", "h2", "h3", "h4", "table", "ul", "ol", "form", "section", "article")
# A cell holding this much text is a page region, not a value in a data table.
_LONG_CELL = 600


def _own_cells(table: HtmlElement) -> list[HtmlElement]:
    return table.xpath("./tr/td | ./tbody/tr/td | ./thead/tr/td | ./tfoot/tr/td")


def _is_layout_table(table: HtmlElement) -> bool:
    """A table used for page layout rather than for tabular data.

    Data tables have header cells or a caption and hold short values; layout
    tables hold whole regions of the page: other tables, headings, several
    paragraphs, or a long run of text in one cell.
    """
    if table.xpath("./caption | ./thead | ./tr/th | ./tbody/tr/th"):
        return False
    for cell in _own_cells(table):
        blocks = cell.xpath(".//*[" + " or ".join(f"self::{tag}" for tag in _BLOCKS) + "]")
        if any(el.tag in ("table", "h1", "h2", "h3") for el in blocks):
            return True
        if len(blocks) >= 3 or len(cell.text_content()) >= _LONG_CELL:
            return True
    return False


def unwrap_layout_tables(tree: HtmlElement) -> int:
    """Relabel layout tables (and their rows and cells) as ``<div>``; returns how many."""
    count = 0
    # outermost first: once a layout table is unwrapped, tables inside its cells
    # are judged on their own (a real data table inside the story cell stays a table)
    for table in list(tree.iter("table")):
        if not _is_layout_table(table):
            continue
        rows = table.xpath("./tr | ./tbody/tr | ./thead/tr | ./tfoot/tr")
        sections = table.xpath("./tbody | ./thead | ./tfoot")
        for el in [table, *sections, *rows, *_own_cells(table)]:
            el.tag = "div"
        count += 1
    return count


# Headings that introduce links to other stories rather than more of this one.
_RELATED_HEADING = re.compile(
    r"^(?:keep reading|read (?:more|next|also|on)|also read|what to read next|further reading|"
    r"more (?:on this(?: story| topic)?|to read|like this|stories|from \S.{0,40}|in \S.{0,40})|"
    r"related(?: stories| articles| posts| content| coverage| news| links| reading| topics)?|"
    r"see also|you (?:may|might) also (?:like|enjoy|be interested in)|recommended(?: for you)?|"
    r"(?:most|recently) (?:read|popular|viewed|shared)|trending(?: now)?|latest (?:news|stories)|"
    r"editor'?s picks|top stories|don'?t miss)[\s:.!]*$",
    re.I,
)
_HEADING_TAGS = ("h2", "h3", "h4", "h5", "h6")
# Teasers are mostly link text; a headline-plus-standfirst card is about a third.
_MIN_LINK_SHARE = 0.25


def _link_share(elements: list[HtmlElement]) -> float:
    total = sum(len(el.text_content().strip()) for el in elements)
    linked = sum(len(a.text_content().strip()) for el in elements for a in el.iter("a"))
    return linked / total if total else 0.0


def drop_related_blocks(tree: HtmlElement) -> int:
    """Remove "Keep reading"-style headings with the teaser links that follow them.

    The teasers are the heading's following siblings up to the next heading;
    they are removed only when they carry links and a fair share of their text
    is link text, so a section that merely has such a title stays. Returns how
    many blocks were removed.
    """
    removed = 0
    for heading in list(tree.iter(*_HEADING_TAGS)):
        if heading.getparent() is None or not _RELATED_HEADING.match(
            " ".join(heading.text_content().split())
        ):
            continue
        teasers = []
        for sibling in heading.itersiblings():
            if sibling.tag in _HEADING_TAGS:
                break
            teasers.append(sibling)
        if not any(True for el in teasers for _ in el.iter("a")):
            continue
        if _link_share(teasers) < _MIN_LINK_SHARE:
            continue
        for el in [heading, *teasers]:
            el.drop_tree()
        removed += 1
    return removed


# --- link-only lines -----------------------------------------------------------------

# Longer paragraphs are prose even when linked throughout (a link-heavy roundup).
_LINK_LINE_MAX = 160
# Almost all link text: furniture whatever the rest says ("Email this story | Print").
_LINK_LINE_SHARE = 0.8
# A label and a link ("Read also: ...", "Lesen Sie auch: ..."): a few words ending in a
# colon or an arrow, and at least half the text linked.
_LABELLED_SHARE = 0.5
_LABEL = re.compile(r"^\W*(?:\w+\W+){0,3}\w+\s*[:>»›→]\W*$|^\W*$")
_WS = re.compile(r"\s+")


def _squash(text: str) -> str:
    return _WS.sub(" ", text).strip()


def _host(url: str) -> str:
    """The URL's host without "www."; "" for one no host can be read from (a hostile
    page's ``http://[oops/``: urllib raises)."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host[4:] if host.startswith("www.") else host


def _points_inside(href: str, site: str) -> bool:
    """A link to the site's own pages or a page action (print, mail, top of page)."""
    href = href.strip()
    if href.lower().startswith(("mailto:", "javascript:", "#", "tel:", "sms:")):
        return True
    if not href.lower().startswith(("http://", "https://", "//")):
        return True  # relative: same site
    return bool(site) and _host(href if "://" in href else "http:" + href) == site


def drop_link_lines(tree: HtmlElement, url: str | None) -> int:
    """Remove short ``<p>`` elements made (almost) only of links; returns how many.

    Language-independent: it looks at how much of the paragraph is link text
    and at the shape of the rest (nothing, separators, or a short label ending
    in a colon), not at what the words say. Only lines whose links stay on the
    site (``url``'s host, relative links, print/mail actions) go: that is where
    cross-references and page tools point, while a line linking elsewhere
    ("[Engadget]", "Account: @name") credits a source and belongs to the story.
    """
    site = _host(url or "")
    removed = 0
    for para in tree.xpath("//p[.//a[@href]]"):
        if not all(_points_inside(a.get("href") or "", site) for a in para.iter("a")
                   if a.get("href") is not None):
            continue
        text = _squash(para.text_content())
        if not text or len(text) > _LINK_LINE_MAX:
            continue
        linked = sum(len(_squash(a.text_content())) for a in para.iter("a"))
        share = linked / len(text)
        if share < _LABELLED_SHARE:
            continue
        label = _squash(" ".join(para.xpath(".//text()[not(ancestor::a)]")))
        if share >= _LINK_LINE_SHARE or _LABEL.match(label):
            para.drop_tree()  # keeps the tail text
            removed += 1
    return removed


# Teaser lists ("More great stories", "Related:" bullets): every item short and mostly
# a link to the site's own pages. A list of sources or of other sites stays.
_TEASER_LIST_MIN_ITEMS = 3
_TEASER_ITEM_MAX = 160


def drop_teaser_lists(tree: HtmlElement, url: str | None) -> int:
    """Remove ``<ul>``/``<ol>`` lists whose items are all short links into the site.

    The same test as :func:`drop_link_lines`, item by item: each item at most
    160 characters, at least half of it link text, every link pointing inside the
    site. Lists that merely contain links, or link elsewhere, stay.
    """
    site = _host(url or "")
    removed = 0
    for listing in tree.xpath("//ul | //ol"):
        items = listing.xpath("./li")
        if len(items) < _TEASER_LIST_MIN_ITEMS:
            continue
        for item in items:
            links = [a for a in item.iter("a") if a.get("href") is not None]
            text = _squash(item.text_content())
            if not links or not text or len(text) > _TEASER_ITEM_MAX:
                break
            if not all(_points_inside(a.get("href") or "", site) for a in links):
                break
            linked = sum(len(_squash(a.text_content())) for a in links)
            if linked / len(text) < _LABELLED_SHARE:
                break
        else:
            listing.drop_tree()
            removed += 1
    return removed


# --- embedded social posts -------------------------------------------------------------

# The embed codes the platforms hand out; every site that embeds a post pastes these.
_EMBEDDED_POST = re.compile(
    r"\b(?:twitter-tweet|twitter-video|instagram-media|tiktok-embed|bluesky-embed|"
    r"threads-post|text-post-media|mastodon-embed|reddit-embed-bq|fb-xfbml-parse-ignore)\b"
)
_WRAPPERS = ("div", "figure", "aside", "section", "span", "center")
# what may sit beside the post inside its wrapper: the platform's loader script
_BESIDE_POST = ("script", "noscript", "iframe", "link", "style")


def _holds_only(wrapper: HtmlElement, inner: HtmlElement) -> bool:
    if (wrapper.text or "").strip():
        return False
    for child in wrapper:
        if child is not inner and child.tag not in _BESIDE_POST:
            return False
        if child is not inner and isinstance(child.tag, str) and (child.tail or "").strip():
            return False
    return True


def keep_embedded_posts(tree: HtmlElement) -> int:
    """Free embedded social posts from the wrappers trafilatura drops; returns how many."""
    count = 0
    for quote in tree.xpath("//blockquote[@class]"):
        if not _EMBEDDED_POST.search(quote.get("class", "")):
            continue
        # the platform classes themselves ("twitter-tweet") trip boilerplate filters too
        for name in list(quote.attrib):
            del quote.attrib[name]
        wrapper, parent = quote, quote.getparent()
        while (parent is not None and parent.tag in _WRAPPERS
               and _holds_only(parent, wrapper) and not (wrapper.tail or "").strip()):
            wrapper, parent = parent, parent.getparent()
        if wrapper is not quote and parent is not None:
            quote.tail = wrapper.tail
            parent.replace(wrapper, quote)
        count += 1
    return count


# --- linked phrases --------------------------------------------------------------------

_INLINE = ("span", "em", "strong", "b", "i", "u", "font", "small")
# Words the paragraph must have outside the link for the link to be part of a sentence.
_SENTENCE_WORDS = 6


def keep_linked_phrases(tree: HtmlElement) -> int:
    """Unwrap inline wrappers around a link inside a sentence; returns how many.

    trafilatura drops elements by class (``class="link"``, "share", "related"...), rules
    meant for page blocks; a ``<span class="link">`` around a linked phrase in a
    paragraph then takes those words out of the middle of the sentence. A wrapper that
    holds nothing but the link, in a paragraph with words of its own, is part of the
    sentence: its tags go, its text stays.
    """
    count = 0
    for link in tree.xpath("//p//a[@href]"):
        wrapper, parent = None, link.getparent()
        phrase = link.text_content()
        while (parent is not None and parent.tag in _INLINE
               and parent.text_content().strip() == phrase.strip()):
            wrapper, parent = parent, parent.getparent()
        if wrapper is None or not (wrapper.get("class") or wrapper.get("id")):
            continue
        paragraph = next(wrapper.iterancestors("p"), None)
        if paragraph is None:
            continue
        outside = len(paragraph.text_content().split()) - len(phrase.split())
        if outside < _SENTENCE_WORDS:
            continue
        for el in [wrapper, *wrapper.iterdescendants(*_INLINE)]:
            if el.get("class") or el.get("id"):
                el.drop_tag()
                count += 1
    return count
