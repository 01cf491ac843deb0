"""A requisite's URL as the browser would request it, and the requisites a page names.

Resolving (:func:`request_url`) follows a browser's URL parser where urljoin does not
(backslashes, dot segments, host case, default ports) and encodes as Scrapy's
``Request`` does; :class:`FoundRequisites` keeps each URL once, up to :data:`MAX_REQUISITES`.
Split from :mod:`crawler.discovery.requisites`, which walks the page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from w3lib.url import safe_url_string

from crawler.discovery._css import FONT_FACE, IMPORT, css_urls
from crawler.discovery.links import CONTROL_CHARACTERS, URL_BLANKS
from crawler.discovery.urls import is_http_url

#: Requisites found at most in one page (its inline CSS included) or one stylesheet.
MAX_REQUISITES = 2_000
#: Longer URLs are never requested (the crawl's own limit, ``NEWS_MAX_URL_LENGTH``).
MAX_URL_LENGTH = 2_000


@dataclass(frozen=True, slots=True)
class Requisite:
    url: str  # absolute http(s) URL, fragment removed, as the browser would request it
    kind: str  # one of crawler.discovery.requisites.KINDS


def parse_srcset(value: str) -> list[str]:
    """The candidate URLs of a ``srcset``, as written, in order.

    The HTML standard's splitting: a URL runs to the next whitespace, so it may
    hold commas (``https://cdn/x.jpg,w_300 300w``) except trailing ones, which end
    the candidate; descriptors run to a comma outside parentheses. Descriptors are
    not checked: a candidate with odd ones is still a URL a browser may ask for.
    """
    return list(_srcset_urls(value))


_SRCSET_SKIP = re.compile(r"[ \t\n\r\f,]*+")
_SRCSET_URL = re.compile(r"[^ \t\n\r\f]++")
_DESCRIPTOR_STOP = re.compile(r"[,(]")


def _srcset_urls(value: str) -> Iterable[str]:
    pos, end = 0, len(value)
    while True:
        pos = _SRCSET_SKIP.match(value, pos).end()  # type: ignore[union-attr]
        if pos >= end:
            return
        url_match = _SRCSET_URL.match(value, pos)
        assert url_match is not None  # pos is on neither a space nor a comma
        url, pos = url_match.group(), url_match.end()
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            while (stop := _DESCRIPTOR_STOP.search(value, pos)) and stop.group() == "(":
                close = value.find(")", stop.end())
                pos = end if close < 0 else close + 1
            pos = stop.end() if stop else end
        yield url


# -- resolving -------------------------------------------------------------------------

# Never fetched, whatever their case: no request, or the page itself (#fragment);
# "{": no resource's URL starts so; JSON in a lazy-loading attribute, or a template's
# placeholder ({{ image }}), does.
_NEVER = ("#", "data:", "blob:", "javascript:", "about:", "{")
_BLANK = " \t\n\r\f"  # what browsers strip from both ends of an attribute URL
_DEFAULT_PORT = {"http": ":80", "https": ":443"}
# Characters safe_url_string leaves alone; a URL of other characters is given to it.
_PLAIN_CHARS = r"A-Za-z0-9\-._~:/?&=%+,;@!$*()'"
_PLAIN = re.compile(f"[{_PLAIN_CHARS}]*")
# Values of plain characters only that need no cleaning: an absolute (or scheme-
# relative) URL with a lower-case host and no port, a path from the root, or a relative
# path (whose first segment holds no colon: "mailto:x" is no path).
_SEGMENT_CHARS = r"A-Za-z0-9\-_~&=%+,;@!$*()'"
_SIMPLE = re.compile(rf"(https?:)?(//[a-z0-9][a-z0-9.\-]*)(/[{_PLAIN_CHARS}]*)?"
                     rf"|(/[{_PLAIN_CHARS}]*)"
                     rf"|([{_SEGMENT_CHARS}][{_SEGMENT_CHARS}.]*(?:[/?][{_PLAIN_CHARS}]*)?)")
_DOT_SEGMENT = re.compile(r"(?:^|/)\.\.?(?:[/?]|$)")
_FONT_PATH = re.compile(r"\.(?:woff2?|ttf|otf|eot)$", re.I)
# Remembered spellings a page: enough for every real page, bounded for hostile ones.
_MEMO_SIZE = 10_000


def request_url(base: str, value: str) -> str | None:
    """``value`` (an attribute's or CSS's URL) resolved against ``base`` and written
    as it will be requested, or None when it is never fetched."""
    value = value.strip(_BLANK).translate(URL_BLANKS)
    if not value or value[:12].lower().startswith(_NEVER) or CONTROL_CHARACTERS.search(value):
        return None
    if "\\" in value:  # a slash, in an http(s) URL's part before its query
        cut = min((i for i in (value.find("?"), value.find("#")) if i >= 0), default=len(value))
        value = value[:cut].replace("\\", "/") + value[cut:]
    try:
        url = urljoin(base, value).partition("#")[0]
        if value.partition("#")[0].endswith("?") and "?" not in url:
            url += "?"  # an empty query, as in "font.eot?#iefix": urljoin drops it
        parts = urlsplit(url)
        parts.port  # noqa: B018 - reading it is the check
    except ValueError:  # http://[oops/, a port out of range
        return None
    scheme, netloc, path = parts.scheme, parts.netloc, parts.path
    if scheme not in ("http", "https") or not parts.hostname:
        return None
    host = netloc.rpartition("@")[2]
    if host != host.lower() or host.endswith((_DEFAULT_PORT[scheme], ":")) or not path \
            or "/." in path:
        # What a browser's URL parser does and urljoin does not (for absolute URLs).
        userinfo = netloc[:len(netloc) - len(host)]
        host = host.lower().removesuffix(_DEFAULT_PORT[scheme]).removesuffix(":")
        if "/." in path and not path.startswith("//"):
            path = urlsplit(urljoin("http://h/", path)).path  # dot segments resolved
        query = f"?{parts.query}" if "?" in url else ""
        url = f"{scheme}://{userinfo}{host}{path or '/'}{query}"
    if not _PLAIN.fullmatch(url):
        url = safe_url_string(url)
    return url if len(url) <= MAX_URL_LENGTH else None


class FoundRequisites:
    """The requisites found so far, each URL once, up to :data:`MAX_REQUISITES`."""

    __slots__ = ("_directory", "_memo", "_origin", "_scheme", "_urls", "base", "base_seen",
                 "full", "page_url")

    def __init__(self, base_url: str) -> None:
        self.page_url = base_url
        self.base_seen = False
        self.full = False
        self._urls: dict[str, str] = {}
        self._set_base(request_url(base_url, base_url) or base_url)

    def rebase(self, href: str) -> None:
        """The page's first ``<base href>``: it counts from here on if it is http(s)."""
        self.base_seen = True
        if (base := request_url(self.page_url, href)) is not None:
            self._set_base(base)

    def _set_base(self, base: str) -> None:
        self.base = base
        self._memo: dict[str, str | None] = {}
        self._scheme, self._origin, self._directory = "", None, None
        if is_http_url(base):
            self._scheme = base[:base.find(":") + 1]
            path_start = base.find("/", base.find("//") + 2)
            self._origin = base[:path_start]
            self._directory = base[:base.rfind("/", path_start, len(base.partition("?")[0])) + 1]

    def resolve(self, value: str) -> str | None:
        url = self._memo.get(value, "")
        if url == "":
            url = self._plain(value) or request_url(self.base, value)
            if len(self._memo) < _MEMO_SIZE:
                self._memo[value] = url
        return url

    def _plain(self, value: str) -> str | None:
        """The common cases, four times faster than :func:`request_url` and the same answer:
        a value with nothing to clean, encode or normalise, joined by hand; else None."""
        match = _SIMPLE.fullmatch(value)
        if match is None or ("/." in value and _DOT_SEGMENT.search(value)):
            return None
        scheme, host, path, root, relative = match.groups()
        if host:
            if not (scheme or self._origin):
                return None
            url = f"{scheme or self._scheme}{host}{path or '/'}"
        elif root and self._origin and not value.startswith("//"):
            url = self._origin + value
        elif relative and self._directory:
            url = self._directory + value
        else:
            return None
        return url if len(url) <= MAX_URL_LENGTH else None

    def add(self, value: str | None, kind: str) -> None:
        if value and not self.full and (url := self.resolve(value)) is not None:
            self._keep(url, kind)

    def add_srcset(self, value: str | None, kind: str = "image") -> None:
        if value:
            for url in _srcset_urls(value):
                if self.full:
                    return
                self.add(url, kind)

    def add_css(self, css: str) -> None:
        for value, role in css_urls(css):
            if self.full:
                return
            if (url := self.resolve(value)) is not None:
                if role == IMPORT:
                    kind = "stylesheet"
                elif role == FONT_FACE or _FONT_PATH.search(url.partition("?")[0]):
                    kind = "font"
                else:
                    kind = "image"
                self._keep(url, kind)

    def _keep(self, url: str, kind: str) -> None:
        if url not in self._urls:
            self._urls[url] = kind
            self.full = len(self._urls) >= MAX_REQUISITES

    def requisites(self) -> list[Requisite]:
        return [Requisite(url, kind) for url, kind in self._urls.items()]
