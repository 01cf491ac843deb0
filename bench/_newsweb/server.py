"""The web's HTTP/1.1 server: one asyncio event loop, one listening socket per host.

Each site listens on its own loopback address (its "www" alias on another), so the
crawler sees as many hosts as there are sites. Connections are kept alive, every
answer has a Content-Length, and every request is logged with the host it reached,
its status, and when it arrived and ended (monotonic and wall clock), so the
benchmark checks politeness as the servers saw it. A site that is down has no
listening socket at all: connecting to it is refused, as a dead host's would be.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from http import HTTPStatus

from bench._newsweb.model import Site, World
from bench._newsweb.routes import Reply, Router

MAX_HEAD = 64 * 1024


@dataclass(frozen=True)
class Logged:
    host: str  # address:port the request reached
    path: str
    status: int
    arrived: float  # time.monotonic() when its head was read
    ended: float  # time.monotonic() when the answer was written out
    arrived_wall: float
    ended_wall: float
    retry_after: float = 0.0  # the Retry-After the answer carried, in seconds

    def as_list(self) -> list:
        return [self.host, self.path, self.status, self.arrived, self.ended,
                self.arrived_wall, self.ended_wall, self.retry_after]


class WebServer:
    """Serves every site of a :class:`World` through a :class:`Router`."""

    def __init__(self, world: World, router: Router, port: int = 0) -> None:
        self.world = world
        self.router = router
        self.port = port
        self.log: list[Logged] = []
        self._servers: dict[tuple[int, bool], asyncio.AbstractServer] = {}
        self._writers: dict[int, set[asyncio.StreamWriter]] = {}

    async def start(self) -> None:
        for site in self.world.sites:
            await self._listen(site)

    async def _listen(self, site: Site) -> None:
        for alias in (False, True) if site.alias else (False,):
            address = site.alias if alias else site.address
            server = await asyncio.start_server(
                lambda r, w, s=site, a=alias: self._connection(r, w, s, a),
                address, site.port or self.port, reuse_address=True, backlog=64)
            if not site.port:  # port 0: the first socket picks the port, the alias reuses it
                site.port = server.sockets[0].getsockname()[1]
            self._servers[(site.index, alias)] = server

    async def sync_up_and_down(self) -> None:
        """Open or close each site's sockets as the current hour has it up or down."""
        for site in self.world.sites:
            listening = (site.index, False) in self._servers
            if self.world.is_up(site) and not listening:
                await self._listen(site)
            elif not self.world.is_up(site) and listening:
                for alias in (False, True):
                    server = self._servers.pop((site.index, alias), None)
                    if server is not None:
                        server.close()
                for writer in self._writers.pop(site.index, set()):
                    writer.close()  # a dead host does not finish its keep-alive connections

    async def close(self) -> None:
        for server in self._servers.values():
            server.close()
        for writers in self._writers.values():
            for writer in writers:
                writer.close()

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                          site: Site, alias: bool) -> None:
        local = writer.get_extra_info("sockname")
        host = f"{local[0]}:{local[1]}"
        self._writers.setdefault(site.index, set()).add(writer)
        try:
            while await self._exchange(reader, writer, site, alias, host):
                pass
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            pass
        finally:
            self._writers.get(site.index, set()).discard(writer)
            writer.close()

    async def _exchange(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                        site: Site, alias: bool, host: str) -> bool:
        """Read one request, answer it; whether the connection stays open."""
        head = await reader.readuntil(b"\r\n\r\n")
        arrived, arrived_wall = time.monotonic(), time.time()
        lines = head.decode("latin-1").split("\r\n")
        try:
            method, target, version = lines[0].split(" ", 2)
        except ValueError:
            return False
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            if name:
                headers[name.strip().lower()] = value.strip()
        if target.startswith("http://"):  # absolute form: keep path and query
            target = "/" + target.split("/", 3)[3] if target.count("/") >= 3 else "/"
        reply = self.router.respond(site, target, headers, alias=alias)
        if reply.delay:
            await asyncio.sleep(reply.delay)
        keep_alive = (version == "HTTP/1.1" and headers.get("connection", "").lower() != "close")
        writer.write(_encode(reply, method == "HEAD", keep_alive))
        await writer.drain()
        self.log.append(Logged(host, target, reply.status, arrived, time.monotonic(),
                               arrived_wall, time.time(),
                               float(reply.headers.get("Retry-After", 0))))
        return keep_alive


def _encode(reply: Reply, head_only: bool, keep_alive: bool) -> bytes:
    phrase = HTTPStatus(reply.status).phrase
    headers = {"Server": "newsweb", "Date": _http_date(),
               "Content-Length": str(len(reply.body)) if reply.status != 304 else None,
               "Connection": "keep-alive" if keep_alive else "close", **reply.headers}
    lines = [f"HTTP/1.1 {reply.status} {phrase}"]
    lines += [f"{name}: {value}" for name, value in headers.items() if value is not None]
    body = b"" if head_only or reply.status == 304 else reply.body
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


_date_cache: tuple[int, str] = (0, "")


def _http_date() -> str:
    global _date_cache
    now = int(time.time())
    if _date_cache[0] != now:
        from email.utils import formatdate
        _date_cache = (now, formatdate(now, usegmt=True))
    return _date_cache[1]
