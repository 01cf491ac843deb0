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

The signature is a MinHash in the scheme datasketch 2.0 calls ``affine32``: each
shingle's SHA-1 is cut to 32 bits, mixed once with MurmurHash3's finalizer, then sent
through ``NUM_PERM`` seeded affine maps ``a * h + b`` modulo 2**32 (``a`` odd, so
each is a permutation), and each map's smallest value is kept: unsigned 32-bit
integers, stored in each article record. Fingerprints made otherwise would not
compare with the archive's, so the scheme, the seed and the way the maps are drawn
from it are fixed here, and tests/test_extract_fingerprint.py holds the signature
to datasketch's own MinHash, bit for bit. It is computed here with numpy alone:
datasketch's package imports scipy and redis (0.3 s and 20 MB in every crawl's
extraction workers, for four lines of arithmetic).

Made in every extraction worker for every article, so two steps take shortcuts
that change no bit (tests/test_extract_fingerprint.py holds them to the plain
definition): a text that is ASCII after NFKD has no accent to drop, any other
loses its marks in one ``str.translate``; and the shingles' SHA-1 prefixes are
read from all digests at once.
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
# MurmurHash3's finalizer constants (fmix32); numpy keeps the uint32 arrays they multiply
_MIX_1, _MIX_2 = 0x85EBCA6B, 0xC2B2AE35


def fingerprint(text: str | None) -> list[int] | None:
    """The MinHash signature of ``text``'s words (``NUM_PERM`` unsigned 32-bit ints);
    None for a text without a word (nothing to compare)."""
    words = text_words(text or "")
    if not words:
        return None
    multipliers, offsets = _permutations()
    mixed = _murmur_finalizer(_shingle_hash_array(words))
    # every shingle through every map at once (a row a shingle); uint32 wraps: mod 2**32
    return (mixed[:, None] * multipliers + offsets).min(axis=0).tolist()


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
    return _shingle_hash_array(words).tolist()


def _shingle_hash_array(words: list[str]) -> Any:
    import numpy as np

    digests = b"".join([sha1(run).digest() for run in shingles(words)])
    # a digest is 20 bytes, five little-endian uint32s: the first of each five
    return np.frombuffer(digests, dtype="<u4")[::5].astype(np.uint32)


@lru_cache(maxsize=1)
def _combining_marks() -> dict[int, None]:
    """Every code point ``unicodedata.combining`` calls a mark, to delete: found once
    per process (40 ms), so it is exactly the test the definition makes."""
    return dict.fromkeys(point for point in range(sys.maxunicode + 1)
                         if unicodedata.combining(chr(point)))


def _murmur_finalizer(hashes: Any) -> Any:
    """MurmurHash3's 32-bit finalizer, element-wise: a bijection that spreads the bits
    of each hash (uint32 arithmetic wraps, which is the modulo it is defined with)."""
    hashes = hashes ^ (hashes >> 16)
    hashes = hashes * _MIX_1
    hashes = hashes ^ (hashes >> 13)
    hashes = hashes * _MIX_2
    return hashes ^ (hashes >> 16)


@lru_cache(maxsize=1)
def _permutations() -> tuple[Any, Any]:
    """The ``NUM_PERM`` affine maps' multipliers (odd) and offsets, drawn from numpy's
    seeded Mersenne Twister in the order datasketch draws them: made once."""
    import numpy as np

    draw = np.random.RandomState(SEED)
    multipliers = draw.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) \
        + np.uint32(1)
    offsets = draw.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return multipliers, offsets
