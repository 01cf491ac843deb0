"""Article extraction: clean body text and metadata from one HTML page.

The body comes from trafilatura in precision mode (comments off), followed by a
line filter for boilerplate that survives it (ad labels, share prompts,
newsletter pitches, "Read more" teasers, photo credits). Metadata is read in
order of reliability: schema.org JSON-LD, then Open Graph / article meta
tags, then visible markup (bylines, ``<time>``), and only then trafilatura's
and htmldate's heuristics, which are the slow part and so run last.

The page is parsed once; trafilatura and htmldate receive the lxml tree.
No Scrapy import: extraction runs in worker processes and notebooks too.
"""

from __future__ import annotations

import codecs
import re
from datetime import datetime
from email.utils import parsedate_to_datetime
from html import unescape
from typing import Any
from urllib.parse import urljoin

import trafilatura
from htmldate import find_date
from lxml.html import HtmlElement
from trafilatura.metadata import extract_author, extract_title

from crawler.jsonld import find_article, jsonld_objects, types_of

__all__ = ["MIN_TEXT_CHARS", "extract_article"]

#: Bodies shorter than this (after cleanup) are not kept: error pages, stubs, teasers.
MIN_TEXT_CHARS = 200

_WS = re.compile(r"\s+")

# --- decoding ------------------------------------------------------------------------

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([a-zA-Z0-9_.:-]+)""", re.I)
# WHATWG Encoding Standard: browsers decode these labels as windows-1252, and
# pages labelled latin-1 routinely contain cp1252 quotes and dashes.
_AS_CP1252 = {"latin_1", "iso8859-1", "ascii", "cp1252"}


def _decode(data: bytes) -> str:
    """Bytes to text: BOM, then a declared charset, then UTF-8 (lossy as a last resort)."""
    for bom, enc in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                     (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(enc, errors="replace")
    head = data[:4096]
    match = _CHARSET.search(head) or _XML_ENCODING.search(head)
    if match:
        try:
            enc = codecs.lookup(match.group(1).decode("ascii")).name
        except LookupError:
            enc = None
        if enc:
            if enc in _AS_CP1252:
                enc = "cp1252"
            # a page that declares UTF-16 in ASCII-compatible bytes is lying; ignore that
            if not enc.startswith("utf-16") and not enc.startswith("utf-32"):
                return data.decode(enc, errors="replace")
    return data.decode("utf-8", errors="replace")


# --- small value helpers ------------------------------------------------------------


def _clean(value: Any) -> str | None:
    """A trimmed, unescaped single-line string, or None for empty/non-string values."""
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str) and v.strip()), None)
    if not isinstance(value, str):
        return None
    value = _WS.sub(" ", unescape(value)).strip()
    return value or None


def _name(value: Any) -> str | None:
    """``name`` of a JSON-LD thing given as a string or an object."""
    return _clean(value.get("name")) if isinstance(value, dict) else _clean(value)


def _absolute(base: str | None, link: str | None) -> str | None:
    if not link or link.startswith(("data:", "javascript:")):
        return None
    resolved = urljoin(base or "", link)
    return resolved if resolved.startswith(("http://", "https://")) else None


_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_OFFSET_NO_COLON = re.compile(r"([+-]\d{2})(\d{2})$")


def _iso(value: Any) -> str | None:
    """Normalise a machine-readable timestamp to ISO 8601, keeping the page's own offset.

    ``Z`` becomes ``+00:00`` and ``+0200`` becomes ``+02:00``; a bare date stays
    a bare date; RFC 2822 dates (as in some meta tags) are accepted too.
    """
    text = _clean(value)
    if not text:
        return None
    if _DATE_ONLY.match(text[:10]) and len(text) == 10:
        try:
            return datetime.fromisoformat(text).date().isoformat()
        except ValueError:
            return None
    try:
        parsed = datetime.fromisoformat(_OFFSET_NO_COLON.sub(r"\1:\2", text))
    except ValueError:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    if not 1900 < parsed.year < 2200:
        return None
    return parsed.isoformat()


def _language(value: str | None) -> str | None:
    """Primary language subtag, lower case ("en-GB", "en_US" -> "en").

    Researchers filter on the language, not the region, and pages disagree on
    regions ("en" vs "en-US") far more often than on languages.
    """
    primary = re.split(r"[-_]", value.strip())[0].lower() if value else ""
    if primary.isascii() and primary.isalpha() and 2 <= len(primary) <= 3 and primary not in {
        "und", "mul", "zxx", "xx"
    }:
        return primary
    return None


# --- authors -------------------------------------------------------------------------

_BY_PREFIX = re.compile(r"^(?:(?:written|posted|reported|words|text|story)\s+)?by[:\s]+", re.I)
# case-sensitive on purpose: "E." in "John E. Smith" is an initial, not Portuguese "e";
# no Spanish "y": it joins the two surnames of one person ("García y Pérez")
_AUTHOR_SPLIT = re.compile(r"\s*(?:,|;|\||&|\s(?:and|And|AND|und|et|e)\s)\s*")
_NOT_A_NAME = re.compile(
    r"\b(?:staff|admin(?:istrator)?|editors?|editorial|newsroom|desk|team|reporter|correspondent|"
    r"writer|contributor|columnist|photographer|journalist|guest|anonymous|updated|published)\b"
    r"|@|https?:|www\.|\d",
    re.I,
)


_NAME_PARTICLES = frozenset({"de", "da", "do", "dos", "del", "della", "der", "den", "van", "von",
                             "la", "le", "al", "el", "bin", "ibn", "ter", "zu", "y"})


def _looks_like_name(part: str) -> bool:
    """ "Mary Okafor" yes, "the time we arrived" no (bylines are matched on plain text)."""
    words = part.split()
    return (
        2 < len(part) <= 60
        and len(words) <= 5
        and not _NOT_A_NAME.search(part)
        # no lower-case words except particles; scripts without case pass
        and all(not w[0].islower() or w in _NAME_PARTICLES for w in words)
    )


def _split_authors(value: str) -> list[str]:
    """Split a byline into names: "By A, B and C" -> ["A", "B", "C"], junk dropped."""
    value = _BY_PREFIX.sub("", _WS.sub(" ", unescape(value)).strip())
    parts = (part.strip(" .:-–—·•") for part in _AUTHOR_SPLIT.split(value))
    return [part for part in parts if _looks_like_name(part)]


def _dedupe(values: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for value in values:
        key = value.casefold()
        if key not in seen:
            seen.add(key)
            out.append(value)
    return out


def _jsonld_authors(article: dict) -> list[str]:
    entries = article.get("author") or article.get("creator") or []
    if not isinstance(entries, list):
        entries = [entries]
    people, others = [], []
    for entry in entries:
        name = _name(entry)
        if not name:
            continue
        bucket = others if isinstance(entry, dict) and "Organization" in types_of(entry) else people
        bucket.extend(_split_authors(name))
    # an organisation as author ("Reuters") is kept only when no person is named
    return people or others


_BYLINE_XPATH = (
    '//*[@itemprop="author"][not(ancestor::*[@itemprop="author"])]'
    " | //a[contains(concat(' ', normalize-space(@rel), ' '), ' author ')]"
    " | //*[contains(@class, 'byline')][not(ancestor::*[contains(@class, 'byline')])]"
)
# A plain-text byline: "By Mary Okafor" at the start of a short block.
_TEXT_BYLINE_XPATH = (
    "//*[self::p or self::div or self::span or self::address or self::em or self::strong"
    " or self::small][normalize-space(text())='By' or starts-with(normalize-space(text()), 'By ')]"
)
_BYLINE_CUT = re.compile(r"\s(?:[|•·—–]|on|updated|published)\s.*$|\s*\d.*$", re.I)


def _is_boilerplate_area(element: HtmlElement) -> bool:
    """Bylines inside comment threads or related-story boxes name other people."""
    for ancestor in element.iterancestors():
        if ancestor.tag in ("body", "html"):
            break  # page-wide classes such as WordPress' "comments-open" say nothing
        marker = f"{ancestor.get('class', '')} {ancestor.get('id', '')}".lower()
        if any(word in marker for word in ("comment", "related", "recommend", "sidebar", "footer")):
            return True
    return False


def _markup_authors(tree: HtmlElement) -> list[str]:
    for xpath in (_BYLINE_XPATH, _TEXT_BYLINE_XPATH):
        names: list[str] = []
        for element in tree.xpath(xpath):
            if _is_boilerplate_area(element):
                continue
            name_el = element.xpath('.//*[@itemprop="name"]')
            text = (name_el[0].get("content") or name_el[0].text_content()) if name_el else ""
            text = text or element.get("content") or element.text_content()
            if len(text) <= 200:
                names.extend(_split_authors(_BYLINE_CUT.sub("", _WS.sub(" ", text).strip())))
        if names:
            return _dedupe(names)
    return []


# --- meta tags -----------------------------------------------------------------------


def _meta_tags(tree: HtmlElement) -> dict[str, list[str]]:
    """All ``<meta>`` values keyed by lower-cased name/property/itemprop/http-equiv."""
    metas: dict[str, list[str]] = {}
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop")
               or meta.get("http-equiv"))
        content = meta.get("content")
        if key and content and content.strip():
            metas.setdefault(key.strip().lower(), []).append(content.strip())
    return metas


def _first(metas: dict[str, list[str]], *keys: str) -> str | None:
    for key in keys:
        for value in metas.get(key, ()):
            if cleaned := _clean(value):
                return cleaned
    return None


def _link(tree: HtmlElement, rel: str) -> str | None:
    for link in tree.iter("link"):
        if rel in (link.get("rel") or "").lower().split() and link.get("href"):
            return link.get("href").strip()
    return None


# --- dates ---------------------------------------------------------------------------

_PUBLISHED_META = (
    "article:published_time", "og:article:published_time", "datepublished", "pubdate",
    "publishdate", "publish-date", "publication_date", "parsely-pub-date", "sailthru.date",
    "dc.date.issued", "dcterms.issued", "dc.date", "date",
)
_MODIFIED_META = (
    "article:modified_time", "og:updated_time", "datemodified", "last-modified",
    "dcterms.modified", "dc.date.modified",
)
# <time datetime> in the article or its byline, not in a sidebar or related list
_TIME_XPATH = (
    '//*[@itemprop="datePublished"][@datetime or @content]'
    " | //article//time[@datetime] | //*[contains(@class, 'byline')]//time[@datetime]"
    " | //time[@pubdate][@datetime]"
)


def _published(
    article: dict, metas: dict[str, list[str]], tree: HtmlElement, url: str | None
) -> str | None:
    for value in (article.get("datePublished"), article.get("dateCreated")):
        if found := _iso(value):
            return found
    for key in _PUBLISHED_META:
        for value in metas.get(key, ()):
            if found := _iso(value):
                return found
    for element in tree.xpath(_TIME_XPATH):
        if not _is_boilerplate_area(element) and (
            found := _iso(element.get("datetime") or element.get("content"))
        ):
            return found
    # last resort, and the slow one: htmldate's heuristics (visible text, URL), a date only
    return find_date(tree, extensive_search=True, original_date=True, url=url)


def _modified(article: dict, metas: dict[str, list[str]]) -> str | None:
    if found := _iso(article.get("dateModified")):
        return found
    for key in _MODIFIED_META:
        for value in metas.get(key, ()):
            if found := _iso(value):
                return found
    return None


# --- metadata ------------------------------------------------------------------------


def _list_of_strings(value: Any) -> list[str]:
    """JSON-LD keywords/tags: a comma-separated string or a list of strings/things."""
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        name = _name(item)
        if name:
            out.extend(part.strip() for part in name.split(",") if part.strip())
    return out


def _strip_site_suffix(title: str, sitename: str | None) -> str:
    """ "Headline | Site" -> "Headline" when the suffix is the site's name."""
    if sitename:
        for sep in (" | ", " - ", " – ", " — ", " :: ", " · "):
            head, found, tail = title.rpartition(sep)
            if found and head and tail.strip().casefold() == sitename.casefold():
                return head.strip()
    return title


