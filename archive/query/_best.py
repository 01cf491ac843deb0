"""A search's best few matches (``--search`` with a ``--limit`` of up to 1,000), read
in two steps: which captures they are, then those captures whole.

Read in one step, the ``articles`` view decodes every article's body before the join
with the hits keeps a few. The first step instead weighs only the articles of the best
hits: the latest-version rule and any other filter need every capture of those
articles and nothing else. A plain search (no other filter, nothing suppressed) is
worked out from what the search index stores of each capture (its article, version,
fetch and publication times); any other query runs the view's SQL over the parts the
index finds those articles in. The second step reads each best capture from its part at
the row the index places it in (DuckDB decodes only the row group holding it).

The first step takes as many articles as rows wanted, then twice as many while the
filters leave too few rows, or while a row scores below the hits taken (an article
whose best hit is an older version: an article left out may rank above its latest),
until every hit has been taken.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from archive.query._sql import (
    articles_select_sql,
    captures_sql,
    rows_sql,
    sql_string,
    with_published_at,
)
from archive.query.articleindex import is_article_index
from archive.query.result import QueryResult
from archive.query.sources import ArticleFiles
from archive.search.jobindex import CAPTURE_ID_SQL, part_name
from archive.search.searching import Hits, StoredCapture

if TYPE_CHECKING:
    from archive.query.articles import ArticleQuery

# (url, capture number, score) of one best match, and where each capture is.
Best = tuple[str, int, float]
Places = dict[int, tuple[str, int]]


def best_matches(query: ArticleQuery, columns: list[str], order: str, limit: int,
                 listed: str) -> QueryResult:
    """The ``limit`` best matches with ``columns`` (``listed``: them as SQL), in
    ``order``."""
    if _plain(query):
        best, places = _best_from_index(query, query.hits, limit)
    else:
        best = _best_from_view(query, order, limit)
        places = query.hits.places([capture for _, capture, _ in best])
    if not best:
        return QueryResult(query, f"SELECT {listed} FROM articles LIMIT 0", columns)
    ranks = ", ".join(f"({capture}::UBIGINT, {score!r}::DOUBLE, {rank})"
                      for rank, (_, capture, score) in enumerate(best))
    return QueryResult(query, (
        f"SELECT {listed} FROM ({with_published_at(_rows_of(query, best, places))}) "
        f"AS found JOIN (VALUES {ranks}) AS best(capture, score, rank) "
        f"ON best.capture = {CAPTURE_ID_SQL} ORDER BY best.rank"), columns)


def _plain(query: ArticleQuery) -> bool:
    """A search with no other filter (but jobs, which chose the indexes searched)."""
    filters = query.filters
    return not (filters.since or filters.until or filters.author or filters.languages
                or filters.text or filters.regex or filters.url_contains
                or filters.all_versions or filters.changed or filters.as_of
                or filters.collapse_duplicates or query.hidden)


def _best_from_index(query: ArticleQuery, hits: Hits,
                     limit: int) -> tuple[list[Best], Places]:
    """The first step of a plain search: each article's latest version picked from the
    index's stored captures (the view's rule: the highest version, the newest fetch
    among equals), kept when it is a hit, ordered as the view orders (by DuckDB, so
    the publication times compare as the view's do)."""
    score_of = dict(zip(hits.captures, hits.scores, strict=True))
    held = {part_name(path) for path in [*query.files.parquet, *query.files.jsonl]}
    wanted = limit
    while True:
        every = wanted >= len(hits)
        articles, lowest = hits.best_articles(len(hits) if every else wanted)
        latest: dict[tuple[int, str], StoredCapture] = {}
        for stored in hits.captures_of(articles):
            if stored.part not in held:
                continue  # a part the query does not read (taken out of the archive)
            key = (stored.job, stored.article)
            if key not in latest or _newer(stored, latest[key]):
                latest[key] = stored
        rows = [stored for stored in latest.values() if stored.capture in score_of]
        best = _ordered(query, rows, score_of, limit)
        if every or (len(best) == limit and best[-1][2] >= round(lowest, 4)):
            return best, {stored.capture: (stored.part, stored.row) for stored in rows}
        wanted *= 2


def _newer(one: StoredCapture, other: StoredCapture) -> bool:
    return (one.version, one.fetched_at) > (other.version, other.fetched_at)


def _ordered(query: ArticleQuery, rows: list[StoredCapture], score_of: dict[int, float],
             limit: int) -> list[Best]:
    if not rows:
        return []
    values = ", ".join(
        f"({sql_string(row.url or '')}, {row.capture}::UBIGINT, "
        f"round({score_of[row.capture]!r}::DOUBLE, 4), "
        f"{sql_string(row.published) if row.published is not None else 'NULL'})"
        for row in rows)
    return query.execute(
        f"SELECT url, capture, score FROM (VALUES {values}) AS hit(url, capture, score, "
        f"published) ORDER BY score DESC, TRY_CAST(published AS TIMESTAMPTZ) DESC "
        f"NULLS LAST, url LIMIT {limit}").fetchall()


def _best_from_view(query: ArticleQuery, order: str, limit: int) -> list[Best]:
    """The first step of any other search: the view's SQL over the captures of the
    best hits' articles, read from the parts the index finds them in."""
    wanted = limit
    while True:
        every = wanted >= len(query.hits)
        articles, lowest = query.hits.best_articles(wanted)
        files = query.files if every else _files_holding(query, articles)

        def statement(by_name: bool, articles: set[str] = articles,
                      files: ArticleFiles = files, every: bool = every) -> str:
            view = "articles" if every else (
                "(" + articles_select_sql(files, query.filters, by_name=by_name,
                                          hidden=query.hidden, articles=articles) + ")")
            return (f"SELECT url, {CAPTURE_ID_SQL} AS capture, score FROM {view} "
                    f"AS found{order} LIMIT {limit}")

        best = query.execute(statement).fetchall()
        # The view's scores are rounded to 4 places: compared as such.
        if every or (len(best) == limit and best[-1][2] >= round(lowest, 4)):
            return best
        wanted *= 2


def _files_holding(query: ArticleQuery, articles: set[str]) -> ArticleFiles:
    """The query's files holding a capture of any of ``articles`` (every capture of
    them: the index holds every part the query reads)."""
    parts = {stored.part for stored in query.hits.captures_of(articles)}
    files = query.files
    holding = replace(files, parquet=[p for p in files.parquet if part_name(p) in parts],
                      jsonl=[p for p in files.jsonl if part_name(p) in parts])
    return holding or files


def _rows_of(query: ArticleQuery, best: list[Best], places: Places) -> str:
    """The captures ``best``, whole: each Parquet index read at the rows the search
    index places them in; a part not indexed in Parquet yet, or a capture not placed,
    found by URL. The join on the capture number keeps only the very captures asked
    for."""
    paths = {part_name(path): path for path in [*query.files.jsonl, *query.files.parquet]}
    rows: defaultdict[Path, set[int]] = defaultdict(set)
    by_url: set[str] = set()
    for url, capture, _ in best:
        part, row = places.get(capture, ("", 0))
        path = paths.get(part)
        if path is not None and is_article_index(path):
            rows[path].add(row)
        else:
            by_url.add(url)
    sources = [rows_sql(rows)] if rows else []
    if by_url:
        # Read by name: the first step may have read no file at all, or only narrow
        # columns, which an older index has too.
        urls = ", ".join(sql_string(url) for url in sorted(by_url))
        sources.append(f"SELECT * FROM ({captures_sql(query.files, by_name=True)}) "
                       f"WHERE url IN ({urls})")
    return " UNION ALL BY NAME ".join(sources)

