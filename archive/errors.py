"""Every exception ``archive`` raises; callers catch :class:`ArchiveError`."""

from __future__ import annotations

from pathlib import Path


class ArchiveError(Exception):
    """Base class: something about the archive could not be done."""


class OutputDirError(ArchiveError):
    """The local archive directory cannot be created or written."""


class WarcWriteError(ArchiveError):
    """A WARC record could not be written (disk full, file closed, ...)."""


class DiskFullError(ArchiveError):
    """The file system holding ``path`` is full, or the user's quota on it is used up
    (ENOSPC, EDQUOT, SQLite's "database or disk is full"). Every later write there
    fails too until space is freed on ``mount``; what was written before is whole."""

    def __init__(self, path: Path | str, mount: Path | str, detail: str) -> None:
        self.path = Path(path)
        self.mount = Path(mount)
        super().__init__(f"disk full writing {self.path} ({detail}; free space on "
                         f"{self.mount})")


class StoreError(ArchiveError):
    """The object store refused or failed an operation."""


class StoreConfigError(StoreError):
    """The store cannot be used as configured: bad URI, credentials, bucket or endpoint.

    Retrying does not help; the message says what to fix.
    """


class StoreUnavailableError(StoreError):
    """The store could not be reached or failed after retries; try again later."""


class StoreIntegrityError(StoreError):
    """An object's size or checksum does not match what was sent."""


class LocalS3Error(StoreError):
    """The local S3-compatible server (SeaweedFS) could not be found, started or stopped."""


class StateError(ArchiveError):
    """The job's incremental state (``DIR/state/JOB.sqlite``, or Redis in a distributed
    crawl) cannot be opened or written."""


class RedisError(ArchiveError):
    """The Redis server of a distributed crawl (``--redis``) is misnamed, unreachable or
    refused an operation; the message says which and what to check."""


class RedisUnavailableError(RedisError):
    """Redis did not answer (down, unreachable, too slow): try again later."""


class JobBusyError(ArchiveError):
    """Another live process is running the same job on the same archive directory."""


class RecoveryError(ArchiveError):
    """A file left ``.open`` by an interrupted crawl could not be recovered."""


class ArchiveIndexError(ArchiveError):
    """An index of archive files (CDXJ of a WARC, Parquet of an article part) could not
    be written or read; the files it indexes are unharmed."""


class StatusError(ArchiveError):
    """``status`` cannot show what was asked: no archive where it looked, or no runs
    of the job named. The message says what to give instead."""


class QueryError(ArchiveError):
    """A query cannot run as asked: a bad filter, field or SQL statement. The message
    says what to change."""


class NotInArchiveError(QueryError):
    """What a query asked for (an article, one of its versions) is not in the archive."""


class CaptureError(ArchiveError):
    """The raw capture an article points at cannot be found or read."""


class ReplayError(ArchiveError):
    """The archive cannot be replayed or packaged: pywb or wacz missing, no WARCs."""
