"""JSON Lines and CSV lines written by DuckDB, byte for byte what Python writes.

An export formatted row by row in Python (a dict, ``json.dumps``, ``csv.writer``)
ran at about 13,000 rows a second; here one SQL expression builds each output
line and Python only writes the lines. The expressions follow the Python rules
of :mod:`archive.query.output` exactly (``json.dumps(ensure_ascii=False)`` with
``json_safe``; ``cell_text`` and ``csv.writer``'s minimal quoting), for the
types an article record has: text, whole numbers, booleans, lists and records.
Any other type (a float or a timestamp from ``--sql``) gives None: the caller
formats those rows in Python, as before.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from archive.query.articleindex import sql_string
from archive.terminal import json_safe

_INTEGERS = {"tinyint", "smallint", "integer", "bigint", "hugeint", "utinyint",
             "usmallint", "uinteger", "ubigint", "uhugeint"}
_BIDI = [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]
# Characters that DuckDB's to_json escapes otherwise than json.dumps (upper-case hex:
# \u001B), and, for json_safe text, the ones json_safe escapes and to_json leaves raw.
_TO_JSON_DIFFERS = "\\x0b\\x0e\\x0f\\x1a-\\x1f"
_JSON_SAFE_EXTRA = "\\x7f-\\x9f" + "".join(f"\\x{{{code:04x}}}" for code in _BIDI)
_SHORT = {0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0C: "\\f", 0x0D: "\\r"}


def jsonl_line_sql(columns: Sequence[str], types: Sequence[Any]) -> str | None:
    """An SQL expression for each row's JSON Lines line (no newline); None when a
    column's type has no SQL form here, or two columns share a name (a dict keeps one)."""
    if len(set(columns)) != len(columns):
        return None
    parts = []
    for name, kind in zip(columns, types, strict=True):
        value = _json(_quote(name), kind, safe=True, depth=0)
        if value is None:
            return None
        key = json_safe(json.dumps(name, ensure_ascii=False))
        parts.append(f"{sql_string(key + ': ')}, {value}")
    # One concat, not a chain of ||: each || copies the line so far (24 columns of
    # 5 KB bodies: 12 GB copied over 100,000 rows).
    return "concat('{', " + ", ', ', ".join(parts) + ", '}')" if parts else "'{}'"


def csv_line_sql(columns: Sequence[str], types: Sequence[Any]) -> str | None:
    """An SQL expression for each row's CSV line (no line end), as ``csv.writer``
    writes ``cell_text`` of each value; None as for :func:`jsonl_line_sql`."""
    fields = []
    for name, kind in zip(columns, types, strict=True):
        cell = _cell(_quote(name), kind, depth=0)
        if cell is None:
            return None
        fields.append(f"CASE WHEN regexp_matches({cell}, '[,\"\\r\\n]') THEN "
                      f"'\"' || replace({cell}, '\"', '\"\"') || '\"' ELSE {cell} END")
    if len(fields) == 1:
        # csv.writer quotes a row of one empty field, or the line would be blank.
        return f"CASE WHEN {fields[0]} = '' THEN '\"\"' ELSE {fields[0]} END"
    return "concat(" + ", ',', ".join(fields) + ")"  # one concat: see jsonl_line_sql


def _cell(expr: str, kind: Any, depth: int) -> str | None:
    """``cell_text``: '' for NULL, lists joined with '; ', records as JSON."""
    text = _text(expr, kind, depth)
    return None if text is None else f"coalesce({text}, '')"


def _text(expr: str, kind: Any, depth: int) -> str | None:
    if kind.id == "varchar":
        return expr
    if kind.id in _INTEGERS:
        return f"CAST({expr} AS VARCHAR)"
    if kind.id == "boolean":
        return f"CASE WHEN {expr} THEN 'True' WHEN NOT {expr} THEN 'False' END"
    if kind.id == "list":
        item = _cell(f"x{depth}", kind.children[0][1], depth + 1)
        return None if item is None else \
            f"array_to_string(list_transform({expr}, lambda x{depth}: {item}), '; ')"
    if kind.id == "struct":
        return _json_value(expr, kind, safe=False, depth=depth)
    return None


def _json(expr: str, kind: Any, *, safe: bool, depth: int) -> str | None:
    """JSON text of a value, ``null`` for NULL."""
    value = _json_value(expr, kind, safe=safe, depth=depth)
    return None if value is None else f"coalesce({value}, 'null')"


def _json_value(expr: str, kind: Any, *, safe: bool, depth: int) -> str | None:
    """JSON text of a value, NULL for NULL (``safe``: with json_safe's escapes)."""
    if kind.id == "varchar":
        return _json_string(expr, safe)
    if kind.id in _INTEGERS:
        return f"CAST({expr} AS VARCHAR)"
    if kind.id == "boolean":
        return f"CASE WHEN {expr} THEN 'true' WHEN NOT {expr} THEN 'false' END"
    if kind.id == "list":
        item = _json(f"x{depth}", kind.children[0][1], safe=safe, depth=depth + 1)
        return None if item is None else \
            f"'[' || array_to_string(list_transform({expr}, lambda x{depth}: {item}), ', ') || ']'"
    if kind.id == "struct":
        parts = []
        for name, child in kind.children:
            value = _json(f"struct_extract({expr}, {sql_string(name)})", child,
                          safe=safe, depth=depth)
            if value is None:
                return None
            key = json.dumps(name, ensure_ascii=False)
            parts.append(f"{sql_string((json_safe(key) if safe else key) + ': ')}, {value}")
        body = ", ', ', ".join(parts) if parts else "''"
        return f"CASE WHEN {expr} IS NOT NULL THEN concat('{{', {body}, '}}') END"
    return None


def _json_string(expr: str, safe: bool) -> str:
    """DuckDB's to_json, which writes what json.dumps does, except for a few control
    characters (and json_safe's): text holding one is escaped here, character by character."""
    rare = _TO_JSON_DIFFERS + (_JSON_SAFE_EXTRA if safe else "")
    escaped = f"replace(replace({expr}, '\\', '\\\\'), '\"', '\\\"')"
    codes = [*range(0x20), *(range(0x7F, 0xA0) if safe else ()), *(_BIDI if safe else ())]
    for code in codes:
        short = _SHORT.get(code, "\\u" + format(code, "04x"))
        escaped = f"replace({escaped}, chr({code}), {sql_string(short)})"
    # Looking for the rare characters with a regular expression costs more than all the
    # rest of an export (0.9 s over 100,000 bodies): ASCII text (the byte and character
    # counts agree) only needs to_json's \\u00 escapes looked at, and DEL when ``safe``.
    ascii_ok = (f"strlen({expr}) = length({expr}) AND NOT contains(to_json({expr}), '\\u00')"
                + (f" AND NOT contains({expr}, chr(127))" if safe else ""))
    return (f"CASE WHEN {ascii_ok} THEN to_json({expr}) "
            f"WHEN regexp_matches({expr}, '[{rare}]') THEN '\"' || {escaped} || '\"' "
            f"ELSE to_json({expr}) END")


def _quote(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'
