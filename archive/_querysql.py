"""The SQL behind :mod:`archive.query`: filters checked in Python, then written as SQL.

Filter values are written into the SQL as quoted literals (DuckDB cannot bind
parameters in a view); :func:`sql_string` is the one place that quotes them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from archive.articleindex import ARTICLE_COLUMNS, json_reader_sql
from archive.errors import QueryError
from archive.layout import check_job_name
from archive.querysource import ArticleFiles

# What a query can ask for: the record's fields, and ``published`` parsed (UTC).
FIELDS = (*ARTICLE_COLUMNS, "published_at")
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


@dataclass(frozen=True)
class Filters:
    """What narrows the ``articles`` view. Build with :meth:`make`, which checks it."""

    jobs: tuple[str, ...] = ()
    since: datetime | None = None  # published at or after
    until: datetime | None = None  # published before
    author: str | None = None
    languages: tuple[str, ...] = ()
    text: str | None = None
    regex: str | None = None
    url_contains: str | None = None
    all_versions: bool = False

    @classmethod
    def make(cls, *, job: str | Sequence[str] | None = None, since: str | None = None,
             until: str | None = None, author: str | None = None,
             language: str | Sequence[str] | None = None, text: str | None = None,
             regex: str | None = None, url_contains: str | None = None,
             all_versions: bool = False) -> Filters:
        """Check each filter; a bad one raises QueryError saying what to write instead."""
        jobs = tuple(check_job_name(name) for name in _words(job))
        languages = tuple(_language(code) for code in _words(language))
        start = parse_when(since, "--since") if since else None
        end = parse_when(until, "--until", end_of_day=True) if until else None
        if start and end and start >= end:
            raise QueryError(f"--since {since} is not before --until {until}")
        return cls(jobs, start, end, _nonblank(author, "--author"), languages,
                   _nonblank(text, "--text"), _nonblank(regex, "--regex"),
                   _nonblank(url_contains, "--url-contains"), all_versions)


def parse_when(value: str, option: str, *, end_of_day: bool = False) -> datetime:
    """``2024-06-01`` or an ISO 8601 time (zone optional: UTC); a date as ``--until``
    means the end of that day."""
    text = value.strip()
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise QueryError(f"{option} {value!r} is not a date: write YYYY-MM-DD or an ISO 8601 "
                         "time such as 2024-06-01T12:00:00+02:00") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    if end_of_day and _DATE_ONLY.match(text):
        moment += timedelta(days=1)
    return moment.astimezone(UTC)


def check_fields(fields: Sequence[str] | None) -> list[str]:
    """The record's fields in record order when none are asked for; else the ones
    asked for, each known."""
    if not fields:
        return list(ARTICLE_COLUMNS)
    chosen = [name.strip() for name in fields if name.strip()]
    for name in chosen:
        if name not in FIELDS:
            raise QueryError(f"unknown field {name!r}: choose from {', '.join(FIELDS)}")
    if not chosen:
        raise QueryError("--fields is empty: name one or more fields, e.g. url,title,published")
    return chosen


def articles_view_sql(files: ArticleFiles, filters: Filters) -> str:
    """``CREATE VIEW articles``: every capture or the latest of each, then filtered.

    The latest version is chosen before filtering: an article whose newest
    version no longer says "ferry" must not be found through an older one.
    """
    sources = []
    if files.parquet:
        listed = ", ".join(sql_string(str(path)) for path in files.parquet)
        sources.append(f"SELECT {_columns()} FROM read_parquet([{listed}], union_by_name = true)")
    if files.jsonl:
        sources.append(f"SELECT {_columns()} FROM {json_reader_sql([str(p) for p in files.jsonl])}")
    captures = " UNION ALL BY NAME ".join(sources)
    chosen = f"SELECT *, TRY_CAST(published AS TIMESTAMPTZ) AS published_at FROM ({captures})"
    if not filters.all_versions:
        chosen += (" QUALIFY row_number() OVER (PARTITION BY job, coalesce(canonical_url, url) "
                   "ORDER BY version DESC NULLS LAST, fetched_at DESC) = 1")
    conditions = _conditions(filters)
    where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    return f"CREATE VIEW articles AS SELECT * FROM ({chosen}){where}"


def _conditions(filters: Filters) -> list[str]:
    conditions = []
    if filters.jobs:
        conditions.append(f"job IN ({', '.join(sql_string(j) for j in filters.jobs)})")
    if filters.since:
        conditions.append(f"published_at >= {_timestamp(filters.since)}")
    if filters.until:
        conditions.append(f"published_at < {_timestamp(filters.until)}")
    if filters.author:
        conditions.append("contains(lower(array_to_string(authors, chr(31))), "
                          f"{sql_string(filters.author.lower())})")
    if filters.languages:
        listed = ", ".join(sql_string(code) for code in filters.languages)
        conditions.append(f"lower(language) IN ({listed})")
    if filters.text:
        needle = sql_string(filters.text.lower())
        conditions.append(f"(contains(lower(title), {needle}) OR contains(lower(text), {needle}))")
    if filters.regex:
        pattern = sql_string(filters.regex)
        conditions.append(f"(regexp_matches(title, {pattern}, 'i') "
                          f"OR regexp_matches(text, {pattern}, 'i'))")
    if filters.url_contains:
        needle = sql_string(filters.url_contains)
        conditions.append(f"(contains(url, {needle}) OR contains(canonical_url, {needle}))")
    return conditions


def sql_string(text: str) -> str:
    """``text`` as an SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def _columns() -> str:
    return ", ".join(f'"{name}"' for name in ARTICLE_COLUMNS)


def _timestamp(moment: datetime) -> str:
    return f"TIMESTAMPTZ {sql_string(moment.isoformat())}"


def _words(value: str | Sequence[str] | None) -> list[str]:
    """``"a,b"`` or ``["a", "b,c"]`` as separate words."""
    if value is None:
        return []
    items = [value] if isinstance(value, str) else list(value)
    return [word.strip() for item in items for word in str(item).split(",") if word.strip()]


def _language(code: str) -> str:
    if not _LANGUAGE.match(code):
        raise QueryError(f"--language {code!r} is not a language code: use codes such as "
                         "en, de or pt-BR (comma-separated for several)")
    return code.lower()


def _nonblank(value: Any, option: str) -> str | None:
    if value is None:
        return None
    if not str(value).strip():
        raise QueryError(f"{option} is empty: give it some text, or leave it out")
    return str(value)
