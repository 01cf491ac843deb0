"""A file that carries ``.open`` while it is written and loses it once complete, and
the writer of a series of such files that starts the next when one is full.

Readers and uploaders only ever pick up finished files, and a crash leaves an
``.open`` file that recovery can recognise. WARC files and article parts are
both written as such a series (:class:`RotatingPartWriter`).
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, Generic, TypeVar

from archive.errors import ArchiveError

OPEN_SUFFIX = ".open"

Closed = TypeVar("Closed")


class PartFile:
    """``directory/name.open`` while written, ``directory/name`` after :meth:`finish`."""

    def __init__(self, directory: Path, name: str, *, binary: bool = True,
                 error: type[ArchiveError] = ArchiveError) -> None:
        self.final_path = Path(directory) / name
        self.path = self.final_path.with_name(name + OPEN_SUFFIX)
        self.error = error
        try:
            self.final_path.parent.mkdir(parents=True, exist_ok=True)
            # "x": never clobber another writer's file that happens to share the name
            self.handle: IO[Any] = (open(self.path, "xb") if binary
                                    else open(self.path, "x", encoding="utf-8"))
        except OSError as exc:
            raise error(f"cannot create {self.path}: {exc}") from exc

    def write(self, data: bytes | str) -> None:
        try:
            self.handle.write(data)
        except OSError as exc:
            raise self.error(f"cannot write to {self.path}: {exc}") from exc

    def tell(self) -> int:
        return self.handle.tell()

    def flush(self) -> None:
        try:
            self.handle.flush()
        except OSError as exc:
            raise self.error(f"cannot write to {self.path}: {exc}") from exc

    def finish(self) -> Path:
        """Flush to disk, close and drop the ``.open`` suffix; return the final path."""
        try:
            self.handle.flush()
            os.fsync(self.handle.fileno())
            self.handle.close()
            os.replace(self.path, self.final_path)
        except OSError as exc:
            raise self.error(f"cannot close {self.path}: {exc}") from exc
        return self.final_path


def part_name(prefix: str, when: datetime, serial: int, host: str, suffix: str) -> str:
    """``PREFIX-TIMESTAMP-SERIAL-HOST`` + ``suffix``, as the IIPC's WARC naming has it."""
    stamp = when.astimezone(UTC).strftime("%Y%m%d%H%M%S%f")[:17]
    return f"{prefix}-{stamp}-{serial:05d}-{host}{suffix}"


def default_host_tag() -> str:
    """Host and process, so parallel writers on one machine never pick the same name."""
    host = socket.gethostname().split(".")[0] or "localhost"
    return f"{host}-{os.getpid()}"


class RotatingPartWriter(Generic[Closed]):
    """Writes ``directory/PREFIX-TIMESTAMP-SERIAL-HOST{suffix}`` files one after another,
    each ``.open`` until finished, the next started once :meth:`_full` says so.

    A subclass writes through :meth:`_current`, counts what it wrote in ``_count``
    (records, lines), says what a finished file is (:meth:`_finished`, which also
    keeps it in the subclass's list) and may write a header into each new file
    (:meth:`_started`). ``on_close`` is called with each finished file, after the
    rename.
    """

    suffix = ""
    binary = True
    error: type[ArchiveError] = ArchiveError

    def __init__(self, directory: Path, prefix: str, *, host_tag: str | None = None,
                 on_close: Callable[[Closed], None] | None = None) -> None:
        self.directory = Path(directory)
        self.prefix = prefix
        self.host_tag = host_tag or default_host_tag()
        self.on_close = on_close
        self._serial = 0
        self._file: PartFile | None = None
        self._count = 0

    @property
    def current_path(self) -> Path | None:
        """The ``.open`` file being written, if any."""
        return self._file.path if self._file else None

    def close(self) -> None:
        """Finish the current file, if any: flush, fsync, drop ``.open``."""
        if self._file is None:
            return
        final = self._file.finish()
        finished = self._finished(final, self._count, final.stat().st_size)
        self._file, self._count = None, 0
        if self.on_close is not None:
            self.on_close(finished)

    def _current(self) -> PartFile:
        """The file to write to: the current one, or the next when it is full or closed."""
        if self._file is not None and self._full(self._file):
            self.close()
        if self._file is None:
            self._serial += 1
            name = part_name(self.prefix, datetime.now(UTC), self._serial, self.host_tag,
                             self.suffix)
            self._file = PartFile(self.directory, name, binary=self.binary, error=self.error)
            self._started(name)
        return self._file

    def _full(self, file: PartFile) -> bool:
        raise NotImplementedError

    def _finished(self, path: Path, count: int, size: int) -> Closed:
        raise NotImplementedError

    def _started(self, name: str) -> None:
        """A new file ``name`` was opened (and is ``self._file``)."""
