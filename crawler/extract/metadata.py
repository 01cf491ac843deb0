"""Article metadata: title, authors, dates, language, site, tags, image, canonical URL.

Fields are read in order of reliability: schema.org JSON-LD, then Open Graph /
article meta tags, then visible markup (bylines, ``<time>``), and only then
trafilatura's and htmldate's heuristics, which are the slow part and so run
last. Everything here works on an lxml tree that the caller parsed once.

Body extraction lives in :mod:`crawler.extract.article`; it uses :func:`is_byline`
(re-exported from :mod:`crawler.extract._byline`) so that "what is an author's name"
is decided in one place. Headline fallbacks live in :mod:`crawler.extract._headline`.
"""

from __future__ import annotations

import re
from html import unescape
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml.html import HtmlElement
from trafilatura.metadata import extract_author, extract_title

from crawler.extract._byline import (
    dedupe_names,
    drop_agency_credits,
    drop_site_names,
    has_byline_prefix,
    in_boilerplate_area,
    is_byline,
    site_keys,
    split_authors,
    story_bylines,
)
from crawler.extract._headline import (
    displayed_headline,
    first_heading,
    headline_from_markup,
    strip_site_affix,
)
from crawler.extract._text import clean as _clean
from crawler.extract.dates import PageDates, modified_date, published_date
from crawler.extract.jsonld import types_of
from crawler.extract.language import primary_subtag

__all__ = ["article_metadata", "first_meta", "is_byline", "meta_tags"]

_WS = re.compile(r"\s+")

# --- small value helpers ------------------------------------------------------------


def _name(value: Any) -> str | None:
    """``name`` of a JSON-LD thing given as a string or an object."""
    return _clean(value.get("name")) if isinstance(value, dict) else _clean(value)


def _absolute(base: str | None, link: str | None) -> str | None:
    if not link or link.startswith(("data:", "javascript:")):
        return None
    resolved = urljoin(base or "", link)
    return resolved if resolved.startswith(("http://", "https://")) else None


# --- authors -------------------------------------------------------------------------


def _jsonld_author_entries(article: dict) -> list:
    entries = article.get("author") or article.get("creator") or []
    return entries if isinstance(entries, list) else [entries]


def _jsonld_authors(article: dict) -> list[str]:
    people, others = [], []
    for entry in _jsonld_author_entries(article):
        name = _name(entry)
        if not name:
            continue
        bucket = others if isinstance(entry, dict) and "Organization" in types_of(entry) else people
        bucket.extend(split_authors(name))
    # an organisation as author ("Reuters") is kept only when no person is named
    return people or others


_BYLINE_XPATH = (
    '//*[@itemprop="author"][not(ancestor::*[@itemprop="author"])]'
    " | //a[contains(concat(' ', normalize-space(@rel), ' '), ' author ')]"
    " | //*[contains(@class, 'byline')][not(ancestor::*[contains(@class, 'byline')])]"
)
# Where no element is marked so, one whose class names it the author's ("auteurs",
# "post-meta-author", "autor", "author-card__details__name"); not a box about them
# ("author-bio", "author-avatar"): the word ends the class's name, or its name or link does
_AUTHOR_CLASS_XPATH = (
    "//*[contains(@class, 'author') or contains(@class, 'auteur') or contains(@class, 'autor')]"
)
_AUTHOR_CLASS = re.compile(
    r"^(?:[\w-]*[-_])?(?:authors?|auteurs?|autor(?:en|in)?)(?:(?:[-_]+\w+)*?[-_]+(?:name|link))?$",
    re.I)


def _classed_as_authors(element: HtmlElement) -> bool:
    return any(_AUTHOR_CLASS.match(word) for word in (element.get("class") or "").split())


