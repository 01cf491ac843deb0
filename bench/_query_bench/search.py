"""The benchmark's search part: build every job's search index from the parts'
Parquet indexes (timed), then time searches two ways, and check the ranking against
the planted phrases.

- index search: ``archive.search.search_job`` over every job's index, all hits
  with their capture numbers (what ``--search`` asks of tantivy);
- whole query: ``find_articles(search=..., limit=20)``, the 20 best with score and
  snippet, from opening the query (its articles view, the DuckDB join, the
  latest-version rule) to the last row.

Checks: '"yellow submarine"' finds exactly the latest articles the generator planted
it in, and those with it in the title (a tenth) come first.
"""

from __future__ import annotations

import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from archive.query.articles import find_articles
from archive.search import job_index_dir, parse_search, rebuild, search_job
from bench._query_bench.archive import Archive
from bench._query_bench.generator import PHRASES

RARE = "yellow submarine"
SEARCHES = {
    "phrase, 0.1%": f'"{RARE}"',
    "phrase, 1%": '"harbour ferry"',
    "two words, 5%": "wildfire season",
    "three words": "harbour wildfire submarine",
    "required and excluded": "+wildfire ferry -submarine",
}
TOP = 20


def search_bench(archive: Archive, repeat: int) -> tuple[list[str], list[str]]:
    """Report lines and problems found (an empty list when the ranking checks out)."""
    parts: dict[str, list[Path]] = defaultdict(list)
    for part in archive.parts:
        parts[part.parent.name].append(part.with_name(part.name.removesuffix(".jsonl")
                                                      + ".parquet"))
    start = time.perf_counter()
    indexes = [rebuild(job_index_dir(archive.root, job), files) for job, files in parts.items()]
    built = time.perf_counter() - start
    size = sum(p.stat().st_size for p in (archive.root / "search").rglob("*") if p.is_file())
    lines = ["", f"search index (tantivy, {len(indexes)} jobs, built with 2 threads from the "
             f"Parquet indexes) in {built:.1f} s, {size / 1e6:,.1f} MB on disk",
             f"milliseconds, {repeat} runs each: median (min)",
             f"{'search':<24}{'hits':>8}{'index search':>16}{'whole query, ' + str(TOP):>20}"]
    for label, words in SEARCHES.items():
        text = parse_search(words)
        hits = [0]

        def in_index(text=text, hits=hits) -> None:
            hits[0] = sum(len(search_job(index, text)) for index in indexes)

        def whole(words=words) -> None:
            find_articles(archive.root, search=words, limit=TOP,
                          fields=["url", "score", "snippet"])

        index_ms, whole_ms = _timed(in_index, repeat), _timed(whole, repeat)
        lines.append(f"{label:<24}{hits[0]:>8,}{_cell(index_ms):>16}{_cell(whole_ms):>20}")
    lines.append("searches: " + "; ".join(f"{k}: {v}" for k, v in SEARCHES.items()))
    return lines, _ranking_problems(archive)


def _ranking_problems(archive: Archive) -> list[str]:
    rows = find_articles(archive.root, search=f'"{RARE}"', fields=["title", "score"])
    expected = round(archive.articles * PHRASES[RARE])
    problems = []
    if len(rows) != expected:
        problems.append(f'search "{RARE}": {len(rows)} articles, planted in {expected}')
    in_title = [RARE in (row["title"] or "").lower() for row in rows]
    # A tenth are planted in the title: none at all when the phrase is in fewer than 10.
    if in_title != sorted(in_title, reverse=True) or (expected >= 10 and not any(in_title)):
        problems.append(f'search "{RARE}": the articles with it in the title do not come first')
    return problems


def _timed(run: Callable[[], None], repeat: int) -> list[float]:
    run()  # the first run opens files and warms caches; not timed
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return times


def _cell(times: list[float]) -> str:
    return f"{statistics.median(times):.1f} ({min(times):.1f})"


__all__ = ["SEARCHES", "search_bench"]
