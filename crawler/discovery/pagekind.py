"""Recognise what a page is and which of its links lead somewhere worth crawling.

Everything here works from general page signals — Open Graph and JSON-LD types,
where the text mass sits, URL shapes, rel attributes — never from per-site rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from enum import StrEnum
from functools import cached_property
from urllib.parse import urljoin, urlsplit

from lxml.html import HtmlElement

from crawler.extract.dateline import parse_dateline
from crawler.extract.jsonld import find_article
from crawler.extract.microdata import declares_one_article

# Words of paragraph text in one container that make a page body-like; a
# listing's teasers are short and each sits in its own container.
MIN_BODY_WORDS = 120
# With explicit article metadata a short piece (a brief, a correction) still counts.
MIN_DECLARED_BODY_WORDS = 40
# A short story with a story-shaped URL still counts when it carries a byline or date.
MIN_SIGNED_BODY_WORDS = 50

_DATE_PATH = re.compile(r"/(19|20)\d{2}/(0?[1-9]|1[0-2])/((0?[1-9]|[12]\d|3[01])/)?[^/]+")
_NUMERIC_ID = re.compile(r"(?:^|[/\-_=.])\d{5,}(?:$|[/\-_.&?])")
# A query value that is an identifier: digits, perhaps joined by - or _ (nr=20240611-3).
_ID_PARAM = re.compile(r"(?:^|&)[^=&]+=[\d_-]*\d{3,}[\d_-]*(?:&|$)")
_PAGINATION_PATH = re.compile(r"/(page|seite|pagina|p)/\d+/?$", re.I)
_PAGINATION_QUERY = re.compile(r"(?:^|&)(page|paged|pg|pagenum|start|offset)=\d+(?:&|$)", re.I)
# Link text of a "next page" link (crawler.discovery.links).
NEXT_TEXT = re.compile(
    r"^\s*(next|next page|older|older posts|older entries|older stories|more stories|"
    r"more articles|load more|previous posts|[»›→]|next\s*[»›→]|older\s*[»›→])\s*$",
    re.I,
)
_PUBLICATION_DATE = (
    '//meta[@property="article:published_time" or @name="article:published_time"'
    ' or @itemprop="datePublished" or @name="pubdate" or @name="date"]'
    ' | //*[@itemprop="datePublished"] | //time[@datetime][@pubdate or ancestor::article]'
)
_AUTHOR_MARKUP = (
    '//*[@rel="author" or @itemprop="author"'
    ' or contains(concat(" ", normalize-space(@class), " "), " byline ")'
    ' or contains(concat(" ", normalize-space(@class), " "), " author ")]'
)
# "By Jane Roe" and its usual forms in other languages, followed by a capitalised name.
_BYLINE = re.compile(
    r"^\s*(?:(?:written |reporting |words |text )?by|von|par|por|door|av|af)\s+"
    r"(?-i:[A-ZÀ-Þ])[\w'’.-]+", re.I,
)
# Listing paths that name a section in their second segment (/category/business/).
_SECTION_PREFIXES = {"category", "categories", "section", "sections", "c", "rubrik", "rubrique"}
# Listings that cut across sections.
_NOT_SECTIONS = {"tag", "tags", "topic", "topics", "author", "authors", "search", "archive",
                 "archives", "page", "feed", "latest", "all", "index"}
_BOILERPLATE_TAGS = {"nav", "header", "footer", "aside", "form", "script", "style", "noscript"}
# Elements that make a <div> a container rather than a paragraph of its own.
_BLOCK_TAGS = {"p", "div", "section", "article", "main", "ul", "ol", "dl", "table", "blockquote",
               "figure", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "br", *_BOILERPLATE_TAGS}
# 05/10/2018 or 10/5/2018: which part is the day is left open, a date either way.
_SLASH_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/((?:19|20)\d{2})\b")
_WORD = re.compile(r"\w+", re.UNICODE)


class PageKind(StrEnum):
    ARTICLE = "article"
    LISTING = "listing"
    OTHER = "other"


class PageSignals:
    """What a page shows of its kind, each signal worked out when first asked for.

    Most pages are decided by the first few (a declared article with a body, a
    pagination URL): the byline and dateline walks over the text run only on the
    pages whose kind still hangs on them.
    """

    def __init__(self, tree: HtmlElement, url: str) -> None:
        self.tree = tree
        self.url = url

    @cached_property
    def og_article(self) -> bool:
        og_type = _meta(self.tree, "og:type")
        return bool(og_type and og_type.lower().startswith("article"))

    @cached_property
    def dated(self) -> bool:
        return bool(self.tree.xpath(_PUBLICATION_DATE))

    @cached_property
    def _short_lines(self) -> list[str]:
        # one walk over the text serves the byline and dateline checks
        return _short_lines(self.tree)

    @cached_property
    def bylined(self) -> bool:
        return has_byline(self.tree, self._short_lines)

    @cached_property
    def dateline(self) -> bool:
        return has_dateline(self.tree, self._short_lines)

    @cached_property
    def jsonld_article(self) -> bool:
        return find_article(self.tree) is not None

    @cached_property
    def microdata_article(self) -> bool:
        return declares_one_article(self.tree)

    @cached_property
    def body_words(self) -> int:
        return largest_text_block(self.tree)

    @cached_property
    def article_elements(self) -> int:
        return len(self.tree.xpath("//article"))

    @cached_property
    def url_shape(self) -> str | None:
        return article_url_shape(self.url)

    @cached_property
    def pagination_url(self) -> bool:
        return is_pagination_url(self.url)

    @cached_property
    def listing_links(self) -> int:
        return len(self.tree.xpath("//h2//a[@href] | //h3//a[@href]"))

    @cached_property
    def canonical(self) -> str | None:
        return canonical_link(self.tree, self.url)

    @property
    def declared_article(self) -> bool:
        # og:type=article alone is not enough: WordPress SEO plugins put it on
        # static pages (About, Privacy) too, but only posts carry a publication date.
        # One article item in microdata counts as JSON-LD's does, as the extractor
        # takes it (crawler.extract.microdata): the two agree on what a page declares.
        return (self.jsonld_article or self.microdata_article
                or (self.og_article and self.dated))


def article_url_shape(url: str) -> str | None:
    """``date``, ``id`` or ``slug`` when a URL is shaped like a story's, else None."""
    parts = urlsplit(url)
    path = parts.path
    if is_pagination_url(url):
        return None
    if _DATE_PATH.search(path):
        return "date"
    if _NUMERIC_ID.search(path) or _ID_PARAM.search(parts.query):
        return "id"
    last = next((s for s in reversed(path.split("/")) if s), "")
    stem = re.sub(r"\.(s?html?|php|aspx?)$", "", last, flags=re.I)
    words = [w for w in re.split(r"[-_]+", stem) if w]
    if len(words) >= 4 and sum(any(c.isalpha() for c in w) for w in words) >= 3:
        return "slug"
    return None


