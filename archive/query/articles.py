"""Find articles in the archive: filters, SQL, plain rows. The notebook API.

Every query runs in DuckDB over an ``articles`` view of the archive's article
files (Parquet indexes where they exist, JSON Lines otherwise): by default
the latest version of each article, with ``all_versions=True`` every capture.
Filters narrow that view; SQL (``run_sql``) runs over the narrowed view.

    >>> from archive.query import find_articles
    >>> rows = find_articles("archive-data", since="2024-06-01", author="ruiz",
    ...                      text="ferry", fields=["url", "title", "published"])
    >>> rows[0]["title"]
    'Harbour ferry returns after two-year refit'

``store="s3://bucket/prefix"`` (with ``endpoint_url`` for S3-compatible
servers) queries an archive in object storage instead of a local directory.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from archive.errors import QueryError
from archive.query._best import best_matches
from archive.query._filters import Filters
from archive.query._search import SEARCH_COLUMNS, SNIPPET_SQL, prepare_search
from archive.query._sql import (
    articles_view_sql,
    captures_sql,
    check_fields,
    sql_string,
)
from archive.query.asof import corpus_filter, crawls_in_folder, crawls_in_store
from archive.query.cachelimit import cache_max_bytes, mark_used, trim_after_use
from archive.query.result import QueryResult
from archive.query.sources import ArticleFiles, default_cache, local_files, store_files
from archive.query.suppressions import Suppression, SuppressionLog, match_sql
from archive.search.jobindex import job_index_dir
from archive.store.base import ObjectStore, StoreOptions, open_store

__all__ = ["ArticleQuery", "Filters", "QueryResult", "find_articles", "open_articles", "run_sql"]

# Searches asking for at most this many rows read the bodies of those rows only.
_FETCHED_BY_URL = 1000
# The filtered view before --collapse-duplicates keeps one article of each group.
UNCOLLAPSED_VIEW = "uncollapsed_articles"
_QUERY_START = re.compile(r"^\(*\s*(SELECT|WITH|FROM|VALUES|TABLE|SUMMARIZE|DESCRIBE)\b",
                          re.IGNORECASE)
# Query parameters that say where a click came from, not what the page is.
_TRACKING = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid")


class ArticleQuery:
    """A DuckDB connection with the ``articles`` view of some article files."""

    def __init__(self, files: ArticleFiles, filters: Filters | None = None, *,
                 store: ObjectStore | None = None, hidden: Sequence[Suppression] = (),
                 search_root: Path | None = None) -> None:
        import duckdb

        if not files:
            raise QueryError(f"no article files in {files.where}: has a crawl written "
                             "articles there (see --out, --store, --job)?")
        self.files = files
        self.filters = filters or Filters()
        # Where the files came from, when not a local directory: captures are read there.
        self.store = store
        # The suppressions in force (archive.query.suppressions): the view leaves them out.
        self.hidden = list(hidden)
        self._duckdb = duckdb
        self.connection = duckdb.connect()
        # Timestamps without a zone (dates) are read as UTC, whatever the machine's zone.
        self.connection.execute("SET TimeZone = 'UTC'")
        if self.filters.regex is not None:
            self._check_regex(self.filters.regex)
        if self.filters.search is not None:
            # The view joins the search's hits: they must exist before it is created.
            # Its indexes live under search_root (the archive, or the store's cache).
            self.hits = prepare_search(self.connection, files, self.filters.search,
                                        search_root, store=self.store)
        self._by_name = False
        # Collapsed: ``articles`` is a view over this one, made once the groups are known.
        self._view_name = UNCOLLAPSED_VIEW if self.filters.collapse_duplicates else "articles"
        self.execute(self._view_sql)
        if self.filters.collapse_duplicates:
            from archive.query.duplicates import collapse_duplicates

            collapse_duplicates(self, self.filters.dup_threshold)

    def _check_regex(self, pattern: str) -> None:
        try:
            self.connection.execute(f"SELECT regexp_matches('', {sql_string(pattern)})")
        except self._duckdb.Error as exc:
            raise QueryError(f"--regex {pattern!r} is not a valid pattern "
                             f"({_first_line(exc)}); patterns use RE2 syntax") from None

    def execute(self, sql: str | Callable[[bool], str]) -> Any:
        """Run ``sql``, or the statement ``sql(by_name)`` makes (one that reads the parts
        itself, as :func:`articles_select_sql` does); raise QueryError if it fails."""
        make_sql = sql if callable(sql) else lambda _by_name: sql
        try:
            return self.connection.execute(make_sql(self._by_name))
        except self._duckdb.Error as exc:
            if self._by_name or not _older_index(exc):
                raise QueryError(_first_line(exc)) from None
        # An index from before a column was added: read every index by name instead (once
        # per query object): the view again, then the statement.
        self._by_name = True
        self.execute(self._view_sql)
        return self.execute(make_sql(True))

    def _view_sql(self, by_name: bool) -> str:
        return articles_view_sql(self.files, self.filters, by_name=by_name,
                                 hidden=self.hidden, name=self._view_name)

    def select(self, fields: Sequence[str] | None = None,
               limit: int | None = None) -> QueryResult:
        """The filtered articles, newest published first (undated ones last), a URL's
        versions newest first; with a search, best match first, and its ``score`` and
        ``snippet`` among the fields."""
        searching = self.filters.search is not None
        extra = [*(["duplicates"] if self.filters.collapse_duplicates else []),
                 *(SEARCH_COLUMNS if searching else [])]
        columns = check_fields(fields, extra)
        order = (" ORDER BY " + ("score DESC, " if searching else "")
                 # versions last: with all versions, a URL's rows tie on the rest,
                 # and tied rows come in whatever order DuckDB's threads finish
                 + "published_at DESC NULLS LAST, url, version DESC NULLS LAST")
        limited = f" LIMIT {_check_limit(limit)}" if limit is not None else ""
        if searching and limit is not None and limit <= _FETCHED_BY_URL \
                and not self.filters.collapse_duplicates:
            return best_matches(self, columns, order, limit, _listed(columns))
        if searching and "snippet" in columns:
            # Snippets cut after the ranking and the limit: only for the rows returned
            # (cut for every hit, 5,000 of them took 2 s).
            return QueryResult(self, f"SELECT {_listed(columns)} FROM (SELECT * EXCLUDE (snippet) "
                               f"FROM articles{order}{limited}) AS best{order}", list(columns))
        sql = f"SELECT {', '.join(_quote(c) for c in columns)} FROM articles{order}{limited}"
        return QueryResult(self, sql, list(columns))

    def sql(self, statement: str, limit: int | None = None) -> QueryResult:
        """Run ``statement`` (a SELECT over ``articles``); raise QueryError if it fails."""
        statement = statement.strip().rstrip(";").strip()
        if not statement:
            raise QueryError("empty --sql: give a query such as "
                             "\"SELECT language, count(*) FROM articles GROUP BY 1\"")
        if not _QUERY_START.match(statement):
            raise QueryError(f"--sql runs one query (SELECT, WITH, FROM ...), not "
                             f"{statement.split()[0].upper()}: the archive is read-only here")
        sql = f"SELECT * FROM ({statement})"
        if limit is not None:
            sql += f" LIMIT {_check_limit(limit)}"
        cursor = self.execute(f"DESCRIBE {sql}")
        columns = [row[0] for row in cursor.fetchall()]
        return QueryResult(self, sql, columns)

    def captures_sql(self) -> str:
        """Every capture of the query's files, before any filter (a table expression)."""
        return captures_sql(self.files, by_name=self._by_name)

    def find_url(self, url: str, version: int | None = None) -> list[dict[str, Any]]:
        """The articles whose URL or canonical URL is ``url`` (see :func:`url_variants`),
        best match first: the URL as given, then the newest version and fetch. With
        ``version``, only that version (the view must hold every version)."""
        listed = ", ".join(sql_string(v) for v in url_variants(url))
        where = f"(url IN ({listed}) OR canonical_url IN ({listed}))"
        if version is not None:
            where += f" AND version = {_check_limit(version)}"
        result = self.sql(f"SELECT * EXCLUDE (published_at, fingerprint) FROM articles "
                          f"WHERE {where} ORDER BY url = {sql_string(url)} DESC, "
                          "version DESC NULLS LAST, fetched_at DESC")
        return list(result.rows())

    def suppression_for(self, url: str, job: str | None = None) -> Suppression | None:
        """The suppression in force that hides the article at ``url``, if one does."""
        variants = url_variants(url)
        return next((entry for entry in reversed(self.hidden)
                     if entry.covers(variants, job)), None)

    def hidden_captures(self) -> list[dict[str, Any]]:
        """``job``, ``url``, ``canonical_url`` and ``warc`` of every capture of every
        suppressed article (as of no moment: replay and export leave them all out)."""
        if not self.hidden:
            return []
        captures = captures_sql(self.files, by_name=self._by_name)
        key = "(coalesce(job, ''), coalesce(canonical_url, url, ''))"
        result = self.sql(f"SELECT job, url, canonical_url, warc FROM ({captures}) WHERE {key} "
                          f"IN (SELECT {key} FROM ({captures}) WHERE {match_sql(self.hidden)})")
        return list(result.rows())

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> ArticleQuery:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def open_articles(out: Path | str = "archive-data", *, store: str | None = None,
                  endpoint_url: str | None = None, cache: Path | None = None,
                  cache_max: int | None = None, **filters: Any) -> ArticleQuery:
    """An :class:`ArticleQuery` over a local archive (``out``) or a ``store``.

    ``filters`` are the fields of :class:`Filters` (job, since, until, author,
    language, text, regex, url_contains, all_versions, changed, as_of,
    collapse_duplicates, dup_threshold, search). Suppressed articles
    (:mod:`archive.query.suppressions`) are never in the view.
    ``search="words or \"a phrase\""`` ranks the articles by relevance (BM25) and adds
    ``score`` and ``snippet``; its index is kept in ``search/JOB/`` under ``out`` (or
    under the cache, for a store) and brought up to date with the parts read.
    A store's files are fetched into ``cache``, then the cache is trimmed to
    ``cache_max`` bytes (default: ``NEWSARCHIVE_CACHE_MAX_BYTES``, else 2 GiB), least
    recently used out, never a file this process uses (archive.query.cachelimit).
    """
    checked = Filters.make(**filters)
    if store:
        limit = cache_max_bytes() if cache_max is None else cache_max
        opened = open_store(store, StoreOptions(endpoint_url=endpoint_url))
        cache = cache or default_cache(opened.uri)
        keep = (corpus_filter(checked.as_of, crawls_in_store(opened, cache), opened.uri)
                if checked.as_of else None)
        files = store_files(opened, cache, checked.jobs, keep=keep)
        hidden = SuppressionLog(store=opened, cache=cache).active()
        query = ArticleQuery(files, checked, store=opened, hidden=hidden, search_root=cache)
        for job in {path.parent.name for path in [*files.parquet, *files.jsonl]}:
            if (index := job_index_dir(cache, job)).is_dir():
                mark_used(cache, index)
        trim_after_use(cache, limit)
        return query
    root = Path(out)
    keep = corpus_filter(checked.as_of, crawls_in_folder(root), str(root)) \
        if checked.as_of else None
    return ArticleQuery(local_files(root, checked.jobs, keep=keep), checked,
                        hidden=SuppressionLog(root).active(), search_root=root)


