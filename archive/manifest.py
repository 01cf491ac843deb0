"""Per-crawl manifests: which files a crawl produced, with sizes, digests and counts."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

CHUNK = 1 << 20


@dataclass(frozen=True)
class ManifestEntry:
    path: Path
    kind: str  # "warc" | "articles"
    records: int | None = None
    articles: int | None = None


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def build_manifest(
    root: Path,
    *,
    job: str,
    crawl_id: str,
    started: datetime,
    finished: datetime,
    entries: Iterable[ManifestEntry],
    counts: Mapping[str, Any],
) -> dict[str, Any]:
    files = []
    for entry in entries:
        item: dict[str, Any] = {
            "path": entry.path.relative_to(root).as_posix(),
            "kind": entry.kind,
            "size": entry.path.stat().st_size,
            "sha256": sha256_file(entry.path),
        }
        if entry.records is not None:
            item["records"] = entry.records
        if entry.articles is not None:
            item["articles"] = entry.articles
        files.append(item)
    return {
        "manifest_version": 1,
        "job": job,
        "crawl_id": crawl_id,
        "started": started.astimezone(UTC).isoformat(),
        "finished": finished.astimezone(UTC).isoformat(),
        "counts": dict(counts),
        "files": files,
    }


def write_manifest(root: Path, manifest: Mapping[str, Any]) -> Path:
    """Write atomically (temp file + rename): a manifest that exists is complete."""
    directory = root / "manifests"
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{manifest['job']}-{manifest['crawl_id']}.json"
    temp = path.with_name(path.name + ".tmp")
    temp.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(temp, path)
    return path
