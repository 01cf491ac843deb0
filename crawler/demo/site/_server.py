"""HTTP/1.1 server for a Site: gzip negotiation, validators, chunked bodies, hit counts.

HTTP/1.1 (not http.server's default 1.0) because chunked transfer coding and
keep-alive only exist there, and a crawler under test should meet both.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import socket
import threading
import time
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from ._response import Response
from ._site import Site

HITS_PATH = "/__hits__"
CHUNK = 1024


def _accepts_gzip(header: str | None) -> bool:
    for part in (header or "").lower().split(","):
        name, _, params = part.strip().partition(";")
        if name.strip() in ("gzip", "x-gzip", "*"):
            return params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


class SiteServer(ThreadingHTTPServer):
    """A ThreadingHTTPServer bound to one Site, counting requests per target."""

    daemon_threads = True
    # The default listen backlog of 5 drops connections when a crawler opens more at
    # once; Linux then resends the SYN a second later, which looks like a slow site.
    request_queue_size = 128

    def __init__(self, site: Site, host: str = "127.0.0.1", port: int = 0,
                 quiet: bool = True) -> None:
        self.site = site
        self.quiet = quiet
        self._hits: dict[str, int] = {}
        self._lock = threading.Lock()
        self._conns: set[socket.socket] = set()
        super().__init__((host, port), _Handler)
        self.base_url = f"http://{host}:{self.server_address[1]}/"

    def count(self, target: str) -> None:
        with self._lock:
            self._hits[target] = self._hits.get(target, 0) + 1

    def hits(self) -> dict[str, int]:
        with self._lock:
            return dict(self._hits)

    def reset_hits(self) -> None:
        with self._lock:
            self._hits.clear()

    def track(self, conn: socket.socket, open_: bool) -> None:
        with self._lock:
            (self._conns.add if open_ else self._conns.discard)(conn)

    def close_connections(self) -> None:
        """Drop keep-alive connections so no handler outlives ``stop()``."""
        with self._lock:
            conns = list(self._conns)
        for conn in conns:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "NewsroomCMS/2.4"
    timeout = 30  # an idle keep-alive connection must not pin a thread forever
    server: SiteServer

    def version_string(self) -> str:
        return self.server_version  # no "Python/3.x" suffix: look like a CMS, not a test rig

    def setup(self) -> None:
        super().setup()
        self.server.track(self.connection, True)

    def finish(self) -> None:
        self.server.track(self.connection, False)
        super().finish()

    def log_message(self, format: str, *args: Any) -> None:
        if not self.server.quiet:
            super().log_message(format, *args)

    def do_GET(self) -> None:
        self._serve(head=False)

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def _serve(self, head: bool) -> None:
        if self.path == HITS_PATH:
            body = json.dumps(self.server.hits(), sort_keys=True).encode()
            resp = Response(body=body, content_type="application/json", encoding="identity")
            self._send(resp, head)
            return
        self.server.count(self.path)
        resp = self.server.site.respond(self.path, self.server.base_url)
        if resp.delay:
            time.sleep(resp.delay)
        self._send(resp, head)

    def _send(self, resp: Response, head: bool) -> None:
        body = resp.body
        headers = dict(resp.headers)
        gz = resp.encoding == "gzip" or (
            resp.encoding == "negotiate" and resp.content_type.startswith("text/html")
            and _accepts_gzip(self.headers.get("Accept-Encoding"))
        )
        if resp.encoding == "negotiate" and resp.content_type.startswith("text/html"):
            headers["Vary"] = "Accept-Encoding"
        # the validator names the representation: plain and gzipped bodies differ
        etag = f'"{hashlib.sha1(body).hexdigest()[:20]}{"-gz" if gz else ""}"'
        if gz:
            body = gzip.compress(body, mtime=0)  # mtime=0: identical bytes on every fetch
            headers["Content-Encoding"] = "gzip"
        status = resp.status
        if status == 200:
            headers["ETag"] = etag
            if resp.last_modified:
                headers["Last-Modified"] = _http_date(resp.last_modified)
            if self._not_modified(etag, resp):
                status, body = 304, b""
                headers.pop("Content-Encoding", None)
        self.send_response(status)
        if status != 304:  # a 304 has no body, so nothing to describe
            self.send_header("Content-Type", resp.content_type)
        for name, value in headers.items():
            self.send_header(name, value)
        if status == 304:
            self.end_headers()
            return
        if resp.chunked and status == 200:
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            if not head:
                for i in range(0, len(body), CHUNK):
                    piece = body[i : i + CHUNK]
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                self.wfile.write(b"0\r\n\r\n")
            return
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _not_modified(self, etag: str, resp: Response) -> bool:
        inm = self.headers.get("If-None-Match")
        if inm is not None:
            return etag in [t.strip() for t in inm.split(",")] or inm.strip() == "*"
        ims = self.headers.get("If-Modified-Since")
        if ims and resp.last_modified:
            try:
                return resp.last_modified.replace(microsecond=0) <= parsedate_to_datetime(ims)
            except (TypeError, ValueError):
                return False
        return False


def _http_date(dt: datetime) -> str:
    return format_datetime(dt.astimezone(UTC), usegmt=True)