# A plain-text byline: "By Mary Okafor", "Von Anna Müller", "Reporting by ..." opening a
# line of a short block. The XPath only preselects (on any of the block's own text nodes,
# since the byline often follows a dateline and a <br>); has_byline_prefix decides. Only
# capitalised non-English words: lower-case "von", "de", "di" fill ordinary prose.
_BY_WORDS = ("By", "by", "BY", "Von", "VON", "Par", "PAR", "De", "Por", "POR", "Di", "Da",
             "Door", "Av", "Af")
_TEXT_BYLINE_XPATH = (
    "//*[self::p or self::div or self::span or self::address or self::em or self::strong"
    " or self::small or self::i or self::b or self::font][normalize-space(text())='By'"
    " or text()[" + " or ".join(f"contains(., '{word} ') or contains(., '{word}: ')"
                                for word in _BY_WORDS) + "]]"
)
# what follows the names on a byline line: a separator, "on"/"updated", a weekday, a date
_BYLINE_CUT = re.compile(
    r"\s(?:[|•·—–/]|on|updated|published)\s.*$"
    # a weekday's abbreviation before the date's digits: "Sa 13 Jul 2019", "Tue, 5 May"
    r"|\s+(?:mo|di|mi|do|fr|sa|so|mon|tue|wed|thu|fri|sat|sun|lun|mar|mer|jeu|ven|sam|dim)"
    r"\.?,?\s+\d.*$"
    r"|\s*\d.*$"
    r"|,?\s+(?:mon|tues|wednes|thurs|fri|satur|sun)day\b.*$",
    re.I,
)


# "Wednesday January 18, 2017 11:44 am PST by Juli Clover": a dateline before the "by"
_DATELINE_THEN_BY = re.compile(r"^[^|]*\d[^|]*?\s(?:by|By|BY|von|Von|par|Par)\s+(?=\w)")


def _lines(element: HtmlElement) -> list[str]:
    """The element's text split where the page breaks lines (``<br>``), whitespace collapsed."""
    parts: list[str] = []

    def walk(node: HtmlElement) -> None:
        if node.tag == "br":
            parts.append("\n")
        elif isinstance(node.tag, str):  # not a comment or processing instruction
            parts.append(node.text or "")
            for child in node:
                walk(child)
                parts.append(child.tail or "")

    walk(element)
    return [line for line in (_WS.sub(" ", x).strip() for x in "".join(parts).split("\n")) if line]


def _keys(names: list[str]) -> set[str]:
    return {" ".join(name.casefold().split()) for name in names}


def _marked_bylines(tree: HtmlElement, shown: PageDates) -> list[str]:
    """Names in elements marked as bylines (itemprop=author, rel=author, class byline),
    those nearest the story's headline (``shown.headline``, looked for only then) where
    several places on the page have some."""
    # an area that holds the headline too is the story's, whatever its class ("sidebar")
    return _names_in([element for element in tree.xpath(_BYLINE_XPATH)
                      if not in_boilerplate_area(element, shown.headline)], shown)


def _classed_bylines(tree: HtmlElement, shown: PageDates) -> list[str]:
    """Names in elements whose class names them the author's, as :func:`_marked_bylines`."""
    return _names_in([element for element in tree.xpath(_AUTHOR_CLASS_XPATH)
                      if _classed_as_authors(element)
                      and not in_boilerplate_area(element, shown.headline)], shown)


def _names_in(marked: list[HtmlElement], shown: PageDates) -> list[str]:
    names: list[str] = []
    if len(marked) > 1:
        marked = story_bylines(marked, shown.headline)
    for element in marked:
        name_el = element.xpath('.//*[@itemprop="name"]')
        text = (name_el[0].get("content") or name_el[0].text_content()) if name_el else ""
        # itertext, not text_content: "<span>IGN Staff</span><span>Updated</span>" are two
        text = text or element.get("content") or " ".join(element.itertext())
        if len(text) <= 200:
            text = _DATELINE_THEN_BY.sub("", _WS.sub(" ", text).strip())
            names.extend(split_authors(_BYLINE_CUT.sub("", text)))
    return dedupe_names(names)


