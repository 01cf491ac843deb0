"""Which sites misbehave, how, and in which simulated hours: all drawn from the seed.

The mix a crawl of a few hundred real sites meets in an hour: a few sites down
(connection refused), a few slow (1-3 s a response), a few asking to back off (429
or 503 with ``Retry-After``, for a whole hour), a few answering 500 now and then.
Faults start at hour 1: hour 0 is the first crawl of every site's back catalogue,
which the benchmark wants whole.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass

UP, DOWN, SLOW, THROTTLED, FLAKY = "up", "down", "slow", "throttled", "flaky"
#: Share of sites given each fault (the rest are always up).
FAULT_SHARES = ((DOWN, 0.02), (SLOW, 0.02), (THROTTLED, 0.02), (FLAKY, 0.01))
FLAKY_SHARE = 0.10  # of a flaky site's responses, in its bad hours
#: The hours a fault lasts: it starts in hours 1-3, so a short benchmark meets it.
FIRST_FAULT_HOURS = (1, 3)
FAULT_LENGTH_HOURS = (1, 3)


@dataclass(frozen=True)
class FaultPlan:
    kind: str = UP
    start: int = 0  # first hour of the fault
    hours: int = 0
    slow_seconds: float = 0.0  # SLOW: time taken by each response
    throttle_status: int = 429  # THROTTLED: 429 or 503
    retry_after: int = 0  # THROTTLED: seconds, in the Retry-After header

    def status(self, hour: int) -> str:
        """What the site is at ``hour``: UP, or its fault while the fault lasts."""
        return self.kind if self.start <= hour < self.start + self.hours else UP


def plan_faults(sites: int, rng: random.Random) -> list[FaultPlan]:
    """One plan a site; at least one site of each kind once there are 50 sites."""
    plans = [FaultPlan() for _ in range(sites)]
    order = list(range(sites))
    rng.shuffle(order)
    taken = 0
    for kind, share in FAULT_SHARES:
        count = max(1, round(share * sites)) if sites >= 50 else 0
        for index in order[taken:taken + count]:
            plans[index] = _plan(kind, rng)
        taken += count
    return plans


def _plan(kind: str, rng: random.Random) -> FaultPlan:
    start = rng.randint(*FIRST_FAULT_HOURS)
    hours = rng.randint(*FAULT_LENGTH_HOURS)
    if kind == SLOW:
        return FaultPlan(kind, start, hours, slow_seconds=round(rng.uniform(1.0, 3.0), 2))
    if kind == THROTTLED:
        return FaultPlan(kind, start, hours, throttle_status=rng.choice((429, 503)),
                         retry_after=rng.choice((10, 20, 30)))
    return FaultPlan(kind, start, hours)


def flaky_fails(site: int, path: str, hour: int, served: int) -> bool:
    """Whether a flaky site answers 500 to this request: a fixed share of requests,
    decided by a hash so that a retry of the same path may well succeed."""
    digest = hashlib.blake2b(f"{site}|{path}|{hour}|{served}".encode(), digest_size=4)
    return int.from_bytes(digest.digest(), "big") / 2**32 < FLAKY_SHARE
