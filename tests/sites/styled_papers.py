"""A paper whose pages only look right with their requisites: "styled papers".

Written apart from the crawler's code (standard library only), for the replay tests of
issue 24 (``tests/test_replay_requisites.py``): a page archived with every stylesheet,
font, image and script it needs must replay in a browser as it looked live.

"The Ashcombe Observer" is two hosts, each a loopback address on an ephemeral port:

=====  ==========  ==========================================================
host   address     serves
=====  ==========  ==========================================================
site   127.0.0.1   ``/`` (a listing of the 6 articles, with thumbnails), the articles at
                   ``/news/2026/03/<slug>/``, ``/static/...``
cdn    127.0.0.2   the pictures: ``/images/2026/03/<slug>-<width>.png``,
                   ``/graphics/<slug>-chart.webp|png``, ``/graphics/<slug>-map-<width>.png``
=====  ==========  ==========================================================

Every page links ``/static/site.css``, which ``@import``s ``base.css``, whose
``@font-face`` loads ``url(fonts/serif.woff2)`` (a real font: ``_styled_papers/README.md``)
and which sets ``background-image: url(/static/paper.png)``; a favicon
(``/static/favicon.png``); and ``/static/site.js``, which marks the page as scripted
(showing an "edition" note) and swaps lazy images' ``data-src``/``data-srcset`` in. An
article (JSON-LD NewsArticle with headline, datePublished and author; byline; four
paragraphs) also has, on the CDN: a lead image with a three-width ``srcset`` (the widest
is its ``og:image``), a ``<picture>`` with a WebP ``<source>`` and a PNG ``<img>``, and a
lazy map (a ``data:`` placeholder in ``src``). Every picture is a real PNG or WebP with
colours of its own, so that a screenshot of a page missing any of them differs.

Every page also carries an ad library and a tracking pixel on hosts no crawl may fetch
(``TRACKERS``, on ``TRACKER_HOSTS``; without internet they fail in a browser).

Both hosts log every request (``Site.hosts``, ``/__requests__``) and answer
``/robots.txt`` allowing everything. Static files carry ``Cache-Control``,
``Last-Modified`` and an ``ETag``, and answer ``If-None-Match``/``If-Modified-Since``
with 304. Anything else is a 404.

``serve()`` returns a ``Site``: ``site`` and ``cdn`` (RunningSite), ``hosts``,
``base``/``cdn_base``, ``articles`` (ground truth, with ``url``), ``page_urls()``,
``requisites(page_url)`` ({URL: kind} of what a page needs), ``urls()`` (every page and
file of both hosts), ``job_toml(name)`` and ``shutdown()``; it is also a context manager.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from email.utils import parsedate_to_datetime

from tests.sites._styled_papers.assets import (
    CACHE_CONTROL,
    LAST_MODIFIED,
    TEMPLATE,
    Asset,
    Assets,
    site_files,
)
from tests.sites._styled_papers.content import (
    ARTICLES,
    BY_SLUG,
    HTML,
    NAME,
    TRACKER_HOSTS,
    TRACKERS,
)
from tests.sites._styled_papers.render import page, render_article, render_home
from tests.sites.server import Request, RunningSite
from tests.sites.server import serve as serve_site

__all__ = ["ARTICLES", "BY_SLUG", "CDN_ADDRESS", "SITE_ADDRESS", "TRACKERS", "TRACKER_HOSTS",
           "Site", "serve"]

SITE_ADDRESS, CDN_ADDRESS = "127.0.0.1", "127.0.0.2"
ROBOTS = b"User-agent: *\nAllow: /\n"
_LAST_MODIFIED = parsedate_to_datetime(LAST_MODIFIED)


class Site:
    """The paper's two hosts, served (see ``serve``)."""

    def __init__(self) -> None:
        self.assets: Assets | None = None
        self.cdn: RunningSite = serve_site(self._start_cdn, name="styled-cdn",
                                           server_version="cdn-edge/2.3", address=CDN_ADDRESS)
        try:
            self._static = site_files()
            self.site: RunningSite = serve_site(self._start_site, name="styled-site",
                                                server_version="nginx/1.24.0",
                                                address=SITE_ADDRESS)
        except BaseException:
            self.cdn.shutdown()
            raise

    def _start_cdn(self, base: str):
        self.assets = Assets(base)
        return self._respond_cdn

    def _start_site(self, base: str):
        assert self.assets is not None
        self._pages = {"/": render_home(self.assets),
                       **{a["path"]: render_article(self.assets, a) for a in ARTICLES}}
        return self._respond_site

    @property
    def hosts(self) -> tuple[RunningSite, RunningSite]:
        """Both hosts, whose request logs show what was fetched from them."""
        return self.site, self.cdn

    @property
    def base(self) -> str:
        return self.site.base

    @property
    def cdn_base(self) -> str:
        return self.cdn.base

    @property
    def articles(self) -> list[dict]:
        """Ground truth: each article's slug, url, path, title, author, published, body."""
        return [{**a, "url": self.base + a["path"]} for a in ARTICLES]

    def url(self, slug: str) -> str:
        """The URL of an article (by its slug)."""
        return self.base + BY_SLUG[slug]["path"]

    def page_urls(self) -> list[str]:
        """The home page, then every article."""
        return [self.base + "/"] + [self.base + a["path"] for a in ARTICLES]

    def requisites(self, page_url: str) -> dict[str, str]:
        """{URL: kind} of everything the page at ``page_url`` needs (stylesheets, the
        imported one, font, images, script, favicon, its og:image), on both hosts; never
        the trackers."""
        assert self.assets is not None
        needed = {self.base + path: self._static[path].kind for path in TEMPLATE}
        path = page_url.removeprefix(self.base)
        if path == "/":
            needed.update({self.assets.lead(a, 400): "image" for a in ARTICLES})
        else:
            [article] = [a for a in ARTICLES if a["path"] == path]
            needed.update({url: "image" for url in self.assets.of_article(article)})
        return needed

    def urls(self) -> list[str]:
        """Every page and every file of both hosts (robots.txt aside)."""
        assert self.assets is not None
        return (self.page_urls() + [self.base + path for path in self._static]
                + [self.cdn_base + path for path in self.assets.files])

    def job_toml(self, name: str = "styled") -> str:
        """A job file: the paper as one source seeded at its home page, the CDN's
        address allowed through the egress guard, politeness off (our own hosts)."""
        return (f'name = "{name}"\ncontact = "mailto:archive@example.org"\n'
                f'egress_allow = ["{CDN_ADDRESS}"]\n'
                '[politeness]\ndelay = 0\nconcurrency = 4\n'
                '[settings]\nAUTOTHROTTLE_ENABLED = false\n'
                f'\n[[sources]]\nname = "observer"\nseeds = ["{self.base}/"]\n')

    def _respond_site(self, request: Request) -> tuple:
        path = request.path
        if path == "/robots.txt":
            return 200, ROBOTS, "text/plain; charset=utf-8"
        if path in self._pages:
            return 200, self._pages[path].encode(), HTML, {"Cache-Control": "max-age=60"}
        if path in self._static:
            return _static(request, self._static[path])
        return 404, page(f"Not found | {NAME}", "<main class=\"inner\"><p>No such page.</p>"
                         "</main>").encode(), HTML

    def _respond_cdn(self, request: Request) -> tuple:
        assert self.assets is not None
        path = request.path
        if path == "/robots.txt":
            return 200, ROBOTS, "text/plain; charset=utf-8"
        if path in self.assets.files:
            return _static(request, self.assets.files[path])
        return 404, b"Not found\n", "text/plain; charset=utf-8"

    def shutdown(self) -> None:
        for running in self.hosts:
            running.shutdown()

    def __enter__(self) -> Site:
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()


def _static(request: Request, asset: Asset) -> tuple:
    """A static file with its validators, or 304 when the request's validator matches."""
    etag = f'"{hashlib.sha1(asset.body).hexdigest()[:16]}"'
    headers = {"Cache-Control": CACHE_CONTROL, "Last-Modified": LAST_MODIFIED, "ETag": etag}
    if _not_modified(request, etag):
        return 304, b"", asset.content_type, headers
    return 200, asset.body, asset.content_type, headers


def _not_modified(request: Request, etag: str) -> bool:
    """RFC 9110, 13.1: If-None-Match (weak comparison) wins over If-Modified-Since."""
    match = request.headers.get("If-None-Match")
    if match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in match.split(",")}
        return "*" in tags or etag in tags
    since = request.headers.get("If-Modified-Since")
    if since is None:
        return False
    try:
        when: datetime = parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False
    return when.tzinfo is not None and when >= _LAST_MODIFIED


def serve() -> Site:
    """Start the paper: its site on 127.0.0.1 and its CDN on 127.0.0.2, ports 0."""
    return Site()
