"""XML sitemaps and the ``Sitemap:`` lines of robots.txt.

``SitemapReader`` reads a ``<urlset>`` (pages, with Google News fields when the
site gives them) or a ``<sitemapindex>`` (further sitemaps), gzipped or not,
as a stream: entries come one at a time, as they are parsed, and what the
reader has handed out is freed, so a sitemap of a million entries costs the
memory of a few. A caller that has taken enough (a per-run cap) stops there and
asks how many entries are left (:meth:`SitemapReader.count_rest`) without
parsing them. ``parse_sitemap`` is the whole list at once, for small sitemaps.

Sitemaps are hostile input as much as any page: the XML parser never expands
entities or touches the network, decompression stops at ``max_size``, and
libxml2's limits stay on; what was read before a limit stopped the reader is
the caller's to keep. The safe XML parser and the date parser, shared with
``crawler.discovery.feeds``, are in :mod:`crawler.discovery._xml` (which also
says why dates are not left to dateutil).
"""

from __future__ import annotations

import codecs
import zlib
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urljoin

from lxml import etree

from crawler.discovery._xml import (
    SNIFF_BYTES,
    AmpEscaper,
    XmlError,
    encoding_of,
    http_url,
    is_utf16,
    limit_hit,
    local_name,
    parse_date,
    qualified,
    sniff_root,
    text_of,
    xml_parser_options,
)
from crawler.discovery.urls import is_http_url

# The protocol's own limit on an uncompressed sitemap.
DEFAULT_MAX_SIZE = 50 * 1024 * 1024
# Bytes handed to the parser at a time (after decompression).
CHUNK_SIZE = 256 * 1024
_INPUT_STEP = 64 * 1024

GZIP_MAGIC = b"\x1f\x8b"
# Google News sitemaps; some sites write https:// or a trailing slash, so match the path.
_NEWS_NS_MARK = "/schemas/sitemap-news/"


class SitemapError(XmlError):
    """A body that is not a sitemap we can read, or could not read to its end; the
    message is one line, ``reason`` its short name (see :class:`XmlError`)."""


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


def inflate(body: bytes, max_size: int, chunk_size: int = CHUNK_SIZE) -> Iterator[bytes]:
    """Decompress gzip data in chunks of at most ``chunk_size`` bytes, refusing to
    produce more than ``max_size`` bytes in all.

    A gzip bomb costs one chunk of memory at a time, and at most ``max_size`` bytes
    of work, before ``SitemapError`` is raised. Concatenated gzip members are
    joined; bytes after the last member are ignored.
    """
    view = memoryview(body)
    produced = pos = 0
    try:
        while view[pos:pos + 2] == GZIP_MAGIC:
            member = zlib.decompressobj(16 + zlib.MAX_WBITS)
            pending: bytes | memoryview = b""
            while not member.eof:
                if not pending:
                    if pos >= len(view):
                        raise SitemapError("gzip data is truncated", "gzip")
                    # Fed in small steps: what zlib leaves over is copied at every call.
                    pending = view[pos:pos + _INPUT_STEP]
                    pos += len(pending)
                # One byte over the limit is enough to know the limit is broken.
                chunk = member.decompress(pending, min(chunk_size, max_size + 1 - produced))
                pending = member.unconsumed_tail
                produced += len(chunk)
                if produced > max_size:
                    raise SitemapError(f"gzip data expands beyond {max_size} bytes",
                                       "too_large")
                if chunk:
                    yield chunk
            pos -= len(member.unused_data)  # the start of the next member, if any
    except zlib.error as exc:
        raise SitemapError(f"corrupt gzip data: {exc}", "gzip") from None
    if not produced and view[:2] != GZIP_MAGIC:
        raise SitemapError("not gzip data", "gzip")


def gunzip(body: bytes, max_size: int) -> bytes:
    """:func:`inflate` in one piece."""
    return b"".join(inflate(body, max_size))


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


