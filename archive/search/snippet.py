"""A short window of an article's body around the words a search matched, those
words marked.

Cut from the body the query returns (the index does not store it), with the same
analyser the index used for the article's language, so a search for "election"
marks "Elections" and a German search for "Haus" marks "Häuser". The window is the
run of :data:`WINDOW` words holding the most distinct matched terms (the earliest
of equals), with a few words before it for context.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Mapping, Set

from archive.search import analysis

# Markdown's bold: plain text any reader and any terminal shows as it is. (Guillemets,
# «», are ordinary quotation marks in French and other languages the archive holds.)
MARK_START, MARK_END = "**", "**"
WINDOW = 30  # words
_BEFORE = 4  # words of context before the first match
_SPACE = re.compile(r"\s+")


def make_snippet(text: str | None, language: str | None,
                 terms: Mapping[str, Set[str]]) -> str | None:
    """The snippet of ``text`` for the analysed search ``terms`` of each language
    group (see :func:`archive.search.searching.clause_terms`); the body's start when
    no word of it matched (a title hit), None for no body."""
    if not text:
        return None
    group = analysis.group_of(language)
    wanted = terms.get(group, frozenset())
    tokens = analysis.analyser(group).pre_tokenize(text).tokens
    if not tokens:
        return _clean(text[:200])
    matched = [i for i, token in enumerate(tokens) if token.text in wanted]
    start = _best_start(tokens, matched, wanted)
    first = max(0, start - _BEFORE) if matched else 0
    last = min(len(tokens), first + WINDOW) - 1
    marked = set(matched)
    pieces, position = [], tokens[first].char_offset_from
    for i in range(first, last + 1):
        token = tokens[i]
        if i in marked:
            pieces.append(text[position:token.char_offset_from])
            pieces.append(MARK_START + text[token.char_offset_from:token.char_offset_to]
                          + MARK_END)
            position = token.char_offset_to
    # The last window reaches the body's end: keep its closing punctuation.
    end = len(text) if last == len(tokens) - 1 else tokens[last].char_offset_to
    pieces.append(text[position:end])
    snippet = _clean("".join(pieces))
    if first > 0:
        snippet = "…" + snippet
    if last < len(tokens) - 1:
        snippet += "…"
    return snippet


def _best_start(tokens: list, matched: list[int], wanted: Set[str]) -> int:
    """The matched token from which a window holds the most distinct terms."""
    best, best_count = 0, 0
    for n, start in enumerate(matched):
        end = bisect_left(matched, start + WINDOW - _BEFORE, lo=n)
        inside = {tokens[i].text for i in matched[n:end]}
        if len(inside) > best_count:
            best, best_count = start, len(inside)
            if best_count == len(wanted):
                break
    return best


def _clean(text: str) -> str:
    """One line: the body's line breaks and runs of spaces as single spaces."""
    return _SPACE.sub(" ", text).strip()
