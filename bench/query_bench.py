"""How fast are queries over 100,000 articles, from Parquet indexes and from JSON Lines?

Builds a synthetic archive (article parts written by ``ArticleWriter``, each
indexed by ``archive.query.articleindex.write_index``, timed), then times typical
queries through the public API (``archive.query.articles``, ``archive.query.output``)
over the same parts twice: as shipped, reading each part's Parquet index, and
from the JSON Lines alone (what a query costs where parts have no index).
Both paths must give the same rows, and the counts worked out in Python over
the records (as they are written, or read back from a kept archive) with the
query rules of archive/query/_sql.py; when they do not, the run says so and
exits 1.

    .venv/bin/python -m bench.query_bench                       # 100,000 articles
    .venv/bin/python -m bench.query_bench --articles 20000 --repeat 5
    .venv/bin/python -m bench.query_bench --keep /tmp/qb        # keep the archive; reuse it

It also builds each job's search index and times ``--search`` (bench/_query_bench/search.py).

Results and the machine they were measured on: docs/performance.md. This module
is the benchmark's command and API; its parts are in ``bench/_query_bench/``: the
archive's generator, the queries, the archive on disk, and the timing and report.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from archive.query.articleindex import index_path
from bench._query_bench.archive import (
    DEFAULT_PART_SIZE,
    Archive,
    build_archive,
    index_archive,
    keep_problem,
    prepare,
)
from bench._query_bench.generator import (
    AUTHOR_POOL,
    BODY_WORDS,
    DECOY_SHARE,
    DROPPED_SHARE,
    LANGUAGES,
    PHRASES,
    REGEX,
    REGEX_SHARE,
    SEED,
    SOURCES,
    SPAN,
    START,
    TEXT_QUERY,
    VERSIONED_SHARE,
    Generator,
)
from bench._query_bench.queries import QUERIES, Query
from bench._query_bench.search import search_bench
from bench._query_bench.timing import Timing, disagreements, openers, report, run_once, time_queries
from bench.crawl_throughput import at_least

__all__ = [
    "AUTHOR_POOL", "BODY_WORDS", "DECOY_SHARE", "DEFAULT_PART_SIZE", "DROPPED_SHARE",
    "LANGUAGES", "PHRASES", "QUERIES", "REGEX", "REGEX_SHARE", "SEED", "SOURCES", "SPAN",
    "START", "TEXT_QUERY", "VERSIONED_SHARE", "Archive", "Generator", "Query", "Timing",
    "build_archive", "disagreements", "index_archive", "keep_problem", "main", "openers",
    "prepare", "report", "run_once", "search_bench", "time_queries",
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=at_least(1000), default=100_000, metavar="N",
                        help="articles in the synthetic archive (default 100000; at least "
                             "1000, or the rare phrases are planted nowhere)")
    parser.add_argument("--repeat", type=at_least(1), default=3, metavar="R",
                        help="timed runs of each query on each path (default 3)")
    parser.add_argument("--part-size", type=at_least(1), default=DEFAULT_PART_SIZE,
                        metavar="N", help="articles per part file "
                        f"(default {DEFAULT_PART_SIZE}, about a large source's daily run)")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="build the archive in DIR and keep it; a later run with the "
                             "same --articles and --part-size reuses it")
    args = parser.parse_args(argv)
    if args.keep is not None and (problem := keep_problem(args.keep, args.articles,
                                                          args.part_size)):
        parser.error(f"--keep: {problem}")

    queries = QUERIES  # looked up here, on each run, so that a test can swap them
    with tempfile.TemporaryDirectory(prefix="query-bench-") as tmp:
        scratch = Path(tmp)
        archive = prepare(args.keep, scratch, args.articles, args.part_size, queries)
        missing = [part for part in archive.parts if not index_path(part).is_file()]
        if missing:
            print(f"query_bench: {len(missing)} parts have no Parquet index", file=sys.stderr)
            return 1
        timings = time_queries(archive.root, args.repeat, scratch, queries)
        print(report(archive, timings, args.repeat, queries))
        searched, ranking = search_bench(archive, args.repeat)
        print("\n".join(searched))
    problems = disagreements(timings, archive.expected, queries) + ranking
    if problems:
        print("\nMISMATCH: the two paths (or the generator) disagree; these timings "
              "compare different work:", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    print("\nrows: Parquet = JSON Lines = the count in Python over the records, "
          "for every query")
    return 0


if __name__ == "__main__":
    sys.exit(main())
