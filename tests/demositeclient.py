"""What the tests of the demo sites (``crawler/demo/site``) share: the sites' names,
requests with urllib (``fetch``, ``text``) or raw http.client (``raw``), the links of
a page, and ``site_fixture`` for a module-scoped fixture serving a site in a thread."""

from __future__ import annotations

import gzip
import http.client
import time
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from crawler.demo.site import RunningSite, serve_in_thread

ROOT = Path(__file__).resolve().parents[1]
SITES = ["demo", "test"]


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


def site_fixture(name: str, site: str | None = None):
    """A module-scoped fixture called ``name`` that serves ``site``, or each of ``SITES``
    in turn; assign it to ``name`` in the test module."""

    @pytest.fixture(scope="module", name=name, params=None if site else SITES)
    def serving(request: pytest.FixtureRequest):
        with serve_in_thread(site or request.param) as running:
            yield running

    return serving
