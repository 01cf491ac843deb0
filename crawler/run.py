"""Run one crawl to completion: the library call behind ``newsarchive crawl``.

A notebook can call :func:`run_crawl` too (once per process: Twisted's reactor
cannot be restarted).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from twisted.python.failure import Failure

from archive.errors import (
    ArchiveError,
    DiskFullError,
    JobBusyError,
    RedisUnavailableError,
    StoreError,
    StoreUnavailableError,
)
from archive.layout import ArchiveLayout, check_job_name, check_writable
from archive.state.crawlstate import CrawlState
from archive.state.joblock import JobLock
from archive.state.redisconn import connect, redis_url_problem
from archive.store.spoollock import SpoolBusyError, SpoolLock
from crawler.discovery.urls import is_http_url
from crawler.extensions.summary import crawl_problems
from crawler.jobfiles.duration import format_duration
from crawler.jobfiles.load import JobFileError, load_job_file
from crawler.jobfiles.settingcheck import settings_problem
from crawler.jobfiles.spec import JobSpec, host_job_name, seed_job
from crawler.middlewares.diskfull import DISK_FULL_STAT, disk_full_line
from crawler.sourcedue import last_crawled_times, sort_by_due, utc_text
from crawler.spiders.news import NewsSpider
from crawler.storage import SECRET_SETTINGS, crawl_uploader, store_option_problem
from crawler.versions import policy_problem


class UsageError(Exception):
    """Bad arguments or configuration: reported in one line, exit status 2."""


class BusyError(Exception):
    """Another process holds the job or the archive directory: one line, exit status 75."""


class NothingDue(Exception):
    """No source of the job is due yet (crawler.sourcedue): one line, exit status 0."""


@dataclass
class CrawlResult:
    job: str
    out: Path
    stats: dict[str, Any]
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def parse_setting_overrides(pairs: Sequence[str]) -> dict[str, str]:
    overrides = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"-s expects NAME=VALUE, got {pair!r} (e.g. -s DOWNLOAD_DELAY=1)")
        overrides[name.strip()] = value
    return overrides


def check_seeds(seeds: Sequence[str]) -> list[str]:
    if not seeds:
        raise UsageError("no seed URL: give a job file (newsarchive crawl jobs/NAME.toml) or "
                         "at least one --seed https://news.example/")
    for seed in seeds:
        if not is_http_url(seed):
            raise UsageError(
                f"malformed seed URL {seed!r}: expected http:// or https:// and a host"
            )
    return list(seeds)


def load_job(job_file: str | Path | None, seeds: Sequence[str]) -> JobSpec:
    """The job to run: a job file, or one source made of ``--seed`` URLs."""
    if job_file is not None and seeds:
        raise UsageError("give either a job file or --seed URLs, not both (add the seeds to "
                         "a source in the job file)")
    if job_file is not None:
        try:
            return load_job_file(job_file)
        except JobFileError as exc:
            raise UsageError(str(exc)) from None
    return seed_job(check_seeds(seeds))


def check_store(settings: Settings, *, probe: bool = True) -> None:
    """Fail before the crawl when its store settings are wrong, or (``probe``) when the
    store refuses us: wrong credentials, a missing bucket.

    A store that cannot be reached just now is an outage, not a mistake: the crawl
    runs into the local spool and says so (:class:`crawler.session.ArchiveSession`).
    """
    try:
        # Built once here, thrown away: every ARCHIVE_STORE_* setting is checked
        # now, not inside the crawl where Scrapy would only log the error.
        uploader = crawl_uploader(settings, Path(settings.get("ARCHIVE_DIR")))
        if uploader is not None and probe:
            uploader.store.check()
    except StoreUnavailableError:
        pass  # the session finds it down too, and crawls into the spool
    except StoreError as exc:  # its message names the problem and the fix
        raise UsageError(str(exc)) from None


def check_redis(settings: Settings, *, probe: bool = True) -> None:
    """A distributed crawl's Redis: a well-formed URL that answers (before anything is
    written)."""
    url = settings.get("REDIS_URL")
    if not url:
        return
    if problem := redis_url_problem(url):
        raise UsageError(problem)
    if settings.getfloat("REDIS_WORKER_TIMEOUT") < 3:
        raise UsageError("REDIS_WORKER_TIMEOUT must be at least 3 seconds (workers say "
                         "they live every third of it)")
    if probe:
        try:
            connect(url).close()
        except RedisUnavailableError as exc:
            # Down for now: cron or systemd may simply start the worker again later.
            raise BusyError(f"{exc} (exit 75: try again later)") from None
        except ArchiveError as exc:
            raise UsageError(str(exc)) from None


def check_spool_free(out: Path) -> None:
    """Refuse to start while ``newsarchive upload`` works on the same directory."""
    state = ArchiveLayout(out).state_dir
    if state.is_dir():
        try:
            SpoolLock(state, exclusive=False).acquire().release()
        except SpoolBusyError as exc:
            raise BusyError(f"{exc}; try again when `newsarchive upload` has finished") from None


def claim_job(out: Path, job: str) -> JobLock:
    """The job's lock (BusyError names the process that runs it), once its state is
    known to open: a damaged state file is one line before the crawl, not a traceback."""
    state_dir = ArchiveLayout(out).state_dir
    try:
        lock = JobLock(state_dir, job).acquire()
    except JobBusyError as exc:
        raise BusyError(f"{exc} (exit 75: cron may simply try again next time)") from None
    except ArchiveError as exc:
        raise UsageError(str(exc)) from None
    try:
        # Opened only when it exists: one made here would stop the run from fetching
        # the job's state from the store (crawler.session, a new machine).
        if (state_dir / f"{job}.sqlite").exists():
            CrawlState.for_job(state_dir, job).close()
    except DiskFullError:
        pass  # not a damaged state: the run stops at once for it (_disk_full_at_start)
    except ArchiveError as exc:
        lock.release()
        raise UsageError(str(exc)) from None
    return lock


def crawl_settings(out: Path, job: str, max_pages: int | None,
                   overrides: Mapping[str, Any], spec: JobSpec | None = None) -> Settings:
    # Not get_project_settings(): that looks for scrapy.cfg in the working
    # directory, and the command must behave the same wherever it is run.
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    if spec is not None:
        # The job file sits between the defaults and the command line (-s wins).
        settings.setdict(job_file_settings(spec, settings), priority="spider")
    settings.set("ARCHIVE_DIR", str(out), priority="cmdline")
    settings.set("ARCHIVE_JOB", job, priority="cmdline")
    if max_pages is not None:
        settings.set("CLOSESPIDER_PAGECOUNT", max_pages, priority="cmdline")
    if sys.stderr.isatty():
        # The live progress line replaces the log on a terminal; warnings still show.
        settings.set("LOG_LEVEL", "WARNING", priority="cmdline")
    for name, value in overrides.items():
        settings.set(name, value, priority="cmdline")
    _leave_out_switched_off(settings)
    contact = settings.get("ARCHIVE_CONTACT")
    if contact and contact not in settings.get("USER_AGENT"):
        settings.set("USER_AGENT", f"{settings.get('USER_AGENT')} {contact}",
                     priority=settings.getpriority("USER_AGENT"))
    return settings


#: Scrapy's own extensions that are off unless a setting turns them on. Scrapy imports
#: every extension named in EXTENSIONS_BASE or EXTENSIONS, even one set to None, before
#: it hears NotConfigured; remote control's module imports aiohttp's server (0.1-0.2 s
#: of a crawl's start). Left out of the base list while off, they are never imported.
_SCRAPY_OFF_UNLESS = {
    "scrapy.extensions.remote_control.RemoteControl": "REMOTE_CONTROL_ENABLED",
    "scrapy.extensions.telnet.TelnetConsole": "TELNETCONSOLE_ENABLED",
}


def _leave_out_switched_off(settings: Settings) -> None:
    base = settings.getdict("EXTENSIONS_BASE")
    off = {path for path, switch in _SCRAPY_OFF_UNLESS.items()
           if not settings.getbool(switch) and path not in settings.getdict("EXTENSIONS")}
    if off & base.keys():
        settings.set("EXTENSIONS_BASE", {k: v for k, v in base.items() if k not in off},
                     priority=settings.getpriority("EXTENSIONS_BASE"))


def job_file_settings(spec: JobSpec, defaults: Settings) -> dict[str, Any]:
    """The Scrapy settings a job file sets: its [settings] table and job-wide keys."""
    settings = dict(spec.settings)
    if spec.user_agent:
        settings["USER_AGENT"] = spec.user_agent
    if spec.contact:
        settings["ARCHIVE_CONTACT"] = spec.contact
    if spec.max_duration is not None:
        settings["CRAWL_MAX_DURATION"] = spec.max_duration
    if spec.politeness.delay is not None:
        settings["DOWNLOAD_DELAY"] = spec.politeness.delay
    if spec.politeness.concurrency is not None:
        settings["CONCURRENT_REQUESTS_PER_DOMAIN"] = spec.politeness.concurrency
    depth_limit = int(settings.get("DEPTH_LIMIT", defaults.getint("DEPTH_LIMIT")))
    deepest = max((s.max_depth or 0 for s in spec.sources), default=0)
    if depth_limit and deepest > depth_limit:
        # Scrapy's DepthMiddleware applies DEPTH_LIMIT to every request; the spider
        # applies each source's own max_depth, so the crawl-wide one must not be lower.
        settings["DEPTH_LIMIT"] = deepest
    return settings


def prepare_crawl(spec: JobSpec, out: Path, job: str | None, max_pages: int | None,
                  overrides: Mapping[str, Any], *, check_network: bool = True
                  ) -> tuple[str, Settings]:
    """Validate everything a crawl needs; raise UsageError before anything is written."""
    for name in SECRET_SETTINGS:
        if name in overrides:
            raise UsageError(f"{name} cannot be given with -s (settings are logged): set it in "
                             "the environment or use an AWS profile (AWS_PROFILE)")
    if problem := settings_problem(overrides):
        raise UsageError(f"-s {problem}")
    if max_pages is not None and max_pages < 1:
        raise UsageError(f"--max-pages must be at least 1, got {max_pages}")
    job = job or default_job_name(spec)
    try:
        check_job_name(job)
        check_writable(out)
    except ArchiveError as exc:  # its message already says how to fix it
        raise UsageError(str(exc)) from None
    settings = crawl_settings(out, job, max_pages, overrides, spec)
    if problem := policy_problem(settings):
        raise UsageError(problem)
    # A seed host that does not answer is not checked here: that source fails in the
    # crawl, and the others are crawled (crawler.middlewares.sourcehealth).
    check_store(settings, probe=check_network)
    check_redis(settings, probe=check_network)
    check_spool_free(out)
    return job, settings


def default_job_name(spec: JobSpec) -> str:
    """The job file's ``name``, else its file name, else the first seed's host."""
    if spec.name:
        return spec.name
    if spec.path is not None:
        return spec.path.stem
    return host_job_name(spec.start_urls[0])


def run_crawl(seeds: Sequence[str] = (), out: Path | None = None, *,
              job_file: str | Path | None = None, job: str | None = None,
              max_pages: int | None = None, overrides: Mapping[str, Any] | None = None,
              store: str | None = None, endpoint_url: str | None = None,
              keep_local: bool = False, check_network: bool = True,
              redis_url: str | None = None) -> CrawlResult:
    """Crawl a job file or ``seeds`` into ``out`` (and ``store``) until done.

    Arguments given here win over the job file's keys (as on the command line)."""
    spec = load_job(job_file, seeds)
    out = Path(out or spec.out or "archive-data")
    overrides = dict(overrides or {})
    store = store if store is not None else spec.store
    endpoint_url = endpoint_url if endpoint_url is not None else spec.endpoint_url
    if problem := store_option_problem(store, endpoint_url, keep_local):
        raise UsageError(problem)
    if store:
        overrides["ARCHIVE_STORE"] = store
    if endpoint_url:
        overrides["AWS_ENDPOINT_URL"] = endpoint_url
    if keep_local:
        overrides["ARCHIVE_STORE_KEEP_LOCAL"] = True
    if redis_url is not None and not redis_url.strip():
        raise UsageError("--redis is empty: give redis://HOST:PORT/DB, or leave it out for a "
                         "crawl of this machine alone")
    redis_url = redis_url if redis_url is not None else spec.redis
    if redis_url:
        overrides["REDIS_URL"] = redis_url
    max_pages = max_pages if max_pages is not None else spec.max_pages
    job, settings = prepare_crawl(
        spec, out, job, max_pages, overrides, check_network=check_network
    )
    # Taken here so that "already running" is one line and exit 75; the crawl's
    # session takes the same lock (this process holds it already) and keeps it.
    lock = claim_job(out, job)
    if not redis_url and (waiting := nothing_due(spec, out, job)):
        lock.release()
        raise NothingDue(waiting)
    disk_full: list[DiskFullError] = []
    try:
        process = CrawlerProcess(settings)
        crawler = process.create_crawler(NewsSpider)
        crawling = process.crawl(crawler, job_spec=spec, job=job)
        crawling.addErrback(_disk_full_at_start, disk_full)
        process.start()
    finally:
        lock.release()
    if disk_full:  # one line, exit 1, nothing more to say: the run never began
        line = disk_full_line(disk_full[0])
        return CrawlResult(job=job, out=Path(out), stats={DISK_FULL_STAT: line},
                           problems=[line])
    assert crawler.stats is not None
    stats = dict(crawler.stats.get_stats())
    problems = crawl_problems(stats)
    if "start_time" not in stats:  # Scrapy logged why; never report such a run as done
        problems.insert(0, "the crawl did not start (the reason is in the log above)")
    return CrawlResult(job=job, out=Path(out), stats=stats, problems=problems)


def nothing_due(spec: JobSpec, out: Path, job: str) -> str | None:
    """A line saying when the next source is due, when none is due now; None when some
    source is (or the job's state is not on this machine: the crawl finds out)."""
    if not spec.has_intervals or \
            (crawled := last_crawled_times(out, job)) is None:
        return None
    times = sort_by_due(spec.sources, crawled, time.time())
    if times.due or (upcoming := times.next_due) is None:
        return None
    source, when = upcoming
    return (f"nothing to crawl: no source of job {job} is due yet; the next is {source.name}, "
            f"due at {utc_text(when, seconds=True)} (in {format_duration(when - time.time())})")


def _disk_full_at_start(failure: Failure, found: list[DiskFullError]) -> Failure | None:
    """The job's state did not fit on the disk as the run began: one line, exit 1,
    rather than a traceback (anything else is passed on, to be logged as before)."""
    if not failure.check(DiskFullError):
        return failure
    found.append(failure.value)
    return None
