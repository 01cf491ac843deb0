"""What one crawl job is: its sources and the job-wide choices, as plain values.

A job comes from a TOML job file (:mod:`crawler.jobfiles.load`) or from ``--seed``
arguments (:func:`seed_job`, or the spider's ``-a seed=``: :func:`seed_argument_job`); the
spider, the scheduler and the politeness
middleware read the same :class:`JobSpec` either way.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from crawler.discovery.urls import is_http_url, site_of


@dataclass(frozen=True)
class Politeness:
    """How hard one host may be hit; ``None`` leaves the crawl-wide setting in force."""

    delay: float | None = None  # seconds between requests (DOWNLOAD_DELAY)
    concurrency: int | None = None  # requests in flight (CONCURRENT_REQUESTS_PER_DOMAIN)


@dataclass(frozen=True)
class Source:
    """One publication: where to start, what belongs to it and how far to go."""

    name: str
    seeds: tuple[str, ...] = ()
    # Hosts whose pages belong to the source ("example.com" also covers its
    # subdomains; "127.0.0.1:8080" only that port); empty: the seeds' hosts.
    allowed_domains: tuple[str, ...] = ()
    include: tuple[str, ...] = ()  # regular expressions; a followed URL must match one
    exclude: tuple[str, ...] = ()  # regular expressions; a URL matching one is never followed
    feeds: tuple[str, ...] = ()
    discover_feeds: bool = True  # follow <link rel="alternate"> feeds of listing pages
    sitemaps: tuple[str, ...] = ()
    discover_sitemaps: bool = True  # read the Sitemap: lines of robots.txt
    max_pages: int | None = None
    max_depth: int | None = None
    since: datetime | None = None  # feed and sitemap entries older than this are skipped
    politeness: Politeness = field(default_factory=Politeness)
    # Which page requisites to fetch (crawler.requisites.policy.MODES); None: the job's.
    requisites: str | None = None
    # How often the source is due, in seconds (crawler.sourcedue); None: every run.
    every: float | None = None

    @property
    def domains(self) -> tuple[str, ...]:
        if self.allowed_domains:
            return self.allowed_domains
        starts = self.seeds or (*self.feeds, *self.sitemaps)
        return tuple(dict.fromkeys(site_of(url) for url in starts))


@dataclass(frozen=True)
class JobSpec:
    """A whole job: its sources plus job-wide identity, output and limits."""

    sources: tuple[Source, ...]
    name: str | None = None  # None: the job file's stem, or the first seed's host
    user_agent: str | None = None
    contact: str | None = None
    out: str | None = None
    store: str | None = None
    endpoint_url: str | None = None
    max_pages: int | None = None
    max_duration: float | None = None  # seconds a run may take (CRAWL_MAX_DURATION)
    redis: str | None = None  # a distributed crawl's Redis (REDIS_URL)
    # Private addresses, ranges or hosts the crawl may connect to besides the hosts
    # the job names (EGRESS_ALLOW; crawler.egress.policy). Never a widening of scope.
    egress_allow: tuple[str, ...] = ()
    # Page requisites (crawler.requisites): which to fetch, and hosts never to fetch them
    # from besides the shipped ad and tracking hosts.
    requisites: str = "all"
    requisites_exclude: tuple[str, ...] = ()
    politeness: Politeness = field(default_factory=Politeness)
    settings: Mapping[str, Any] = field(default_factory=dict)
    path: Path | None = None  # the job file, when there is one

    @property
    def seeds(self) -> list[str]:
        return [seed for source in self.sources for seed in source.seeds]

    @property
    def start_urls(self) -> list[str]:
        """Every URL the crawl starts from: seeds, listed feeds and listed sitemaps."""
        return [url for s in self.sources for url in (*s.seeds, *s.feeds, *s.sitemaps)]

    def source(self, name: str) -> Source | None:
        return next((s for s in self.sources if s.name == name), None)

    @property
    def has_intervals(self) -> bool:
        """Some source is due only every so often (``every``; crawler.sourcedue)."""
        return any(source.every for source in self.sources)


def host_job_name(url: str) -> str:
    """A job name from a URL's host: ``www.example.co.uk:8080`` -> ``example.co.uk-8080``."""
    host = urlsplit(url).netloc.lower().removeprefix("www.")
    return re.sub(r"[^a-z0-9.]+", "-", host).strip("-.") or "news"


def seed_job(seeds: Sequence[str], name: str | None = None) -> JobSpec:
    """The job ``newsarchive crawl --seed URL ...`` runs: one source, every seed's host."""
    source_name = host_job_name(seeds[0]) if seeds else "seeds"
    return JobSpec(sources=(Source(name=source_name, seeds=tuple(seeds)),), name=name)


def parse_seeds(value: str | list[str] | None) -> list[str]:
    """Seeds from a spider argument: a list, or one string with commas or spaces."""
    if not value:
        return []
    if isinstance(value, str):
        value = value.replace(",", " ").split()
    return [v.strip() for v in value if v.strip()]


def seed_argument_job(value: str | list[str] | None) -> JobSpec:
    """The job of ``scrapy crawl news -a seed=...``; ValueError without a usable seed."""
    seeds = parse_seeds(value)
    if not seeds:
        raise ValueError("NewsSpider needs at least one seed: -a seed=https://example.com/ "
                         "or a job file: -a jobfile=jobs/example.toml")
    bad = [s for s in seeds if not is_http_url(s)]
    if bad:
        raise ValueError(f"seed is not an http(s) URL: {bad[0]}")
    return seed_job(seeds)
