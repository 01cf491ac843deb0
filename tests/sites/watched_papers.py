"""Four small papers watched by one hourly job, two of which break: "watched papers".

Written apart from the crawler's code (standard library only), for the operations
acceptance test (``tests/test_watching_acceptance.py``): after a few runs, the job's
status, dashboard, run reports and metrics must flag exactly the paper that started
answering with an anti-bot challenge and the one whose redesign dropped bylines and
dates.

Each paper is a host of its own, a loopback address on an ephemeral port:

==========  =======================  ===========
key         name                     address
==========  =======================  ===========
lowtide     The Lowtide Courier      127.0.0.41
moorland    Moorland Standard        127.0.0.42
quayside    Quayside Gazette         127.0.0.43
ridgeway    Ridgeway Messenger       127.0.0.44
==========  =======================  ===========

Every paper publishes ``STORIES_PER_HOUR`` new stories each simulated hour
(``Site.advance()``; the first hour is published at start). Its home page ``/`` lists the
newest ``HOME_STORIES`` stories, newest first; a story lives at
``/news/<hour>/<n>/<slug>/``, with a byline (``<meta name="author">``, a visible "By"
line and JSON-LD ``author``), a publication date (``article:published_time``, JSON-LD
``datePublished``, a ``<time>`` element) and five paragraphs of text of its own. Any
other path is a 404 page; ``/robots.txt`` allows everything.

Breakages, each for one paper from the hour it is switched on until the end:

* ``Site.start_challenge(key)``: every request, robots.txt included, is answered
  ``403`` with an anti-bot interstitial of the kind CDNs serve ("Just a moment...",
  a challenge form, a script that would solve it): a page that stands in for every page.
* ``Site.redesign(key)``: the paper's new template has no byline, no author meta, no
  JSON-LD and no dates anywhere; the text is unchanged.

Stories are made from a fixed vocabulary with a seeded random generator, so every run
of the test serves the same bytes for the same story.
"""

from __future__ import annotations

import json
import random
import threading
from datetime import UTC, datetime, timedelta
from functools import partial

from tests.sites.pages import esc
from tests.sites.server import Request, RunningSite
from tests.sites.server import serve as serve_site

PAPERS = {
    "lowtide": {"name": "The Lowtide Courier", "address": "127.0.0.41"},
    "moorland": {"name": "Moorland Standard", "address": "127.0.0.42"},
    "quayside": {"name": "Quayside Gazette", "address": "127.0.0.43"},
    "ridgeway": {"name": "Ridgeway Messenger", "address": "127.0.0.44"},
}
STORIES_PER_HOUR = 6
HOME_STORIES = 12
# The first simulated hour; each advance() moves on by one.
EPOCH = datetime(2026, 11, 2, 6, 0, tzinfo=UTC)
HTML = "text/html; charset=utf-8"

REPORTERS = ["Ada Pennick", "Tomas Varga", "Mira Castell", "Owen Treharne", "Lena Brack",
             "Jonah Fell", "Priya Rowe", "Kit Marlow"]
SUBJECTS = ["the harbour board", "the county council", "the ferry operator",
            "the school governors", "the river trust", "local traders", "the rail line",
            "the lifeboat crew", "the allotment society", "the town museum",
            "the bus company", "the fishing co-operative"]
VERBS = ["approved", "delayed", "questioned", "funded", "rejected", "reviewed",
         "welcomed", "postponed", "extended", "announced"]
OBJECTS = ["a new footbridge", "the winter timetable", "repairs to the sea wall",
           "a second car park", "the summer festival", "plans for forty homes",
           "a study of the estuary", "longer opening hours", "a grant for the library",
           "the dredging contract"]
CLAUSES = ["after a meeting that ran late into the evening",
           "despite objections from residents near the quay",
           "in a vote that surprised several members",
           "following months of talks with the landowners",
           "once the engineers had finished their survey",
           "while the weather kept most boats in port",
           "as costs rose for the third year running",
           "with support from the neighbouring parishes"]
QUOTES = ["We have listened to people and this is the result",
          "Nobody expected the figures to come in so high",
          "It is a good day for the whole coast",
          "There is still a great deal of work to do",
          "We will keep pressing until the job is finished",
          "The town deserves better than another delay"]

CHALLENGE_PAGE = """<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>
<meta http-equiv="refresh" content="390">
<meta name="robots" content="noindex,nofollow">
</head><body class="no-js"><div class="main-wrapper" role="main"><div class="main-content">
<h1 class="zone-name-title h1">Checking your browser before accessing the site.</h1>
<h2 class="h2" id="challenge-running">Verify you are human by completing the action below.
</h2><noscript><div class="h2">Enable JavaScript and cookies to continue</div></noscript>
<form id="challenge-form" action="/?__cf_chl_f_tk=Zm9vYmFy" method="POST"
 enctype="application/x-www-form-urlencoded"><input type="hidden" name="md" value="x"></form>
<script>(function(){window._cf_chl_opt={cvId:'3',cZone:'quay',cType:'managed'};}());
</script></div></div><div class="footer" role="contentinfo">Performance &amp; security
by a content delivery network. Ray ID: 8f2c1a9d0b7e3c41</div></body></html>
"""


