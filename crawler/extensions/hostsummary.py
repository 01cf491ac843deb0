"""The summary's lines about what sites did to the crawl or asked of it, from stats.

``robotstxt/unreachable/HOST`` (tries), ``robotstxt/not_fetched/HOST`` and
``robotstxt/cached/HOST`` (days) come from :mod:`crawler.middlewares.robots`;
``politeness/slowed/HOST`` (seconds above the host's configured pace) and
``politeness/slowed_times/HOST``, ``politeness/left/HOST`` (429/503 answers in a row)
and ``politeness/not_fetched/HOST`` from :mod:`crawler.middlewares.politeness`;
``rights/noarchive`` and ``rights/noarchive_skipped`` from :mod:`crawler.pipelines`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# Hosts named on one line; the rest are counted.
MAX_HOSTS = 10


def per_host(stats: Mapping[str, Any], prefix: str) -> dict[str, Any]:
    return {key.removeprefix(prefix): value for key, value in sorted(stats.items())
            if key.startswith(prefix)}


def named(items: list[str]) -> str:
    shown = ", ".join(items[:MAX_HOSTS])
    return shown + (f" and {len(items) - MAX_HOSTS} more" if len(items) > MAX_HOSTS else "")


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def host_lines(stats: Mapping[str, Any]) -> list[str]:
    lines = []
    unreachable = per_host(stats, "robotstxt/unreachable/")
    not_fetched = per_host(stats, "robotstxt/not_fetched/")
    if unreachable:
        lines.append("robots.txt unreachable: " + named(
            [f"{host} ({tries} tries), {not_fetched.get(host, 0)} page(s) not fetched"
             for host, tries in unreachable.items()]))
    if cached := per_host(stats, "robotstxt/cached/"):
        lines.append("robots.txt unreachable, an earlier run's copy used: " + named(
            [f"{host} ({days:g} days old)" for host, days in cached.items()]))
    slowed = per_host(stats, "politeness/slowed/")
    times = per_host(stats, "politeness/slowed_times/")
    if slowed:
        longest = sorted(slowed.items(), key=lambda item: -item[1])
        lines.append("Slowed down:          " + named(
            [f"{host} ({plural(times.get(host, 1), 'time')}, {seconds:.0f} s)"
             for host, seconds in longest]))
    if left := left_hosts(stats):
        lines.append("Left for next run:    " + named(left))
    if noarchive := stats.get("rights/noarchive"):
        skipped = stats.get("rights/noarchive_skipped") or 0
        lines.append(f"Said noarchive:       {plural(noarchive, 'article')}; "
                     + (f"{skipped} not kept (ROBOTS_NOARCHIVE=skip; their pages are in the "
                        "WARC files)" if skipped else "kept, marked in their records"))
    return lines


def left_hosts(stats: Mapping[str, Any]) -> list[str]:
    """Hosts that kept answering 429/503, left for the next run, with what they kept
    from being fetched in this one."""
    not_fetched = per_host(stats, "politeness/not_fetched/")
    return [f"{host} (answered 429/503 {plural(times, 'time')} in a row), "
            f"{plural(not_fetched.get(host, 0), 'page')} not fetched"
            for host, times in per_host(stats, "politeness/left/").items()]
