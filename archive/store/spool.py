"""``newsarchive upload``: send whatever the local archive directory still holds.

The local directory is a spool. A crawl uploads its own files as it goes;
whatever it could not send stays here, marked ``pending`` in its manifest.
This sends those files, then each crawl's manifest once all of its files are
in the store, so a manifest in the store always means a complete crawl.
Files that no manifest lists (left by a crawl that was killed) are sent too.
Running it again sends nothing twice.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archive.errors import StoreError
from archive.layout import ArchiveLayout
from archive.partfile import OPEN_SUFFIX
from archive.store.manifest import is_manifest, report_path, write_manifest_file
from archive.store.spoollock import SpoolLock
from archive.store.upload import Uploader, UploadOutcome, UploadState

# Everything under these folders is archive data; state/ stays local.
DATA_FOLDERS = ("warc", "articles", "indexes")


@dataclass
class UploadReport:
    outcomes: list[UploadOutcome] = field(default_factory=list)
    manifests_completed: int = 0
    problems: list[str] = field(default_factory=list)
    # ``.open`` files: still being written, or left by a crawl that was killed.
    unfinished: list[Path] = field(default_factory=list)
    # Called with each outcome as it happens (progress for a long upload).
    on_outcome: Callable[[UploadOutcome], None] | None = None

    def add(self, outcome: UploadOutcome) -> UploadOutcome:
        self.outcomes.append(outcome)
        if self.on_outcome is not None:
            self.on_outcome(outcome)
        return outcome

    def count(self, state: UploadState) -> int:
        return sum(outcome.state == state for outcome in self.outcomes)

    @property
    def bytes_uploaded(self) -> int:
        return sum(o.digests.size for o in self.outcomes
                   if o.state == UploadState.UPLOADED and o.digests)

    @property
    def last_error(self) -> str:
        """Why the most recent file that still waits could not be sent."""
        return next((o.error for o in reversed(self.outcomes)
                     if o.state == UploadState.PENDING), "")

    @property
    def ok(self) -> bool:
        return not self.problems and not self.count(UploadState.PENDING)


def upload_pending(root: Path | str, uploader: Uploader, *,
                   on_outcome: Callable[[UploadOutcome], None] | None = None) -> UploadReport:
    """Upload every pending file under ``root``; raise SpoolBusyError if a crawl runs there.

    ``on_outcome`` sees each file's outcome as soon as it is known.
    """
    layout = ArchiveLayout(Path(root))
    report = UploadReport(on_outcome=on_outcome)
    with SpoolLock(layout.state_dir, exclusive=True):
        manifests = local_manifests(layout)
        listed = listed_paths(manifests)
        for path in finished_files(layout):
            if path.relative_to(layout.root).as_posix() not in listed:
                report.add(uploader.upload(path))
        report.unfinished = list(unfinished_files(layout))
        for path, manifest in manifests.items():
            sync_manifest(layout, path, manifest, uploader, report)
    return report


def upload_leftovers(layout: ArchiveLayout, uploader: Uploader, job: str, *,
                     skip: Path | None = None) -> UploadReport:
    """What earlier crawls of ``job`` to this store left waiting in ``layout`` (files the
    store did not take, manifests and run reports not sent yet), sent now: the end
    of a crawl does what ``newsarchive upload`` would, for its own job and store, so
    a cron line never has to change after an outage. ``skip``: this crawl's manifest.

    The caller holds the spool lock (shared, as a crawl does)."""
    report = UploadReport()
    for path in sorted(layout.manifests_dir.glob(f"{job}-*.json")):
        # A manifest this store took is complete there: the common case, told without
        # reading the manifest (an hourly job's directory holds thousands).
        if path == skip or not is_manifest(path) or uploader.ledger.has(
                uploader.store.uri, uploader.key_for(path), path) is not None:
            continue
        manifest = _read(path)
        if manifest.get("job") == job and manifest.get("store") == uploader.store.uri:
            sync_manifest(layout, path, manifest, uploader, report)
    return report


def local_manifests(layout: ArchiveLayout) -> dict[Path, dict[str, Any]]:
    """Every crawl manifest in ``DIR/manifests`` (run reports left out), by path."""
    return {path: _read(path) for path in sorted(layout.manifests_dir.glob("*.json"))
            if is_manifest(path)}


def listed_paths(manifests: dict[Path, dict[str, Any]]) -> set[str]:
    """The archive-relative paths the manifests list."""
    return {entry["path"] for manifest in manifests.values() for entry in manifest["files"]}


def unlisted_job_files(layout: ArchiveLayout, job: str) -> list[Path]:
    """A job's finished files that no local manifest lists: what a killed run had
    already closed (a rotated WARC file, a full article part)."""
    listed = listed_paths(local_manifests(layout))
    found = []
    for base in (layout.warc_dir(job), layout.articles_dir(job)):
        if base.is_dir():
            found += [path for path in sorted(base.iterdir()) if _is_finished(path)
                      and path.relative_to(layout.root).as_posix() not in listed]
    return found


def finished_files(layout: ArchiveLayout) -> Iterator[Path]:
    """Closed data files: anything still ``.open`` is being written or awaits recovery."""
    for folder in DATA_FOLDERS:
        base = layout.root / folder
        if base.is_dir():
            yield from (path for path in sorted(base.rglob("*")) if _is_finished(path))


def _is_finished(path: Path) -> bool:
    return path.is_file() and not path.name.endswith((OPEN_SUFFIX, ".tmp"))


def unfinished_files(layout: ArchiveLayout) -> Iterator[Path]:
    for folder in DATA_FOLDERS:
        base = layout.root / folder
        if base.is_dir():
            yield from sorted(base.rglob("*" + OPEN_SUFFIX))


def sync_manifest(layout: ArchiveLayout, path: Path, manifest: dict[str, Any],
                  uploader: Uploader, report: UploadReport) -> None:
    same_store = manifest.get("store") == uploader.store.uri
    changed, complete = False, True
    for entry in manifest["files"]:
        local = layout.root / entry["path"]
        if same_store and "store" in entry and not entry.get("pending"):
            continue  # sent and verified by its crawl; a kept local copy stays kept
        if not local.exists():
            in_store, entry_changed = _settle_missing(entry, uploader, report)
            changed |= entry_changed
            complete &= in_store
            continue
        outcome = report.add(uploader.upload(local, expect_sha256=entry.get("sha256")))
        if outcome.state == UploadState.PENDING:
            changed |= entry.get("pending") is not True
            entry["pending"] = True
            complete = False
            continue
        if entry.pop("pending", None) or not same_store or outcome.state == UploadState.UPLOADED:
            entry.update(outcome.manifest_fields())
            changed = True
    if complete and not same_store:
        manifest["store"] = uploader.store.uri
        changed = True
    if changed:
        write_manifest_file(path, manifest)
    # The manifest goes last, and only when every file it lists is in this store; its
    # run's report with it, as a crawl that met no outage sends it.
    if complete and report.add(uploader.upload(path, keep_local=True)).done:
        report.manifests_completed += 1
        if report_path(path).exists():
            report.add(uploader.upload(report_path(path), keep_local=True))


def upload_manifest_if_complete(path: Path, manifest: dict[str, Any], uploader: Uploader,
                                report: UploadReport) -> UploadOutcome | None:
    """At the end of a crawl: send the manifest if every file it lists went to the store.

    None when it was not tried because some file still waits.
    """
    if any(entry.get("pending") or "store" not in entry for entry in manifest["files"]):
        return None
    # Manifests stay local too: they are the directory's record of its crawls.
    return report.add(uploader.upload(path, keep_local=True))


def _settle_missing(entry: dict[str, Any], uploader: Uploader,
                    report: UploadReport) -> tuple[bool, bool]:
    """A listed file that is no longer local: fine if this store has it intact.

    Returns (in this store, entry changed).
    """
    key = entry["path"]
    try:
        stored = uploader.store.stat(key)
    except StoreError as exc:  # reported; the next run asks again
        report.problems.append(f"{key}: not local, and {uploader.store.uri} could not be "
                               f"asked: {exc}")
        return False, False
    if stored is not None and stored.sha256 == entry.get("sha256"):
        entry.pop("pending", None)
        entry["store"] = {"key": key, "size": stored.size,
                          **({"etag": stored.etag} if stored.etag else {})}
        return True, True
    hint = " (it went to another store)" if "store" in entry else ""
    report.problems.append(f"{key}: listed in a manifest but neither local nor in "
                           f"{uploader.store.uri}{hint}")
    return False, False


def _read(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))
