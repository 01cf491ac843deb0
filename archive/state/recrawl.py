"""When a known article is due for another look: the recrawl policy of incremental runs.

News articles change most in their first hours (corrections, updates, new
paragraphs) and hardly ever after a few days. So a young article is re-checked
at an interval that grows each time it is found unchanged, and an article older
than ``max_age`` (from its publication, else from when it was first archived)
is not re-checked at all -- unless a feed or sitemap says it changed.
"""

from __future__ import annotations

from dataclasses import dataclass

DAY = 86_400.0


@dataclass(frozen=True)
class RecrawlPolicy:
    max_age: float = 3 * DAY  # seconds; 0 turns re-checks off
    interval: float = 3_600.0  # the first wait after a fetch
    backoff: float = 2.0  # each unchanged check multiplies the wait by this
    max_interval: float = DAY

    def due_at(self, *, born: float, last_checked: float,
               unchanged_checks: int) -> float | None:
        """When an article last checked at ``last_checked`` should be looked at again
        (unix time), or None for never. Computed on each run, so a changed policy
        applies to every article at once."""
        if self.max_age <= 0:
            return None
        growth = self.backoff ** min(max(0, unchanged_checks), 64)  # no float overflow
        due = last_checked + min(self.max_interval, self.interval * growth)
        if due - born > self.max_age:
            return None
        return due
