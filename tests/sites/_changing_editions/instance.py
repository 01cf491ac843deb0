"""One running Gazette: its edition and edit time, a cache of rendered pages, and HTTP
validators and conditional requests (RFC 9110)."""

from __future__ import annotations

import hashlib
import json
import math
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from urllib.parse import parse_qsl

from tests.sites._changing_editions.content import (
    ABOUT_MODIFIED,
    HTML,
    NEWEST_PUBLISHED,
    ROBOTS_MODIFIED,
    SECTIONS,
    iso_utc,
    lastmod,
    moment,
    section_url,
)
from tests.sites._changing_editions.editions import Edition
from tests.sites._changing_editions.render import (
    feed_stories,
    home_stories,
    render_about,
    render_article,
    render_feed,
    render_home,
    render_not_found,
    render_robots,
    render_section,
    render_sitemap,
    section_stories,
)
from tests.sites.server import Request

_PAGE = re.compile(r"/section/([a-z]+)/page/(\d{1,6})/")
_SECTION = re.compile(r"/section/([a-z]+)/")
_TAG = re.compile(r'(?:W/)?"[^"]*"')


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def http_date(iso: str) -> str:
    return format_datetime(moment(iso).astimezone(UTC), usegmt=True)


def none_match(header: str, etag: str) -> bool:
    """If-None-Match matches ``etag`` (weak comparison; ``*`` matches anything)."""
    if header.strip() == "*":
        return True
    return any(t.removeprefix("W/") == etag.removeprefix("W/") for t in _TAG.findall(header))


def modified_since(values: list[str], last_modified: str) -> bool | None:
    """False when Last-Modified <= If-Modified-Since; None if the header is to be
    ignored (absent, several, or not an HTTP-date)."""
    if len(values) != 1:
        return None
    try:
        since = parsedate_to_datetime(values[0])
    except (TypeError, ValueError, IndexError):
        return None
    if since is None:
        return None
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    return moment(last_modified) > since


@dataclass
class _Reply:
    status: int
    body: bytes = b""
    ctype: str = HTML
    last_modified: str | None = None  # ISO; None: no validators
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None


