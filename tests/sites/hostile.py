"""A site of hostile answers, one per path: "The Hostile Herald".

Written apart from the crawler's code (standard library only). A few ordinary
articles (``ARTICLES``, linked first from the home page) and, next to them, every
answer a crawl of the open web must survive in bounded memory:

* feeds: ``/feeds/laughs.xml`` (nested entity expansion, "billion laughs") and
  ``/feeds/quadratic.xml`` (one 100 KB entity used 100,000 times); each has a
  good item before the attack.
* sitemaps: ``/sitemaps/laughs.xml`` (billion laughs after a good entry),
  ``/sitemaps/bomb.xml.gz`` (a gzip bomb: a good entry, then 8 GiB of zeros in
  ~8 MB), ``/sitemaps/million.xml.gz`` (1,000,000 entries, ``/m/N``) and
  ``/sitemaps/index.xml`` (an index of 10,000 sitemaps ``/sitemaps/child-N.xml``, each
  listing ``/c/N``). The job lists them; robots.txt names none.
* HTML: ``/hostile/gzip-bomb`` (``Content-Encoding: gzip``, 8 GiB of zeros),
  ``/hostile/headers`` (an article with 10,000 response headers),
  ``/hostile/long-header`` (an article with a 1 MB header line), ``/hostile/links``
  (100,000 links, to ``/l/N``), ``/hostile/deep`` (an article nested 100,000
  levels deep), ``/hostile/jsonld`` (an article with a 10 MB JSON-LD block),
  ``/hostile/bad-urls`` (links with invalid UTF-8, NUL bytes, ``javascript:``,
  ``data:``, ``file:``, ``mailto:``, unparseable hosts and ports; and one good link,
  ``AFTER_BAD_URLS``) and ``/hostile/redirect/N`` (an endless chain of redirects).

Big bodies are built once per process and never held decompressed: the gzip
bombs are one compressed block repeated (``gzip_bomb``), the big sitemap is
compressed as it is written. ``/m/N``, ``/c/N`` and ``/l/N`` answer a short
article for any N. ``serve()`` starts a fresh instance on 127.0.0.1, port 0
(``tests.sites.server``; its ``hits()`` and ``requests()`` show what was asked).
"""

from __future__ import annotations

import html
import json
import re
import zlib
from functools import cache

from tests.sites.server import Reply, Request, RunningSite
from tests.sites.server import serve as serve_site

ARTICLES = ("/news/harbour-wall-repaired", "/news/library-opens-late",
            "/news/ferry-fares-frozen")
FEEDS = ("/feeds/laughs.xml", "/feeds/quadratic.xml")
SITEMAPS = ("/sitemaps/laughs.xml", "/sitemaps/bomb.xml.gz", "/sitemaps/million.xml.gz",
            "/sitemaps/index.xml")
HOSTILE_PAGES = ("/hostile/gzip-bomb", "/hostile/headers", "/hostile/long-header",
                 "/hostile/links", "/hostile/deep", "/hostile/jsonld", "/hostile/bad-urls",
                 "/hostile/redirect/1")
# Good entries before an attack: a reader that stops at the attack still has them.
BEFORE = {"/feeds/laughs.xml": "/news/feed-before-laughs",
          "/feeds/quadratic.xml": "/news/feed-before-quadratic",
          "/sitemaps/laughs.xml": "/news/sitemap-before-laughs",
          "/sitemaps/bomb.xml.gz": "/news/sitemap-before-bomb"}
AFTER_BAD_URLS = "/news/after-bad-urls"

MILLION = 1_000_000
CHILDREN = 10_000
LINKS = 100_000
DEPTH = 100_000
HEADERS = 10_000
HEADER_LINE = 1024 * 1024
JSONLD_SIZE = 10 * 1024 * 1024
BOMB_SIZE = 8 * 1024 ** 3  # inflated; a power of two of MiB (see gzip_bomb)

# What the bad-URLs page links to besides AFTER_BAD_URLS, as raw bytes of its href
# attributes: none of these may become a request with these bytes in its path.
BAD_HREFS = (
    b"javascript:alert(1)", b"JavaScript:alert(2)", b"java\tscript:alert(3)",
    b"data:text/html;base64,PGgxPmhpPC9oMT4=", b"file:///etc/passwd", b"mailto:desk@herald.test",
    b"vbscript:msgbox(1)", b"/bad/nul-\x00-byte", b"/bad/nul-%00-escaped",
    b"/bad/invalid-utf8-\xff\xfe", b"/bad/invalid-utf8-escaped-%ff%fe",
    b"http://[oops/", b"http://127.0.0.1:99999/bad-port", b"http://127.0.0.1:port/",
)
# Raw NUL and invalid UTF-8 may reach the wire only escaped (the HTML parser drops the
# one and replaces the other, as browsers do); these never at all.
NEVER_REQUESTED = ("alert", "base64", "passwd", "herald.test", "msgbox", "bad-port")

