"""Safe, forgiving XML for feeds and sitemaps, and the dates they carry.

No entity is ever resolved and nothing is fetched from the network (XXE and
billion-laughs pages are common on the open web); broken documents are
recovered as far as libxml2 can.

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
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from html import unescape

from lxml import etree

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


def parse_xml(body: bytes, error: type[ValueError]) -> etree._Element:
    """Parse untrusted XML and return its root, raising ``error`` when there is none.

    Entities are never expanded (no XXE, no entity bombs), nothing is fetched,
    and libxml2 recovers what it can of broken markup. Bare ``&`` in URLs, which
    libxml2 would silently drop with the text after it, is escaped first.
    """
    encoding = None
    if body[:2] in _UTF16_BOMS:
        body, encoding = body.decode("utf-16", errors="replace").encode("utf-8"), "utf-8"
    elif body.startswith(_UTF8_BOM):
        # The BOM outranks whatever the declaration says.
        body, encoding = body[len(_UTF8_BOM):], "utf-8"
    body = body.lstrip()
    if not body:
        raise error("empty document")
    body = _BARE_AMP.sub(lambda m: m.group() if m.group()[:1] == b"<" else b"&amp;", body)
    parser = etree.XMLParser(
        recover=True, resolve_entities=False, no_network=True, huge_tree=False,
        load_dtd=False, remove_comments=True, remove_pis=True, encoding=encoding,
    )
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as exc:
        raise error(f"not XML: {str(exc).splitlines()[0]}") from None
    if root is None:
        raise error("not XML: no element found")
    return root


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


def qualified(ns: str | None, name: str) -> str:
    return f"{{{ns}}}{name}" if ns else name


def local_name(tag: str) -> str:
    return tag.rpartition("}")[2].rpartition(":")[2]
