"""The SQL behind :mod:`archive.query`: the filters (checked in
:mod:`archive.query._filters`) written as SQL, over the captures of the article files.

Filter values are written into the SQL as quoted literals (DuckDB cannot bind
parameters in a view); :func:`sql_string` is the one place that quotes them.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from archive.errors import QueryError
from archive.query._filters import Filters, When
from archive.query._folding import accent_blind_pattern, folded_sql, folded_text_sql
from archive.query._search import searched_view_sql
from archive.query.articleindex import (
    ARTICLE_COLUMNS,
    INDEX_COLUMNS,
    NOT_SHOWN_BY_DEFAULT,
    json_reader_sql,
    sql_string,
)
from archive.query.asof import fetched_cut_sql
from archive.query.sources import ArticleFiles
from archive.query.suppressions import Suppression, hidden_sql

# What a query can ask for: the record's fields, and ``published`` parsed (UTC).
FIELDS = (*ARTICLE_COLUMNS, "published_at")


def check_fields(fields: Sequence[str] | None, extra: Sequence[str] = ()) -> list[str]:
    """The record's fields in record order when none are asked for (but the ones not
    shown by default), then ``extra`` (fields the view adds); else the ones asked
    for, each known."""
    if not fields:
        return [name for name in ARTICLE_COLUMNS if name not in NOT_SHOWN_BY_DEFAULT] + [
            *extra]
    chosen = [name.strip() for name in fields if name.strip()]
    known = (*FIELDS, *extra)
    for name in chosen:
        if name not in known:
            raise QueryError(f"unknown field {name!r}: choose from {', '.join(known)}")
    if not chosen:
        raise QueryError("--fields is empty: name one or more fields, e.g. url,title,published")
    return chosen


def articles_view_sql(files: ArticleFiles, filters: Filters, *, by_name: bool = False,
                      hidden: Sequence[Suppression] = (), name: str = "articles") -> str:
    """``CREATE OR REPLACE VIEW articles`` (or ``name``) as :func:`articles_select_sql`."""
    return (f"CREATE OR REPLACE VIEW {name} AS "
            f"{articles_select_sql(files, filters, by_name=by_name, hidden=hidden)}")


def articles_select_sql(files: ArticleFiles, filters: Filters, *, by_name: bool = False,
                        hidden: Sequence[Suppression] = (),
                        articles: Collection[str] | None = None) -> str:
    """The articles: every capture or the latest of each, filtered.

    ``by_name``: read the Parquet indexes by column name, for archives whose older
    indexes lack columns added since (they come back NULL). ``hidden``: the
    suppressions in force, whose articles the view leaves out. ``articles``: only
    these articles (canonical URL, else URL) and every capture of them, so the latest
    version is still theirs (a search's best few: archive.query.articles)."""
    captures = captures_sql(files, by_name=by_name)
    # --text is checked as each part is read, where it is known whether the part's index
    # holds the folded bodies; it is a test of one capture, like the other filters, so
    # the latest version is still chosen among every capture (of the corpus, below).
    saying = captures_sql(files, by_name=by_name, saying=filters.text) if filters.text else None
    # The corpus first (as of a moment; without suppressed articles): the latest
    # version and --changed are then worked out over what is left.
    cut = [c for c in (fetched_cut_sql(filters.as_of),) if c]
    if articles is not None:
        listed = ", ".join(sql_string(key) for key in sorted(articles)) or "NULL"
        cut.append(f"coalesce(canonical_url, url) IN ({listed})")
    if hidden:
        cut.append(hidden_sql(hidden, captures))
    if cut:
        captures = f"SELECT * FROM ({captures}) WHERE {' AND '.join(cut)}"
        if saying is not None:
            saying = f"SELECT * FROM ({saying}) WHERE {' AND '.join(cut)}"
    return _select_sql(captures, filters, saying)


def captures_sql(files: ArticleFiles, *, by_name: bool = False,
                 saying: str | None = None) -> str:
    """Every capture of ``files`` (one row per article record), unfiltered
    (``by_name``: as for articles_view_sql); with ``saying``, only the captures whose
    title or body says it (``--text``: see :func:`_says`)."""
    text = _TextTest(saying) if saying is not None else None
    sources = []
    if files.parquet:
        listed = ", ".join(sql_string(str(path)) for path in files.parquet)
        # Indexes written with today's ARTICLE_COLUMNS are read by position
        # (union_by_name would open every file's footer to bind each statement: 0.6 s
        # more per query over 5,000 small parts); the caller falls back to by_name
        # when an older index does not match.
        if by_name:
            read = f"SELECT * FROM read_parquet([{listed}], union_by_name = true)"
            sources.append(f"SELECT {_columns()} FROM ({_with_every_column(read)})"
                           + (f" WHERE {text.in_some_indexes()}" if text else ""))
        else:
            # With ``saying``, every index read by position must hold the folded bodies:
            # one without them fails the statement, and the query reads by name instead.
            sources.append(f"SELECT {_columns()} FROM read_parquet([{listed}])"
                           + (f" WHERE {text.in_indexes()}" if text else ""))
    if files.jsonl:
        sources.append(f"SELECT {_columns()} FROM {json_reader_sql([str(p) for p in files.jsonl])}"
                       + (f" WHERE {text.in_records()}" if text else ""))
    return " UNION ALL BY NAME ".join(sources)


def rows_sql(rows: Mapping[Path, Collection[int]]) -> str:
    """The captures at ``rows`` (positions) of some parts' Parquet indexes, read by
    name, like :func:`captures_sql`. Only the row groups holding them are decoded.
    One empty row of the schema for every file: united with each file apart, binding
    cost half the read (60 ms against 40 ms for 20 rows of 20 files)."""
    reads = [f"SELECT * EXCLUDE (file_row_number) FROM read_parquet({sql_string(str(path))}, "
             f"union_by_name = true, file_row_number = true) WHERE file_row_number IN "
             f"({', '.join(str(int(row)) for row in sorted(wanted))})"
             for path, wanted in rows.items()]
    return f"SELECT {_columns()} FROM ({_with_every_column(' UNION ALL BY NAME '.join(reads))})"


def _with_every_column(reads: str) -> str:
    """``reads`` (Parquet indexes read by name) with every column of today's schema, NULL
    where no index has it yet (an archive whose indexes all predate a column): an empty
    row of the schema's types united by name with what the indexes hold."""
    kinds = {**ARTICLE_COLUMNS, **{name: kind for name, (kind, _) in INDEX_COLUMNS.items()}}
    typed = ", ".join(f'NULL::{kind} AS "{name}"' for name, kind in kinds.items())
    return f"SELECT {typed} WHERE false UNION ALL BY NAME {reads}"


def with_published_at(captures: str) -> str:
    """``captures`` with ``published`` parsed as a UTC timestamp, ``published_at``."""
    return f"SELECT *, TRY_CAST(published AS TIMESTAMPTZ) AS published_at FROM ({captures})"


def _select_sql(captures: str, filters: Filters, saying: str | None = None) -> str:
    """The view over ``captures`` (the corpus), of the captures of ``saying`` (those the
    ``--text`` filter keeps, when there is one) that meet the other filters."""
    conditions = _conditions(filters)
    if not filters.all_versions:
        conditions.append(_IS_LATEST.format(captures=captures))
    if filters.changed:
        conditions.append(_HAS_VERSIONS.format(captures=captures))
    where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    view = f"SELECT * FROM ({with_published_at(saying or captures)}) AS capture{where}"
    if filters.search is not None:
        view = searched_view_sql(view)
    return view


# The latest version of each article (one job, one canonical URL): the highest version,
# the newest fetch among equals. Chosen from three narrow columns, not with a window over
# whole records: the window would carry every body through the sort (a third of a --text
# query's time over 100,000 articles). Filters still apply after the choice, so an
# article whose newest version no longer says "ferry" is not found through an older one.
_IS_LATEST = (
    "(job, coalesce(canonical_url, url), coalesce(version, 0), coalesce(fetched_at, '')) IN ("
    "SELECT (job, key, latest.version, latest.fetched_at) FROM ("
    "SELECT job, coalesce(canonical_url, url) AS key, max({{'version': coalesce(version, 0), "
    "'fetched_at': coalesce(fetched_at, '')}}) AS latest FROM ({captures}) GROUP BY ALL))")


# Articles with more than one version, counted over every capture of every file: an
# older part's index cannot know of the versions crawled after it.
_HAS_VERSIONS = (
    "(job, coalesce(canonical_url, url)) IN (SELECT (job, key) FROM ("
    "SELECT job, coalesce(canonical_url, url) AS key FROM ({captures}) GROUP BY ALL "
    "HAVING count(DISTINCT coalesce(version, 0)) > 1))")


def _conditions(filters: Filters) -> list[str]:
    conditions = []
    if filters.jobs:
        conditions.append(f"job IN ({', '.join(sql_string(j) for j in filters.jobs)})")
    if filters.since:
        conditions.append(_bound(filters.since, ">="))
    if filters.until:
        conditions.append(_bound(filters.until, "<"))
    if filters.author:
        conditions.append(f"contains({folded_sql('array_to_string(authors, chr(31))')}, "
                          f"{folded_sql(sql_string(filters.author))})")
    if filters.languages:
        conditions.append("(" + " OR ".join(_language_match(c) for c in filters.languages) + ")")
    # --text is not here: captures_sql checks it as it reads each part.
    if filters.regex:
        pattern = sql_string(filters.regex)
        conditions.append(f"(regexp_matches(title, {pattern}, 'i') "
                          f"OR regexp_matches(text, {pattern}, 'i'))")
    if filters.url_contains:
        needle = sql_string(filters.url_contains)
        conditions.append(f"(contains(url, {needle}) OR contains(canonical_url, {needle}))")
    return conditions


@dataclass(frozen=True)
class _TextTest:
    """``--text``: the title or the body says the phrase, folded (:func:`_says`). Where
    the index holds the body's fold (``text_folded``), the body is not read: the folded
    phrase is looked for in the fold, a literal search that takes half the time of the
    pattern over the body (docs/performance.md)."""

    phrase: str

    @property
    def needle(self) -> str:
        return folded_text_sql(sql_string(self.phrase))

    @property
    def pattern(self) -> str | None:
        return accent_blind_pattern(self.phrase)

    def in_records(self) -> str:
        """Read from JSON Lines: the title or the body."""
        needle, pattern = self.needle, self.pattern
        return f"({_says('title', needle, pattern)} OR {_says('text', needle, pattern)})"

    def in_indexes(self) -> str:
        """Read from indexes that all hold the folded bodies (titles are short: as from
        the records). The body column is not read at all."""
        needle, pattern = self.needle, self.pattern
        return f"({_says('title', needle, pattern)} OR contains(text_folded, {needle}))"

    def in_some_indexes(self) -> str:
        """Read by name from indexes some of which predate the folded bodies: their
        captures have none (NULL, as a NULL body's), and their bodies are searched."""
        needle, pattern = self.needle, self.pattern
        return (f"({_says('title', needle, pattern)} OR CASE WHEN text_folded IS NULL "
                f"THEN {_says('text', needle, pattern)} "
                f"ELSE contains(text_folded, {needle}) END)")

def _columns() -> str:
    return ", ".join(f'"{name}"' for name in ARTICLE_COLUMNS)


def _bound(when: When, operator: str) -> str:
    """``published`` against a bound. An ISO 8601 ``published`` begins with the date
    the page printed, in its own zone; an instant is compared in UTC."""
    if when.date is not None:
        if operator == "<":
            operator = "<="  # --until 2024-06-30 includes the 30th
        return f"TRY_CAST(left(published, 10) AS DATE) {operator} DATE '{when.date.isoformat()}'"
    assert when.instant is not None
    return f"published_at {operator} TIMESTAMPTZ {sql_string(when.instant.isoformat())}"


def _says(column: str, needle: str, pattern: str | None) -> str:
    """``column`` folded (without regard to case or accents: "HÄUSSLER" finds
    "Häußler") holds ``needle`` (the phrase folded, as SQL). ASCII text (as many bytes
    as characters) has no accents to strip, so a case-blind search for the folded
    phrase will do: RE2's, which skips ahead to the phrase's first letter (0.15 s over
    100,000 bodies). Other text is searched with ``pattern``, which finds the phrase in
    it as folding would (archive/query/_folding.py): folding each body costs five times
    more. (Bodies whose index holds their fold are not searched here: :class:`_TextTest`.)"""
    other = (f"regexp_matches({column}, {sql_string(pattern)})" if pattern is not None
             else f"contains({folded_text_sql(column)}, {needle})")
    return (f"CASE WHEN strlen({column}) = length({column}) "
            f"THEN regexp_matches({column}, regexp_escape({needle}), 'i') ELSE {other} END")


def _language_match(code: str) -> str:
    """``de`` finds de and de-AT; ``de-DE`` finds de-DE and a bare de."""
    base = code.split("-")[0]
    return (f"(lower(language) = {sql_string(code)} "
            f"OR starts_with(lower(language), {sql_string(code + '-')}) "
            f"OR lower(language) = {sql_string(base)})")