_MIB = 1024 * 1024
_ARTICLE_TEXT = (
    "The harbour committee met on Tuesday evening to hear the engineers' report on the "
    "storm damage, and agreed that the repairs would be finished before the autumn "
    "tides. Residents who had complained about the noise were promised quieter hours. ")


def article(path: str, title: str, *, head: str = "", body_before: str = "",
            body_after: str = "") -> bytes:
    """A short news article that any extractor takes for one."""
    esc = html.escape(title)
    paras = "".join(f"<p>{_ARTICLE_TEXT} ({esc}, part {n}.)</p>" for n in range(1, 5))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{esc} | The Hostile Herald</title>
<meta property="og:type" content="article"><meta property="og:title" content="{esc}">
<meta name="author" content="Hannah Holt">
<meta property="article:published_time" content="2025-03-04T09:00:00+00:00">
<link rel="canonical" href="{html.escape(path)}">{head}</head>
<body><header><a href="/">The Hostile Herald</a></header>{body_before}
<article><h1>{esc}</h1><p class="byline">By Hannah Holt</p>{paras}</article>
{body_after}</body></html>""".encode()


# ---------------------------------------------------------------------------- big bodies
def _crc32_combine(crc1: int, crc2: int, len2: int) -> int:
    """zlib's crc32_combine: the CRC-32 of A+B from those of A and B and B's length."""
    def times(matrix: list[int], vector: int) -> int:
        total, i = 0, 0
        while vector:
            if vector & 1:
                total ^= matrix[i]
            vector >>= 1
            i += 1
        return total

    def square(matrix: list[int]) -> list[int]:
        return [times(matrix, matrix[n]) for n in range(32)]

    # The operator that appends one zero bit to a CRC, squared to four bits; then
    # squared again before each bit of len2: one zero byte, two, four, ...
    zeros = square(square([0xEDB88320] + [1 << n for n in range(31)]))
    while len2:
        zeros = square(zeros)
        if len2 & 1:
            crc1 = times(zeros, crc1)
        len2 >>= 1
    return crc1 ^ crc2


@cache
def gzip_bomb(size: int, prefix: bytes = b"") -> bytes:
    """A valid gzip member that inflates to ``prefix`` and then ``size`` zero bytes
    (``size`` a power of two of MiB), built without ever holding them: after a full
    flush deflate starts afresh, so every MiB of zeros compresses to the same ~1 KB,
    written once and repeated; the trailer's CRC is combined by doubling."""
    blocks = size // _MIB
    assert blocks * _MIB == size and blocks & (blocks - 1) == 0, size
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    head = packer.compress(prefix) + packer.flush(zlib.Z_FULL_FLUSH)
    zeros = bytes(_MIB)
    block = packer.compress(zeros) + packer.flush(zlib.Z_FULL_FLUSH)
    tail = packer.flush()
    crc, length = zlib.crc32(zeros), _MIB
    while length < size:
        crc, length = _crc32_combine(crc, crc, length), length * 2
    crc = _crc32_combine(zlib.crc32(prefix), crc, size)
    trailer = crc.to_bytes(4, "little") + ((len(prefix) + size) % 2 ** 32).to_bytes(4, "little")
    return b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff" + head + block * blocks + tail + trailer


