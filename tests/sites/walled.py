"""A news site behind walls until told to stop: "The Walled Courier".

Standard library only, written apart from the crawler. The home page links to six
articles (``/story/N``). While ``walled`` is true, the first five answer with a page
that stands in for the article:

* ``/story/1``: a Cloudflare-style managed challenge, 403 with ``cf-mitigated``;
* ``/story/2``: the same challenge page, 403, without the header (the page gives it away);
* ``/story/3``: a rate-limit challenge with a captcha form, 503 and ``Retry-After``;
* ``/story/4``: a consent interstitial posting to a ``consent.`` host, 200;
* ``/story/5``: a sign-in form, 200.

``/story/6`` is always the article. Set ``walled = False`` between two crawls (the
same ``WalledCourier(...).serve()`` keeps its address) and every story is the article.
``serve()`` starts a fresh instance on 127.0.0.1 port 0 (``tests.sites.server``).
"""

from __future__ import annotations

from tests.sites.pages import esc
from tests.sites.server import Reply, Request, RunningSite
from tests.sites.server import serve as serve_on

HTML = "text/html; charset=utf-8"
STORIES = 6
WALLED = range(1, 6)

PARAGRAPHS = [
    "The harbour ferry returns to service on Monday after a winter refit that replaced "
    "both engines and the worn boarding ramp, the port authority said on Friday.",
    "Commuters from the east bank spent four months on the replacement bus, which added "
    "half an hour to the crossing at peak times and ran only until ten in the evening.",
    "The authority said the refit came in under budget and that the old engines would be "
    "sold to a boatyard upriver that restores working vessels for museums.",
    "A new timetable with an extra late-evening sailing on Fridays and Saturdays is "
    "posted at both landing stages and on the authority's website.",
]

CHALLENGE = """<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>
<meta name="robots" content="noindex,nofollow"></head>
<body class="no-js"><div class="main-content"><h1>{host}</h1>
<p>Verifying you are human. This may take a few seconds.</p>
<p>{host} needs to review the security of your connection before proceeding.</p>
<form id="challenge-form" action="{path}?__cf_chl_f_tk=Zm9vYmFy-1714600000-0-gaNy" method="POST">
<input type="hidden" name="md" value="a1b2c3-1714600000"></form></div>
<script>window._cf_chl_opt={{cvId:'3',cZone:"{host}",cType:'managed',cRay:'8a1b2c3d4e5f6071'}};</script>
<div class="footer">Ray ID: <code>8a1b2c3d4e5f6071</code>
Performance &amp; security by Cloudflare</div>
</body></html>"""

RATE_LIMITED = """<!DOCTYPE html><html><head><title>Security check</title>
<script src="https://www.google.com/recaptcha/api.js" async defer></script></head>
<body><h1>Too many requests from your network</h1><p>Please complete the check below.</p>
<form action="/__verify" method="POST"><div class="g-recaptcha" data-sitekey="6LcXyz"></div>
<button type="submit">Continue</button></form></body></html>"""

CONSENT = """<!DOCTYPE html><html lang="en"><head><title>The Walled Courier</title></head>
<body><h2>The Walled Courier is part of the Courier Media group</h2>
<p>We and our partners use cookies to store and access information on your device.</p>
<form method="post" action="https://consent.courier-media.example/collect?sessionId=9f">
<button name="agree" value="1">Accept all</button>
<button name="reject" value="1">Reject all</button>
</form></body></html>"""

LOGIN = """<!DOCTYPE html><html lang="en"><head><title>Sign in | The Walled Courier</title></head>
<body><h1>Sign in to keep reading</h1><form action="/account/login" method="post">
<input type="email" name="email"><input type="password" name="password">
<button type="submit">Sign in</button></form></body></html>"""


def story_path(number: int) -> str:
    return f"/story/{number}"


def home() -> str:
    links = "".join(f'<li><a href="{story_path(n)}">Ferry news, part {n}</a></li>'
                    for n in range(1, STORIES + 1))
    return (f"<!doctype html><html lang=en><head><title>The Walled Courier</title></head>"
            f"<body><h1>The Walled Courier</h1><ul>{links}</ul></body></html>")


