"""Write a query's rows as JSON Lines, CSV, a text table or Parquet.

Rows are written as they are fetched, so an export of every article never
holds them all in memory. A file output is written beside its final name and
renamed into place at the end: an export that fails leaves no half file.
"""

from __future__ import annotations

import codecs
import csv
import json
import math
import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from archive.errors import QueryError
from archive.query._lines import csv_line_sql, jsonl_line_sql
from archive.query._sql import sql_string
from archive.query.result import QueryResult
from archive.terminal import json_safe, terminal_text


class OutputFormat(StrEnum):
    """What ``--format`` takes."""

    JSONL = "jsonl"
    CSV = "csv"
    TABLE = "table"
    PARQUET = "parquet"


_EXTENSIONS = {".jsonl": OutputFormat.JSONL, ".ndjson": OutputFormat.JSONL,
               ".json": OutputFormat.JSONL, ".csv": OutputFormat.CSV,
               ".parquet": OutputFormat.PARQUET, ".txt": OutputFormat.TABLE}
_SUFFIX = {OutputFormat.JSONL: "jsonl", OutputFormat.CSV: "csv",
           OutputFormat.PARQUET: "parquet", OutputFormat.TABLE: "txt"}
# Lists (authors, tags) in one CSV or table cell.
LIST_SEPARATOR = "; "
_TABLE_CELL = 60


def format_for(fmt: str | None, output: Path | None) -> OutputFormat:
    """The format asked for, else the one ``output``'s extension names, else jsonl;
    QueryError when the two disagree (JSON in a .parquet file helps nobody)."""
    implied = _EXTENSIONS.get(output.suffix.lower()) if output is not None else None
    if fmt is None:
        return implied or OutputFormat.JSONL
    fmt = _checked(fmt)
    if output is not None and implied and implied != fmt:
        raise QueryError(f"--format {fmt} does not fit -o {output.name}: use --format "
                         f"{implied}, or a file name ending in .{_SUFFIX[fmt]}")
    return fmt


def write_result(result: QueryResult, fmt: str, output: Path | None) -> int:
    """Write ``result`` to ``output`` (stdout when None); return the rows written."""
    fmt = _checked(fmt)
    if fmt == OutputFormat.PARQUET:
        if output is None:
            raise QueryError("--format parquet writes a file: add -o FILE.parquet")
        with _replacing(output) as temp:
            result.write_parquet(temp)
            return _parquet_rows(result, temp)
    if output is None:
        return _write_text(result, fmt, sys.stdout, fit=sys.stdout.isatty())
    with _replacing(output) as temp, open(temp, "w", encoding="utf-8", newline="") as handle:
        return _write_text(result, fmt, handle, fit=False)


def _checked(fmt: str) -> OutputFormat:
    try:
        return OutputFormat(fmt)
    except ValueError:
        raise QueryError(f"unknown format {fmt!r}: use one of "
                         f"{', '.join(OutputFormat)}") from None


def _write_text(result: QueryResult, fmt: OutputFormat, out: TextIO, *, fit: bool) -> int:
    """``fit``: ``out`` is a terminal (tables are sized to it, CSV cells made safe to
    print on it; tables and JSON are always safe: archive.terminal)."""
    if fmt != OutputFormat.TABLE and (fit is False or fmt == OutputFormat.JSONL):
        # DuckDB writes the lines (same bytes); a CSV on a terminal is escaped in Python.
        line_sql = (jsonl_line_sql if fmt == OutputFormat.JSONL else csv_line_sql)(
            result.columns, result.types())
        if line_sql is not None:
            return _write_lines(result, fmt, line_sql, out)
    return write_in_python(result, fmt, out, fit=fit)


def write_in_python(result: QueryResult, fmt: OutputFormat, out: TextIO, *, fit: bool) -> int:
    """Each row formatted in Python: tables, terminals, the types DuckDB's lines do not
    cover (archive.query._lines), and the baseline those lines are checked against."""
    if fmt == OutputFormat.JSONL:
        count = 0
        for row in result.rows():
            out.write(json_safe(json.dumps({k: _finite(v) for k, v in row.items()},
                                           ensure_ascii=False, default=_json_default,
                                           allow_nan=False)) + "\n")
            count += 1
        return count
    if fmt == OutputFormat.CSV:
        # A CSV file keeps the text as it is; on a terminal, a cell must not steer it.
        def cell(value: Any) -> str:
            return terminal_text(cell_text(value), lines=True) if fit else cell_text(value)

        writer = csv.writer(out)
        writer.writerow([cell(name) for name in result.columns])
        count = 0
        for row in result.rows():
            writer.writerow([cell(value) for value in row.values()])
            count += 1
        return count
    return _write_table(result, out, fit=fit)


