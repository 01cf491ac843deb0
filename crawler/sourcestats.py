"""Per-source stats: ``source/NAME/EVENT`` and ``source/NAME/skipped/REASON``.

Every skip is counted twice, per source and crawl-wide (``news/skipped/REASON``),
so the end-of-crawl summary can show both without adding anything up.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scrapy.statscollectors import StatsCollector

PREFIX = "source/"
# What a source's line in the summary shows, in order.
EVENTS = ("pages", "articles", "feeds", "sitemaps")
# "known": archived by an earlier run and not due for a re-check.
SKIP_REASONS = ("robots", "scope", "cap", "depth", "trap", "since", "duplicate", "known")


def count(stats: StatsCollector | None, source: str | None, event: str, n: int = 1) -> None:
    if stats is not None and source:
        stats.inc_value(f"{PREFIX}{source}/{event}", n)


def count_skip(stats: StatsCollector | None, source: str | None, reason: str) -> None:
    if stats is None:
        return
    stats.inc_value(f"news/skipped/{reason}")
    count(stats, source, f"skipped/{reason}")


def per_source(stats: Mapping[str, Any]) -> dict[str, dict[str, int]]:
    """``{source: {event or skipped/reason: n}}`` from a crawl's stats."""
    table: dict[str, dict[str, int]] = {}
    for key, value in stats.items():
        if key.startswith(PREFIX) and isinstance(value, int):
            source, _, event = key[len(PREFIX):].partition("/")
            table.setdefault(source, {})[event] = value
    return table
