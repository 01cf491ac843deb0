"""Article metadata: title, authors, dates, language, site, tags, image, canonical URL.

Fields are read in order of reliability: schema.org JSON-LD, then Open Graph /
article meta tags, then visible markup (bylines, ``<time>``), and only then
trafilatura's and htmldate's heuristics, which are the slow part and so run
last. Everything here works on an lxml tree that the caller parsed once.

Body extraction lives in :mod:`crawler.extract.article`; it uses :func:`is_byline`
(re-exported from :mod:`crawler.extract._byline`) so that "what is an author's name"
is decided in one place. Authors are read in :mod:`crawler.extract.authors`, headline
fallbacks in :mod:`crawler.extract._headline`.
"""

from __future__ import annotations

import re
from html import unescape
from typing import Any
from urllib.parse import urljoin

from lxml.html import HtmlElement
from trafilatura.metadata import extract_title

from crawler.extract._byline import dedupe_names, is_byline
from crawler.extract._headline import (
    displayed_headline,
    first_heading,
    headline_from_markup,
    strip_chinese_site_suffix,
    strip_site_affix,
)
from crawler.extract._text import clean as _clean
from crawler.extract._text import thing_name as _name
from crawler.extract.authors import article_authors
from crawler.extract.dates import PageDates, modified_date, published_date
from crawler.extract.language import primary_subtag

__all__ = ["article_metadata", "first_meta", "is_byline", "meta_tags"]

_WS = re.compile(r"\s+")

# --- small value helpers ------------------------------------------------------------


def _absolute(base: str | None, link: str | None) -> str | None:
    if not link or link.startswith(("data:", "javascript:")):
        return None
    resolved = urljoin(base or "", link)
    return resolved if resolved.startswith(("http://", "https://")) else None


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
        title = strip_chinese_site_suffix(strip_site_affix(title, sitename)) if title else None
        # a masthead <h1> is the site's name, not the headline
        if title and sitename and title.casefold() == sitename.casefold():
            title = first_heading(tree, sitename) or title

    # the headline and the datelines under it, found once when first needed
    shown = PageDates(tree, title)
    authors = article_authors(tree, url, metas, article, sitename, shown)

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
        "authors": authors,
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
