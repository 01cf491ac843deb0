"""Near-duplicate articles: the same wire story in many outlets, a story republished
under a new URL. Grouped by their texts' fingerprints (:mod:`archive.fingerprint`).

Over the filtered ``articles`` view: every row's fingerprint (computed here for
records older than fingerprints), then locality-sensitive hashing in DuckDB —
each fingerprint cut into ``BANDS`` bands of ``ROWS`` values, and two texts that
agree on a whole band are candidates — then each candidate pair kept when its
fingerprints agree in at least ``threshold`` of their places (the estimated
Jaccard similarity of their word runs), then the pairs joined into groups in
Python (union-find). Identical fingerprints (word-for-word copies) are grouped
before the banding, so a story copied into a thousand outlets costs one row
there, not half a million pairs.

The unit is the article (job, canonical URL), not the capture: versions of one
article are never duplicates of each other. With ``all_versions`` every version
takes part, and two articles are duplicates when any version of one is close to
any version of the other (the copy of a story that its outlet later corrected).
A group's first member, its representative, is the article captured first (its
first capture in the whole archive, whatever the filters), then by URL.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from archive.errors import QueryError
from archive.fingerprint import NUM_PERM, fingerprint

if TYPE_CHECKING:
    from archive.query.articles import ArticleQuery

__all__ = ["DEFAULT_THRESHOLD", "DuplicateGroup", "DuplicateMember", "collapse_duplicates",
           "duplicate_groups", "find_duplicates"]

#: Chosen with bench/duplicates_bench.py: copies with a new intro or ending score
#: 0.7 and more, different stories on one topic under 0.1 (docs/performance.md).
DEFAULT_THRESHOLD = 0.5
BANDS, ROWS = 16, 4  # BANDS * ROWS == NUM_PERM; a pair at 0.5 is a candidate 64% of
# the time, at 0.7 99% (1 - (1 - s**ROWS)**BANDS)
_FINGERPRINT_SQL = "newsarchive_fingerprint"


@dataclass(frozen=True)
class DuplicateMember:
    """One article of a group: its latest version in the view, its first capture."""

    job: str
    canonical_url: str  # the article's (its URL when the page named none)
    url: str
    source: str | None
    title: str | None
    published: str | None
    first_captured: str | None


@dataclass(frozen=True)
class DuplicateGroup:
    """Articles with near-identical texts, the first captured first."""

    members: list[DuplicateMember]

    @property
    def size(self) -> int:
        return len(self.members)

    def to_dict(self) -> dict[str, Any]:
        return {"size": self.size, "members": [asdict(member) for member in self.members]}


def find_duplicates(out: Path | str = "archive-data", *, threshold: float | None = None,
                    min_size: int = 2, limit: int | None = None,
                    **options: Any) -> list[DuplicateGroup]:
    """The groups of near-identical articles among those the filters keep, largest
    first (see :func:`archive.query.open_articles` for the options)."""
    from archive.query.articles import open_articles

    with open_articles(out, **options) as query:
        return duplicate_groups(query, threshold, min_size=min_size, limit=limit)


def duplicate_groups(query: ArticleQuery, threshold: float | None = None, *,
                     min_size: int = 2, limit: int | None = None) -> list[DuplicateGroup]:
    """:func:`find_duplicates` over an open query's ``articles`` view."""
    if isinstance(min_size, bool) or not isinstance(min_size, int) or min_size < 2:
        raise QueryError(f"--min-size {min_size!r}: a group has 2 articles or more")
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int)
                              or limit < 1):
        raise QueryError(f"limit {limit!r}: give a whole number of 1 or more")
    grouped = [group for group in _grouped_articles(query, "articles", threshold)
               if len(group) >= min_size]
    described = _describe(query, grouped)
    described.sort(key=lambda group: (-group.size, group.members[0].first_captured or "",
                                      group.members[0].url))
    return described[:limit] if limit is not None else described


