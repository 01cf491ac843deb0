"""Run one crawl to completion: the library call behind ``newsarchive crawl``.

A notebook can call :func:`run_crawl` too (once per process: Twisted's reactor
cannot be restarted).
"""

from __future__ import annotations

import socket
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from archive.errors import ArchiveError, StoreError, StoreUnavailableError
from archive.layout import ArchiveLayout, check_job_name, check_writable
from archive.spoollock import SpoolBusyError, SpoolLock
from crawler.session import host_job_name
from crawler.spiders.news import NewsSpider
from crawler.storage import SECRET_SETTINGS, crawl_uploader
from crawler.summary import unarchived_problems
from crawler.urls import is_http_url


class UsageError(Exception):
    """Bad arguments or configuration: reported in one line, exit status 2."""


class BusyError(Exception):
    """Another process holds the archive directory: reported in one line, exit status 75."""


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
        raise UsageError("no seed URL: give at least one --seed https://news.example/")
    for seed in seeds:
        if not is_http_url(seed):
            raise UsageError(
                f"malformed seed URL {seed!r}: expected http:// or https:// and a host"
            )
    return list(seeds)


def check_reachable(seeds: Sequence[str], timeout: float = 10.0) -> None:
    """Fail before writing anything when a seed's host does not answer at all."""
    for seed in seeds:
        parts = urlsplit(seed)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        try:
            with socket.create_connection((parts.hostname, port), timeout=timeout):
                pass
        except socket.gaierror as exc:
            raise UsageError(f"cannot resolve seed host {parts.hostname!r}: {exc.strerror}; "
                             "check the URL") from None
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            raise UsageError(f"cannot reach seed {seed}: {reason}; "
                             "check the URL and that the site is up") from None


def check_store(settings: Settings, *, probe: bool = True) -> None:
    """Fail before the crawl when its store settings are wrong or (``probe``) it cannot
    be written."""
    try:
        # Built once here, thrown away: every ARCHIVE_STORE_* setting is checked
        # now, not inside the crawl where Scrapy would only log the error.
        uploader = crawl_uploader(settings, Path(settings.get("ARCHIVE_DIR")))
        if uploader is not None and probe:
            uploader.store.check()
    except StoreUnavailableError as exc:
        raise UsageError(f"{exc} (to crawl anyway, leave out --store and send the files "
                         "later with `newsarchive upload`)") from None
    except StoreError as exc:  # its message names the problem and the fix
        raise UsageError(str(exc)) from None


def check_spool_free(out: Path) -> None:
    """Refuse to start while ``newsarchive upload`` works on the same directory."""
    state = ArchiveLayout(out).state_dir
    if state.is_dir():
        try:
            SpoolLock(state, exclusive=False).acquire().release()
        except SpoolBusyError as exc:
            raise BusyError(f"{exc}; try again when `newsarchive upload` has finished") from None


def crawl_settings(out: Path, job: str, max_pages: int | None,
                   overrides: Mapping[str, Any]) -> Settings:
    # Not get_project_settings(): that looks for scrapy.cfg in the working
    # directory, and the command must behave the same wherever it is run.
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.set("ARCHIVE_DIR", str(out), priority="cmdline")
    settings.set("ARCHIVE_JOB", job, priority="cmdline")
    if max_pages is not None:
        settings.set("CLOSESPIDER_PAGECOUNT", max_pages, priority="cmdline")
    if sys.stderr.isatty():
        # The live progress line replaces the log on a terminal; warnings still show.
        settings.set("LOG_LEVEL", "WARNING", priority="cmdline")
    for name, value in overrides.items():
        settings.set(name, value, priority="cmdline")
    contact = settings.get("ARCHIVE_CONTACT")
    if contact and contact not in settings.get("USER_AGENT"):
        settings.set("USER_AGENT", f"{settings.get('USER_AGENT')} {contact}",
                     priority=settings.getpriority("USER_AGENT"))
    return settings


def prepare_crawl(seeds: Sequence[str], out: Path, job: str | None, max_pages: int | None,
                  overrides: Mapping[str, Any], *, check_network: bool = True
                  ) -> tuple[list[str], str, Settings]:
    """Validate everything a crawl needs; raise UsageError before anything is written."""
    seeds = check_seeds(seeds)
    for name in SECRET_SETTINGS:
        if name in overrides:
            raise UsageError(f"{name} cannot be given with -s (settings are logged): set it in "
                             "the environment or use an AWS profile (AWS_PROFILE)")
    if max_pages is not None and max_pages < 1:
        raise UsageError(f"--max-pages must be at least 1, got {max_pages}")
    job = job or host_job_name(seeds[0])
    try:
        check_job_name(job)
        check_writable(out)
    except ArchiveError as exc:  # its message already says how to fix it
        raise UsageError(str(exc)) from None
    settings = crawl_settings(out, job, max_pages, overrides)
    if check_network:
        check_reachable(seeds)
    check_store(settings, probe=check_network)
    check_spool_free(out)
    return seeds, job, settings


def run_crawl(seeds: Sequence[str], out: Path, *, job: str | None = None,
              max_pages: int | None = None, overrides: Mapping[str, Any] | None = None,
              store: str | None = None, endpoint_url: str | None = None,
              keep_local: bool = False, check_network: bool = True) -> CrawlResult:
    """Crawl ``seeds`` into ``out`` (and ``store``, when given) until done."""
    overrides = dict(overrides or {})
    if store:
        overrides["ARCHIVE_STORE"] = store
    if endpoint_url:
        overrides["AWS_ENDPOINT_URL"] = endpoint_url
    if keep_local:
        overrides["ARCHIVE_STORE_KEEP_LOCAL"] = True
    seeds, job, settings = prepare_crawl(
        seeds, Path(out), job, max_pages, overrides, check_network=check_network
    )
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(NewsSpider)
    process.crawl(crawler, seed=list(seeds), job=job)
    process.start()
    assert crawler.stats is not None
    stats = dict(crawler.stats.get_stats())
    return CrawlResult(job=job, out=Path(out), stats=stats, problems=unarchived_problems(stats))
