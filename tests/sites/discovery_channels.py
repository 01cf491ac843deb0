"""A news site whose stories need every discovery channel: "The Tarrowdale Courier".

Written apart from the crawler's code (standard library only). A fictional regional
paper for the market town of Kellsbridge, the Tarrow valley and the high moor, with
four sections: Local, Business, Countryside and Arts & Life. Articles live at
``/news/<section>/<id>/<slug>`` (no trailing slash) whatever the way they are found,
so the URL does not tell a crawler which channel an article came from.

Articles are reachable through three channels, and each channel is needed:

* ``section`` (12): home page -> section pages (``/sections/<name>/``) -> paginated
  listings (``/sections/<name>/?page=2``; Arts & Life uses ``/sections/arts/page/2/``)
  -> articles. Two stories a page; the oldest story of every section is linked only
  from page 2 of its listing.
* ``feed`` (5): linked from no HTML page. The home page advertises the site-wide
  RSS 2.0 feed (``/feeds/latest.xml``, its newest ten stories: three feed-only ones)
  with ``<link rel="alternate" type="application/rss+xml">`` and no ``<a>`` to it.
  The Business section page advertises an Atom feed (``/feeds/business.atom``), the
  Countryside section page an RSS 1.0 (RDF) feed (``/feeds/countryside.rdf``,
  advertised as ``application/rss+xml``); each carries one feed-only story of its own
  that is too old for the site-wide feed.
* ``sitemap`` (5): in no HTML page and no feed, only in the Google News sitemap
  ``/sitemaps/news.xml.gz`` (served as a gzip *file*: application/x-gzip, no
  Content-Encoding), which the sitemap index ``/sitemaps/index.xml`` (named by
  robots.txt) lists next to ``/sitemaps/stories.xml`` (the section stories, with
  lastmod) and ``/sitemaps/archive-2019.xml``.
* ``old`` (2): published in 2019, only in ``/sitemaps/archive-2019.xml`` (lastmod
  2019). Ground truth only when no ``since`` filter applies: ``OLD_ARTICLES``.

robots.txt disallows ``/members/`` (two article-looking pages linked from the home
page) and ``/search`` (linked "popular searches"), has a ``BadBot`` group and a
``Crawl-delay`` (``serve(crawl_delay=...)``, omitted when 0).

Traps, all linked from ordinary pages and none holding an article: an endless event
calendar (``/calendar/YYYY/MM/`` and ``/calendar/YYYY/MM/DD/`` answer for any year
1-9999, with prev/next links), a faceted events guide (``/events/?type=&venue=&sort=``,
120 URLs), endless community notices (``/notices/?page=N`` always links N+1; from page
4 on the bodies differ only in that link), ``?sessionid=`` and ``;jsessionid=`` links
that change on every render (footer links, "Most read" on story pages), and ``/lite/``,
a byte-identical copy of the home page. ``BUSY_PATH`` answers its first request with
429 and ``Retry-After: 1``, then 200.

``serve()`` starts a fresh instance on 127.0.0.1 port 0; its ``hits()``, ``times()``
and ``requests()`` show what was asked when (``tests.sites.server``).

The articles, members' stories, people and static texts are in
``data/discovery_channels.json``; the pages, traps, feeds and sitemaps in
``tests/sites/_discovery_channels/``.
"""

from __future__ import annotations

import gzip
import re
import threading
from calendar import monthrange
from datetime import date
from urllib.parse import parse_qsl

from tests.sites._discovery_channels.content import (
    ARTICLES,
    BY_KEY,
    CONTACT,
    COOKIE,
    DEEP,
    FOOTER_NOTE,
    MEMBERS,
    NEWSLETTER,
    PEOPLE,
    PRIVACY,
    SECTIONS,
    SITE,
    TAGLINE,
    TAGS,
    author_url,
    most_read,
    section_pages,
    section_url,
)
from tests.sites._discovery_channels.stories import (
    render_about,
    render_article,
    render_home,
    render_members,
    render_person,
    render_search,
    render_section,
    render_static,
    render_topic,
    shell,
)
from tests.sites._discovery_channels.syndication import (
    ARCHIVE_SITEMAP_PATH,
    NEWS_SITEMAP_PATH,
    OLD_STORIES,
    PAGES_SITEMAP_PATH,
    SECTION_STORIES,
    SITEMAP_INDEX_PATH,
    STORIES_SITEMAP_PATH,
    atom_feed,
    news_sitemap,
    pages_sitemap,
    rdf_feed,
    robots,
    rss_feed,
    sitemap_index,
    url_sitemap,
)
from tests.sites._discovery_channels.traps import (
    month_url,
    render_day,
    render_events,
    render_month,
    render_notices,
)
from tests.sites.pages import ground_truth
from tests.sites.server import Request, RunningSite
from tests.sites.server import serve as serve_site

