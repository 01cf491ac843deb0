"""Send finished archive files to a store, verified, and only then drop them locally.

:class:`Uploader` sends one file at a time and never raises for a store
failure: a file it could not send stays where it is and comes back as
``pending``, for ``newsarchive upload`` to send later. While the store is
failing, later files get a single attempt each instead of the full retry
schedule, so an outage costs a crawl seconds, not minutes per file.
:class:`BackgroundUploader` runs an uploader on a thread beside a crawl.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from archive.background import BackgroundWorker
from archive.errors import StoreConfigError, StoreError
from archive.store.base import (
    MAX_PARTS,
    ObjectStore,
    StoredObject,
    StoreOptions,
    check_separate,
    mismatch,
    relative_key,
)
from archive.store.digests import FileDigests, file_digests
from archive.store.ledger import LEDGER_NAME, UploadLedger

logger = logging.getLogger(__name__)



class UploadState(StrEnum):
    """What became of one file: sent now, found already in the store, or left to send later.

    The values are what manifests and stats say (``store/uploaded``, ``pending``).
    """

    UPLOADED = "uploaded"
    PRESENT = "present"
    PENDING = "pending"


# The members under the names callers import (as ``re.IGNORECASE`` is ``re.RegexFlag``'s).


@dataclass(frozen=True)
class UploadOutcome:
    path: Path
    key: str
    state: UploadState
    digests: FileDigests | None = None
    stored: StoredObject | None = None
    error: str = ""
    verified_at: str = ""  # ISO 8601, when the store was seen to hold the file intact

    @property
    def done(self) -> bool:
        return self.state != UploadState.PENDING

    def manifest_fields(self) -> dict[str, Any]:
        """What a manifest records of this file's upload."""
        if not self.done or self.stored is None:
            return {"pending": True}
        fields: dict[str, Any] = {"key": self.key, "size": self.stored.size}
        if self.stored.etag:
            fields["etag"] = self.stored.etag
        if self.verified_at:
            fields["verified"] = self.verified_at
        return {"store": fields}


