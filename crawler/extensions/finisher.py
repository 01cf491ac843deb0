"""At the end of a crawl: write the manifest and the run report, close the job's state,
and log the summary built from stats."""

from __future__ import annotations

import logging
import shlex
from datetime import UTC, datetime
from pathlib import Path

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from archive.diskfull import disk_full
from archive.errors import ArchiveError
from archive.store.base import redact_url
from archive.store.manifest import build_manifest, report_path, write_manifest, write_manifest_file
from archive.store.spool import UploadReport, upload_manifest_if_complete
from archive.store.upload import Uploader, UploadState
from crawler.distributed.shared_end import leave_crawl
from crawler.extensions.drift import check_drift
from crawler.extensions.runreport import run_report
from crawler.extensions.searchsnapshot import settle_snapshot, snapshot_search
from crawler.extensions.storesync import catch_up
from crawler.extensions.summary import crawl_problems, summary_lines
from crawler.middlewares.diskfull import DISK_FULL_STAT, stop_for_disk_full
from crawler.session import ArchiveSession
from crawler.sourcedue import WHOLE_RUN_REASONS
from crawler.sourcestats import (
    cut_short_sources,
    per_source,
    record_failed,
    unreachable_sources,
)

logger = logging.getLogger(__name__)

MANIFEST_COUNTS = (
    "response_received_count", "warc/records", "warc/bytes", "articles/written",
    "extract/empty", "extract/failed", "robotstxt/forbidden", "news/pages/article",
    "news/pages/listing", "news/pages/other", "news/pages/non_html", "articles/new",
    "articles/changed", "articles/unchanged", "warc/revisits", "incremental/not_modified",
    "incremental/identical",
)


