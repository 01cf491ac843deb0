"""A news site whose pages share their stylesheet, font and pictures: "The Shared
Gazette", with its pictures on a CDN host of their own.

Standard library only, written apart from the crawler. The home page links
``stories`` articles (``/news/N``) and a gallery (``/gallery``). Every page
links ``/static/site.css``, which ``@import``s ``/static/base.css``, whose
``@font-face`` names ``/static/serif.woff2``; every page shows the CDN's
``/img/logo.png``; each article its own ``/img/story-N.png`` (with a ``srcset``
of two widths) and a lazy ``data-src`` picture; the gallery shows ``gallery``
pictures (a page with more pictures than any cap should allow), the last of which
the first article shows too. Every page also
names an ad host's script, which no crawler of this project may ask for.

The CDN is a second site on another loopback address (``cdn_address``);
``serve(...)`` starts both and returns the site, with ``.cdn`` the CDN's running
site. Static files answer with an ``ETag`` and ``Last-Modified`` and a 304 to a
matching ``If-None-Match``; ``changed`` (a set of paths) makes them answer anew;
``cdn_delay`` (seconds) makes the CDN slow to answer each picture.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tests.sites.pages import esc
from tests.sites.server import Reply, Request, RunningSite
from tests.sites.server import serve as serve_on

HTML = "text/html; charset=utf-8"
AD_SCRIPT = "https://securepubads.g.doubleclick.net/tag/js/gpt.js"
PARAGRAPH = ("The harbour board met on Monday to agree the summer timetable for the island "
             "ferries, after a winter in which storms cancelled more crossings than in any "
             "year since the new pier opened. ")
# A 1x1 PNG: what the pictures are does not matter here, that they are asked for does.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201e226"
    "05c70000000049454e44ae426082")


def page(title: str, body: str, cdn: str, extra_head: str = "") -> str:
    return (f"<!doctype html><html lang=en><head><title>{esc(title)}</title>"
            '<link rel="stylesheet" href="/static/site.css">'
            '<link rel="icon" href="/favicon.ico">'
            f'<script src="{AD_SCRIPT}"></script>{extra_head}</head>'
            f'<body><img src="{cdn}/img/logo.png" alt="The Shared Gazette">{body}</body></html>')


def article(number: int, cdn: str, also: str = "") -> str:
    title = f"Ferry timetable agreed, part {number}"
    head = ('<meta property="og:type" content="article">'
            f'<meta property="og:image" content="{cdn}/img/story-{number}.png">'
            '<script type="application/ld+json">'
            f'{{"@type": "NewsArticle", "headline": "{esc(title)}", '
            '"datePublished": "2025-03-04T09:00:00+00:00", '
            '"author": {"@type": "Person", "name": "Ann Reporter"}}</script>')
    body = (f"<article><h1>{esc(title)}</h1><p>By Ann Reporter</p>"
            f'<img src="{cdn}/img/story-{number}.png" '
            f'srcset="{cdn}/img/story-{number}.png 1x, {cdn}/img/story-{number}-2x.png 2x">'
            f"<p>{PARAGRAPH * 4}</p>"
            f'<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" '
            f'data-src="{cdn}/img/lazy-{number}.png">'
            f"<p>{PARAGRAPH * 3}</p>{also}</article>")
    return page(title, body, cdn, head)


class SharedGazette:
    def __init__(self, stories: int = 4, gallery: int = 300) -> None:
        self.stories, self.gallery = stories, gallery
        self.changed: set[str] = set()
        self.cdn_base = ""
        self.cdn_delay = 0.0

    def static(self, request: Request, body: bytes, ctype: str) -> Reply:
        version = "2" if request.path in self.changed else "1"
        etag = f'"{request.path}-v{version}"'
        headers = {"ETag": etag, "Last-Modified": "Tue, 04 Mar 2025 09:00:00 GMT",
                   "Cache-Control": "max-age=3600"}
        if request.headers.get("If-None-Match") == etag:
            return 304, b"", ctype, headers
        return 200, body + (b"/* v2 */" if version == "2" and b"{" in body else b""), \
            ctype, headers

    def respond(self, request: Request) -> Reply:
        path, cdn = request.path, self.cdn_base
        if path == "/robots.txt":
            return 200, b"User-agent: *\nAllow: /\n", "text/plain"
        if path == "/":
            links = "".join(f'<li><a href="/news/{n}">Ferry timetable agreed, part {n}</a></li>'
                            for n in range(1, self.stories + 1))
            body = f'<h1>The Shared Gazette</h1><ul>{links}</ul><a href="/gallery">Gallery</a>'
            return 200, page("The Shared Gazette", body, cdn).encode(), HTML
        if path.startswith("/news/") and path[6:].isdigit() and \
                1 <= int(path[6:]) <= self.stories:
            number = int(path[6:])
            also = f'<img src="{cdn}/img/gallery-{self.gallery - 1}.png">' \
                if number == 1 and self.gallery else ""
            return 200, article(number, cdn, also).encode(), HTML
        if path == "/gallery":
            pictures = "".join(f'<img src="{cdn}/img/gallery-{n}.png">'
                               for n in range(self.gallery))
            return 200, page("Gallery", f"<h1>Gallery</h1>{pictures}", cdn).encode(), HTML
        if path == "/static/site.css":
            return self.static(request, b'@import "base.css";\nbody { margin: 0 }\n', "text/css")
        if path == "/static/base.css":
            css = (b'@font-face { font-family: Serif; src: url(serif.woff2) format("woff2") }\n'
                   b"body { font-family: Serif; background: url(/static/paper.png) }\n")
            return self.static(request, css, "text/css")
        if path == "/static/serif.woff2":
            return self.static(request, b"wOF2" + bytes(60), "font/woff2")
        if path in ("/static/paper.png", "/favicon.ico"):
            return self.static(request, PNG, "image/png")
        return 404, b"not here", "text/plain"

    def respond_cdn(self, request: Request) -> Reply:
        if request.path == "/robots.txt":
            return 200, b"User-agent: *\nAllow: /\n", "text/plain"
        if request.path.startswith("/img/") and request.path.endswith(".png"):
            time.sleep(self.cdn_delay)
            return self.static(request, PNG, "image/png")
        return 404, b"not here", "text/plain"


def serve(*, stories: int = 4, gallery: int = 300, cdn_address: str = "127.0.0.2",
          site: SharedGazette | None = None) -> Any:
    """Start the site on 127.0.0.1 and its CDN on ``cdn_address``; the running site,
    with ``.cdn`` (the CDN's running site) and ``.gazette`` (to change files)."""
    gazette = site or SharedGazette(stories, gallery)
    cdn: RunningSite = serve_on(lambda base: gazette.respond_cdn, name="shared-gazette-cdn",
                                server_version="SharedCDN/1.0", address=cdn_address)
    gazette.cdn_base = cdn.base
    running = serve_on(lambda base: gazette.respond, name="shared-gazette",
                       server_version="SharedGazette/1.0")
    running.cdn = cdn  # type: ignore[attr-defined]
    running.gazette = gazette  # type: ignore[attr-defined]
    return running


@contextmanager
def running(**options: Any) -> Iterator[Any]:
    """:func:`serve`, both sites shut down after use."""
    site = serve(**options)
    try:
        yield site
    finally:
        site.shutdown()
        site.cdn.shutdown()
