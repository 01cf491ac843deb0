"""What a site answers for a path, faults and conditional GETs included.

Rendered pages are cached until the web advances (an hour changes what most
listings show), so serving a page costs a dict look-up and a write; the cache is
what lets one process serve a thousand sites to a crawl running at full speed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime

from bench._newsweb import feeds, pages
from bench._newsweb.faults import FLAKY, SLOW, THROTTLED, flaky_fails
from bench._newsweb.model import Article, Site, World

HTML = "text/html; charset=utf-8"


@dataclass
class Reply:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds the server waits before answering (a slow site)


def _page(body: str, content_type: str, modified: float) -> Reply:
    data = body.encode("utf-8")
    etag = '"' + hashlib.blake2b(data, digest_size=8).hexdigest() + '"'
    return Reply(200, data, {"Content-Type": content_type, "ETag": etag,
                             "Last-Modified": formatdate(int(modified), usegmt=True)})


class Router:
    """Answers requests to the sites of one :class:`World`."""

    def __init__(self, world: World) -> None:
        self.world = world
        self._articles: dict[tuple[int, str], Article] = {}
        self._cache: dict[tuple[int, str], Reply | None] = {}
        self.served = 0

    def advanced(self) -> None:
        """Forget what was rendered: call after the world advanced."""
        self._cache.clear()
        for site in self.world.sites:
            for article in site.articles:
                self._articles.setdefault((site.index, pages.article_path(site, article)),
                                          article)

    def respond(self, site: Site, path: str, headers: dict[str, str], *,
                alias: bool = False) -> Reply:
        self.served += 1
        status = self.world.site_status(site)
        delay = site.faults.slow_seconds if status == SLOW else 0.0
        # A rate limiter (429) still serves robots.txt from its cache; a site in
        # maintenance (503) answers nothing else.
        if status == THROTTLED and (path != "/robots.txt"
                                    or site.faults.throttle_status == 503):
            return Reply(site.faults.throttle_status, b"Slow down\n",
                         {"Content-Type": "text/plain",
                          "Retry-After": str(site.faults.retry_after)})
        if status == FLAKY and flaky_fails(site.index, path, self.world.hour, self.served):
            return Reply(500, b"Internal Server Error\n", {"Content-Type": "text/plain"})
        if alias:  # the "www" host sends everything to the main host
            return Reply(301, b"", {"Location": site.base + path}, delay)
        key = (site.index, path)
        if key not in self._cache:
            self._cache[key] = self._render(site, path.partition("?")[0])
        reply = self._cache[key]
        if reply is None:
            return Reply(404, b"Not found\n", {"Content-Type": "text/plain"}, delay)
        if _not_modified(reply, headers):
            return Reply(304, b"", {k: v for k, v in reply.headers.items()
                                    if k in ("ETag", "Last-Modified")}, delay)
        return Reply(reply.status, reply.body, reply.headers, delay)

    def _render(self, site: Site, path: str) -> Reply | None:
        started = self.world.advanced_at.get(0, 0.0)
        if path == "/robots.txt":
            return _page(feeds.robots_txt(site), "text/plain", started)
        if path == "/feed.xml":
            kind = "application/rss+xml" if site.feed_kind == "rss" else "application/atom+xml"
            return _page(feeds.feed(site), kind, _newest(site.newest(feeds.FEED_ENTRIES)))
        if path == "/sitemap-news.xml":
            return _page(feeds.news_sitemap(site), "application/xml",
                         _newest(site.newest(feeds.SITEMAP_ENTRIES)))
        if path == "/":
            body, shown = pages.home_page(site)
            return _page(body, HTML, _newest(shown) or started)
        if path == "/search":
            return _page(pages.listing_page(site, "Search", site.newest(5)), HTML, started)
        article = self._articles.get((site.index, path.removeprefix("/print")))
        if article is not None:
            body = (pages.print_page(site, article) if path.startswith("/print/")
                    else pages.article_page(site, article))
            return _page(body, HTML, article.modified_at)
        return self._section(site, path)

    def _section(self, site: Site, path: str) -> Reply | None:
        parts = path.strip("/").split("/")
        if not parts or parts[0] not in site.sections or not path.endswith("/"):
            return None
        if len(parts) == 1:
            number = 1
        elif len(parts) == 3 and parts[1] == "page" and parts[2].isdigit():
            number = int(parts[2])
        else:
            return None
        found = pages.section_page(site, parts[0], number)
        if found is None:
            return None
        body, shown = found
        return _page(body, HTML, _newest(shown) or self.world.advanced_at.get(0, 0.0))


def _newest(articles: list[Article]) -> float:
    return max((a.modified_at for a in articles), default=0.0)


def _not_modified(reply: Reply, headers: dict[str, str]) -> bool:
    tags = headers.get("if-none-match")
    if tags is not None:  # RFC 9110 13.1.3: If-None-Match wins over If-Modified-Since
        return reply.headers["ETag"] in {t.strip() for t in tags.split(",")} or tags == "*"
    since = headers.get("if-modified-since")
    if since is None:
        return False
    try:
        return parsedate_to_datetime(since).timestamp() >= int(
            parsedate_to_datetime(reply.headers["Last-Modified"]).timestamp())
    except (TypeError, ValueError):
        return False
