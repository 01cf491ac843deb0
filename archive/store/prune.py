"""``newsarchive prune``: free the local disk of files the store already holds, verified.

With ``--keep-local`` (or after an outage) a crawl's WARC files, article parts,
CDXJ and Parquet indexes and search snapshots stay under ``--out`` once sent.
A file is removed only when all of these hold:

- a local manifest lists it, with its size and SHA-256;
- the local file is still that file (its ledger entry from the verified upload
  still matches it, else it is hashed again);
- the store holds it with that size, and its bytes hash to that SHA-256
  (:func:`archive.store.verify.check_object`, what ``newsarchive verify`` checks).

Every file is checked before any is removed, so a store that fails half way
removes nothing. Files no manifest lists (a killed crawl's, waiting for
``newsarchive upload``) and ``.open`` files (being written, or awaiting recovery)
are never touched. The spool lock is held shared (an ``upload`` cannot run at
the same time) and the job lock of every job pruned (its crawl cannot either).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archive.errors import StoreConfigError
from archive.layout import ArchiveLayout
from archive.state.joblock import JobLock
from archive.store.base import ObjectStore, relative_key
from archive.store.digests import sha256_file
from archive.store.ledger import LEDGER_NAME, UploadLedger
from archive.store.manifest import is_manifest
from archive.store.spool import finished_files, unfinished_files
from archive.store.spoollock import SpoolLock
from archive.store.verify import check_object


@dataclass(frozen=True)
class PruneFile:
    """A local file a manifest lists: where it is, its store key, what it must be."""

    path: Path
    relative: str
    key: str
    size: int
    sha256: str


@dataclass
class PruneReport:
    dry_run: bool = False
    removed: list[PruneFile] = field(default_factory=list)  # or would be, in a dry run
    kept: list[tuple[str, str]] = field(default_factory=list)  # (relative path, why)
    unlisted: list[str] = field(default_factory=list)  # finished, but in no manifest
    unfinished: list[str] = field(default_factory=list)  # .open files

    @property
    def bytes_freed(self) -> int:
        return sum(item.size for item in self.removed)

    @property
    def ok(self) -> bool:
        """Every finished local file was verified in the store (and removed)."""
        return not self.kept and not self.unlisted


def prune_local(root: Path | str, store: ObjectStore, *, job: str | None = None,
                dry_run: bool = False,
                on_checked: Callable[[str, str], None] | None = None) -> PruneReport:
    """Remove (or with ``dry_run``, list) the local files of ``root`` (of one ``job``)
    that ``store`` holds intact.

    ``on_checked(relative path, problem)`` sees each file once it is checked (""
    when it can go). Raises SpoolBusyError or JobBusyError when an upload or a run
    of the job uses the directory, StoreError when the store cannot be read (then
    nothing was removed).
    """
    layout = ArchiveLayout(Path(root))
    report = PruneReport(dry_run=dry_run)
    manifests = _manifests(layout, job, report)
    jobs = sorted({manifest["job"] for manifest in manifests.values()} | _job_folders(layout, job))
    with ExitStack() as locks:
        locks.enter_context(SpoolLock(layout.state_dir, exclusive=False))
        for name in jobs:
            locks.enter_context(JobLock(layout.state_dir, name))
        ledger = UploadLedger(layout.state_dir / LEDGER_NAME)
        listed: set[str] = set()
        verified: list[tuple[PruneFile, tuple[int, int]]] = []
        for candidate in _listed_files(layout, manifests, report):
            listed.add(candidate.relative)
            if not candidate.path.is_file():
                continue  # sent and removed already
            before = candidate.path.stat()
            problem = _local_problem(candidate, ledger, store.uri) or check_object(
                store, candidate.key, candidate.size, candidate.sha256)
            if problem == "missing":
                problem = f"not in {store.uri}"
            elif problem and not problem.startswith("local"):
                problem = f"the copy in {store.uri} differs ({problem})"
            if on_checked is not None:
                on_checked(candidate.relative, problem)
            if problem:
                report.kept.append((candidate.relative, problem))
            else:
                verified.append((candidate, (before.st_size, before.st_mtime_ns)))
        for path in finished_files(layout):
            relative = path.relative_to(layout.root).as_posix()
            if _of_job(relative, job) and relative not in listed:
                report.unlisted.append(relative)
        report.unfinished = [path.relative_to(layout.root).as_posix()
                             for path in unfinished_files(layout)
                             if _of_job(path.relative_to(layout.root).as_posix(), job)]
        for candidate, seen in verified:
            if not dry_run and not _remove(candidate.path, seen):
                report.kept.append((candidate.relative, "changed while it was checked"))
                continue
            report.removed.append(candidate)
    return report


def _manifests(layout: ArchiveLayout, job: str | None,
               report: PruneReport) -> dict[Path, dict[str, Any]]:
    found = {}
    for path in sorted(layout.manifests_dir.glob("*.json")):
        if not is_manifest(path):
            continue
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(manifest.get("files"), list) or not manifest.get("job"):
                raise ValueError("no job and list of files")
        except (OSError, ValueError, AttributeError) as exc:
            report.kept.append((path.relative_to(layout.root).as_posix(),
                                f"not a readable manifest ({exc}); its files are kept"))
            continue
        if job is None or manifest["job"] == job:
            found[path] = manifest
    return found


def _listed_files(layout: ArchiveLayout, manifests: dict[Path, dict[str, Any]],
                  report: PruneReport) -> list[PruneFile]:
    files: dict[str, PruneFile] = {}
    for manifest in manifests.values():
        for entry in manifest["files"]:
            try:
                relative = relative_key(entry["path"])
                key = relative_key(entry.get("store", {}).get("key") or relative)
                size, sha256 = int(entry["size"]), str(entry["sha256"])
            except (KeyError, TypeError, ValueError, AttributeError, StoreConfigError) as exc:
                report.kept.append((str(entry.get("path", "?")) if isinstance(entry, dict)
                                    else "?", f"a manifest entry that cannot be used ({exc})"))
                continue
            files.setdefault(relative, PruneFile(layout.root / relative, relative, key,
                                                 size, sha256))
    return sorted(files.values(), key=lambda item: item.relative)


def _local_problem(candidate: PruneFile, ledger: UploadLedger, store_uri: str) -> str:
    """Why the local file is not the one its manifest describes; "" when it is."""
    sent = ledger.has(store_uri, candidate.key, candidate.path)
    if sent is not None and (sent.size, sent.sha256) == (candidate.size, candidate.sha256):
        return ""  # unchanged since its upload was verified: no need to read it again
    size = candidate.path.stat().st_size
    if size != candidate.size:
        return f"local copy has {size} bytes, its manifest says {candidate.size}"
    if (actual := sha256_file(candidate.path)) != candidate.sha256:
        return f"local copy has sha256 {actual}, its manifest says {candidate.sha256}"
    return ""


def _remove(path: Path, seen: tuple[int, int]) -> bool:
    """Unlink ``path`` unless it changed since it was checked."""
    try:
        status = path.stat()
    except FileNotFoundError:
        return True
    if (status.st_size, status.st_mtime_ns) != seen:
        return False
    path.unlink(missing_ok=True)
    return True


def _job_folders(layout: ArchiveLayout, job: str | None) -> set[str]:
    if job is not None:
        return {job}
    return {folder.name for base in ("warc", "articles") if (layout.root / base).is_dir()
            for folder in (layout.root / base).iterdir() if folder.is_dir()}


def _of_job(relative: str, job: str | None) -> bool:
    parts = relative.split("/")
    return job is None or (len(parts) >= 2 and parts[1] == job)
