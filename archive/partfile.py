"""A file that carries ``.open`` while it is written and loses it once complete, and
the writer of a series of such files that starts the next when one is full.

Readers and uploaders only ever pick up finished files, and a crash leaves an
``.open`` file that recovery can recognise. WARC files and article parts are
both written as such a series (:class:`RotatingPartWriter`).
"""

from __future__ import annotations

import contextlib
import errno
import os
import socket
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Generic, TypeVar

from archive.diskfull import disk_full
from archive.errors import ArchiveError

OPEN_SUFFIX = ".open"

Closed = TypeVar("Closed")


class PartFile:
    """``directory/name.open`` while written, ``directory/name`` after :meth:`finish`.

    Writes are unbuffered: each :meth:`write` is in the kernel when it returns (a
    reader may learn where it is at once, and a SIGKILL cannot lose it), and one
    that fails is cut off again, so the file still ends after its last whole
    write. Text is written as UTF-8.
    """

    def __init__(self, directory: Path, name: str, *,
                 error: type[ArchiveError] = ArchiveError) -> None:
        self.final_path = Path(directory) / name
        self.path = self.final_path.with_name(name + OPEN_SUFFIX)
        self.error = error
        self.size = 0
        # Why a failed write could not be cut off: the file is left to recovery.
        self._damage: OSError | None = None
        try:
            self.final_path.parent.mkdir(parents=True, exist_ok=True)
            # "x": never clobber another writer's file that happens to share the name
            self.handle: IO[bytes] = open(self.path, "xb", buffering=0)
        except OSError as exc:
            raise self._failure("create", exc) from exc

    def write(self, *parts: bytes | str) -> None:
        """Append ``parts``, all of them or (the file cut back to where it was) none."""
        if self._damage is not None:  # never append after half a record
            raise self._failure("write to", self._damage)
        start = self.size
        try:
            for part in parts:
                view = memoryview(part.encode("utf-8") if isinstance(part, str) else part)
                while view:
                    # A full disk takes what fits and refuses the rest on the next call.
                    written = self.handle.write(view)
                    if not written:  # never for a file; guards the loop all the same
                        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
                    self.size += written
                    view = view[written:]
        except OSError as exc:
            self._cut(start, exc)
            raise self._failure("write to", exc) from exc

    def tell(self) -> int:
        return self.size

    def finish(self) -> Path:
        """Make durable, close and drop the ``.open`` suffix; return the final path.

        On failure the file is closed and stays ``.open``: the next run recovers it."""
        try:
            if self._damage is not None:  # half a record at its end: recovery cuts it
                raise self._damage
            os.fsync(self.handle.fileno())
            self.handle.close()
            os.replace(self.path, self.final_path)
        except OSError as exc:
            raise self._failure("close", exc) from exc
        finally:
            with contextlib.suppress(OSError):
                self.handle.close()  # unbuffered: closing writes nothing
        return self.final_path

    def discard(self) -> None:
        """Close and delete the file (it holds nothing worth keeping)."""
        with contextlib.suppress(OSError):
            self.handle.close()
            self.path.unlink()

    def _cut(self, size: int, failure: OSError) -> None:
        """Undo the write that ``failure`` stopped: the file ends after the last whole
        one again (on a full disk too: truncating gives space back)."""
        try:
            os.ftruncate(self.handle.fileno(), size)
            self.handle.seek(size)
            self.size = size
        except OSError:
            self._damage = failure

    def _failure(self, action: str, exc: OSError) -> ArchiveError:
        return disk_full(exc, self.path) or self.error(f"cannot {action} {self.path}: {exc}")


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
        """Finish the current file, if any: fsync, drop ``.open``. One that cannot be
        finished is let go ``.open``, for the next run to recover; the next write
        starts a new file."""
        if self._file is None:
            return
        file, count = self._file, self._count
        self._file, self._count = None, 0
        if file.tell() == 0:  # every write to it failed (a full disk): nothing to keep
            file.discard()
            return
        final = file.finish()
        finished = self._finished(final, count, final.stat().st_size)
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
            file = PartFile(self.directory, name, error=self.error)
            try:
                self._file = file
                self._started(name)
            except ArchiveError:
                # A file without its header must not be written on (a WARC file
                # starts with its warcinfo record): the next write starts afresh.
                self._file = None
                file.discard()
                raise
        return self._file

    def _full(self, file: PartFile) -> bool:
        raise NotImplementedError

    def _finished(self, path: Path, count: int, size: int) -> Closed:
        raise NotImplementedError

    def _started(self, name: str) -> None:
        """A new file ``name`` was opened (and is ``self._file``)."""
