"""A synthetic news website held in memory, and a cheap HTTP server for it.

``bench/crawl_throughput.py`` crawls this site to measure the crawler's CPU per
page, so the site has to cost what a real one costs: article pages of 40–120 KB
in the chrome of a newspaper CMS (three templates, so it is not one page
repeated), prose that does not repeat, JSON-LD and Open Graph metadata, and
every article reachable from ``/`` through paginated section listings.

The server shares the crawler's two cores, so it does next to nothing per
request: every response is rendered up front, written once to a spool file the
server process maps into memory, and each request costs a dict lookup and one
``send`` of a slice of that map.

    python bench/newssite.py --check              # build, serve, fetch everything, report
    python bench/newssite.py --serve --articles 500   # look at it in a browser

Everything is deterministic: the same ``articles`` and ``seed`` give the same
bytes. Dates are fixed (the newest story is from November 2026), not relative
to today. Besides the site, the server answers ``GET /__served__`` (``SERVED_PATH``)
with the number of requests it has answered so far, so a benchmark can follow a
crawl's progress from outside.

This module is the site's API (``build_site``, ``article_paths``, ``serve``) and
its self-check; the parts are in ``bench/_newssite/``: the vocabulary and the
writer of prose, the three page templates, the site's assembly, and the server.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import inspect
import os
import re
import socket
import sys
import threading
import time
from collections import deque
from collections.abc import Iterator, Sequence
from pathlib import Path

if __name__ == "__main__" and not __package__:
    # Run as a file (python bench/newssite.py): import the bench package as -m would.
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._newssite.server import (
    BAD_REQUEST,
    NOT_ALLOWED,
    NOT_FOUND,
    PLACEHOLDER_ORIGIN,
    SERVED_PATH,
    http_response,
    serve,
    server_process,
)
from bench._newssite.site import HTML, Page, article_paths, build_site, html_paths

__all__ = ["SERVED_PATH", "Page", "article_paths", "build_site", "html_paths", "serve"]


# --- self-check: python bench/newssite.py --check ---------------------------------------

_LINK = re.compile(r'<(?:a|link)\s[^>]*?href="([^"]*)"')
_ASSET = re.compile(r"\.(?:css|js|jpg|png|webp|woff2|ico)$")


def _links(body: bytes) -> Iterator[str]:
    """The site paths a page links to, assets and fragments left out."""
    for href in _LINK.findall(body.decode("utf-8")):
        path = href.partition("#")[0]
        if path and not _ASSET.search(path.partition("?")[0]):
            yield path


def _site_problems(site: dict[str, Page]) -> tuple[list[str], int]:
    """Broken links, identical pages, articles not reachable from / through listings;
    and how many hops the deepest article is from /."""
    problems = [f"{path} links to missing {target}"
                for path, page in site.items() if page.content_type == HTML
                for target in _links(page.body) if target not in site][:5]
    if len({page.body for page in site.values()}) != len(site):
        problems.append("some pages are byte-for-byte identical (a crawler drops copies)")
    articles = set(article_paths(site))
    depth = {"/": 0}
    queue = deque(["/"])
    while queue:  # breadth first, never through an article: listings alone must suffice
        path = queue.popleft()
        for target in _links(site[path].body):
            if target in site and target not in depth:
                depth[target] = depth[path] + 1
                if target not in articles:
                    queue.append(target)
    unreachable = articles - depth.keys()
    if unreachable:
        problems.append(f"{len(unreachable)} articles unreachable from / through listings")
    return problems, max((depth[p] for p in articles if p in depth), default=0)


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, from /proc (Linux)."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _fetch(base_url: str, site: dict[str, Page], paths: Sequence[str],
           problems: list[str]) -> None:
    """GET every path once over one keep-alive connection, checking what comes back."""
    host, _, port = base_url.removeprefix("http://").rpartition(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        for path in paths:
            connection.request("GET", path)
            response = connection.getresponse()
            body = response.read()
            page = site[path]
            same = body == page.body or body == page.body.replace(
                PLACEHOLDER_ORIGIN.encode(), base_url.encode())
            if (response.status != 200 or response.getheader("Content-Type") != page.content_type
                    or response.getheader("Content-Length") != str(len(body)) or not same):
                problems.append(f"GET {path}: {response.status}, {len(body)} bytes, "
                                f"{response.getheader('Content-Type')}, same body: {same}")
    finally:
        connection.close()


def _timed_fetch(base_url: str, site: dict[str, Page], paths: Sequence[str], connections: int,
                 pid: int, problems: list[str]) -> str:
    share = [paths[n::connections] for n in range(connections)]
    threads = [threading.Thread(target=_fetch, args=(base_url, site, part, problems))
               for part in share]
    cpu, started = _cpu_seconds(pid), time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed, cpu = time.perf_counter() - started, _cpu_seconds(pid) - cpu
    return (f"{len(paths):,} GETs over {connections} keep-alive connection(s) in {elapsed:.2f} s"
            f" = {len(paths) / elapsed:,.0f} requests/s; server CPU {cpu:.2f} s ="
            f" {1000 * cpu / len(paths):.3f} ms/request")


def _served(base_url: str) -> int:
    host, _, port = base_url.removeprefix("http://").rpartition(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        connection.request("GET", SERVED_PATH)
        return int(connection.getresponse().read())
    finally:
        connection.close()


def _exchange(base_url: str, chunks: Sequence[bytes]) -> bytes:
    """Send raw request bytes in the given pieces; everything received until the server
    closes."""
    host, _, port = base_url.removeprefix("http://").rpartition(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for chunk in chunks:
            sock.sendall(chunk)
            if len(chunks) > 1:
                time.sleep(0.001)
        received = []
        while data := sock.recv(1 << 16):
            received.append(data)
    return b"".join(received)


def _protocol_problems(base_url: str, site: dict[str, Page]) -> list[str]:
    about = http_response("200 OK", HTML, site["/about/"].body)
    about_head = about[:about.index(b"\r\n\r\n") + 4]
    close = b"Connection: close\r\n"
    cases = {
        "pipelined requests": (
            [b"GET /about/ HTTP/1.1\r\nHost: x\r\n\r\nHEAD /about/ HTTP/1.1\r\n\r\n"
             b"GET /about/?q=1 HTTP/1.1\r\n" + close + b"\r\n"],
            about + about_head + NOT_FOUND),
        "a request in one-byte pieces": (
            [bytes([b]) for b in b"GET /about/ HTTP/1.1\r\nHost: x\r\n" + close + b"\r\n"],
            about),
        "a missing asset": ([b"GET /static/css/gone.css HTTP/1.1\r\n" + close + b"\r\n"],
                            NOT_FOUND),
        "HEAD of a missing page": ([b"HEAD /nope/ HTTP/1.1\r\n" + close + b"\r\n"],
                                   NOT_FOUND[:NOT_FOUND.index(b"\r\n\r\n") + 4]),
        "HTTP/1.0": ([b"GET /about/ HTTP/1.0\r\n\r\n"], about),
        "POST": ([b"POST / HTTP/1.1\r\nContent-Length: 2\r\n\r\nhi"], NOT_ALLOWED),
        "garbage": ([b"hello\r\n\r\n"], BAD_REQUEST),
    }
    problems = [f"{name}: unexpected answer {_exchange(base_url, chunks)[:80]!r}"
                for name, (chunks, expected) in cases.items()
                if _exchange(base_url, chunks) != expected]
    robots = _exchange(base_url, [b"GET /robots.txt HTTP/1.1\r\nHost: news.test:8080\r\n"
                                  + close + b"\r\n"])
    if b"Sitemap: http://news.test:8080/sitemap.xml" not in robots:
        problems.append(f"robots.txt does not name the requested host: {robots!r}")
    return problems


def _check(articles: int) -> int:
    started = time.perf_counter()
    site = build_site(articles)
    built = time.perf_counter() - started
    sizes = [len(site[path].body) for path in article_paths(site)]
    pages = html_paths(site)
    total = sum(len(site[path].body) for path in pages)
    others = len(site) - len(pages)
    print(f"built {articles:,} articles in {built:.2f} s: {len(pages):,} HTML pages,"
          f" {total / 1e6:.1f} MB, mean {total / len(pages) / 1024:.1f} KB; article pages"
          f" {min(sizes) / 1024:.1f}–{max(sizes) / 1024:.1f} KB,"
          f" mean {sum(sizes) / len(sizes) / 1024:.1f} KB; {others:,} other paths"
          f" (requisites, robots.txt, sitemaps),"
          f" {sum(len(p.body) for p in site.values()) / 1e6 - total / 1e6:.1f} MB")
    problems, deepest = _site_problems(site)
    print(f"links checked; the deepest article is {deepest} hops from / through listings")
    started = time.perf_counter()
    with server_process(site, "127.0.0.1", 0) as (url, process):
        print(f"serving at {url} after {time.perf_counter() - started:.2f} s")
        print("every page, in order:", _timed_fetch(url, site, list(site), 1, process.pid,
                                                    problems))
        print("every article again: ", _timed_fetch(url, site, article_paths(site), 32,
                                                    process.pid, problems))
        served, expected = _served(url), len(site) + len(article_paths(site))
        if served != expected:
            problems.append(f"{SERVED_PATH} says {served} requests answered, not {expected}")
        problems += _protocol_problems(url, site)
    for problem in problems[:20]:
        print("PROBLEM:", problem)
    print("FAILED" if problems else "OK")
    return 1 if problems else 0


def main(args: Sequence[str] | None = None) -> int:
    """Build the synthetic news site, then check it or serve it until Ctrl-C.

    examples:
      python bench/newssite.py --check
      python bench/newssite.py --check --articles 10000
      python bench/newssite.py --serve --articles 500 --port 8000
    """
    parser = argparse.ArgumentParser(description=inspect.cleandoc(main.__doc__ or ""),
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--check", action="store_true",
                        help="build, serve and fetch every page; print figures")
    action.add_argument("--serve", action="store_true", help="serve until Ctrl-C")
    parser.add_argument("--articles", type=int, default=2000, metavar="N",
                        help="how many articles the site has (default: 2000)")
    parser.add_argument("--port", type=int, default=0,
                        help="port to serve on (default: any free port)")
    options = parser.parse_args(args)
    if options.articles < 1:
        parser.error("--articles must be at least 1")
    if options.check:
        return _check(options.articles)
    with serve(build_site(options.articles), port=options.port) as url:
        print(f"serving {options.articles:,} articles at {url}/ (Ctrl-C stops)")
        with contextlib.suppress(KeyboardInterrupt):
            while True:
                time.sleep(3600)
    return 0


if __name__ == "__main__":
    sys.exit(main())
