"""trafilatura's second opinion, skipped where it cannot change the answer.

After its own extraction, trafilatura (outside its ``fast`` mode) runs readability on
a copy of the whole page and takes readability's text instead when its own is empty,
structurally poor (no paragraph text, more tables than paragraphs) or less than half
as long; and it asks jusText when its own text is short (under
``MIN_EXTRACTED_SIZE``) or holds what its cleaning should have removed. readability
is the most expensive part of an extraction on a light page (0.75 of 1.7 ms), and on
most news pages its answer is thrown away.

Readability's text is part of the page's text less scripts and styles, so when the
own text is at least half of *that*, readability cannot be more than twice as long;
with paragraph text, no table majority, no short or unclean text, trafilatura's own
``compare_extraction`` would return its input unchanged. There it is not called, and
the result is the same, bit for bit (tested over the benchmark pages). Everywhere
else it runs as before; and only around newsarchive's own extraction
(:func:`own_extraction`): trafilatura called directly, as the benchmarks' baseline,
is left as it is.

This wraps ``trafilatura.core.compare_extraction``, a name trafilatura imports from
its ``external`` module and calls in ``_extract_and_compare``: not a public API, so
it is checked again when trafilatura is upgraded (tests/test_extract_shortcut.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from lxml.html import HtmlElement
from trafilatura import core as _core
from trafilatura.external import SANITIZED_XPATH

__all__ = ["own_extraction"]

_original = _core.compare_extraction
_ours: ContextVar[bool] = ContextVar("newsarchive_own_extraction", default=False)
# Elements readability drops before it reads a page.
_DROPPED_BY_READABILITY = ("script", "style", "fencedframe")
# Slack on the bound: readability joins the pieces it keeps with their own whitespace.
_MARGIN = 32


def _page_text_bound(raw_tree: HtmlElement) -> int:
    """At least as long as any text readability can return for ``raw_tree`` (trimmed:
    every whitespace run one space): its visible characters less the dropped
    elements', plus one space per word of the whole page."""
    words = raw_tree.text_content().split()
    dropped = sum(len("".join((element.text or "").split()))
                  for element in raw_tree.iter(_DROPPED_BY_READABILITY))
    return sum(map(len, words)) - dropped + len(words) + _MARGIN


def _cannot_change(raw_tree: HtmlElement, body: Any, text: str, options: Any) -> bool:
    if options.focus == "recall":
        return False  # recall mode has rules of its own: let trafilatura decide
    if len(text) < options.min_extracted_size or body.xpath(SANITIZED_XPATH):
        return False  # short or unclean: jusText is asked
    paragraphs = len(body.findall(".//p"))
    if not body.xpath(".//p//text()") or len(body.findall(".//table")) > paragraphs:
        return False  # structurally poor: readability may win on structure alone
    return _page_text_bound(raw_tree) <= 2 * len(text)


def _compare_extraction(cleaned_tree: HtmlElement, raw_tree: HtmlElement, body: Any,
                        text: str, options: Any) -> tuple[Any, str]:
    if _ours.get() and _cannot_change(raw_tree, body, text, options):
        return body, text
    return _original(cleaned_tree, raw_tree, body, text, options)


_core.compare_extraction = _compare_extraction


@contextmanager
def own_extraction() -> Iterator[None]:
    """trafilatura calls inside skip the comparison where it cannot change the result."""
    token = _ours.set(True)
    try:
        yield
    finally:
        _ours.reset(token)
