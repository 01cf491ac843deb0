"""Self-check of the Courier, the discovery-channels site (tests/sites/); no crawling.

Guards the fixture itself: every article renders with its ground truth, each of the
three discovery channels (section pages, feeds, news sitemap) is really needed, and
the traps, robots.txt, the 429 page and the request log behave as documented.
"""

from __future__ import annotations

import gzip
import html
import json
import re
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections import deque
from datetime import datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin

import pytest

from tests.sites import discovery_channels as courier
from tests.sites.checks import assert_no_problems, page_problems, url_key

STORIES = {a["path"]: " ".join(a["body"]) for a in courier.ARTICLES}
HREF = re.compile(r"""<a\b[^>]*?\bhref\s*=\s*["']([^"'#]*)["']""", re.I)
ALTERNATE = re.compile(r'<link rel="alternate" type="([^"]+)"[^>]*href="([^"]+)"')
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
      "news": "http://www.google.com/schemas/sitemap-news/0.9",
      "atom": "http://www.w3.org/2005/Atom",
      "rss1": "http://purl.org/rss/1.0/",
      "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
      "dc": "http://purl.org/dc/elements/1.1/"}


def get(url: str) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def text(url: str) -> str:
    """The page as text, asking once more after a 429 (the busy article)."""
    status, _, body = get(url)
    if status == 429:
        status, _, body = get(url)
    assert status == 200, f"{url}: {status}"
    return body.decode("utf-8")


def paths_in(base: str, urls: list[str]) -> list[str]:
    assert all(u.startswith(base + "/") for u in urls), urls
    return [url_key(u) for u in urls]


def skipped(key: str) -> bool:
    return key.startswith(tuple(courier.TRAP_PREFIXES + courier.FORBIDDEN_PREFIXES))


def walk(base: str, *, pagination: bool = True, cap: int = 300
         ) -> tuple[set[str], dict[str, str]]:
    """BFS over <a href> from the home page, session ids removed; trap and robots-
    forbidden pages are seen but not fetched. (keys seen, {key: markup fetched})."""
    seen, queue, pages = {"/"}, deque(["/"]), {}
    while queue and len(pages) < cap:
        key = queue.popleft()
        if skipped(key) or (not pagination and ("page=" in key or "/page/" in key)):
            continue
        pages[key] = text(base + key)
        for href in HREF.findall(pages[key]):
            url = urljoin(base + key, html.unescape(href))
            if url.startswith(base + "/"):
                k = url_key(courier.strip_session(url))
                if k not in seen:
                    seen.add(k)
                    queue.append(k)
    assert len(pages) < cap, "the walk did not end: a trap is not skipped"
    return seen, pages


@pytest.fixture(scope="module")
def running():
    with courier.serve() as running:
        yield running


@pytest.fixture(scope="module")
def site(running):
    """The base URL of the running site."""
    return running.base


@pytest.fixture(scope="module")
def reached(site):
    return walk(site)


def xml_of(base: str, path: str) -> ET.Element:
    return ET.fromstring(get(base + path)[2])


def feed_paths(base: str) -> dict[str, list[str]]:
    """{feed path: article paths}; every item must carry its date."""
    rss = xml_of(base, "/feeds/latest.xml")
    items = rss.findall("./channel/item")
    assert all(parsedate_to_datetime(i.findtext("pubDate")).tzinfo for i in items)
    atom = xml_of(base, "/feeds/business.atom")
    entries = atom.findall("atom:entry", NS)
    for e in entries:
        for field in ("atom:published", "atom:updated"):
            assert datetime.fromisoformat(e.findtext(field, namespaces=NS)).tzinfo
    rdf = xml_of(base, "/feeds/countryside.rdf")
    rdf_items = rdf.findall("rss1:item", NS)
    assert all(datetime.fromisoformat(i.findtext("dc:date", namespaces=NS)).tzinfo
               for i in rdf_items)
    return {
        "/feeds/latest.xml": paths_in(base, [i.findtext("link") for i in items]),
        "/feeds/business.atom": paths_in(base, [
            e.find("atom:link[@rel='alternate']", NS).get("href") for e in entries]),
        "/feeds/countryside.rdf": paths_in(base, [i.findtext("rss1:link", namespaces=NS)
                                                  for i in rdf_items]),
    }


