"""What the dashboard shows of one job, read from what its runs left behind.

Runs come from the run reports (:mod:`archive.status.reports`), articles from
the job's article index through :mod:`archive.query` (DuckDB over Parquet),
flags and files waiting from :func:`archive.status.collect.collect_status`, so
the dashboard, ``newsarchive status`` and ``newsarchive query`` agree. Reports
written before a field existed (``health``, ``alerts``, blocked pages) simply
show nothing for it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from archive.errors import QueryError
from archive.query.articles import open_articles

# Days of articles per day shown, ending at the newest published day.
CHART_DAYS = 30
LATEST_ARTICLES = 25
# The health shares drawn as trends (contract of the run report's ``health``).
TREND_SIGNALS = ("dated_share", "authored_share", "error_share", "not_modified_share",
                 "blocked_share")
LATEST_FIELDS = ["job", "source", "url", "title", "published", "fetched_at", "warc"]


@dataclass(frozen=True)
class Source:
    """Where the dashboard reads the archive: ``out`` (run reports, local files) and,
    when given, the object store that holds the uploaded article files."""

    out: Path
    store: str | None = None
    endpoint_url: str | None = None
    cache: Path | None = None
    cache_max: int | None = None  # bytes the store's cache is trimmed to

    def query_options(self) -> dict[str, Any]:
        return {"store": self.store, "endpoint_url": self.endpoint_url, "cache": self.cache,
                "cache_max": self.cache_max}


@dataclass(frozen=True)
class Run:
    """One run of a job, as its report tells it."""

    crawl_id: str
    started: str
    duration_seconds: float | None
    exit_status: int | None
    finish_reason: str
    pages: int
    articles_new: int
    articles_changed: int
    errors: int
    blocked: int | None  # None: the report predates blocked-page counts
    health: dict[str, dict[str, Any]]
    alerts: list[dict[str, Any]]
    problems: list[str]


@dataclass
class JobView:
    """Everything the dashboard page shows of one job."""

    job: str
    runs: list[Run] = field(default_factory=list)
    article_count: int = 0
    undated_articles: int = 0
    # source -> {day: articles published that day}, for the days in ``days``.
    per_day: dict[str, dict[date, int]] = field(default_factory=dict)
    days: list[date] = field(default_factory=list)
    latest: list[dict[str, Any]] = field(default_factory=list)
    articles_problem: str = ""
    status: dict[str, Any] | None = None

    @property
    def sources(self) -> list[str]:
        """Every source seen in the runs' health or the articles, by name."""
        names = set(self.per_day)
        for run in self.runs:
            names.update(run.health)
        return sorted(names)

    @property
    def alerts(self) -> list[dict[str, Any]]:
        """The alerts of the latest run (the ones still standing)."""
        return list(self.runs[-1].alerts) if self.runs else []


def job_names(source: Source, reports: Mapping[str, Any], job: str | None = None
              ) -> list[str]:
    """The jobs with run reports (``reports``, by job) or article files, by name (just
    ``job`` if given)."""
    if job:
        return [job]
    names = set(reports)
    articles = source.out / "articles"
    if articles.is_dir():
        names.update(folder.name for folder in articles.iterdir() if folder.is_dir())
    return sorted(names)


def job_view(source: Source, job: str, reports: Sequence[Mapping[str, Any]], *,
             status: Mapping[str, Any] | None = None) -> JobView:
    """The dashboard's view of ``job`` from its run ``reports`` (oldest first) and
    articles; ``status`` is the job's entry in ``collect_status``'s answer, when there
    is one."""
    view = JobView(job, runs=[run_from_report(report) for report in reports])
    view.status = dict(status) if status is not None else None
    try:
        with open_articles(source.out, **source.query_options(), job=job) as query:
            _read_articles(query, view)
    except QueryError as exc:
        view.articles_problem = str(exc)
    return view


def run_from_report(report: Mapping[str, Any]) -> Run:
    counts = report.get("counts") or {}
    articles = counts.get("articles") or {}
    blocked = counts.get("blocked_pages")
    return Run(
        crawl_id=str(report.get("crawl_id") or ""),
        started=str(report.get("started") or ""),
        duration_seconds=_number(report.get("duration_seconds")),
        exit_status=report.get("exit_status") if isinstance(report.get("exit_status"), int)
        else None,
        finish_reason=str(report.get("finish_reason") or ""),
        pages=int(counts.get("pages_fetched") or 0),
        articles_new=int(articles.get("new") or 0),
        articles_changed=int(articles.get("changed") or 0),
        errors=int(counts.get("errors") or 0),
        blocked=int(blocked.get("total") or 0) if isinstance(blocked, Mapping) else None,
        health={str(name): dict(values) for name, values in (report.get("health") or {}).items()
                if isinstance(values, Mapping)},
        alerts=[dict(alert) for alert in report.get("alerts") or []
                if isinstance(alert, Mapping)],
        problems=[str(problem) for problem in report.get("problems") or []],
    )


def trend(runs: list[Run], source: str, signal: str) -> list[float | None]:
    """``signal`` of ``source`` in each run, oldest first (None where not measured)."""
    return [_number(run.health.get(source, {}).get(signal)) for run in runs]


def alerted(runs: list[Run], source: str, signal: str) -> list[bool]:
    """Whether each run raised an alert on ``signal`` of ``source``."""
    return [any(alert.get("source") == source and alert.get("signal") == signal
                for alert in run.alerts) for run in runs]


def _read_articles(query: Any, view: JobView) -> None:
    [(view.article_count, view.undated_articles)] = query.execute(
        "SELECT count(*), count(*) FILTER (WHERE published_at IS NULL) FROM articles"
    ).fetchall()
    newest = query.execute("SELECT max(CAST(published_at AS DATE)) FROM articles").fetchone()[0]
    if newest is not None:
        first = newest - timedelta(days=CHART_DAYS - 1)
        view.days = [first + timedelta(days=n) for n in range(CHART_DAYS)]
        rows = query.execute(
            "SELECT coalesce(source, '(no source)'), CAST(published_at AS DATE) AS day, "
            f"count(*) FROM articles WHERE published_at >= DATE '{first.isoformat()}' "
            "GROUP BY 1, 2").fetchall()
        for name, day, count in rows:
            view.per_day.setdefault(name, {})[day] = count
    view.latest = list(query.select(LATEST_FIELDS, LATEST_ARTICLES).rows())


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) \
        else None


WorkersProvider = Callable[[], list[dict[str, Any]]]
