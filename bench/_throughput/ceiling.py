"""The best newsarchive / naive ratio the measured CPU per page allows.

Both pipelines share the machine with the site server, which also spends CPU on
every page it serves. If every core were busy all the time:

- newsarchive's wall time a page is at least all of its CPU a page spread over the
  cores, ``(crawl + workers + server) / cores``, and never less than its crawl
  process's own CPU a page (one process, one core at a time);
- the naive pipeline's is at least ``max(naive, server, (naive + server) / cores)``:
  it is one process, and its server runs beside it on another core, so the slower of
  the two sets the pace (on two cores the first term is always the larger).

Their quotient is the ceiling of the whole-run ratio: what overlap alone can reach.
A target above it needs less CPU a page, not more overlap; below it, the gap between
the measured ratio and the ceiling is idle cores (start, tail, waiting).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Ceiling:
    cores: int
    crawl_ms: float  # newsarchive's crawl process, CPU a page
    workers_ms: float  # its extraction workers, CPU a page
    server_ms: float  # the site server while newsarchive ran, CPU a page served
    naive_ms: float  # the naive pipeline's one process, CPU a page
    naive_server_ms: float  # the site server while the naive pipeline ran

    @property
    def all_ms(self) -> float:
        return self.crawl_ms + self.workers_ms + self.server_ms

    @property
    def newsarchive_floor_ms(self) -> float:
        """The least wall time a page newsarchive could take on ``cores`` cores."""
        return max(self.all_ms / self.cores, self.crawl_ms)

    @property
    def naive_floor_ms(self) -> float:
        """The least wall time a page the naive pipeline could take."""
        return max(self.naive_ms, self.naive_server_ms,
                   (self.naive_ms + self.naive_server_ms) / self.cores)

    @property
    def ratio(self) -> float:
        """The best whole-run newsarchive / naive ratio (articles/s) these costs allow."""
        return self.naive_floor_ms / self.newsarchive_floor_ms

    def needed_all_ms(self, target: float) -> float:
        """Newsarchive's CPU a page, server included, at which ``target`` is the ceiling
        (the naive pipeline's cost as measured)."""
        return self.naive_floor_ms / target * self.cores

    def figures(self) -> dict[str, Any]:
        return {**asdict(self), "all_ms": self.all_ms,
                "newsarchive_floor_ms": self.newsarchive_floor_ms,
                "naive_floor_ms": self.naive_floor_ms, "ratio": self.ratio}


def ceiling(cores: int, *, crawl_ms: float, workers_ms: float, server_ms: float,
            naive_ms: float, naive_server_ms: float | None = None) -> Ceiling:
    """The ceiling for these CPU costs a page (ms); the server's cost beside the naive
    pipeline is newsarchive's unless measured apart."""
    if cores < 1:
        raise ValueError(f"cores must be at least 1, got {cores}")
    costs = (crawl_ms, workers_ms, server_ms, naive_ms)
    if min(costs) < 0 or crawl_ms <= 0 or naive_ms <= 0:
        raise ValueError(f"CPU costs must be positive, got {costs}")
    return Ceiling(cores, crawl_ms, workers_ms, server_ms, naive_ms,
                   server_ms if naive_server_ms is None else naive_server_ms)


def format_ceiling(bound: Ceiling, measured_ratio: float, *, naive_wall_ms: float,
                   newsarchive_wall_ms: float, target: float) -> str:
    """Two lines: the ceiling and the share of it reached; the measured walls a page
    against their floors (the check of the reasoning above)."""
    return "\n".join([
        f"ceiling on {bound.cores} cores: newsarchive / naive <= {bound.ratio:.2f} "
        f"(all CPU a page: crawl {bound.crawl_ms:.2f} + workers {bound.workers_ms:.2f} "
        f"+ server {bound.server_ms:.2f} = {bound.all_ms:.2f} ms; naive {bound.naive_ms:.2f}"
        f" ms + server {bound.naive_server_ms:.2f} ms); reached {measured_ratio:.2f}, "
        f"{measured_ratio / bound.ratio:.0%} of it",
        f"wall a page: naive {naive_wall_ms:.2f} ms (floor {bound.naive_floor_ms:.2f}), "
        f"newsarchive {newsarchive_wall_ms:.2f} ms (floor {bound.newsarchive_floor_ms:.2f});"
        f" target {target:.1f} needs all CPU a page <= {bound.needed_all_ms(target):.2f} ms",
    ])