def collapse_duplicates(query: ArticleQuery, threshold: float | None = None) -> None:
    """Make ``articles`` hold one article per group (the first captured), with a
    ``duplicates`` column: ``count`` of the others, their ``sources`` and ``urls``.
    Over the view ``uncollapsed_articles``, which the query has made."""
    from archive.query.articles import UNCOLLAPSED_VIEW

    groups = _describe(query, _grouped_articles(query, UNCOLLAPSED_VIEW, threshold))
    jobs, keys, hidden, counts, sources, urls = [], [], [], [], [], []
    for group in groups:
        first, *others = group.members
        for member in group.members:
            jobs.append(member.job)
            keys.append(member.canonical_url)
            hidden.append(member is not first)
            counts.append(len(others) if member is first else 0)
            sources.append([other.source or "" for other in others] if member is first else [])
            urls.append([other.url for other in others] if member is first else [])
    # Lists handed to DuckDB as parameters (the connection's own execute: no view read).
    query.connection.execute(
        "CREATE OR REPLACE TEMP TABLE duplicate_info AS SELECT unnest($1::VARCHAR[]) AS job, "
        "unnest($2::VARCHAR[]) AS article, unnest($3::BOOLEAN[]) AS hidden, "
        "unnest($4::INTEGER[]) AS count, unnest($5::VARCHAR[][]) AS sources, "
        "unnest($6::VARCHAR[][]) AS urls", [jobs, keys, hidden, counts, sources, urls])
    query.execute(
        "CREATE OR REPLACE TEMP VIEW articles AS SELECT capture.*, {'count': "
        "coalesce(info.count, 0), 'sources': coalesce(info.sources, []::VARCHAR[]), "
        "'urls': coalesce(info.urls, []::VARCHAR[])} AS duplicates "
        f"FROM {UNCOLLAPSED_VIEW} AS capture LEFT JOIN duplicate_info AS info "
        "ON info.job = capture.job AND info.article = coalesce(capture.canonical_url, "
        "capture.url) WHERE info.hidden IS NOT TRUE")


def _grouped_articles(query: ArticleQuery, view: str,
                      threshold: float | None) -> list[list[int]]:
    """Groups of two or more articles (their numbers in the temp table
    ``duplicate_articles``), each group's articles in no particular order."""
    from archive.query._filters import check_threshold

    share = check_threshold(threshold) or DEFAULT_THRESHOLD
    _register_fingerprint(query)
    # Each row of the view: its article, and its fingerprint (made now when the record
    # has none, or one of another length: an older archive's).
    query.execute(
        "CREATE OR REPLACE TEMP TABLE duplicate_rows AS SELECT job, "
        "coalesce(canonical_url, url) AS article, coalesce(version, 0) AS version, url, "
        f"source, title, published, CASE WHEN len(fingerprint) = {NUM_PERM} THEN fingerprint "
        f"ELSE {_FINGERPRINT_SQL}(text) END AS fp FROM {view}")
    query.execute(
        "CREATE OR REPLACE TEMP TABLE duplicate_articles AS SELECT row_number() OVER "
        "(ORDER BY job, article) - 1 AS number, job, article FROM (SELECT DISTINCT job, "
        "article FROM duplicate_rows)")
    query.execute(
        "CREATE OR REPLACE TEMP TABLE duplicate_signatures AS SELECT row_number() OVER () - 1 "
        "AS signature, fp FROM (SELECT DISTINCT fp FROM duplicate_rows WHERE fp IS NOT NULL)")
    # Which articles hold which signature (several: copies word for word).
    holders = query.execute(
        "SELECT DISTINCT s.signature, a.number FROM duplicate_rows AS r "
        "JOIN duplicate_signatures AS s ON s.fp = r.fp "
        "JOIN duplicate_articles AS a ON a.job = r.job AND a.article = r.article").fetchall()
    pairs = query.execute(
        f"WITH bands AS (SELECT signature, band, hash(fp[band * {ROWS} + 1 : band * {ROWS} + "
        f"{ROWS}]) AS h FROM duplicate_signatures, range({BANDS}) AS b(band)), "
        "candidates AS (SELECT DISTINCT one.signature AS one, other.signature AS other "
        "FROM bands AS one JOIN bands AS other ON one.band = other.band AND one.h = other.h "
        "AND one.signature < other.signature) "
        "SELECT c.one, c.other FROM candidates AS c "
        "JOIN duplicate_signatures AS a ON a.signature = c.one "
        "JOIN duplicate_signatures AS b ON b.signature = c.other "
        f"WHERE len(list_filter(range(1, {NUM_PERM + 1}), lambda i: a.fp[i] = b.fp[i])) "
        f">= {share * NUM_PERM}").fetchall()
    return _components(holders, pairs)


