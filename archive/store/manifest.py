"""Per-crawl manifests: which files a crawl produced, with sizes, digests and counts."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from archive.store.digests import sha256_file

if TYPE_CHECKING:
    from archive.store.upload import UploadOutcome


class FileKind(StrEnum):
    """What a file in a manifest holds; the value is its ``kind`` there."""

    WARC = "warc"
    ARTICLES = "articles"
    CDXJ = "cdxj"  # the index of a WARC file
    PARQUET = "parquet"  # the index of an article part
    SEARCH = "search"  # a snapshot of the job's search index (archive.search.snapshot)


@dataclass(frozen=True)
class ManifestEntry:
    path: Path
    kind: FileKind  # given as a FileKind or its value
    records: int | None = None
    articles: int | None = None
    # Left ``.open`` by a killed run and closed by this one (see archive.recovery).
    recovered: bool = False
    # Its index, when written as the file was (a WARC's CDXJ, archive.warc.liveindex):
    # not built again.
    index: Path | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", FileKind(self.kind))


def build_manifest(
    root: Path,
    *,
    job: str,
    crawl_id: str,
    started: datetime,
    finished: datetime,
    entries: Iterable[ManifestEntry],
    counts: Mapping[str, Any],
    store: str | None = None,
    uploads: Mapping[Path, UploadOutcome] | None = None,
) -> dict[str, Any]:
    """The manifest of one crawl.

    With a ``store``, each file also says where it went (``store``) or that it
    still waits in the local directory (``pending``). A file the uploader has
    already sent and removed is described from the digests taken before
    sending it.
    """
    uploads = uploads or {}
    files = []
    for entry in entries:
        outcome = uploads.get(entry.path)
        if outcome is not None and outcome.digests is not None:
            size, sha256 = outcome.digests.size, outcome.digests.sha256
        else:
            size, sha256 = entry.path.stat().st_size, sha256_file(entry.path)
        item: dict[str, Any] = {
            "path": entry.path.relative_to(root).as_posix(),
            "kind": entry.kind,
            "size": size,
            "sha256": sha256,
        }
        if entry.records is not None:
            item["records"] = entry.records
        if entry.articles is not None:
            item["articles"] = entry.articles
        if entry.recovered:
            item["recovered"] = True
        if store is not None:
            item.update(outcome.manifest_fields() if outcome else {"pending": True})
        files.append(item)
    manifest: dict[str, Any] = {
        "manifest_version": 1,
        "job": job,
        "crawl_id": crawl_id,
        "started": started.astimezone(UTC).isoformat(),
        "finished": finished.astimezone(UTC).isoformat(),
        "counts": dict(counts),
        "files": files,
    }
    if store is not None:
        manifest["store"] = store
    return manifest


# Each run's report (JSON) sits next to its manifest: JOB-CRAWLID.report.json.
REPORT_SUFFIX = ".report.json"


def is_manifest(path: Path | str) -> bool:
    """Manifests are ``manifests/*.json``; run reports share the folder, not the role."""
    name = Path(path).name
    return name.endswith(".json") and not name.endswith(REPORT_SUFFIX)


def report_path(manifest_path: Path) -> Path:
    return manifest_path.with_name(manifest_path.name.removesuffix(".json") + REPORT_SUFFIX)


def write_manifest(root: Path, manifest: Mapping[str, Any], *, worker: str | None = None
                   ) -> Path:
    """Write to ``root/manifests/JOB-CRAWLID.json`` (one worker's part of a distributed
    crawl: ``JOB-CRAWLID-WORKER.json``); return the path."""
    directory = root / "manifests"
    directory.mkdir(parents=True, exist_ok=True)
    name = f"{manifest['job']}-{manifest['crawl_id']}" + (f"-{worker}" if worker else "")
    return write_manifest_file(directory / f"{name}.json", manifest)


def write_manifest_file(path: Path, manifest: Mapping[str, Any]) -> Path:
    """Write atomically (temp file + rename): a manifest that exists is complete."""
    temp = path.with_name(path.name + ".tmp")
    try:
        temp.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n",
                        encoding="utf-8")
    except OSError:
        temp.unlink(missing_ok=True)  # a full disk must not leave half a manifest behind
        raise
    os.replace(temp, path)
    return path
