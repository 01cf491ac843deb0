"""What a browser fetches to show a page as its readers saw it: its requisites.

Stylesheets, scripts, images (``srcset`` candidates, SVG ``<image>`` and sprite
files, and the lazy-loading attributes of news CMSs included), icons, fonts, media
and the ``og:image``, found in one walk of the page's tree in document order (lazy
backgrounds after it), and the ``@import`` and
``url()`` of the CSS inside the page (:func:`css_requisites`, for fetched
stylesheets too). Plain functions with no Scrapy import: the extraction workers
call them on the tree they parsed, before extraction edits it.

Each URL is absolute, without its fragment, and written as the request for it
will be: resolved as a browser resolves it (backslashes are slashes, dot segments
go, host in lower case, default port dropped) and percent-encoded as Scrapy's
``Request`` encodes it (w3lib's ``safe_url_string``), so that a requisite is
requested, archived and de-duplicated under one spelling.

What ``<noscript>`` holds counts (the page's fallbacks, shown with scripts off),
and so does what a ``<template>`` holds, which a browser fetches only once a
script uses it: rare, and one fetch too many is better than one missing.

A ``<base href>`` counts from where it stands, as in a browser's parser: what
comes before it (rarely anything but ``<meta>``) is resolved against the page's
URL. Only the first ``<base>`` with an href counts, and only if it is http(s).

Hostile pages cost bounded work: one pass over the elements, at most
:data:`MAX_REQUISITES` a page or stylesheet, and CSS read in linear time
(:mod:`crawler.discovery._css`).
"""

from __future__ import annotations

import re

from lxml import etree
from lxml.html import HtmlElement

from crawler.discovery._requisite_urls import (
    MAX_REQUISITES,
    MAX_URL_LENGTH,
    FoundRequisites,
    Requisite,
    parse_srcset,
)

KINDS = ("stylesheet", "script", "image", "icon", "font", "media")
__all__ = ["KINDS", "MAX_REQUISITES", "MAX_URL_LENGTH", "Requisite", "css_requisites",
           "may_name_lazy_backgrounds", "page_requisites", "parse_srcset"]


def page_requisites(tree: HtmlElement, base_url: str, *,
                    lazy_backgrounds: bool = True) -> list[Requisite]:
    """The requisites of a page (a tree from ``crawler.extract.article.parse_html``),
    in document order, each URL once (with the kind it was first found as).
    ``lazy_backgrounds=False`` skips the search for lazy-loaded backgrounds: the
    caller knows the page names none (:func:`may_name_lazy_backgrounds`)."""
    found = FoundRequisites(base_url)
    handlers = _HANDLERS.get
    for element in tree.iter(etree.Element):  # the walk costs more than all the rest
        handler = handlers(element.tag)
        style = element.get("style")
        if handler is None and style is None:
            continue
        if handler is not None:
            handler(element, found)
        if style is not None and "(" in style:  # no url() or image-set() without one
            found.add_css(style)
        if found.full:
            break
    if lazy_backgrounds and not found.full:
        # Lazy-loaded backgrounds sit on any element (a <div>, an <a>): one search in C
        # costs less than more attribute reads in the walk above. They come after the
        # rest, which only matters at a cap.
        for element in _LAZY_BACKGROUNDS(tree):
            _lazy_background(element, found)
            if found.full:
                break
    return found.requisites()


def may_name_lazy_backgrounds(html: str) -> bool:
    """False when the page's source cannot hold a lazy-loaded background: most pages.
    Searching the text (microseconds) spares the tree search (0.5 ms a real page)."""
    return "data-bg" in html or "data-background" in html


def css_requisites(css: str, base_url: str) -> list[Requisite]:
    """The requisites a stylesheet names, resolved against ``base_url`` (the sheet's
    own URL, or the page's for CSS inside a page): ``@import`` targets are
    stylesheets; a ``url()`` is a font inside ``@font-face`` or when its path ends
    in a font's extension, else an image, as are ``image-set()`` strings."""
    found = FoundRequisites(base_url)
    found.add_css(css)
    return found.requisites()


# -- what each element asks for ----------------------------------------------------------

# Attributes of <img> and <picture><source> that lazy-loading scripts turn into src
# or srcset: real pages write the image there and a placeholder (or nothing) in src.
_IMAGE_URL_ATTRIBUTES = ("data-src", "data-lazy-src", "data-original", "data-hi-res-src",
                         "data-full-src")
_IMAGE_SRCSET_ATTRIBUTES = ("srcset", "data-srcset", "data-lazy-srcset", "data-original-set")
_LINK_PRELOAD = {"style": "stylesheet", "font": "font", "image": "image", "script": "script",
                 "audio": "media", "video": "media", "track": "media"}