def listing_section(url: str) -> str | None:
    """The section a listing page stands for: ``business`` for /business/page/2/ and
    /category/business/; None for the home page and for tag, author or date archives,
    which group stories across sections."""
    segments = [s for s in urlsplit(url).path.split("/") if s]
    if segments and segments[0].lower() in _SECTION_PREFIXES:
        segments = segments[1:]
    if not segments:
        return None
    first = segments[0]
    if first.lower() in _NOT_SECTIONS or "." in first or not any(c.isalpha() for c in first):
        return None
    return first


def is_pagination_url(url: str) -> bool:
    parts = urlsplit(url)
    return bool(_PAGINATION_PATH.search(parts.path) or _PAGINATION_QUERY.search(parts.query))


def page_signals(tree: HtmlElement, url: str) -> PageSignals:
    return PageSignals(tree, url)


def classify(signals: PageSignals) -> PageKind:
    """Article, listing (section, home, pagination) or anything else."""
    if signals.pagination_url:
        return PageKind.LISTING
    if signals.declared_article and signals.body_words >= MIN_DECLARED_BODY_WORDS:
        return PageKind.ARTICLE
    if signals.body_words >= MIN_BODY_WORDS and (
        signals.url_shape is not None
        # WordPress themes wrap static pages (Privacy, Contact) in <article> too;
        # a story also says when it was published or who wrote it.
        or (signals.article_elements == 1 and (signals.dated or signals.bylined))
    ):
        return PageKind.ARTICLE
    # Whatever its URL (/article/3834/1), a long text signed and dated is a story: a
    # static page may have a byline (a staff page) or a date (a policy), rarely both.
    if signals.body_words >= MIN_BODY_WORDS and signals.bylined and (
        signals.dated or signals.dateline
    ):
        return PageKind.ARTICLE
    if signals.body_words >= MIN_SIGNED_BODY_WORDS and signals.url_shape is not None and (
        signals.dated or signals.bylined or signals.dateline
    ):
        return PageKind.ARTICLE
    if signals.listing_links >= 3:
        return PageKind.LISTING
    return PageKind.OTHER


