"""Prometheus metrics of a crawl: an HTTP endpoint while it runs, a file when it ends.

``METRICS_PORT``: serves ``/metrics`` on ``METRICS_ADDRESS`` (127.0.0.1 by default)
from the engine's start to its stop, for a Prometheus server to scrape.
``METRICS_FILE``: at the end of every run, finished or not, writes the same metrics
in node_exporter's textfile-collector format (the usual way to watch cron jobs).

Both read the crawl's stats at the moment they are asked (crawler.extensions.
statsmetrics), through a registry of their own: nothing else a process may have
registered with prometheus_client's global registry is mixed in.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.statscollectors import StatsCollector

from archive.status.reports import newest_reports
from crawler.extensions.summary import crawl_problems
from crawler.session import ArchiveSession

# prometheus_client (and statsmetrics, which builds on it) is imported once metrics
# are asked for: Scrapy imports every extension's module before it hears
# NotConfigured, and most crawls export none (40 ms off every start).
if TYPE_CHECKING:
    from collections.abc import Iterable
    from threading import Thread
    from wsgiref.simple_server import WSGIServer

    from prometheus_client.metrics_core import Metric

    from crawler.extensions.statsmetrics import RunFacts

logger = logging.getLogger(__name__)


class CrawlStatsCollector:
    """Answers every scrape with the stats as they are then (a prometheus_client
    collector: an object with ``collect``)."""

    def __init__(self, stats: StatsCollector, run: RunFacts) -> None:
        self.stats = stats
        self.run = run

    def collect(self) -> Iterable[Metric]:
        # Scrapes come on the server's threads while the reactor's thread changes the
        # stats: a dict copy is one step under the GIL (the keys are strings), whereas
        # reading the live dict could meet it changing size halfway.
        from crawler.extensions.statsmetrics import metric_families

        snapshot = self.stats.get_stats().copy()
        return list(metric_families(snapshot, self.run, datetime.now(UTC)))


class MetricsExporter:
    def __init__(self, stats: StatsCollector, run: RunFacts, *, port: int | None,
                 address: str, path: Path | None) -> None:
        self.stats = stats
        self.run = run
        self.port = port
        self.address = address
        self.path = path
        from prometheus_client.registry import CollectorRegistry

        self.registry = CollectorRegistry()
        self.registry.register(CrawlStatsCollector(stats, run))
        self._server: tuple[WSGIServer, Thread] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> MetricsExporter:
        settings = crawler.settings
        port = settings.get("METRICS_PORT")
        path = settings.get("METRICS_FILE")
        if port in (None, "") and not path:
            raise NotConfigured("neither METRICS_PORT nor METRICS_FILE is set")
        assert crawler.stats is not None
        from crawler.extensions.statsmetrics import RunFacts

        session = ArchiveSession.of(crawler)
        run = RunFacts(job=session.job, crawl_id=session.crawl_id, started=session.started,
                       last_success=last_success(session.layout.root, session.job))
        exporter = cls(crawler.stats, run,
                       port=None if port in (None, "") else settings.getint("METRICS_PORT"),
                       address=settings.get("METRICS_ADDRESS"),
                       path=Path(path) if path else None)
        crawler.signals.connect(exporter.engine_started, signal=signals.engine_started)
        # engine_stopped: the finisher (connected before, as its EXTENSIONS order is
        # lower) has written the run report by then, so the final stats are in.
        crawler.signals.connect(exporter.engine_stopped, signal=signals.engine_stopped)
        return exporter

    def engine_started(self) -> None:
        if self.port is None:
            return
        from prometheus_client import start_http_server

        try:
            self._server = start_http_server(self.port, addr=self.address,
                                             registry=self.registry)
        except OSError as exc:
            # Metrics only watch the crawl: a port taken (a second crawl on the same
            # machine, a forgotten exporter) must not cost the run its pages. Logged
            # once, counted, and the crawl goes on without the endpoint.
            logger.error("Metrics not served: cannot listen on %s port %s (%s); the crawl "
                         "goes on without them (set another METRICS_PORT)",
                         self.address, self.port, exc.strerror or exc)
            self.stats.set_value("metrics/error", f"{self.address}:{self.port}: {exc}")
            return
        server = self._server[0]
        self.stats.set_value("metrics/port", server.server_port)
        logger.info("Metrics served at http://%s:%s/metrics", self.address,
                    server.server_port)

    def engine_stopped(self) -> None:
        try:
            self.run.finished = datetime.now(UTC)
            # The exit status the run report and the command give: same function, same stats.
            self.run.exit_status = 1 if crawl_problems(self.stats.get_stats()) else 0
            if self.run.exit_status == 0:
                self.run.last_success = self.run.finished
            if self.path is not None:
                self.write_file(self.path)
        finally:
            self.stop_server()

    def write_file(self, path: Path) -> None:
        from prometheus_client import write_to_textfile

        try:
            # A temporary file in the same folder, then renamed over the old one: the
            # collector reads the last run's file or this one, never half of one.
            write_to_textfile(str(path), self.registry)
        except OSError as exc:
            # Like the endpoint, the file only watches: the archive is complete without it.
            logger.error("Metrics file %s could not be written: %s", path, exc)
            return
        logger.info("Metrics written to %s", path)

    def stop_server(self) -> None:
        if self._server is not None:
            server, thread = self._server
            server.shutdown()
            server.server_close()
            thread.join(timeout=5)
            self._server = None


def last_success(out: Path, job: str) -> datetime | None:
    """When the job's latest run that exited 0 ended, from the run reports kept."""
    end = next((report["finished"] for report in newest_reports(out, job=job)
                if report.get("exit_status") == 0 and report.get("finished")), None)
    try:
        return datetime.fromisoformat(end) if end else None
    except (TypeError, ValueError):  # a hand-edited report: no figure rather than a wrong one
        return None
