"""At the end of a run, the store catches up: what earlier runs left waiting, and the
job's state.

A store that was down (at the start of an earlier run, or in the middle of it)
left files in ``--out`` marked pending. The next run of the job with the same
store sends them, with their manifests and run reports, once the store takes
this run's files again: the cron line never changes after an outage, and the
bucket ends as if nothing had failed. Then a consistent copy of the job's state
goes up as ``state/JOB.sqlite`` (:mod:`archive.state.snapshot`), so a machine
that is lost loses no history.
"""

from __future__ import annotations

import logging
from pathlib import Path

from scrapy.statscollectors import StatsCollector

from archive.errors import ArchiveError
from archive.state.snapshot import send_state
from archive.store.spool import upload_leftovers
from archive.store.upload import UploadState
from crawler.session import ArchiveSession

logger = logging.getLogger(__name__)


def catch_up(session: ArchiveSession, stats: StatsCollector, manifest_path: Path) -> None:
    """Send what earlier runs of the job left waiting, then the job's state."""
    if session.uploader is None:
        return
    uploader = session.uploader.uploader
    if session.store_down:
        stats.set_value("store/unreachable_at_start", session.store_down)
    if session.state_not_fetched:
        stats.set_value("state/not_fetched", session.state_not_fetched)
    if not uploader.healthy:
        # Still down: nothing more is tried; this run's state waits with its files.
        if session.distributed is None and not session.state_not_fetched:
            stats.set_value("state/pending", uploader.last_error or "the store is down")
        return
    earlier = upload_leftovers(session.layout, uploader, session.job, skip=manifest_path)
    sent = earlier.count(UploadState.UPLOADED)
    if sent:
        stats.set_value("store/earlier_uploaded", sent)
        logger.warning("Sent %d file(s) that earlier runs of job %s left waiting, and %d "
                       "manifest(s)", sent, session.job, earlier.manifests_completed)
    # Files another worker of a distributed crawl has yet to send (earlier.problems) are
    # that worker's to send, not a fault of this run.
    if waiting := earlier.count(UploadState.PENDING):
        stats.set_value("store/earlier_pending", waiting)
    if session.distributed is None and session.state is not None \
            and not session.state_not_fetched:
        _send_state(session, stats)


def _send_state(session: ArchiveSession, stats: StatsCollector) -> None:
    assert session.uploader is not None
    try:
        outcome = send_state(session.state_path, session.job, session.uploader.uploader)
    except ArchiveError as exc:
        stats.set_value("state/pending", str(exc))
        logger.error("The job's state could not be sent to the store: %s", exc)
        return
    if outcome.done:
        stats.set_value("state/uploaded", outcome.key)
    else:
        stats.set_value("state/pending", outcome.error)