def sitemap_entries(base: str, path: str) -> dict[str, str]:
    """{article path: lastmod} of a plain sitemap."""
    root = xml_of(base, path)
    return {url_key(u.findtext("sm:loc", namespaces=NS)): u.findtext("sm:lastmod", namespaces=NS)
            for u in root.findall("sm:url", NS)}


# ============================================================================ content

def test_articles_are_varied_and_complete():
    counts = {c: sum(a["channel"] == c for a in courier.ARTICLES)
              for c in ("section", "feed", "sitemap", "old")}
    assert counts == {"section": 12, "feed": 5, "sitemap": 5, "old": 2}
    assert len(courier.EXPECTED) == 22 and len(courier.OLD_ARTICLES) == 2
    assert {e["path"] for e in courier.EXPECTED}.isdisjoint(e["path"] for e in courier.OLD_ARTICLES)
    seen_paragraphs: set[str] = set()
    for a in courier.ARTICLES:
        assert len(a["body"]) >= 6 and len(" ".join(a["body"]).split()) >= 250, a["key"]
        assert seen_paragraphs.isdisjoint(a["body"]), a["key"]
        seen_paragraphs.update(a["body"])
        assert all(s in STORIES[a["path"]] for s in a["snippets"]), a["key"]
        assert set(a["authors"]) <= set(courier.PEOPLE) and a["tags"]
        published = datetime.fromisoformat(a["published"])
        assert published.tzinfo is not None
        assert published.year in ((2019,) if a["channel"] == "old" else (2025, 2026))
    assert sum(len(a["authors"]) == 2 for a in courier.ARTICLES) >= 4
    assert {a["kind"] for a in courier.ARTICLES} == {"og", "ld"}
    assert len({a["path"] for a in courier.ARTICLES}) == len(courier.ARTICLES)


def test_article_pages_match_ground_truth(site):
    truth = courier.EXPECTED + courier.OLD_ARTICLES
    assert_no_problems(page_problems(site, truth, STORIES, get=text, story_has_body=True))
    for a in courier.ARTICLES:
        page = text(site + a["path"])
        assert f'<link rel="canonical" href="{site}{a["path"]}">' in page
        assert "<article" in page and all(html.escape(n) in page for n in a["authors"])
        if a["kind"] == "og":
            assert '<meta property="og:type" content="article">' in page
            assert (f'<meta property="article:published_time" content="{a["published"]}">'
                    in page)
        else:
            ld = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
            data = json.loads(ld.group(1).replace("<\\/", "</"))
            assert data["@type"] == "NewsArticle" and data["datePublished"] == a["published"]
            assert "og:type" not in page


def test_non_articles_do_not_look_like_articles(site):
    extra = ["/calendar/2026/03/28/", "/events/?type=music", "/notices/?page=9",
             "/search?q=bypass"]
    for path in courier.EXPECTED_NON_ARTICLES + extra:
        page = text(site + path)
        assert "<article" not in page and 'content="article"' not in page, path
        assert "NewsArticle" not in page, path


# ============================================================================ channels

def test_section_channel_needs_the_pagination(site, reached):
    seen, pages = reached
    assert set(courier.SECTION_PATHS) <= seen
    assert set(courier.EXPECTED_NON_ARTICLES) <= seen
    assert set(courier.MEMBERS_PATHS) <= seen and not any(p.startswith("/members/") for p in pages)
    articles = {p for p in pages if p.startswith("/news/")}
    assert articles == set(courier.SECTION_PATHS)
    shallow, _ = walk(site, pagination=False)
    assert set(courier.DEEP_PATHS) and shallow.isdisjoint(courier.DEEP_PATHS)
    assert set(courier.SECTION_PATHS) - set(courier.DEEP_PATHS) <= shallow