def largest_text_block(tree: HtmlElement) -> int:
    """Words in the container whose own paragraphs hold the most text.

    An article body keeps its paragraphs together; a listing spreads short
    teasers over one container each, so this separates the two without any
    knowledge of class names.
    """
    totals: dict[HtmlElement, int] = {}
    for paragraph in _paragraphs(tree):
        parent = paragraph.getparent()
        text = paragraph.text_content()
        # the text first: most divs of a page are empty, and cheaper to skip so
        if parent is None or not text or text.isspace() or _in_boilerplate(paragraph):
            continue
        link_text = sum(len(a.text_content()) for a in paragraph.iter("a"))
        if link_text > 0.5 * len(text):
            continue
        totals[parent] = totals.get(parent, 0) + len(_WORD.findall(text))
    # Older templates separate paragraphs with <br><br> instead of <p>: count the
    # text a container holds directly, between its line breaks, as paragraphs too.
    for container in tree.xpath("//*[br]"):
        if _in_boilerplate(container) or container.tag == "p":
            continue
        loose = (container.text or "") + "".join(child.tail or "" for child in container)
        totals[container] = totals.get(container, 0) + len(_WORD.findall(loose))
    return max(totals.values(), default=0)


def _paragraphs(tree: HtmlElement) -> Iterator[HtmlElement]:
    """Every <p>, and every <div> that holds only inline content: a paragraph by
    another name (CNN's ``zn-body__paragraph``, Blogger's editor: one div a line).
    A div with line breaks is left to the <br> count in :func:`largest_text_block`."""
    yield from tree.iter("p")
    for div in tree.iter("div"):  # faster than an XPath with a test per block tag
        if not any(child.tag in _BLOCK_TAGS for child in div):
            yield div


def _short_lines(tree: HtmlElement) -> list[str]:
    """Text nodes short enough to be a byline or a dateline (lxml strings know their parent)."""
    return [t for t in tree.xpath("//body//text()[normalize-space()]") if len(t) < 120]


def has_byline(tree: HtmlElement, lines: list[str] | None = None) -> bool:
    """An author marked up as such, or a short "By Jane Roe" line, outside page chrome."""
    for element in tree.xpath(_AUTHOR_MARKUP):
        if not _in_boilerplate(element) and element.text_content().strip():
            return True
    for text in _short_lines(tree) if lines is None else lines:
        if _BYLINE.match(text) and not _in_boilerplate(text.getparent()):
            return True
    return False


def has_dateline(tree: HtmlElement, lines: list[str] | None = None) -> bool:
    """A short line outside page chrome that shows a date (a story's dateline)."""
    for text in _short_lines(tree) if lines is None else lines:
        if len(text) < 80 and _shows_date(text) and not _in_boilerplate(text.getparent()):
            return True
    return False


def _shows_date(text: str) -> bool:
    # parse_dateline leaves slashed dates alone (it must tell the day from the month);
    # that a line shows a date is all a page's kind needs.
    if parse_dateline(text):
        return True
    match = _SLASH_DATE.search(text)
    if match is None:
        return False
    first, second = int(match[1]), int(match[2])
    return 1 <= min(first, second) <= 12 and max(first, second) <= 31


def _in_boilerplate(element: HtmlElement) -> bool:
    for ancestor in element.iterancestors():
        if ancestor.tag in _BOILERPLATE_TAGS and not _wraps_page(ancestor):
            return True
    return False


def _wraps_page(element: HtmlElement) -> bool:
    """A <form> right under <body> is ASP.NET WebForms' wrapper round the whole page
    (Al Jazeera's articles), not a search box or a comment form in its chrome."""
    parent = element.getparent()
    return element.tag == "form" and parent is not None and parent.tag == "body"


def _meta(tree: HtmlElement, prop: str) -> str | None:
    values = tree.xpath(f'//meta[@property="{prop}" or @name="{prop}"]/@content')
    return values[0].strip() if values else None


def canonical_link(tree: HtmlElement, base_url: str) -> str | None:
    hrefs = tree.xpath(
        '//link[contains(concat(" ", normalize-space(@rel), " "), " canonical ")]/@href'
    )
    if not hrefs or not hrefs[0].strip():
        return None
    return urljoin(base_url, hrefs[0].strip())


_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")


def feed_links(tree: HtmlElement, base_url: str) -> Iterator[str]:
    """Feeds a page advertises: ``<link rel="alternate" type="application/rss+xml">``
    (JSON Feed, advertised the same way, is not read and so not returned)."""
    for element in tree.xpath('//link[@href][contains(@rel, "alternate")]'):
        kind = (element.get("type") or "").split(";")[0].strip().lower()
        href = element.get("href", "").strip()
        if kind in _FEED_TYPES and href:
            yield urljoin(base_url, href)
