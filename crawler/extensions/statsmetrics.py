"""Prometheus metric families made from a crawl's stats, each time they are read.

There is no second set of counters: every figure is read from the Scrapy stats
that the run report is made from, with the report's own functions
(:func:`~crawler.extensions.summary.error_breakdown`,
:func:`~crawler.sourcestats.per_source`), so the two cannot drift apart.
docs/metrics.md lists every metric with its labels and meaning.

Counters count from the start of this run (a new run starts again from 0, which
Prometheus reads as a counter reset).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.metrics_core import Metric

from crawler.extensions.statusclasses import STATUS
from crawler.extensions.summary import BLOCKED, PROXY_REFUSED, count, error_breakdown
from crawler.sourcestats import failed_sources, per_source

NAMESPACE = "newsarchive"
# Always shown, 0 when nothing happened, so that a rule over them never meets an
# absent series; another class a server invents (a 999) is shown when it occurs.
STATUS_CLASSES = ("2xx", "3xx", "4xx", "5xx")
# The run report's counts.articles, by the same names.
ARTICLE_KINDS = {"new": "articles/new", "changed": "articles/changed",
                 "unchanged": "articles/unchanged", "no_text": "extract/empty",
                 "failed": "extract/failed"}
# Pages that showed a wall instead of the page (counted as pages/blocked/KIND).
BLOCKED_KINDS = ("challenge", "consent", "login")
EGRESS_KINDS = {"private_address": BLOCKED, "proxy_not_allowed": PROXY_REFUSED}
# Per-source counters (crawler.sourcestats), metric name -> event.
SOURCE_COUNTERS = {
    "source_pages": ("pages", "Pages of the source the spider read (2xx and 304)."),
    "source_errors": ("errors", "Errors met fetching or reading the source's pages."),
    "source_blocked_pages": ("blocked", "Pages of the source that showed a challenge, "
                                        "consent or login wall instead of the page."),
    "source_not_modified": ("not_modified", "Pages of the source that had not changed "
                                            "(304, or identical to the archived copy)."),
}


@dataclass
class RunFacts:
    """What the stats do not say about the run: its job, and how it ended."""

    job: str
    crawl_id: str
    started: datetime
    finished: datetime | None = None
    exit_status: int | None = None  # set when the run has ended
    last_success: datetime | None = None  # the latest run of the job that exited 0


def metric_families(stats: Mapping[str, Any], run: RunFacts, now: datetime
                    ) -> Iterator[Metric]:
    """Every metric of the run as it stands at ``now``."""
    yield from crawl_families(stats, run.job)
    yield from source_families(stats, run.job)
    yield from run_families(stats, run, now)


def _counter(name: str, documentation: str, labels: list[str]) -> CounterMetricFamily:
    return CounterMetricFamily(f"{NAMESPACE}_{name}", documentation, labels=labels)


def _gauge(name: str, documentation: str, labels: list[str]) -> GaugeMetricFamily:
    return GaugeMetricFamily(f"{NAMESPACE}_{name}", documentation, labels=labels)


def _by_class(stats: Mapping[str, Any], prefix: str) -> dict[str, int]:
    """``{status class: n}`` for the stats ``PREFIX2xx``..., the usual four always."""
    found = {key[len(prefix):]: count(stats, key) for key in stats if key.startswith(prefix)}
    return {kind: found.get(kind, 0) for kind in sorted({*STATUS_CLASSES, *found})}


def crawl_families(stats: Mapping[str, Any], job: str) -> Iterator[Metric]:
    pages = _counter("pages_fetched", "Responses received, by HTTP status class (they add "
                     "up to the run report's pages_fetched).", ["job", "status_class"])
    for kind, n in _by_class(stats, STATUS).items():
        pages.add_metric([job, kind], n)
    yield pages
    articles = _counter("articles", "Articles by what became of them: new, changed "
                        "(written), unchanged, no_text, failed (as the run report's "
                        "counts.articles).", ["job", "kind"])
    for kind, key in ARTICLE_KINDS.items():
        articles.add_metric([job, kind], count(stats, key))
    yield articles
    errors = _counter("errors", "Errors by kind (http_404, TimeoutError, extract_failed, "
                      "...), as the run report's errors; a kind appears once it occurs.",
                      ["job", "kind"])
    for kind, n in error_breakdown(stats).items():
        errors.add_metric([job, kind], n)
    yield errors
    blocked = _counter("blocked_pages", "Pages that showed a challenge, consent or login "
                       "wall instead of the page.", ["job", "kind"])
    for kind in BLOCKED_KINDS:
        blocked.add_metric([job, kind], count(stats, f"pages/blocked/{kind}"))
    yield blocked
    egress = _counter("egress_refused", "Requests the egress guard refused: to a private "
                      "address, or through a proxy no allowance names.", ["job", "kind"])
    for kind, key in EGRESS_KINDS.items():
        egress.add_metric([job, kind], count(stats, key))
    yield egress
    for name, key, documentation in (
        ("response_bytes", "downloader/response_bytes",
         "Bytes of the responses received, headers included, as sent (still compressed)."),
        ("warc_bytes", "warc/bytes", "Bytes written to WARC files (compressed)."),
        ("warc_records", "warc/records", "WARC records written."),
        ("not_modified", "incremental/not_modified",
         "Known pages the server said had not changed (304)."),
        ("uploaded_bytes", "store/bytes_uploaded",
         "Bytes uploaded to the store (counted when the run's uploads are done)."),
    ):
        family = _counter(name, documentation, ["job"])
        family.add_metric([job], count(stats, key))
        yield family


def source_families(stats: Mapping[str, Any], job: str) -> Iterator[Metric]:
    table = per_source(stats)
    sources = sorted(table)
    pages = _counter("source_pages_fetched", "Responses received for the source, by HTTP "
                     "status class.", ["job", "source", "status_class"])
    articles = _counter("source_articles", "Articles of the source written this run, new "
                        "or changed.", ["job", "source", "kind"])
    for source in sources:
        events = table[source]
        for kind, n in _by_class(events, "status/").items():
            pages.add_metric([job, source, kind], n)
        if events.get("articles") and "new" not in events and "changed" not in events:
            continue  # written, but not counted per source by kind: unknown, not 0
        for kind in ("new", "changed"):
            articles.add_metric([job, source, kind], events.get(kind, 0))
    yield pages
    yield articles
    for name, (event, documentation) in SOURCE_COUNTERS.items():
        family = _counter(name, documentation, ["job", "source"])
        for source in sources:
            family.add_metric([job, source], table[source].get(event, 0))
        yield family
    failed = failed_sources(stats)
    family = _gauge("source_failed", "1 when the source's site never answered this run "
                    "(known at its end), else 0.", ["job", "source"])
    for source in sorted({*sources, *failed}):
        family.add_metric([job, source], 1 if source in failed else 0)
    yield family


def run_families(stats: Mapping[str, Any], run: RunFacts, now: datetime) -> Iterator[Metric]:
    job = run.job
    info = _gauge("run_info", "Always 1; its labels name the run and, once it has ended, "
                  "why it stopped.", ["job", "crawl_id", "finish_reason"])
    reason = str(stats.get("finish_reason") or "") if run.finished else ""
    info.add_metric([job, run.crawl_id, reason], 1)
    yield info
    end = run.finished or now
    for name, value, documentation in (
        ("run_start_time_seconds", run.started.timestamp(),
         "When the run started (Unix time)."),
        ("run_duration_seconds", (end - run.started).total_seconds(),
         "How long the run took, or has taken so far."),
        ("run_end_time_seconds", run.finished.timestamp() if run.finished else None,
         "When the run ended (Unix time); absent while it runs."),
        ("run_exit_status", run.exit_status,
         "The run's exit status (0 done, 1 incomplete); absent while it runs."),
        ("last_success_time_seconds",
         run.last_success.timestamp() if run.last_success else None,
         "When the latest run of the job that exited 0 ended (Unix time); absent if none."),
        ("files_waiting_for_upload",
         count(stats, "store/pending") + count(stats, "store/earlier_pending")
         if run.finished else None,
         "Files left waiting for upload when the run ended, its own and earlier runs'."),
    ):
        family = _gauge(name, documentation, ["job"])
        if value is not None:
            family.add_metric([job], value)
        yield family