class SitemapReader:
    """A sitemap or sitemap index read as a stream, gunzipped first when it is gzip data.

    Construction reads up to the root element (raising ``SitemapError`` when the body
    is too large, corrupt, or not a sitemap) and sets ``is_index``; iterating yields
    the entries in document order. Locations are stripped and resolved against
    ``base_url``; entries that are not http(s) are skipped; image and video
    extensions are ignored. Iteration raises ``SitemapError`` where the reader had
    to stop (decompressed beyond ``max_size``, corrupt gzip data, an entity bomb or
    another of libxml2's limits): the entries before it were good.
    """

    def __init__(self, body: bytes, base_url: str, *, max_size: int = DEFAULT_MAX_SIZE,
                 chunk_size: int = CHUNK_SIZE) -> None:
        if is_gzip(body):
            chunks = inflate(body, max_size, chunk_size)
        elif len(body) > max_size:
            raise SitemapError(f"sitemap is {len(body)} bytes, over the limit of {max_size}",
                               "too_large")
        else:
            chunks = (body[i:i + chunk_size] for i in range(0, len(body), chunk_size))
        self.base_url = base_url
        self._chunks = chunks
        self._amps = AmpEscaper()
        self._events: deque[tuple[str, etree._Element]] = deque()
        self._stopped: SitemapError | None = None
        self._parser = self._start()
        self._root = self._first_element()
        name = local_name(self._root.tag)
        if name not in ("urlset", "sitemapindex"):
            raise SitemapError(f"not a sitemap: root element is <{name}>", "not_a_sitemap")
        self.is_index = name == "sitemapindex"
        # The namespace the site wrote (standard, none, or an old Google one) is the
        # one its <loc> and <lastmod> share; extensions such as image:loc never do.
        self._ns = etree.QName(self._root).namespace
        self._item = qualified(self._ns, "sitemap" if self.is_index else "url")
        self._loc = qualified(self._ns, "loc")
        self._lastmod = qualified(self._ns, "lastmod")

    def _start(self) -> etree.XMLPullParser:
        """A parser for the encoding the head says, fed the head (BOM and leading
        whitespace gone)."""
        head = b""
        for chunk in self._chunks:
            head = (head + chunk).lstrip()
            if len(head) >= 4:
                break
        if is_utf16(head):
            # libxml2 cannot be fed UTF-16 in pieces: hand it UTF-8 instead.
            decoder = codecs.getincrementaldecoder("utf-16")(errors="replace")
            utf16 = self._chunks
            self._chunks = (decoder.decode(c).encode("utf-8") for c in utf16)
            head, encoding = decoder.decode(head).encode("utf-8").lstrip(), "utf-8"
        else:
            head, encoding = encoding_of(head)
            head = head.lstrip()
        if not head:
            raise SitemapError("empty document")
        parser = etree.XMLPullParser(events=("start", "end"), **xml_parser_options(encoding))
        self._feed(parser, head)
        return parser

    def _feed(self, parser: etree.XMLPullParser, data: bytes | None) -> None:
        try:
            if data is None:
                parser.feed(self._amps.flush())
                parser.close()
            else:
                parser.feed(self._amps.feed(data))
        except etree.XMLSyntaxError as exc:
            raise SitemapError(f"not XML: {str(exc).splitlines()[0]}") from None
        self._events.extend(parser.read_events())
        if stopped := limit_hit(parser.feed_error_log):
            # libxml2 stopped there: the events before are good, nothing after comes.
            self._stopped = SitemapError(
                f"stopped at a limit of the XML parser: {stopped[1]}", stopped[0])
            self._chunks = None

    def _more(self) -> bool:
        """Feed the next chunk (or the end); False once everything was fed. Raises
        what stopped the reading early, once its events are used up."""
        if self._chunks is None:
            if self._stopped is not None:
                raise self._stopped
            return False
        chunk = next(self._chunks, None)
        if chunk is None:
            self._chunks = None
        self._feed(self._parser, chunk)
        return True

    def _first_element(self) -> etree._Element:
        while True:
            for event, element in self._events:
                if event == "start":
                    return element
            if not self._more():
                raise SitemapError("not XML: no element found")

    def __iter__(self) -> Iterator[SitemapEntry]:
        while True:
            while self._events:
                event, element = self._events.popleft()
                if event != "end" or element.tag != self._item or any(
                        up.tag == self._item for up in element.iterancestors()):
                    continue  # an item in an item (broken markup): read with the outer one
                entries = [self._entry(item) for item in element.iter(self._item)]
                # Read: the tree need not keep it (a million entries, a few in memory).
                # The element itself stays until the next one: libxml2 may still
                # append its tail.
                element.clear(keep_tail=False)
                if element.getparent() is self._root:
                    while element.getprevious() is not None:
                        del self._root[0]
                yield from (entry for entry in entries if entry is not None)
            if not self._more():
                return

    def _entry(self, element: etree._Element) -> SitemapEntry | None:
        loc = text_of(element.find(self._loc)).strip()
        url = http_url(self.base_url, loc) if loc else None
        if url is None:
            return None
        published, title = (None, None) if self.is_index else _news(element)
        lastmod = parse_date(text_of(element.find(self._lastmod)))
        return SitemapEntry(url, lastmod, published, title)

    def count_rest(self) -> int:
        """How many entries are left after those already taken, counted in the bytes
        still to read (``</url>`` or ``</sitemap>`` closing tags) rather than parsed.
        The reader is used up; a limit met on the way ends the count there."""
        done = sum(1 for event, element in self._events
                   if event == "end" and element.tag == self._item)
        prefix = self._root.prefix
        mark = b"</" + (prefix.encode() + b":" if prefix else b"") + local_name(
            self._item).encode() + b">"
        tail = self._amps.held
        try:
            for chunk in self._chunks or ():
                data = tail + chunk
                done += data.count(mark)
                tail = data[len(data) - len(mark) + 1:]
        except SitemapError:
            pass
        else:
            done += tail.count(mark)
        self._events, self._chunks = deque(), None
        return done


def parse_sitemap(body: bytes, base_url: str, *, max_size: int = DEFAULT_MAX_SIZE) -> Sitemap:
    """A whole sitemap or sitemap index (see :class:`SitemapReader`), repeated URLs
    keeping their first entry. Raises ``SitemapError`` when the body is too large,
    corrupt, or not a sitemap."""
    reader = SitemapReader(body, base_url, max_size=max_size)
    entries: dict[str, SitemapEntry] = {}
    for entry in reader:
        entries.setdefault(entry.url, entry)
    return Sitemap(is_index=reader.is_index, entries=list(entries.values()))


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