class Instance:
    """One running site: its state and ``respond``."""

    def __init__(self, base: str, *, validators: bool, dynamic_chrome: bool,
                 extra_articles: int, article_delay: float):
        if extra_articles < 0 or article_delay < 0:
            raise ValueError("extra_articles and article_delay must not be negative")
        self.base = base
        self.validators = validators
        self.dynamic = dynamic_chrome
        self.extra = extra_articles
        self.delay = article_delay
        self.lock = threading.Lock()
        self.edition = 1
        self.edited_at: str | None = None
        self.editions: dict[int, Edition] = {1: Edition(1, None, extra_articles)}
        self.cache: dict[tuple[int, str], _Reply] = {}

    # ------------------------------------------------------------------ control

    def switch(self, n: int, at: datetime | str | None = None) -> None:
        if n not in (1, 2):
            raise ValueError(f"no edition {n!r}: 1 or 2")
        if n == 2:
            stamp = iso_utc(at) if at is not None else None
            with self.lock:
                fixed = self.edited_at
            if fixed is not None:
                if stamp is not None and stamp != fixed:
                    raise ValueError(f"edition 2 of this instance was edited at {fixed}")
            else:
                if stamp is None:
                    now = time.time()
                    second = math.floor(now) + 1
                    time.sleep(max(0.0, second - now) + 0.001)
                    stamp = datetime.fromtimestamp(second, UTC).isoformat()
                if moment(stamp) <= moment(NEWEST_PUBLISHED):
                    raise ValueError(f"the edit must be later than {NEWEST_PUBLISHED}")
                edition = Edition(2, stamp, self.extra)
                with self.lock:
                    if self.edited_at is None:
                        self.edited_at = stamp
                        self.editions[2] = edition
        with self.lock:
            self.edition = n

    def _control(self, path: str, params: dict[str, str]) -> tuple | None:
        if path == "/__edition__":
            if "n" in params:
                try:
                    # a "+" of an unencoded zone offset arrives as a space
                    at = params.get("at", "").replace(" ", "+") or None
                    self.switch(int(params["n"]), at)
                except ValueError as error:
                    return 400, str(error).encode(), "text/plain; charset=utf-8"
            with self.lock:
                data = {"edition": self.edition, "edited_at": self.edited_at}
        else:
            return None
        return 200, json.dumps(data).encode(), "application/json"

    # ------------------------------------------------------------------ pages

    def _render(self, edition: Edition, path: str) -> _Reply:
        """The page at ``path`` in ``edition`` (article pages without dynamic chrome)."""
        base = self.base
        if a := edition.by_path.get(path):
            return _Reply(200, render_article(a, edition, base).encode(), HTML, lastmod(a))
        if path == "/":
            return _Reply(200, render_home(edition).encode(), HTML,
                          home_stories(edition)[0]["published"])
        if path == "/feed.xml":
            return _Reply(200, render_feed(edition, base).encode(),
                          "application/rss+xml; charset=utf-8",
                          feed_stories(edition)[0]["published"])
        if path == "/sitemap.xml":
            return _Reply(200, render_sitemap(edition, base).encode(),
                          "application/xml; charset=utf-8",
                          max((lastmod(a) for a in edition.stories), key=moment))
        if path == "/robots.txt":
            return _Reply(200, render_robots(base).encode(), "text/plain; charset=utf-8",
                          ROBOTS_MODIFIED)
        if path == "/about/":
            return _Reply(200, render_about().encode(), HTML, ABOUT_MODIFIED)
        if (m := _SECTION.fullmatch(path)) and m.group(1) in SECTIONS:
            items = section_stories(edition, m.group(1), 1)
            return _Reply(200, render_section(edition, m.group(1), 1).encode(), HTML,
                          items[0]["published"])
        if (m := _PAGE.fullmatch(path)) and m.group(1) in SECTIONS:
            section, page = m.group(1), int(m.group(2))
            if page == 1:
                return _Reply(301, headers={"Location": section_url(section)})
            if 1 < page <= edition.pages(section):
                items = section_stories(edition, section, page)
                return _Reply(200, render_section(edition, section, page).encode(), HTML,
                              items[0]["published"])
        if not path.endswith("/") and (path + "/" in edition.by_path or path + "/" in
                                       ("/about/",) or _SECTION.fullmatch(path + "/")):
            return _Reply(301, headers={"Location": path + "/"})
        return _Reply(404, render_not_found().encode(), HTML)

    def _page(self, edition: Edition, path: str) -> _Reply:
        if self.dynamic and path in edition.by_path:
            a = edition.by_path[path]
            body = render_article(a, edition, self.base, dynamic=True).encode()
            return _Reply(200, body, HTML, lastmod(a), etag=etag_of(body))
        key = (edition.number, path)
        with self.lock:
            reply = self.cache.get(key)
        if reply is None:
            reply = self._render(edition, path)
            if reply.status == 200:
                reply.etag = etag_of(reply.body)
            with self.lock:
                self.cache[key] = reply
        return reply

    def _answer(self, reply: _Reply, headers) -> tuple:
        """Apply validators and the conditional headers to a reply."""
        extra = dict(reply.headers)
        if reply.status != 200:
            return reply.status, reply.body, reply.ctype, extra
        extra["Cache-Control"] = "no-cache"
        if not self.validators or reply.last_modified is None:
            return 200, reply.body, reply.ctype, extra
        assert reply.etag is not None
        extra["ETag"] = reply.etag
        extra["Last-Modified"] = http_date(reply.last_modified)
        inm = headers.get("If-None-Match")
        if inm is not None:
            fresh = none_match(inm, reply.etag)
        else:
            fresh = modified_since(headers.get_all("If-Modified-Since") or [],
                                   reply.last_modified) is False
        if fresh:
            return 304, b"", reply.ctype, extra
        return 200, reply.body, reply.ctype, extra

    def respond(self, request: Request) -> tuple:
        path, query = request.path, request.query
        control = self._control(path, dict(parse_qsl(query, keep_blank_values=True)))
        if control is not None:
            return control
        request.notes["edition"] = None  # the edition answered, once it is
        with self.lock:
            edition = self.editions[self.edition]
        if self.delay and path in edition.by_path:
            time.sleep(self.delay)
            with self.lock:  # answer with the edition current after the wait
                edition = self.editions[self.edition]
        reply = self._answer(self._page(edition, path), request.headers)
        request.notes["edition"] = edition.number
        return reply
