"""A regional daily with bylines and dates in odd places: the "Millbrook Daily Register".

Written apart from the crawler's code (standard library only). A fictional regional
daily for Millbrook and the Tamsen Valley whose site runs three kinds of templates:

* ``wp``   – a WordPress *block* theme: ``<main>`` holding
  ``<div class="wp-block-post-content">``, permalinks under nested categories
  (/news/local/schools/slug-words/), og:type=article + article:published_time,
  ``<meta name="author">`` on every post but a visible byline on only some, pull
  quotes and image captions inside the body, an inline "Sign up for our morning
  briefing" form inside the body, a "Related" list (inside the content div on some
  posts, Jetpack style, after it on others), a comment-count link, comments and a
  fixed "sticky" subscribe bar.
* ``ld``   – a newer CMS: a single JSON-LD NewsArticle object (no @graph) whose
  ``author`` is a plain string ("Name1, Name2") or, for wire copy, an Organization,
  ``datePublished`` with a -04:00 offset and a later ``dateModified`` (the page also
  shows "Updated ..."); URLs /YYYY/MM/DD/NNNNNNN/; a live-updates box above the
  body, an embedded tweet (``blockquote.twitter-tweet``) inside the body that is
  part of the story, a "Subscribers can read more" paywall teaser after the body,
  a newsletter box and a "Most read" rail. No <article>, no og:type=article; one
  wire story even says og:type=website (a real-world CMS mistake).
* ``bare`` – the legacy county edition: /stories/view/NNNNN, HTML 4 with upper-case
  tags, <center>, <font>, tables, the headline in <h2> (the <title> is generic),
  the byline in ``<i>By Name</i>`` and a date like "March 5, 2024 10:30 AM".
  Each story also has a printer-friendly copy (?print=1) carrying a canonical link.

Ground-truth decisions (documented here because they are judgement calls):

* Wire stories whose JSON-LD author is ``{"@type": "Organization", "name":
  "Associated Wire"}`` expect ``authors == ["Associated Wire"]``: the agency is the
  stated author, and the visible byline says the same.
* ``"author": "Noor Haddad, Dana Whitfield"`` expects two authors.
* A legacy byline "By Walt Pruitt, Register Staff Writer" expects ``["Walt Pruitt"]``
  (the job title is not a name); "By Ada Kessler and Walt Pruitt" expects both.
* Legacy dates with a clock time but no zone ("March 5, 2024 10:30 AM") expect the
  date ``"2024-03-05"``: the project records time and zone where the page gives
  both and falls back to the date otherwise (a zoneless time is not an instant).
  Legacy dates without a time ("March 12, 2024") expect ``"2024-03-12"``.
* WordPress posts expect ``article:published_time`` exactly (the visible <time>
  carries the same instant in the local -04:00 offset).
* The embedded tweet inside an ``ld`` story body is content (its text is a body
  snippet). Pull quotes repeat a sentence of the body and image captions are
  neither required nor forbidden.

``serve()`` starts the site on 127.0.0.1 port 0. ``EXPECTED`` is the per-article
ground truth, ``EXPECTED_NON_ARTICLES`` the pages that must not come out as articles.

The articles, people, obituaries and static texts are in ``data/odd_bylines.json``; the
templates and the assembly of the pages in ``tests/sites/_odd_bylines/``.
"""

from __future__ import annotations

from functools import partial
from urllib.parse import parse_qs

from tests.sites._odd_bylines.content import (
    AD_LABEL,
    ARTICLES,
    BARE,
    BY_KEY,
    COMMENT_LINK,
    FOOTER_NOTE,
    LEGACY_FOOT,
    LEGACY_MAST,
    LIVE_HEAD,
    LIVE_ITEMS,
    MOST_READ,
    NEWSLETTER,
    PAYWALL,
    PEOPLE,
    PRINT_LINK,
    SIGNUP_HEAD,
    SIGNUP_TEXT,
    SITE,
    STICKY,
    STICKY2,
    TAGLINE,
    WEATHER,
    WIRE,
    author_url,
)
from tests.sites._odd_bylines.listings import build_pages, sitemap
from tests.sites._odd_bylines.wordpress import wp_page
from tests.sites.pages import ground_truth
from tests.sites.server import Request, RunningSite
from tests.sites.server import serve as serve_site

