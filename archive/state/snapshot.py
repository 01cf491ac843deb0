"""The job's state travels with its archive: ``state/JOB.sqlite`` in the store.

A crawl's WARC files and articles go to the store as they are finished; the
job's state (what was fetched, which articles exist at which version) must go
too, or a machine that is lost takes the job's history with it and its
replacement archives everything again as version 1. So at the end of each run
a consistent copy of ``DIR/state/JOB.sqlite`` (SQLite's online backup, never
the live file) is uploaded and verified like any other file, and a run that
finds no state of its own fetches the store's before it starts.

When the store cannot be reached at the start of a run that has no state of
its own, the run starts afresh and its state is marked *provisional*
(``DIR/state/JOB.provisional``): it is not sent (it would replace the job's
history in the store), and the next run that reaches the store fetches the
history and adds to it what the provisional state learnt.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

from archive.errors import StateError, StoreIntegrityError
from archive.store.base import ObjectStore
from archive.store.download import download_checked
from archive.store.upload import Uploader, UploadOutcome

# What a provisional state adds to the history it joins: rows the history lacks
# (where both know a page or an article, the history's row and version stand).
_MERGED = ("pages", "articles", "frontier", "runs")


def state_key(job: str) -> str:
    """The store key of the job's state, under the store's prefix."""
    return f"state/{job}.sqlite"


def snapshot(database: Path, dest: Path) -> Path:
    """A consistent copy of ``database`` in ``dest``, in one file (no WAL beside it)."""
    dest.unlink(missing_ok=True)
    try:
        with contextlib.closing(sqlite3.connect(database)) as source, \
                contextlib.closing(sqlite3.connect(dest)) as target:
            source.backup(target)
            target.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.Error as exc:
        dest.unlink(missing_ok=True)
        raise StateError(f"cannot copy the job state {database}: {exc}") from exc
    return dest


def send_state(database: Path, job: str, uploader: Uploader) -> UploadOutcome:
    """Upload a snapshot of the job's state as ``state/JOB.sqlite``, verified; the
    snapshot is removed either way (the next run sends a newer one)."""
    copy = snapshot(database, database.with_name(f".{database.name}.snapshot"))
    try:
        return uploader.upload(copy, key=state_key(job), keep_local=False)
    finally:
        copy.unlink(missing_ok=True)


def restore_state(store: ObjectStore, job: str, database: Path) -> bool:
    """Before a run: fetch the job's state from ``store`` when ``database`` does not
    exist (a new machine, an emptied ``--out``) or is provisional, keeping what the
    provisional one learnt. True when the store's state was installed; raises
    StoreError when the store cannot be asked (the caller decides what then)."""
    provisional = is_provisional(database)
    if has_history(database) and not provisional:
        return False
    fetched = database.with_name(f".{database.name}.fetched")
    try:
        if not fetch_state(store, job, fetched):
            provisional_marker(database).unlink(missing_ok=True)  # no history to join
            return False
        if provisional and database.exists():
            merge_into(fetched, database)
        for leftover in (Path(f"{database}-wal"), Path(f"{database}-shm")):
            leftover.unlink(missing_ok=True)  # merged above; never to be replayed
        os.replace(fetched, database)
    finally:
        fetched.unlink(missing_ok=True)
    provisional_marker(database).unlink(missing_ok=True)
    return True


def has_history(database: Path) -> bool:
    """The state database exists and some run has begun in it (an empty one may be
    left by a run that stopped before it started)."""
    if not database.exists():
        return False
    try:
        with contextlib.closing(sqlite3.connect(database)) as db:
            return bool(db.execute("SELECT count(*) FROM runs").fetchone()[0])
    except sqlite3.Error:
        return True  # not ours to judge here: opening it says what is wrong


def fetch_state(store: ObjectStore, job: str, dest: Path) -> bool:
    """Download the job's state from ``store`` to ``dest`` (checked: size, SHA-256 and
    SQLite's own check). False when the store holds none. Raises StoreError."""
    temp = dest.with_name(f".{dest.name}.part")
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        if not download_checked(store, state_key(job), temp):
            return False
        _check_database(temp)
        os.replace(temp, dest)
    finally:
        temp.unlink(missing_ok=True)
    return True


def _check_database(path: Path) -> None:
    try:
        with contextlib.closing(sqlite3.connect(path)) as db:
            result = db.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.Error as exc:
        result = str(exc)
    if result != "ok":
        raise StoreIntegrityError(f"the job state fetched from the store is damaged: {result}")


# -- provisional states ----------------------------------------------------------------
def provisional_marker(database: Path) -> Path:
    return database.with_suffix(".provisional")


def mark_provisional(database: Path, why: str) -> None:
    marker = provisional_marker(database)
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(why + "\n", encoding="utf-8")


def is_provisional(database: Path) -> bool:
    return provisional_marker(database).exists()


def merge_into(history: Path, provisional: Path) -> None:
    """Add to ``history`` (the store's state) the rows only ``provisional`` knows."""
    try:
        with contextlib.closing(sqlite3.connect(history)) as db:
            db.execute("ATTACH DATABASE ? AS provisional", (str(provisional),))
            with db:
                for table in _MERGED:
                    columns = ", ".join(row[1] for row in
                                        db.execute(f"PRAGMA main.table_info({table})"))
                    db.execute(f"INSERT OR IGNORE INTO main.{table} ({columns}) "
                               f"SELECT {columns} FROM provisional.{table}")
            db.execute("DETACH DATABASE provisional")
    except sqlite3.Error as exc:
        raise StateError(f"cannot add {provisional} to the job state from the store: "
                         f"{exc}") from exc
