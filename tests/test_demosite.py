"""The local news sites the demo and the test suite crawl (crawler/demosite)."""

from __future__ import annotations

import gzip
import html
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from crawler.demo.site import RunningSite, load_site, serve_in_thread

ROOT = Path(__file__).resolve().parents[1]
SITES = ["demo", "test"]


# -- helpers ------------------------------------------------------------------


class Links(HTMLParser):
    """Every href a crawler could follow: ``<a>`` and ``<link>`` (rel next, canonical...)."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str, str]] = []  # (tag, rel, href)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag in ("a", "link") and a.get("href"):
            self.links.append((tag, a.get("rel") or "", a["href"] or ""))


def links_of(page: str) -> list[tuple[str, str, str]]:
    parser = Links()
    parser.feed(page)
    return parser.links


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """GET with urllib (follows redirects); gunzips a gzip body like a browser would."""
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            status, hdrs, body = resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as err:
        status, hdrs, body = err.code, dict(err.headers), err.read()
    if hdrs.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return status, hdrs, body


def text(url: str) -> str:
    status, headers, body = fetch(url)
    if status == 429:  # the "busy" article: come back after Retry-After, as a crawler would
        time.sleep(float(headers["Retry-After"]))
        status, _, body = fetch(url)
    assert status == 200, url
    return body.decode("utf-8", errors="replace")


def raw(running: RunningSite, path: str, method: str = "GET",
        headers: dict[str, str] | None = None) -> tuple[http.client.HTTPResponse, bytes]:
    """One request with http.client: no redirect following, no decoding of the body."""
    parts = urlsplit(running.base_url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        conn.request(method, path, headers=headers or {})
        resp = conn.getresponse()
        return resp, resp.read()
    finally:
        conn.close()


@pytest.fixture(scope="module", params=SITES)
def running(request: pytest.FixtureRequest):
    with serve_in_thread(request.param) as site:
        yield site


@pytest.fixture(scope="module")
def demo():
    with serve_in_thread("demo") as site:
        yield site


@pytest.fixture(scope="module")
def testsite():
    with serve_in_thread("test") as site:
        yield site


# -- ground truth -------------------------------------------------------------


class TestGroundTruth:
    def test_demo_has_thirty_articles_a_third_per_template(self):
        site = load_site("demo")
        counts = Counter(a.template for a in site.expected_articles)
        assert len(site.expected_articles) >= 30
        assert set(counts) == {"wordpress", "jsonld", "bare"}
        assert min(counts.values()) >= 9
        assert len({a.section for a in site.expected_articles}) >= 3

    def test_test_site_has_all_templates(self):
        site = load_site("test")
        assert len(site.expected_articles) >= 12
        assert {a.template for a in site.expected_articles} == {"wordpress", "jsonld", "bare"}

    def test_unknown_site_fails_with_choices(self):
        with pytest.raises(ValueError, match="demo, test"):
            load_site("nope")

    @pytest.mark.parametrize("name", SITES)
    def test_snippets_are_distinctive(self, name):
        site = load_site(name)
        seen = Counter(s for a in site.expected_articles for s in a.body_snippets)
        assert all(n == 1 for n in seen.values())
        for art in site.expected_articles:
            assert 2 <= len(art.body_snippets) <= 3
            assert art.boilerplate_snippets
            assert not set(art.body_snippets) & set(art.boilerplate_snippets)

    @pytest.mark.parametrize("name", SITES)
    def test_published_shape_follows_template(self, name):
        for art in load_site(name).expected_articles:
            if art.template == "bare":
                assert re.fullmatch(r"\d{4}-\d\d-\d\d", art.published)
            else:
                assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", art.published)


# -- pages --------------------------------------------------------------------


class TestArticles:
    def test_every_article_has_title_body_and_boilerplate(self, running):
        for art in running.site.expected_articles:
            page = html.unescape(text(running.url(art.path)))
            assert art.title in page
            for snippet in art.body_snippets + art.boilerplate_snippets:
                assert snippet in page, (art.path, snippet)

    def test_wordpress_markup(self, running):
        for art in running.site.expected_articles:
            if art.template != "wordpress":
                continue
            page = text(running.url(art.path))
            assert '<meta property="og:type" content="article">' in page
            assert f'<meta property="article:published_time" content="{art.published}">' in page
            assert f'<time class="entry-date published" datetime="{art.published}">' in page
            assert '<article id="post-' in page and 'class="entry-content"' in page
            assert "By " in page and all(a in page for a in art.authors)

    def test_jsonld_markup(self, running):
        for art in running.site.expected_articles:
            if art.template != "jsonld":
                continue
            page = text(running.url(art.path))
            blob = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
            assert blob, art.path
            ld = json.loads(blob.group(1))
            assert ld["@type"] == "NewsArticle"
            assert ld["headline"] == art.title
            assert ld["datePublished"] == art.published
            assert [p["name"] for p in ld["author"]] == art.authors
            assert ld["publisher"]["name"] == running.site.title
            assert '<div class="ad-slot">Advertisement</div>' in page
            assert "<article" not in page

    def test_bare_markup(self, running):
        for art in running.site.expected_articles:
            if art.template != "bare":
                continue
            page = text(running.url(art.path))
            for absent in ("og:", "ld+json", "<article", "canonical"):
                assert absent not in page, (art.path, absent)
            assert f"By {' and '.join(art.authors)}" in page
            y, _, d = (int(x) for x in art.published.split("-"))
            assert re.search(rf">[A-Z][a-z]+ {d}, {y}<", page)


class TestSections:
    @staticmethod
    def next_page(running: RunningSite, url: str, page: str) -> str | None:
        """Page 2, 3... in whichever style the section uses."""
        current = urlsplit(url)
        n = int(re.search(r"(?:page[=/])(\d+)", url).group(1)) if "page" in url else 1
        for tag, rel, href in links_of(page):
            target = urljoin(url, href)
            if tag == "link" and rel == "next":
                return target
            if tag == "a" and urlsplit(target).path.startswith(current.path.split("page")[0]):
                if re.search(rf"page[=/]{n + 1}/?$", target):
                    return target
        return None

    def test_pagination_lists_every_article_newest_first(self, running):
        data = running.site.data
        by_path = {a.path: a for a in running.site.expected_articles}
        for sec in data.sections:
            url, pages, seen = running.url(f"/{sec.slug}/"), 0, []
            while url:
                page = text(url)
                pages += 1
                for tag, _, href in links_of(page):
                    path = urlsplit(urljoin(url, href))
                    key = path.path + (f"?{path.query}" if path.query else "")
                    if tag == "a" and key in by_path and key not in seen:
                        if by_path[key].section == sec.name:
                            seen.append(key)
                url = self.next_page(running, url, page)
            expected = [a.path for a in data.articles if a.section == sec.slug]
            assert seen == expected, sec.slug
            assert pages >= 2

    def test_three_pagination_styles(self, demo):
        styles = {s.pagination for s in demo.site.data.sections}
        assert styles == {"older_link", "query", "link_rel_next"}
        local = text(demo.url("/local/"))
        assert '<a class="next" href="/local/page/2/">Older posts</a>' in local
        assert 'href="/business/?page=2"' in text(demo.url("/business/"))
        culture = text(demo.url("/culture/"))
        head, body = culture.split("</head>")
        assert f'<link rel="next" href="{demo.url("/culture/page/2/")}">' in head
        assert "/culture/page/2/" not in body

    def test_non_article_pages_exist(self, running):
        paths = running.site.non_article_paths
        for prefix in ("/", "/about/", "/contact/", "/tag/", "/author/"):
            assert any(p.startswith(prefix) for p in paths), prefix
        for path in paths:
            assert fetch(running.url(path))[0] == 200, path

    def test_home_links_latest_of_every_section(self, running):
        home = text(running.url("/"))
        for sec in running.site.data.sections:
            newest = next(a for a in running.site.data.articles if a.section == sec.slug)
            assert f'href="{html.escape(newest.path)}"' in home


class TestDiscovery:
    def test_feed_lists_articles(self, running):
        status, headers, body = fetch(running.url("/feed/"))
        assert status == 200 and headers["Content-Type"].startswith("application/rss+xml")
        root = ET.fromstring(body)
        assert root.tag == "rss" and root.get("version") == "2.0"
        links = [i.findtext("link") for i in root.iter("item")]
        assert set(links) == {running.url(a.path) for a in running.site.expected_articles}
        assert all(i.findtext("pubDate") for i in root.iter("item"))
        assert 'type="application/rss+xml"' in text(running.url("/"))

    def test_sitemap_lists_articles(self, running):
        status, headers, body = fetch(running.url("/sitemap.xml"))
        assert status == 200 and "xml" in headers["Content-Type"]
        ns = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
        locs = {e.text for e in ET.fromstring(body).findall("sm:url/sm:loc", ns)}
        assert {running.url(a.path) for a in running.site.expected_articles} <= locs
        assert not any("/private/" in u for u in locs)

    def test_robots_txt(self, running):
        body = text(running.url("/robots.txt"))
        assert "User-agent: *" in body and "Disallow: /search\n" in body
        assert f"Sitemap: {running.base_url}sitemap.xml" in body
        assert ("Disallow: /private/\n" in body) == (running.site.name == "test")
        assert "__hits__" not in body

    def test_everything_is_reachable_by_links(self, running):
        """A polite breadth-first crawl from / finds every article, page and special case."""
        disallowed = ("/search", "/private/")
        found: set[str] = set()  # raw link targets (with query and fragment)
        queue, fetched = ["/"], set()
        while queue:
            path = queue.pop(0)
            if path in fetched or path.startswith(disallowed):
                continue
            fetched.add(path)
            resp, body = raw(running, path, headers={"Accept-Encoding": "identity"})
            targets = []
            if resp.status in (301, 302):
                targets.append(resp.getheader("Location"))
            elif resp.status == 200 and "html" in (resp.getheader("Content-Type") or ""):
                if resp.getheader("Content-Encoding") == "gzip":
                    body = gzip.decompress(body)
                targets = [h for _, _, h in links_of(body.decode("utf-8", "replace"))]
            for href in targets:
                url = urljoin(running.url(path), href)
                if not url.startswith(running.base_url):
                    continue
                parts = urlsplit(url)
                full = parts.path + (f"?{parts.query}" if parts.query else "")
                found.add(full + (f"#{parts.fragment}" if parts.fragment else ""))
                if not parts.path.startswith("/static/"):
                    queue.append(full)
        site = running.site
        wanted = {a.path for a in site.expected_articles} | set(site.non_article_paths)
        wanted |= set(site.special_paths.values())
        assert wanted - found == set()
        assert running.hits.get(site.special_paths.get("robots_disallowed", "/private/"), 0) == 0


# -- HTTP behaviour -----------------------------------------------------------


class TestHttp:
    def test_gzip_when_accepted(self, running):
        resp, body = raw(running, "/", headers={"Accept-Encoding": "gzip, deflate"})
        assert resp.getheader("Content-Encoding") == "gzip"
        assert resp.getheader("Vary") == "Accept-Encoding"
        assert int(resp.getheader("Content-Length")) == len(body)
        assert running.site.title in gzip.decompress(body).decode()
        again = raw(running, "/", headers={"Accept-Encoding": "gzip"})[1]
        assert again == body  # stable bytes: identical payload digests on re-crawl

    def test_identity_otherwise(self, running):
        for headers in ({}, {"Accept-Encoding": "identity"}, {"Accept-Encoding": "gzip;q=0"}):
            resp, body = raw(running, "/", headers=headers)
            assert resp.getheader("Content-Encoding") is None
            assert body.startswith(b"<!DOCTYPE html>")

    def test_headers_and_validators(self, running):
        art = running.site.expected_articles[0]
        resp, _ = raw(running, art.path)
        assert resp.getheader("Content-Type") == "text/html; charset=utf-8"
        etag, modified = resp.getheader("ETag"), resp.getheader("Last-Modified")
        assert etag and modified and modified.endswith(" GMT")
        assert raw(running, art.path, headers={"If-None-Match": etag})[0].status == 304
        assert raw(running, art.path, headers={"If-Modified-Since": modified})[0].status == 304
        old = "Mon, 01 Jan 2001 00:00:00 GMT"
        assert raw(running, art.path, headers={"If-Modified-Since": old})[0].status == 200

    def test_head_has_no_body(self, running):
        resp, body = raw(running, "/", method="HEAD")
        assert resp.status == 200 and body == b"" and int(resp.getheader("Content-Length")) > 0

    def test_unknown_path_is_404_page(self, running):
        resp, body = raw(running, "/no/such/page")
        assert resp.status == 404 and b"Page not found" in body

    def test_missing_slash_redirects(self, running):
        sec = running.site.data.sections[0].slug
        resp, _ = raw(running, f"/{sec}")
        assert resp.status == 301 and resp.getheader("Location") == running.url(f"/{sec}/")


class TestSpecialCases:
    KEYS = frozenset({"gzip_always", "chunked", "redirect_old", "redirect_new", "redirect_chain",
            "redirect_loop", "robots_disallowed", "pdf", "png", "not_found", "server_error",
            "slow", "bad_encoding", "canonical_duplicate", "canonical_target",
            "tracking_params", "fbclid", "fragment", "retry_after"})

    def test_special_paths_named(self, testsite):
        assert set(testsite.site.special_paths) >= self.KEYS
        assert load_site("demo").special_paths == {}

    def test_gzip_always(self, testsite):
        path = testsite.site.special_paths["gzip_always"]
        for headers in ({}, {"Accept-Encoding": "identity"}):
            resp, body = raw(testsite, path, headers=headers)
            assert resp.getheader("Content-Encoding") == "gzip"
            assert body[:2] == b"\x1f\x8b"
            assert b"<h1" in gzip.decompress(body)

    def test_chunked(self, testsite):
        path = testsite.site.special_paths["chunked"]
        resp, body = raw(testsite, path, headers={"Accept-Encoding": "gzip"})
        assert resp.getheader("Transfer-Encoding") == "chunked"
        assert resp.getheader("Content-Length") is None
        assert resp.chunked or resp.version == 11
        art = next(a for a in testsite.site.expected_articles if a.path == path)
        assert art.title.encode() in body

    def test_redirects(self, testsite):
        sp = testsite.site.special_paths
        resp, _ = raw(testsite, sp["redirect_old"])
        assert resp.status == 301 and resp.getheader("Location") == testsite.url(sp["redirect_new"])
        resp, _ = raw(testsite, sp["redirect_chain"])
        assert resp.status == 302
        assert urljoin(testsite.base_url, resp.getheader("Location")) == testsite.url(
            sp["redirect_old"])
        status, _, body = fetch(testsite.url(sp["redirect_chain"]))
        assert status == 200 and b"<h1" in body

    def test_redirect_loop_comes_back(self, testsite):
        start = testsite.site.special_paths["redirect_loop"]
        path, hops = start, []
        for _ in range(4):
            resp, _ = raw(testsite, path)
            assert resp.status in (301, 302)
            path = urlsplit(urljoin(testsite.base_url, resp.getheader("Location"))).path
            hops.append(path)
        assert hops.count(start) == 2
        status, _, _ = fetch(testsite.url(start))  # urllib gives up on the loop
        assert status in (301, 302)

    def test_errors(self, testsite):
        sp = testsite.site.special_paths
        assert raw(testsite, sp["not_found"])[0].status == 404
        resp, body = raw(testsite, sp["server_error"])
        assert resp.status == 500 and b"Something went wrong" in body

    def test_pdf_and_png(self, testsite):
        sp = testsite.site.special_paths
        resp, body = raw(testsite, sp["pdf"])
        assert resp.getheader("Content-Type") == "application/pdf"
        assert body.startswith(b"%PDF-1.4") and body.rstrip().endswith(b"%%EOF")
        assert 200 < len(body) < 2000
        resp, body = raw(testsite, sp["png"], headers={"Accept-Encoding": "gzip"})
        assert resp.getheader("Content-Type") == "image/png"
        assert resp.getheader("Content-Encoding") is None
        assert body.startswith(b"\x89PNG\r\n\x1a\n")

    def test_slow(self, testsite):
        start = time.monotonic()
        resp, _ = raw(testsite, testsite.site.special_paths["slow"])
        assert resp.status == 200 and time.monotonic() - start >= 1.8

    def test_bad_encoding(self, testsite):
        resp, body = raw(testsite, testsite.site.special_paths["bad_encoding"])
        assert resp.getheader("Content-Type") == "text/html; charset=utf-8"
        assert b'<meta charset="utf-8">' in body and b"caf\xe9" in body
        with pytest.raises(UnicodeDecodeError):
            body.decode("utf-8")

    def test_canonical_duplicates(self, testsite):
        sp = testsite.site.special_paths
        target = testsite.url(sp["canonical_target"])
        dup = text(testsite.url(sp["canonical_duplicate"]))
        assert f'<link rel="canonical" href="{target}">' in dup
        assert f'<link rel="amphtml" href="{testsite.url(sp["canonical_duplicate"])}">' in text(
            target)
        by_path = {a.path: a for a in testsite.site.expected_articles}
        for key in ("tracking_params", "fbclid", "fragment"):
            url = testsite.url(sp[key])
            main = testsite.site.route_key(urlsplit(url).path + "?" + urlsplit(url).query)
            assert by_path[main.rstrip("?")].title in html.unescape(text(url)), key

    def test_robots_disallowed_page_looks_like_an_article(self):
        with serve_in_thread("test") as site:  # its own server: the shared one must stay clean
            path = site.site.special_paths["robots_disallowed"]
            assert path.startswith("/private/")
            page = text(site.url(path))
            assert '<meta property="og:type" content="article">' in page
            assert path not in {a.path for a in site.site.expected_articles}


class TestHits:
    def test_counts_per_target(self):
        with serve_in_thread("demo") as site:
            assert site.hits == {}
            for _ in range(2):
                fetch(site.url("/about/"))
            fetch(site.url("/business/?page=2"))
            assert site.hits == {"/about/": 2, "/business/?page=2": 1}
            _, headers, body = fetch(site.url("/__hits__"))
            assert headers["Content-Type"] == "application/json"
            assert json.loads(body) == site.hits  # /__hits__ itself is not counted
            site.reset_hits()
            assert site.hits == {}

    def test_counting_is_thread_safe(self):
        with serve_in_thread("demo") as site:
            def worker() -> None:
                for _ in range(10):
                    fetch(site.url("/robots.txt"))

            threads = [threading.Thread(target=worker) for _ in range(8)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            assert site.hits["/robots.txt"] == 80

    def test_stop_frees_the_port(self):
        site = serve_in_thread("demo")
        url = site.url("/")
        assert fetch(url)[0] == 200
        site.stop()
        with pytest.raises(urllib.error.URLError):
            urllib.request.urlopen(url, timeout=2)


class TestSubprocess:
    def test_prints_url_then_serves_and_stops_on_sigterm(self):
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)}
        proc = subprocess.Popen(
            [sys.executable, "-m", "crawler.demo.site", "--site", "test", "--port", "0"],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        try:
            line = proc.stdout.readline()
            assert re.fullmatch(r"http://127\.0\.0\.1:\d+/\n", line), line
            base = line.strip()
            assert "Disallow: /private/" in text(base + "robots.txt")
            assert json.loads(fetch(base + "__hits__")[2]) == {"/robots.txt": 1}
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=10) == 0
            assert proc.stdout.read() == ""  # exactly one line
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            proc.stdout.close()
            proc.stderr.close()


class TestBusyArticle:
    def test_first_request_gets_429_with_retry_after(self):
        with serve_in_thread("test") as site:
            path = site.site.special_paths["retry_after"]
            response, _ = raw(site, path)
            assert response.status == 429
            assert response.getheader("Retry-After") == "1"
            response, body = raw(site, path)
            assert response.status == 200
            assert b"<html" in body.lower() or body[:2] == b"\x1f\x8b"