def _write_lines(result: QueryResult, fmt: OutputFormat, line_sql: str, out: TextIO) -> int:
    end = "\n" if fmt == OutputFormat.JSONL else "\r\n"  # csv.writer's line end
    count = 0
    if fmt == OutputFormat.CSV:
        csv.writer(out).writerow(result.columns)
    raw = _utf8_bytes(out)
    if raw is not None:
        # The lines' bytes as DuckDB made them, into the stream's own bytes.
        out.flush()
        for encoded in result.encoded_lines(line_sql):
            raw.write(end.encode().join(encoded) + end.encode())
            count += len(encoded)
        return count
    for lines in result.lines(line_sql):
        out.write(end.join(lines) + end)
        count += len(lines)
    return count


def _utf8_bytes(out: TextIO) -> BinaryIO | None:
    """The byte stream under ``out`` when it writes UTF-8 (a file, stdout), so lines
    can be written as bytes; None for a text-only stream or another encoding."""
    raw = getattr(out, "buffer", None)
    try:
        utf8 = codecs.lookup(getattr(out, "encoding", None) or "").name == "utf-8"
    except LookupError:
        utf8 = False
    return raw if raw is not None and utf8 else None


def _write_table(result: QueryResult, out: TextIO, *, fit: bool) -> int:
    """A fixed-width table; on a terminal, sized to it (long cells cut with '…'),
    elsewhere (a file, a pipe) every cell whole, so URLs can be copied from it."""
    # Read on a screen (or cat to one later): no cell may steer the terminal.
    rows = [[terminal_text(cell_text(value).replace("\n", " ")) for value in row.values()]
            for row in result.rows()]
    columns = [terminal_text(name) for name in result.columns]
    if fit:
        widths = _column_widths(columns, rows, shutil.get_terminal_size().columns)
    else:
        widths = [max([len(name)] + [len(row[i]) for row in rows])
                  for i, name in enumerate(columns)]
    lines = [_table_line(columns, widths), "  ".join("-" * w for w in widths)]
    lines += [_table_line(row, widths) for row in rows]
    out.write("\n".join(lines) + "\n")
    out.write(f"({len(rows)} row{'s' if len(rows) != 1 else ''})\n")
    return len(rows)


def _column_widths(columns: list[str], rows: list[list[str]], width: int) -> list[int]:
    """Each column as wide as its longest cell (at most _TABLE_CELL); while the table
    is wider than the terminal, the widest column gives way first."""
    widths = [min(_TABLE_CELL, max([len(name)] + [len(row[i]) for row in rows]))
              for i, name in enumerate(columns)]
    while sum(widths) + 2 * (len(widths) - 1) > width and max(widths) > 8:
        widest = widths.index(max(widths))
        widths[widest] -= 1
    return widths


def _table_line(cells: list[str], widths: list[int]) -> str:
    return "  ".join(_fit(cell, width).ljust(width) for cell, width in zip(cells, widths,
                                                                           strict=True)).rstrip()


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def cell_text(value: Any) -> str:
    """One value as text for CSV and tables: lists joined, records as JSON."""
    if value is None:
        return ""
    if isinstance(value, list):
        return LIST_SEPARATOR.join(cell_text(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=_json_default)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _finite(value: Any) -> Any:
    """JSON has no infinity or NaN: such a float (1/0 in SQL) is written as null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _parquet_rows(result: QueryResult, path: Path) -> int:
    cursor = result.query.execute(f"SELECT count(*) FROM read_parquet({sql_string(str(path))})")
    return int(cursor.fetchone()[0])


@contextmanager
def _replacing(target: Path) -> Iterator[Path]:
    """A temporary path beside ``target`` that becomes ``target`` if all goes well."""
    target = Path(target)
    if target.is_dir():
        raise QueryError(f"-o {target} is a directory: give a file name")
    if not target.parent.is_dir():
        raise QueryError(f"-o {target}: folder {target.parent} does not exist")
    temp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        yield temp
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)
