"""A news site that changes between two crawls: "The Fenmarsh Gazette".

Written apart from the crawler's code (standard library only), to test incremental
recrawls: a crawler archives edition 1, the site moves to edition 2
(``Site.set_edition(2)`` or ``GET /__edition__?n=2``) and the crawler runs again. It
should then fetch only what is new or changed, send conditional requests, and notice
the one edited story.

A fictional weekly paper for the fen market town of Fenmarsh, with three sections:
Town (``/section/town/``), Fens & Farming (``/section/fens/``) and Sport
(``/section/sport/``). Articles live at ``/YYYY/MM/DD/<slug>/``.

Pages: the home page ``/`` (the newest 6 stories), section pages with 3 stories a page
and "Older stories" links (``/section/<name>/page/2/``...; ``page/1/`` redirects to the
section page; an article path without its trailing slash redirects to it), an RSS 2.0
feed ``/feed.xml`` (the newest 8 stories, pubDate on every item, ``lastBuildDate`` =
the newest pubDate), a sitemap ``/sitemap.xml`` (a urlset of every article with
``<lastmod>`` = modified time if edited, else published time), ``/robots.txt`` (allows
everything, names the sitemap) and ``/about/``. Anything else: a 404 HTML page.

Editions (no extra articles):

============  =======================================  =========================
              edition 1                                edition 2
============  =======================================  =========================
articles      12 (4 a section)                         14: + ``NEW_IN_EDITION_2``
home page     T1 S1 F1 T2 S2 F2                        N2 N1 T1 S1 F1 T2
feed          T1 S1 F1 T2 S2 F2 T3 S3                  N2 N1 T1 S1 F1 T2 S2 F2
Town          p1: T1 T2 T3; p2: T4                     p1: N1 T1 T2; p2: T3 T4
Fens          p1: F1 F2 F3; p2: F4                     unchanged (byte-identical)
Sport         p1: S1 S2 S3; p2: S4                     p1: N2 S1 S2; p2: S3 S4
============  =======================================  =========================

Every section has 2 pages in both editions. N2 (Sport, 2026-11-21 19:45) and N1 (Town,
2026-11-21 07:30) are the two new stories (``NEW_IN_EDITION_2``, newest first).
``EDITED_PATH`` is F3, a Fens story of 2026-11-14 that is on neither the home page nor
the feed in either edition, and whose section listing does not change: edition 2
corrects it (paragraph 2 rewritten, a "Correction: ..." paragraph added), adds
``article:modified_time``, JSON-LD ``dateModified`` and an "Updated" line, and the
sitemap's ``<lastmod>`` for it moves to the edit time. A crawler learns of the edit only
from the sitemap or by re-checking the article. Every other article page of edition 1 is
byte-identical in edition 2 (the "More from <section>" box lists only older stories of
the section, by title and date).

The edit time is real: the first switch to edition 2 stamps the correction with the
current time (rounded up to the next whole second, after waiting for that second, so
that it is later than anything an edition-1 crawl saw and no Last-Modified is in the
future), unless ``set_edition(2, at=...)`` (or ``/__edition__?n=2&at=<ISO time>``) pins
it. It is fixed for the life of the instance, so switching back to 1 and again to 2
gives the same bytes. ``Site.edited_at`` and ``Site.articles()`` report it; the
module-level ``articles(2)`` needs ``edited_at=`` for the edited story's "modified"
(else None). All other timestamps are fixed (November 2026, +00:00).

HTTP: every 200 carries a strong ``ETag`` (a SHA-256 of the body) and a
``Last-Modified`` derived from content (an article: its modified or published time; the
home page, a section page, the feed: the newest published time listed; the sitemap: the
newest lastmod; robots.txt and /about/: fixed dates), formatted per RFC 9110, and
``Cache-Control: no-cache`` (store, but revalidate every time). Conditional GET/HEAD per
RFC 9110 13.1: with ``If-None-Match`` (a list, ``*``, weak comparison), 304 when it
matches, and If-Modified-Since is then ignored; without it, 304 when Last-Modified <=
``If-Modified-Since`` (ignored if not a valid HTTP-date). A 304 carries ETag,
Last-Modified and Cache-Control, and no body, Content-Length or Content-Type. HEAD is
answered like GET without a body. Redirects and 404s carry no validators.

Options (``serve(...)`` keywords):

* ``validators=True``: when False, no ETag or Last-Modified, and never a 304.
* ``dynamic_chrome=False``: when True, every article page render carries a fresh CSRF
  token (``<meta name="csrf-token">`` and a hidden input in the newsletter form) and a
  "Page generated at HH:MM:SS.ffffff" footer line. Like a CMS that hashes the rendered
  response (Rack::ETag, Django's ConditionalGetMiddleware), the ETag is the hash of
  those bytes, so it changes on every request and If-None-Match never matches; the
  Last-Modified still comes from the article, so If-Modified-Since alone gets 304. A
  crawler sending both gets 200 every time (If-None-Match takes precedence) and must
  see that the article did not change from its content. Listing pages, feed and
  sitemap stay static.
* ``extra_articles=0``: N generated filler stories (``/YYYY/MM/DD/<slug>/``, distinct
  text, round-robin over Town, Fens, Sport, all older than the 12 edition-1 stories),
  in their sections' pagination and the sitemap, never on the home page or the feed.
  A section with k stories has ceil(k / 3) pages.
* ``article_delay=0.0``: seconds to sleep before answering each article request.

``serve()`` returns a ``Site``: ``base``, ``url(path)``, ``set_edition(n, at=None)``,
``edition``, ``edited_at``, ``articles(edition=None)`` (this instance's ground truth),
``listing_paths(edition=None)``, ``requests()`` (one dict per request, control
endpoints excluded: ``path`` (request target), ``method``, ``user_agent``,
``if_none_match``, ``if_modified_since``, ``status`` (None while still being answered),
``edition`` (edition answered), ``time`` (unix time of arrival)), ``reset_requests()`` and
``shutdown()``; it is also a context manager. Control endpoints for tests that only
have the URL: ``GET /__edition__`` (JSON ``{"edition", "edited_at"}``; ``?n=1|2`` and
optionally ``&at=`` switch first) and ``GET /__requests__`` (the log as JSON;
``?reset=1`` also clears it).

Ground truth: ``articles(edition, *, edited_at=None, extra_articles=0)`` (newest first),
``NEW_IN_EDITION_2``, ``EDITED_PATH``, ``EDIT_SNIPPET`` and ``CORRECTION_SNIPPET``
(only in the edited version), ``REMOVED_SNIPPET`` (only in edition 1's version),
``LISTING_PATHS(edition, extra_articles=0)``, ``STATIC_PATHS``, ``section_pages()``.

The stories, the about text and the fillers' vocabulary are in
``data/changing_editions.json``; the pages, editions and the running instance in
``tests/sites/_changing_editions/``.
"""

