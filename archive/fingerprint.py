"""A text fingerprint for finding near-identical articles: MinHash over word shingles.

Two texts' fingerprints agree in about as many of their places as the texts share
of their three-word runs (shingles), out of all the runs either has (the Jaccard
similarity): a wire story copied word for word agrees everywhere, the same story
with a new intro paragraph in most places, two stories on the same topic in
almost none (they share words, rarely runs of three). ``archive.query.duplicates``
groups articles by it.

Words are compared folded: any case, accents dropped (``Café`` is ``cafe``), and
punctuation is not a word, so an outlet's typography (curly quotes, dashes) does
not make a copy look different. A text shorter than a shingle is one shingle.

The signature is datasketch's MinHash (its ``affine32`` scheme: SHA-1 of each
shingle, then ``NUM_PERM`` seeded permutations) as unsigned 32-bit integers,
stored in each article record. It depends on the seed and on datasketch's
scheme: both are pinned (``SEED`` here, datasketch in pyproject.toml), because
fingerprints made otherwise would not compare with the archive's.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

NUM_PERM = 64
SEED = 1
SHINGLE_WORDS = 3
_WORD = re.compile(r"\w+")


def fingerprint(text: str | None) -> list[int] | None:
    """The MinHash signature of ``text``'s words (``NUM_PERM`` unsigned 32-bit ints);
    None for a text without a word (nothing to compare)."""
    words = text_words(text or "")
    if not words:
        return None
    from datasketch import MinHash  # numpy and scipy: loaded only where fingerprints are made

    signature = MinHash(num_perm=NUM_PERM, seed=SEED, permutations=_permutations(),
                        scheme="affine32")
    signature.update_batch(shingles(words))
    return [int(value) for value in signature.hashvalues]


def similarity(one: list[int], other: list[int]) -> float:
    """The estimated Jaccard similarity of two fingerprints' texts (0 to 1)."""
    if len(one) != len(other) or not one:
        raise ValueError("fingerprints of different lengths do not compare")
    return sum(a == b for a, b in zip(one, other, strict=True)) / len(one)


def text_words(text: str) -> list[str]:
    """The words of ``text``, case and accents folded (see the module docstring)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _WORD.findall(folded)


def shingles(words: list[str]) -> list[bytes]:
    """Every run of ``SHINGLE_WORDS`` words (the whole text when it is shorter)."""
    if len(words) <= SHINGLE_WORDS:
        return [" ".join(words).encode("utf-8")]
    return [" ".join(words[i:i + SHINGLE_WORDS]).encode("utf-8")
            for i in range(len(words) - SHINGLE_WORDS + 1)]


@lru_cache(maxsize=1)
def _permutations() -> Any:
    """The seeded permutations, made once (a third of a short text's cost otherwise)."""
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=SEED).permutations
