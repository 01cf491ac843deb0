"""What do ``as_of`` and suppressions cost a query?

Builds the query benchmark's synthetic archive (``bench/_query_bench``: article
parts written by ``ArticleWriter`` and indexed), writes a manifest per group of
parts as if ten crawls had written them, then times the same queries through
``archive.query.run_sql``: plain, as of the middle crawl, as of a day, and with
10 and 1,000 suppressions in force (each a takedown entry in the local log).
Prints the median seconds of each, and the rows counted (the as-of and
suppressed counts must be below the plain ones, or the run exits 1).

    .venv/bin/python -m bench.asof_bench                     # 20,000 articles
    .venv/bin/python -m bench.asof_bench --articles 100000 --repeat 5
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from archive.query import run_sql
from archive.query.suppressions import SUPPRESS, SuppressionLog, new_entry
from bench._query_bench.archive import build_archive, index_archive
from bench.crawl_throughput import at_least, machine

CRAWLS = 10
COUNT = "SELECT count(*) AS n FROM articles"
TEXT = "SELECT count(*) AS n FROM articles WHERE contains(lower(text), 'harbour')"


def write_manifests(root: Path, parts: list[Path]) -> list[str]:
    """One manifest per run of parts (in name order, which is time order): crawl ids."""
    ordered = sorted(parts, key=lambda p: p.name)
    ids = []
    size = max(1, -(-len(ordered) // CRAWLS))
    for number, start in enumerate(range(0, len(ordered), size)):
        crawl_id = f"202406{number + 1:02d}T090000Z"
        files = [{"path": p.relative_to(root).as_posix(), "kind": "articles"}
                 for p in ordered[start:start + size]]
        folder = root / "manifests"
        folder.mkdir(exist_ok=True)
        (folder / f"bench-{crawl_id}.json").write_text(json.dumps(
            {"job": "bench", "crawl_id": crawl_id, "files": files}))
        ids.append(crawl_id)
    return ids


def suppress_some(root: Path, count: int) -> None:
    """``count`` suppressions of archived URLs, appended to the local log."""
    urls = [row["url"] for row in run_sql(f"SELECT url FROM articles LIMIT {count}", root)]
    log = SuppressionLog(root)
    for url in urls:
        log.append(new_entry(SUPPRESS, url, [url], job=None, reason="bench", by="bench"))


def timed(root: Path, sql: str, repeat: int, **options: Any) -> tuple[float, int]:
    seconds, rows = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        rows = run_sql(sql, root, **options)[0]["n"]
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.asof_bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=at_least(100), default=20_000)
    parser.add_argument("--repeat", type=at_least(1), default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="asof-bench-") as scratch:
        root = Path(scratch) / "archive"
        archive = build_archive(root, args.articles)
        index_archive(archive)
        ids = write_manifests(root, archive.parts)
        middle = ids[len(ids) // 2]
        day = "2024-06-15"
        print(f"asof_bench: {args.articles} articles ({archive.records} records) in "
              f"{len(archive.parts)} parts, {len(ids)} crawls; {machine()}")
        print(f"{'query':<34} {'count s':>8} {'text s':>8} {'rows':>8}")
        results = {}
        cases: list[tuple[str, dict[str, Any], int]] = [
            ("plain", {}, 0), (f"as of crawl {middle}", {"as_of": middle}, 0),
            (f"as of day {day}", {"as_of": day}, 0),
            ("10 suppressions", {}, 10), ("1,000 suppressions", {}, 990)]
        for label, options, more in cases:
            if more:
                suppress_some(root, more)
            count, rows = timed(root, COUNT, args.repeat, **options)
            text, _ = timed(root, TEXT, args.repeat, **options)
            results[label] = rows
            print(f"{label:<34} {count:>8.3f} {text:>8.3f} {rows:>8}")
    plain = results["plain"]
    if not all(rows < plain for label, rows in results.items() if label != "plain"):
        print("asof_bench: a cut or a suppression did not narrow the corpus", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
