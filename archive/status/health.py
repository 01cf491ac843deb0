"""How each source did in one run, and whether that is a sharp drop from its recent runs.

A redesign that breaks extraction, or a site that starts blocking, does not make a
crawl fail: pages still come back 200 and the run looks fine. What changes is
what the pages yield: fewer articles, no dates or bylines, short bodies, error or
challenge pages. Each run therefore compares every source with that source's own
recent runs of the job (their run reports), and a sharp change is an alert: a
problem of the run (exit status 1), a warning in its summary, a flag in ``status``.

Everything here works on plain figures (a run report's ``sources`` counts, or the
``health`` it already holds), so a notebook or ``status`` can run it too. No Scrapy.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["SIGNALS", "drift_alerts", "report_health", "run_health", "source_health"]

# Shares of articles (dated, authored, median body length) are judged only over this
# many articles written in the run: an hourly run that finds one new story says
# nothing about the template, and one undated story would be a share of 0.
MIN_ARTICLES = 5
# The error share needs this many fetches: one 503 of a source's two pages is a
# passing fault the next run retries, not a site going wrong.
MIN_FETCHES_FOR_ERRORS = 5
# The blocked share needs only one: a site that blocks the crawler from the seed on
# leaves a source with a single page, the challenge page, and that is the whole story.
MIN_FETCHES_FOR_BLOCKED = 1
# The baseline: the median of the signal over the source's last ten earlier runs
# (a median, so one odd run - a holiday, an outage - does not move it), and no drift
# alert until at least three of them had the signal (two runs are not a habit).
BASELINE_RUNS = 10
MIN_BASELINE_RUNS = 3
# How many of the job's newest run reports a run reads for its baselines: the last ten
# runs with room for distributed workers' reports and runs a source sat out, without
# reading years of hourly reports at the end of every run.
BASELINE_REPORTS = 5 * BASELINE_RUNS
# A higher-is-better signal alerts below this fraction of its baseline: news volume
# and byline habits vary from run to run, but halving is a break, not a slow day.
DROP_FRACTION = 0.5
# An error or blocked share alerts when it rises at least this much over its baseline
# and to more than RISE_FACTOR times it: both, so a source that always has 30 % of
# its links 404 does not alert at 35 %, and one that goes from 1 % to 3 % neither.
RISE_ABOVE = 0.2
RISE_FACTOR = 2.0
# Half the pages blocked is a broken source whatever its history, including a
# source blocked from its very first run (it has no history to compare with).
BLOCKED_ALONE = 0.5
# A run cut short by a signal (or a forced stop) saw less of every source: it is not
# judged, and not a baseline either. A page cap is deliberate and repeats every run.
CUT_SHORT = ("shutdown", None)


def source_health(counts: Mapping[str, int], *,
                  median_body_chars: int | None = None) -> dict[str, Any]:
    """The health signals of one source from its counts in a run (a run report's
    ``sources[NAME]``: ``pages``, ``article_pages``, ``new``, ``changed``, ``dated``,
    ``authored``, ``errors``, ``not_modified``, ``blocked``, ``skipped/known``).

    A share with too little to judge it by is ``None``, never 0."""
    pages = _n(counts, "pages")
    errors = _n(counts, "errors")
    not_modified = _n(counts, "not_modified")
    # Fetches that had an outcome: pages that reached the spider (304s included) and
    # errors that did not (an HTTP error status, no answer after retries).
    fetches = pages + errors
    written = _n(counts, "new") + _n(counts, "changed")
    enough_articles = written >= MIN_ARTICLES
    return {
        "pages": pages,
        # Articles found: article pages seen this run, whether fetched (200, or 304 for
        # a known one re-checked) or skipped as already archived and not due. Not the
        # articles written: an hourly run where every story is known writes none, and
        # must not look like a source that lost its articles.
        "articles": _n(counts, "article_pages") + not_modified + _n(counts, "skipped/known"),
        "dated_share": _share(_n(counts, "dated"), written) if enough_articles else None,
        "authored_share": _share(_n(counts, "authored"), written) if enough_articles else None,
        "median_body_chars": median_body_chars if enough_articles else None,
        "error_share": _share(errors, fetches) if fetches >= MIN_FETCHES_FOR_ERRORS else None,
        # Reported, never alerted on: how many known articles came due for a re-check
        # decides it, and that moves with the schedule, not with the site's health.
        "not_modified_share": _share(not_modified, fetches) if fetches else None,
        "blocked_share": _share(_n(counts, "blocked"), fetches)
        if fetches >= MIN_FETCHES_FOR_BLOCKED else None,
    }


def run_health(sources: Mapping[str, Mapping[str, int]],
               median_body_chars: Mapping[str, int] | None = None) -> dict[str, dict[str, Any]]:
    """``{source: signals}`` for every source of a run (see :func:`source_health`)."""
    medians = median_body_chars or {}
    return {name: source_health(counts, median_body_chars=medians.get(name))
            for name, counts in sorted(sources.items())}


def report_health(report: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The health a run report holds; for a report written before there was one, what
    its per-source counts give (without a median body length, which it never kept)."""
    health = report.get("health")
    if isinstance(health, Mapping):
        return {str(name): dict(signals) for name, signals in health.items()
                if isinstance(signals, Mapping)}
    sources = report.get("sources")
    return run_health(sources) if isinstance(sources, Mapping) else {}


