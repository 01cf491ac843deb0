"""What waits in the local archive directory, and what the directory takes on disk.

A crawl with a store uploads its files as they finish; a file the store did not
take stays local, marked ``pending`` in its crawl's manifest, and a file a
killed run had closed is in no manifest yet. Both are what ``newsarchive
upload`` (or the job's next run) sends. A job that never used a store keeps its
files locally on purpose: nothing of it waits.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from archive.layout import ArchiveLayout
from archive.partfile import OPEN_SUFFIX
from archive.query.cachelimit import cache_size
from archive.store.manifest import is_manifest
from archive.store.spool import DATA_FOLDERS


def local_manifests(out: Path) -> list[dict[str, Any]]:
    """Every readable crawl manifest in ``out/manifests`` (a damaged one is skipped:
    status shows what it can)."""
    manifests = []
    for path in sorted((Path(out) / "manifests").glob("*.json")):
        if not is_manifest(path):
            continue
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(manifest, dict) and manifest.get("job"):
            manifest["path"] = str(path)
            if not isinstance(manifest.get("files"), list):
                manifest["files"] = []
            manifests.append(manifest)
    return manifests


def files_waiting(out: Path, job: str, manifests: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """``{"count", "bytes", "oldest"}`` of the job's local files that wait for its
    store; ``oldest`` is when the oldest of them was last written (ISO 8601, UTC)."""
    root = Path(out)
    mine = [manifest for manifest in manifests if manifest.get("job") == job]
    waiting: set[Path] = set()
    for manifest in mine:
        for entry in manifest["files"]:
            if isinstance(entry, dict) and entry.get("pending") and "path" in entry:
                waiting.add(root / str(entry["path"]))
    if any(manifest.get("store") for manifest in mine):
        listed = {str(entry.get("path")) for manifest in manifests
                  for entry in manifest["files"] if isinstance(entry, dict)}
        waiting.update(path for path in _finished_files(ArchiveLayout(root), job)
                       if path.relative_to(root).as_posix() not in listed)
    sizes, times = 0, []
    for path in waiting:
        try:
            stat = path.stat()
        except OSError:
            continue  # sent or removed since its manifest was written
        sizes += stat.st_size
        times.append(stat.st_mtime)
    return {"count": len(times), "bytes": sizes,
            "oldest": datetime.fromtimestamp(min(times), UTC).isoformat() if times else None}


def disk_usage(out: Path, cache: Path | None = None) -> dict[str, int]:
    """Bytes the spool (the local data files), the state and the query cache take."""
    root = Path(out)
    return {"spool_bytes": sum(_tree_bytes(root / folder) for folder in DATA_FOLDERS),
            "state_bytes": _tree_bytes(ArchiveLayout(root).state_dir),
            "query_cache_bytes": cache_size(Path(cache)) if cache is not None else 0}


def _finished_files(layout: ArchiveLayout, job: str) -> Iterator[Path]:
    for base in (layout.warc_dir(job), layout.articles_dir(job)):
        if base.is_dir():
            yield from (path for path in sorted(base.iterdir()) if path.is_file()
                        and not path.name.endswith((OPEN_SUFFIX, ".tmp")))


def _tree_bytes(folder: Path) -> int:
    total = 0
    for directory, _, names in os.walk(folder):
        for name in names:
            try:
                total += os.lstat(os.path.join(directory, name)).st_size
            except OSError:
                continue  # removed while we walked
    return total
