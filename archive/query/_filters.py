"""The filters of a query (:class:`Filters`), each checked in Python: a bad one raises
QueryError saying what to write instead. :mod:`archive.query._sql` writes them as SQL.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from datetime import date as date_
from typing import Any

from archive.errors import QueryError
from archive.layout import check_job_name
from archive.query.asof import AsOf, parse_as_of
from archive.search.syntax import SearchText, parse_search

_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


@dataclass(frozen=True)
class When:
    """A ``--since``/``--until`` bound: a calendar date, compared with the date the page
    gives (in its own time zone, as a reader of that paper saw it), or an instant,
    compared with the moment of publication."""

    date: date_ | None = None
    instant: datetime | None = None


@dataclass(frozen=True)
class Filters:
    """What narrows the ``articles`` view. Build with :meth:`make`, which checks it."""

    jobs: tuple[str, ...] = ()
    since: When | None = None  # published on or after
    until: When | None = None  # published on or before (a date), before (an instant)
    author: str | None = None
    languages: tuple[str, ...] = ()
    text: str | None = None
    regex: str | None = None
    url_contains: str | None = None
    all_versions: bool = False
    changed: bool = False  # only articles captured in more than one version
    as_of: AsOf | None = None  # the archive as it stood at a crawl or a moment
    # One article per group of near-identical texts (archive.query.duplicates), and
    # how alike their texts must be (None: that module's default).
    collapse_duplicates: bool = False
    dup_threshold: float | None = None
    search: SearchText | None = None  # ranked full-text search (archive.query._search)

    @classmethod
    def make(cls, *, job: str | Sequence[str] | None = None, since: str | None = None,
             until: str | None = None, author: str | None = None,
             language: str | Sequence[str] | None = None, text: str | None = None,
             regex: str | None = None, url_contains: str | None = None,
             all_versions: bool = False, changed: bool = False,
             as_of: str | None = None, collapse_duplicates: bool = False,
             dup_threshold: float | None = None, search: str | None = None) -> Filters:
        """Check each filter; a bad one raises QueryError saying what to write instead."""
        jobs = tuple(check_job_name(name) for name in _words(job, "--job"))
        languages = tuple(_language(code) for code in _words(language, "--language"))
        start = parse_when(since, "--since") if since is not None else None
        end = parse_when(until, "--until") if until is not None else None
        if start and end and _before_or_same(end, start):
            raise QueryError(f"--since {since} is after --until {until}: nothing could match")
        return cls(jobs, start, end, _text(author, "--author"), languages,
                   _text(text, "--text"), _text(regex, "--regex"),
                   _text(url_contains, "--url-contains"), bool(all_versions), bool(changed),
                   as_of=parse_as_of(as_of) if as_of is not None else None,
                   collapse_duplicates=bool(collapse_duplicates),
                   dup_threshold=check_threshold(dup_threshold),
                   search=parse_search(search) if search is not None else None)


def parse_when(value: str, option: str) -> When:
    """``2024-06-01`` (a date) or an ISO 8601 time (zone optional: UTC)."""
    text = _text(value, option) or ""
    try:
        if _DATE_ONLY.match(text):
            return When(date=date_.fromisoformat(text))
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return When(instant=moment.astimezone(UTC))
    except (ValueError, OverflowError):
        raise QueryError(f"{option} {value!r} is not a date: write YYYY-MM-DD or an ISO 8601 "
                         "time such as 2024-06-01T12:00:00+02:00") from None


def _before_or_same(end: When, start: When) -> bool:
    if end.date and start.date:
        return end.date < start.date
    if end.instant and start.instant:
        return end.instant <= start.instant
    return False  # a date and an instant: the page's zone decides, so let the query answer


def check_threshold(value: Any) -> float | None:
    """A similarity threshold (``--dup-threshold``): a number above 0, at most 1."""
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if isinstance(value, bool) or not 0 < number <= 1:
        raise QueryError(f"--dup-threshold {value!r}: give a number above 0 and at most 1 "
                         "(the share of their word runs two texts have in common), e.g. 0.5")
    return number


def _words(value: str | Sequence[str] | None, option: str) -> list[str]:
    """``"a,b"`` or ``["a", "b,c"]`` as separate words; an empty value is an error."""
    if value is None:
        return []
    if isinstance(value, str):
        items = [value]
    elif isinstance(value, Sequence) and all(isinstance(item, str) for item in value):
        items = list(value)
    else:
        raise QueryError(f"{option} must be text (or a list of texts), not {value!r}")
    words = [word.strip() for item in items for word in item.split(",") if word.strip()]
    if not words:
        raise QueryError(f"{option} is empty: give one or more values, or leave it out")
    return words


def _language(code: str) -> str:
    if not _LANGUAGE.match(code):
        raise QueryError(f"--language {code!r} is not a language code: use codes such as "
                         "en, de or pt-BR (comma-separated for several)")
    return code.lower()


def _text(value: Any, option: str) -> str | None:
    """A text filter, trimmed; None when not given."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise QueryError(f"{option} must be text, not {value!r}")
    if not value.strip():
        raise QueryError(f"{option} is empty: give it some text, or leave it out")
    return value.strip()