__all__ = [
    "ARCHIVE_SITEMAP_PATH", "ARTICLES", "BUSY_PATH", "BY_KEY", "DEEP_PATHS", "EXPECTED",
    "EXPECTED_NON_ARTICLES", "FEED_ADVERTISED_ON", "FEED_ONLY_PATHS", "FEED_PATHS",
    "FORBIDDEN_PREFIXES", "MEMBERS", "MEMBERS_PATHS", "NEWS_SITEMAP_PATH", "OLD_ARTICLES",
    "OLD_PATHS", "PAGES_SITEMAP_PATH", "PEOPLE", "SECTIONS", "SECTION_PATHS", "SITE",
    "SITEMAP_INDEX_PATH", "SITEMAP_ONLY_PATHS", "STORIES_SITEMAP_PATH", "TRAP_PREFIXES",
    "serve", "strip_session",
]

FEED_PATHS = ["/feeds/latest.xml", "/feeds/business.atom", "/feeds/countryside.rdf"]
# Which page advertises which feed, with <link rel="alternate" type=...> (no <a> links).
FEED_ADVERTISED_ON = {"/feeds/latest.xml": ("/", "application/rss+xml"),
                      "/feeds/business.atom": ("/sections/business/", "application/atom+xml"),
                      "/feeds/countryside.rdf": ("/sections/countryside/",
                                                 "application/rss+xml")}
BUSY_PATH = BY_KEY["B2"]["path"]
FORBIDDEN_PREFIXES = ["/members/", "/search"]
TRAP_PREFIXES = ["/calendar/", "/events/", "/notices/", "/lite/"]
SESSION_PARAMS = re.compile(r";jsessionid=[0-9A-Fa-f]*|(?<=[?&])sessionid=[0-9a-f]*&?")

HTML = "text/html; charset=utf-8"
XML = "application/xml; charset=utf-8"
CSS = b"body{font-family:Georgia,serif;max-width:60em;margin:auto}.cookie-bar{background:#eee}"
_CALENDAR_MONTH = re.compile(r"/calendar/(\d{4})/(\d{2})/")
_CALENDAR_DAY = re.compile(r"/calendar/(\d{4})/(\d{2})/(\d{2})/")
_ARTS_PAGE = re.compile(r"/sections/arts/page/(\d+)/")
_SECTION = re.compile(r"/sections/([a-z]+)/")


def _not_found() -> tuple:
    body = shell(f"Page not found | {SITE}", "<h1>Sorry, we could not find that page.</h1>",
                 page_class="error", session=False)
    return 404, body.encode(), HTML


def _number(text: str | None, default: int = 1) -> int:
    return int(text) if text and text.isdigit() and len(text) < 9 else default


