"""The HTTP server behind every local test site: threaded http.server on 127.0.0.1 (or
another loopback address), port 0.

A site is a function ``respond(request) -> Reply``, built for its base URL by
``start(base)``. ``serve(start, ...)`` runs it in a daemon thread of the test process
and returns a ``RunningSite``: the base URL, the log of the requests it answered, and
``shutdown()`` (it is also a context manager).

Paths of the form ``/__name__`` are control endpoints and are never logged. The server
answers ``/__requests__`` itself (the log as JSON; ``?reset=1`` also clears it), for a
test that only has the URL; a site may answer other control endpoints.
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

#: (status, body, content type[, extra headers])
Reply = tuple[Any, ...]
Respond = Callable[["Request"], Reply]

CONTROL = re.compile(r"/__\w+__")


@dataclass
class Request:
    """One request as a site sees it, and its entry in the request log."""

    method: str
    target: str  # path and query as sent (an absolute-form target is cut down to them)
    headers: Message
    time: float = 0.0  # unix time of arrival
    status: int | None = None  # None while it is being answered
    notes: dict[str, Any] = field(default_factory=dict)  # what the site adds to the log

    @property
    def path(self) -> str:
        return self.target.partition("?")[0]

    @property
    def query(self) -> str:
        return self.target.partition("?")[2]

    @property
    def user_agent(self) -> str:
        return self.headers.get("User-Agent", "")

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.target, "method": self.method, "user_agent": self.user_agent,
                "if_none_match": self.headers.get("If-None-Match"),
                "if_modified_since": self.headers.get("If-Modified-Since"),
                "status": self.status, "time": self.time, **self.notes}


class RunningSite:
    """A site being served (see ``serve``)."""

    def __init__(self, server: _Server, base: str, respond: Respond):
        self._server = server
        self._respond = respond
        self._lock = threading.Lock()
        self._log: list[Request] = []
        self.base = base

    def url(self, path: str) -> str:
        return self.base + path

    def requests(self) -> list[dict[str, Any]]:
        """One dict per request (control endpoints excluded), in arrival order: ``path``
        (the request target), ``method``, ``user_agent``, ``if_none_match``,
        ``if_modified_since``, ``status`` (None while being answered), ``time`` and
        whatever the site noted."""
        with self._lock:
            return [r.as_dict() for r in self._log]

    def reset_requests(self) -> None:
        with self._lock:
            self._log.clear()

    def hits(self) -> dict[str, int]:
        """{request target: number of requests}."""
        with self._lock:
            return dict(Counter(r.target for r in self._log))

    def times(self) -> dict[str, list[float]]:
        """{request target: [unix time of each request]}."""
        out: dict[str, list[float]] = {}
        with self._lock:
            for r in self._log:
                out.setdefault(r.target, []).append(r.time)
        return out

    def answer(self, request: Request) -> Reply:
        if CONTROL.fullmatch(request.path):
            if request.path != "/__requests__":
                return self._respond(request)
            with self._lock:
                data = [r.as_dict() for r in self._log]
                if parse_qs(request.query).get("reset"):
                    self._log.clear()
            return 200, json.dumps(data).encode(), "application/json"
        with self._lock:
            request.time = time.time()
            self._log.append(request)
        reply = self._respond(request)
        with self._lock:
            request.status = reply[0]
        return reply

    def shutdown(self) -> None:
        """Stop serving and close the listening socket."""
        stopping = threading.Thread(target=self._server.shutdown, daemon=True)
        stopping.start()
        # Wake the serve loop's select() with empty connections rather than waiting out
        # its half-second poll interval.
        while stopping.is_alive():
            with contextlib.suppress(OSError):
                socket.create_connection(self._server.server_address[:2], timeout=1).close()
            stopping.join(0.02)
        self._server.server_close()

    def __enter__(self) -> RunningSite:
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format, *args):
        pass

    def version_string(self) -> str:
        return " ".join(v for v in (self.server_version, self.sys_version) if v)

    def do_GET(self):
        target = self.path
        if target.startswith(("http://", "https://")):
            parts = urlsplit(target)
            target = parts.path + (f"?{parts.query}" if parts.query else "")
        self._send(*self.server.site.answer(Request(self.command, target, self.headers)))

    do_HEAD = do_GET

    def _send(self, status: int, body: bytes, ctype: str, extra: dict | None = None) -> None:
        self.send_response(status)
        if status != 304:  # a 304 has no body, Content-Length or Content-Type (RFC 9110)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD" and status != 304:
            self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    # The default listen backlog of 5 drops connections when a crawler opens more at
    # once; Linux then resends the SYN a second later, which looks like a slow site.
    request_queue_size = 128
    daemon_threads = True
    site: RunningSite


def serve(start: Callable[[str], Respond], *, name: str, server_version: str,
          sys_version: str = "", address: str = "127.0.0.1") -> RunningSite:
    """Start a site on ``address`` (any of 127.0.0.0/8: a host of its own), an ephemeral
    port, in a daemon thread.

    ``start(base)`` builds the site for its base URL and returns its ``respond``. The
    Server header is ``server_version``, followed by ``sys_version`` if given."""
    handler = type("Handler", (_Handler,), {"server_version": server_version,
                                            "sys_version": sys_version})
    server = _Server((address, 0), handler)
    base = f"http://{address}:{server.server_address[1]}"
    server.site = RunningSite(server, base, start(base))
    threading.Thread(target=server.serve_forever, name=name, daemon=True).start()
    return server.site
