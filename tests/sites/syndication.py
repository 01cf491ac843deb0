"""Four outlets on one coast that run the same wire story: "syndication".

Written apart from the crawler's code (standard library only), for the researchers'
acceptance test (``tests/test_research_acceptance.py``): after two crawls, the edit
shows as a diff, the copies of the wire story group with their sources, and a ranked
search finds the right articles first.

Each outlet is a host of its own, a loopback address on an ephemeral port:

===========  ======================  ==========  =========  ===========================
key          name                    address     language   markup
===========  ======================  ==========  =========  ===========================
herald       The Saltmarsh Herald    127.0.0.31  en-GB      JSON-LD NewsArticle
coastline    Coastline Post          127.0.0.32  en-GB      Open Graph / article: meta
estuary      Estuary Evening News    127.0.0.33  en-GB      JSON-LD NewsArticle
bote         Nordküsten-Bote         127.0.0.34  de-DE      Open Graph / article: meta
===========  ======================  ==========  =========  ===========================

Each has a home page (``/``, its newest 4 stories), two section pages (``/<section>/``,
every story of the section), article pages (with a canonical link, byline, dateline, an
"Updated" line once edited, and a "More from" box of the outlet's other stories), a
sitemap (``/sitemap.xml``, ``<lastmod>`` = modified, else published) named by
``/robots.txt``. Anything else is a 404 page. No validators: every page is a 200.

The stories (``data/syndication.json``), by ``role``:

* ``wire``: the Coastal Press Association's story on the Marren tidal barrier, run by
  every outlet: herald and coastline word for word (coastline under its own headline),
  estuary with an intro paragraph of its own, the Bote (in its English section) with
  the last two of eight paragraphs cut.
* ``topic``: one story per outlet on the same subject (floods, sea walls, sandbags,
  dykes; the Bote's in German), in words of its own: sharing vocabulary, not text.
* ``title_hit`` and ``body_hit``: for a ranked search of ``SEARCH`` ("harbour ferry
  refit"): three stories whose titles say it, two long ones that mention it once. No
  other story has any of the three words (``SEARCH_WORDS``).
* ``other``, ``edited``: unrelated stories, in English and German.

Editions: ``Site.set_edition(2)`` (the first switch stamps the edit with the current
time, rounded up to the next whole second after waiting for it, so that it is later than
anything a crawl of edition 1 saw) edits ``EDITED_KEY`` (coastline: title and its second
paragraph changed, ``dateModified`` / ``article:modified_time`` set, its sitemap
``<lastmod>`` moved to the edit) and adds ``REPUBLISHED_KEY`` (herald runs the wire story
again, word for word, under a new URL in another section). Dates are fixed in March 2025,
so a recrawl learns of the edit from the sitemap.

``serve()`` returns a ``Site``: ``outlets`` ({key: RunningSite}), ``base(outlet)``,
``url(story key)``, ``set_edition(n)``, ``edition``, ``edited_at``, ``stories(edition)``
(ground truth: key, outlet, role, title, body, published, modified, language, path),
``expected(outlet, edition)`` (the same for ``tests.sites.checks``), ``job_toml(name)``
(a job file with one source per outlet) and ``shutdown()``; it is also a context
manager.
"""

from __future__ import annotations

import math
import threading
import time
from datetime import UTC, datetime
from functools import partial

from tests.sites._syndication.content import (
    AGENCY,
    BY_KEY,
    EDITED_KEY,
    HTML,
    OUTLETS,
    REPUBLISHED_KEY,
    STORIES,
    WIRE,
    WIRE_CUT,
    edition_stories,
)
from tests.sites._syndication.render import (
    MORE_FROM,
    render_article,
    render_home,
    render_not_found,
    render_section,
    render_sitemap,
)
from tests.sites.pages import ground_truth, robots_naming_sitemap
from tests.sites.server import Request, RunningSite
from tests.sites.server import serve as serve_site

__all__ = ["AGENCY", "BODY_HITS", "BY_KEY", "EDITED_KEY", "OUTLETS", "REPUBLISHED_KEY",
           "SEARCH", "SEARCH_WORDS", "STORIES", "TITLE_HITS", "WIRE", "WIRE_CUT",
           "WIRE_KEYS", "Site", "serve"]

