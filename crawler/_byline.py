"""Bylines: which strings are author names.

Shared by metadata (authors from JSON-LD, meta tags and visible bylines) and
body cleanup (a byline line at the top of the body is dropped), so that "what
is an author's name" is decided in one place.
"""

from __future__ import annotations

import re
from html import unescape

__all__ = ["BY_PREFIX", "is_byline", "split_authors"]

_WS = re.compile(r"\s+")

# "By", "Words by", "Reporting by", "Additional reporting by"...
BY_PREFIX = re.compile(
    r"^(?:(?:(?:additional\s+)?reporting|written|posted|reported|words|text|story|interview)\s+)?"
    r"by[:\s]+",
    re.I,
)
# case-sensitive on purpose: "E." in "John E. Smith" is an initial, not Portuguese "e";
# no Spanish "y": it joins the two surnames of one person ("García y Pérez")
_AUTHOR_SPLIT = re.compile(r"\s*(?:,|;|\||&|\s(?:and|And|AND|und|et|e)\s)\s*")
_NOT_A_NAME = re.compile(
    r"\b(?:staff|admin(?:istrator)?|editors?|editorial|newsroom|desk|team|reporters?|"
    r"correspondents?|writers?|contributors?|columnists?|photographers?|journalists?|guest|"
    r"anonymous|updated|published)\b"
    r"|@|https?:|www\.|\d",
    re.I,
)


_NAME_PARTICLES = frozenset({"de", "da", "do", "dos", "del", "della", "der", "den", "van", "von",
                             "la", "le", "al", "el", "bin", "ibn", "ter", "zu", "y"})


def _looks_like_name(part: str) -> bool:
    """ "Mary Okafor" yes, "the time we arrived" no (bylines are matched on plain text)."""
    words = part.split()
    return (
        2 < len(part) <= 60
        and len(words) <= 5
        and not _NOT_A_NAME.search(part)
        # no lower-case words except particles; scripts without case pass
        and all(not w[0].islower() or w in _NAME_PARTICLES for w in words)
    )


def split_authors(value: str) -> list[str]:
    """Split a byline into names: "By A, B and C" -> ["A", "B", "C"], junk dropped."""
    value = BY_PREFIX.sub("", _WS.sub(" ", unescape(value)).strip())
    parts = (part.strip(" .:-–—·•") for part in _AUTHOR_SPLIT.split(value))
    return [part for part in parts if _looks_like_name(part)]


def is_byline(line: str) -> bool:
    """Whether a line of body text is a byline ("By Ana Ruiz and Tom Becker").

    Body cleanup drops such lines: the names are in ``authors`` already.
    """
    return len(line) <= 100 and bool(BY_PREFIX.match(line)) and bool(split_authors(line))
