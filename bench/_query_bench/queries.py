"""The queries the benchmark times, and what each should find, worked out in Python
over the records with the query rules of archive/query/_sql.py."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from archive.query.articles import ArticleQuery
from archive.query.output import OutputFormat, write_in_python, write_result
from bench._query_bench.generator import REGEX, TEXT_QUERY


# What the queries should find, worked out in Python with archive/query/_sql.py's rules:
# a date bound (--since 2024-03-01) is compared with the date the page printed, in
# its own zone; --author and --text ignore case and accents.
def _published(record: dict[str, Any]) -> datetime | None:
    value = record.get("published")
    return datetime.fromisoformat(value) if value else None


def _dated(record: dict[str, Any], first: str, last: str) -> bool:
    """Published on a day from ``first`` to ``last`` (both included), as the page dates it."""
    day = (record.get("published") or "")[:10]
    return bool(day) and first <= day <= last


def fold(text: str) -> str:
    """Lower case without accents, ß as ss (cheap for ASCII, which most text is)."""
    text = text.lower()
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("ß", "ss")


def _says(record: dict[str, Any], phrase: str) -> bool:
    needle = fold(phrase)
    return needle in fold(record["title"] or "") or needle in fold(record["text"] or "")


def _matches(record: dict[str, Any], pattern: re.Pattern[str]) -> bool:
    return bool(pattern.search(record["title"] or "") or pattern.search(record["text"] or ""))


_REGEX = re.compile(REGEX, re.IGNORECASE)
MONTH = ("2024-03-01", "2024-03-31")
HALF_YEAR = ("2024-01-01", "2024-06-30")
AUTHOR_QUERY = "ruiz"
AGGREGATE = ("SELECT language, strftime(published_at, '%Y-%m') AS month, count(*) AS articles "
             "FROM articles GROUP BY ALL ORDER BY ALL")


def month_of(record: dict[str, Any]) -> tuple[str | None, str | None]:
    """The SQL aggregate's group of a record: its language and UTC month."""
    moment = _published(record)
    return record["language"], moment.astimezone(UTC).strftime("%Y-%m") if moment else None


Outcome = tuple[int, str]  # rows (or the count asked for), and a fingerprint of them


@dataclass(frozen=True)
class Query:
    """One query, run the same way over both paths."""

    label: str
    options: str  # the same query on the command line
    filters: dict[str, Any]
    run: Callable[[ArticleQuery, Path], Outcome]
    #: which latest records it finds, for the count to expect (None: see ``expect``)
    matches: Callable[[dict[str, Any]], bool] | None = None
    expect: str = "matches"  # or: groups, articles, records


def listing(query: ArticleQuery, scratch: Path) -> Outcome:
    """What a researcher reads: URL, title and date of every match, newest first."""
    digest, rows = hashlib.sha1(), 0
    for row in query.select(["url", "title", "published"]).rows():
        digest.update(row["url"].encode() + b"\n")
        rows += 1
    return rows, digest.hexdigest()


def aggregate(query: ArticleQuery, scratch: Path) -> Outcome:
    rows = list(query.sql(AGGREGATE).rows())
    return len(rows), hashlib.sha1(repr(rows).encode()).hexdigest()


def count(query: ArticleQuery, scratch: Path) -> Outcome:
    [row] = query.sql("SELECT count(*) AS n FROM articles").rows()
    return int(row["n"]), ""


def export(fmt: str, *, in_python: bool = False) -> Callable[[ArticleQuery, Path], Outcome]:
    """Every field of every article to a file; ``in_python``: formatted row by row in
    Python, as before DuckDB wrote the lines (the baseline, the same bytes)."""
    def run(query: ArticleQuery, scratch: Path) -> Outcome:
        target = scratch / f"export.{fmt}"
        if in_python:
            with open(target, "w", encoding="utf-8", newline="") as handle:
                rows = write_in_python(query.select(), OutputFormat(fmt), handle, fit=False)
        else:
            rows = write_result(query.select(), fmt, target)
        # CSV and JSON Lines are the same bytes from either path; Parquet need not be.
        size = target.stat().st_size if fmt != "parquet" else 0
        target.unlink()
        return rows, f"{size} bytes" if size else ""
    return run


QUERIES = (
    Query("date range (one month)", f"--since {MONTH[0]} --until {MONTH[1]}",
          {"since": MONTH[0], "until": MONTH[1]}, listing, lambda r: _dated(r, *MONTH)),
    Query("author", f"--author {AUTHOR_QUERY}", {"author": AUTHOR_QUERY}, listing,
          lambda r: any(fold(AUTHOR_QUERY) in fold(name) for name in r["authors"])),
    Query("phrase (--text)", f'--text "{TEXT_QUERY}"', {"text": TEXT_QUERY}, listing,
          lambda r: _says(r, TEXT_QUERY)),
    Query("--regex", f'--regex "{REGEX}"', {"regex": REGEX}, listing,
          lambda r: _matches(r, _REGEX)),
    Query("language + six months", f"--language de --since {HALF_YEAR[0]} --until {HALF_YEAR[1]}",
          {"language": "de", "since": HALF_YEAR[0], "until": HALF_YEAR[1]}, listing,
          lambda r: r["language"] == "de" and _dated(r, *HALF_YEAR)),
    Query("--sql per language per month", f'--sql "{AGGREGATE}"', {}, aggregate,
          expect="groups"),
    Query("count, latest versions", '--sql "SELECT count(*) FROM articles"', {}, count,
          expect="articles"),
    Query("count, --all-versions", '--all-versions --sql "SELECT count(*) ..."',
          {"all_versions": True}, count, expect="records"),
    Query("export all, CSV", "--format csv -o FILE", {}, export("csv"), expect="articles"),
    Query("export all, JSON Lines", "--format jsonl -o FILE", {}, export("jsonl"),
          expect="articles"),
    Query("export all, Parquet", "--format parquet -o FILE", {}, export("parquet"),
          expect="articles"),
    # The baseline: the same files, formatted in Python (as before archive/query/_lines.py).
    Query("export CSV, rows in Python", "(write_in_python)", {},
          export("csv", in_python=True), expect="articles"),
    Query("export JSONL, rows in Python", "(write_in_python)", {},
          export("jsonl", in_python=True), expect="articles"),
)
