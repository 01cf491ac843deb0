"""Exports written by DuckDB (archive/query/_lines.py) are byte for byte what the
Python formatter (``write_in_python``) writes, on an archive of awkward values."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import duckdb
import pytest

from archive.query._lines import csv_line_sql, jsonl_line_sql
from archive.query.articles import open_articles
from archive.query.output import OutputFormat, write_in_python, write_result
from tests.test_query import article, query_cli, write_part

# Every character json.dumps, json_safe, csv.writer or DuckDB's to_json treat apart.
AWKWARD = ('Say "hi", then\nnew line\r\nand \\ back\\slash \\u001A literal, tab\t'
           "\x00\x07\x08\x0b\x0c\x0e\x0f\x1a\x1b[31mred\x1f \x7f\x85\x9f \u202eevil\u2069 "
           "\u2028 Ünïcödé Häußler 😀 'single' ; semi")


def awkward_records(version: int) -> list[dict]:
    warc = {"file": "crawl,1.warc.gz", "offset": 12, "length": 345, "record_id": "<urn:\"x\">"}
    return [
        article("https://news.example/a", version, AWKWARD, authors=["Ana \"A\" Ruiz", "", "Ø, Bø"],
                tags=[], warc=warc, status=200, tdm_reservation=True, robots=["noai", AWKWARD],
                previous=None if version == 1 else {
                    "version": 1, "fetched_at": "2024-06-21T10:00:00+00:00",
                    "payload_digest": None, "warc": {**warc, "file": AWKWARD}}),
        article("https://news.example/b", version, "", authors=[], tags=None,
                text=f"Plain ASCII: (body) of version {version}, in \"quotes\".",
                tdm_reservation=False, section=",", description='"', image="\n"),
        {"url": "https://news.example/c", "job": "news", "title": None, "version": None,
         "authors": ["x", None], "tdm_policy": "", "published": None},
    ]


@pytest.fixture(scope="module")
def awkward(tmp_path_factory) -> Path:
    """Version 1 in an indexed part (Parquet), version 2 in a JSON Lines part alone."""
    root = tmp_path_factory.mktemp("awkward") / "archive"
    folder = root / "articles" / "news"
    folder.mkdir(parents=True)
    write_part(folder, awkward_records(1), index=True)
    write_part(folder, awkward_records(2), index=False)
    return root


SQL = [
    None,  # every field of every article
    "SELECT url FROM articles",
    "SELECT title FROM articles",
    "SELECT warc, previous, robots, tags, tdm_reservation, status FROM articles",
    "SELECT version * 1.5 AS half, published_at, url FROM articles",  # formatted in Python
    "SELECT url, title AS url FROM articles",  # two columns of one name (DuckDB: url_1)
    "SELECT [1, NULL, 3] AS numbers, [[true, NULL]] AS nested, "
    "{'a': [{'b': NULL::VARCHAR}, NULL]} AS deep, "
    "'x' AS \"odd \"\"name\"\", here\", NULL::VARCHAR AS nothing FROM articles",
]


def result_of(query, sql: str | None):
    return query.select() if sql is None else query.sql(sql)


def python_output(query, sql: str | None, fmt: OutputFormat, *, fit: bool = False) -> bytes:
    out = io.StringIO(newline="")
    write_in_python(result_of(query, sql), fmt, out, fit=fit)
    return out.getvalue().encode("utf-8")


@pytest.mark.parametrize("all_versions", [False, True])
@pytest.mark.parametrize("sql", SQL)
@pytest.mark.parametrize("fmt", ["jsonl", "csv", "table"])
def test_file_is_what_python_writes(awkward, tmp_path, fmt, sql, all_versions):
    with open_articles(awkward, all_versions=all_versions) as query:
        target = tmp_path / f"out.{'txt' if fmt == 'table' else fmt}"
        rows = write_result(result_of(query, sql), fmt, target)
        expected = python_output(query, sql, OutputFormat(fmt))
        assert rows == len(list(result_of(query, sql).rows())) >= 4
    assert target.read_bytes() == expected
    if fmt == "csv" and sql is None:
        assert b"\x1b[31m" in expected  # a file keeps the text as archived
    if fmt == "jsonl":
        assert [json.loads(line) for line in expected.decode().split("\n") if line]


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_an_empty_file_is_what_python_writes(awkward, tmp_path, fmt):
    sql = "SELECT url, title AS \"a, b\" FROM articles WHERE false"
    with open_articles(awkward) as query:
        target = tmp_path / f"out.{fmt}"
        assert write_result(result_of(query, sql), fmt, target) == 0
        expected = python_output(query, sql, OutputFormat(fmt))
    assert target.read_bytes() == expected == (b'url,"a, b"\r\n' if fmt == "csv" else b"")


@pytest.mark.parametrize("sql", SQL)
@pytest.mark.parametrize("fmt", ["jsonl", "csv", "table"])
@pytest.mark.parametrize("tty", [False, True])
def test_stdout_is_what_python_writes(awkward, monkeypatch, fmt, sql, tty):
    out = io.StringIO(newline="")
    monkeypatch.setattr(out, "isatty", lambda: tty)
    monkeypatch.setattr(sys, "stdout", out)
    with open_articles(awkward) as query:
        write_result(result_of(query, sql), fmt, None)
        expected = python_output(query, sql, OutputFormat(fmt), fit=tty)
    assert out.getvalue().encode("utf-8") == expected
    if tty and fmt == "csv" and sql is None:
        assert "\x1b" not in out.getvalue()  # a terminal gets it escaped


def test_parquet_holds_the_same_rows(awkward, tmp_path):
    target = tmp_path / "out.parquet"
    with open_articles(awkward) as query:
        assert write_result(query.select(), "parquet", target) == 4
        expected = list(query.select().rows())
    connection = duckdb.connect()
    cursor = connection.execute(f"SELECT * FROM read_parquet('{target}')")
    names = [column[0] for column in cursor.description]
    assert [dict(zip(names, row, strict=True)) for row in cursor.fetchall()] == expected


def test_command_line_file_and_stdout(awkward, tmp_path):
    with open_articles(awkward) as query:
        expected = python_output(query, None, OutputFormat.CSV)
        expected_jsonl = python_output(query, None, OutputFormat.JSONL)
    target = tmp_path / "all.csv"
    done = query_cli("--out", str(awkward), "-o", str(target))
    assert done.returncode == 0, done.stderr
    assert target.read_bytes() == expected
    printed = query_cli("--out", str(awkward))
    assert printed.returncode == 0, printed.stderr
    assert printed.stdout.encode("utf-8") == expected_jsonl


@pytest.mark.parametrize(("sql", "in_duckdb"), [(SQL[0], True), (SQL[3], True), (SQL[6], True),
                                                 (SQL[4], False)])
def test_which_results_duckdb_writes(awkward, sql, in_duckdb):
    """The byte-for-byte tests above check DuckDB's lines only where DuckDB writes them."""
    with open_articles(awkward) as query:
        result = result_of(query, sql)
        for line_sql in (jsonl_line_sql, csv_line_sql):
            assert (line_sql(result.columns, result.types()) is not None) == in_duckdb


@pytest.mark.parametrize(("phrase", "urls"), [
    ("HÄUSSLER", {"a"}),  # folded: case, accents and ß, in non-ASCII text
    ("body) of VERSION 2", {"b"}),  # ASCII text, a regex character in the phrase
    ("semi", {"a"}), ("; SEMI", {"a"}), ("\\u001a literal", {"a"}),
    ("(x)", set()), ("b.dy", set()), ("Body of version 1", set()),  # no regex in a phrase
])
def test_phrase_filter_folds_ascii_and_other_text_alike(awkward, phrase, urls):
    with open_articles(awkward, text=phrase) as query:
        found = {row["url"].rsplit("/", 1)[1] for row in query.select(["url"]).rows()}
    assert found == urls
