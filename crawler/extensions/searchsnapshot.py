"""The job's search index travels with its archive (:mod:`archive.search.snapshot`).

At the start of a run to a store, a job with no search index here (a new machine,
an emptied ``--out``) takes the store's newest snapshot, so the parts this run adds
join the job's whole index rather than starting a new one. At the end, once every
part of the run is in the index, the index goes out as a snapshot when it has grown
enough since the last one (``SEARCH_SNAPSHOT_GROWTH``): listed in the run's manifest
and uploaded and verified like its other files.

A snapshot is derived data: one that cannot be written is logged and counted, and
one the store did not take while it took everything else is left out of the
manifest (and its local copy removed), so it never holds the manifest back nor
changes the run's exit status; the next run sends a newer one. When other files
wait too (the store is down), it waits with them, listed ``pending``, and goes up
with them (``newsarchive upload``, or the next run).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from scrapy.settings import Settings
from scrapy.statscollectors import StatsCollector

from archive.partfile import default_host_tag
from archive.search.jobindex import job_index_dir
from archive.search.snapshot import (
    note_snapshot,
    snapshot_due,
    snapshot_name,
    start_from_snapshot,
    write_snapshot,
)
from archive.store.manifest import FileKind, ManifestEntry
from archive.store.upload import UploadOutcome

if TYPE_CHECKING:
    from crawler.session import ArchiveSession

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SentSnapshot:
    entry: ManifestEntry
    parts: int


def restore_search(session: ArchiveSession) -> None:
    """Before any part is added: the job's index from the store's newest snapshot when
    there is none here. Never fails the run: without it, the index is built anew."""
    if session.uploader is None or session.store_down:
        return
    store = session.uploader.uploader.store
    try:
        key = start_from_snapshot(store, job_index_dir(session.layout.root, session.job),
                                  session.job)
    except Exception as exc:  # derived data: the run goes on without it
        logger.warning("The search index of job %s could not be taken from %s (%s); it "
                       "is built from this run's parts", session.job, store.uri, exc)
        return
    if key is not None:
        logger.warning("Job %s had no search index here: took %s from %s", session.job,
                       key, store.uri)


def snapshot_search(session: ArchiveSession, settings: Settings,
                    stats: StatsCollector) -> SentSnapshot | None:
    """After the run's parts are indexed: write the index as a snapshot, if one is due,
    and list it with the run's files (the uploader sends it)."""
    if session.uploader is None or not settings.getbool("SEARCH_SNAPSHOT_ENABLED"):
        return None
    directory = job_index_dir(session.layout.root, session.job)
    try:
        if not snapshot_due(directory, settings.getfloat("SEARCH_SNAPSHOT_GROWTH")):
            return None
        path, parts = write_snapshot(directory, snapshot_name(session.crawl_id,
                                                              default_host_tag()))
    except Exception as exc:  # derived data: never a reason for the run to fail
        logger.error("The search index could not be written as a snapshot (%s); queries "
                     "of the store build it from the parts", exc)
        stats.set_value("search/snapshot_failed", str(exc))
        return None
    entry = ManifestEntry(path, FileKind.SEARCH)
    session.add_derived(entry)
    return SentSnapshot(entry, parts)


def settle_snapshot(session: ArchiveSession, sent: SentSnapshot | None,
                    uploads: dict[Path, UploadOutcome], stats: StatsCollector) -> None:
    """Once the uploads are drained: a snapshot the store took (or that waits with
    other files) is remembered as the index's last; one that alone was not taken is
    dropped from the run's files and ``uploads``."""
    if sent is None:
        return
    path = sent.entry.path
    outcome = uploads.get(path)
    others_wait = any(not other.done for key, other in uploads.items() if key != path)
    if outcome is not None and (outcome.done or others_wait):
        note_snapshot(path.parent, path.name, sent.parts)
        stats.set_value("search/snapshot", outcome.key)
        stats.set_value("search/snapshot_parts", sent.parts)
        return
    why = outcome.error if outcome is not None else "not sent"
    session.files.remove(sent.entry)
    uploads.pop(path, None)
    path.unlink(missing_ok=True)
    stats.set_value("search/snapshot_failed", why)
    logger.error("The store did not take the search snapshot %s (%s): left out of the "
                 "manifest; the next run sends a newer one", path.name, why)
