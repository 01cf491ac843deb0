"""The benchmark's handle on the web: a small JSON interface on 127.0.0.1.

    GET /advance?hour=H   publish and edit up to hour H, open/close sockets of sites
                          that come up or go down; answers what changed
    GET /truth            every site and article: URL, published hour, edit hours,
                          each site's status hour by hour
    GET /log[?reset=1]    the request log (and clear it), one list per request:
                          host, path, status, arrived, ended (monotonic), the same by
                          the wall clock, and the Retry-After sent (0: none)
    GET /shutdown         stop serving

It is served by the web's own event loop, so answers are consistent with what the
sites serve: an advance happens between two requests, never during one.
"""

from __future__ import annotations

import asyncio
import json
from urllib.parse import parse_qs, urlsplit

from bench._newsweb.pages import article_path
from bench._newsweb.routes import Router
from bench._newsweb.server import WebServer


class Control:
    def __init__(self, server: WebServer, router: Router) -> None:
        self.server = server
        self.router = router
        self.world = server.world
        self.stopped = asyncio.Event()

    async def start(self, port: int = 0) -> int:
        listener = await asyncio.start_server(self._connection, "127.0.0.1", port)
        return listener.sockets[0].getsockname()[1]

    async def _connection(self, reader: asyncio.StreamReader,
                          writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            target = head.decode("latin-1").split(" ", 2)[1]
            status, answer = await self.answer(target)
            body = json.dumps(answer).encode()
            writer.write(f"HTTP/1.1 {status} OK\r\nContent-Type: application/json\r\n"
                         f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
                         .encode() + body)
            await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError, IndexError):
            pass
        finally:
            writer.close()

    async def answer(self, target: str) -> tuple[int, object]:
        parts = urlsplit(target)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        if parts.path == "/advance":
            counts = self.world.advance(int(query["hour"]))
            self.router.advanced()
            await self.server.sync_up_and_down()
            return 200, {"hour": self.world.hour, **counts,
                         "down": [s.name for s in self.world.sites if not self.world.is_up(s)]}
        if parts.path == "/truth":
            urls = {(s.index, a.number): s.base + article_path(s, a)
                    for s in self.world.sites for a in s.articles}
            return 200, self.world.truth(urls)
        if parts.path == "/log":
            entries = [entry.as_list() for entry in self.server.log]
            if query.get("reset"):
                self.server.log.clear()
            return 200, {"entries": entries}
        if parts.path == "/shutdown":
            self.stopped.set()
            return 200, {"stopping": True}
        return 404, {"error": f"unknown path {parts.path}"}
