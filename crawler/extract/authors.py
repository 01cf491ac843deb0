"""An article's authors: who its byline names, read from the best source that has them.

JSON-LD first, then author meta tags, then the bylines the reader sees (elements marked
as bylines, elements classed as the author's, plain-text "By ..." lines), and last
trafilatura's guess. A source that names only the site itself ("LinkNaija", "CNN
Business") names no author, so the next is asked; a page that credits only itself skips
trafilatura's guess. What counts as a name, a site's name or an agency's credit is
decided in :mod:`crawler.extract._byline`.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from lxml.html import HtmlElement
from trafilatura.metadata import extract_author

from crawler.extract._areas import in_boilerplate_area
from crawler.extract._byline import (
    dedupe_names,
    drop_agency_credits,
    drop_site_names,
    has_byline_prefix,
    site_keys,
    split_authors,
    story_bylines,
)
from crawler.extract._cjk_byline import (
    credit_names,
    has_cjk,
    is_outlet,
    lead_credit_names,
    outlet_names,
)
from crawler.extract._text import thing_name
from crawler.extract.dates import PageDates
from crawler.extract.jsonld import types_of

__all__ = ["article_authors"]

_WS = re.compile(r"\s+")


def article_authors(tree: HtmlElement, url: str | None, metas: dict[str, list[str]],
                    article: dict, sitename: str | None, shown: PageDates) -> list[str]:
    """The authors' names, deduplicated, ``[]`` when the page names no one but itself.

    ``metas`` is :func:`crawler.extract.metadata.meta_tags`'s, ``article`` the page's
    JSON-LD article object (``{}`` if none) and ``shown`` the headline and datelines."""
    # a byline naming only the publisher ("LinkNaija", "CNN Business") names no author:
    # each source is asked in turn until one names someone else
    site = site_keys(sitename, thing_name(article.get("publisher")),
                     host=urlsplit(url or "").hostname)
    named_site = False
    outlets: list[str] | None = None

    def people(names: list[str]) -> list[str]:
        nonlocal named_site, outlets
        kept = drop_site_names(names, site)
        if any(map(has_cjk, kept)):
            # the outlets a Chinese page prints as its source ("来源：证券时报网") or names
            # in its <title> are the site's kin: a meta tag naming one names no author
            outlets = outlet_names(tree) if outlets is None else outlets
            kept = [name for name in kept if not (has_cjk(name) and is_outlet(name, outlets))]
        named_site = named_site or (bool(names) and not kept)
        return kept

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
                   or people(_text_bylines(tree, shown)) or people(_cjk_credits(tree, shown)))
    if not authors and not named_site:
        # trafilatura's guess, the slow one; not when the page credits only itself
        authors = people(split_authors(extract_author(tree) or ""))
    authors = drop_agency_credits(authors)
    return dedupe_names(authors)


def _jsonld_author_entries(article: dict) -> list:
    entries = article.get("author") or article.get("creator") or []
    return entries if isinstance(entries, list) else [entries]


def _jsonld_authors(article: dict) -> list[str]:
    people, others = [], []
    for entry in _jsonld_author_entries(article):
        name = thing_name(entry)
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
        if in_boilerplate_area(element, shown.headline) or len(element.text_content()) > 200:
            continue
        for line in _lines(element):
            line = _BYLINE_CUT.sub("", line)
            if has_byline_prefix(line) and (names := split_authors(line)):
                found.setdefault(element, []).extend(names)
    return _the_storys(found, shown)


# Chinese credit labels (crawler.extract._cjk_byline), in an element's own text
_CJK_CREDIT_XPATH = (
    "//*[text()[" + " or ".join(f"contains(., '{label}')" for label in (
        "作者", "记者", "采写", "执笔", "撰文", "撰稿", "文/", "文／")) + "]]"
)


def _cjk_credits(tree: HtmlElement, shown: PageDates) -> list[str]:
    """Names in Chinese credits: a short block's "作者：李在山" line, or the bracketed
    reporter at a lead's start ("…电（记者唐霁）"); those nearest the headline. Looked
    for only under a headline in these scripts."""
    if not has_cjk(shown.title or ""):
        return []
    found: dict[HtmlElement, list[str]] = {}
    for element in tree.xpath(_CJK_CREDIT_XPATH):
        if in_boilerplate_area(element, shown.headline):
            continue
        text = element.text_content()
        names = ([name for line in _lines(element) for name in credit_names(line)]
                 if len(text) <= 200 else lead_credit_names(" ".join(text.split())))
        if names:
            found[element] = names
    return _the_storys(found, shown)


def _the_storys(found: dict[HtmlElement, list[str]], shown: PageDates) -> list[str]:
    """The names of those bylines in ``found`` that sign the story under the headline
    (where teasers further off are signed the same way, the run nearest it)."""
    story = story_bylines(list(found), shown.headline) if len(found) > 1 else list(found)
    return dedupe_names([name for element in story for name in found[element]])
