"""How long known-URL lookups take in a job state of millions of pages.

A state is filled through :class:`archive.state.crawlstate.CrawlState`'s own API
(``record_fetch``; one page in two holds an article, ``record_version`` and
``link_article``), grown step by step to each size asked for; at each size
``page(key)`` and ``article_at(key)`` are timed for keys that are there (hits)
and keys that are not (misses), one call at a time. Then a frontier of
``pending`` URLs is filled and taken back (``take_pending``).
"""

from __future__ import annotations

import random
import statistics
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from archive.state.crawlstate import CrawlState
from archive.warc.exchange import RecordLocation

PROBES = 2_000


def _key(index: int) -> str:
    return f"http://127.0.0.1/news/2026/12/06/story-{index}.html"


def fill(state: CrawlState, start: int, stop: int) -> None:
    for i in range(start, stop):
        key = _key(i)
        state.record_fetch(key, key, status=200, payload_digest=f"sha1:{i:032d}",
                           etag=None, last_modified=None,
                           location=RecordLocation("bench.warc.gz", i * 4000, 3900,
                                                   f"<urn:uuid:{i:032x}>"),
                           warc_date="2026-12-06T08:00:00Z")
        if i % 2 == 0:
            state.record_version(key, {"canonical_url": key, "url": key, "source": "bench",
                                       "version": 1, "warc": None},
                                 content_digest=f"{i:040d}", published=None)
            state.link_article(key, key)
    state.commit()


def _timings(call: Callable[[str], Any], keys: list[str]) -> dict[str, float]:
    spent = []
    for key in keys:
        started = time.perf_counter_ns()
        call(key)
        spent.append(time.perf_counter_ns() - started)
    spent.sort()
    return {"median_us": statistics.median(spent) / 1000,
            "p99_us": spent[int(len(spent) * 0.99)] / 1000}


def lookups(state: CrawlState, rows: int) -> dict[str, Any]:
    hits = [_key(random.randrange(rows)) for _ in range(PROBES)]
    misses = [_key(rows + 1_000_000 + random.randrange(rows)) for _ in range(PROBES)]
    return {
        "rows": rows,
        "page_hit": _timings(state.page, hits),
        "page_miss": _timings(state.page, misses),
        "article_at_hit": _timings(state.article_at, hits),
        "article_at_miss": _timings(state.article_at, misses),
    }


def take_pending(directory: Path, pending: int) -> dict[str, Any]:
    """Fill a fresh state's frontier, then take all of it back as a run's start does:
    as one list (``take_pending``, what runs did before) and as a stream."""
    state = CrawlState(directory / "frontier.sqlite")
    for i in range(pending):
        state.add_pending(_key(i), _key(i), "bench")
    state.commit()
    figures: dict[str, Any] = {"pending": pending}
    for name, take in (("list", state.take_pending), ("stream", state.stream_pending)):
        tracemalloc.start()
        started = time.perf_counter()
        taken, first = 0, None
        for _ in take():
            if first is None:
                first = time.perf_counter() - started
            taken += 1
        figures[name] = {"taken": taken, "seconds": time.perf_counter() - started,
                         "first_seconds": first or 0.0,
                         "peak_python_mb": tracemalloc.get_traced_memory()[1] / 2**20}
        tracemalloc.stop()
    state.close()
    return figures


def measure(directory: Path, sizes: list[int], pending: int) -> dict[str, Any]:
    random.seed(19)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "lookups.sqlite"
    state = CrawlState(path)
    results, filled = [], 0
    for rows in sizes:
        started = time.perf_counter()
        fill(state, filled, rows)
        print(f"  state filled to {rows:,} pages in {time.perf_counter() - started:.0f}s",
              flush=True)
        filled = rows
        results.append({**lookups(state, rows), "state_mb": _size(path) / 2**20})
    state.close()
    return {"lookups": results, "take_pending": take_pending(directory, pending)}


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


def format_lookups(figures: dict[str, Any]) -> list[str]:
    lines = [f"{'pages':>10}{'state MB':>10}  µs median / p99: {'page hit':>14}"
             f"{'page miss':>14}{'article_at hit':>16}{'article_at miss':>17}"]
    for row in figures["lookups"]:
        cells = "".join(f"{row[name]['median_us']:>{w - 7}.1f} /{row[name]['p99_us']:>5.0f}"
                        for name, w in (("page_hit", 14), ("page_miss", 14),
                                        ("article_at_hit", 16), ("article_at_miss", 17)))
        lines.append(f"{row['rows']:>10,}{row['state_mb']:>10.0f}  {'':>16}{cells}")
    taken = figures["take_pending"]
    for name in ("list", "stream"):
        run = taken[name]
        lines.append(f"take_pending of {taken['pending']:,} URLs as a {name}: "
                     f"{run['seconds']:.1f}s (first after {run['first_seconds'] * 1000:.0f} ms), "
                     f"peak {run['peak_python_mb']:.0f} MB of Python objects")
    return lines
