"""How the local news sites (crawler/demo/site) answer over HTTP: gzip, conditional
requests and HEAD, the special cases (redirects, errors, slow and broken pages), the
hit counter, the subprocess server and the busy article."""

from __future__ import annotations

import gzip
import html
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
from urllib.parse import urljoin, urlsplit

import pytest

from crawler.demo.site import load_site, serve_in_thread
from tests.demositeclient import ROOT, fetch, raw, site_fixture, text

running = site_fixture("running")  # each site in turn
testsite = site_fixture("testsite", "test")


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
