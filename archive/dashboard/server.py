"""The dashboard's HTTP server: the standard library's, on 127.0.0.1 only, GET only.

A page on any other site could still make a browser send requests to
127.0.0.1, and a DNS name rebound to 127.0.0.1 would even let it read the
answers. So every request must name this server in its Host header
(``127.0.0.1:PORT`` or ``localhost:PORT``; else 421), and every answer forbids
scripts, framing and content sniffing. Other methods than GET get 405: the
dashboard changes nothing.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from archive.dashboard import pages
from archive.dashboard.app import HTML, Answer, Dashboard
from archive.errors import ArchiveError

logger = logging.getLogger(__name__)

HOST = "127.0.0.1"
DEFAULT_PORT = 8765
# No script at all (the page has none), styles and images from this server only, no
# framing by another page, no form posting anywhere.
CONTENT_SECURITY_POLICY = ("default-src 'none'; style-src 'self'; img-src 'self'; "
                           "frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Cache-Control": "no-store",
}


class DashboardServer:
    """``dashboard`` served on 127.0.0.1:``port`` (0: a free port) in a thread."""

    def __init__(self, dashboard: Dashboard, *, port: int = DEFAULT_PORT) -> None:
        try:
            self.httpd = ThreadingHTTPServer((HOST, port), _handler_for(dashboard))
        except OSError as exc:
            raise ArchiveError(f"cannot listen on {HOST}:{port} ({exc.strerror}): choose "
                               "another --port (0 picks a free one)") from None
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.url = f"http://{HOST}:{self.port}/"
        self._thread: threading.Thread | None = None

    def start(self) -> DashboardServer:
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="dashboard",
                                        daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self.httpd.serve_forever()

    def stop(self) -> None:
        if self._thread is not None:
            self.httpd.shutdown()
            self._thread.join()
            self._thread = None
        self.httpd.server_close()

    def __enter__(self) -> DashboardServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def _handler_for(dashboard: Dashboard) -> type[BaseHTTPRequestHandler]:
    class Handler(_DashboardHandler):
        pass

    Handler.dashboard = dashboard
    return Handler


class _DashboardHandler(BaseHTTPRequestHandler):
    dashboard: Dashboard
    server_version = "newsarchive-dashboard"
    sys_version = ""

    def do_GET(self) -> None:
        if not self._host_allowed():
            self._send(_error(HTTPStatus.MISDIRECTED_REQUEST,
                              f"this dashboard answers only at {HOST}:{self._port()} or "
                              f"localhost:{self._port()}"))
            return
        parts = urlsplit(self.path)
        try:
            answer = self.dashboard.answer(parts.path, parts.query)
        except Exception:  # one broken page must not take the server down
            logger.exception("Dashboard page %s failed", parts.path)
            answer = _error(HTTPStatus.INTERNAL_SERVER_ERROR,
                            "this page failed; the dashboard's log says why")
        self._send(answer)

    def __getattr__(self, name: str) -> Callable[[], None]:
        # http.server looks for do_METHOD: every method but GET is refused (405), so
        # nothing can be posted, put or deleted, whatever the method's name.
        if name.startswith("do_"):
            return self._not_allowed
        raise AttributeError(name)

    def _not_allowed(self) -> None:
        self._send(_error(HTTPStatus.METHOD_NOT_ALLOWED, "the dashboard only reads: use GET"),
                   {"Allow": "GET"})

    def _host_allowed(self) -> bool:
        host = (self.headers.get("Host") or "").strip().lower()
        return host in (f"{HOST}:{self._port()}", f"localhost:{self._port()}")

    def _port(self) -> int:
        return self.server.server_address[1]

    def _send(self, answer: Answer, extra: dict[str, str] | None = None) -> None:
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.content_type)
        self.send_header("Content-Length", str(len(answer.body)))
        for name, value in {**SECURITY_HEADERS, **(extra or {})}.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(answer.body)

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("%s " + format, self.address_string(), *args)


def _error(status: HTTPStatus, message: str) -> Answer:
    return Answer(status.value, HTML, pages.error_page(status.value, message).encode("utf-8"))
