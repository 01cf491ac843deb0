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

Made in every extraction worker for every article, so two steps take shortcuts
that change no bit (tests/test_extract_fingerprint.py holds them to the plain
definition): a text that is ASCII after NFKD has no accent to drop, any other
loses its marks in one ``str.translate``; and the shingles' SHA-1 prefixes are
read from all digests at once, datasketch getting them through ``hashfunc=int``
(0.9 -> 0.5 ms a light article in a worker).
"""

from __future__ import annotations

import re
import sys
import unicodedata
from functools import lru_cache
from hashlib import sha1
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
                        scheme="affine32", hashfunc=int)
    signature.update_batch(shingle_hashes(words))
    return signature.hashvalues.tolist()


def similarity(one: list[int], other: list[int]) -> float:
    """The estimated Jaccard similarity of two fingerprints' texts (0 to 1)."""
    if len(one) != len(other) or not one:
        raise ValueError("fingerprints of different lengths do not compare")
    return sum(a == b for a, b in zip(one, other, strict=True)) / len(one)


def text_words(text: str) -> list[str]:
    """The words of ``text``, case and accents folded (see the module docstring)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    if not decomposed.isascii():
        decomposed = decomposed.translate(_combining_marks())
    return _WORD.findall(decomposed)


def shingles(words: list[str]) -> list[bytes]:
    """Every run of ``SHINGLE_WORDS`` words (the whole text when it is shorter)."""
    if len(words) <= SHINGLE_WORDS:
        return [" ".join(words).encode("utf-8")]
    if SHINGLE_WORDS == 3:  # the same runs, without a slice and a join for each
        return [f"{one} {two} {three}".encode()
                for one, two, three in zip(words, words[1:], words[2:], strict=False)]
    return [" ".join(words[i:i + SHINGLE_WORDS]).encode("utf-8")
            for i in range(len(words) - SHINGLE_WORDS + 1)]


def shingle_hashes(words: list[str]) -> list[int]:
    """datasketch's ``sha1_hash32`` of each of :func:`shingles`: the first four bytes
    of the shingle's SHA-1 digest, little-endian."""
    import numpy as np

    digests = b"".join([sha1(run).digest() for run in shingles(words)])
    # a digest is 20 bytes, five little-endian uint32s: the first of each five
    return np.frombuffer(digests, dtype="<u4")[::5].tolist()


@lru_cache(maxsize=1)
def _combining_marks() -> dict[int, None]:
    """Every code point ``unicodedata.combining`` calls a mark, to delete: found once
    per process (40 ms), so it is exactly the test the definition makes."""
    return dict.fromkeys(point for point in range(sys.maxunicode + 1)
                         if unicodedata.combining(chr(point)))


@lru_cache(maxsize=1)
def _permutations() -> Any:
    """The seeded permutations, made once (a third of a short text's cost otherwise)."""
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=SEED).permutations