def find_articles(out: Path | str = "archive-data", *, fields: Sequence[str] | None = None,
                  limit: int | None = None, **options: Any) -> list[dict[str, Any]]:
    """The matching articles as plain dicts (see :func:`open_articles` for options)."""
    with open_articles(out, **options) as query:
        return list(query.select(fields, limit).rows())


def run_sql(statement: str, out: Path | str = "archive-data",
            **options: Any) -> list[dict[str, Any]]:
    """Rows of ``statement``, SQL over the ``articles`` view (filters narrow the view)."""
    with open_articles(out, **options) as query:
        return list(query.sql(statement).rows())


def check_article_url(url: object, finder: str = "newsarchive query --url-contains ...") -> str:
    """``url`` trimmed, when it is an http(s) address; else QueryError saying how to
    find an article's (``finder``: the command that lists them)."""
    if not isinstance(url, str) or not url.strip().lower().startswith(("http://", "https://")):
        raise QueryError(f"{url!r} is not a URL: give the article's http:// or https:// "
                         f"address (find it with `{finder}`)")
    return url.strip()


def url_variants(url: str) -> list[str]:
    """What a reader may paste for an article's URL: with a fragment, tracking
    parameters, an upper-case scheme or host, a trailing slash or none."""
    parts = urlsplit(url.strip())
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                       if not k.lower().startswith(_TRACKING)])
    clean = urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path, query, ""))
    found = {url.strip(), clean}
    for candidate in list(found):
        if "?" not in candidate and "#" not in candidate:
            found |= {candidate.rstrip("/"), candidate.rstrip("/") + "/"}
    return sorted(found)


def _listed(columns: Sequence[str]) -> str:
    """The columns of a searched query, the snippet cut from each row's body."""
    return ", ".join(SNIPPET_SQL + " AS snippet" if c == "snippet" else _quote(c)
                     for c in columns)


def _check_limit(limit: int) -> int:
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise QueryError(f"limit {limit!r}: give a whole number of 1 or more")
    return limit


def _quote(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'


def _older_index(exc: BaseException) -> bool:
    """DuckDB's words for Parquet files whose columns differ from the first file's."""
    message = str(exc)
    return "schema mismatch" in message or (
        "Referenced column" in message and "not found" in message)


def _first_line(exc: BaseException) -> str:
    """DuckDB's message without the SQL it quotes (which is ours, not the user's)."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__