class CrawlFinisher:
    def __init__(self, crawler: Crawler, session: ArchiveSession) -> None:
        self.crawler = crawler
        self.session = session

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlFinisher:
        # The run started when the spider opened the session; it ends here.
        finisher = cls(crawler, ArchiveSession.of(crawler))
        # engine_stopped comes after the recorder and the writers closed their files.
        crawler.signals.connect(finisher.engine_stopped, signal=signals.engine_stopped)
        return finisher

    def engine_stopped(self) -> None:
        stats = self.crawler.stats
        assert stats is not None
        session = self.session
        try:
            self._finish(session, stats)
        finally:
            session.release()
        logger.info("Crawl summary for job %s:\n%s", session.job,
                    "\n".join(summary_lines(stats.get_stats())))

    def _finish(self, session: ArchiveSession, stats: StatsCollector) -> None:
        reason = stats.get_value("finish_reason") or "unknown"
        self._count_recovered(session, stats)
        self._record_failed_sources(session, stats)
        self._record_crawled_sources(session, stats, reason)
        self._check_drift(session, stats)
        if session.distributed is None:
            self._end_run(session, stats, reason)
            self._write_manifest(session, stats, reason)
            return
        manifest = self._write_manifest(session, stats, reason)
        # A distributed crawl ends with its last worker: it closes the run in the state.
        leave_crawl(session, stats, manifest, reason, self._end_run)

    def _write_manifest(self, session: ArchiveSession, stats: StatsCollector,
                        reason: str) -> dict | None:
        session.finish_files()
        if session.indexer is not None:
            stats.set_value("index/files", session.indexer.indexed)
            if session.indexer.failures:
                stats.set_value("index/failed", len(session.indexer.failures))
            if session.indexer.search_failures:
                stats.set_value("index/search_failed", len(session.indexer.search_failures))
            if session.indexer.disk_full is not None:
                stop_for_disk_full(self.crawler, session.indexer.disk_full, closing=True)
        snapshot = snapshot_search(session, self.crawler.settings, stats)
        # The last files closed moments ago: wait until they are sent (or given up).
        uploads = session.uploader.drain() if session.uploader else {}
        settle_snapshot(session, snapshot, uploads, stats)
        counts = {key: stats.get_value(key, 0) for key in MANIFEST_COUNTS}
        try:
            manifest = build_manifest(
                session.layout.root,
                job=session.job,
                crawl_id=session.crawl_id,
                started=session.started,
                finished=datetime.now(UTC),
                entries=session.files,
                counts=counts,
                store=session.store_uri,
                uploads=uploads,
            )
            # "finished", or why it stopped early (a page cap, "shutdown" for a signal).
            manifest["finish_reason"] = reason
            worker = session.distributed.tag if session.distributed else None
            if worker:
                manifest["worker"] = worker
            path = write_manifest(session.layout.root, manifest, worker=worker)
        except (ArchiveError, OSError) as exc:
            logger.error("Manifest could not be written: %s", exc)
            stats.set_value("manifest/error", str(exc))
            if full := disk_full(exc, session.layout.manifests_dir):
                stop_for_disk_full(self.crawler, full, closing=True)
            return None
        stats.set_value("manifest/path", str(path))
        if session.uploader is not None:
            report = UploadReport(list(uploads.values()))
            sent = upload_manifest_if_complete(path, manifest, session.uploader.uploader, report)
            record_upload_stats(stats, report, session.uploader.uploader,
                                manifest_waits=sent is None)
            catch_up(session, stats, path)
        self._write_report(session, stats, manifest, path)
        return manifest

    @staticmethod
    def _count_recovered(session: ArchiveSession, stats: StatsCollector) -> None:
        if session.recovery is not None:
            kept = [f for f in (*session.recovery.warcs, *session.recovery.parts)
                    if not f.removed]
            stats.set_value("recovery/files", len(kept))

    @staticmethod
    def _record_failed_sources(session: ArchiveSession, stats: StatsCollector) -> None:
        """A source whose site never answered failed; the job's state says since when."""
        failed = unreachable_sources(stats.get_stats())
        answered = [name for name, counts in per_source(stats.get_stats()).items()
                    if counts.get("answered")]
        streaks = {}
        if session.state is not None and (failed or answered):
            try:
                streaks = session.state.record_sources(session.crawl_id, failed, answered)
            except ArchiveError as exc:
                logger.error("Job state could not be saved: %s", exc)
        for name, reason in failed.items():
            streak = streaks.get(name)
            record_failed(stats, name, reason, since=streak.since if streak else None,
                          runs=streak.runs if streak else 1)
            logger.warning("Source %s failed: %s (its site never answered)", name, reason)

    def _record_crawled_sources(self, session: ArchiveSession, stats: StatsCollector,
                                reason: str) -> None:
        """Each source this run took up and crawled whole, for the sources due only every
        so often (crawler.sourcedue): not one that failed or whose host was left for the
        next run, nor any when the run was cut short."""
        taken = getattr(self.crawler.spider, "sources_taken", {})
        if session.state is None or reason not in WHOLE_RUN_REASONS or not taken:
            return
        unfinished = _unfinished_sources(stats)
        try:
            for name, started in taken.items():
                if name not in unfinished:
                    session.state.source_crawled(name, started)
            session.state.commit()
        except ArchiveError as exc:
            logger.error("Job state could not be saved: %s", exc)

    def _check_drift(self, session: ArchiveSession, stats: StatsCollector) -> None:
        """Drift alerts (crawler.extensions.drift), before the report that lists them.
        Not for one worker of a distributed crawl: its report holds only its share of
        each source's pages, which says nothing against the source's earlier runs."""
        if not self.crawler.settings.getbool("HEALTH_ALERTS_ENABLED") or \
                session.distributed is not None:
            return
        try:
            check_drift(stats, session.layout.root, session.job)
        except OSError as exc:  # the earlier reports: this run's own report still goes out
            logger.error("Earlier run reports could not be read for drift alerts: %s", exc)

    def _sources_left_waiting(self, session: ArchiveSession, stats: StatsCollector) -> set[str]:
        """The sources whose listed URLs outlive a finished run: those it did not take
        up (not due: their left-overs and the links into them wait for their run) and
        those it could not finish (a site down, a host left for the next run)."""
        spider = self.crawler.spider
        taken = getattr(spider, "sources_taken", None)
        if session.distributed is not None or taken is None:
            return set()
        waiting = {source.name for source in spider.sources if source.name not in taken}
        return waiting | _unfinished_sources(stats)

    def _end_run(self, session: ArchiveSession, stats: StatsCollector, reason: str) -> None:
        if session.state is None:
            return
        try:
            if reason == "finished":
                # Everything reachable was dealt with; what is still listed was refused,
                # but for the sources that wait for a later run.
                session.state.clear_pending(keep_sources=self._sources_left_waiting(
                    session, stats))
            stats.set_value("incremental/pending", session.state.pending_count())
            if stats.get_value(DISK_FULL_STAT):
                # Left unfinished, so the next run takes it for killed: it recovers the
                # files left .open and lists those no manifest lists (this run's may
                # not fit on the disk).
                return
            session.state.end_run(session.crawl_id, datetime.now(UTC).isoformat(
                timespec="seconds"), reason)
        except ArchiveError as exc:
            logger.error("Job state could not be saved: %s", exc)

    def _write_report(self, session: ArchiveSession, stats: StatsCollector,
                      manifest: dict, manifest_path: Path) -> None:
        report = run_report(stats.get_stats(), manifest, problems=crawl_problems(stats.get_stats()),
                            interrupted_runs=session.interrupted_runs,
                            manifest_path=str(manifest_path))
        try:
            path = write_manifest_file(report_path(manifest_path), report)
        except OSError as exc:
            logger.error("Run report could not be written: %s", exc)
            return
        stats.set_value("report/path", str(path))
        if session.uploader is not None and not stats.get_value("store/pending"):
            session.uploader.uploader.upload(path, keep_local=True)


def record_upload_stats(stats: StatsCollector, report: UploadReport, uploader: Uploader,
                        *, manifest_waits: bool) -> None:
    stats.set_value("store/uri", uploader.store.uri)
    stats.set_value("store/uploaded", report.count(UploadState.UPLOADED))
    stats.set_value("store/present", report.count(UploadState.PRESENT))
    stats.set_value("store/bytes_uploaded", report.bytes_uploaded)
    # The manifest waits too when it was not tried (it goes last, only when complete);
    # one that was tried and failed is already among the pending outcomes.
    pending = report.count(UploadState.PENDING) + int(manifest_waits)
    stats.set_value("store/pending", pending)
    if pending and report.last_error:
        stats.set_value("store/last_error", report.last_error)
    # What `newsarchive upload` needs to reach the same store (never credentials).
    words = ["newsarchive", "upload", "--out", str(uploader.root.absolute()),
             "--store", uploader.store.uri]
    if endpoint := getattr(uploader.store, "endpoint", None):
        words += ["--endpoint-url", redact_url(endpoint)]
    if uploader.keep_local:
        words.append("--keep-local")
    stats.set_value("store/upload_command", shlex.join(words))


def _unfinished_sources(stats: StatsCollector) -> set[str]:
    """The sources this run could not finish: a site that never answered, a host left
    for the next run. Not recorded as crawled whole; their listed URLs are kept."""
    return set(unreachable_sources(stats.get_stats())) | cut_short_sources(stats.get_stats())
