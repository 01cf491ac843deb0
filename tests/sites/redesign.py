"""A news site that redesigns overnight and loses its bylines and dates: "The Calder
Chronicle".

Standard library only, written apart from the crawler. Every edition brings fresh
stories, so that each crawl of it writes a handful of new articles (as a daily
run of a busy site does): the home page ``/`` links the current edition's
``stories`` articles at ``/news/NNNNNN/`` (a six-digit id: edition * 1000 + n).
Anything else, ``/robots.txt`` included, is a 404.

Templates (``template=``):

* ``"classic"``: each story has a JSON-LD ``NewsArticle`` with ``datePublished``
  and an author, ``article:published_time``, a visible byline and a ``<time>``;
* ``"redesign"``: the same stories, the same body text, but the new template
  carries no author and no date anywhere (what a redesign that broke a site's
  metadata looks like to an extractor). Pages are still articles by their shape:
  a story id in the URL and a long body.

``RedesignSite(...)`` keeps the site at hand: change ``template`` or call
``next_edition()`` between two crawls; ``serve(address=...)`` runs it on a loopback
address of its own (``tests.sites.server``).
"""

from __future__ import annotations

from tests.sites.pages import esc
from tests.sites.server import Reply, Request, RunningSite
from tests.sites.server import serve as serve_on

HTML = "text/html; charset=utf-8"
TEMPLATES = ("classic", "redesign")
REPORTER = "Morag Ellison"

# Twelve sentences; each story takes them from a different start, so no two bodies
# are the same text (the crawler would keep one copy of a repeated page).
SENTENCES = [
    "The county council approved the new flood barrier for the lower Calder valley "
    "after a long debate in the chamber that ran well past the usual hour.",
    "Engineers told members that the existing embankment had been patched so often "
    "that a single wet winter could now undo most of the repairs made since it was built.",
    "Farmers on the north bank asked for the drainage channels to be cleared first, "
    "saying their fields had stood under water for weeks at a time last spring.",
    "The plan sets aside money for a new pumping station near the old mill, which "
    "will be run by the water board once the trial period is over.",
    "Residents of the terraces beside the river said they welcomed the decision but "
    "wanted a firm timetable, not another promise that work would start soon.",
    "A spokesperson for the contractor said the first stage would begin with survey "
    "work on the banks, followed by the foundations for the barrier gates.",
    "Traffic on the bridge road will be limited to one lane while the heavy machinery "
    "is moved into place, and a temporary footpath will open on the east side.",
    "The local school has asked for the work near its playing fields to be done "
    "during the holidays so that pupils are not disturbed in the exam season.",
    "Members of the angling club raised concerns about the fish ladder, which the "
    "engineers agreed to rebuild as part of the same contract at no extra cost.",
    "Council officers will report back on progress every quarter, and the full "
    "accounts for the scheme will be published alongside the minutes.",
    "The opposition group supported the scheme but said the valley had waited far too "
    "long for a decision that other towns on the river had taken years earlier.",
    "A public exhibition of the designs will be held in the library, where residents "
    "can see models of the barrier and put their questions to the project team.",
]


def story_id(edition: int, number: int) -> int:
    return edition * 1000 + number


def story_path(edition: int, number: int) -> str:
    return f"/news/{story_id(edition, number):06d}/"


class RedesignSite:
    def __init__(self, *, name: str = "The Calder Chronicle", stories: int = 6,
                 template: str = "classic") -> None:
        if template not in TEMPLATES:
            raise ValueError(f"template is one of {TEMPLATES}, not {template!r}")
        self.name = name
        self.stories = stories
        self.template = template
        self.edition = 1

    def next_edition(self) -> None:
        """Fresh stories on the home page (the older ones are no longer linked)."""
        self.edition += 1

    def respond(self, request: Request) -> Reply:
        path = request.path
        if path == "/":
            return 200, self.home().encode(), HTML
        if path.startswith("/news/") and path.strip("/").split("/")[-1].isdigit():
            story = int(path.strip("/").split("/")[-1])
            return 200, self.story(story).encode(), HTML
        return 404, b"<!doctype html><html><body>Not found</body></html>", HTML

    def home(self) -> str:
        links = "".join(
            f'<li><h2><a href="{story_path(self.edition, n)}">{esc(self.title(n))}</a></h2></li>'
            for n in range(1, self.stories + 1))
        return (f"<!doctype html><html lang=en><head><title>{esc(self.name)}</title></head>"
                f"<body><h1>{esc(self.name)}</h1><ul>{links}</ul></body></html>")

    def title(self, number: int) -> str:
        return f"Flood barrier plan for the Calder valley, part {number}"

    def story(self, story: int) -> str:
        number = story % 1000
        start = story % len(SENTENCES)
        sentences = SENTENCES[start:] + SENTENCES[:start]
        body = "".join(f"<p>{esc(s)} (Report {story}.)</p>" for s in sentences)
        title = esc(self.title(number))
        if self.template == "redesign":
            return (f"<!doctype html><html lang=en><head><title>{title}</title></head>"
                    f'<body><div class="page"><main><h1>{title}</h1>'
                    f'<div class="story-body">{body}</div></main></div></body></html>')
        published = f"2026-03-{1 + story % 28:02d}T08:30:00+00:00"
        return (
            f"<!doctype html><html lang=en><head><title>{title}</title>"
            '<meta property="og:type" content="article">'
            f'<meta property="article:published_time" content="{published}">'
            f'<meta name="author" content="{REPORTER}">'
            '<script type="application/ld+json">'
            f'{{"@type": "NewsArticle", "headline": "{title}", '
            f'"datePublished": "{published}", '
            f'"author": {{"@type": "Person", "name": "{REPORTER}"}}}}'
            "</script></head>"
            f"<body><article><h1>{title}</h1>"
            f'<p class="byline">By {REPORTER}</p><time datetime="{published}">'
            f"{published[:10]}</time>{body}</article></body></html>")

    def serve(self, *, address: str = "127.0.0.1") -> RunningSite:
        return serve_on(lambda base: self.respond, name="calder-chronicle",
                        server_version="Chronicle/2.0", address=address)