def _metadata(
    tree: HtmlElement, url: str | None, metas: dict[str, list[str]], article: dict
) -> dict[str, Any]:
    """Every field of an article record except ``text``."""
    base = url
    for base_el in tree.iter("base"):
        base = urljoin(url or "", base_el.get("href") or "")
        break

    publisher = article.get("publisher")
    sitename = _first(metas, "og:site_name", "application-name") or _name(
        publisher[0] if isinstance(publisher, list) and publisher else publisher
    )

    title = _clean(article.get("headline")) or _clean(article.get("name"))
    if not title:
        title = _first(metas, "og:title", "twitter:title") or extract_title(tree)
        title = _strip_site_suffix(title, sitename) if title else None

    authors = _jsonld_authors(article)
    if not authors:
        for key in ("author", "article:author", "parsely-author", "sailthru.author", "dc.creator"):
            for value in metas.get(key, ()):
                authors.extend(_split_authors(value))
            if authors:
                break
    if not authors:
        authors = _markup_authors(tree)
    if not authors:
        authors = _split_authors(extract_author(tree) or "")

    tags = _list_of_strings(article.get("keywords"))
    if not tags:
        tags = list(metas.get("article:tag", ())) or _list_of_strings(
            _first(metas, "news_keywords", "keywords")
        )

    image = article.get("image")
    if isinstance(image, list):
        image = image[0] if image else None
    if isinstance(image, dict):
        image = image.get("url") or image.get("contentUrl")
    image = _first(metas, "og:image", "og:image:url", "og:image:secure_url", "twitter:image",
                   "twitter:image:src") or _clean(image) or _link(tree, "image_src")

    html_lang = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
    language = next(
        filter(None, map(_language, (
            html_lang,
            _first(metas, "og:locale", "content-language", "language", "dc.language"),
            _name(article.get("inLanguage")),
        ))),
        None,
    )

    section = article.get("articleSection")
    return {
        "title": title,
        "authors": _dedupe(authors),
        "published": _published(article, metas, tree, url),
        "modified": _modified(article, metas),
        "language": language,
        "sitename": sitename,
        "section": _clean(section) or _first(metas, "article:section", "section"),
        "description": _first(metas, "og:description", "description", "twitter:description")
        or _clean(article.get("description")),
        "tags": _dedupe([_WS.sub(" ", unescape(tag)).strip() for tag in tags if tag.strip()]),
        "image": _absolute(base, image),
        "canonical_url": _absolute(base, _link(tree, "canonical") or _first(metas, "og:url")),
    }