_ICON_RELS = frozenset({"icon", "apple-touch-icon", "apple-touch-icon-precomposed",
                        "mask-icon"})
_META_IMAGES = frozenset({"og:image", "og:image:url", "og:image:secure_url", "twitter:image",
                          "twitter:image:src"})
# Script types that are data or markup, never run: JSON-LD, client-side templates.
_NOT_SCRIPT = re.compile(r"json|templ|tmpl|html|handlebars|mustache", re.I)
_MEDIA = frozenset({"video", "audio"})


def _base(element: HtmlElement, found: FoundRequisites) -> None:
    if not found.base_seen and (href := element.get("href")) is not None:
        found.rebase(href)


def _link(element: HtmlElement, found: FoundRequisites) -> None:
    rels = (element.get("rel") or "").lower().split()
    if "stylesheet" in rels:
        found.add(element.get("href"), "stylesheet")
    elif "preload" in rels or "modulepreload" in rels:
        kind = "script" if "modulepreload" in rels else \
            _LINK_PRELOAD.get((element.get("as") or "").strip().lower())
        if kind is not None:
            found.add(element.get("href"), kind)
            if kind == "image":
                found.add_srcset(element.get("imagesrcset"))
    elif not _ICON_RELS.isdisjoint(rels):
        found.add(element.get("href"), "icon")


def _script(element: HtmlElement, found: FoundRequisites) -> None:
    if not _NOT_SCRIPT.search(element.get("type") or ""):
        found.add(element.get("src"), "script")


def _image_attributes(element: HtmlElement, found: FoundRequisites) -> None:
    for name in _IMAGE_URL_ATTRIBUTES:
        found.add(element.get(name), "image")
    for name in _IMAGE_SRCSET_ATTRIBUTES:
        found.add_srcset(element.get(name))


def _img(element: HtmlElement, found: FoundRequisites) -> None:
    found.add(element.get("src"), "image")
    _image_attributes(element, found)


def _source(element: HtmlElement, found: FoundRequisites) -> None:
    parent = element.getparent()
    if parent is not None and parent.tag in _MEDIA:
        found.add(element.get("src"), "media")
    else:  # <picture>, or a stray <source> read as a picture's would be
        _image_attributes(element, found)


def _video(element: HtmlElement, found: FoundRequisites) -> None:
    found.add(element.get("poster"), "image")
    found.add(element.get("src"), "media")


def _media(element: HtmlElement, found: FoundRequisites) -> None:
    found.add(element.get("src"), "media")


def _input(element: HtmlElement, found: FoundRequisites) -> None:
    if (element.get("type") or "").strip().lower() == "image":
        found.add(element.get("src"), "image")


def _meta(element: HtmlElement, found: FoundRequisites) -> None:
    name = (element.get("property") or element.get("name") or "").strip().lower()
    if name in _META_IMAGES:
        found.add(element.get("content"), "image")


def _style(element: HtmlElement, found: FoundRequisites) -> None:
    if element.text:
        found.add_css(element.text)


def _background(element: HtmlElement, found: FoundRequisites) -> None:
    found.add(element.get("background"), "image")  # the attribute browsers still honour


def _svg_image(element: HtmlElement, found: FoundRequisites) -> None:
    """SVG's <image> (``href``, or the older ``xlink:href``); an HTML ``<image src>``
    is an <img> to a browser."""
    found.add(element.get("href") or element.get("xlink:href") or element.get("src"), "image")


def _svg_use(element: HtmlElement, found: FoundRequisites) -> None:
    """An icon from a sprite file (``/icons.svg#search``); ``#search`` alone is in the page."""
    found.add(element.get("href") or element.get("xlink:href"), "image")


# What lazy-loading scripts (lazysizes' unveilhooks, WordPress themes) turn into a
# background-image: a URL, a CSS ``url()``, or (data-bgset) a srcset.
_LAZY_BACKGROUND_ATTRIBUTES = ("data-bg", "data-background", "data-background-image")
_LAZY_BACKGROUNDS = etree.XPath(
    "//*[" + " or ".join(f"@{name}" for name in (*_LAZY_BACKGROUND_ATTRIBUTES, "data-bgset"))
    + "]")


def _lazy_background(element: HtmlElement, found: FoundRequisites) -> None:
    for name in _LAZY_BACKGROUND_ATTRIBUTES:
        value = element.get(name)
        if value and "(" in value:
            found.add_css(value)
        else:
            found.add(value, "image")
    found.add_srcset(element.get("data-bgset"))


_HANDLERS = {
    "base": _base, "link": _link, "script": _script, "img": _img, "source": _source,
    "video": _video, "audio": _media, "track": _media, "input": _input, "meta": _meta,
    "style": _style,
    "body": _background, "table": _background, "td": _background, "th": _background,
    "image": _svg_image, "use": _svg_use,
}
