"""The query cache's size limit: least recently used out.

Queries, ``show``, ``diff``, ``replay`` and ``export-wacz`` against a store fetch
its files into a local cache (:func:`archive.query.sources.fetch`). Every file
used is touched, so its modification time says when it was last used; after an
operation has fetched what it needs, :func:`trim_cache` removes the least
recently used files until the cache is under its limit
(``NEWSARCHIVE_CACHE_MAX_BYTES``, default 2 GiB).

What this process has used is never removed, even when the cache is then over
its limit: a query still reads its files after it has been opened (DuckDB reads
lazily), and a notebook may hold several queries open at once. A job's search
index in the cache (``search/JOB/``) is one item: used, removed and rebuilt
whole (from the store's snapshot, or the parts).
"""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from archive.errors import QueryError

ENV_MAX_BYTES = "NEWSARCHIVE_CACHE_MAX_BYTES"
DEFAULT_MAX_BYTES = 2 * 1024 ** 3
_UNITS = {"": 1, "K": 1024, "M": 1024 ** 2, "G": 1024 ** 3, "T": 1024 ** 4}
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(?:I?B)?\s*$", re.IGNORECASE)
# A download in progress (``NAME.PID.tmp``) is another process's; one this old was
# left by a process that died, and is fair game.
_STALE_TEMP_SECONDS = 3600.0

# What this process has used, by cache directory: never trimmed while it runs.
_USED: dict[Path, set[Path]] = {}


@dataclass(frozen=True)
class CacheItem:
    """One thing the cache holds: a fetched file, or a job's search index folder."""

    path: Path
    size: int
    last_used: float  # seconds since the epoch


def parse_size(text: str) -> int:
    """Bytes from ``2G``, ``500M``, ``1.5GiB`` or a plain number of bytes."""
    match = _SIZE.match(str(text))
    if not match:
        raise QueryError(f"cache size {text!r}: give bytes, or a number with K, M, G or T "
                         "(e.g. 2G, 500M)")
    return int(float(match.group(1)) * _UNITS[match.group(2).upper()])


def cache_max_bytes(environ: Mapping[str, str] | None = None) -> int:
    """The limit set in ``NEWSARCHIVE_CACHE_MAX_BYTES``, else 2 GiB."""
    value = (os.environ if environ is None else environ).get(ENV_MAX_BYTES, "").strip()
    if not value:
        return DEFAULT_MAX_BYTES
    try:
        return parse_size(value)
    except QueryError as exc:
        raise QueryError(f"{ENV_MAX_BYTES}: {exc}") from None


def mark_used(cache: Path, path: Path) -> None:
    """``path`` (in ``cache``) is used now: touched, and kept while this process runs."""
    path = Path(path)
    try:
        os.utime(path)
    except OSError:
        pass  # a read-only cache is used as it is: it is never trimmed either
    _USED.setdefault(_key(cache), set()).add(path.absolute())


def used_here(cache: Path) -> set[Path]:
    """What this process has used in ``cache``."""
    return set(_USED.get(_key(cache), ()))


def cache_size(path: Path) -> int:
    """Bytes the files under ``path`` take (0 when there is no such folder)."""
    return sum(item.size for item in cache_items(path))


def cache_items(cache: Path) -> list[CacheItem]:
    """What the cache holds, least recently used first."""
    cache = Path(cache)
    if not cache.is_dir():
        return []
    items = []
    for directory, folders, files in os.walk(cache):
        here = Path(directory)
        if here.parent == cache / "search":
            items.append(_folder_item(here))
            folders.clear()
            continue
        for name in files:
            try:
                status = (here / name).stat()
            except FileNotFoundError:
                continue  # removed meanwhile by another process
            items.append(CacheItem(here / name, status.st_size, status.st_mtime))
    return sorted(items, key=lambda item: (item.last_used, str(item.path)))


def trim_cache(cache: Path, max_bytes: int, keep: Iterable[Path] = ()) -> list[CacheItem]:
    """Remove the least recently used items until ``cache`` holds at most ``max_bytes``;
    never one in ``keep`` (a file, or a folder whose files are all kept), nor another
    process's download in progress. Returns what was removed."""
    kept = {Path(path).absolute() for path in keep}
    items = cache_items(cache)
    total = sum(item.size for item in items)
    removed = []
    now = time.time()
    for item in items:
        if total <= max_bytes:
            break
        path = item.path.absolute()
        if path in kept or any(parent in kept for parent in path.parents):
            continue
        if path.name.endswith(".tmp") and now - item.last_used < _STALE_TEMP_SECONDS:
            continue
        try:
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()
        except FileNotFoundError:
            pass  # another process trimmed it first
        except OSError:
            continue
        total -= item.size
        removed.append(item)
    return removed


def trim_after_use(cache: Path, max_bytes: int | None = None) -> list[CacheItem]:
    """:func:`trim_cache` to ``max_bytes`` (default: :func:`cache_max_bytes`), keeping
    everything this process has used."""
    limit = cache_max_bytes() if max_bytes is None else max_bytes
    return trim_cache(cache, limit, keep=used_here(cache))


def _folder_item(folder: Path) -> CacheItem:
    size, last = 0, 0.0
    for directory, _folders, files in os.walk(folder):
        for name in files:
            try:
                status = (Path(directory) / name).stat()
            except FileNotFoundError:
                continue
            size += status.st_size
            last = max(last, status.st_mtime)
    try:
        last = max(last, folder.stat().st_mtime)
    except FileNotFoundError:
        pass
    return CacheItem(folder, size, last)


def _key(cache: Path) -> Path:
    return Path(cache).absolute()
