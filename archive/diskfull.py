"""Tell a full disk from other write failures.

A full disk (ENOSPC), a used-up quota (EDQUOT) or SQLite's ``SQLITE_FULL`` is not
one bad record: every later write to the same file system fails too, so the
crawl must stop rather than log a failure per page. Writers turn such an error
into :class:`~archive.errors.DiskFullError`, which names the file and the mount
point where space must be freed.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from archive.errors import DiskFullError

FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})
# DuckDB (the Parquet indexes) reports the operating system's error as text only.
_FULL_TEXTS = tuple(os.strerror(number) for number in sorted(FULL_ERRNOS))


def disk_full(exc: BaseException, path: Path | str) -> DiskFullError | None:
    """A :class:`DiskFullError` for ``path`` when ``exc``, or an exception it was raised
    from, says the disk is full; None for any other failure."""
    for cause in _chain(exc):
        if isinstance(cause, DiskFullError):
            return cause
        if isinstance(cause, OSError) and cause.errno in FULL_ERRNOS:
            return DiskFullError(path, mount_point(path), cause.strerror or str(cause))
        if isinstance(cause, sqlite3.Error) and \
                getattr(cause, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL:
            return DiskFullError(path, mount_point(path), str(cause))
        if any(text in str(cause) for text in _FULL_TEXTS):
            return DiskFullError(path, mount_point(path), str(cause))
    return None


def mount_point(path: Path | str) -> Path:
    """The mount point of the file system that holds (or would hold) ``path``."""
    current = Path(path).absolute()
    while not current.exists() and current.parent != current:
        current = current.parent
    while not os.path.ismount(current) and current.parent != current:
        current = current.parent
    return current


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__
