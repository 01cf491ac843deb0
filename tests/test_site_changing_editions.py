"""Self-check of the Gazette, the changing-editions site (tests/sites/); no crawling.

Guards the fixture itself: the content and its ground truth, reachability through the
sections' pagination and the sitemap, the validators and conditional requests (RFC 9110),
the switch to edition 2 (two new stories, one corrected story, every other story
byte-identical), the options and the request log.
"""

from __future__ import annotations

import html
import json
import re
import threading
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections import Counter, deque
from datetime import UTC, datetime, timedelta
from email.message import Message
from email.utils import format_datetime, parsedate_to_datetime
from urllib.parse import urljoin

import pytest

from tests.sites import changing_editions as gazette
from tests.sites.checks import page_text, url_key

HREF = re.compile(r"""<a\b[^>]*?\bhref\s*=\s*["']([^"'#]*)["']""", re.I)
LD_JSON = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
SM = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
ED1 = gazette.articles(1)
ED1_PATHS = [a["path"] for a in ED1]
UNCHANGED = [p for p in ED1_PATHS if p != gazette.EDITED_PATH]
PINNED_EDIT = "2026-11-26T15:04:05+00:00"
CONDITIONAL_PATHS = [gazette.EDITED_PATH, ED1_PATHS[0], "/", "/section/fens/",
                     "/section/town/page/2/", "/feed.xml", "/sitemap.xml", "/robots.txt",
                     "/about/"]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def get(url: str, headers: dict[str, str] | None = None, method: str = "GET"
        ) -> tuple[int, Message, bytes]:
    """(status, headers, body) without following redirects; errors are answers too."""
    request = urllib.request.Request(url, headers=headers or {}, method=method)
    try:
        with _OPENER.open(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        try:
            return error.code, error.headers, error.read()
        finally:
            error.close()


def ok(url: str) -> str:
    status, _, body = get(url)
    assert status == 200, f"{url}: {status}"
    return body.decode("utf-8")


def walk(base: str) -> tuple[set[str], dict[str, str]]:
    """BFS over <a href> from the home page: (paths seen, {path: HTML of pages fetched})."""
    seen, queue, pages = {"/"}, deque(["/"]), {}
    while queue:
        path = queue.popleft()
        status, headers, body = get(base + path)
        if status != 200 or headers.get_content_type() != "text/html":
            continue
        pages[path] = body.decode("utf-8")
        for href in HREF.findall(pages[path]):
            url = urljoin(base + path, html.unescape(href))
            if url.startswith(base + "/") and (key := url_key(url)) not in seen:
                seen.add(key)
                queue.append(key)
    return seen, pages


def sitemap(base: str) -> dict[str, str]:
    """{article path: lastmod}."""
    root = ET.fromstring(get(base + "/sitemap.xml")[2])
    return {url_key(u.findtext("sm:loc", namespaces=SM)): u.findtext("sm:lastmod", namespaces=SM)
            for u in root.findall("sm:url", SM)}


def feed(base: str) -> list[tuple[str, datetime]]:
    """[(article path, pubDate)] in feed order."""
    root = ET.fromstring(get(base + "/feed.xml")[2])
    return [(url_key(i.findtext("link")), parsedate_to_datetime(i.findtext("pubDate")))
            for i in root.findall("./channel/item")]


def links(markup: str) -> list[str]:
    return [html.unescape(h) for h in HREF.findall(markup)]


def json_ld(markup: str) -> dict:
    [script] = LD_JSON.findall(markup)
    return json.loads(script.replace("<\\/", "</"))


def lm(headers: Message) -> datetime:
    return parsedate_to_datetime(headers["Last-Modified"])


def http_date(when: datetime) -> str:
    return format_datetime(when.astimezone(UTC), usegmt=True)


@pytest.fixture(scope="module")
def site():
    with gazette.serve() as running:
        yield running


# ============================================================================ content

class TestContent:
    def test_editions_and_sections(self):
        ed2 = gazette.articles(2, edited_at=PINNED_EDIT)
        assert len(ED1) == 12 and len(ed2) == 14
        assert Counter(a["section"] for a in ED1) == {"town": 4, "fens": 4, "sport": 4}
        new = [a["path"] for a in ed2 if a["edition_added"] == 2]
        assert sorted(new) == sorted(gazette.NEW_IN_EDITION_2) and len(new) == 2
        assert {a["path"] for a in ed2} - set(ED1_PATHS) == set(gazette.NEW_IN_EDITION_2)
        assert {a["section"] for a in ed2 if a["edition_added"] == 2} == {"town", "sport"}
        newest_old = max(datetime.fromisoformat(a["published"]) for a in ED1)
        assert all(datetime.fromisoformat(a["published"]) > newest_old
                   for a in ed2 if a["edition_added"] == 2)
        assert [a["path"] for a in ed2[:2]] == gazette.NEW_IN_EDITION_2
        assert gazette.LISTING_PATHS(1) == gazette.LISTING_PATHS(2)
        assert [gazette.section_pages(s, e) for e in (1, 2) for s in gazette.SECTIONS] == [2] * 6

    @pytest.mark.parametrize("a", gazette.articles(2, edited_at=PINNED_EDIT),
                             ids=lambda a: a["path"].split("/")[4][:40])
    def test_article_ground_truth(self, a):
        text = " ".join(a["body"])
        assert 4 <= len(a["body"]) <= 7 and len(text.split()) >= 120
        assert 1 <= len(a["authors"]) <= 3 and set(a["authors"]) <= set(gazette.STAFF)
        assert datetime.fromisoformat(a["published"]).tzinfo is not None
        assert 2 <= len(a["snippets"]) <= 3 and all(s in text for s in a["snippets"])
        assert a["path"] == a["url_path"]
        assert re.fullmatch(r"/2026/11/\d\d/[a-z0-9-]+/", a["path"])
        assert a["path"].startswith(datetime.fromisoformat(a["published"]).strftime("/%Y/%m/%d/"))
        assert (a["modified"] is not None) == (a["path"] == gazette.EDITED_PATH)

    def test_stories_are_distinct(self):
        ed2 = gazette.articles(2, edited_at=PINNED_EDIT)
        stories = ED1 + [a for a in ed2 if a["edition_added"] == 2]
        assert len({a["title"] for a in stories}) == len({a["path"] for a in stories}) == 14
        paragraphs = [p for a in stories for p in a["body"]]
        assert len(set(paragraphs)) == len(paragraphs)
        for a in stories:
            others = " ".join(" ".join(b["body"]) for b in stories if b is not a)
            assert not any(s in others for s in a["snippets"]), a["path"]
        assert sum(len(a["authors"]) == 2 for a in stories) >= 3

    def test_the_edit(self):
        before = next(a for a in ED1 if a["path"] == gazette.EDITED_PATH)
        after = next(a for a in gazette.articles(2, edited_at=PINNED_EDIT)
                     if a["path"] == gazette.EDITED_PATH)
        old, new = " ".join(before["body"]), " ".join(after["body"])
        assert gazette.REMOVED_SNIPPET in old and gazette.REMOVED_SNIPPET not in new
        assert gazette.EDIT_SNIPPET in new and gazette.EDIT_SNIPPET not in old
        assert gazette.CORRECTION_SNIPPET in new and gazette.CORRECTION_SNIPPET not in old
        # one paragraph changed, one added ("Correction: ..."), the rest unchanged
        assert len(after["body"]) == len(before["body"]) + 1
        assert after["body"][-1].startswith("Correction: ")
        assert sum(x != y for x, y in zip(before["body"], after["body"], strict=False)) == 1
        assert after["body"][0] == before["body"][0]  # teasers use the first paragraph
        assert before["modified"] is None and after["modified"] == PINNED_EDIT
        assert gazette.EDIT_SNIPPET in after["snippets"]
        assert gazette.REMOVED_SNIPPET in before["snippets"]
        assert gazette.REMOVED_SNIPPET not in after["snippets"]
        assert gazette.articles(2)[0]["modified"] is None  # unknown until an instance switched
        # neither on the home page nor in the feed, in either edition
        for edition in (ED1, gazette.articles(2)):
            order = [a["path"] for a in edition]
            assert order.index(gazette.EDITED_PATH) >= max(gazette.HOME_COUNT, gazette.FEED_COUNT)

    def test_fillers(self):
        many = gazette.articles(1, extra_articles=60)
        assert many[:12] == ED1 and len(many) == 72
        fill = many[12:]
        assert all(a["filler"] and a["edition_added"] == 1 for a in fill)
        assert len({a["path"] for a in many}) == len({a["title"] for a in many}) == 72
        assert len({" ".join(a["body"]) for a in fill}) == 60
        snippets = [s for a in many for s in a["snippets"]]
        assert len(set(snippets)) == len(snippets)
        for a in fill:
            text = " ".join(a["body"])
            assert len(text.split()) >= 120 and 4 <= len(a["body"]) <= 7
            assert all(s in text for s in a["snippets"])
        oldest_real = min(datetime.fromisoformat(a["published"]) for a in ED1)
        assert all(datetime.fromisoformat(a["published"]) < oldest_real for a in fill)
        assert Counter(a["section"] for a in fill) == {"town": 20, "fens": 20, "sport": 20}
        assert gazette.articles(1, extra_articles=60) == many  # deterministic
        assert gazette.section_pages("town", 1, 60) == 8
        assert gazette.section_pages("town", 2, 60) == 9


# ============================================================================ pages

class TestPages:
    @pytest.mark.parametrize("a", ED1, ids=lambda a: a["path"].split("/")[4][:40])
    def test_article_page(self, site, a):
        page = ok(site.url(a["path"]))
        text = page_text(page)
        assert f'<link rel="canonical" href="{site.base}{a["path"]}">' in page
        assert f'<meta property="og:title" content="{html.escape(a["title"])}">' in page
        assert (f'<meta property="article:published_time" content="{a["published"]}">'
                in page)
        assert "article:modified_time" not in page and "csrf" not in page
        data = json_ld(page)
        assert data["@type"] == "NewsArticle" and data["headline"] == a["title"]
        assert data["datePublished"] == a["published"] and "dateModified" not in data
        assert [p["name"] for p in data["author"]] == a["authors"]
        assert all(s in text for s in a["snippets"]) and a["title"] in text
        byline = re.search(r'<p class="byline">(.*?)</p>', page).group(1)
        assert all(html.escape(n) in byline for n in a["authors"])
        assert '<p class="dateline">' in page
        # "More from": only older stories of the same section
        box = page[page.index('<aside class="more-from">'):]
        listed = [p for p in links(box) if p.startswith("/2026/")]
        same = [b["path"] for b in ED1 if b["section"] == a["section"]]
        assert listed == same[same.index(a["path"]) + 1:][:3]

    def test_every_article_is_reachable_from_the_home_page(self, site):
        seen, pages = walk(site.base)
        assert set(ED1_PATHS) <= seen
        assert set(gazette.LISTING_PATHS(1)) - {"/sitemap.xml"} | {"/about/"} <= seen
        assert seen.isdisjoint(gazette.NEW_IN_EDITION_2)
        # the oldest story of each section is linked only from page 2 of its section
        for section in gazette.SECTIONS:
            oldest = [a["path"] for a in ED1 if a["section"] == section][-1]
            linking = {p for p, markup in pages.items() if oldest in links(markup)}
            assert linking - set(ED1_PATHS) == {f"/section/{section}/page/2/"}
        assert all("<article" not in pages[p] for p in gazette.LISTING_PATHS(1) if p in pages)

    def test_home_sections_and_pagination(self, site):
        home = links(ok(site.url("/")))
        assert [p for p in home if p.startswith("/2026/")] == ED1_PATHS[:6]
        for section in gazette.SECTIONS:
            first, second = ok(site.url(f"/section/{section}/")), ok(
                site.url(f"/section/{section}/page/2/"))
            paths = [a["path"] for a in ED1 if a["section"] == section]
            assert [p for p in links(first) if p.startswith("/2026/")][:3] == paths[:3]
            assert f'href="/section/{section}/page/2/">Older stories</a>' in first
            assert "Older stories" not in second and "Page 2 of 2" in second
            assert paths[3] in links(second)
            status, headers, _ = get(site.url(f"/section/{section}/page/1/"))
            assert status == 301 and headers["Location"] == f"/section/{section}/"
            assert get(site.url(f"/section/{section}/page/3/"))[0] == 404

    def test_sitemap_robots_feed(self, site):
        assert sitemap(site.base) == {a["path"]: a["published"] for a in ED1}
        robots = ok(site.url("/robots.txt")).splitlines()
        assert robots[:2] == ["User-agent: *", "Allow: /"]
        assert f"Sitemap: {site.base}/sitemap.xml" in robots
        items = feed(site.base)
        assert [p for p, _ in items] == ED1_PATHS[:8]
        assert [d for _, d in items] == [datetime.fromisoformat(a["published"])
                                         for a in ED1[:8]]
        assert gazette.EDITED_PATH not in dict(items)
        _, headers, body = get(site.url("/feed.xml"))
        assert headers.get_content_type() == "application/rss+xml"
        assert b"<lastBuildDate>Fri, 20 Nov 2026 08:15:00 GMT</lastBuildDate>" in body

    def test_not_found_and_redirects(self, site):
        status, headers, body = get(site.url("/2026/11/20/no-such-story/"))
        assert status == 404 and b"Page not found" in body and "ETag" not in headers
        status, headers, _ = get(site.url(ED1_PATHS[0].rstrip("/")))
        assert status == 301 and headers["Location"] == ED1_PATHS[0]
        assert get(site.url(gazette.NEW_IN_EDITION_2[0]))[0] == 404  # not yet published
        status, headers, body = get(site.url("/about/"))
        assert status == 200 and "Priya Raman" in body.decode()


# ============================================================================ HTTP

class TestConditional:
    @pytest.mark.parametrize("path", CONDITIONAL_PATHS)
    def test_validators(self, site, path):
        status, headers, _ = get(site.url(path))
        assert status == 200 and headers["Cache-Control"] == "no-cache"
        assert re.fullmatch(r'"[0-9a-f]{32}"', headers["ETag"])
        assert headers["Last-Modified"].endswith(" GMT") and lm(headers).tzinfo
        assert get(site.url(path))[1]["ETag"] == headers["ETag"]
        if path in ED1_PATHS:
            a = ED1[ED1_PATHS.index(path)]
            assert lm(headers) == datetime.fromisoformat(a["published"])
        if path in ("/", "/feed.xml"):
            assert lm(headers) == datetime.fromisoformat(ED1[0]["published"])
        if path == "/sitemap.xml":
            assert lm(headers) == datetime.fromisoformat(ED1[0]["published"])

    @pytest.mark.parametrize("path", CONDITIONAL_PATHS)
    @pytest.mark.parametrize("form", ["exact", "weak", "list", "star"])
    def test_if_none_match(self, site, path, form):
        _, headers, _ = get(site.url(path))
        etag = headers["ETag"]
        value = {"exact": etag, "weak": "W/" + etag, "list": f'"0000", W/"1111" , {etag}',
                 "star": "*"}[form]
        status, got, body = get(site.url(path), {"If-None-Match": value})
        assert status == 304 and body == b""
        assert got["ETag"] == etag and got["Last-Modified"] == headers["Last-Modified"]
        assert got["Content-Length"] is None and got["Content-Type"] is None

    @pytest.mark.parametrize("path", CONDITIONAL_PATHS)
    def test_if_none_match_mismatch(self, site, path):
        _, headers, body = get(site.url(path))
        for value in ('"0123456789abcdef0123456789abcdef"', 'W/"nope", "other"',
                      headers["ETag"].strip('"')):  # unquoted: not an entity-tag
            status, _, again = get(site.url(path), {"If-None-Match": value})
            assert status == 200 and again == body

    @pytest.mark.parametrize("path", CONDITIONAL_PATHS)
    def test_if_modified_since(self, site, path):
        _, headers, body = get(site.url(path))
        modified = lm(headers)
        for when, want in [(modified, 304), (modified + timedelta(days=3), 304),
                           (modified - timedelta(seconds=1), 200)]:
            status, got, answer = get(site.url(path), {"If-Modified-Since": http_date(when)})
            assert status == want, when
            assert answer == (b"" if want == 304 else body)
            assert got["ETag"] == headers["ETag"]
        status, _, _ = get(site.url(path), {"If-Modified-Since": "yesterday, about noon"})
        assert status == 200

    @pytest.mark.parametrize("path", CONDITIONAL_PATHS)
    def test_if_none_match_takes_precedence(self, site, path):
        _, headers, _ = get(site.url(path))
        fresh = headers["Last-Modified"]
        stale = http_date(lm(headers) - timedelta(days=30))
        status, _, _ = get(site.url(path), {"If-None-Match": '"stale"',
                                            "If-Modified-Since": fresh})
        assert status == 200
        status, _, _ = get(site.url(path), {"If-None-Match": headers["ETag"],
                                            "If-Modified-Since": stale})
        assert status == 304

    def test_head(self, site):
        path = ED1_PATHS[3]
        _, headers, body = get(site.url(path))
        status, got, empty = get(site.url(path), method="HEAD")
        assert status == 200 and empty == b""
        assert got["Content-Length"] == str(len(body)) and got["ETag"] == headers["ETag"]
        status, _, _ = get(site.url(path), {"If-None-Match": headers["ETag"]}, method="HEAD")
        assert status == 304
        assert get(site.url("/nowhere/"), method="HEAD")[0] == 404


# ============================================================================ edition 2

def _snapshot(site: gazette.Site, paths: list[str]) -> dict[str, tuple[int, Message, bytes]]:
    return {p: get(site.url(p)) for p in paths}


@pytest.fixture(scope="class")
def editions():
    """A fresh site fetched in edition 1, switched (by default: the real clock) and
    fetched again: (site, before, after, wall-clock time of the switch)."""
    with gazette.serve() as running:
        paths = sorted(set(ED1_PATHS + gazette.NEW_IN_EDITION_2 + gazette.LISTING_PATHS(1)
                           + gazette.LISTING_PATHS(2) + gazette.STATIC_PATHS))
        before = _snapshot(running, paths)
        switched = time.time()
        running.set_edition(2)
        after = _snapshot(running, paths)
        yield running, before, after, switched


class TestEdition2:
    def test_edit_time_is_after_the_first_crawl(self, editions):
        site, before, _, switched = editions
        assert site.edition == 2 and site.edited_at is not None
        edited = datetime.fromisoformat(site.edited_at)
        assert edited.timestamp() > switched and edited.timestamp() <= time.time()
        assert edited.microsecond == 0 and edited.utcoffset() == timedelta(0)
        assert all(edited > lm(h) for s, h, _ in before.values() if s == 200)
        assert site.articles() == gazette.articles(2, edited_at=site.edited_at)

    def test_exactly_two_new_articles(self, editions):
        site, before, after, _ = editions
        for path in gazette.NEW_IN_EDITION_2:
            assert before[path][0] == 404 and after[path][0] == 200
        old_map, new_map = sitemap_of(before), sitemap_of(after)
        assert set(new_map) - set(old_map) == set(gazette.NEW_IN_EDITION_2)
        assert set(old_map) <= set(new_map)
        home = [p for p in links(after["/"][2].decode()) if p.startswith("/2026/")]
        assert home[:2] == gazette.NEW_IN_EDITION_2 and len(home) == 6
        fed = [url_key(i.findtext("link")) for i in
               ET.fromstring(after["/feed.xml"][2]).findall("./channel/item")]
        assert fed[:2] == gazette.NEW_IN_EDITION_2 and len(fed) == 8
        for path, section in zip(gazette.NEW_IN_EDITION_2, ["sport", "town"], strict=True):
            assert path in links(after[f"/section/{section}/"][2].decode())
        seen, _ = walk(site.base)
        assert set(gazette.NEW_IN_EDITION_2) | set(ED1_PATHS) <= seen
        assert {p for p in seen if p.startswith("/2026/")} == set(site.articles()[i]["path"]
                                                                  for i in range(14))

    def test_the_edited_article(self, editions):
        site, before, after, _ = editions
        old_status, old_headers, old_body = before[gazette.EDITED_PATH]
        status, headers, body = after[gazette.EDITED_PATH]
        assert old_status == status == 200
        text, old_text = page_text(body.decode()), page_text(old_body.decode())
        assert gazette.EDIT_SNIPPET in text and gazette.CORRECTION_SNIPPET in text
        assert gazette.REMOVED_SNIPPET not in text and gazette.REMOVED_SNIPPET in old_text
        assert headers["ETag"] != old_headers["ETag"]
        assert lm(headers) == datetime.fromisoformat(site.edited_at) > lm(old_headers)
        page = body.decode()
        assert (f'<meta property="article:modified_time" content="{site.edited_at}">'
                in page)
        assert json_ld(page)["dateModified"] == site.edited_at
        assert "article:modified_time" not in old_body.decode()
        old_map, new_map = sitemap_of(before), sitemap_of(after)
        assert new_map[gazette.EDITED_PATH] == site.edited_at != old_map[gazette.EDITED_PATH]
        assert {p: m for p, m in new_map.items() if p != gazette.EDITED_PATH
                and p not in gazette.NEW_IN_EDITION_2} == {p: m for p, m in old_map.items()
                                                      if p != gazette.EDITED_PATH}

    def test_every_other_article_is_byte_identical(self, editions):
        _, before, after, _ = editions
        for path in UNCHANGED:
            assert after[path][2] == before[path][2], path
            for header in ("ETag", "Last-Modified"):
                assert after[path][1][header] == before[path][1][header], path

    def test_listings_change_with_their_validators(self, editions):
        _, before, after, _ = editions
        changed = {p for p in gazette.LISTING_PATHS(2) + gazette.STATIC_PATHS
                   if after[p][2] != before[p][2]}
        assert changed == {"/", "/section/town/", "/section/town/page/2/", "/section/sport/",
                           "/section/sport/page/2/", "/feed.xml", "/sitemap.xml"}
        for path in gazette.LISTING_PATHS(2) + gazette.STATIC_PATHS:
            (_, old, _), (_, new, _) = before[path], after[path]
            if path in changed:
                assert new["ETag"] != old["ETag"] and lm(new) > lm(old), path
            else:
                assert new["ETag"] == old["ETag"] and lm(new) == lm(old), path

    def test_the_edit_shows_only_in_the_sitemap_and_the_article(self, editions):
        _, _, after, _ = editions
        for path in gazette.LISTING_PATHS(2):
            if path == "/sitemap.xml":
                continue
            markup = after[path][2].decode()
            assert "Correction" not in markup and "Updated" not in markup, path
            if path in ("/", "/feed.xml"):
                assert gazette.EDITED_PATH not in markup
        assert "/section/fens/" in gazette.LISTING_PATHS(2)

    def test_conditional_requests_across_the_switch(self, editions):
        site, before, _, _ = editions
        for path, want in [(UNCHANGED[0], 304), (UNCHANGED[-1], 304), ("/section/fens/", 304),
                           (gazette.EDITED_PATH, 200), ("/", 200), ("/sitemap.xml", 200),
                           ("/section/sport/page/2/", 200)]:
            old = before[path][1]
            assert get(site.url(path), {"If-None-Match": old["ETag"]})[0] == want, path
            status, _, _ = get(site.url(path), {"If-Modified-Since": old["Last-Modified"]})
            assert status == want, path

    def test_switching_back_and_forth(self, editions):
        site, before, after, _ = editions
        edited_at = site.edited_at
        try:
            site.set_edition(1)
            assert site.edition == 1
            assert get(site.url(gazette.EDITED_PATH))[2] == before[gazette.EDITED_PATH][2]
            assert get(site.url("/"))[2] == before["/"][2]
            assert get(site.url(gazette.NEW_IN_EDITION_2[0]))[0] == 404
            with pytest.raises(ValueError):
                site.set_edition(2, at="2026-11-27T00:00:00+00:00")
        finally:
            site.set_edition(2)
        assert site.edited_at == edited_at
        assert get(site.url(gazette.EDITED_PATH))[2] == after[gazette.EDITED_PATH][2]
        with pytest.raises(ValueError):
            site.set_edition(3)


def sitemap_of(snapshot: dict) -> dict[str, str]:
    root = ET.fromstring(snapshot["/sitemap.xml"][2])
    return {url_key(u.findtext("sm:loc", namespaces=SM)): u.findtext("sm:lastmod", namespaces=SM)
            for u in root.findall("sm:url", SM)}


# ============================================================================ options

class TestOptions:
    def test_without_validators(self):
        with gazette.serve(validators=False) as site:
            for path in [ED1_PATHS[0], "/", "/feed.xml", "/sitemap.xml", "/robots.txt"]:
                status, headers, body = get(site.url(path))
                assert status == 200 and body
                assert headers["ETag"] is None and headers["Last-Modified"] is None
                for condition in ({"If-None-Match": "*"},
                                  {"If-Modified-Since": "Fri, 01 Jan 2100 00:00:00 GMT"}):
                    status, _, again = get(site.url(path), condition)
                    assert status == 200 and again == body
            assert {r["status"] for r in site.requests()} == {200}

    def test_dynamic_chrome(self):
        with gazette.serve(dynamic_chrome=True) as site:
            path = ED1_PATHS[1]
            (_, one, first), (_, two, second) = get(site.url(path)), get(site.url(path))
            assert first != second and one["ETag"] != two["ETag"]
            assert one["Last-Modified"] == two["Last-Modified"]
            tokens = re.compile(rb'content="[0-9a-f]{32}"|value="[0-9a-f]{32}"'
                                rb"|generated at [0-9:.]+")
            assert len(tokens.findall(first)) == 3
            assert tokens.sub(b"", first) == tokens.sub(b"", second)
            assert b'<meta name="csrf-token"' in first and b"Page generated at" in first
            assert get(site.url(path), {"If-None-Match": two["ETag"]})[0] == 200
            assert get(site.url(path), {"If-Modified-Since": two["Last-Modified"]})[0] == 304
            both = {"If-None-Match": two["ETag"], "If-Modified-Since": two["Last-Modified"]}
            assert get(site.url(path), both)[0] == 200
            # listings stay static
            assert get(site.url("/"))[1]["ETag"] == get(site.url("/"))[1]["ETag"]
            assert b"csrf" not in get(site.url("/section/town/"))[2]

    def test_extra_articles(self):
        with gazette.serve(extra_articles=7) as site:
            truth = site.articles()
            assert len(truth) == 19 and sum(a["filler"] for a in truth) == 7
            assert site.listing_paths() == gazette.LISTING_PATHS(1, 7)
            assert [gazette.section_pages(s, 1, 7) for s in gazette.SECTIONS] == [3, 2, 2]
            seen, pages = walk(site.base)
            assert {a["path"] for a in truth} <= seen
            assert set(site.listing_paths()) - {"/feed.xml", "/sitemap.xml"} <= set(pages)
            assert set(sitemap(site.base)) == {a["path"] for a in truth}
            fillers = {a["path"] for a in truth if a["filler"]}
            assert fillers.isdisjoint(links(pages["/"])) and fillers.isdisjoint(
                dict(feed(site.base)))
            for a in truth[12:]:
                text = page_text(pages[a["path"]])
                assert a["title"] in text and all(s in text for s in a["snippets"])

    def test_extra_articles_across_editions(self):
        with gazette.serve(extra_articles=10) as site:
            paths = sorted({a["path"] for a in site.articles()} | set(gazette.NEW_IN_EDITION_2)
                           | set(site.listing_paths()))
            before = _snapshot(site, paths)
            site.set_edition(2, at=PINNED_EDIT)
            paths += [p for p in site.listing_paths() if p not in paths]
            after = _snapshot(site, paths)
            assert len(site.articles()) == 24 and site.articles(1)[12:] == [
                a for a in site.articles() if a["filler"]]
            for a in site.articles(1):
                same = after[a["path"]][2] == before[a["path"]][2]
                assert same == (a["path"] != gazette.EDITED_PATH), a["path"]
            for path in site.listing_paths(1):
                (_, old, old_body), (_, new, new_body) = before[path], after[path]
                if new_body == old_body:
                    assert new["ETag"] == old["ETag"] and lm(new) == lm(old), path
                else:
                    assert lm(new) > lm(old), path
            assert site.listing_paths(2) == gazette.LISTING_PATHS(2, 10)
            assert all(after[p][0] == 200 for p in site.listing_paths(2))

    def test_article_delay(self):
        delay = 1.0  # long next to a local request, even on a loaded machine
        with gazette.serve(article_delay=delay) as site:
            start = time.monotonic()
            assert get(site.url("/"))[0] == 200
            assert time.monotonic() - start < delay
            start = time.monotonic()
            assert get(site.url(ED1_PATHS[0]))[0] == 200
            assert time.monotonic() - start >= delay
            start = time.monotonic()  # not an article (yet): no delay
            assert get(site.url(gazette.NEW_IN_EDITION_2[0]))[0] == 404
            assert time.monotonic() - start < delay
            # Requests are answered in parallel: at one moment the log shows all three in
            # progress, and together they take one delay, not three.
            results: list[int] = []
            threads = [threading.Thread(target=lambda p=p: results.append(get(site.url(p))[0]))
                       for p in ED1_PATHS[1:4]]
            start = time.monotonic()
            for t in threads:
                t.start()
            while sum(r["status"] is None for r in site.requests()) < 3:
                assert time.monotonic() - start < 3 * delay, site.requests()
                time.sleep(0.01)
            for t in threads:
                t.join()
            assert results == [200] * 3 and time.monotonic() - start < 2 * delay
            assert [r["status"] for r in site.requests()] == [200, 200, 404, 200, 200, 200]


# ============================================================================ request log

class TestRequestLog:
    def test_log_records_conditional_headers_and_statuses(self):
        with gazette.serve() as site:
            path = ED1_PATHS[2]
            _, headers, _ = get(site.url(path))
            get(site.url(path), {"If-None-Match": headers["ETag"]})
            get(site.url(path), {"If-Modified-Since": headers["Last-Modified"]}, method="HEAD")
            get(site.url("/missing/"))
            get(site.url("/__requests__"))
            get(site.url("/__edition__"))
            log = site.requests()
            assert [(r["path"], r["method"], r["if_none_match"], r["if_modified_since"],
                     r["status"], r["edition"]) for r in log] == [
                (path, "GET", None, None, 200, 1),
                (path, "GET", headers["ETag"], None, 304, 1),
                (path, "HEAD", None, headers["Last-Modified"], 304, 1),
                ("/missing/", "GET", None, None, 404, 1),
            ]
            times = [r["time"] for r in log]
            assert times == sorted(times) and abs(times[0] - time.time()) < 10
            site.reset_requests()
            assert site.requests() == []
            get(site.url("/?utm_source=x"))
            assert [r["path"] for r in site.requests()] == ["/?utm_source=x"]

    def test_control_endpoints(self):
        with gazette.serve() as site:
            get(site.url("/"))
            state = json.loads(get(site.url("/__edition__"))[2])
            assert state == {"edition": 1, "edited_at": None}
            status, _, body = get(site.url(f"/__edition__?n=2&at={PINNED_EDIT}"))
            assert status == 200
            assert json.loads(body) == {"edition": 2, "edited_at": PINNED_EDIT}
            assert site.edition == 2 and site.edited_at == PINNED_EDIT
            assert get(site.url(gazette.NEW_IN_EDITION_2[1]))[0] == 200
            assert sitemap(site.base)[gazette.EDITED_PATH] == PINNED_EDIT
            log = json.loads(get(site.url("/__requests__"))[2])
            assert log == site.requests() and [r["path"] for r in log] == [
                "/", gazette.NEW_IN_EDITION_2[1], "/sitemap.xml"]
            assert [r["edition"] for r in log] == [1, 2, 2]
            assert json.loads(get(site.url("/__requests__?reset=1"))[2]) == log
            assert site.requests() == []
            assert get(site.url("/__edition__?n=7"))[0] == 400
            assert get(site.url("/__edition__?n=2&at=2026-11-01T00:00:00%2B00:00"))[0] == 400
            assert json.loads(get(site.url("/__edition__?n=1"))[2])["edition"] == 1
            assert get(site.url(gazette.NEW_IN_EDITION_2[1]))[0] == 404
