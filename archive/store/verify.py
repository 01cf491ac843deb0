"""``newsarchive verify``: re-check every object the store's manifests list.

Each listed object must be present, of the recorded size, and hash to the
recorded SHA-256 when read back in full: a store's own metadata could be
stale, so the bytes are what is checked.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from archive.store.base import ObjectStore
from archive.store.digests import sha256_stream
from archive.store.manifest import is_manifest

MANIFESTS = "manifests"


@dataclass
class VerifyReport:
    manifests: int = 0
    checked: int = 0
    bytes_checked: int = 0
    missing: list[str] = field(default_factory=list)
    corrupt: list[str] = field(default_factory=list)  # "key: why"

    @property
    def ok(self) -> bool:
        return not self.missing and not self.corrupt


def verify_store(store: ObjectStore, *, job: str | None = None,
                 on_object: Callable[[str, str], None] | None = None) -> VerifyReport:
    """Check every file of every manifest in ``store`` (of one ``job`` if given).

    ``on_object(key, problem)`` is called for each object checked ("" when intact).
    Raises StoreConfigError/StoreUnavailableError when the store cannot be read.
    """
    report = VerifyReport()
    for manifest_key in store.keys(MANIFESTS):
        if not is_manifest(manifest_key):
            continue
        try:
            manifest = _load_manifest(store, manifest_key)
        except ValueError as exc:
            report.corrupt.append(f"{manifest_key}: not a valid manifest ({exc})")
            continue
        if job is not None and manifest.get("job") != job:
            continue
        report.manifests += 1
        for entry in manifest.get("files", []):
            key = entry.get("store", {}).get("key") or entry["path"]
            problem = check_object(store, key, entry["size"], entry["sha256"])
            report.checked += 1
            if problem == "missing":
                report.missing.append(key)
            elif problem:
                report.corrupt.append(f"{key}: {problem}")
            else:
                report.bytes_checked += entry["size"]
            if on_object is not None:
                on_object(key, problem)
    return report


def check_object(store: ObjectStore, key: str, size: int, sha256: str) -> str:
    """"" when ``key`` holds exactly the bytes described, else what is wrong."""
    stored = store.stat(key)
    if stored is None:
        return "missing"
    if stored.size != size:
        return f"size {stored.size}, manifest says {size}"
    # A file store has just read every byte for stat(); anything else is read now.
    actual = stored.sha256 if stored.sha256_of_bytes else _sha256_of(store, key)
    if actual != sha256:
        return f"sha256 {actual}, manifest says {sha256}"
    return ""


def _sha256_of(store: ObjectStore, key: str) -> str:
    body = store.open(key)
    try:
        return sha256_stream(body)
    finally:
        body.close()


def _load_manifest(store: ObjectStore, key: str) -> dict:
    body = store.open(key)
    try:
        manifest = json.loads(body.read())
    finally:
        body.close()
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), list):
        raise ValueError("no list of files")
    return manifest

