"""Find articles in the archive: filters, SQL, plain rows (the notebook API), the
Parquet index beside each article part, the files a query reads and its output formats.

    >>> from archive.query import find_articles
    >>> rows = find_articles("archive-data", author="ruiz", fields=["url", "title"])
    >>> cited = find_articles("archive-data", as_of="20240620T090000Z")  # a fixed corpus
    >>> groups = find_duplicates("archive-data", since="2024-06-01", min_size=3)
"""

from __future__ import annotations

from archive.query.articles import (
    ArticleQuery,
    Filters,
    QueryResult,
    find_articles,
    open_articles,
    run_sql,
)
from archive.query.duplicates import (
    DuplicateGroup,
    DuplicateMember,
    duplicate_groups,
    find_duplicates,
)
from archive.query.suppressions import Suppression
from archive.query.takedowns import suppress, suppressions, unsuppress
from archive.query.versions import (
    ArticleVersions,
    VersionDiff,
    article_versions,
    diff_lines,
    diff_versions,
)

__all__ = ["ArticleQuery", "ArticleVersions", "DuplicateGroup", "DuplicateMember", "Filters",
           "QueryResult", "Suppression", "VersionDiff", "article_versions", "diff_lines",
           "diff_versions", "duplicate_groups", "find_articles", "find_duplicates",
           "open_articles", "run_sql", "suppress", "suppressions", "unsuppress"]
