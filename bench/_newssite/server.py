"""A cheap HTTP server for the site, in a process of its own.

The parent writes every response (status line, headers and body) into one spool file
and hands it to the server process, which maps it and answers each request with a
slice of the map. The server's copy of the site is then the page cache's, not a second
~0.8 GB heap (10,000 articles) built by unpickling it, and it starts in about a second.

The server process runs this file (``server.py --server-process SPOOL_FD HOST PORT
PARENT_PID``) in an isolated interpreter, so it imports nothing but the standard library.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import mmap
import os
import pickle
import re
import select
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from bench._newssite.site import Page

# robots.txt and sitemaps must give absolute URLs, and the port is only known once the
# server listens: they are built with this origin, which the server replaces with the
# one the client asked for (its Host header). Nothing else carries an origin.
PLACEHOLDER_ORIGIN = "http://newssite.invalid"
#: Not a page of the site: the server answers it with how many requests it has answered
#: so far (this one's own kind not counted), so a benchmark can follow a crawl from outside.
SERVED_PATH = "/__served__"

_MAX_HEAD = 64 * 1024
_HOST_CHARS = re.compile(rb"^[a-z0-9.\[\]:-]+$")
_PR_SET_PDEATHSIG = 1  # linux/prctl.h
_SERVER_FLAG = "--server-process"
_SERVED = SERVED_PATH.encode()


def http_response(status: str, content_type: str, body: bytes, extra: str = "") -> bytes:
    return (f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {len(body)}\r\n{extra}\r\n").encode("latin-1") + body


NOT_FOUND = http_response("404 Not Found", "text/plain; charset=utf-8", b"not found\n")
BAD_REQUEST = http_response("400 Bad Request", "text/plain; charset=utf-8", b"bad request\n",
                            "Connection: close\r\n")
NOT_ALLOWED = http_response("405 Method Not Allowed", "text/plain; charset=utf-8",
                            b"GET or HEAD only\n", "Allow: GET, HEAD\r\nConnection: close\r\n")
_TOO_LARGE = http_response("431 Request Header Fields Too Large", "text/plain; charset=utf-8",
                           b"request head too large\n", "Connection: close\r\n")

# (path, offset of the response in the spool, length of its head, length of it all)
_SpoolEntry = tuple[bytes, int, int, int]


def _spool(site: dict[str, Page], out: IO[bytes]
           ) -> tuple[list[_SpoolEntry], dict[bytes, tuple[str, bytes]]]:
    """Write the site's responses; the pages that name the origin are returned instead,
    to be completed per request."""
    entries: list[_SpoolEntry] = []
    per_origin: dict[bytes, tuple[str, bytes]] = {}
    placeholder = PLACEHOLDER_ORIGIN.encode()
    offset = 0
    for path, page in site.items():
        key = path.encode("utf-8")
        if placeholder in page.body:
            per_origin[key] = (page.content_type, page.body)
            continue
        response = http_response("200 OK", page.content_type, page.body)
        out.write(response)
        entries.append((key, offset, len(response) - len(page.body), len(response)))
        offset += len(response)
    return entries, per_origin


class _Routes:
    """What the server answers: a slice of the spool per path, a page filled in with the
    origin the client asked for, or how many requests it has answered."""

    def __init__(self, spool: memoryview, entries: list[_SpoolEntry],
                 per_origin: dict[bytes, tuple[str, bytes]]) -> None:
        self.full = {path: spool[offset:offset + total] for path, offset, _, total in entries}
        self.head = {path: spool[offset:offset + head] for path, offset, head, _ in entries}
        self._per_origin = per_origin
        # For a request without a usable Host header: the address the server listens on.
        self.fallback_origin = b"http://127.0.0.1"
        self._filled: dict[tuple[bytes, bytes], bytes] = {}
        self.served = 0

    def response(self, target: bytes, fields: bytes, *, head_only: bool) -> bytes | memoryview:
        if target == _SERVED:  # the benchmark's probe is not a page served
            response = http_response("200 OK", "text/plain; charset=utf-8", b"%d\n" % self.served)
        else:
            self.served += 1
            found = (self.head if head_only else self.full).get(target)
            if found is not None:
                return found
            response = self._filled_in(target, _header(fields, b"host")) or NOT_FOUND
        return response[:response.index(b"\r\n\r\n") + 4] if head_only else response

    def _filled_in(self, path: bytes, host: bytes | None) -> bytes | None:
        page = self._per_origin.get(path)
        if page is None:
            return None
        origin = b"http://" + host if host and _HOST_CHARS.match(host) else self.fallback_origin
        response = self._filled.get((path, origin))
        if response is None:
            content_type, body = page
            body = body.replace(PLACEHOLDER_ORIGIN.encode(), origin)
            response = self._filled[(path, origin)] = http_response("200 OK", content_type, body)
        return response


def _header(fields: bytes, name: bytes) -> bytes | None:
    """A header's value from the lowercased header block (which starts with CRLF)."""
    start = fields.find(b"\r\n" + name + b":")
    if start < 0:
        return None
    start += len(name) + 3
    end = fields.find(b"\r\n", start)
    return fields[start:end if end >= 0 else len(fields)].strip()


