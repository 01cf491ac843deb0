"""Find articles in the archive: filters, SQL, plain rows (the notebook API), the
Parquet index beside each article part, the files a query reads and its output formats.

    >>> from archive.query import find_articles
    >>> rows = find_articles("archive-data", author="ruiz", fields=["url", "title"])
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
from archive.query.versions import (
    ArticleVersions,
    VersionDiff,
    article_versions,
    diff_lines,
    diff_versions,
)

__all__ = ["ArticleQuery", "ArticleVersions", "Filters", "QueryResult", "VersionDiff",
           "article_versions", "diff_lines", "diff_versions", "find_articles", "open_articles",
           "run_sql"]
