"""One run of a job at a time per archive directory: ``DIR/state/JOB.lock``.

cron starts a job every hour whether or not the last run has finished; two runs
of one job would write the same state and re-fetch the same pages. The lock is
an exclusive ``flock`` on the file, which holds who has it (pid, host, start).
The kernel drops a ``flock`` when its holder dies, however it dies, so a lock
left by a dead process is free and simply taken over (and said so). The file is
opened close-on-exec and extraction workers are spawned, not forked, so no
child process can keep the lock alive after its crawl is gone.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from archive.errors import JobBusyError, StateError

# Locks this process holds, by path: the command line takes a job's lock before
# the crawl starts (so "busy" is one clean line), and the crawl's session asks
# for it again; flock would refuse the second open file of the same process.
_HELD: dict[Path, JobLock] = {}


class JobLock:
    def __init__(self, state_dir: Path, job: str) -> None:
        self.job = job
        self.path = (Path(state_dir) / f"{job}.lock").absolute()
        self.previous_holder: dict[str, Any] | None = None  # a dead holder taken over
        self._handle: IO[str] | None = None
        self._reentered = False

    def acquire(self) -> JobLock:
        if self.path in _HELD:
            self._reentered = True
            return self
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle = open(self.path, "a+", encoding="utf-8")
        except OSError as exc:
            raise StateError(f"cannot create the lock {self.path}: {exc.strerror}") from None
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_holder(handle)
            handle.close()
            raise JobBusyError(busy_message(self.job, holder)) from None
        left = _read_holder(handle)
        if left and left.get("pid") != os.getpid():
            self.previous_holder = left
        handle.seek(0)
        handle.truncate(0)
        json.dump({"pid": os.getpid(), "host": socket.gethostname(),
                   "started": datetime.now(UTC).isoformat(timespec="seconds")}, handle)
        handle.write("\n")
        handle.flush()
        self._handle = handle
        _HELD[self.path] = self
        return self

    def release(self) -> None:
        if self._reentered:
            self._reentered = False
            return
        if self._handle is None:
            return
        _HELD.pop(self.path, None)
        try:
            # Emptied, not deleted: deleting would let a waiting process lock the old
            # inode while a third creates a new file and locks that one too.
            self._handle.truncate(0)
        except OSError:
            pass
        fcntl.flock(self._handle.fileno(), fcntl.LOCK_UN)
        self._handle.close()
        self._handle = None

    def __enter__(self) -> JobLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def busy_message(job: str, holder: dict[str, Any] | None) -> str:
    if not holder or "pid" not in holder:
        return f"job {job} is already running (its process did not say who it is)"
    pid, host = holder["pid"], holder.get("host") or "this host"
    started = f", started {holder['started']}" if holder.get("started") else ""
    return (f"job {job} is already running: process {pid} on {host}{started}; "
            f"wait for it to finish or stop it with `kill {pid}`")


def _read_holder(handle: IO[str]) -> dict[str, Any] | None:
    try:
        handle.seek(0)
        text = handle.read().strip()
        value = json.loads(text) if text else None
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None
