"""What has already reached which store, so repeated uploads skip it cheaply.

One JSON line per verified object under ``DIR/state/uploads.jsonl``. A local
file counts as sent when the ledger has the same key, store, size and
modification time and the store still reports that size and SHA-256; anything
else is hashed and checked against the store afresh, so a lost or stale ledger
costs time, never correctness.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from archive.store.base import StoredObject

LEDGER_NAME = "uploads.jsonl"


@dataclass(frozen=True)
class LedgerEntry:
    store: str
    key: str
    size: int
    mtime_ns: int
    sha256: str | None
    etag: str | None = None
    verified_at: str = ""


class UploadLedger:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._entries: dict[tuple[str, str], LedgerEntry] | None = None

    def _load(self) -> dict[tuple[str, str], LedgerEntry]:
        if self._entries is None:
            self._entries = {}
            try:
                lines = self.path.read_text(encoding="utf-8").splitlines()
            except FileNotFoundError:
                lines = []
            for line in lines:
                try:
                    entry = LedgerEntry(**json.loads(line))
                except (ValueError, TypeError):
                    continue  # a line cut short by a crash: that object is re-checked
                self._entries[(entry.store, entry.key)] = entry
        return self._entries

    def has(self, store: str, key: str, path: Path) -> LedgerEntry | None:
        """The entry for ``key`` if ``path`` is still the file that was sent."""
        entry = self._load().get((store, key))
        if entry is None:
            return None
        try:
            status = path.stat()
        except FileNotFoundError:
            return None
        if (status.st_size, status.st_mtime_ns) != (entry.size, entry.mtime_ns):
            return None
        return entry

    def record(self, store: str, key: str, path: Path, stored: StoredObject,
               verified_at: str) -> None:
        try:
            status = path.stat()
        except FileNotFoundError:
            return  # nothing local left to skip next time
        entry = LedgerEntry(store, key, status.st_size, status.st_mtime_ns, stored.sha256,
                            stored.etag, verified_at)
        self._load()[(store, key)] = entry
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry.__dict__) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