from __future__ import annotations

from datetime import datetime

from tests.sites._changing_editions.content import (
    BY_KEY,
    CORRECTION_SNIPPET,
    EDIT_SNIPPET,
    EDITED_KEY,
    EDITED_PATH,
    FEED_COUNT,
    HOME_COUNT,
    NEW_IN_EDITION_2,
    NEWEST_PUBLISHED,
    PER_PAGE,
    REMOVED_SNIPPET,
    SECTIONS,
    SITE,
    STAFF,
    STATIC_PATHS,
)
from tests.sites._changing_editions.editions import LISTING_PATHS, articles, section_pages
from tests.sites._changing_editions.fillers import fillers
from tests.sites._changing_editions.instance import Instance
from tests.sites.server import RunningSite
from tests.sites.server import serve as serve_site

__all__ = [
    "BY_KEY", "CORRECTION_SNIPPET", "EDITED_KEY", "EDITED_PATH", "EDIT_SNIPPET", "FEED_COUNT",
    "HOME_COUNT", "LISTING_PATHS", "NEWEST_PUBLISHED", "NEW_IN_EDITION_2", "PER_PAGE",
    "REMOVED_SNIPPET", "SECTIONS", "SITE", "STAFF", "STATIC_PATHS", "Site", "articles",
    "fillers", "section_pages", "serve",
]


class Site:
    """A running instance of the Fenmarsh Gazette (see ``serve``)."""

    def __init__(self, running: RunningSite, instance: Instance):
        self._running = running
        self._site = instance
        self.base = running.base

    def url(self, path: str) -> str:
        return self._running.url(path)

    @property
    def edition(self) -> int:
        return self._site.edition

    @property
    def edited_at(self) -> str | None:
        """The edit time of edition 2 (ISO, UTC), once the site has switched to it."""
        return self._site.edited_at

    def set_edition(self, n: int, *, at: datetime | str | None = None) -> None:
        """Switch to edition ``n``. The first switch to 2 stamps the edit with ``at`` or,
        by default, the current time rounded up to the next whole second (this waits for
        that second to begin: at most a second)."""
        self._site.switch(n, at)

    def articles(self, edition: int | None = None) -> list[dict]:
        """Ground truth of an edition (default: the current one) of this instance, with
        its filler stories and its edit time."""
        n = self.edition if edition is None else edition
        if n == 2 and self.edited_at is None:
            raise ValueError("this instance has not switched to edition 2 yet")
        return articles(n, edited_at=self.edited_at if n == 2 else None,
                        extra_articles=self._site.extra)

    def listing_paths(self, edition: int | None = None) -> list[str]:
        return LISTING_PATHS(self.edition if edition is None else edition, self._site.extra)

    def requests(self) -> list[dict]:
        """One dict per request (control endpoints excluded), in arrival order; besides
        the server's fields (``RunningSite.requests``), ``edition``: the edition
        answered (None while being answered)."""
        return self._running.requests()

    def reset_requests(self) -> None:
        self._running.reset_requests()

    def shutdown(self) -> None:
        """Stop serving and close the listening socket."""
        self._running.shutdown()

    def __enter__(self) -> Site:
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()


def serve(*, validators: bool = True, dynamic_chrome: bool = False, extra_articles: int = 0,
          article_delay: float = 0.0) -> Site:
    """Start a fresh instance (edition 1, empty request log) on 127.0.0.1, port 0."""
    made: dict[str, Instance] = {}

    def start(base: str):
        made["site"] = Instance(base, validators=validators, dynamic_chrome=dynamic_chrome,
                                extra_articles=extra_articles, article_delay=article_delay)
        return made["site"].respond

    running = serve_site(start, name="changing-editions-site", server_version="nginx/1.26.2")
    return Site(running, made["site"])
