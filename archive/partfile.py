"""A file that carries ``.open`` while it is written and loses it once complete.

Readers and uploaders only ever pick up finished files, and a crash leaves an
``.open`` file that recovery can recognise.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO, Any

from archive.errors import ArchiveError

OPEN_SUFFIX = ".open"


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
