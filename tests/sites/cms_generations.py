"""A news site of three CMS generations: "The Harbour Ledger".

Written apart from the crawler's code (standard library only). A fictional newsroom
in Port Calloway whose site mixes three generations of templates, as real news
sites do after CMS migrations:

* ``wp``   – a WordPress-like theme: /YYYY/MM/slug/, /slug-with-words/ and /?p=N
  permalinks, og:type=article + article:published_time, rel="author" bylines,
  "Read also" boxes inside the body, share buttons, newsletter box, related posts
  with excerpts, comments (in <article> elements, as WordPress themes do).
* ``ld``   – a custom "Ledger Features" CMS: JSON-LD @graph (WebSite, Organization,
  BreadcrumbList, WebPage, NewsArticle/BlogPosting, Person), odd class names, a
  cookie banner, ad slots, "Most popular" and no og/<article>.
* ``bare`` – the legacy archive: /news/2024/story_N.htm and /article.php?id=N,
  table layout, plain-text bylines and textual dates, one story using <br><br>.

``serve()`` starts it on 127.0.0.1 port 0. ``EXPECTED`` is the per-article ground
truth, ``EXPECTED_NON_ARTICLES`` the pages that must not come out as articles.

The articles, people and static texts are in ``data/cms_generations.json``; the
templates and the assembly of the pages in ``tests/sites/_cms_generations/``.
"""

from __future__ import annotations

from functools import partial

from tests.sites._cms_generations.content import (
    AD_TEXT,
    ARTICLES,
    BY_KEY,
    CLASSIFIED,
    COOKIE,
    FOOTER_NOTE,
    LEGACY_FOOT,
    MOST_POPULAR,
    NEWSLETTER,
    PEOPLE,
    SHARE,
    SITE,
    TIDES,
    author_url,
    excerpt,
)
from tests.sites._cms_generations.listings import build_pages
from tests.sites._cms_generations.wordpress import wp_page
from tests.sites.pages import ground_truth
from tests.sites.server import Request, RunningSite
from tests.sites.server import serve as serve_site

__all__ = ["ARTICLES", "BY_KEY", "EXPECTED", "EXPECTED_NON_ARTICLES", "PEOPLE", "SITE",
           "build_pages", "serve"]


ROBOTS = "User-agent: *\nDisallow:\n"

# WordPress shortlinks (?p=N) redirect to the pretty permalink, except A3 whose
# permalink *is* the plain ?p= form.
SHORTLINKS = {f"/?p={a['wp_id']}": a["path"] for a in ARTICLES
              if a["kind"] == "wp" and not a["path"].startswith("/?p=")}


def _respond(pages: dict[str, str], request: Request) -> tuple:
    target = request.target
    if target == "/robots.txt":
        return 200, ROBOTS.encode(), "text/plain; charset=utf-8"
    if target in pages:
        return 200, pages[target].encode("utf-8"), "text/html; charset=UTF-8"
    if target in SHORTLINKS:
        return 301, b"", "text/html", {"Location": SHORTLINKS[target]}
    path, _, query = target.partition("?")
    if not path.endswith("/") and "." not in path.rsplit("/", 1)[-1]:
        slashed = path + "/" + (f"?{query}" if query else "")
        if slashed in pages:
            return 301, b"", "text/html", {"Location": slashed}
    body = wp_page("Page not found", '<section class="error-404 not-found"><h1>Oops! That '
                   'page can&rsquo;t be found.</h1></section>', body_class="error404")
    return 404, body.encode("utf-8"), "text/html; charset=UTF-8"


def serve() -> RunningSite:
    """Start the site on 127.0.0.1, an ephemeral port, in a daemon thread."""
    return serve_site(lambda base: partial(_respond, build_pages(base)),
                      name="cms-generations-site", server_version="nginx/1.24.0")


# ================================================================== ground truth

_GENERIC_BOILERPLATE = {
    "wp": [NEWSLETTER, FOOTER_NOTE, SHARE, "Your email address will not be published.",
           "News from Port Calloway, Skerrin and the Wrenmoor coast since 1871",
           "Join the cooperative from £3 a month"],
    "ld": [COOKIE, AD_TEXT, FOOTER_NOTE],
    "bare": [TIDES, CLASSIFIED, LEGACY_FOOT],
}


def _boilerplate(a: dict) -> list[str]:
    out = list(_GENERIC_BOILERPLATE[a["kind"]])
    if a["kind"] == "wp":
        out += [excerpt(BY_KEY[k])[:-4] for k in a["related"]]  # related-post excerpts
        out += [text for _, _, text in a["comments"]]
        if "read_also" in a:
            out.append(BY_KEY[a["read_also"][0]]["title"])
        if "figure" in a:
            out.append("Photo: Lucía Ferrer")
    elif a["kind"] == "ld":
        out += [BY_KEY[k]["title"] for k in MOST_POPULAR if k != a["key"]][:3]
        out += [BY_KEY[k]["title"] for k in a["related"]]
    else:
        out += [BY_KEY[k]["title"] for k in a["related"]]
        out.append(a["byline"])
    return out


EXPECTED: list[dict] = [ground_truth(a, _boilerplate(a)) for a in ARTICLES]

EXPECTED_NON_ARTICLES: list[str] = [
    "/", "/harbour/", "/harbour/page/2/", "/economy/", "/economy/?page=2", "/economy/?page=3",
    "/environment/", "/environment/more?offset=3", "/features/", "/archive/", "/archive/?pg=2",
    "/about-us/", "/privacy-policy/", "/corrections-policy/", "/contact/",
    *(author_url(n) for n in PEOPLE),
    *sorted({f"/tag/{t}/" for a in ARTICLES if a["kind"] == "wp" for t in a["tags"]}),
]