def story(paper: str, hour: int, n: int) -> dict:
    """The ``n``th story a paper published in simulated hour ``hour``."""
    rng = random.Random(f"{paper}/{hour}/{n}")
    subject, verb, thing = rng.choice(SUBJECTS), rng.choice(VERBS), rng.choice(OBJECTS)
    title = f"{subject[0].upper()}{subject[1:]} {verb} {thing}"
    slug = "-".join(word.strip(",.") for word in title.lower().split())[:60]
    paragraphs = []
    for _ in range(5):
        sentences = [f"{rng.choice(SUBJECTS).capitalize()} {rng.choice(VERBS)} "
                     f"{rng.choice(OBJECTS)} {rng.choice(CLAUSES)}." for _ in range(3)]
        sentences.append(f"\u201c{rng.choice(QUOTES)},\u201d said "
                         f"{rng.choice(REPORTERS).split()[0]}.")
        paragraphs.append(" ".join(sentences))
    return {"paper": paper, "path": f"/news/{hour}/{n}/{slug}/", "title": title,
            "author": rng.choice(REPORTERS), "body": paragraphs,
            "published": (EPOCH + timedelta(hours=hour, minutes=7 * n)).isoformat()}


class Site:
    """The four papers, served (see ``serve``)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.hour = 0
        self.challenging: set[str] = set()
        self.redesigned: set[str] = set()
        self.papers: dict[str, RunningSite] = {
            key: serve_site(partial(self._start, key), name=f"watched-{key}",
                            server_version="nginx/1.24.0", address=paper["address"])
            for key, paper in PAPERS.items()}

    def _start(self, key: str, base: str):
        return partial(self._respond, key)

    def base(self, paper: str) -> str:
        return self.papers[paper].base

    def advance(self) -> None:
        """The next simulated hour: every paper publishes its new stories."""
        with self._lock:
            self.hour += 1

    def start_challenge(self, paper: str) -> None:
        with self._lock:
            self.challenging.add(paper)

    def redesign(self, paper: str) -> None:
        with self._lock:
            self.redesigned.add(paper)

    def stories(self, paper: str) -> list[dict]:
        """Every story the paper has published so far, newest first."""
        return [story(paper, hour, n) for hour in range(self.hour, -1, -1)
                for n in range(STORIES_PER_HOUR, 0, -1)]

    def job_toml(self, name: str = "watched") -> str:
        """A job file: one source per paper, named by its key, seeded at its home page;
        politeness off (our own hosts)."""
        sources = "".join(f'\n[[sources]]\nname = "{key}"\nseeds = ["{self.base(key)}/"]\n'
                          for key in PAPERS)
        return (f'name = "{name}"\ncontact = "mailto:ops@example.org"\n'
                '[politeness]\ndelay = 0\nconcurrency = 4\n'
                '[settings]\nAUTOTHROTTLE_ENABLED = false\n' + sources)

    def _respond(self, key: str, request: Request) -> tuple:
        with self._lock:
            challenging, redesigned = key in self.challenging, key in self.redesigned
            stories = self.stories(key)
        if challenging:
            return 403, CHALLENGE_PAGE.encode(), HTML, {"Cache-Control": "no-store"}
        path = request.path
        if path == "/robots.txt":
            return 200, b"User-agent: *\nAllow: /\n", "text/plain; charset=utf-8"
        if path == "/":
            return 200, render_home(key, stories[:HOME_STORIES]).encode(), HTML
        for item in stories:
            if item["path"] == path:
                render = render_redesigned if redesigned else render_article
                return 200, render(key, item).encode(), HTML
        return 404, page(key, "Not found", "<p>No such page.</p>").encode(), HTML

    def shutdown(self) -> None:
        for running in self.papers.values():
            running.shutdown()

    def __enter__(self) -> Site:
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()


def page(paper: str, title: str, body: str, head: str = "") -> str:
    name = esc(PAPERS[paper]["name"])
    return (f'<!DOCTYPE html>\n<html lang="en-GB"><head><meta charset="utf-8">'
            f"<title>{esc(title)} | {name}</title>{head}</head>\n<body>"
            f'<header><a href="/">{name}</a></header>\n<main>{body}</main>\n'
            f"<footer><p>{name}. All rights reserved.</p></footer></body></html>\n")


def render_home(paper: str, stories: list[dict]) -> str:
    items = "".join(f'<li><a href="{esc(s["path"])}">{esc(s["title"])}</a></li>'
                    for s in stories)
    return page(paper, "Latest news", f"<h1>Latest news</h1><ul>{items}</ul>")


def render_article(paper: str, item: dict) -> str:
    ld = {"@context": "https://schema.org", "@type": "NewsArticle",
          "headline": item["title"], "datePublished": item["published"],
          "author": {"@type": "Person", "name": item["author"]}}
    head = (f'<meta name="author" content="{esc(item["author"])}">'
            f'<meta property="og:type" content="article">'
            f'<meta property="article:published_time" content="{item["published"]}">'
            f'<script type="application/ld+json">{json.dumps(ld)}</script>')
    body = (f'<article><h1>{esc(item["title"])}</h1>'
            f'<p class="byline">By <span class="author">{esc(item["author"])}</span>, '
            f'<time datetime="{item["published"]}">{item["published"][:10]}</time></p>'
            + "".join(f"<p>{esc(text)}</p>" for text in item["body"]) + "</article>")
    return page(paper, item["title"], body, head)


def render_redesigned(paper: str, item: dict) -> str:
    """The new template: the same text, and nothing that names an author or a date."""
    body = (f'<div class="story-v2"><h1 class="story-v2__title">{esc(item["title"])}</h1>'
            + "".join(f'<p class="story-v2__para">{esc(text)}</p>' for text in item["body"])
            + "</div>")
    return page(paper, item["title"], body, '<meta property="og:type" content="article">')


def serve() -> Site:
    """Start the four papers (their first hour published), each on its own address."""
    return Site()
