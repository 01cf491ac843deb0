"""Sources that keep failing: since which run, and for how many runs in a row.

A site that is down for one run is a passing fault; one that has been down for
every run of the last month is a source to fix or drop. The job's state keeps,
per failing source, the run its failure began in, so the run report can tell
the two apart ("failing since RUN, N runs"). A source whose site answers again
is forgotten; a source this run did not try at all keeps its streak as it was.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class SourceFailure:
    source: str
    since: str  # the crawl id of the first run of this streak
    last: str  # the crawl id of its latest run
    runs: int  # failed runs in a row, this one included
    reason: str  # why it failed in the latest of them


def next_failures(known: Mapping[str, SourceFailure], crawl_id: str,
                  failed: Mapping[str, str], answered: Iterable[str]
                  ) -> tuple[dict[str, SourceFailure], set[str]]:
    """This run's failures (source -> streak, continued or new) and the sources whose
    streak ends because they answered."""
    now = {}
    for source, reason in failed.items():
        before = known.get(source)
        if before is not None and before.last == crawl_id:
            now[source] = before  # told twice in one run (workers of a distributed crawl)
        elif before is not None:
            now[source] = SourceFailure(source, before.since, crawl_id, before.runs + 1,
                                        reason)
        else:
            now[source] = SourceFailure(source, crawl_id, crawl_id, 1, reason)
    cleared = {source for source in answered if source in known and source not in now}
    return now, cleared
