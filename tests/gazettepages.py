"""Reading a running Gazette (tests/sites/changing_editions.py) for its self-check:
``get`` without following redirects, ``walk`` its links, its ``sitemap`` and ``feed``,
a page's ``links`` and ``json_ld``, and edition 1's ground truth (``ED1``)."""

from __future__ import annotations

import html
import json
import re
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections import deque
from datetime import UTC, datetime
from email.message import Message
from email.utils import format_datetime, parsedate_to_datetime
from urllib.parse import urljoin

from tests.sites import changing_editions as gazette
from tests.sites.checks import url_key

HREF = re.compile(r"""<a\b[^>]*?\bhref\s*=\s*["']([^"'#]*)["']""", re.I)
LD_JSON = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
SM = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
ED1 = gazette.articles(1)
ED1_PATHS = [a["path"] for a in ED1]
UNCHANGED = [p for p in ED1_PATHS if p != gazette.EDITED_PATH]
PINNED_EDIT = "2026-11-26T15:04:05+00:00"


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

