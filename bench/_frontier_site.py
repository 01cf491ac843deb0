"""A news site whose sitemaps list a million articles, generated on demand.

Run in its own process by bench/frontier_memory.py (``python -m bench._frontier_site
--urls N``); it prints its base URL on one line and serves until killed. Nothing is
held in memory but the arguments: every sitemap and page is built from its path
when asked for, so the site costs the same whatever ``--urls`` says.

    /robots.txt                    Sitemap: /sitemap-index.xml
    /                              a home page linking a few of the newest articles
    /sitemap-index.xml             SITEMAPS child sitemaps
    /sitemaps/N.xml.gz             its share of the URLs, gzipped
    /news/2026/12/06/story-I.html  a small article page
    /__served__                    how many article pages were served (a count)
"""

from __future__ import annotations

import argparse
import gzip
import sys
import threading
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SITEMAPS = 20
_ARTICLE_PREFIX = "/news/2026/12/06/story-"
_WORDS = ("council", "harbour", "budget", "election", "river", "school", "market",
          "festival", "railway", "hospital", "museum", "storm", "court", "bridge")


def article_path(index: int) -> str:
    return f"{_ARTICLE_PREFIX}{index}.html"


def sitemap_share(child: int, urls: int) -> range:
    """The article indexes child sitemap ``child`` lists."""
    per = -(-urls // SITEMAPS)
    return range(child * per, min(urls, (child + 1) * per))


@lru_cache(maxsize=2)  # the crawl fetches each child once; two in flight at most matter
def sitemap_body(base: str, child: int, urls: int) -> bytes:
    entries = "".join(f"<url><loc>{base}{article_path(i)}</loc>"
                      f"<lastmod>2026-12-06</lastmod></url>\n"
                      for i in sitemap_share(child, urls))
    xml = ('<?xml version="1.0" encoding="UTF-8"?>\n'
           '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
           f"{entries}</urlset>\n")
    return gzip.compress(xml.encode(), compresslevel=1)


def index_body(base: str) -> bytes:
    children = "".join(f"<sitemap><loc>{base}/sitemaps/{n}.xml.gz</loc></sitemap>\n"
                       for n in range(SITEMAPS))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{children}</sitemapindex>\n").encode()


def article_body(index: int) -> bytes:
    words = [_WORDS[(index * 7 + k * 3) % len(_WORDS)] for k in range(6)]
    title = f"The {words[0]} and the {words[1]}: story {index}"
    paragraphs = "".join(
        f"<p>Residents said the {words[k % 6]} plan for the {words[(k + 1) % 6]} would "
        f"change how the town works, and officials promised a decision on item {index} "
        f"before the end of the month, after a long meeting on the {words[(k + 2) % 6]}.</p>"
        for k in range(6))
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{title}"
            f"</title><meta property='og:type' content='article'>"
            f"<meta property='article:published_time' content='2026-12-06T08:00:00Z'>"
            f"</head><body><header><a href='/'>The Million Times</a></header><article>"
            f"<h1>{title}</h1><p class='byline'>By A. Reporter</p>"
            f"<time datetime='2026-12-06T08:00:00Z'>6 December 2026</time>"
            f"{paragraphs}</article></body></html>").encode()


class _Handler(BaseHTTPRequestHandler):
    server: _Site
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        site, path = self.server, self.path.split("?")[0]
        base = f"http://{self.headers.get('Host')}"
        kind = "text/html; charset=utf-8"
        if path == "/robots.txt":
            body, kind = f"User-agent: *\nAllow: /\nSitemap: {base}/sitemap-index.xml\n".encode(), \
                "text/plain"
        elif path == "/":
            links = "".join(f"<li><a href='{article_path(i)}'>Story {i}</a></li>"
                            for i in range(min(site.urls, 20)))
            body = f"<html><head><title>The Million Times</title></head><body><ul>{links}" \
                   f"</ul></body></html>".encode()
        elif path == "/sitemap-index.xml":
            body, kind = index_body(base), "application/xml"
        elif path.startswith("/sitemaps/") and path.endswith(".xml.gz"):
            body, kind = sitemap_body(base, int(path[10:-7]), site.urls), "application/x-gzip"
        elif path.startswith(_ARTICLE_PREFIX) and path[len(_ARTICLE_PREFIX):-5].isdigit():
            body = article_body(int(path[len(_ARTICLE_PREFIX):-5]))
            with site.lock:
                site.served += 1
        elif path == "/__served__":
            body, kind = str(site.served).encode(), "text/plain"
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Site(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, urls: int) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.urls = urls
        self.served = 0
        self.lock = threading.Lock()

    def handle_error(self, request: object, client_address: object) -> None:
        # A crawl that ends drops its idle keep-alive connections: not worth a traceback.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--urls", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    site = _Site(args.urls)
    print(f"http://127.0.0.1:{site.server_address[1]}", flush=True)
    site.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
