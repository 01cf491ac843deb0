"""Safe, forgiving XML for feeds and sitemaps, and the dates they carry.

No entity is ever resolved and nothing is fetched from the network (XXE and
billion-laughs pages are common on the open web); broken documents are
recovered as far as libxml2 can. libxml2's own limits stay on (no ``huge_tree``):
a document that declares entities which would expand past its amplification
limit (billion laughs, one big entity used thousands of times), a text node
over 10 MB or nesting over 256 levels stops the parse there, and
:func:`limit_hit` says which limit it was, so that the crawl counts it.

Dates: RFC 822 (``pubDate``) goes to the standard library's
:func:`email.utils.parsedate_to_datetime`. W3C datetimes stay with the short
regular expression below rather than ``dateutil.parser.isoparse``: isoparse
rejects forms this parser forgives (a one-digit month, day or hour, a space
before the zone: ``2024-6-1``, ``2024-06-11 8:30 +02:00``), accepts ISO forms
no feed or sitemap uses (week dates, ``24:00``), and returns dateutil's own
tzinfo classes where callers get :class:`datetime.timezone`; it would also
make python-dateutil, today only a dependency of botocore and htmldate, a
direct one. ``dateutil.parser.parse`` is no alternative: it fills missing
parts from today's date (``"June"`` is June of this year, ``"11"`` the 11th
of this month), where a junk date must give ``None``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from html import unescape
from typing import Any
from urllib.parse import urljoin

from lxml import etree

from crawler.discovery.urls import is_http_url

_W3C_DATE = re.compile(
    r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2})"
    r"(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?)?)?",
    re.I,
)


def parse_date(text: str) -> datetime | None:
    """Parse a W3C datetime (``YYYY`` down to fractions of a second) or an RFC 822 date.

    A date without a zone is taken as UTC, so the result is always aware.
    Anything unreadable, or out of range, gives ``None``.
    """
    text = text.strip()
    if not text:
        return None
    try:
        match = _W3C_DATE.fullmatch(text)
        if match:
            return _w3c(match)
        # Some sites write lastmod (and every feed writes pubDate) in RFC 822.
        parsed = parsedate_to_datetime(text)
    except (ValueError, OverflowError, TypeError, IndexError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _w3c(match: re.Match[str]) -> datetime:
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    tz = UTC
    if zone and zone.upper() != "Z":
        digits = zone[1:].replace(":", "")
        offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:] or 0))
        tz = timezone(-offset if zone[0] == "-" else offset)
    return datetime(
        int(year), int(month or 1), int(day or 1), int(hour or 0), int(minute or 0),
        int(second or 0), int((fraction or "0")[:6].ljust(6, "0")), tzinfo=tz,
    )


# How much of a document is looked at to tell what it is.
SNIFF_BYTES = 2048
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_UTF8_BOM = b"\xef\xbb\xbf"
# Markup that may come before the root element: declaration, PIs, comments, doctype.
_PROLOG = re.compile(
    r"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE(?:[^\[>]|\[[^\]]*\])*>)", re.S | re.I
)
_START_TAG = re.compile(r"\s*<([A-Za-z_][\w.:-]*)([^>]*)", re.S)
# CDATA sections are passed over; any other '&' that starts no reference is escaped.
_BARE_AMP = re.compile(
    rb"<!\[CDATA\[.*?(?:\]\]>|\Z)|&(?!#\d+;|#x[0-9a-fA-F]+;|[A-Za-z_][\w.-]*;)", re.S
)


def sniff_root(body: bytes) -> tuple[str, str] | None:
    """The root element's qualified name and the rest of its start tag, from the head.

    Looks at the first ~2 KB only, after a BOM, whitespace, the XML declaration,
    processing instructions, comments and a doctype. ``None`` when no element
    starts there.
    """
    head = body[: SNIFF_BYTES + 4]
    if head[:2] in _UTF16_BOMS:
        text = head.decode("utf-16", errors="replace")
    else:
        # Element names are ASCII in every feed or sitemap worth sniffing.
        text = head.removeprefix(_UTF8_BOM).decode("latin-1")
    pos = 0
    while match := _PROLOG.match(text, pos):
        pos = match.end()
    start = _START_TAG.match(text, pos)
    return (start.group(1), start.group(2)) if start else None


class XmlError(ValueError):
    """An XML document that cannot be read (or not to its end). The message is one
    line; ``reason`` is a short name for the crawl's stats: ``not_xml``, ``entities``
    (entity expansion refused), ``limits`` (another of libxml2's limits), ``too_large``,
    ``gzip`` (corrupt compressed data) or what the caller names."""

    def __init__(self, message: str, reason: str = "not_xml") -> None:
        super().__init__(message)
        self.reason = reason


def xml_parser_options(encoding: str | None = None) -> dict[str, Any]:
    """The options of every parser of untrusted XML here (see the module docstring)."""
    return {"recover": True, "resolve_entities": False, "no_network": True,
            "huge_tree": False, "load_dtd": False, "remove_comments": True,
            "remove_pis": True, "encoding": encoding}


def limit_hit(error_log: Iterable[Any]) -> tuple[str, str] | None:
    """``(reason, message)`` when libxml2 stopped the parse at one of its limits, else
    None; the reason is ``entities`` (expansion refused) or ``limits`` (a text node
    or nesting too large). Other errors are broken markup, recovered."""
    for entry in error_log:
        if entry.type_name in _LIMIT_ERRORS:
            message = entry.message.strip().splitlines()[0]
            entities = entry.type_name == "ERR_ENTITY_LOOP" or "entit" in message.lower()
            return ("entities" if entities else "limits"), message
    return None


_LIMIT_ERRORS = frozenset({"ERR_RESOURCE_LIMIT", "ERR_ENTITY_LOOP"})


def encoding_of(head: bytes) -> tuple[bytes, str | None]:
    """``head`` without a UTF-8 BOM and the encoding a BOM imposes (it outranks whatever
    the declaration says); UTF-16 is left to the caller, which transcodes it."""
    if head.startswith(_UTF8_BOM):
        return head[len(_UTF8_BOM):], "utf-8"
    return head, None


def is_utf16(head: bytes) -> bool:
    return head[:2] in _UTF16_BOMS


def escape_bare_amps(data: bytes) -> bytes:
    """Bare ``&`` (in URLs), which libxml2 would silently drop with the text after it,
    escaped; references and CDATA sections kept."""
    return _BARE_AMP.sub(lambda m: m.group() if m.group()[:1] == b"<" else b"&amp;", data)


class AmpEscaper:
    """:func:`escape_bare_amps` over a stream of chunks. A reference or a CDATA section
    cut in two by a chunk boundary would be misjudged, so each chunk is held back from
    its last ``>`` (or from a CDATA section still open), up to ``hold`` bytes."""

    def __init__(self, hold: int = 1024 * 1024) -> None:
        self.hold = hold
        self._held = b""

    def feed(self, chunk: bytes) -> bytes:
        data = self._held + chunk
        cut = data.rfind(b">") + 1
        cdata = data.rfind(b"<![CDATA[", 0, cut)
        if cdata != -1:
            end = data.find(b"]]>", cdata)
            if end == -1 or end + 3 > cut:
                cut = cdata
        if len(data) - cut > self.hold:
            cut = len(data)  # text with no markup for a megabyte: nothing to wait for
        self._held = data[cut:]
        return escape_bare_amps(data[:cut])

    def flush(self) -> bytes:
        data, self._held = self._held, b""
        return escape_bare_amps(data)

    @property
    def held(self) -> bytes:
        """What is held back, not yet escaped."""
        return self._held


def parse_xml(body: bytes, error: type[XmlError]) -> tuple[etree._Element, tuple[str, str] | None]:
    """Parse untrusted XML: its root, and ``(reason, message)`` when libxml2 stopped
    early at one of its limits (see :func:`limit_hit`; the root then holds what came
    before). Raises ``error`` when there is no root at all.

    Entities are never expanded (no XXE, no entity bombs), nothing is fetched,
    and libxml2 recovers what it can of broken markup. Bare ``&`` in URLs, which
    libxml2 would silently drop with the text after it, is escaped first.
    """
    encoding = None
    if is_utf16(body):
        body, encoding = body.decode("utf-16", errors="replace").encode("utf-8"), "utf-8"
    else:
        body, encoding = encoding_of(body)
    body = body.lstrip()
    if not body:
        raise error("empty document")
    parser = etree.XMLParser(**xml_parser_options(encoding))
    try:
        root = etree.fromstring(escape_bare_amps(body), parser)
    except etree.XMLSyntaxError as exc:
        raise error(f"not XML: {str(exc).splitlines()[0]}") from None
    if root is None:
        raise error("not XML: no element found")
    return root, limit_hit(parser.error_log)


def text_of(el: etree._Element | None) -> str:
    """The text inside ``el`` with HTML named entities decoded and other entities dropped.

    Unexpanded entity references stay in the tree as nodes; an HTML name such
    as ``&nbsp;`` is what a careless site meant, anything else is not trusted.
    """
    if el is None:
        return ""
    return "".join(_texts(el))


def _texts(el: etree._Element) -> Iterator[str]:
    if el.text:
        yield el.text
    for child in el:
        if isinstance(child, etree._Entity):
            decoded = unescape(child.text)
            if decoded != child.text:
                yield decoded
        elif isinstance(child.tag, str):
            yield from _texts(child)
        if child.tail:
            yield child.tail


def http_url(base: str | None, href: str) -> str | None:
    """``href`` resolved against ``base`` (when given) if that makes an http(s) URL,
    else None, also for what urllib cannot parse (``http://[oops/``)."""
    try:
        url = urljoin(base, href) if base else href
    except ValueError:
        return None
    return url if is_http_url(url) else None


def qualified(ns: str | None, name: str) -> str:
    return f"{{{ns}}}{name}" if ns else name


def local_name(tag: str) -> str:
    return tag.rpartition("}")[2].rpartition(":")[2]
