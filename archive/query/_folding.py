"""How ``--text`` folds text, and a regular expression that finds a folded phrase in
text that was never folded.

``--text`` compares without regard to case or accents: "HÄUSSLER" finds
"Häußler", because both fold to "haussler" (DuckDB's ``strip_accents(lower())``,
and "ß" as "ss"). Folding every body costs: 3.5 s over 100,000 bodies, against
0.15 s for a case-blind search of an ASCII needle, and real news text is
rarely ASCII (one typographic apostrophe is enough). So a text that is not
ASCII is searched with :func:`accent_blind_pattern` first, a regular
expression that matches wherever the folded text would contain the folded
phrase: each of the phrase's characters as the class of every character that
folds to it, with room between them for the marks folding removes (1.0 s
against 7.3 s over 100,000 bodies with accents, on a busy machine).

The classes come from DuckDB's own folding of every character that folding
changes (45 ms, once per process), so the expression and the folding agree on
what each character becomes; folding works character by character, so a text
matches exactly when its fold contains the phrase's. Those characters are in
the first two planes, the CJK compatibility ideographs of the third and the
variation selectors of the fourteenth (:data:`_FOLDED_RANGES`; the test checks
every code point).

Bodies are folded once, when a part's Parquet index is written (its
``text_folded`` column, :func:`folded_text_sql`), and ``--text`` looks for the
folded phrase there; the pattern serves titles, parts read from their JSON
Lines and indexes written before that column.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass

_RE2_SPECIAL = set("\\^-[]")


def folded_sql(expression: str) -> str:
    """SQL for ``expression`` folded, as ``--text`` and ``--author`` compare text:
    lower case, without accents, "ß" as "ss" ("HÄUSSLER" and "Häußler" are both
    "haussler"). ``strip_accents`` stops at a NUL: see :func:`folded_text_sql`."""
    return f"replace(strip_accents(lower({expression})), 'ß', 'ss')"


def folded_text_sql(expression: str) -> str:
    """:func:`folded_sql` for a text that may hold NULs, which it keeps: such a text is
    folded a piece between NULs at a time (folding goes character by character, so
    that is its fold), not cut short at its first NUL. An ASCII text (as many bytes as
    characters) is only lower-cased: that is its fold, and ten times cheaper."""
    pieces = (f"array_to_string(list_transform(string_split({expression}, chr(0)), "
              f"lambda piece: {folded_sql('piece')}), chr(0))")
    return (f"CASE WHEN strlen({expression}) = length({expression}) THEN lower({expression}) "
            f"WHEN contains({expression}, chr(0)) THEN {pieces} "
            f"ELSE {folded_sql(expression)} END")


# Where the characters that folding changes are (DuckDB 2.0): the Basic Multilingual
# and Supplementary Multilingual Planes (cased scripts such as Deseret and Adlam, and
# combining marks), CJK Compatibility Ideographs Supplement, Variation Selectors
# Supplement. Folding every code point takes 0.4 s; these ranges 45 ms.
_FOLDED_RANGES = ((1, 0x20000), (0x2F800, 0x2FA20), (0xE0100, 0xE01F0))

# The fold of one character, as the query folds text (surrogates are not characters).
_FOLD_EVERY_CHARACTER = (
    f"SELECT cp, {folded_sql('chr(cp::INTEGER)')} FROM ("
    + " UNION ALL ".join(f"SELECT * FROM range({low}, {high})" for low, high in _FOLDED_RANGES)
    + ") AS characters(cp) WHERE cp < 55296 OR cp > 57343")


@dataclass(frozen=True)
class FoldTable:
    """What each character folds to, where that is not itself."""

    folds: dict[str, str]

    def fold(self, text: str) -> str:
        return "".join(self.folds.get(character, character) for character in text)

    @functools.cached_property
    def classes(self) -> dict[str, str]:
        """A folded character -> the class body of every character folding to it."""
        sources: defaultdict[str, list[str]] = defaultdict(list)
        for character, folded in self.folds.items():
            if len(folded) == 1:
                sources[folded].append(character)
        for folded in list(sources):
            sources[folded].append(folded)
        return {folded: _class_body(chars) for folded, chars in sources.items()}

    @functools.cached_property
    def vanishing(self) -> str:
        """The class body of the characters that fold to nothing (combining marks).
        A class of 1,338 characters costs RE2 no more than ``\\p{M}`` would."""
        return _class_body([c for c, folded in self.folds.items() if not folded])

    @functools.cached_property
    def expanding(self) -> dict[str, list[str]]:
        """What several characters stand for -> the characters folding to it (ß: ss)."""
        found: defaultdict[str, list[str]] = defaultdict(list)
        for character, folded in self.folds.items():
            if len(folded) > 1:
                found[folded].append(character)
        return dict(found)


@functools.cache
def fold_table() -> FoldTable:
    import duckdb

    with duckdb.connect() as connection:
        rows = connection.execute(_FOLD_EVERY_CHARACTER).fetchall()
    return FoldTable({chr(point): folded for point, folded in rows if folded != chr(point)})


def accent_blind_pattern(phrase: str) -> str | None:
    """An RE2 pattern matching text whose fold contains ``phrase``'s fold; None when the
    phrase has a character that folds to several (ß) in a way a pattern cannot follow
    simply (then only folding the text will do)."""
    table = fold_table()
    needle = table.fold(phrase)
    if not needle:
        return None
    between = f"[{table.vanishing}]*"
    pieces, position = [], 0
    while position < len(needle):
        several = next((folded for folded in table.expanding
                        if needle.startswith(folded, position)), None)
        if several is None:
            pieces.append(_one(table, needle[position]))
            position += 1
            continue
        if needle.find(several, position + 1) == position + 1:
            return None  # "sss": ß could stand for either pair
        letters = between.join(_one(table, letter) for letter in several)
        pieces.append(f"(?:{letters}|[{_class_body(table.expanding[several])}])")
        position += len(several)
    return between.join(pieces)


def _one(table: FoldTable, folded: str) -> str:
    body = table.classes.get(folded)
    return f"[{body}]" if body else _escaped(folded)


def _class_body(characters: list[str]) -> str:
    """A character class's body for ``characters``, consecutive code points as ranges."""
    points = sorted({ord(c) for c in characters})
    ranges: list[tuple[int, int]] = []
    for point in points:
        if ranges and point == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], point)
        else:
            ranges.append((point, point))
    return "".join(_escaped_in_class(chr(low)) if low == high
                   else f"{_escaped_in_class(chr(low))}-{_escaped_in_class(chr(high))}"
                   for low, high in ranges)


def _escaped_in_class(character: str) -> str:
    if character in _RE2_SPECIAL or not character.isprintable() or character.isspace():
        return f"\\x{{{ord(character):x}}}"
    return character


def _escaped(character: str) -> str:
    return f"\\x{{{ord(character):x}}}"