@dataclass(frozen=True)
class Signal:
    """A health signal that can alert: its key, how a message names it, and the rule."""

    name: str
    label: str
    alerts: Callable[[float, float], bool]  # (value, baseline) -> a sharp change?
    share: bool = True


def _dropped(value: float, baseline: float) -> bool:
    # Below half of a baseline above 0; a source that never had dates cannot lose them.
    return baseline > 0 and value < baseline * DROP_FRACTION


def _rose(value: float, baseline: float) -> bool:
    return value >= baseline + RISE_ABOVE and value > baseline * RISE_FACTOR


SIGNALS = (
    Signal("articles", "articles found", _dropped, share=False),
    Signal("dated_share", "share of articles with a date", _dropped),
    Signal("authored_share", "share of articles with authors", _dropped),
    Signal("median_body_chars", "median body length in characters", _dropped, share=False),
    Signal("error_share", "share of pages that were errors", _rose),
    Signal("blocked_share", "share of pages that were blocked", _rose),
)


def drift_alerts(health: Mapping[str, Mapping[str, Any]],
                 earlier_reports: Sequence[Mapping[str, Any]], *,
                 finish_reason: str | None = "finished",
                 skip: Iterable[str] = ()) -> list[dict[str, Any]]:
    """The alerts of one run: each source's signals against the median of its last
    :data:`BASELINE_RUNS` earlier runs (``earlier_reports``, the job's run reports,
    oldest first, the current run not among them). ``skip``: sources not to judge
    (those that failed this run: that is reported already, and a source with no pages
    would only repeat it as drops)."""
    if finish_reason in CUT_SHORT:
        return []
    skipped = set(skip)
    alerts = []
    for source, signals in sorted(health.items()):
        if source in skipped:
            continue
        history = _history(source, earlier_reports)
        for signal in SIGNALS:
            value = signals.get(signal.name)
            if value is None:
                continue  # nothing to judge this run: never an alert
            earlier = [h[signal.name] for h in history if h.get(signal.name) is not None]
            baseline = statistics.median(earlier) if len(earlier) >= MIN_BASELINE_RUNS \
                else None
            if _alerts(signal, value, baseline):
                alerts.append(_alert(source, signal, value, baseline, len(earlier)))
    return alerts


def _alerts(signal: Signal, value: float, baseline: float | None) -> bool:
    if signal.name == "blocked_share" and value >= BLOCKED_ALONE:
        return True
    return baseline is not None and signal.alerts(value, baseline)


def _history(source: str, reports: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The source's signals in its last runs that can stand as a baseline: runs it was
    in, that ran to their end, where its site answered."""
    found = []
    for report in reversed(reports):
        if report.get("finish_reason") in CUT_SHORT:
            continue
        if any(isinstance(f, Mapping) and f.get("source") == source
               for f in report.get("failed_sources") or ()):
            continue
        signals = report_health(report).get(source)
        if signals is not None:
            found.append(signals)
            if len(found) == BASELINE_RUNS:
                break
    return found


def _alert(source: str, signal: Signal, value: float, baseline: float | None,
           runs: int) -> dict[str, Any]:
    if baseline is not None:
        was = f"was {_figure(baseline, signal)} (median of {runs} runs)"
    else:
        was = f"too few earlier runs to compare with ({runs})"
    return {"source": source, "signal": signal.name, "value": value,
            "baseline": baseline, "runs": runs,
            "message": f"source {source}: {signal.label} {_figure(value, signal)}, {was}"}


def _figure(value: float, signal: Signal) -> str:
    if signal.share:
        return f"{value:.2f}"
    return f"{value:g}" if value != int(value) else str(int(value))


def _share(part: int, whole: int) -> float | None:
    # Capped at 1: a page can be both blocked and an error (a 403 challenge page).
    return round(min(part / whole, 1.0), 4) if whole else None


def _n(counts: Mapping[str, Any], key: str) -> int:
    value = counts.get(key)
    return value if isinstance(value, int) else 0