def article(number: int) -> str:
    title = f"Harbour ferry returns, part {number}"
    body = "".join(f"<p>{esc(text)}</p>" for text in PARAGRAPHS)
    return (
        f"<!doctype html><html lang=en><head><title>{esc(title)}</title>"
        '<meta property="og:type" content="article">'
        '<script type="application/ld+json">'
        f'{{"@type": "NewsArticle", "headline": "{esc(title)}", '
        '"datePublished": "2025-04-04T09:00:00+00:00", '
        '"author": {"@type": "Person", "name": "Rui Costa"}}'
        "</script></head>"
        f"<body><article><h1>{esc(title)}</h1><p>By Rui Costa</p>{body}</article>"
        "</body></html>")


class WalledCourier:
    def __init__(self, *, walled: bool = True) -> None:
        self.walled = walled

    def respond(self, request: Request, host: str) -> Reply:
        path = request.path
        if path == "/robots.txt":
            return 200, b"User-agent: *\nAllow: /\n", "text/plain"
        if path == "/":
            return 200, home().encode(), HTML
        number = int(path.rsplit("/", 1)[1]) if path.startswith("/story/") and \
            path.rsplit("/", 1)[1].isdigit() else 0
        if not 1 <= number <= STORIES:
            return 404, b"<html><body>Not found</body></html>", HTML
        if self.walled and number in WALLED:
            return self.wall(number, host, path)
        return 200, article(number).encode(), HTML

    @staticmethod
    def wall(number: int, host: str, path: str) -> Reply:
        challenge = CHALLENGE.format(host=host, path=path).encode()
        if number == 1:
            return 403, challenge, HTML, {"cf-mitigated": "challenge", "Server": "cloudflare"}
        if number == 2:
            return 403, challenge, HTML
        if number == 3:
            return 503, RATE_LIMITED.encode(), HTML, {"Retry-After": "1"}
        if number == 4:
            return 200, CONSENT.encode(), HTML
        return 200, LOGIN.encode(), HTML

    def serve(self) -> RunningSite:
        """Serve this site (``walled`` may still change between crawls)."""
        def start(base: str):
            host = base.split("//", 1)[1]
            return lambda request: self.respond(request, host)
        return serve_on(start, name="walled-courier", server_version="WalledCourier/1.0")


def serve(**settings: bool) -> RunningSite:
    """A fresh site: ``WalledCourier(**settings).serve()``."""
    return WalledCourier(**settings).serve()


WAITING_ROOM = """<!DOCTYPE html><html><head><title>{host}</title></head>
<body><p>Please wait while your request to {host} is processed.</p>
<p>Request {number}</p></body></html>"""


def serve_waiting_room(address: str) -> RunningSite:
    """A site on ``address`` whose two stories answer with the same tiny page, no
    vendor's marker in it (the host and a request number aside): what a bot wall in
    front of many sites looks like from one crawl."""
    def start(base: str):
        host = base.split("//", 1)[1]

        def respond(request: Request) -> Reply:
            if request.path == "/robots.txt":
                return 200, b"User-agent: *\nAllow: /\n", "text/plain"
            if request.path == "/":
                # More links than a wall has: the home pages, alike too, are not one.
                links = "".join(f'<a href="{story_path(n)}">Story {n}</a> ' for n in (1, 2))
                links += '<a href="/about">About</a> <a href="/contact">Contact</a>'
                return 200, f"<html><body><h1>News</h1>{links}</body></html>".encode(), HTML
            if not request.path.startswith("/story/"):
                return 404, b"<html><body>Not found</body></html>", HTML
            number = sum(map(ord, request.path))
            return 200, WAITING_ROOM.format(host=host, number=number).encode(), HTML
        return respond
    return serve_on(start, name=f"waiting-room-{address}", server_version="Wall/1.0",
                    address=address)
