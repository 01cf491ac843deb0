"""Per-source stats: ``source/NAME/EVENT`` and ``source/NAME/skipped/REASON``.

Every skip is counted twice, per source and crawl-wide (``news/skipped/REASON``),
so the end-of-crawl summary can show both without adding anything up.

Whether a source's site answered at all is counted too (``answered``,
``unreachable``): a source with no answer failed this run, and ``sources/failed/NAME``
and its neighbours say why and since which run (set at the end of the run).

What a source's health is judged by (:mod:`archive.status.health`) is counted here too:
``article_pages`` (article pages fetched), ``not_modified`` (known articles answered
304), ``errors`` (an HTTP error status or no answer once retries were over, and pages
whose extraction failed), ``new`` and ``changed`` (articles written), ``dated`` and
``authored`` (of those, with a published date, with at least one author).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scrapy.statscollectors import StatsCollector

PREFIX = "source/"
# What a source's line in the summary shows, in order.
EVENTS = ("pages", "articles", "feeds", "sitemaps")
# "known": archived by an earlier run and not due for a re-check. "private_address":
# refused by the egress guard (crawler.middlewares.egress), shown as "blocked: private
# address". "robots_unreachable": its host's robots.txt never answered, so it was not
# fetched (crawler.middlewares.robots). "host_throttled": its host kept answering 429/503
# and was left for the next run (crawler.middlewares.politeness).
SKIP_REASONS = ("robots", "scope", "cap", "depth", "trap", "since", "duplicate", "known",
                "private_address", "robots_unreachable", "host_throttled")
# Skips that leave a source's crawl unfinished: it is due again at the next run.
CUT_SHORT_REASONS = ("robots_unreachable", "host_throttled")
# A source fails when its site never answers (see unreachable_sources); these hold the
# first reason, the run it started failing in, and for how many runs in a row.
UNREACHABLE = "sources/unreachable/"
FAILED = "sources/failed/"
FAILING_SINCE = "sources/failing_since/"
FAILED_RUNS = "sources/failed_runs/"


def count(stats: StatsCollector | None, source: str | None, event: str, n: int = 1) -> None:
    if stats is not None and source:
        stats.inc_value(f"{PREFIX}{source}/{event}", n)


def count_skip(stats: StatsCollector | None, source: str | None, reason: str) -> None:
    if stats is None:
        return
    stats.inc_value(f"news/skipped/{reason}")
    count(stats, source, f"skipped/{reason}")


def count_answer(stats: StatsCollector | None, source: str | None) -> None:
    """The source's site answered a request (any status): it is up."""
    count(stats, source, "answered")


def count_unreachable(stats: StatsCollector | None, source: str | None, reason: str) -> None:
    """A request of the source got no answer at all (refused, timed out, no such host),
    after its retries. The first reason is kept for the summary and the run report."""
    if stats is None or not source:
        return
    count(stats, source, "unreachable")
    if stats.get_value(f"{UNREACHABLE}{source}") is None:
        stats.set_value(f"{UNREACHABLE}{source}", reason)


def unreachable_sources(stats: Mapping[str, Any]) -> dict[str, str]:
    """Sources that failed this run: none of their requests got an answer, and some
    could not reach their site. Source name -> the first reason."""
    table = per_source(stats)
    return {name: str(stats.get(f"{UNREACHABLE}{name}") or "unreachable")
            for name, counts in sorted(table.items())
            if counts.get("unreachable") and not counts.get("answered")}


def cut_short_sources(stats: Mapping[str, Any]) -> set[str]:
    """Sources some of whose pages were left for the next run because their host could
    not be asked (crawler.middlewares.robots, crawler.middlewares.politeness)."""
    return {name for name, counts in per_source(stats).items()
            if any(counts.get(f"skipped/{reason}") for reason in CUT_SHORT_REASONS)}


def failed_sources(stats: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The failed sources the end of the run recorded (:func:`record_failed`), with
    since when they fail: name -> {reason, failing_since, runs}."""
    failed = {}
    for key, reason in stats.items():
        if key.startswith(FAILED):
            name = key[len(FAILED):]
            failed[name] = {"reason": reason,
                            "failing_since": stats.get(f"{FAILING_SINCE}{name}"),
                            "runs": int(stats.get(f"{FAILED_RUNS}{name}") or 1)}
    return dict(sorted(failed.items()))


def record_failed(stats: StatsCollector, source: str, reason: str, *,
                  since: str | None = None, runs: int = 1) -> None:
    stats.set_value(f"{FAILED}{source}", reason)
    if since:
        stats.set_value(f"{FAILING_SINCE}{source}", since)
    stats.set_value(f"{FAILED_RUNS}{source}", runs)


def per_source(stats: Mapping[str, Any]) -> dict[str, dict[str, int]]:
    """``{source: {event or skipped/reason: n}}`` from a crawl's stats."""
    table: dict[str, dict[str, int]] = {}
    for key, value in stats.items():
        if key.startswith(PREFIX) and isinstance(value, int):
            source, _, event = key[len(PREFIX):].partition("/")
            table.setdefault(source, {})[event] = value
    return table
