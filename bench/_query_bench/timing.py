"""The queries timed over both paths (Parquet indexes, JSON Lines alone), checked
against each other and against the counts expected, and the report."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archive.query.articles import ArticleQuery, Filters, open_articles
from archive.query.sources import ArticleFiles
from bench._query_bench.archive import Archive
from bench._query_bench.generator import SOURCES
from bench._query_bench.queries import QUERIES, Outcome, Query
from bench.crawl_throughput import machine


@dataclass
class Timing:
    seconds: list[float] = field(default_factory=list)
    outcomes: set[Outcome] = field(default_factory=set)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


Opener = Callable[[dict[str, Any]], ArticleQuery]


def openers(root: Path) -> dict[str, Opener]:
    """How each path opens a query: as shipped (Parquet where a part has an index),
    and over the JSON Lines alone. Both list the archive's files each time, as
    ``open_articles`` does: with thousands of parts that is part of the cost."""
    def json_lines(filters: dict[str, Any]) -> ArticleQuery:
        parts = sorted(root.glob("articles/*/*.jsonl"))
        return ArticleQuery(ArticleFiles(jsonl=parts, where=str(root)), Filters.make(**filters))

    return {"parquet": lambda filters: open_articles(root, **filters), "json": json_lines}


def run_once(query: Query, opener: Opener, scratch: Path) -> tuple[float, Outcome]:
    started = time.perf_counter()
    with opener(query.filters) as opened:
        outcome = query.run(opened, scratch)
    return time.perf_counter() - started, outcome


def time_queries(root: Path, repeat: int, scratch: Path,
                 queries: Sequence[Query] = QUERIES) -> dict[tuple[str, str], Timing]:
    """Every query over both paths, ``repeat`` times, interleaved so that the machine's
    slow moments fall on both alike; which path goes first alternates, so neither
    always follows the heavy run before it (an export leaves memory and the page
    cache behind it busy)."""
    paths = openers(root)
    timings = {(q.label, path): Timing() for q in queries for path in paths}
    for run in range(repeat):
        for query in queries:
            order = list(paths.items())
            for path, opener in order[::-1] if run % 2 else order:
                seconds, outcome = run_once(query, opener, scratch)
                timings[query.label, path].seconds.append(seconds)
                timings[query.label, path].outcomes.add(outcome)
    return timings


def disagreements(timings: dict[tuple[str, str], Timing], expected: dict[str, int],
                  queries: Sequence[Query] = QUERIES) -> list[str]:
    """Every way the two paths, their repetitions and the counts expected disagree."""
    problems = []
    for query in queries:
        parquet, json_ = timings[query.label, "parquet"], timings[query.label, "json"]
        if len(parquet.outcomes) != 1 or parquet.outcomes != json_.outcomes:
            problems.append(f"{query.label}: Parquet gave {sorted(parquet.outcomes)}, "
                            f"JSON Lines gave {sorted(json_.outcomes)}")
            continue
        [(rows, _fingerprint)] = parquet.outcomes
        if rows != expected[query.label]:
            problems.append(f"{query.label}: both paths gave {rows}, expected "
                            f"{expected[query.label]} (counted in Python over the records)")
    return problems


# -- the report --------------------------------------------------------------------------

def report(archive: Archive, timings: dict[tuple[str, str], Timing], repeat: int,
           queries: Sequence[Query] = QUERIES) -> str:
    about = machine()
    per_10k = archive.index_seconds / archive.records * 10_000
    jsonl, parquet = archive.size(".jsonl"), archive.size(".parquet")
    lines = [
        f"machine: {about['cores']} cores, {about['cpu']}, Python {about['python']}, "
        f"DuckDB {_duckdb_version()}",
        f"archive: {archive.articles:,} articles, {archive.records:,} records "
        f"({archive.records - archive.articles:,} second versions), {len(archive.parts)} "
        f"parts in {len(SOURCES)} jobs, at {archive.root}",
        f"generated in {archive.generate_seconds:.1f} s" if archive.generate_seconds
        else "generated earlier (--keep)",
        f"indexed (write_index, one thread a part) in {archive.index_seconds:.1f} s: "
        f"{per_10k:.2f} s per 10,000 records",
        f"on disk: JSON Lines {jsonl / 1e6:,.1f} MB, Parquet {parquet / 1e6:,.1f} MB "
        f"({parquet / jsonl:.2f} of the JSON)",
        "",
        f"seconds, {repeat} run{'s' if repeat != 1 else ''} each: median (min)",
        f"{'query':<30}{'rows':>9}{'Parquet':>16}{'JSON Lines':>17}{'Parquet/JSON':>14}",
    ]
    for query in queries:
        fast, slow = timings[query.label, "parquet"], timings[query.label, "json"]
        rows = next(iter(fast.outcomes))[0]
        lines.append(f"{query.label:<30}{rows:>9,}{_cell(fast):>16}{_cell(slow):>17}"
                     f"{fast.median / slow.median:>14.3f}")
    lines += ["", "each time runs from opening the query (its articles view) to the last row "
              "or file written; the queries are `newsarchive query --out DIR` with:"]
    lines += [f"  {query.label:<30}{query.options}" for query in queries]
    return "\n".join(lines)


def _cell(timing: Timing) -> str:
    return f"{timing.median:.3f} ({min(timing.seconds):.3f})"


def _duckdb_version() -> str:
    import duckdb

    return duckdb.__version__