SEARCH = "harbour ferry refit"
# The forms of the search's words a story may have (the English stemmer's "ferri").
SEARCH_WORDS = ("harbour", "ferry", "ferries", "refit")
TITLE_HITS = [s["key"] for s in STORIES if s["role"] == "title_hit"]
BODY_HITS = [s["key"] for s in STORIES if s["role"] == "body_hit"]
WIRE_KEYS = [s["key"] for s in STORIES if s["role"] == "wire"]  # edition 2's included


class Site:
    """The four outlets, served (see ``serve``)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.edition = 1
        self.edited_at: str | None = None
        self.outlets: dict[str, RunningSite] = {}
        for key, outlet in OUTLETS.items():
            self.outlets[key] = serve_site(
                partial(self._start, key), name=f"syndication-{key}",
                server_version="nginx/1.24.0", address=outlet["address"])

    def _start(self, key: str, base: str):
        return partial(self._respond, key, base)

    def base(self, outlet: str) -> str:
        return self.outlets[outlet].base

    def url(self, key: str) -> str:
        """The URL of a story (by its key)."""
        story = BY_KEY[key]
        return self.base(story["outlet"]) + story["path"]

    def set_edition(self, n: int) -> None:
        """Switch to edition ``n``; the first switch to 2 stamps the edit (see above)."""
        if n not in (1, 2):
            raise ValueError(f"no edition {n!r}: 1 or 2")
        if n == 2 and self.edited_at is None:
            now = time.time()
            second = math.floor(now) + 1
            time.sleep(second - now + 0.001)
            self.edited_at = datetime.fromtimestamp(second, UTC).isoformat()
        with self._lock:
            self.edition = n

    def stories(self, edition: int | None = None) -> list[dict]:
        """Ground truth: every story of an edition (default: the current one)."""
        n = self.edition if edition is None else edition
        return [s for outlet in OUTLETS for s in edition_stories(outlet, n, self.edited_at)]

    def expected(self, outlet: str, edition: int | None = None) -> list[dict]:
        """An outlet's stories as ``tests.sites.checks.compare_articles`` wants them (the
        format of ``tests.sites.pages.ground_truth``; ``template`` is the markup)."""
        page = OUTLETS[outlet]
        return [ground_truth({**s, "snippets": [s["body"][0], s["body"][-1]],
                              "kind": page["markup"], "authors": _credited(s["authors"])},
                             [f"{MORE_FROM[s['language']]} {page['name']}", page["tagline"],
                              "All rights reserved."])
                for s in self.stories(edition) if s["outlet"] == outlet]

    def job_toml(self, name: str = "syndication") -> str:
        """A job file: one source per outlet, named by its key, seeded at its home page."""
        sources = "".join(f'\n[[sources]]\nname = "{key}"\nseeds = ["{self.base(key)}/"]\n'
                          for key in OUTLETS)
        return f'name = "{name}"\ncontact = "mailto:research@example.org"\n{sources}'

    def _respond(self, key: str, base: str, request: Request) -> tuple:
        outlet = OUTLETS[key]
        with self._lock:
            stories = edition_stories(key, self.edition, self.edited_at)
        path = request.path
        if path == "/robots.txt":
            return 200, robots_naming_sitemap(base).encode(), "text/plain; charset=utf-8"
        if path == "/sitemap.xml":
            return (200, render_sitemap(stories, base).encode(),
                    "application/xml; charset=utf-8")
        if path == "/":
            return 200, render_home(outlet, stories).encode(), HTML
        if path.strip("/") in outlet["sections"] and path.endswith("/"):
            return 200, render_section(outlet, path.strip("/"), stories).encode(), HTML
        for story in stories:
            if story["path"] == path:
                others = [s for s in stories if s is not story][:3]
                return 200, render_article(story, outlet, base, others).encode(), HTML
        return 404, render_not_found(outlet).encode(), HTML

    def shutdown(self) -> None:
        for running in self.outlets.values():
            running.shutdown()

    def __enter__(self) -> Site:
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()


def _credited(authors: list[str]) -> list[str]:
    """The authors an archive records: the agency only when no person is named (a
    judgement call, the extractor's: "By Coastal Press Association and Nadia Ferris" is
    Nadia Ferris's story, written from the agency's copy)."""
    people = [name for name in authors if name != AGENCY]
    return people or list(authors)


def serve() -> Site:
    """Start the four outlets (edition 1), each on its own loopback address, port 0."""
    return Site()
