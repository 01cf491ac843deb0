"""Local news sites served on 127.0.0.1 for the demo and the test suite.

Standard library only: the demo and the tests must run without the crawler's
own dependencies, and nothing here may import Scrapy.

>>> with serve_in_thread("test") as running:
...     running.base_url            # 'http://127.0.0.1:43567/'
...     running.site.expected_articles[0].path
...     running.hits                # {'/robots.txt': 1, ...}
"""

from __future__ import annotations

import threading
from types import TracebackType

from ._server import SiteServer
from ._site import ExpectedArticle, Site, load_site
from ._style import FONT_FILE

__all__ = ["FONT_FILE", "ExpectedArticle", "RunningSite", "Site", "load_site",
           "serve_in_thread"]


class RunningSite:
    """A site being served in a daemon thread; ``stop()`` or use as a context manager."""

    def __init__(self, server: SiteServer, thread: threading.Thread) -> None:
        self._server = server
        self._thread = thread
        self.site: Site = server.site
        self.base_url: str = server.base_url

    @property
    def hits(self) -> dict[str, int]:
        """Requests so far per request target (path plus query as sent), a snapshot."""
        return self._server.hits()

    def reset_hits(self) -> None:
        self._server.reset_hits()

    def url(self, path: str) -> str:
        """Absolute URL for a site path: ``url("/feed/")``."""
        return self.base_url.rstrip("/") + path

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._server.close_connections()
        self._thread.join(timeout=5)

    def __enter__(self) -> RunningSite:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


def serve_in_thread(site: str | Site = "demo", port: int = 0,
                    host: str = "127.0.0.1") -> RunningSite:
    """Start serving ``site`` (a name or a loaded Site); port 0 picks a free port."""
    loaded = load_site(site) if isinstance(site, str) else site
    server = SiteServer(loaded, host, port)
    thread = threading.Thread(target=server.serve_forever, name=f"demosite-{loaded.name}",
                              daemon=True)
    thread.start()
    return RunningSite(server, thread)