def _components(holders: Sequence[tuple[int, int]],
                pairs: Sequence[tuple[int, int]]) -> list[list[int]]:
    """Union-find: articles joined through the signatures they hold and the pairs of
    close signatures; the groups with two articles or more."""
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def root(node: tuple[str, int]) -> tuple[str, int]:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]  # halve the path as we go
            node = parent[node]
        return node

    def join(one: tuple[str, int], other: tuple[str, int]) -> None:
        parent[root(one)] = root(other)

    for signature, article in holders:
        join(("article", article), ("signature", signature))
    for one, other in pairs:
        join(("signature", one), ("signature", other))
    groups: dict[tuple[str, int], list[int]] = {}
    for node in list(parent):
        if node[0] == "article":
            groups.setdefault(root(node), []).append(node[1])
    return [sorted(members) for members in groups.values() if len(members) > 1]


def _describe(query: ArticleQuery, groups: list[list[int]]) -> list[DuplicateGroup]:
    """Each group's members (latest version's URL, source, title; first capture), the
    first captured first."""
    if not groups:
        return []
    numbers = [number for group in groups for number in group]
    labels = [index for index, group in enumerate(groups) for _ in group]
    query.connection.execute(
        "CREATE OR REPLACE TEMP TABLE duplicate_wanted AS SELECT unnest($1::BIGINT[]) AS "
        "number, unnest($2::BIGINT[]) AS grp", [numbers, labels])
    rows = query.execute(
        "WITH members AS (SELECT w.grp, a.job, a.article FROM duplicate_wanted AS w "
        "JOIN duplicate_articles AS a USING (number)), "
        "latest AS (SELECT job, article, arg_max(url, version) AS url, "
        "arg_max(source, version) AS source, arg_max(title, version) AS title, "
        "arg_max(published, version) AS published FROM duplicate_rows GROUP BY ALL), "
        "firsts AS (SELECT job, coalesce(canonical_url, url) AS article, min(fetched_at) "
        f"AS first FROM ({query.captures_sql()}) WHERE (job, coalesce(canonical_url, url)) "
        "IN (SELECT (job, article) FROM members) GROUP BY ALL) "
        "SELECT m.grp, m.job, m.article, l.url, l.source, l.title, l.published, f.first "
        "FROM members AS m JOIN latest AS l USING (job, article) "
        "LEFT JOIN firsts AS f USING (job, article) "
        "ORDER BY m.grp, f.first NULLS LAST, l.url").fetchall()
    described: dict[int, list[DuplicateMember]] = {}
    for grp, *member in rows:
        described.setdefault(grp, []).append(DuplicateMember(*member))
    return [DuplicateGroup(members) for _, members in sorted(described.items())]


def _register_fingerprint(query: ArticleQuery) -> None:
    """``newsarchive_fingerprint(text)`` in SQL, once per connection."""
    import duckdb

    try:
        query.connection.create_function(_FINGERPRINT_SQL, fingerprint, ["VARCHAR"],
                                         "UINTEGER[]", null_handling="special")
    except duckdb.NotImplementedException:
        pass  # made by an earlier call on this connection


def member_lines(group: DuplicateGroup) -> Iterator[str]:
    """A group as text: a heading, then one line per article (raw page text: the
    caller makes it safe for where it prints)."""
    first = group.members[0]
    yield f'{group.size} articles like "{first.title or first.url}"'
    for member in group.members:
        yield (f"  {member.first_captured or '(no capture time)'}  {member.source or member.job}"
               f"  {member.url}  {member.title or ''}").rstrip()