def test_feed_only_articles_are_only_in_feeds(site, reached):
    seen, pages = reached
    feeds = feed_paths(site)
    in_feeds = {p for paths in feeds.values() for p in paths}
    for path in courier.FEED_ONLY_PATHS:
        assert path not in seen
        assert not any(path in markup for markup in pages.values())
    expected = {"rss": "/feeds/latest.xml", "atom": "/feeds/business.atom",
                "rdf": "/feeds/countryside.rdf"}
    for a in courier.ARTICLES:
        if a["channel"] == "feed":  # each feed has one feed-only story no other feed has
            assert [f for f, paths in feeds.items() if a["path"] in paths] == [expected[a["feed"]]]
    assert in_feeds.isdisjoint(courier.SITEMAP_ONLY_PATHS + courier.OLD_PATHS)
    assert in_feeds - set(courier.FEED_ONLY_PATHS) <= set(courier.SECTION_PATHS)
    # Feeds are advertised by <link rel="alternate">, never linked with <a>.
    assert seen.isdisjoint(courier.FEED_PATHS)
    assert not any(f"<a href=\"{p}" in m for m in pages.values() for p in courier.FEED_PATHS)
    for feed, (page, kind) in courier.FEED_ADVERTISED_ON.items():
        advertised = [(t, url_key(urljoin(site + page, href)))
                      for t, href in ALTERNATE.findall(text(site + page))]
        assert (kind, feed) in advertised, (feed, page)
    home_feeds = ALTERNATE.findall(text(site + "/"))
    assert [t for t, _ in home_feeds] == ["application/rss+xml"]


def test_sitemap_only_articles_are_only_in_the_news_sitemap(site, reached):
    seen, pages = reached
    robots = text(site + "/robots.txt")
    assert f"Sitemap: {site}{courier.SITEMAP_INDEX_PATH}" in robots.splitlines()
    index = xml_of(site, courier.SITEMAP_INDEX_PATH)
    listed = {url_key(s.findtext("sm:loc", namespaces=NS)): s.findtext("sm:lastmod", namespaces=NS)
              for s in index.findall("sm:sitemap", NS)}
    assert set(listed) == {courier.NEWS_SITEMAP_PATH, courier.STORIES_SITEMAP_PATH,
                           courier.ARCHIVE_SITEMAP_PATH}
    assert listed[courier.ARCHIVE_SITEMAP_PATH].startswith("2019-")

    status, headers, raw = get(site + courier.NEWS_SITEMAP_PATH)
    assert status == 200 and headers["Content-Type"] == "application/x-gzip"
    assert headers.get("Content-Encoding") is None and raw[:2] == b"\x1f\x8b"
    news = ET.fromstring(gzip.decompress(raw))
    in_news = []
    for url in news.findall("sm:url", NS):
        item = url.find("news:news", NS)
        assert item.findtext("news:publication/news:name", namespaces=NS) == courier.SITE
        assert item.findtext("news:publication/news:language", namespaces=NS) == "en"
        assert datetime.fromisoformat(
            item.findtext("news:publication_date", namespaces=NS)).tzinfo
        assert item.findtext("news:title", namespaces=NS)
        in_news.append(url_key(url.findtext("sm:loc", namespaces=NS)))
    assert set(courier.SITEMAP_ONLY_PATHS) <= set(in_news)

    stories = sitemap_entries(site, courier.STORIES_SITEMAP_PATH)
    assert set(stories) == set(courier.SECTION_PATHS) and all(stories.values())
    archive = sitemap_entries(site, courier.ARCHIVE_SITEMAP_PATH)
    assert set(archive) == set(courier.OLD_PATHS)
    assert all(m.startswith("2019-") for m in archive.values())

    in_feeds = {p for paths in feed_paths(site).values() for p in paths}
    in_sitemaps = set(in_news) | set(stories) | set(archive)
    assert in_sitemaps.isdisjoint(courier.FEED_ONLY_PATHS)
    for path in courier.SITEMAP_ONLY_PATHS + courier.OLD_PATHS:
        assert path not in seen and path not in in_feeds
        assert not any(path in markup for markup in pages.values())


