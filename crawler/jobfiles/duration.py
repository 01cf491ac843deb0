"""Durations as people write them in job files and options: ``90s``, ``15m``, ``1h``,
``2d``, ``1h30m``; a bare number is seconds."""

from __future__ import annotations

import re

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_PART = re.compile(r"(\d+(?:\.\d+)?)([smhd])")
EXAMPLE = 'e.g. "15m", "1h", "1h30m" or "2d"'


def parse_duration(text: str | int | float) -> float:
    """Seconds in ``text``; ValueError (saying what is wrong) unless it is a positive
    duration."""
    if isinstance(text, bool):
        raise ValueError(f"expected a duration, {EXAMPLE}, got {text!r}")
    if isinstance(text, int | float):
        seconds = float(text)
    else:
        compact = text.strip().lower().replace(" ", "")
        if re.fullmatch(r"\d+(?:\.\d+)?", compact):
            seconds = float(compact)
        elif compact and re.fullmatch(f"(?:{_PART.pattern})+", compact):
            seconds = sum(float(n) * _UNITS[unit] for n, unit in _PART.findall(compact))
        else:
            raise ValueError(f"expected a duration, {EXAMPLE}, got {text!r}")
    if not seconds > 0:
        raise ValueError(f"expected a duration above zero, {EXAMPLE}, got {text!r}")
    return seconds


def format_duration(seconds: float) -> str:
    """``5400`` -> ``"1h30m"``: the largest units first, whole seconds."""
    left = round(seconds)
    if left <= 0:
        return "0s"
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if left >= size:
            parts.append(f"{left // size}{unit}")
            left %= size
    return "".join(parts)