# --- body text -----------------------------------------------------------------------

# Whole lines that label page furniture rather than say anything. A bare header
# ("Related stories", "Don't miss") also takes the list items right after it.
_FURNITURE_HEADER = re.compile(
    r"^(?:advertisement|advertising|sponsored(?: content)?|anzeige|publicidad|publicité|"
    r"related(?: stories| articles| posts| content| coverage| news| links| reading)?|"
    r"read (?:more|next|also)|also read|see also|more (?:on this|from|stories|news)\b.{0,40}|"
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
    r"utc|gmt|[ecmp][sd]t|bst|cet|cest)\b|\b[ap]\.m\.|[\d\s,.:/|()+-]",
    re.I,
)


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
    while kept and (
        (title and _norm(kept[0]) == _norm(title)) or _is_byline(kept[0]) or _is_dateline(kept[0])
    ):
        kept.pop(0)
    return "\n".join(kept)


def _is_byline(line: str) -> bool:
    return len(line) <= 100 and bool(_BY_PREFIX.match(line)) and bool(_split_authors(line))


def _is_dateline(line: str) -> bool:
    return len(line) <= 60 and bool(re.search(r"\d{4}", line)) and not _DATELINE_WORDS.sub("", line)


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
    little overall.
    """
    text = ""
    for favor_precision in (True, False):
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


# --- entry point ---------------------------------------------------------------------


def extract_article(html: str | bytes, url: str) -> dict | None:
    """Extract the article of one HTML page, or None if it has no article body worth keeping.

    ``html`` is the page as text or as raw bytes (decoded from its BOM or
    ``<meta charset>``, else UTF-8 with replacement characters). The result has
    exactly the keys ``title``, ``text`` (paragraphs separated by ``"\\n"``),
    ``authors``, ``published``, ``modified`` (ISO 8601 with the page's own
    offset, or a bare date), ``language`` (primary subtag, e.g. ``"en"``),
    ``sitename``, ``section``, ``description``, ``tags``, ``image`` and
    ``canonical_url`` (absolute URLs). Garbage, empty or binary input gives
    None; a non-str/bytes ``html`` is a caller's bug and raises TypeError.
    """
    if isinstance(html, bytes):
        html = _decode(html)
    elif not isinstance(html, str):
        raise TypeError(f"html must be str or bytes, not {type(html).__name__}")
    if not html.strip():
        return None
    tree = trafilatura.load_html(html)  # parses once; trafilatura copies the tree it is given
    if tree is None:
        return None
    metas = _meta_tags(tree)
    article = find_article(tree)
    record = _metadata(tree, url, metas, article or {})
    text = _body(tree, url, record["title"], article or {})
    if len(text) < MIN_TEXT_CHARS:
        return None
    # pages that declare themselves articles (JSON-LD, og:type) are taken at their word
    declared = article is not None or "article" in (_first(metas, "og:type") or "").lower()
    if not declared and _looks_like_listing(tree, text):
        return None
    return {"title": record.pop("title"), "text": text, **record}