class Uploader:
    def __init__(
        self,
        store: ObjectStore,
        root: Path,
        *,
        options: StoreOptions | None = None,
        keep_local: bool = False,
        attempts: int = 4,
        retry_delay: float = 2.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        check_separate(store, Path(root))
        self.store = store
        self.root = Path(root)
        self.options = options or StoreOptions()
        self.keep_local = keep_local
        self.attempts = max(1, attempts)
        self.retry_delay = retry_delay
        self.sleep = sleep
        self.ledger = UploadLedger(self.root / "state" / LEDGER_NAME)
        self.healthy = True
        self.last_error = ""

    def key_for(self, path: Path) -> str:
        return relative_key(Path(path).absolute().relative_to(self.root.absolute()).as_posix())

    def upload(self, path: Path, *, keep_local: bool | None = None,
               expect_sha256: str | None = None, key: str | None = None) -> UploadOutcome:
        """Send ``path`` (as ``key``, else under its place in the archive directory)
        unless the store already holds it; never raises StoreError."""
        path = Path(path)
        key = relative_key(key) if key is not None else self.key_for(path)
        keep = self.keep_local if keep_local is None else keep_local
        if (present := self._still_stored(path, key)) is not None:
            if not keep:
                path.unlink(missing_ok=True)
            return present
        try:
            digests = self._digests(path)
        except OSError as exc:
            return self._pending(path, key, None, f"cannot read {path}: {exc.strerror or exc}")
        if expect_sha256 and digests.sha256 != expect_sha256:
            # The manifest says what the crawl wrote; a different file is not sent
            # under its name, and is kept for a human to look at.
            return self._pending(path, key, digests, f"{path} no longer matches its manifest "
                                 f"(sha256 {digests.sha256}, manifest {expect_sha256})")
        attempts = self.attempts if self.healthy else 1
        error = ""
        for attempt in range(attempts):
            if attempt:
                self.sleep(self.retry_delay * 2 ** (attempt - 1))
            try:
                state, stored = self._send(path, key, digests)
            except StoreConfigError as exc:
                error = str(exc)
                break  # credentials or permissions: retrying cannot help
            except StoreError as exc:
                error = str(exc)
                logger.warning("Upload of %s failed (attempt %d of %d): %s",
                               key, attempt + 1, attempts, exc)
                continue
            self.healthy = True
            verified_at = datetime.now(UTC).isoformat(timespec="seconds")
            self.ledger.record(self.store.uri, key, path, stored, verified_at)
            if not keep:
                path.unlink(missing_ok=True)
            logger.info("%s %s (%d bytes) to %s",
                        "Uploaded" if state == UploadState.UPLOADED else "Found", key,
                        digests.size, self.store.uri)
            return UploadOutcome(path, key, state, digests, stored, verified_at=verified_at)
        self.healthy = False
        return self._pending(path, key, digests, error)

    def _still_stored(self, path: Path, key: str) -> UploadOutcome | None:
        """A file the ledger says was sent, if the store still holds it unchanged.

        Asking the store costs one request; re-reading a large local file to hash
        it again is what the ledger saves.
        """
        sent = self.ledger.has(self.store.uri, key, path)
        if sent is None or sent.sha256 is None:
            return None
        try:
            stored = self.store.stat(key)
        except StoreError:
            return None  # the full path below retries, or leaves the file pending
        if stored is None or (stored.size, stored.sha256) != (sent.size, sent.sha256):
            return None
        return UploadOutcome(path, key, UploadState.PRESENT, stored=stored,
                             verified_at=sent.verified_at)

    def _digests(self, path: Path) -> FileDigests:
        size = path.stat().st_size
        part_size = 0
        if size > self.options.multipart_threshold:
            # S3 takes at most 10,000 parts: very large files get larger parts.
            part_size = max(self.options.part_size, -(-size // MAX_PARTS))
        return file_digests(path, part_size=part_size)

    def _send(self, path: Path, key: str,
              digests: FileDigests) -> tuple[UploadState, StoredObject]:
        existing = self.store.stat(key)
        if existing is not None and existing.sha256 is not None \
                and not mismatch(existing, digests, after_upload=False):
            return UploadState.PRESENT, existing
        return UploadState.UPLOADED, self.store.put(path, key, digests)

    def _pending(self, path: Path, key: str, digests: FileDigests | None,
                 error: str) -> UploadOutcome:
        self.last_error = error
        logger.error("Not uploaded, kept in %s for later: %s (%s)", self.root, key, error)
        return UploadOutcome(path, key, UploadState.PENDING, digests, error=error)


class BackgroundUploader:
    """Uploads files on one thread, in the order they were finished."""

    def __init__(self, uploader: Uploader) -> None:
        self.uploader = uploader
        self.outcomes: dict[Path, UploadOutcome] = {}
        self._worker = BackgroundWorker(self._upload, name="newsarchive-upload")

    def submit(self, path: Path) -> None:
        self._worker.submit(Path(path))

    def drain(self) -> dict[Path, UploadOutcome]:
        """Wait for every submitted file; return each one's outcome.

        If the store came back after an outage (the last upload worked), files
        left pending during the outage get one more try now.
        """
        self._worker.drain()
        if self.uploader.healthy:
            for path, outcome in list(self.outcomes.items()):
                if outcome.state == UploadState.PENDING and path.exists():
                    self.outcomes[path] = self.uploader.upload(path)
        return dict(self.outcomes)

    def _upload(self, path: Path) -> None:
        try:
            outcome = self.uploader.upload(path)
        except Exception as exc:  # a bug must not silently stop later uploads
            logger.exception("Upload of %s failed unexpectedly", path)
            outcome = UploadOutcome(path, str(path), UploadState.PENDING, error=repr(exc))
        self.outcomes[path] = outcome
