"""A small news site that fails in the ways a passing fault does: "The Flaky Herald".

Standard library only, written apart from the crawler. The home page links to
``stories`` articles (``/news/N``) and to ``/private/N`` pages that its
robots.txt forbids. What goes wrong is chosen by ``serve(...)``:

* ``robots``: how ``/robots.txt`` answers: ``"rules"`` (``Disallow: /private/``),
  ``"404"``, ``"fail:K"`` (503 with ``Retry-After: 1`` for its first K requests,
  then the rules) or ``"down"`` (503 every time);
* ``busy``: the first ``busy`` requests for an article answer 503 with
  ``Retry-After: busy_retry_after`` (then the article);
* ``crawl_delay``: a ``Crawl-delay`` line in the rules; ``answer_after``: seconds an
  article takes to answer (a slow server);
* ``rights``: ``{path: {"headers": {...}, "meta": {name: content}}}``, rights
  signals (``X-Robots-Tag``, ``tdm-reservation``, ``<meta name=robots>``) that
  one article sends.

``serve(...)`` starts a fresh instance on 127.0.0.1 port 0 (``tests.sites.server``):
its ``hits()``, ``times()`` and ``requests()`` show what was asked, and when;
``FlakyHerald(...).serve()`` keeps the site at hand, to change how it fails
between two crawls on the same address.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from typing import Any

from tests.sites.pages import esc
from tests.sites.server import Reply, Request, RunningSite
from tests.sites.server import serve as serve_on

HTML = "text/html; charset=utf-8"
RULES = "User-agent: *\nDisallow: /private/\n"

PARAGRAPHS = [
    "The river crossing at Millbrook was closed for most of Tuesday after the overnight "
    "rain raised the water above the old stone markers, council engineers said.",
    "Traffic was sent the long way round through Eastfield, adding twenty minutes to the "
    "school run for families on the north bank, and the buses kept to a reduced timetable.",
    "The engineers expect to inspect the foundations again on Thursday once the level has "
    "dropped, and a decision on reopening will follow their report to the committee.",
    "Residents who wish to comment on the long-term plans for a new crossing can do so "
    "at the public meeting in the library hall next month, the council added.",
]


def story_path(number: int) -> str:
    return f"/news/{number}"


def private_path(number: int) -> str:
    return f"/private/{number}"


def home(stories: int, private: int) -> str:
    links = "".join(f'<li><a href="{story_path(n)}">Story number {n} of the day</a></li>'
                    for n in range(1, stories + 1))
    links += "".join(f'<li><a href="{private_path(n)}">Members only {n}</a></li>'
                     for n in range(1, private + 1))
    return (f"<!doctype html><html lang=en><head><title>The Flaky Herald</title></head>"
            f"<body><h1>The Flaky Herald</h1><ul>{links}</ul></body></html>")


def article(path: str, meta: Mapping[str, str]) -> str:
    metas = "".join(f'<meta name="{esc(name)}" content="{esc(content)}">'
                    for name, content in meta.items())
    title = f"Crossing closed at {path.rsplit('/', 1)[-1]} Millbrook"
    body = "".join(f"<p>{esc(text)}</p>" for text in PARAGRAPHS)
    return (
        f"<!doctype html><html lang=en><head><title>{esc(title)}</title>"
        f'<meta property="og:type" content="article">{metas}'
        '<script type="application/ld+json">'
        f'{{"@type": "NewsArticle", "headline": "{esc(title)}", '
        '"datePublished": "2025-03-04T09:00:00+00:00", '
        '"author": {"@type": "Person", "name": "Ann Reporter"}}'
        "</script></head>"
        f"<body><article><h1>{esc(title)}</h1><p>By Ann Reporter</p>{body}</article>"
        "</body></html>")


class FlakyHerald:
    def __init__(self, *, stories: int = 6, private: int = 2, robots: str = "rules",
                 busy: int = 0, busy_retry_after: int = 1, crawl_delay: float | None = None,
                 answer_after: float = 0.0,
                 rights: Mapping[str, Mapping[str, Any]] | None = None) -> None:
        self.stories = stories
        self.private = private
        self.robots = robots
        self.busy = busy
        self.busy_retry_after = busy_retry_after
        self.crawl_delay = crawl_delay
        self.answer_after = answer_after
        self.rights = rights or {}
        self._lock = threading.Lock()
        self._robots_asked = 0
        self._stories_asked = 0

    def respond(self, request: Request) -> Reply:
        path = request.path
        if path == "/robots.txt":
            return self.robots_txt()
        if path == "/":
            return 200, home(self.stories, self.private).encode(), HTML
        if path.startswith(("/news/", "/private/")):
            return self.story(path)
        return 404, b"<html><body>Not found</body></html>", HTML

    def robots_txt(self) -> Reply:
        with self._lock:
            self._robots_asked += 1
            asked = self._robots_asked
        kind, _, count = self.robots.partition(":")
        if kind == "404":
            return 404, b"<html><body>Not found</body></html>", HTML
        if kind == "down" or (kind == "fail" and asked <= int(count)):
            return 503, b"<html><body>Try later</body></html>", HTML, {"Retry-After": "1"}
        delay = f"Crawl-delay: {self.crawl_delay:g}\n" if self.crawl_delay else ""
        return 200, (RULES + delay).encode(), "text/plain"

    def story(self, path: str) -> Reply:
        if path.startswith("/news/"):
            with self._lock:
                self._stories_asked += 1
                asked = self._stories_asked
            time.sleep(self.answer_after)
            if asked <= self.busy:
                return (503, b"<html><body>Busy</body></html>", HTML,
                        {"Retry-After": str(self.busy_retry_after)})
        rights = self.rights.get(path, {})
        body = article(path, rights.get("meta", {})).encode()
        return 200, body, HTML, dict(rights.get("headers", {}))


    def serve(self) -> RunningSite:
        """Serve this site (its settings may still change between crawls)."""
        return serve_on(lambda base: self.respond, name="flaky-herald",
                        server_version="FlakyHerald/1.0")


def serve(**settings: Any) -> RunningSite:
    """A fresh site: ``FlakyHerald(**settings).serve()``."""
    return FlakyHerald(**settings).serve()
