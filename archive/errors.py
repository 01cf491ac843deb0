"""Every exception ``archive`` raises; callers catch :class:`ArchiveError`."""

from __future__ import annotations


class ArchiveError(Exception):
    """Base class: something about the archive could not be done."""


class OutputDirError(ArchiveError):
    """The local archive directory cannot be created or written."""


class WarcWriteError(ArchiveError):
    """A WARC record could not be written (disk full, file closed, ...)."""
