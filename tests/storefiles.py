"""Files for the store tests: ``write`` one, or ``make_crawl_output`` for what a crawl
without a store leaves behind (a manifest and its files)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from archive.store.manifest import ManifestEntry, build_manifest, write_manifest


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def make_crawl_output(root: Path, job: str = "job") -> dict:
    """A manifest and its files, as a crawl without a store leaves them."""
    files = [write(root / f"warc/{job}/{job}-1.warc.gz", b"w1" * 100),
             write(root / f"warc/{job}/{job}-2.warc.gz", b"w2" * 100),
             write(root / f"articles/{job}/{job}-1.jsonl", b'{"url": "u"}\n')]
    entries = [ManifestEntry(path, "warc" if "warc" in path.name else "articles")
               for path in files]
    now = datetime.now(UTC)
    manifest = build_manifest(root, job=job, crawl_id="20260101T000000Z", started=now,
                              finished=now, entries=entries, counts={})
    write_manifest(root, manifest)
    return manifest