def _text_bylines(tree: HtmlElement, shown: PageDates) -> list[str]:
    """Names in plain-text bylines ("By Mary Okafor", "Written by: ...") of short blocks;
    where teasers further off are signed the same way, those nearest the headline."""
    found: dict[HtmlElement, list[str]] = {}
    for element in tree.xpath(_TEXT_BYLINE_XPATH):
        if in_boilerplate_area(element) or len(element.text_content()) > 200:
            continue
        for line in _lines(element):
            line = _BYLINE_CUT.sub("", line)
            if has_byline_prefix(line) and (names := split_authors(line)):
                found.setdefault(element, []).extend(names)
    story = story_bylines(list(found), shown.headline) if len(found) > 1 else list(found)
    return dedupe_names([name for element in story for name in found[element]])


# --- meta tags -----------------------------------------------------------------------


_SOCIAL_CARDS = ("og:", "twitter:")


def meta_tags(tree: HtmlElement) -> dict[str, list[str]]:
    """All ``<meta>`` values keyed by lower-cased name/property/itemprop/http-equiv.

    Read once per page and handed to :func:`article_metadata` and
    :func:`first_meta`, so the tree is walked for meta tags only once.
    """
    metas: dict[str, list[str]] = {}
    for meta in tree.iter("meta"):
        # a tag naming itself twice (name= and itemprop=) is found under both names
        keys = {key.strip().lower() for key in (meta.get("property") or meta.get("name"),
                                                 meta.get("itemprop"), meta.get("http-equiv"))
                if key and key.strip()}
        content = meta.get("content")
        if content is None and not any(key.startswith(_SOCIAL_CARDS) for key in keys):
            # ``value`` where ``content`` belongs: the New York Times' 2016 templates
            # wrote <meta itemprop="datePublished" name="article:published" value="...">.
            # Not for Open Graph and Twitter cards: their readers take content= only, so
            # a card in value= was never seen, and its title is often not the headline.
            content = meta.get("value")
        if not (content and content.strip()):
            continue
        for key in keys:
            metas.setdefault(key, []).append(content.strip())
    return metas


def first_meta(metas: dict[str, list[str]], *keys: str) -> str | None:
    """The first non-empty value among ``keys`` (in that order of preference), cleaned."""
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


