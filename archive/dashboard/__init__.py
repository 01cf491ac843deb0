"""The archive as pictures: a local web page of each job's runs, articles, health
and alerts (``newsarchive dashboard``). Read only, served on 127.0.0.1, no script.

    >>> from archive.dashboard import Dashboard, DashboardServer, Source
    >>> with DashboardServer(Dashboard(Source(Path("archive-data"))), port=0) as server:
    ...     print(server.url)
"""

from __future__ import annotations

from archive.dashboard.app import Dashboard
from archive.dashboard.data import Source
from archive.dashboard.server import DEFAULT_PORT, DashboardServer

__all__ = ["DEFAULT_PORT", "Dashboard", "DashboardServer", "Source"]
