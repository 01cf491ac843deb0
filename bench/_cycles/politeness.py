"""Politeness as the servers saw it, from the web's request log of one cycle.

Per host (address and port, as the crawler paces them):

- requests in flight above the allowed concurrency (1 under a robots.txt
  Crawl-delay, else CONCURRENT_REQUESTS_PER_DOMAIN);
- gaps between two requests' arrivals shorter than allowed: the Crawl-delay, else
  DOWNLOAD_DELAY less Scrapy's jitter (a delay of 0.25 s is drawn from 0.125-0.375 s);
  a gap short by under 10% is a near miss (clocks, see GAP_SLACK), counted apart;
- requests sooner than a 429/503's ``Retry-After``;
- requests to paths robots.txt disallows.

It also gives each host's polite floor: the time its requests take at the pace it
allows (nominal delay, Retry-After waits), so a cycle's wall time can be set against
the slowest host's floor.
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any
from urllib.parse import urlsplit

#: The crawler's clock starts a request's delay when it hands the request to its
#: download handler; the server's clock, when the request's head has arrived. A new
#: connection, or a busy event loop at either end, moves the two apart by some tens of
#: milliseconds: a gap short by less than this share of the delay (and 10 ms) is
#: counted as a near miss, not a violation.
GAP_SLACK = 0.10
GAP_TOLERANCE = 0.01


@dataclass
class Politeness:
    requests: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    over_concurrency: dict[str, int] = field(default_factory=dict)  # host -> requests
    short_gaps: dict[str, tuple[int, float, float]] = field(default_factory=dict)
    near_misses: dict[str, tuple[int, float, float]] = field(default_factory=dict)
    before_retry_after: dict[str, int] = field(default_factory=dict)
    disallowed: list[str] = field(default_factory=list)  # host/path
    slowest_host: str = ""
    slowest_floor: float = 0.0
    # Hosts that asked to back off (429/503) hold a cycle open by their Retry-After:
    # when each was last answered, and when every other host was done (seconds after
    # the cycle's first request), show what they cost.
    backed_off: dict[str, float] = field(default_factory=dict)
    others_done: float = 0.0
    others_floor: float = 0.0

    @property
    def violations(self) -> int:
        return (sum(self.over_concurrency.values()) + sum(n for n, _, _ in
                self.short_gaps.values()) + sum(self.before_retry_after.values())
                + len(self.disallowed))


def check(entries: list[list], sites: list[dict[str, Any]], *, delay: float,
          jitter: float, concurrency: int) -> Politeness:
    hosts: dict[str, dict[str, Any]] = {}
    for site in sites:
        for base in filter(None, (site["base"], site["alias"])):
            hosts[urlsplit(base).netloc] = site
    by_host: dict[str, list[list]] = defaultdict(list)
    for entry in entries:
        by_host[entry[0]].append(entry)
    report = Politeness(requests=len(entries), statuses=dict(Counter(e[2] for e in entries)))
    start = min((e[3] for e in entries), default=0.0)
    for host, requests in by_host.items():
        site = hosts.get(host)
        if site is None:
            continue
        requests.sort(key=lambda e: e[3])
        crawl_delay = site["crawl_delay"]
        allowed = 1 if crawl_delay else concurrency
        _in_flight(report, host, requests, allowed)
        _gaps(report, host, requests, crawl_delay or delay * (1 - jitter))
        report.disallowed += [f"{host}{e[1]}" for e in requests
                              if any(e[1].startswith(p) for p in site["disallow"])]
        floor = _floor(requests, crawl_delay or delay)
        if floor > report.slowest_floor:
            report.slowest_host, report.slowest_floor = host, floor
        done = max(e[4] for e in requests) - start
        if any(e[2] in (429, 503) for e in requests):
            report.backed_off[host] = done
        else:
            report.others_done = max(report.others_done, done)
            report.others_floor = max(report.others_floor, floor)
    return report


def _in_flight(report: Politeness, host: str, requests: list[list], allowed: int) -> None:
    ends: list[float] = []
    over = 0
    for _, _, _, arrived, ended, *_ in requests:
        while ends and ends[0] <= arrived:
            heapq.heappop(ends)
        heapq.heappush(ends, ended)
        over += len(ends) > allowed
    if over:
        report.over_concurrency[host] = over


def _gaps(report: Politeness, host: str, requests: list[list], shortest: float) -> None:
    short, smallest, near, nearest = 0, float("inf"), 0, float("inf")
    for before, after in pairwise(requests):
        gap = after[3] - before[3]
        if before[2] in (429, 503):
            report.before_retry_after[host] = report.before_retry_after.get(host, 0) + (
                after[3] - before[4] < _retry_after(before) - GAP_TOLERANCE)
            continue
        if gap >= shortest - GAP_TOLERANCE:
            continue
        if gap >= shortest * (1 - GAP_SLACK) - GAP_TOLERANCE:
            near, nearest = near + 1, min(nearest, gap)
        else:
            short, smallest = short + 1, min(smallest, gap)
    if short:
        report.short_gaps[host] = (short, smallest, shortest)
    if near:
        report.near_misses[host] = (near, nearest, shortest)
    if not report.before_retry_after.get(host, 1):
        del report.before_retry_after[host]


def _retry_after(entry: list) -> float:
    return entry[7] if len(entry) > 7 and entry[7] else 0.0


def _floor(requests: list[list], delay: float) -> float:
    floor = sum(max(delay, _retry_after(before)) for before in requests[:-1])
    return floor + (requests[-1][4] - requests[-1][3] if requests else 0.0)
