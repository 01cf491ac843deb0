"""Self-check of the Gazette, the changing-editions site (tests/sites/); no crawling.

Guards the fixture itself in edition 1: the content and its ground truth, reachability
through the sections' pagination and the sitemap, and the validators and conditional
requests (RFC 9110). The switch to edition 2, the options and the request log are in
tests/test_site_changing_editions_serving.py; the helpers in tests/gazettepages.py.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from datetime import datetime, timedelta

import pytest

from tests.gazettepages import (
    ED1,
    ED1_PATHS,
    PINNED_EDIT,
    feed,
    get,
    http_date,
    json_ld,
    links,
    lm,
    ok,
    sitemap,
    walk,
)
from tests.sites import changing_editions as gazette
from tests.sites.checks import page_text

CONDITIONAL_PATHS = [gazette.EDITED_PATH, ED1_PATHS[0], "/", "/section/fens/",
                     "/section/town/page/2/", "/feed.xml", "/sitemap.xml", "/robots.txt",
                     "/about/"]


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
