"""A site whose pages, feed, sitemaps, robots.txt and redirects point at other loopback
addresses and ports, the traps that record any connection made to those, and a
resolver that answers like a DNS-rebinding attacker.

The site (``serve_site``) lives on 127.0.0.1:PORT. Everything it points elsewhere goes
to ``trap`` (127.0.0.1, another port) or ``far`` (127.0.0.2), spelt every way a
resolver reads an address (``2130706433``, ``0x7f.1``, ``017700000001``,
``[::ffff:7f00:1]``) and, through ``rebind.test``, by a name whose answer changes
between the crawler's check and its connection (:class:`RebindingResolver`). A crawl
that keeps to the egress guard makes no connection to either trap.

For the redirect rule, ``/away`` leaves for ``elsewhere`` (a site of its own the job
allows) and ``/away-twice`` leaves and, from there, redirects again.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from typing import Any

from scrapy.resolver import HostResolution
from twisted.internet.address import IPv4Address
from twisted.internet.interfaces import IHostnameResolver, IResolutionReceiver
from zope.interface import implementer

from tests.sites.server import Request, RunningSite, serve

REBIND_NAME = "rebind.test"
HTML = "text/html; charset=utf-8"


class ConnectionTrap:
    """Listens on ``address`` (and ``port``, else a free one) and records every
    connection made to it.

    Each is answered with a small page, so that a crawl that should never have come
    would go on as if nothing were wrong; only the record tells."""

    def __init__(self, address: str, port: int = 0) -> None:
        self.sock = socket.create_server((address, port))
        self.sock.settimeout(0.2)
        self.address, self.port = self.sock.getsockname()[:2]
        self.connections: list[tuple[str, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, name=f"trap-{address}",
                                        daemon=True)
        self._thread.start()

    @property
    def netloc(self) -> str:
        return f"{self.address}:{self.port}"

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, peer = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections.append(peer[:2])
            with conn:
                conn.settimeout(1)
                try:
                    conn.recv(65536)
                    body = b"<html><body><p>leaked</p></body></html>"
                    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
                                 b"Content-Length: %d\r\nConnection: close\r\n\r\n%s"
                                 % (len(body), body))
                except OSError:
                    pass

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self.sock.close()


def _page(title: str, links: list[str], extra_head: str = "") -> tuple[Any, ...]:
    anchors = "".join(f'<li><a href="{href}">{href}</a></li>' for href in links)
    body = (f"<!doctype html><html><head><title>{title}</title>{extra_head}</head>"
            f"<body><h1>{title}</h1><ul>{anchors}</ul></body></html>")
    return 200, body.encode(), HTML


def _redirect(location: str) -> tuple[Any, ...]:
    return 302, b"", HTML, {"Location": location}


def _story(title: str) -> tuple[Any, ...]:
    text = " ".join(f"{title} was reported on by the local paper, sentence {i}." for i in
                    range(30))
    body = (f"<!doctype html><html><head><title>{title}</title></head><body><article>"
            f"<h1>{title}</h1><p>{text}</p></article></body></html>")
    return 200, body.encode(), HTML


def serve_site(trap: ConnectionTrap, far: ConnectionTrap,
               elsewhere: RunningSite | None = None) -> RunningSite:
    """The site on 127.0.0.1:PORT whose links lead to ``trap`` and ``far``."""
    port, far_port = trap.port, far.port

    def start(base: str):
        routes = {
            "/": lambda: _page("Home", [
                "/story-1/", "/away-private", "/away-octal", "/away-mapped", "/away",
                "/away-twice",
                f"http://127.0.0.1:{port}/in-scope-not-allowed/",
                f"http://{REBIND_NAME}:{far_port}/rebound/",
                f"{elsewhere.base if elsewhere else base}/linked-elsewhere/",
            ], extra_head=f'<link rel="alternate" type="application/rss+xml" '
                          f'href="http://127.0.0.1:{port}/feed.xml">'),
            "/robots.txt": lambda: (200, (
                "User-agent: *\nAllow: /\n"
                f"Sitemap: http://127.0.0.2:{far_port}/robots-sitemap.xml\n"
                f"Sitemap: http://0x7f.1:{port}/robots-sitemap-hex.xml\n").encode(),
                "text/plain"),
            "/sitemap-index.xml": lambda: (200, (
                '<?xml version="1.0"?><sitemapindex '
                'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                f"<sitemap><loc>{base}/sitemap-pages.xml</loc></sitemap>"
                f"<sitemap><loc>http://127.0.0.2:{far_port}/child.xml</loc></sitemap>"
                f"<sitemap><loc>http://2130706433:{port}/child-decimal.xml</loc></sitemap>"
                "</sitemapindex>").encode(), "application/xml"),
            "/sitemap-pages.xml": lambda: (200, (
                '<?xml version="1.0"?><urlset '
                'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                f"<url><loc>{base}/story-2/</loc></url>"
                f"<url><loc>http://127.0.0.1:{port}/from-sitemap/</loc></url>"
                "</urlset>").encode(), "application/xml"),
            "/feed.xml": lambda: (200, (
                '<?xml version="1.0"?><rss version="2.0"><channel><title>Local</title>'
                f"<link>{base}/</link><description>d</description>"
                f"<item><title>Three</title><link>{base}/story-3/</link></item>"
                f"<item><title>Trap</title><link>http://127.0.0.1:{port}/from-feed/</link>"
                "</item></channel></rss>").encode(), "application/rss+xml"),
            "/away-private": lambda: _redirect(f"http://127.0.0.2:{far_port}/secret"),
            "/away-octal": lambda: _redirect(f"http://017700000001:{port}/secret-octal"),
            "/away-mapped": lambda: _redirect(f"http://[::ffff:7f00:1]:{port}/secret-mapped"),
        }
        if elsewhere is not None:
            routes["/away"] = lambda: _redirect(f"{elsewhere.base}/landing")
            routes["/away-twice"] = lambda: _redirect(f"{elsewhere.base}/hop1")
        for n in (1, 2, 3):
            routes[f"/story-{n}/"] = lambda n=n: _story(f"Story {n}")

        def respond(request: Request) -> tuple[Any, ...]:
            route = routes.get(request.path)
            return route() if route else (404, b"not here", "text/plain")
        return respond

    return serve(start, name="egress-site", server_version="nginx")


def serve_elsewhere(home: Callable[[], str]) -> RunningSite:
    """Another site (127.0.0.1, its own port): where ``/away`` and ``/away-twice`` go.
    Its landing page links back to ``home()``, the base URL of the site that sends
    crawlers there."""
    def start(base: str):
        routes = {
            "/landing": lambda: _page("Landing", [
                f"{base}/landing-link/", f"{home()}/from-landing/"],
                extra_head=f'<link rel="alternate" type="application/rss+xml" '
                           f'href="{home()}/landing-feed.xml">'),
            "/hop1": lambda: _redirect(f"{base}/hop2"),
            "/hop2": lambda: _story("Second hop"),
        }

        def respond(request: Request) -> tuple[Any, ...]:
            route = routes.get(request.path)
            return route() if route else _story("Elsewhere")
        return respond

    return serve(start, name="egress-elsewhere", server_version="nginx")


@implementer(IHostnameResolver)
class RebindingResolver:
    """``EGRESS_DNS_RESOLVER`` for a crawl test: ``rebind.test`` answers the guard's
    check with 127.0.0.3 (allowed by the job) and the connection with 127.0.0.2 — a
    name that turns private between check and connect. Other names go to the
    resolver in place before it."""

    def __init__(self, reactor: Any) -> None:
        self.reactor = reactor
        self.previous: Any = None

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: Any) -> RebindingResolver:
        return cls(reactor)

    def install_on_reactor(self) -> None:
        self.previous = self.reactor.nameResolver
        self.reactor.installNameResolver(self)

    def resolveHostName(self, receiver: IResolutionReceiver, hostName: str,
                        portNumber: int = 0, addressTypes: Any = None,
                        transportSemantics: str = "TCP") -> Any:
        if hostName != REBIND_NAME:
            return self.previous.resolveHostName(receiver, hostName, portNumber,
                                                 addressTypes, transportSemantics)
        # The guard's own check collects its answers in a receiver of its own
        # (crawler.egress.resolver._Collector); a connection's receiver is Twisted's.
        checking = type(getattr(receiver, "receiver", None)).__name__ == "_Collector"
        resolution = HostResolution(hostName)
        receiver.resolutionBegan(resolution)
        receiver.addressResolved(IPv4Address("TCP", "127.0.0.3" if checking else "127.0.0.2",
                                             portNumber))
        receiver.resolutionComplete()
        return resolution