@cache
def million_sitemap() -> bytes:
    """``MILLION`` entries (~31 MB of XML), gzipped as it is written."""
    packer = zlib.compressobj(6, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    parts = [packer.compress(b'<?xml version="1.0" encoding="UTF-8"?>\n'
                             b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n')]
    for start in range(0, MILLION, 10_000):
        parts.append(packer.compress(b"".join(
            b"<url><loc>/m/%d</loc></url>\n" % n for n in range(start, start + 10_000))))
    parts.append(packer.compress(b"</urlset>\n") + packer.flush())
    return b"".join(parts)


@cache
def _index() -> bytes:
    children = "".join(f"<sitemap><loc>/sitemaps/child-{n}.xml</loc></sitemap>\n"
                       for n in range(CHILDREN))
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex '
            f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{children}'
            "</sitemapindex>\n").encode()


_LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n'
           + b"".join(b'<!ENTITY lol%d "%s">\n' % (n, (b"&lol%d;" % (n - 1) if n > 1
                                                       else b"&lol;") * 10)
                      for n in range(1, 10)) + b"]>\n")
_QUADRATIC = b'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY a "' + b"A" * 100_000 + b'">]>\n'
_SITEMAP_NS = b'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def _feed(prolog: bytes, attack: bytes, before: str) -> bytes:
    return (prolog + b'<rss version="2.0"><channel><title>Herald</title>'
            b"<item><title>Before</title><link>" + before.encode() + b"</link></item>"
            b"<item><title>" + attack + b"</title><link>/news/never-reached</link></item>"
            b"</channel></rss>")


@cache
def _static() -> dict[str, Reply]:
    xml = "application/xml"
    return {
        "/feeds/laughs.xml": (200, _feed(_LAUGHS, b"&lol9;", BEFORE["/feeds/laughs.xml"]),
                              "application/rss+xml"),
        "/feeds/quadratic.xml": (200, _feed(_QUADRATIC, b"&a;" * 100_000,
                                            BEFORE["/feeds/quadratic.xml"]),
                                 "application/rss+xml"),
        "/sitemaps/laughs.xml": (200, _LAUGHS + b"<urlset " + _SITEMAP_NS + b"><url><loc>"
                                 + BEFORE["/sitemaps/laughs.xml"].encode() + b"</loc></url>"
                                 b"<url><loc>/news/&lol9;</loc></url>"
                                 b"<url><loc>/news/never-reached</loc></url></urlset>", xml),
        "/sitemaps/bomb.xml.gz": (200, gzip_bomb(
            BOMB_SIZE, b'<?xml version="1.0"?>\n<urlset ' + _SITEMAP_NS + b"><url><loc>"
            + BEFORE["/sitemaps/bomb.xml.gz"].encode() + b"</loc></url>"), "application/x-gzip"),
        "/sitemaps/million.xml.gz": (200, million_sitemap(), "application/x-gzip"),
        "/sitemaps/index.xml": (200, _index(), xml),
        "/hostile/gzip-bomb": (200, gzip_bomb(BOMB_SIZE), "text/html; charset=utf-8",
                               {"Content-Encoding": "gzip"}),
        "/hostile/headers": (200, article("/hostile/headers", "Ten thousand headers"),
                             "text/html; charset=utf-8",
                             {f"X-Herald-{n}": str(n) for n in range(HEADERS)}),
        "/hostile/long-header": (200, article("/hostile/long-header", "A megabyte of header"),
                                 "text/html; charset=utf-8", {"X-Herald": "h" * HEADER_LINE}),
        "/hostile/links": (200, article("/hostile/links", "A hundred thousand links",
                                        body_after="".join(f'<a href="/l/{n}">Link {n}</a> '
                                                           for n in range(LINKS))),
                           "text/html; charset=utf-8"),
        "/hostile/deep": (200, article("/hostile/deep", "Nested all the way down",
                                       body_after="<div>" * DEPTH + "the bottom"
                                       + "</div>" * DEPTH), "text/html; charset=utf-8"),
        "/hostile/jsonld": (200, article("/hostile/jsonld", "Ten megabytes of JSON-LD",
                                         head=_big_jsonld()), "text/html; charset=utf-8"),
        "/hostile/bad-urls": (200, _bad_urls(), "text/html; charset=utf-8"),
    }


def _big_jsonld() -> str:
    block = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle",
                        "headline": "JSON-LD headline", "articleBody": "x" * JSONLD_SIZE})
    return f'<script type="application/ld+json">{block}</script>'


def _bad_urls() -> bytes:
    links = b"".join(b'<li><a href="' + href + b'">odd link</a></li>' for href in BAD_HREFS)
    return article("/hostile/bad-urls", "Links nobody should follow").replace(
        b"</article>", b"<ul>" + links + b'</ul><a href="' + AFTER_BAD_URLS.encode()
        + b'">Read on</a></article>')


def _home() -> bytes:
    links = "".join(f'<li><a href="{path}">{path}</a></li>' for path in
                    (*ARTICLES, *HOSTILE_PAGES))
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>The Hostile Herald</title></head><body><h1>The Hostile Herald</h1>
<ul>{links}</ul></body></html>""".encode()


_SMALL = re.compile(r"/([mcl])/(\d+)")
_CHILD = re.compile(r"/sitemaps/child-(\d+)\.xml")
_REDIRECT = re.compile(r"/hostile/redirect/(\d+)")


def _start(base: str):
    def respond(request: Request) -> Reply:
        path = request.path
        if path == "/":
            return 200, _home(), "text/html; charset=utf-8"
        if path == "/robots.txt":
            return 200, b"User-agent: *\nAllow: /\n", "text/plain"
        if path in _static():
            return _static()[path]
        if path in ARTICLES or path in BEFORE.values() or path == AFTER_BAD_URLS:
            return 200, article(path, path.rsplit("/", 1)[1].replace("-", " ").title()), \
                "text/html; charset=utf-8"
        if match := _SMALL.fullmatch(path):
            return 200, article(path, f"Story {match[1]}-{match[2]}"), "text/html; charset=utf-8"
        if match := _CHILD.fullmatch(path):
            return 200, (b"<urlset " + _SITEMAP_NS + b"><url><loc>/c/%d</loc></url></urlset>"
                         % int(match[1])), "application/xml"
        if match := _REDIRECT.fullmatch(path):
            return 302, b"", "text/html", {"Location": f"/hostile/redirect/{int(match[1]) + 1}"}
        return 404, b"<html><body>Not here</body></html>", "text/html"
    return respond


def serve() -> RunningSite:
    """Start a fresh instance on 127.0.0.1, port 0 (build the big bodies first)."""
    _static()
    return serve_site(_start, name="hostile-site", server_version="nginx/1.26.2")
