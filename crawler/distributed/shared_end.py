"""The end of one worker's part in a distributed crawl, and of the crawl itself.

Each worker writes the manifest of its own files (``JOB-CRAWLID-WORKER.json``) and
adds them to the crawl's list in Redis. The last worker out (no other running,
nothing queued or held) closes the run in the shared state and writes the crawl's
manifest, ``JOB-CRAWLID.json``: every worker's files, the summed counts, who took
part. Files of a worker that died before its end are listed by its manifest when
it runs again in the same ``--out`` (recovery), not by this one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from scrapy.statscollectors import StatsCollector

from archive.errors import ArchiveError
from archive.store.manifest import write_manifest
from archive.store.spool import UploadReport, upload_manifest_if_complete
from crawler.distributed.coordination import DistributedCrawl
from crawler.session import ArchiveSession

logger = logging.getLogger(__name__)

EndRun = Callable[[ArchiveSession, StatsCollector, str], None]


def leave_crawl(session: ArchiveSession, stats: StatsCollector, manifest: dict | None,
                reason: str, end_run: EndRun) -> None:
    crawl = session.distributed
    assert crawl is not None
    try:
        capped = reason == "closespider_pagecount" or \
            bool(session.page_cap and crawl.enqueued() >= session.page_cap)
        last = crawl.leave(manifest["files"] if manifest else [],
                           manifest["counts"] if manifest else {}, capped=capped)
    except ArchiveError as exc:
        logger.error("Could not leave the distributed crawl: %s (the other workers take "
                     "this one for dead and carry on)", exc)
        stats.set_value("distributed/redis_errors", crawl.errors)
        stats.set_value("distributed/redis_last_error", crawl.last_error)
        return
    stats.set_value("distributed/crawl_id", crawl.crawl_id)
    if not last:
        logger.info("Worker %s is done; crawl %s of job %s goes on with other workers or "
                    "has work left for the next one", crawl.tag, crawl.crawl_id, session.job)
        return
    reason = crawl_reason(crawl, session, reason)
    end_run(session, stats, reason)
    try:
        path = write_crawl_manifest(session, crawl, reason)
        crawl.close_crawl(reason)
    except (ArchiveError, OSError) as exc:
        logger.error("The crawl's manifest could not be written: %s", exc)
        stats.set_value("manifest/error", str(exc))
        return
    stats.set_value("distributed/crawl_manifest", str(path))
    logger.info("Last worker out: crawl %s of job %s is over; its manifest is %s",
                crawl.crawl_id, session.job, path)


def crawl_reason(crawl: DistributedCrawl, session: ArchiveSession, reason: str) -> str:
    """Why the whole crawl ended: a worker that found nothing left says "finished", but
    when the crawl-wide page cap refused links it was the cap."""
    cap = session.page_cap
    if reason == "finished" and cap and crawl.enqueued() >= cap:
        return "closespider_pagecount"
    return reason


def write_crawl_manifest(session: ArchiveSession, crawl: DistributedCrawl,
                         reason: str) -> Any:
    files = crawl.crawl_files()
    workers = crawl.workers()
    info = crawl.info()
    manifest: dict[str, Any] = {
        "manifest_version": 1,
        "job": session.job,
        "crawl_id": crawl.crawl_id,
        "started": info.get("started") or session.started.isoformat(),
        "finished": datetime.now(UTC).isoformat(),
        "counts": crawl.crawl_counts(),
        "files": files,
        "finish_reason": reason,
        "workers": [{"worker": tag, **details} for tag, details in sorted(workers.items())],
    }
    if session.store_uri is not None:
        manifest["store"] = session.store_uri
    path = write_manifest(session.layout.root, manifest)
    if session.uploader is not None:
        upload_manifest_if_complete(path, manifest, session.uploader.uploader,
                                    UploadReport([]))
    return path