__all__ = ["ARTICLES", "BY_KEY", "EXPECTED", "EXPECTED_NON_ARTICLES", "PEOPLE", "SITE", "WIRE",
           "build_pages", "serve"]


SHORTLINKS = {f"/?p={a['wp_id']}": a["path"] for a in ARTICLES if a["kind"] == "wp"}
LD_PATHS = {a["path"] for a in ARTICLES if a["kind"] == "ld"}


def _respond(base: str, pages: dict[str, str], request: Request) -> tuple:
    target = request.target
    path, _, query = target.partition("?")
    if target == "/robots.txt":
        robots = f"User-agent: *\nAllow: /\n\nSitemap: {base}/sitemap.xml\n"
        return 200, robots.encode(), "text/plain; charset=utf-8"
    if target == "/sitemap.xml":
        return 200, sitemap(base, pages).encode(), "application/xml; charset=utf-8"
    if target in pages:
        return 200, pages[target].encode("utf-8"), "text/html; charset=UTF-8"
    if target in SHORTLINKS:
        return 301, b"", "text/html", {"Location": SHORTLINKS[target]}
    if path in LD_PATHS and set(parse_qs(query)) <= {"ref", "utm_source", "utm_medium"}:
        return 200, pages[path].encode("utf-8"), "text/html; charset=UTF-8"
    if not path.endswith("/") and path + "/" in pages:
        return 301, b"", "text/html", {"Location": path + "/"}
    body = wp_page("Page not found", '<main><h1>Nothing here</h1><p>Sorry, that page '
                   'could not be found.</p></main>', body_class="error404")
    return 404, body.encode("utf-8"), "text/html; charset=UTF-8"


def serve() -> RunningSite:
    """Start the site on 127.0.0.1, an ephemeral port, in a daemon thread."""
    return serve_site(lambda base: partial(_respond, base, build_pages(base)),
                      name="odd-bylines-site", server_version="Apache/2.4.58")


# ================================================================== ground truth

_GENERIC_BOILERPLATE = {
    "wp": [SIGNUP_HEAD, SIGNUP_TEXT, STICKY, STICKY2, COMMENT_LINK, FOOTER_NOTE, TAGLINE,
           "Your email address will not be published."],
    "ld": [LIVE_HEAD, LIVE_ITEMS[0][1], LIVE_ITEMS[1][1], PAYWALL, NEWSLETTER, AD_LABEL,
           FOOTER_NOTE, "See subscription options"],
    "bare": [WEATHER, PRINT_LINK, LEGACY_FOOT, LEGACY_MAST, "Other county stories"],
}


def _boilerplate(a: dict) -> list[str]:
    out = list(_GENERIC_BOILERPLATE[a["kind"]])
    if a["kind"] == "wp":
        out += [BY_KEY[k]["title"] for k in a["related"]]
        out += [text for _, text in a["comments"]]
    elif a["kind"] == "ld":
        out += [BY_KEY[k]["title"] for k in MOST_READ if k != a["key"]][:3]
    else:
        out += [o["title"] for o in BARE if o is not a][:2]
        out += [a["byline"], a["shown"]]
    return out


EXPECTED: list[dict] = [ground_truth(a, _boilerplate(a)) for a in ARTICLES]

EXPECTED_NON_ARTICLES: list[str] = [
    "/", "/news/", "/news/page/2/", "/news/local/", "/news/local/page/2/", "/news/local/page/3/",
    "/news/local/schools/", "/news/local/transportation/", "/news/business/", "/news/nation/",
    "/sports/high-school/", "/stories/list?section=county", "/stories/list?section=county&p=2",
    "/2024/03/", "/2024/04/", "/2024/05/", "/search/?q=bridge", "/obituaries/",
    "/obituaries/?p=2", "/subscribe/", "/about/ethics-policy/",
    *(author_url(n) for n in PEOPLE),
]
