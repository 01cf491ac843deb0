"""A news site whose sitemaps list more articles than a capped run may fetch.

Standard library only, written apart from the crawler. ``/robots.txt`` names
``/sitemap-index.xml``, an index of ``children`` gzipped sitemaps that share
``articles`` article URLs (``/story/N``) between them; the home page links to
nothing but itself. Every article is a small dated news page.

``serve(articles=..., children=...)`` starts it on 127.0.0.1 port 0
(``tests.sites.server``); ``hits()`` counts the requests per path.
"""

from __future__ import annotations

import gzip

from tests.sites.server import Reply, Request, RunningSite
from tests.sites.server import serve as serve_on

HTML = "text/html; charset=utf-8"


def story_path(number: int) -> str:
    return f"/story/{number}"


def _story(number: int) -> str:
    title = f"Harbour works, part {number}"
    body = "".join(
        f"<p>The harbour board met on Monday to discuss part {number} of the works on the "
        f"north quay, which have run late since the spring storms, a spokesperson said "
        f"(paragraph {k}).</p>" for k in range(5))
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{title}"
            f"</title><meta property='og:type' content='article'>"
            f"<meta property='article:published_time' content='2026-12-01T08:00:00Z'>"
            f"</head><body><article><h1>{title}</h1><p class='byline'>By Ann Quay</p>"
            f"{body}</article></body></html>")


def start(articles: int, children: int):  # type: ignore[no-untyped-def]
    share = -(-articles // children)

    def site(base: str):  # type: ignore[no-untyped-def]
        def respond(request: Request) -> Reply:
            status, body, kind = answer(request)
            return status, body.encode() if isinstance(body, str) else body, kind

        def answer(request: Request) -> Reply:
            path = request.path
            if path == "/robots.txt":
                return 200, f"User-agent: *\nAllow: /\nSitemap: {base}/sitemap-index.xml\n", \
                    "text/plain"
            if path == "/":
                return 200, "<html><head><title>Harbour News</title></head><body>" \
                    "<a href='/'>Home</a></body></html>", HTML
            if path == "/sitemap-index.xml":
                entries = "".join(f"<sitemap><loc>{base}/sitemaps/{n}.xml.gz</loc></sitemap>"
                                  for n in range(children))
                return 200, ('<?xml version="1.0"?><sitemapindex xmlns='
                             '"http://www.sitemaps.org/schemas/sitemap/0.9">'
                             f"{entries}</sitemapindex>"), "application/xml"
            if path.startswith("/sitemaps/") and path.endswith(".xml.gz"):
                child = int(path[len("/sitemaps/"):-len(".xml.gz")])
                urls = "".join(f"<url><loc>{base}{story_path(i)}</loc></url>"
                               for i in range(child * share, min(articles, (child + 1) * share)))
                xml = ('<?xml version="1.0"?><urlset xmlns='
                       f'"http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>')
                return 200, gzip.compress(xml.encode()), "application/x-gzip"
            if path.startswith("/story/") and path[7:].isdigit() and int(path[7:]) < articles:
                return 200, _story(int(path[7:])), HTML
            return 404, "not here", "text/plain"
        return respond
    return site


def serve(*, articles: int = 60, children: int = 2) -> RunningSite:
    return serve_on(start(articles, children), name="big-sitemap",
                    server_version="HarbourNews/1.0")