def article_metadata(
    tree: HtmlElement, url: str | None, metas: dict[str, list[str]], article: dict
) -> dict[str, Any]:
    """Every field of an article record except ``text``.

    ``metas`` comes from :func:`meta_tags` and ``article`` is the page's
    JSON-LD article object (``{}`` if it has none). The keys are ``title``,
    ``authors``, ``published``, ``modified``, ``language``, ``sitename``,
    ``section``, ``description``, ``tags``, ``image`` and ``canonical_url``;
    absent values are None (or ``[]`` for lists). Two more keys say how sure
    the caller may be, since the body (read later) can settle both:
    ``title_guessed`` is true when no JSON-LD, meta tag or ``<title>``-confirmed
    heading gave the title, and ``language_by_article`` when the language is the
    article's own JSON-LD ``inLanguage`` rather than the template's.
    """
    base = url
    for base_el in tree.iter("base"):
        base = urljoin(url or "", base_el.get("href") or "")
        break

    publisher = article.get("publisher")
    sitename = first_meta(metas, "og:site_name", "application-name") or _name(
        publisher[0] if isinstance(publisher, list) and publisher else publisher
    )

    title = _clean(article.get("headline")) or _clean(article.get("name"))
    if not title:
        title = first_meta(metas, "og:title", "twitter:title")
        title = strip_site_affix(title, sitename) if title else None
        # an og:title that is only the site's name says nothing about this page
        if title and sitename and title.casefold() == sitename.casefold():
            title = None
    if title:
        # the headline as the reader sees it, where metadata words it for search engines
        title = displayed_headline(tree, title, sitename) or title
    if not title:
        title = headline_from_markup(tree, sitename)
    # below, the title is a guess that the caller may replace with the heading above the body
    title_guessed = not title
    if not title:
        title = extract_title(tree)
        title = strip_site_affix(title, sitename) if title else None
        # a masthead <h1> is the site's name, not the headline
        if title and sitename and title.casefold() == sitename.casefold():
            title = first_heading(tree, sitename) or title

    # a byline naming only the publisher ("LinkNaija", "CNN Business") names no author:
    # each source is asked in turn until one names someone else
    site = site_keys(sitename, _name(publisher), host=urlsplit(url or "").hostname)
    named_site = False

    def people(names: list[str]) -> list[str]:
        nonlocal named_site
        kept = drop_site_names(names, site)
        named_site = named_site or (bool(names) and not kept)
        return kept

    # the headline and the datelines under it, found once when first needed
    shown = PageDates(tree, title)
    authors = people(_jsonld_authors(article))
    if len(authors) == 1 and len(_jsonld_author_entries(article)) == 1:
        # JSON-LD that names only the first of a shared byline: the marked byline has all
        # (not when it also named an organisation, and so chose whom to credit)
        marked = drop_site_names(_marked_bylines(tree, shown), site)
        if _keys(marked) > _keys(authors):
            authors = marked
    if not authors:
        for key in ("author", "article:author", "parsely-author", "sailthru.author", "dc.creator"):
            for value in metas.get(key, ()):
                authors.extend(split_authors(value))
            authors = people(authors)
            if authors:
                break
        # a meta tag listing the whole shoot's credits (photographer, stylist, models) where
        # the byline shows one of them: the reader's byline is the author
        if len(authors) > 1:
            marked = drop_site_names(_marked_bylines(tree, shown), site)
            if marked and _keys(marked) < _keys(authors):
                authors = marked
    if not authors:
        # a marked byline that names only the site (rel="author" on the publisher's page)
        # leaves the others to be read: an element classed as the author's ("auteurs",
        # "article-author"), then the plain-text "Written by: Julie Mollins"
        authors = (people(_marked_bylines(tree, shown)) or people(_classed_bylines(tree, shown))
                   or people(_text_bylines(tree, shown)))
    if not authors and not named_site:
        # trafilatura's guess, the slow one; not when the page credits only itself
        authors = people(split_authors(extract_author(tree) or ""))
    authors = drop_agency_credits(authors)

    tags = _list_of_strings(article.get("keywords"))
    if not tags:
        tags = list(metas.get("article:tag", ())) or _list_of_strings(
            first_meta(metas, "news_keywords", "keywords")
        )

    image = article.get("image")
    if isinstance(image, list):
        image = image[0] if image else None
    if isinstance(image, dict):
        image = image.get("url") or image.get("contentUrl")
    image = (
        first_meta(metas, "og:image", "og:image:url", "og:image:secure_url", "twitter:image",
                   "twitter:image:src")
        or _clean(image)
        or _link(tree, "image_src")
    )

    # the article's own inLanguage first: <html lang> and meta tags belong to the template
    html_lang = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
    article_language = primary_subtag(_name(article.get("inLanguage")))
    language = article_language or next(
        filter(None, map(primary_subtag, (
            html_lang,
            first_meta(metas, "og:locale", "content-language", "language", "dc.language"),
        ))),
        None,
    )

    section = article.get("articleSection")
    return {
        "title": title,
        "title_guessed": title_guessed,
        "authors": dedupe_names(authors),
        "published": published_date(article, metas, tree, url, title, shown),
        "modified": modified_date(article, metas, shown),
        "language": language,
        "language_by_article": article_language is not None,
        "sitename": sitename,
        "section": _clean(section) or first_meta(metas, "article:section", "section"),
        "description": first_meta(metas, "og:description", "description", "twitter:description")
        or _clean(article.get("description")),
        "tags": dedupe_names([_WS.sub(" ", unescape(tag)).strip() for tag in tags if tag.strip()]),
        "image": _absolute(base, image),
        "canonical_url": _absolute(base, _link(tree, "canonical") or first_meta(metas, "og:url")),
    }