class _HttpProtocol(asyncio.Protocol):
    """HTTP/1.1 with keep-alive and pipelining, GET and HEAD, no request bodies."""

    def __init__(self, routes: _Routes) -> None:
        self._routes = routes
        self._pending = b""
        self._transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport

    def data_received(self, data: bytes) -> None:
        transport = self._transport
        if transport is None or transport.is_closing():
            return
        pending = self._pending + data if self._pending else data
        start = 0
        while (end := pending.find(b"\r\n\r\n", start)) >= 0:
            keep_open = self._answer(transport, pending[start:end].lstrip(b"\r\n"))
            start = end + 4
            if not keep_open:
                transport.close()
                self._pending = b""
                return
        self._pending = pending[start:]
        if len(self._pending) > _MAX_HEAD:
            transport.write(_TOO_LARGE)
            transport.close()

    # A client that sends faster than it reads is not read from until it catches up.
    def pause_writing(self) -> None:
        if self._transport is not None:
            self._transport.pause_reading()

    def resume_writing(self) -> None:
        if self._transport is not None:
            self._transport.resume_reading()

    def _answer(self, transport: asyncio.Transport, head: bytes) -> bool:
        """Answer one request; False when the connection must close after it."""
        line_end = head.find(b"\r\n")
        request_line = head if line_end < 0 else head[:line_end]
        fields = b"" if line_end < 0 else head[line_end:].lower()
        parts = request_line.split(b" ")
        if len(parts) != 3 or not parts[2].startswith(b"HTTP/1."):
            transport.write(BAD_REQUEST)
            return False
        method, target, version = parts
        if method not in (b"GET", b"HEAD"):
            transport.write(NOT_ALLOWED)
            return False
        if not target.startswith(b"/"):  # absolute form, as sent to proxies
            _, _, rest = target.partition(b"://")
            target = b"/" + rest.partition(b"/")[2]
        keep_open = version == b"HTTP/1.1"
        if keep_open and b"\r\nconnection:" in fields:
            keep_open = b"close" not in (_header(fields, b"connection") or b"")
        # GET has no body; one that comes anyway would be read as the next request.
        if b"\r\ntransfer-encoding:" in fields or _header(fields, b"content-length") not in (
                None, b"0"):
            keep_open = False
        transport.write(self._routes.response(target, fields, head_only=method == b"HEAD"))
        return keep_open


