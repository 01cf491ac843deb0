"""Self-check of the Gazette (tests/sites/) over the life of an instance; no crawling.

The switch to edition 2 (two new stories, one corrected story, every other story
byte-identical), the options of ``serve()`` (no validators, dynamic chrome, filler
stories, a slow article) and the request log.
"""

from __future__ import annotations

import json
import re
import threading
import time
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from email.message import Message

import pytest

from tests.gazettepages import (
    ED1_PATHS,
    PINNED_EDIT,
    SM,
    UNCHANGED,
    feed,
    get,
    json_ld,
    links,
    lm,
    sitemap,
    walk,
)
from tests.sites import changing_editions as gazette
from tests.sites.checks import page_text, url_key

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
