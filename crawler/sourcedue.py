"""When a job's sources are due: every run, or every so often (a source's ``every``).

A source with ``every = "15m"`` is due once fifteen minutes have passed since the
last run that crawled it whole took it up (``CrawlState.sources_crawled``), less a
little grace: cron starts runs a few seconds late or early, and a run that started
at 10:00:03 must not make the 10:15:01 run skip a source due every 15 minutes. A
source never crawled whole, or whose last crawl failed or was cut short, keeps its
old time, so it is due again at the next run.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from archive.layout import ArchiveLayout
from archive.state.crawlstate import read_sources_crawled
from crawler.jobfiles.spec import Source

# Grace: a tenth of the interval, at most a minute.
GRACE_SHARE = 0.1
GRACE_MAX = 60.0
# Finish reasons of a run that crawled its sources whole: it ended by itself, or at
# the page cap the job set (what is over a cap is the next run's, by design). A
# signal, --max-duration or a full disk cut the sources short: they stay due.
WHOLE_RUN_REASONS = frozenset({"finished", "closespider_pagecount"})


def utc_text(moment: float, *, seconds: bool = False) -> str:
    """A due time as people read it: ``2026-12-06 10:14 UTC`` (``:03`` with seconds)."""
    return datetime.fromtimestamp(moment, UTC).strftime(
        "%Y-%m-%d %H:%M:%S UTC" if seconds else "%Y-%m-%d %H:%M UTC")


def grace(every: float) -> float:
    return min(GRACE_MAX, every * GRACE_SHARE)


def due_at(source: Source, last_crawled: float | None) -> float | None:
    """When ``source`` is next due (unix time); None: at every run, or now (never
    crawled whole)."""
    if source.every is None or last_crawled is None:
        return None
    return last_crawled + source.every - grace(source.every)


@dataclass
class SourceTimes:
    """A job's sources sorted by whether they are due at ``now``."""

    due: list[Source] = field(default_factory=list)
    waiting: list[tuple[Source, float]] = field(default_factory=list)  # (source, due at)

    @property
    def next_due(self) -> tuple[Source, float] | None:
        return min(self.waiting, key=lambda pair: pair[1], default=None)


def sort_by_due(sources: Iterable[Source], crawled: Mapping[str, float],
                now: float) -> SourceTimes:
    times = SourceTimes()
    for source in sources:
        when = due_at(source, crawled.get(source.name))
        if when is None or when <= now:
            times.due.append(source)
        else:
            times.waiting.append((source, when))
    return times


def last_crawled_times(out: Path, job: str) -> dict[str, float] | None:
    """When each source of ``job`` was last crawled whole, from its state in ``out``
    (read only); None when the state is not there."""
    path = ArchiveLayout(out).state_dir / f"{job}.sqlite"
    return read_sources_crawled(path) if path.exists() else None
