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
# "November 18th, 2019", "1st of May 2024": English ordinals after the day
_ORDINAL = r"(?:st|nd|rd|th)?"
_MONTH_DAY_YEAR = re.compile(rf"\b{_MONTH}\s+(\d{{1,2}}){_ORDINAL},?\s+(\d{{4}})\b")
_DAY_MONTH_YEAR = re.compile(
    rf"\b(\d{{1,2}}){_ORDINAL}\.?\s+(?:de\s+|of\s+)?{_MONTH},?\s+(?:de\s+)?(\d{{4}})\b"
)
# Longer text is prose that mentions a date, not a dateline.
MAX_DATELINE_CHARS = 100
# What a dateline may say besides its date ("Published: Monday,", "By Ana Ruiz on", "| 11:04
# a.m. EST"); a text with more is a sentence that mentions a date ("On Nov. 15, 2019,
# the ambassador ...").
MAX_CHARS_BESIDES_DATE = 40
# Captions date the photo and quotes the quoted; links, menus and forms are the page's chrome.
_SKIP_TAGS = {"a", "nav", "footer", "aside", "script", "style", "option", "form",
              "figure", "figcaption", "blockquote"}


def _valid(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _find(text: str) -> tuple[str, re.Match] | None:
    if match := _ISO.search(text):
        found = _valid(int(match[1]), int(match[2]), int(match[3]))
    elif match := _NUMERIC_DMY.search(text):  # 11.06.2024: the dotted form is day-first
        found = _valid(int(match[3]), int(match[2]), int(match[1]))
    elif (match := _MONTH_DAY_YEAR.search(text)) and (month := _MONTHS.get(match[1].lower())):
        found = _valid(int(match[3]), month, int(match[2]))
    elif (match := _DAY_MONTH_YEAR.search(text)) and (month := _MONTHS.get(match[2].lower())):
        found = _valid(int(match[3]), month, int(match[1]))
    else:
        return None
    return (found, match) if found else None


def parse_dateline(text: str) -> str | None:
    """The first date written out in ``text``, as ``YYYY-MM-DD``."""
    found = _find(text)
    return found[0] if found else None


def _is_dateline(text: str) -> str | None:
    """The date of a short text that is a dateline, not a sentence mentioning a date."""
    found = _find(text)
    if found is None:
        return None
    date_text, match = found
    rest = text[: match.start()] + text[match.end():]
    return date_text if len(rest.strip()) <= MAX_CHARS_BESIDES_DATE else None


def visible_dateline(tree: HtmlElement) -> str | None:
    """The first short date line after the page's first h1/h2, outside links and chrome."""
    headings = tree.xpath("(//body//h1 | //body//h2)[1]")
    start = headings[0] if headings else tree.find("body")
    if start is None:
        return None
    # the page's masthead <header> is chrome; the headline's own <header> holds the dateline
    own_header = {id(a) for a in start.iterancestors("header")}
    for text in start.xpath("following::text()[normalize-space()]"):
        if len(text) > MAX_DATELINE_CHARS:
            continue
        parent = text.getparent()
        if parent is None or any(
            a.tag in _SKIP_TAGS or (a.tag == "header" and id(a) not in own_header)
            for a in (parent, *parent.iterancestors())
        ):
            continue
        if found := _is_dateline(text):
            return found
    return None
