"""URL hygiene: one article, one URL.

``clean_url`` is what the crawler requests (fragment, tracking and session
parameters gone, otherwise as the site wrote it); ``url_key`` is what identifies a page for
de-duplication (also sorted query, default port dropped, case-folded host).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

DEFAULT_PORTS = {"http": 80, "https": 443}


class TrackingParams:
    """Matches query parameter names against exact names and ``prefix*`` patterns."""

    def __init__(self, patterns: Iterable[str]) -> None:
        patterns = [p.lower() for p in patterns]
        self.exact = frozenset(p for p in patterns if not p.endswith("*"))
        self.prefixes = tuple(p[:-1] for p in patterns if p.endswith("*"))

    def __contains__(self, name: str) -> bool:
        name = name.lower()
        return name in self.exact or name.startswith(self.prefixes)


# A path parameter, as servlet containers append session ids: /story;jsessionid=1A2B
_PATH_PARAM = re.compile(r";([^=;/?#]+)=[^;/?#]*")


def clean_url(url: str, tracking: TrackingParams) -> str:
    """Drop the fragment and tracking (or session) parameters, in the query and as
    ``;name=value`` path parameters; normalise scheme, host and port."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    netloc = host
    if parts.port and parts.port != DEFAULT_PORTS.get(scheme):
        netloc = f"{host}:{parts.port}"
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        kept = [(k, v) for k, v in pairs if k not in tracking]
        if len(kept) != len(pairs):
            query = urlencode(kept)
    path = parts.path
    if ";" in path:
        path = _PATH_PARAM.sub(lambda m: "" if m.group(1) in tracking else m.group(0), path)
    return urlunsplit((scheme, netloc, path or "/", query, ""))


@functools.lru_cache(maxsize=8192)
def url_key(url: str) -> str:
    """The identity of a cleaned URL for de-duplication.

    Cached: the same URL is keyed about ten times on its way through a crawl (link
    admission, the request, the job's state before and after the fetch, the recorder,
    the article and its canonical URL), and canonicalising costs 40 µs a time."""
    return canonicalize_url(url, keep_fragments=False)


def host_and_port(url: str) -> tuple[str, int | None]:
    """The lower-cased host without ``www.``, and the port when it is not the default."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    port = parts.port if parts.port and parts.port != DEFAULT_PORTS.get(parts.scheme) else None
    return host, port


def site_of(url: str) -> str:
    """The host and port a URL belongs to, ignoring a leading ``www.``."""
    host, port = host_and_port(url)
    return f"{host}:{port}" if port else host


def is_http_url(url: str) -> bool:
    """An absolute http(s) URL with a host, that urllib can take apart: hostile
    pages write ``http://[oops/`` and ports out of range, on which it raises."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - reading it is the check
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def slot_key(url: str) -> str:
    """The download slot (the unit of politeness) of a URL: its ``host:port``.

    Scrapy's default, the host name alone, would make two sites on one machine
    share one pace and one queue."""
    return urlsplit(url).netloc.lower()
