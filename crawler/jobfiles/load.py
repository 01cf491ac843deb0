"""Read and check a TOML job file into a :class:`~crawler.jobfiles.spec.JobSpec`.

Everything is checked before anything runs; the first problem is reported as
one :class:`JobFileError` line naming the file, the key and the fix::

    jobs/city.toml: sources[1].since: expected a date like 2025-01-01, got 'last week'

The format is documented with examples in README.md ("Job files") and jobs/.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any, TypeVar

from archive.errors import ArchiveError
from archive.layout import check_job_name
from archive.state.redisconn import redis_url_problem
from crawler.discovery.scope import DomainMatcher
from crawler.discovery.urls import is_http_url
from crawler.egress.policy import parse_allowance
from crawler.jobfiles.duration import parse_duration
from crawler.jobfiles.settingcheck import setting_problem
from crawler.jobfiles.spec import JobSpec, Politeness, Source
from crawler.requisites.policy import MODES as REQUISITE_MODES
from crawler.storage import SECRET_SETTINGS

T = TypeVar("T")

JOB_KEYS = {"name", "user_agent", "contact", "out", "store", "endpoint_url", "max_pages",
            "max_duration", "every", "egress_allow", "requisites", "requisites_exclude",
            "redis", "politeness", "settings", "sources"}
SOURCE_KEYS = {"name", "seeds", "allowed_domains", "include", "exclude", "feeds",
               "discover_feeds", "sitemaps", "discover_sitemaps", "max_pages", "max_depth",
               "since", "politeness", "requisites", "every"}
POLITENESS_KEYS = {"delay", "concurrency"}
_SOURCE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_DOMAIN = re.compile(r"^(?:\[[0-9a-f:]+\]|[a-z0-9]([a-z0-9.-]*[a-z0-9])?)(?::\d{1,5})?$", re.I)
_SETTING_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")


class JobFileError(ValueError):
    """A job file that cannot be run; the message is the whole one-line report."""


def load_job_file(path: str | Path) -> JobSpec:
    """Parse and check ``path``; raise :class:`JobFileError` on the first problem."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise JobFileError(f"{path}: no such job file (see jobs/ for examples)") from None
    except IsADirectoryError:
        raise JobFileError(f"{path}: is a directory; give a job file in it "
                           "(NAME.toml)") from None
    except OSError as exc:
        raise JobFileError(f"{path}: cannot read the job file: {exc.strerror}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise JobFileError(f"{path}: not UTF-8 text; save the job file as UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise JobFileError(f"{path}: invalid TOML: {exc}") from None
    return parse_job(data, path)


def parse_job(data: Mapping[str, Any], path: Path) -> JobSpec:
    """The job a parsed TOML document describes (``path`` names it in messages)."""
    keys = _Checker(path)
    keys.known(data, JOB_KEYS, "")
    name = keys.optional(data, "name", "", str)
    if name is not None:
        try:
            check_job_name(name)
        except ArchiveError as exc:
            raise keys.error("name", str(exc)) from None
    sources_raw = data.get("sources")
    if not sources_raw:
        raise keys.error("sources", "no sources: add at least one [[sources]] table with "
                         'name and seeds, e.g. seeds = ["https://news.example/"]')
    if not isinstance(sources_raw, list) or not all(isinstance(s, dict) for s in sources_raw):
        raise keys.error("sources", "expected [[sources]] tables")
    every = keys.duration(data, "every", "")
    sources = tuple(keys.source(raw, f"sources[{i}]", every)
                    for i, raw in enumerate(sources_raw))
    seen: set[str] = set()
    for i, source in enumerate(sources):
        if source.name in seen:
            raise keys.error(f"sources[{i}].name",
                             f"two sources are named {source.name!r}; give each its own name")
        seen.add(source.name)
    return JobSpec(
        sources=sources,
        name=name,
        user_agent=keys.optional(data, "user_agent", "", str, nonempty=True),
        contact=keys.optional(data, "contact", "", str, nonempty=True),
        out=keys.optional(data, "out", "", str, nonempty=True),
        store=keys.optional(data, "store", "", str, nonempty=True),
        endpoint_url=keys.url(data, "endpoint_url", ""),
        max_pages=keys.count(data, "max_pages", ""),
        max_duration=keys.duration(data, "max_duration", ""),
        redis=keys.redis(data, "redis", ""),
        egress_allow=keys.strings(data, "egress_allow", "", keys.egress),
        requisites=keys.requisites(data, "") or "all",
        requisites_exclude=keys.strings(data, "requisites_exclude", "", keys.domain),
        politeness=keys.politeness(data, ""),
        settings=keys.settings(data),
        path=path,
    )


class _Checker:
    """Type and range checks whose errors name the file and the key's full path."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def error(self, key: str, problem: str) -> JobFileError:
        return JobFileError(f"{self.path}: {key}: {problem}" if key else f"{self.path}: {problem}")

    def known(self, table: Mapping[str, Any], allowed: set[str], where: str) -> None:
        for key in table:
            if key not in allowed:
                close = difflib.get_close_matches(key, sorted(allowed), n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else \
                    f" (known keys: {', '.join(sorted(allowed))})"
                raise self.error(_join(where, key), f"unknown key{hint}")

    def optional(self, table: Mapping[str, Any], key: str, where: str, kind: type[T], *,
                 nonempty: bool = False) -> T | None:
        if key not in table:
            return None
        value = table[key]
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            raise self.error(_join(where, key),
                             f"expected {_KIND_NAMES[kind]}, got {_show(value)}")
        if nonempty and isinstance(value, str) and not value.strip():
            raise self.error(_join(where, key), "is empty; give a value or leave the key out")
        return value

    def count(self, table: Mapping[str, Any], key: str, where: str) -> int | None:
        value = self.optional(table, key, where, int)
        if value is not None and value < 1:
            raise self.error(_join(where, key), f"must be at least 1, got {value}")
        return value

    def url(self, table: Mapping[str, Any], key: str, where: str) -> str | None:
        value = self.optional(table, key, where, str, nonempty=True)
        if value is not None and not is_http_url(value.strip()):
            raise self.error(_join(where, key), f"expected an http:// or https:// URL with a "
                             f"host, got {value!r}")
        return value.strip() if value is not None else None

    def duration(self, table: Mapping[str, Any], key: str, where: str) -> float | None:
        if key not in table:
            return None
        value = table[key]
        try:
            if not isinstance(value, str | int | float):
                raise ValueError(f"expected a duration such as \"15m\", got {_show(value)}")
            return parse_duration(value)
        except ValueError as exc:
            raise self.error(_join(where, key), str(exc)) from None

    def redis(self, table: Mapping[str, Any], key: str, where: str) -> str | None:
        value = self.optional(table, key, where, str, nonempty=True)
        if value is not None and (problem := redis_url_problem(value.strip(), "the URL")):
            raise self.error(_join(where, key), problem)
        return value.strip() if value is not None else None

    def strings(self, table: Mapping[str, Any], key: str, where: str,
                check: Callable[[str, str], str] | None = None) -> tuple[str, ...]:
        if key not in table:
            return ()
        values = table[key]
        if isinstance(values, str):
            raise self.error(_join(where, key),
                             f'expected a list, e.g. {key} = ["{values}"]')
        if not isinstance(values, list):
            raise self.error(_join(where, key), f"expected a list of strings, got {_show(values)}")
        out = []
        for i, value in enumerate(values):
            item = f"{_join(where, key)}[{i}]"
            if not isinstance(value, str) or not value.strip():
                raise self.error(item, f"expected a non-empty string, got {_show(value)}")
            out.append(check(value.strip(), item) if check else value.strip())
        return tuple(dict.fromkeys(out))

    def http_url(self, value: str, where: str) -> str:
        if not is_http_url(value):
            raise self.error(where, f"expected an http:// or https:// URL with a host, got "
                             f"{value!r}")
        return value

    def egress(self, value: str, where: str) -> str:
        try:
            parse_allowance(value)
        except ValueError as exc:
            raise self.error(where, f"{exc}; expected a range (10.0.0.0/8), an address or "
                             "a host, with or without a port (cdn.internal:8443)") from None
        return value

    def regex(self, value: str, where: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise self.error(where, f"invalid regular expression {value!r}: {exc}") from None
        return value

    def domain(self, value: str, where: str) -> str:
        if "://" in value or "/" in value:
            host = value.split("://", 1)[-1].split("/", 1)[0]
            raise self.error(where, f"expected a host name such as {host!r}, not a URL "
                             f"({value!r})")
        if not _DOMAIN.match(value):
            raise self.error(where, f"expected a host name such as 'news.example' or "
                             f"'127.0.0.1:8080', got {value!r}")
        return value.lower().removeprefix("www.")

    def since(self, table: Mapping[str, Any], where: str) -> datetime | None:
        if "since" not in table:
            return None
        value = table["since"]
        if isinstance(value, str):
            try:
                value = datetime.fromisoformat(value.strip())
            except ValueError:
                raise self.error(_join(where, "since"), f"expected a date like 2025-01-01, got "
                                 f"{value!r}") from None
        if isinstance(value, datetime):
            return value if value.tzinfo else value.replace(tzinfo=UTC)
        if isinstance(value, date):
            return datetime.combine(value, time(0), tzinfo=UTC)
        raise self.error(_join(where, "since"),
                         f"expected a date like 2025-01-01, got {_show(value)}")

    def politeness(self, table: Mapping[str, Any], where: str) -> Politeness:
        raw = table.get("politeness", {})
        key = _join(where, "politeness")
        if not isinstance(raw, dict):
            raise self.error(key, "expected a table: [politeness] with delay and concurrency")
        self.known(raw, POLITENESS_KEYS, key)
        delay = raw.get("delay")
        if delay is not None and (isinstance(delay, bool) or not isinstance(delay, int | float)
                                  or delay < 0):
            raise self.error(_join(key, "delay"),
                             f"expected seconds between requests (0 or more), got {_show(delay)}")
        return Politeness(
            delay=None if delay is None else float(delay),
            concurrency=self.count(raw, "concurrency", key),
        )

    def settings(self, data: Mapping[str, Any]) -> dict[str, Any]:
        raw = data.get("settings", {})
        if not isinstance(raw, dict):
            raise self.error("settings", "expected a table: [settings] with NAME = value lines")
        for name in raw:
            where = f"settings.{name}"
            if not _SETTING_NAME.match(name):
                raise self.error(where, "Scrapy setting names are UPPER_CASE, e.g. "
                                 "DOWNLOAD_TIMEOUT = 60")
            if name in SECRET_SETTINGS:
                raise self.error(where, "credentials do not belong in a job file: set them in "
                                 "the environment or use an AWS profile (AWS_PROFILE)")
            if name in _JOB_KEY_SETTINGS:
                raise self.error(where, f"set it with the job key "
                                 f"{_JOB_KEY_SETTINGS[name]!r} instead")
            if problem := setting_problem(name, raw[name]):
                raise self.error(where, problem.removeprefix(f"{name} "))
        return dict(raw)

    def source(self, raw: Mapping[str, Any], where: str, every: float | None) -> Source:
        self.known(raw, SOURCE_KEYS, where)
        name = self.optional(raw, "name", where, str)
        if name is None:
            raise self.error(_join(where, "name"), 'missing: give each source a name, e.g. '
                             'name = "herald"')
        if not _SOURCE_NAME.match(name):
            raise self.error(_join(where, "name"), f"invalid source name {name!r}: use 1-64 "
                             "letters, digits, '.', '_' or '-', starting with a letter or digit")
        seeds = self.strings(raw, "seeds", where, self.http_url)
        feeds = self.strings(raw, "feeds", where, self.http_url)
        sitemaps = self.strings(raw, "sitemaps", where, self.http_url)
        if not (seeds or feeds or sitemaps):
            raise self.error(_join(where, "seeds"), 'missing: give the home or section pages '
                             'to start from, e.g. seeds = ["https://news.example/"] '
                             "(or feeds or sitemaps)")
        allowed_domains = self.strings(raw, "allowed_domains", where, self.domain)
        if allowed_domains:
            # Feeds and sitemaps may live elsewhere (a CDN); a seed outside the
            # source would leave it nothing to follow.
            matcher = DomainMatcher(allowed_domains)
            for i, url in enumerate(seeds):
                if not matcher.matches(url):
                    raise self.error(f"{where}.seeds[{i}]", f"{url} is not on any of "
                                     f"allowed_domains ({', '.join(allowed_domains)}); "
                                     "add its host there")
        return Source(
            name=name,
            seeds=seeds,
            allowed_domains=allowed_domains,
            include=self.strings(raw, "include", where, self.regex),
            exclude=self.strings(raw, "exclude", where, self.regex),
            feeds=feeds,
            discover_feeds=_true_unless(self.optional(raw, "discover_feeds", where, bool)),
            sitemaps=sitemaps,
            discover_sitemaps=_true_unless(self.optional(raw, "discover_sitemaps", where, bool)),
            max_pages=self.count(raw, "max_pages", where),
            max_depth=self.count(raw, "max_depth", where),
            since=self.since(raw, where),
            politeness=self.politeness(raw, where),
            requisites=self.requisites(raw, where),
            every=self.duration(raw, "every", where) or every,
        )

    def requisites(self, raw: Mapping[str, Any], where: str) -> str | None:
        mode = self.optional(raw, "requisites", where, str)
        if mode is not None and mode not in REQUISITE_MODES:
            raise self.error(_join(where, "requisites"),
                             f"{mode!r} is not one of {', '.join(REQUISITE_MODES)}: "
                             '"all" fetches every page\'s stylesheets, images, fonts and '
                             'scripts, "same-site" only those on the page\'s own site')
        return mode


# Settings that job keys own: one way to say each thing.
_JOB_KEY_SETTINGS = {"ARCHIVE_DIR": "out", "ARCHIVE_JOB": "name", "ARCHIVE_STORE": "store",
                     "AWS_ENDPOINT_URL": "endpoint_url", "USER_AGENT": "user_agent",
                     "ARCHIVE_CONTACT": "contact", "CLOSESPIDER_PAGECOUNT": "max_pages",
                     "REDIS_URL": "redis", "EGRESS_ALLOW": "egress_allow",
                     "CRAWL_MAX_DURATION": "max_duration"}
_KIND_NAMES = {str: "a string", int: "a whole number", bool: "true or false"}


def _true_unless(value: bool | None) -> bool:
    return True if value is None else value


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _show(value: Any) -> str:
    kind = {str: "a string", bool: "a boolean", int: "a number", float: "a number",
            list: "a list", dict: "a table"}.get(type(value), type(value).__name__)
    return f"{kind} ({value!r})" if not isinstance(value, dict | list) else kind
