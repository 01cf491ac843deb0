"""News desks on a clock: sites whose front pages bring new stories every edition, one
of them slow to answer (the scheduling tests, ``tests/test_source_schedule.py``).

Each desk is a site of its own on 127.0.0.1. Its front page ``/`` links the stories of
every edition so far (``/story/E-N``, ``per_edition`` a time); ``publish()`` starts the
next edition. A desk with ``delay`` answers each story that many seconds late, so a run
that crawls it takes a while; one with ``crawl_delay`` asks for it in robots.txt.
``alias_of(site)`` serves a "www" alias that redirects every request to the desk.
A desk's front page may also link stories of other desks (``elsewhere``).
Every story is a plain news article with a byline and a date, which the crawler
extracts.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from tests.sites.pages import esc
from tests.sites.server import Reply, Request, RunningSite, serve

HTML = "text/html; charset=utf-8"
PARAGRAPH = ("The council met on Tuesday evening to agree next year's budget for the town's "
             "libraries, after a consultation in which more than two thousand residents "
             "wrote in to ask for longer opening hours at weekends. ")


class Desk:
    def __init__(self, name: str, *, per_edition: int = 2, delay: float = 0.0,
                 crawl_delay: float | None = None) -> None:
        self.name, self.per_edition, self.delay = name, per_edition, delay
        self.crawl_delay = crawl_delay  # asked for in robots.txt
        self.edition = 1
        self.elsewhere: list[str] = []  # other sites' stories the front page links too

    def publish(self) -> None:
        self.edition += 1

    def stories(self) -> list[str]:
        return [f"/story/{edition}-{n}" for edition in range(1, self.edition + 1)
                for n in range(1, self.per_edition + 1)]

    def respond(self, request: Request) -> Reply:
        if request.path == "/robots.txt":
            pace = f"Crawl-delay: {self.crawl_delay}\n" if self.crawl_delay else ""
            return 200, f"User-agent: *\nAllow: /\n{pace}".encode(), "text/plain"
        if request.path == "/":
            links = "".join(f'<li><a href="{esc(path)}">{esc(self.title(path))}</a></li>'
                            for path in [*self.stories(), *self.elsewhere])
            return 200, (f"<!doctype html><html lang=en><head><title>{esc(self.name)}</title>"
                         f"</head><body><h1>{esc(self.name)}</h1><ul>{links}</ul>"
                         "</body></html>").encode(), HTML
        if request.path in self.stories():
            time.sleep(self.delay)
            return 200, self.story(request.path).encode(), HTML
        return 404, b"not here", "text/plain"

    def title(self, path: str) -> str:
        return f"{self.name}: library hours, report {path.rsplit('/', 1)[1]}"

    def story(self, path: str) -> str:
        title = esc(self.title(path))
        return ("<!doctype html><html lang=en><head>"
                f'<title>{title}</title><meta property="og:type" content="article">'
                '<script type="application/ld+json">{"@type": "NewsArticle", '
                f'"headline": "{title}", "datePublished": "2026-03-04T09:00:00+00:00", '
                '"author": {"@type": "Person", "name": "Jo Writer"}}</script></head>'
                f"<body><article><h1>{title}</h1><p>By Jo Writer</p>"
                f"<p>{PARAGRAPH * 3}</p><p>{PARAGRAPH * 2}</p></article></body></html>")


@contextmanager
def alias_of(site: RunningSite, address: str = "127.0.0.3") -> Iterator[RunningSite]:
    """A "www" alias of ``site`` on another loopback address: every request is sent on
    to the same path on ``site`` with a 301, as sites do for the host people paste."""
    def respond(request: Request) -> Reply:
        return 301, b"", "text/plain", {"Location": site.base + request.target}

    alias = serve(lambda base: respond, name="desk-alias", server_version="DeskCMS/1.0",
                  address=address)
    try:
        yield alias
    finally:
        alias.shutdown()


@contextmanager
def running(*desks: Desk) -> Iterator[list[RunningSite]]:
    """Serve each desk; the running sites, in order (``.desk`` is the desk)."""
    sites = []
    try:
        for desk in desks:
            site = serve(lambda base, desk=desk: desk.respond, name=f"desk-{desk.name}",
                         server_version="DeskCMS/1.0")
            site.desk = desk  # type: ignore[attr-defined]
            sites.append(site)
        yield sites
    finally:
        for site in sites:
            site.shutdown()
