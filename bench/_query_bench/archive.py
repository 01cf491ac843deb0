"""The archive on disk: written by ``ArticleWriter`` from the generator's records,
indexed as a crawl indexes its parts, reused when ``--keep`` finds the same one,
and the counts each query should give."""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archive.articles import ArticleWriter, read_articles
from archive.query.articleindex import write_index
from bench._query_bench.generator import SEED, Generator
from bench._query_bench.queries import QUERIES, Query, month_of

#: Bump when what the generator writes changes: ``--keep`` reuses an archive only
#: when it was built by the same generator, seed, size and part size.
GENERATOR = 1
MARKER = "query-bench.json"
HOST_TAG = "bench"
#: Articles per part. A daily run of a large source writes about this many; an
#: hourly cron writes smaller parts still (try --part-size 20): docs/performance.md.
DEFAULT_PART_SIZE = 1000


@dataclass
class Archive:
    """A synthetic archive on disk, and what the generator knows about it."""

    root: Path
    articles: int
    records: int
    parts: list[Path]
    expected: dict[str, int]
    generate_seconds: float = 0.0
    index_seconds: float = 0.0

    def size(self, suffix: str) -> int:
        return sum(path.stat().st_size for path in self.root.glob(f"articles/*/*{suffix}"))


def build_archive(root: Path, articles: int, part_size: int = DEFAULT_PART_SIZE,
                  seed: int = SEED, queries: Sequence[Query] = QUERIES) -> Archive:
    """Write ``articles`` articles (and their second versions) under ``root/articles``:
    per source, a run writing first versions in time order, then a re-check run
    writing the second versions; each in parts of ``part_size``."""
    started = time.perf_counter()
    generator = Generator(articles, seed)
    tally = Tally(queries)
    parts: list[Path] = []
    for source, numbers in generator.sources():
        directory = root / "articles" / source.job
        seconds: list[dict[str, Any]] = []
        writer = ArticleWriter(directory, source.job, max_lines=part_size, host_tag=HOST_TAG)
        for first, second in generator.source_records(source, numbers):
            writer.write(first)
            tally.add(judge(second or first, queries))
            if second is not None:
                seconds.append(second)
        writer.close()
        recheck = ArticleWriter(directory, source.job, max_lines=part_size, host_tag=HOST_TAG)
        for second in sorted(seconds, key=lambda record: record["fetched_at"]):
            recheck.write(second)
        recheck.close()
        parts += [part.path for part in writer.closed_parts + recheck.closed_parts]
    records = articles + len(generator.versioned)
    archive = Archive(root, articles, records, parts, tally.expected(articles, records))
    archive.generate_seconds = time.perf_counter() - started
    return archive


Judgment = tuple[tuple[str, ...], tuple[str | None, str | None]]


def judge(record: dict[str, Any], queries: Sequence[Query] = QUERIES) -> Judgment:
    """Which queries find ``record`` if it is the latest version, and its aggregate group."""
    found = tuple(q.label for q in queries if q.matches is not None and q.matches(record))
    return found, month_of(record)


@dataclass
class Tally:
    """The counts each query should give, worked out in Python over the latest records."""

    queries: Sequence[Query] = QUERIES
    found: Counter[str] = field(default_factory=Counter)
    groups: set[tuple[str | None, str | None]] = field(default_factory=set)

    def add(self, judgment: Judgment) -> None:
        found, group = judgment
        self.found.update(found)
        self.groups.add(group)

    def expected(self, articles: int, records: int) -> dict[str, int]:
        known = {"groups": len(self.groups), "articles": articles, "records": records}
        return {query.label: (self.found[query.label] if query.matches is not None
                              else known[query.expect]) for query in self.queries}


def tally_on_disk(parts: list[Path], queries: Sequence[Query] = QUERIES
                  ) -> tuple[int, int, dict[str, int]]:
    """Articles, records and the counts to expect, read back from the parts (for an
    archive kept from an earlier run: the rules of the queries may have changed since)."""
    latest: dict[tuple[str, str], tuple[int, Judgment]] = {}
    records = 0
    for part in parts:
        for record in read_articles(part):
            records += 1
            key = (record["job"], record["canonical_url"] or record["url"])
            if key not in latest or record["version"] > latest[key][0]:
                latest[key] = (record["version"], judge(record, queries))
    tally = Tally(queries)
    for _version, judgment in latest.values():
        tally.add(judgment)
    return len(latest), records, tally.expected(len(latest), records)


def index_archive(archive: Archive) -> None:
    """Write every part's Parquet index, as a crawl does when it closes a part."""
    started = time.perf_counter()
    for part in archive.parts:
        write_index(part)
    archive.index_seconds = time.perf_counter() - started


def prepare(keep: Path | None, scratch: Path, articles: int, part_size: int,
            queries: Sequence[Query] = QUERIES) -> Archive:
    """The archive to query: built in ``keep`` (or ``scratch``), or reused from ``keep``
    when an earlier run built the same one there; indexed either way (a figure). The
    counts to expect are those of ``queries``."""
    root = keep or scratch / "archive"
    marker = root / MARKER
    if marker.is_file():
        parts = sorted(root.glob("articles/*/*.jsonl"))
        found, records, expected = tally_on_disk(parts, queries)
        archive = Archive(root, found, records, parts, expected)
    else:
        archive = build_archive(root, articles, part_size, queries=queries)
        marker.write_text(json.dumps({"generator": GENERATOR, "seed": SEED,
                                      "articles": articles, "part_size": part_size},
                                     indent=2) + "\n", encoding="utf-8")
    index_archive(archive)
    return archive


def keep_problem(keep: Path, articles: int, part_size: int) -> str | None:
    """Why ``--keep DIR`` cannot be used for this run, or None."""
    marker = keep / MARKER
    if marker.is_file():
        saved = json.loads(marker.read_text(encoding="utf-8"))
        if (saved.get("generator"), saved.get("seed"), saved.get("articles"),
                saved.get("part_size")) != (GENERATOR, SEED, articles, part_size):
            return (f"{keep} holds a benchmark archive of {saved.get('articles')} articles in "
                    f"parts of {saved.get('part_size')} (generator {saved.get('generator')}): "
                    "give those options, or another folder")
        return None
    if keep.exists() and (not keep.is_dir() or any(keep.iterdir())):
        return (f"{keep} exists and is not a finished benchmark archive: give a new or "
                "empty folder")
    return None
