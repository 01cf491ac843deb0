"""What does a search snapshot save a fresh cache? Building the job indexes from the
parts, against writing them as snapshots and restoring those.

Builds the query benchmark's synthetic archive (bench/_query_bench: article parts
and their Parquet indexes), then, per job: builds the search index from the parts
(what a fresh cache did before snapshots), writes it as a snapshot (what a crawl
adds at its end), puts it in a ``file://`` store, and restores it into an empty
cache (what a fresh cache does now; a real store adds the download's time, the
snapshot's size over the link). The restored indexes must find what the built
ones find; when they do not, the run says so and exits 1.

    .venv/bin/python -m bench.search_snapshot_bench                     # 100,000 articles
    .venv/bin/python -m bench.search_snapshot_bench --articles 20000
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from archive.search import JobIndex, job_index_dir, parse_search, rebuild, search_job
from archive.search.snapshot import snapshot_name, start_from_snapshot, write_snapshot
from archive.store.digests import file_digests
from archive.store.filestore import FileStore
from bench._query_bench.archive import DEFAULT_PART_SIZE, prepare

CHECKS = ('"yellow submarine"', "harbour wildfire submarine", "+wildfire ferry -submarine")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--part-size", type=int, default=DEFAULT_PART_SIZE)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="snapshot-bench-") as scratch:
        archive = prepare(None, Path(scratch), args.articles, args.part_size)
        parts: dict[str, list[Path]] = defaultdict(list)
        for part in archive.parts:
            parts[part.parent.name].append(part.with_suffix(".parquet"))
        store = FileStore(Path(scratch) / "store")
        cache = Path(scratch) / "cache"

        started = time.perf_counter()
        for job, files in parts.items():
            rebuild(job_index_dir(archive.root, job), files)
        built = time.perf_counter() - started

        started, size = time.perf_counter(), 0
        for job in parts:
            path, _ = write_snapshot(job_index_dir(archive.root, job),
                                     snapshot_name("20240620T100000Z", "bench"))
            size += path.stat().st_size
            store.put(path, f"search/{job}/{path.name}", file_digests(path))
        written = time.perf_counter() - started

        started = time.perf_counter()
        for job in parts:
            start_from_snapshot(store, job_index_dir(cache, job), job)
        restored = time.perf_counter() - started

        problems = []
        for words in CHECKS:
            text = parse_search(words)
            for job in parts:
                a = search_job(JobIndex.open(job_index_dir(archive.root, job)), text)
                b = search_job(JobIndex.open(job_index_dir(cache, job)), text)
                if sorted(a.captures) != sorted(b.captures):
                    problems.append(f"{words!r} in job {job}: {len(b)} hits restored, "
                                    f"{len(a)} built")
    print(f"{archive.records:,} article records in {len(archive.parts)} parts, "
          f"{len(parts)} jobs")
    print(f"build the indexes from the parts (2 threads): {built:6.1f} s")
    print(f"write them as snapshots and store them:      {written:6.1f} s, "
          f"{size / 1e6:,.1f} MB")
    print(f"restore the snapshots into an empty cache:   {restored:6.1f} s "
          f"({built / max(restored, 1e-9):,.0f}x faster than building)")
    for problem in problems:
        print("PROBLEM:", problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
