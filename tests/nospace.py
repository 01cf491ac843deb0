"""A disk that fills up, for crawls in a subprocess: ``python -m tests.nospace BYTES
[--only SUFFIX] [--no-cut] -- NEWSARCHIVE-ARGS...``.

Archive files (WARC files, article parts: :class:`archive.partfile.PartFile`) may
take BYTES bytes between them; then a write takes what still fits (a short write,
as the kernel does on a full disk) and the next one fails with ENOSPC. The space
never comes back in this process, as when something else keeps filling the disk.
``--only .jsonl`` fills the disk for article parts alone; ``--no-cut`` makes
truncating fail too, so a partial record stays for the next run's recovery.
"""

from __future__ import annotations

import argparse
import errno
import os
import sys
from typing import Any

from archive import partfile
from crawler.cli.main import main


def _full() -> OSError:
    return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


class Disk:
    def __init__(self, free: int) -> None:
        self.free = free


class FillingFile:
    """A file handle on ``disk``: writes stop fitting once its space is used up."""

    def __init__(self, raw: Any, disk: Disk) -> None:
        self._raw = raw
        self._disk = disk

    def write(self, data: bytes) -> int:
        if self._disk.free <= 0:
            raise _full()
        written = self._raw.write(bytes(memoryview(data)[: self._disk.free]))
        self._disk.free -= written
        return written

    def __getattr__(self, name: str) -> Any:
        return getattr(self._raw, name)


def install(free: int, *, only: str | None = None, cut: bool = True) -> None:
    disk = Disk(free)
    opened = partfile.PartFile.__init__

    def part_file(self: partfile.PartFile, *args: Any, **kwargs: Any) -> None:
        opened(self, *args, **kwargs)
        if only is None or self.final_path.name.endswith(only):
            self.handle = FillingFile(self.handle, disk)  # type: ignore[assignment]

    partfile.PartFile.__init__ = part_file  # type: ignore[method-assign]
    if not cut:
        def no_truncate(fd: int, length: int) -> None:
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        partfile.os.ftruncate = no_truncate  # type: ignore[assignment]


if __name__ == "__main__":
    split = sys.argv.index("--")
    parser = argparse.ArgumentParser()
    parser.add_argument("free", type=int)
    parser.add_argument("--only")
    parser.add_argument("--no-cut", action="store_true")
    options = parser.parse_args(sys.argv[1:split])
    install(options.free, only=options.only, cut=not options.no_cut)
    sys.exit(main(sys.argv[split + 1:]))
