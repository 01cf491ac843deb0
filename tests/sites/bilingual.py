"""A bilingual (German/English) local news site: "Lahnfurter Bote" / "Lahnfurt Courier".

Written apart from the crawler's code (standard library only). A fictional local paper
in the university town of Lahnfurt an der Lahn, with an English service for the
town's international students and its twin town. Three template generations:

* ``wp``   – a WordPress-like German theme: permalinks with percent-encoded umlauts
  (/lokales/neue-br%C3%BCcke-%C3%BCber-die-lahn/), og:type=article and
  article:published_time, "Von Anna Müller und Jörg Weiß" bylines, share bar,
  newsletter box, "Das könnte Sie auch interessieren", comments, <html lang="de-DE">.
* ``ld``   – a JSON-LD CMS: NewsArticle with inLanguage, an author array and
  datePublished in +02:00; /en/YYYY/MM/DD/slug.html and /de/YYYY/MM/DD/slug.html, the
  two language versions of one story linked by <link rel="alternate" hreflang>. The
  theme hard-codes <html lang="de"> even on English pages (a real-world template bug).
* ``bare`` – the old press-release archive: /meldung.php?nr=20240611-3, table layout,
  unquoted attributes, no lang attribute, plain-text byline and a "11.06.2024" date,
  served as ISO-8859-1 (real Latin-1 bytes).

Traps: a section page served as "text/html" with no charset that links one article
only through a raw (un-encoded) UTF-8 href, a 60-word news brief, a photo gallery with
og:type=article, Impressum and Datenschutz pages with long legal prose, an event
calendar (/termine/2024-06-11/) with prev/next links over 21 days, tag pages,
pagination, a linked 404 (withdrawn story), a tracking-parameter link to an article
and a robots.txt-disallowed /intern/ page that looks like an article.

``serve()`` starts it on 127.0.0.1 port 0 in a daemon thread (its ``requests()`` log
every request). ``EXPECTED`` is the per-article ground truth, ``EXPECTED_NON_ARTICLES``
the pages that must not come out as articles, ``DISALLOWED`` the path prefixes
robots.txt forbids.

The articles, authors, gallery and legal texts are in ``data/bilingual.json``; the
templates and the assembly of the pages in ``tests/sites/_bilingual/``.
"""

from __future__ import annotations

from datetime import timedelta
from functools import partial
from http.server import BaseHTTPRequestHandler
from urllib.parse import unquote

from tests.sites._bilingual.assembly import CAL_FIRST, CAL_LAST, build_pages
from tests.sites._bilingual.content import (
    ARTICLES,
    BARE_FOOT,
    BARE_NAV_NOTE,
    BY_KEY,
    COMMENT_NOTE,
    COOKIE,
    GALLERY,
    INTERN,
    LD_FOOTER,
    MOST_READ_DE,
    MOST_READ_EN,
    NEWSLETTER,
    NEWSLETTER_HEAD,
    RELATED_HEAD,
    SHARE,
    WITHDRAWN,
    WP_AUTHORS,
    WP_FOOTER,
    enc_path,
    excerpt,
)
from tests.sites._bilingual.legacy import bare_others
from tests.sites._bilingual.wordpress import wp_page
from tests.sites.pages import ground_truth
from tests.sites.server import Request, RunningSite
from tests.sites.server import serve as serve_site

__all__ = ["ARTICLES", "BY_KEY", "DISALLOWED", "EXPECTED", "EXPECTED_NON_ARTICLES", "GALLERY",
           "INTERN", "WITHDRAWN", "build_pages", "enc_path", "serve"]

DISALLOWED = ["/intern/"]
ROBOTS = "User-agent: *\n" + "".join(f"Disallow: {p}\n" for p in DISALLOWED)


def _respond(pages: dict[str, tuple[bytes, str]], request: Request) -> tuple:
    path, _, query = request.target.partition("?")
    path = unquote(path)
    if path == "/robots.txt":
        return 200, ROBOTS.encode(), "text/plain; charset=utf-8"
    full = path + (f"?{query}" if query else "")
    if full in pages:
        return 200, *pages[full]
    # WordPress ignores unknown query parameters (tracking links such as ?pk_campaign=)
    if query and path in pages and path.endswith("/"):
        return 200, *pages[path]
    if not path.endswith("/") and path + "/" in pages and "." not in path[-6:]:
        return 301, b"", "text/html", {"Location": enc_path(path + "/")}
    body = wp_page("Seite nicht gefunden", '<main id="main"><section class="error-404">'
                   '<h1>Hoppla! Diese Seite gibt es nicht (mehr).</h1></section></main>',
                   body_class="error404")
    return 404, body.encode("utf-8"), "text/html; charset=UTF-8"


def serve() -> RunningSite:
    """Start the site on 127.0.0.1, an ephemeral port, in a daemon thread."""
    # the Server header keeps http.server's "Python/3.x.y" after the product name
    return serve_site(lambda base: partial(_respond, build_pages(base)),
                      name="bilingual-site", server_version="Apache/2.4.58 (Debian)",
                      sys_version=BaseHTTPRequestHandler.sys_version)


# ================================================================== ground truth

def _boilerplate(a: dict) -> list[str]:
    if a["kind"] == "wp":
        out = [SHARE, NEWSLETTER_HEAD, NEWSLETTER, RELATED_HEAD, WP_FOOTER,
               "Schreiben Sie einen Kommentar", COMMENT_NOTE]
        out += [excerpt(BY_KEY[k]).removesuffix(" […]") for k in a["related"]]
        out += [text for _, text in a["comments"]]
        if a["comments"]:
            out.append(f"Kommentare ({len(a['comments'])})")
        if a.get("read_also"):
            out += ["Lesen Sie auch:", BY_KEY[a["read_also"]]["title"]]
        return out
    if a["kind"] == "ld":
        out = [COOKIE, LD_FOOTER, MOST_READ_EN if a["lang"] == "en" else MOST_READ_DE]
        if a.get("pair"):
            out.append("Diesen Artikel auf Deutsch lesen" if a["lang"] == "en"
                       else "Read this story in English")
        return out
    out = [BARE_FOOT, BARE_NAV_NOTE, "Druckversion", a["byline"]]
    out += [b["title"] for b in bare_others(a)]
    return out


EXPECTED: list[dict] = [
    ground_truth(a, _boilerplate(a), path=enc_path(a["path"]), language=a["language"])
    for a in ARTICLES
]

# The photo gallery is listed as a NON-article on purpose. It carries og:type=article
# and article:published_time (WordPress themes emit those for every post format), but it
# has no reporting: one "Fotos: ..." credit and seven captions of 3-6 words (about 35
# words, none of them sentences of a story). An archive record for it would have an
# empty or caption-only "text". A crawler that archives it is following the metadata
# literally; that is a defensible but, in our view, wrong decision.
EXPECTED_NON_ARTICLES: list[str] = [
    "/", "/lokales/", "/lokales/seite/2/", "/kultur/", "/sport/", "/en/", "/de/",
    "/meldungen.php", "/impressum/", "/datenschutz/",
    enc_path(GALLERY["path"]),
    enc_path(WITHDRAWN),
    enc_path(INTERN),
    *sorted({f"/thema/{t}/" for a in ARTICLES if a["kind"] == "wp" for t in a["tags"]}),
    *(f"/autor/{slug}/" for slug, _ in WP_AUTHORS.values()),
    *(f"/termine/{(CAL_FIRST + timedelta(days=i)).isoformat()}/"
      for i in range((CAL_LAST - CAL_FIRST).days + 1)),
]
