"""Copy one object out of a store, checked against what its upload recorded."""

from __future__ import annotations

import hashlib
from pathlib import Path

from archive.errors import StoreIntegrityError
from archive.store.base import ObjectStore
from archive.store.digests import CHUNK


def download_checked(store: ObjectStore, key: str, dest: Path) -> bool:
    """Write the object ``key`` to ``dest`` and check it against the size and SHA-256
    the store holds for it; False when there is no such object. Raises
    StoreIntegrityError when it did not arrive intact (``dest`` is then the caller's
    to remove), StoreError when the store cannot be read."""
    stored = store.stat(key)
    if stored is None:
        return False
    digest, size = hashlib.sha256(), 0
    with store.open(key) as body, open(dest, "wb") as out:
        while chunk := body.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    if size != stored.size or (stored.sha256 and digest.hexdigest() != stored.sha256):
        raise StoreIntegrityError(f"{store.uri}/{key} did not arrive intact ({size} bytes, "
                                  f"sha256 {digest.hexdigest()})")
    return True
