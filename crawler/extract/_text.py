"""Values read from a page's markup (JSON-LD, meta tags) as one clean line of text."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

_WS = re.compile(r"\s+")


def clean(value: Any) -> str | None:
    """A trimmed, unescaped single-line string (the first non-empty one of a list), or
    None for empty and non-string values."""
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str) and v.strip()), None)
    if not isinstance(value, str):
        return None
    return _WS.sub(" ", unescape(value)).strip() or None


def thing_name(value: Any) -> str | None:
    """The ``name`` of a JSON-LD thing given as a string or an object, cleaned."""
    return clean(value.get("name")) if isinstance(value, dict) else clean(value)
