"""XML sitemaps and the ``Sitemap:`` lines of robots.txt.

``parse_sitemap`` reads a ``<urlset>`` (pages, with Google News fields when the
site gives them) or a ``<sitemapindex>`` (further sitemaps), gzipped or not.
Sitemaps are hostile input as much as any page: the XML parser never expands
entities or touches the network, and decompression stops at ``max_size``.

The safe XML parser and the date parser, shared with ``crawler.discovery.feeds``,
are in :mod:`crawler.discovery._xml` (which also says why dates are not left to
dateutil).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urljoin

from lxml import etree

from crawler.discovery._xml import (
    SNIFF_BYTES,
    local_name,
    parse_date,
    parse_xml,
    qualified,
    sniff_root,
    text_of,
)
from crawler.discovery.urls import is_http_url

# The protocol's own limit on an uncompressed sitemap.
DEFAULT_MAX_SIZE = 50 * 1024 * 1024

GZIP_MAGIC = b"\x1f\x8b"
# Google News sitemaps; some sites write https:// or a trailing slash, so match the path.
_NEWS_NS_MARK = "/schemas/sitemap-news/"


class SitemapError(ValueError):
    """A body that is not a sitemap we can read; the message is one line."""


@dataclass(frozen=True)
class SitemapEntry:
    """One ``<url>`` of a urlset, or one ``<sitemap>`` of an index."""

    url: str
    lastmod: datetime | None
    news_published: datetime | None
    news_title: str | None


@dataclass(frozen=True)
class Sitemap:
    """A parsed sitemap; with ``is_index`` the entries are child sitemaps."""

    is_index: bool
    entries: list[SitemapEntry]


def is_gzip(body: bytes) -> bool:
    """Whether ``body`` starts with the gzip magic number."""
    return body[:2] == GZIP_MAGIC


def gunzip(body: bytes, max_size: int) -> bytes:
    """Decompress gzip data, refusing to produce more than ``max_size`` bytes.

    Output is produced in bounded steps, so a gzip bomb costs at most
    ``max_size`` bytes of memory before ``SitemapError`` is raised. Concatenated
    gzip members are joined; bytes after the last member are ignored.
    """
    out = bytearray()
    data = body
    try:
        while data[:2] == GZIP_MAGIC:
            member = zlib.decompressobj(16 + zlib.MAX_WBITS)
            while not member.eof:
                # One byte over the limit is enough to know the limit is broken.
                chunk = member.decompress(data, max_size + 1 - len(out))
                out += chunk
                if len(out) > max_size:
                    raise SitemapError(f"gzip data expands beyond {max_size} bytes")
                data = member.unconsumed_tail
                if not data and not chunk:
                    raise SitemapError("gzip data is truncated")
            data = member.unused_data
    except zlib.error as exc:
        raise SitemapError(f"corrupt gzip data: {exc}") from None
    if not out and body[:2] != GZIP_MAGIC:
        raise SitemapError("not gzip data")
    return bytes(out)


def looks_like_sitemap(body: bytes) -> bool:
    """Whether the root element (after gunzip, if gzipped) is ``urlset`` or ``sitemapindex``."""
    if is_gzip(body):
        try:
            # Only the head is needed; never inflate the whole thing to sniff it.
            body = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(body, SNIFF_BYTES)
        except zlib.error:
            return False
    root = sniff_root(body)
    return root is not None and local_name(root[0]) in ("urlset", "sitemapindex")


def parse_sitemap(body: bytes, base_url: str, *, max_size: int = DEFAULT_MAX_SIZE) -> Sitemap:
    """Parse a sitemap or sitemap index, gunzipping it first when it is gzip data.

    Locations are stripped and resolved against ``base_url``; entries that are
    not http(s) are skipped, and repeated URLs keep their first entry. Image and
    video extensions are ignored. Raises ``SitemapError`` when the body is too
    large, corrupt, or not a sitemap.
    """
    if is_gzip(body):
        body = gunzip(body, max_size)
    elif len(body) > max_size:
        raise SitemapError(f"sitemap is {len(body)} bytes, over the limit of {max_size}")
    root = parse_xml(body, SitemapError)
    name = local_name(root.tag)
    if name not in ("urlset", "sitemapindex"):
        raise SitemapError(f"not a sitemap: root element is <{name}>")
    # The namespace the site wrote (standard, none, or an old Google one) is the
    # one its <loc> and <lastmod> share; extensions such as image:loc never do.
    ns = etree.QName(root).namespace
    is_index = name == "sitemapindex"
    item = qualified(ns, "sitemap" if is_index else "url")
    entries: list[SitemapEntry] = []
    seen: set[str] = set()
    for el in root.iter(item):
        loc = text_of(el.find(qualified(ns, "loc"))).strip()
        url = urljoin(base_url, loc)
        if not loc or not is_http_url(url) or url in seen:
            continue
        seen.add(url)
        published, title = (None, None) if is_index else _news(el)
        lastmod = parse_date(text_of(el.find(qualified(ns, "lastmod"))))
        entries.append(SitemapEntry(url, lastmod, published, title))
    return Sitemap(is_index=is_index, entries=entries)


def sitemap_urls_from_robots(robots_txt: str, base_url: str) -> list[str]:
    """The ``Sitemap:`` URLs of a robots.txt, resolved, de-duplicated, in order."""
    urls: list[str] = []
    for line in robots_txt.lstrip("\ufeff").splitlines():
        key, sep, value = line.split("#", 1)[0].partition(":")
        # Google's parser also takes the "site-map" spelling.
        if not sep or key.strip().lower() not in ("sitemap", "site-map"):
            continue
        url = urljoin(base_url, value.strip())
        if value.strip() and is_http_url(url) and url not in urls:
            urls.append(url)
    return urls


def _news(url_el: etree._Element) -> tuple[datetime | None, str | None]:
    news = next((child for child in url_el if _is_news(child, "news")), None)
    if news is None:
        return None, None
    published = title = None
    for field in news:
        if _is_news(field, "publication_date"):
            published = parse_date(text_of(field))
        elif _is_news(field, "title"):
            title = " ".join(text_of(field).split()) or None
    return published, title


def _is_news(el: etree._Element, name: str) -> bool:
    return (
        isinstance(el.tag, str)
        and local_name(el.tag) == name
        and _NEWS_NS_MARK in (etree.QName(el).namespace or "")
    )


# Sitemaps' lastmod is a W3C datetime (or, on some sites, RFC 822).
sitemap_date = parse_date