# ============================================================================ server

def test_robots_txt(site):
    lines = text(site + "/robots.txt").splitlines()
    star = lines.index("User-agent: *")
    assert lines.index("User-agent: BadBot") < star
    assert lines[lines.index("User-agent: BadBot") + 1] == "Disallow: /"
    assert {"Disallow: /members/", "Disallow: /search", "Crawl-delay: 0.2"} <= set(lines[star:])


def test_busy_article_answers_429_once_then_200():
    with courier.serve(crawl_delay=0) as fresh:
        base = fresh.base
        status, headers, _ = get(base + courier.BUSY_PATH)
        assert status == 429 and headers["Retry-After"] == "1"
        assert get(base + courier.BUSY_PATH)[0] == 200
        assert get(base + courier.BUSY_PATH)[0] == 200
        assert fresh.hits()[courier.BUSY_PATH] == 3
        assert not any(line.startswith("Crawl-delay") for line in
                       text(base + "/robots.txt").splitlines())


def test_calendar_never_ends(site):
    for year, month, prev, nxt in [(1850, 1, "/calendar/1849/12/", "/calendar/1850/02/"),
                                   (2300, 12, "/calendar/2300/11/", "/calendar/2301/01/"),
                                   (2026, 3, "/calendar/2026/02/", "/calendar/2026/04/")]:
        page = text(site + f"/calendar/{year}/{month:02d}/")
        assert f'href="{prev}"' in page and f'href="{nxt}"' in page
        assert f'href="/calendar/{year}/{month:02d}/28/"' in page
    day = text(site + "/calendar/2300/12/31/")
    assert 'href="/calendar/2301/01/01/"' in day and 'href="/calendar/2300/12/30/"' in day
    assert get(site + "/calendar/2026/02/30/")[0] == 404


def test_other_traps(site):
    assert get(site + "/lite/")[2] == get(site + "/")[2]
    five, six = text(site + "/notices/?page=5"), text(site + "/notices/?page=6")
    assert 'href="/notices/?page=6"' in five and 'href="/notices/?page=7"' in six
    assert five.replace("page=6", "page=7") == six
    events = text(site + "/events/?type=music&venue=library&sort=date")
    facets = set(re.findall(r'href="(/events/[^"]*)"', events))
    # Itself, the other 5 + 4 + 3 choices of type, venue and sort, and the footer's guide.
    assert len(facets) == 1 + 5 + 4 + 3 + 1 and "/events/" in facets
    assert "/events/?type=talks&amp;venue=library&amp;sort=date" in facets
    # Session ids change on every render; the page behind them does not.
    article = courier.SECTION_PATHS[0]
    first, second = text(site + article), text(site + article)
    assert first != second and courier.strip_session(first) == courier.strip_session(second)
    about = text(site + "/about;jsessionid=0123ABCD")
    assert courier.strip_session(about) == courier.strip_session(text(site + "/about"))
    contact = text(site + "/contact?sessionid=abc123")
    assert courier.strip_session(contact) == courier.strip_session(text(site + "/contact"))


def test_request_log(running, site):
    target = "/notices/?page=12&sessionid=feed"
    before = running.hits().get(target, 0)
    get(site + target)
    get(site + target)
    assert running.hits()[target] == before + 2
    stamps = running.times()[target]
    assert len(stamps) == before + 2 and stamps == sorted(stamps)
    assert any(r["path"] == target and r["user_agent"].startswith("Python-urllib")
               for r in running.requests())
    # The log as JSON for a test that only has the URL; control endpoints are not logged.
    status, _, body = get(site + "/__requests__")
    assert status == 200 and json.loads(body) == running.requests()
    assert "/__requests__" not in running.hits()
