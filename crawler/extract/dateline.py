"""A story's visible dateline ("11.06.2024", "June 8, 2021", "8. Juni 2024") as an ISO date.

Pages without machine-readable dates still print one under the headline.
htmldate would find *a* date too, but on such pages it as readily takes one
from a navigation link or a calendar widget; the first date written out after
the headline is the story's own far more often.
"""

from __future__ import annotations

import re
from datetime import date

from lxml.html import HtmlElement

# Month names in the languages the crawler meets most; the first three letters
# (or the full word) of each, mapped to the month number.
_MONTHS = {
    **dict.fromkeys(("jan", "januar", "january", "janvier", "enero", "jänner"), 1),
    **dict.fromkeys(("feb", "februar", "february", "février", "fevrier", "febrero"), 2),
    **dict.fromkeys(("mar", "mär", "märz", "march", "mars", "marzo"), 3),
    **dict.fromkeys(("apr", "april", "avril", "abril"), 4),
    **dict.fromkeys(("may", "mai", "mayo"), 5),
    **dict.fromkeys(("jun", "juni", "june", "juin", "junio"), 6),
    **dict.fromkeys(("jul", "juli", "july", "juillet", "julio"), 7),
    **dict.fromkeys(("aug", "august", "août", "aout", "agosto"), 8),
    **dict.fromkeys(("sep", "sept", "september", "septembre", "septiembre"), 9),
    **dict.fromkeys(("oct", "okt", "oktober", "october", "octobre", "octubre"), 10),
    **dict.fromkeys(("nov", "november", "novembre", "noviembre"), 11),
    **dict.fromkeys(("dec", "dez", "dezember", "december", "décembre", "diciembre"), 12),
}
_MONTH = r"([^\W\d_]{3,9})\.?"
_NUMERIC_DMY = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_MONTH_DAY_YEAR = re.compile(rf"\b{_MONTH}\s+(\d{{1,2}}),?\s+(\d{{4}})\b")
_DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})\.?\s+(?:de\s+)?{_MONTH}\s+(?:de\s+)?(\d{{4}})\b")
# Longer text is prose that mentions a date, not a dateline.
MAX_DATELINE_CHARS = 100
_SKIP_TAGS = {"a", "nav", "header", "footer", "aside", "script", "style", "option", "form"}


def _valid(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def parse_dateline(text: str) -> str | None:
    """The first date written out in ``text``, as ``YYYY-MM-DD``."""
    if match := _ISO.search(text):
        return _valid(int(match[1]), int(match[2]), int(match[3]))
    if match := _NUMERIC_DMY.search(text):  # 11.06.2024: the dotted form is day-first
        return _valid(int(match[3]), int(match[2]), int(match[1]))
    if (match := _MONTH_DAY_YEAR.search(text)) and (month := _MONTHS.get(match[1].lower())):
        return _valid(int(match[3]), month, int(match[2]))
    if (match := _DAY_MONTH_YEAR.search(text)) and (month := _MONTHS.get(match[2].lower())):
        return _valid(int(match[3]), month, int(match[1]))
    return None


def visible_dateline(tree: HtmlElement) -> str | None:
    """The first short date line after the page's first h1/h2, outside links and chrome."""
    headings = tree.xpath("(//body//h1 | //body//h2)[1]")
    start = headings[0] if headings else tree.find("body")
    if start is None:
        return None
    for text in start.xpath("following::text()[normalize-space()]"):
        if len(text) > MAX_DATELINE_CHARS:
            continue
        parent = text.getparent()
        if parent is None or parent.tag in _SKIP_TAGS or any(
            a.tag in _SKIP_TAGS for a in parent.iterancestors()
        ):
            continue
        if found := parse_dateline(text):
            return found
    return None