def _belong_to(parent_pid: int) -> None:
    """Die with the process that started us, even if it is killed; ignore Ctrl-C, which
    reaches the whole process group: the parent stops us when it is done."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(0)


def _map_spool(fd: int) -> memoryview:
    try:
        size = os.fstat(fd).st_size
        if size == 0:
            return memoryview(b"")
        # Populated up front: no page faults while the benchmark runs.
        flags = mmap.MAP_SHARED | getattr(mmap, "MAP_POPULATE", 0)
        return memoryview(mmap.mmap(fd, size, flags=flags, prot=mmap.PROT_READ))
    finally:
        os.close(fd)  # the map holds its own reference


def _server_main(argv: list[str]) -> None:
    """The server process, ``server.py --server-process SPOOL_FD HOST PORT PARENT_PID``:
    read the spool's index from stdin, map the spool, listen, print the port, serve
    until stopped."""
    spool_fd, host, port, parent_pid = argv
    _belong_to(int(parent_pid))
    entries, per_origin = pickle.load(sys.stdin.buffer)
    routes = _Routes(_map_spool(int(spool_fd)), entries, per_origin)
    asyncio.run(_listen(routes, host, int(port)))


async def _listen(routes: _Routes, host: str, port: int) -> None:
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: _HttpProtocol(routes), host, port,
                                      backlog=1024)
    bound = server.sockets[0].getsockname()[1]
    routes.fallback_origin = f"http://{_url_host(host)}:{bound}".encode()
    print(bound, flush=True)
    sys.stdout.close()
    async with server:
        await server.serve_forever()


def _url_host(host: str) -> str:
    if host in ("", "0.0.0.0", "::"):
        return "127.0.0.1"
    return f"[{host}]" if ":" in host else host


@contextmanager
def serve(site: dict[str, Page], host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Serve the site from a separate process (so its CPU is not the caller's); yields
    the base URL 'http://127.0.0.1:PORT'. Stops the process on exit."""
    with server_process(site, host, port) as (url, _):
        yield url


@contextmanager
def server_process(site: dict[str, Page], host: str, port: int
                   ) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``serve``, also yielding the process (the self-check reads its CPU time)."""
    # A file without a name, handed to the server as a descriptor: nothing is left
    # behind however either process ends.
    with tempfile.TemporaryFile(prefix="newssite-") as spool:
        index = _spool(site, spool)
        spool.flush()
        # A fresh interpreter running this file (stdlib only, hence -I), not
        # multiprocessing: spawn would also import the caller's __main__ (a benchmark
        # that imports Scrapy) into the server, and fork is unsafe once a reactor runs.
        command = [sys.executable, "-I", os.path.abspath(__file__), _SERVER_FLAG,
                   str(spool.fileno()), host, str(port), str(os.getpid())]
        process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   pass_fds=(spool.fileno(),))
    try:
        bound = _await_port(process, index)
        _await_accepting(_url_host(host).strip("[]"), bound)
        yield f"http://{_url_host(host)}:{bound}", process
    finally:
        _stop(process)


def _await_port(process: subprocess.Popen[bytes], index: object, timeout: float = 60.0) -> int:
    """Hand the server its index; the port it listens on, once it does."""
    assert process.stdin is not None and process.stdout is not None
    with contextlib.suppress(BrokenPipeError), process.stdin:  # a dead server is reported below
        pickle.dump(index, process.stdin, protocol=pickle.HIGHEST_PROTOCOL)
    readable, _, _ = select.select([process.stdout], [], [], timeout)
    line = process.stdout.readline() if readable else b""
    if not line.strip().isdigit():
        raise RuntimeError(f"the newssite server did not start (exit code {process.poll()});"
                           " its error, if any, is above")
    return int(line)


def _await_accepting(host: str, port: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection((host, port), timeout=1.0).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if process.stdout is not None:
        process.stdout.close()


if __name__ == "__main__":
    if sys.argv[1:2] != [_SERVER_FLAG]:
        sys.exit("this is the newssite's server process, started by bench.newssite.serve;"
                 " to serve the site by hand: python bench/newssite.py --serve")
    _server_main(sys.argv[2:])
