"""Drift alerts at the end of a run: each source's health against its recent runs.

The figures come from the crawl's stats (crawler.sourcestats, and the median body
lengths of crawler.extensions.articlehealth); the rules and the baselines are
archive.status.health's, over the job's earlier run reports. The alerts are kept
in the stats (``health/alerts``, a short list) so that the run report, the summary
and the run's problems (exit status 1) all say the same.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from scrapy.statscollectors import StatsCollector

from archive.status.health import BASELINE_REPORTS, drift_alerts, run_health
from archive.status.reports import run_reports
from crawler.extensions.articlehealth import median_body_chars
from crawler.sourcestats import failed_sources, per_source

logger = logging.getLogger(__name__)

ALERTS = "health/alerts"


def health_of(stats: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """``{source: health signals}`` of this run (the run report's ``health``)."""
    return run_health(per_source(stats), median_body_chars(stats))


def alerts_of(stats: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The drift alerts :func:`check_drift` found (the run report's ``alerts``)."""
    return list(stats.get(ALERTS) or [])


def check_drift(stats: StatsCollector, out: Path, job: str) -> None:
    """Compare this run's sources with the job's earlier runs; keep the alerts.

    Called before this run's report is written, so every report read is an earlier
    run's. The failed sources are recorded by then: they are not judged."""
    figures = stats.get_stats()
    alerts = drift_alerts(health_of(figures), run_reports(out, job=job, latest=BASELINE_REPORTS),
                          finish_reason=figures.get("finish_reason"),
                          skip=failed_sources(figures))
    if alerts:
        stats.set_value(ALERTS, alerts)
    for alert in alerts:
        logger.warning("Drift alert: %s", alert["message"])


def alert_lines(stats: Mapping[str, Any]) -> list[str]:
    """One warning line per alert, for the summary."""
    return [f"Warning: {alert['message']}" for alert in alerts_of(stats)]


def alert_problems(stats: Mapping[str, Any]) -> list[str]:
    """Every alert is a problem of the run: exit status 1, and a line in the report."""
    return [str(alert["message"]) for alert in alerts_of(stats)]