def _start(base: str, crawl_delay: float):
    lock = threading.Lock()
    busy = {"answered": False}

    home = render_home(base).encode()
    fixed: dict[str, tuple] = {
        "/": (200, home, HTML), "/lite/": (200, home, HTML),
        "/robots.txt": (200, robots(base, crawl_delay).encode(), "text/plain; charset=utf-8"),
        "/static/courier.css": (200, CSS, "text/css"),
        "/feeds/latest.xml": (200, rss_feed(base).encode(), "application/rss+xml; charset=utf-8"),
        "/feeds/business.atom": (200, atom_feed(base).encode(),
                                 "application/atom+xml; charset=utf-8"),
        "/feeds/countryside.rdf": (200, rdf_feed(base).encode(),
                                   "application/rdf+xml; charset=utf-8"),
        SITEMAP_INDEX_PATH: (200, sitemap_index(base).encode(), XML),
        NEWS_SITEMAP_PATH: (200, gzip.compress(news_sitemap(base).encode(), mtime=0),
                            "application/x-gzip"),
        STORIES_SITEMAP_PATH: (200, url_sitemap(base, SECTION_STORIES).encode(), XML),
        ARCHIVE_SITEMAP_PATH: (200, url_sitemap(base, OLD_STORIES).encode(), XML),
        PAGES_SITEMAP_PATH: (200, pages_sitemap(base).encode(), XML),
    }
    stories = {a["path"]: a for a in ARTICLES}
    members = {m["path"]: m for m in MEMBERS}
    people = {p["slug"]: n for n, p in PEOPLE.items()}
    pages = {"/about": render_about,
             "/contact": lambda: render_static("Contact the newsroom", CONTACT),
             "/privacy": lambda: render_static("Privacy", PRIVACY)}

    def route(path: str, params: dict[str, str]) -> tuple:
        if path in fixed:
            return fixed[path]
        if path in stories:
            if path == BUSY_PATH:
                with lock:
                    first, busy["answered"] = not busy["answered"], True
                if first:
                    return (429, b"<html><body><h1>Too many requests</h1></body></html>", HTML,
                            {"Retry-After": "1"})
            return 200, render_article(stories[path], base).encode(), HTML
        if path.rstrip("/") in stories:
            return 301, b"", HTML, {"Location": path.rstrip("/")}
        if path in members:
            return 200, render_members(members[path], base).encode(), HTML
        if path in pages:
            return 200, pages[path]().encode(), HTML
        if path == "/search":
            return 200, render_search(params.get("q", "")).encode(), HTML
        if path.startswith("/people/") and path[8:] in people:
            return 200, render_person(people[path[8:]]).encode(), HTML
        if path.startswith("/topics/") and path[8:] in TAGS:
            return 200, render_topic(path[8:]).encode(), HTML
        if m := _SECTION.fullmatch(path):
            section = m.group(1)
            if section in SECTIONS:
                page = 1 if section == "arts" else _number(params.get("page"))
                if 1 <= page <= section_pages(section):
                    return 200, render_section(section, page).encode(), HTML
        if m := _ARTS_PAGE.fullmatch(path):
            page = int(m.group(1))
            if page == 1:
                return 301, b"", HTML, {"Location": section_url("arts")}
            if 1 < page <= section_pages("arts"):
                return 200, render_section("arts", page).encode(), HTML
        if path in ("/calendar/", "/calendar"):
            return 302, b"", HTML, {"Location": month_url(2026, 3)}
        if m := _CALENDAR_MONTH.fullmatch(path):
            year, month = int(m.group(1)), int(m.group(2))
            if year >= 1 and 1 <= month <= 12:
                return 200, render_month(year, month).encode(), HTML
        if m := _CALENDAR_DAY.fullmatch(path):
            year, month, day = (int(g) for g in m.groups())
            if year >= 1 and 1 <= month <= 12 and 1 <= day <= monthrange(year, month)[1]:
                return 200, render_day(date(year, month, day)).encode(), HTML
        if path == "/events/":
            return 200, render_events(params).encode(), HTML
        if path == "/notices/":
            return 200, render_notices(_number(params.get("page"))).encode(), HTML
        return _not_found()

    def respond(request: Request) -> tuple:
        path, _, query = request.target.partition("?")
        path = re.sub(r";jsessionid=[^/?]*", "", path, flags=re.I)
        params = dict(parse_qsl(query, keep_blank_values=True))
        params.pop("sessionid", None)
        return route(path, params)

    return respond


def serve(crawl_delay: float = 0.2) -> RunningSite:
    """Start a fresh instance (its own request log and 429 state) on 127.0.0.1, port 0."""
    return serve_site(lambda base: _start(base, crawl_delay), name="discovery-channels-site",
                      server_version="Apache/2.4.62 (Debian)")


def strip_session(url: str) -> str:
    """The URL without its ;jsessionid= or sessionid= parameter."""
    url = SESSION_PARAMS.sub("", url)
    return url[:-1] if url.endswith(("?", "&")) else url


# ============================================================================ ground truth

def _boilerplate(a: dict) -> list[str]:
    return [NEWSLETTER, FOOTER_NOTE, COOKIE, TAGLINE, *(r["title"] for r in most_read(a))]


def _truth(a: dict) -> dict:
    return ground_truth(a, _boilerplate(a), channel=a["channel"], section=a["section"],
                        tags=list(a["tags"]))


# Every article a crawl without a ``since`` filter after 2019 should find (section,
# feed-only and sitemap-only), and the two 2019 stories (only with no ``since``).
EXPECTED: list[dict] = [_truth(a) for a in ARTICLES if a["channel"] != "old"]
OLD_ARTICLES: list[dict] = [_truth(a) for a in ARTICLES if a["channel"] == "old"]

SECTION_PATHS = [a["path"] for a in ARTICLES if a["channel"] == "section"]
DEEP_PATHS = [a["path"] for a in DEEP]
FEED_ONLY_PATHS = [a["path"] for a in ARTICLES if a["channel"] == "feed"]
SITEMAP_ONLY_PATHS = [a["path"] for a in ARTICLES if a["channel"] == "sitemap"]
OLD_PATHS = [a["path"] for a in ARTICLES if a["channel"] == "old"]
MEMBERS_PATHS = [m["path"] for m in MEMBERS]

EXPECTED_NON_ARTICLES: list[str] = [
    "/", "/lite/",
    *(section_url(s, p) for s in SECTIONS for p in range(1, section_pages(s) + 1)),
    "/about", "/contact", "/privacy",
    *(author_url(n) for n in PEOPLE),
    *sorted({f"/topics/{t}" for a in ARTICLES if a["channel"] == "section" for t in a["tags"]}),
    "/calendar/2026/03/", "/events/", "/notices/",
]
