"""Crawls and ``upload`` share the local archive directory; this keeps them apart.

A crawl holds a shared lock on ``DIR/state/spool.lock`` while it runs (crawls
of different jobs may run side by side); ``upload`` takes it exclusively, so
it never sends or deletes a file that a running crawl is about to upload and
record itself. The kernel drops the lock when the holder dies, however it dies.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import IO

from archive.errors import ArchiveError

LOCK_NAME = "spool.lock"


class SpoolBusyError(ArchiveError):
    """Another process holds the lock in a conflicting mode."""


class SpoolLock:
    def __init__(self, state_dir: Path, *, exclusive: bool) -> None:
        self.path = Path(state_dir) / LOCK_NAME
        self.exclusive = exclusive
        self._handle: IO[str] | None = None

    def acquire(self) -> SpoolLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+", encoding="utf-8")
        mode = fcntl.LOCK_EX if self.exclusive else fcntl.LOCK_SH
        try:
            fcntl.flock(handle.fileno(), mode | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            raise SpoolBusyError(
                f"{self.path.parent.parent} is in use by a running crawl or upload"
            ) from None
        if self.exclusive:
            handle.truncate(0)
            handle.write(f"{os.getpid()}\n")
            handle.flush()
        self._handle = handle
        return self

    def release(self) -> None:
        if self._handle is not None:
            fcntl.flock(self._handle.fileno(), fcntl.LOCK_UN)
            self._handle.close()
            self._handle = None

    def __enter__(self) -> SpoolLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()
