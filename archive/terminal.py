"""Text from crawled pages, made safe to print on a terminal.

A page's title, byline or body is written by whoever runs the site, and a
terminal obeys what it is sent: ANSI CSI sequences (``ESC [``: colours, cursor
moves, clearing the screen), OSC sequences (``ESC ]`` ... ``BEL``: the window
title, hyperlinks), carriage returns and backspaces (printing over what came
before), C1 controls (U+0080-U+009F; U+009B is a one-character CSI to some
terminals), DEL, and the Unicode bidi overrides and isolates (U+202A-U+202E,
U+2066-U+2069) that make text display in another order than it reads. Each
such character is printed as an escape instead (``\\x1b``, ``\\u202e``), which
neuters the sequence it starts: ``ESC [2J`` shows as ``\\x1b[2J``. Letters of
every script, emoji, and newlines and tabs where the output has lines print
as they are.

JSON output needs less: :func:`json.dumps` escapes C0 controls already but
leaves DEL, C1 and bidi controls raw, which :func:`json_safe` escapes too (the
same string to any JSON reader).
"""

from __future__ import annotations

import re

__all__ = ["json_safe", "terminal_text"]

_BIDI = "\u202a-\u202e\u2066-\u2069"
# One line: every control but none of the text.
_IN_A_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}]")
# Lines: newlines and tabs are layout, not controls.
_IN_LINES = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}]")
# What json.dumps(..., ensure_ascii=False) leaves raw.
_JSON_RAW = re.compile(f"[\x7f-\x9f{_BIDI}]")


def terminal_text(text: str, *, lines: bool = False) -> str:
    """``text`` with every character that could steer a terminal escaped; ``lines``
    keeps newlines and tabs (a CR before a newline is dropped, as a terminal would
    show it), else they are escaped too."""
    if lines:
        return _IN_LINES.sub(_escape, text.replace("\r\n", "\n"))
    return _IN_A_LINE.sub(_escape, text)


def json_safe(encoded: str) -> str:
    """JSON text (from :func:`json.dumps`) with DEL, C1 and bidi controls written as
    ``\\u`` escapes too. Outside strings JSON is ASCII, so only strings change."""
    return _JSON_RAW.sub(lambda match: f"\\u{ord(match.group()):04x}", encoded)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
