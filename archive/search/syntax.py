"""What a researcher types after ``--search``: words, "quoted phrases", ``+`` and ``-``.

Kept apart from the index (no tantivy here) so a filter can be checked, and a bad one
refused with a message, before any file is opened. Tantivy's own query language is
not exposed: its ``field:value`` and operators would turn an ordinary ``U.S.`` or
``covid-19:`` into a syntax error, and its field names are ours to change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from archive.errors import QueryError

# A clause: an optional + or -, then a "quoted phrase" or a run of non-space characters.
_CLAUSE = re.compile(r'([+-]?)(?:"([^"]*)"|([^\s"]+))')


class Occur(StrEnum):
    """How a clause counts: ranked if present, required, or excluded."""

    SHOULD = ""
    MUST = "+"
    MUST_NOT = "-"


@dataclass(frozen=True)
class Clause:
    text: str  # a word, or the words of a phrase (each analysed as a phrase when >1 token)
    occur: Occur = Occur.SHOULD
    phrase: bool = False


@dataclass(frozen=True)
class SearchText:
    """A checked ``--search``: its clauses, in the order given."""

    source: str
    clauses: tuple[Clause, ...]

    @property
    def wanted(self) -> tuple[Clause, ...]:
        """The clauses whose words an article is found by (and highlighted for)."""
        return tuple(c for c in self.clauses if c.occur != Occur.MUST_NOT)


def parse_search(text: object, option: str = "--search") -> SearchText:
    """Words are ranked by BM25 (an article with more of them, and rarer ones, ranks
    higher); ``"a phrase"`` matches those words in that order; ``+word`` must be there,
    ``-word`` must not. Raises QueryError saying how to write it instead."""
    if not isinstance(text, str):
        raise QueryError(f"{option} must be text, not {text!r}")
    source = text.strip()
    if not source:
        raise QueryError(f'{option} is empty: give words or a "quoted phrase" to look for')
    if source.count('"') % 2:
        raise QueryError(f'{option} {source!r} has a quote that is not closed: put each '
                         'phrase between two double quotes, e.g. "harbour ferry"')
    clauses = []
    for sign, phrase, word in _CLAUSE.findall(source):
        words = " ".join((phrase or word).split())
        if not words.strip("+-"):
            continue  # an empty phrase "" or a lone + or -: nothing to look for
        clauses.append(Clause(words, Occur(sign), phrase=bool(phrase)))
    if not any(c.occur != Occur.MUST_NOT for c in clauses):
        raise QueryError(f"{option} {source!r} has nothing to look for: give at least one "
                         "word or phrase that is not excluded with -")
    return SearchText(source, tuple(clauses))
