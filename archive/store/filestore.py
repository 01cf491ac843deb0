"""``file:///path``: a directory as an object store (a mounted disk, a NAS, tests).

Objects are written beside their final name and renamed once complete and
synced, so a reader never sees half an object.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO
from urllib.parse import unquote, urlsplit

from archive.errors import StoreConfigError, StoreError, StoreIntegrityError
from archive.store.base import StoredObject, relative_key
from archive.store.digests import CHUNK, FileDigests, sha256_file

_TEMP_PREFIX = ".upload-"


def _current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _current_umask()


class FileStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.local_dir: Path | None = self.root
        self.uri = self.root.absolute().as_uri()

    @classmethod
    def from_uri(cls, uri: str) -> FileStore:
        parts = urlsplit(uri)
        if parts.netloc not in ("", "localhost") or not parts.path.startswith("/"):
            raise StoreConfigError(f"store {uri!r}: a file store is file:///ABSOLUTE/PATH")
        root = Path(unquote(parts.path))
        if root == Path(root.anchor):
            raise StoreConfigError(f"store {uri!r}: refusing to store into the file-system "
                                   "root; give a directory, e.g. file:///srv/archive")
        return cls(root)

    def _path(self, key: str) -> Path:
        return self.root.joinpath(*relative_key(key).split("/"))

    def check(self, *, writable: bool = True) -> None:
        if self.root.exists() and not self.root.is_dir():
            raise StoreConfigError(f"store {self.uri} is a file, not a directory")
        if not writable:
            if not self.root.is_dir():
                raise StoreConfigError(f"store {self.uri} does not exist")
            return
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryFile(dir=self.root):
                pass
        except OSError as exc:
            raise StoreConfigError(f"store {self.uri} is not writable: "
                                   f"{exc.strerror or exc}") from None

    def put(self, path: Path, key: str, digests: FileDigests) -> StoredObject:
        target = self._path(key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, temp_name = tempfile.mkstemp(prefix=_TEMP_PREFIX, dir=target.parent)
        except OSError as exc:
            raise StoreError(f"cannot write {key} to {self.uri}: {exc.strerror or exc}") from exc
        temp = Path(temp_name)
        try:
            sha, size = hashlib.sha256(), 0
            # mkstemp makes the file private; stored objects get the usual umask mode.
            os.fchmod(fd, 0o666 & ~_UMASK)
            with open(path, "rb") as source, os.fdopen(fd, "wb") as sink:
                while chunk := source.read(CHUNK):
                    sha.update(chunk)
                    size += len(chunk)
                    sink.write(chunk)
                sink.flush()
                os.fsync(sink.fileno())
            if (size, sha.hexdigest()) != (digests.size, digests.sha256):
                raise StoreIntegrityError(
                    f"{path} changed while it was stored ({size} bytes, sha256 "
                    f"{sha.hexdigest()}; expected {digests.size}, {digests.sha256})")
            os.replace(temp, target)
        except OSError as exc:
            raise StoreError(f"cannot write {key} to {self.uri}: {exc.strerror or exc}") from exc
        finally:
            temp.unlink(missing_ok=True)
        return StoredObject(key, size, sha256=digests.sha256)

    def stat(self, key: str) -> StoredObject | None:
        target = self._path(key)
        if not target.is_file():
            return None
        return StoredObject(key, target.stat().st_size, sha256=sha256_file(target),
                            sha256_of_bytes=True)

    def open(self, key: str) -> BinaryIO:
        try:
            return open(self._path(key), "rb")
        except FileNotFoundError:
            raise StoreError(f"no object {key} in {self.uri}") from None

    def sizes(self, under: str = "") -> Iterator[tuple[str, int]]:
        for key in self.keys(under):
            yield key, self._path(key).stat().st_size

    def read_range(self, key: str, offset: int, length: int) -> bytes:
        with self.open(key) as handle:
            handle.seek(offset)
            return handle.read(length)

    def keys(self, under: str = "") -> Iterator[str]:
        base = self._path(under) if under else self.root
        if not base.is_dir():
            return
        found = []
        for directory, _dirs, files in os.walk(base):
            for name in files:
                if not name.startswith(_TEMP_PREFIX):
                    found.append((Path(directory) / name).relative_to(self.root).as_posix())
        yield from sorted(found)
