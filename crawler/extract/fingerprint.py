"""The article text's fingerprint, made in the worker at a little over half the cost.

:func:`archive.fingerprint.fingerprint` defines the fingerprint (MinHash over
folded three-word shingles) and stays its reference: this module returns exactly
its signature, bit for bit (``tests/test_extract_fingerprint.py`` holds the two
together), and only takes two shortcuts that cost nothing in results:

- **folding**: the reference drops combining marks one character at a time in
  Python (0.3 ms for a 6,000-character article); here a text that is ASCII after
  NFKD has none to drop, and any other text loses them in one ``str.translate``.
- **hashing**: datasketch calls its SHA-1 helper (``struct.unpack`` of a slice of
  the digest) once per shingle; here the shingles are formatted and hashed in one
  list comprehension and the 32 bits read from all digests at once with numpy.
  datasketch gets them through ``hashfunc=int``, so its own permutations and
  minimum (the affine32 scheme) still make the signature.

In a worker on the light benchmark pages this is 0.9 -> 0.5 ms a page (docs/performance.md,
"Extractor cost per page").
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from hashlib import sha1

from archive.fingerprint import NUM_PERM, SEED, SHINGLE_WORDS, shingles

__all__ = ["article_fingerprint", "folded_words", "shingle_hashes"]

_WORD = re.compile(r"\w+")  # the reference's word


def article_fingerprint(text: str | None) -> list[int] | None:
    """:func:`archive.fingerprint.fingerprint` of ``text``, the same list of ints."""
    words = folded_words(text or "")
    if not words:
        return None
    from datasketch import MinHash  # numpy and scipy: loaded only where fingerprints are made

    signature = MinHash(num_perm=NUM_PERM, seed=SEED, permutations=_permutations(),
                        scheme="affine32", hashfunc=int)
    signature.update_batch(shingle_hashes(words))
    return signature.hashvalues.tolist()


def shingle_hashes(words: list[str]) -> list[int]:
    """datasketch's ``sha1_hash32`` of each of ``archive.fingerprint.shingles(words)``:
    the first four bytes of the SHA-1 digest, little-endian."""
    import numpy as np

    if SHINGLE_WORDS == 3 and len(words) > SHINGLE_WORDS:
        triples = zip(words, words[1:], words[2:], strict=False)  # the shorter lists end it
        runs: Iterable[bytes] = (f"{one} {two} {three}".encode() for one, two, three in triples)
    else:
        runs = shingles(words)
    digests = b"".join([sha1(run).digest() for run in runs])
    # a digest is 20 bytes, five little-endian uint32s: the first of each five
    return np.frombuffer(digests, dtype="<u4")[::5].tolist()


def folded_words(text: str) -> list[str]:
    """:func:`archive.fingerprint.text_words`: the words, case and accents folded."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    if not decomposed.isascii():
        decomposed = decomposed.translate(_combining_marks())
    return _WORD.findall(decomposed)


@lru_cache(maxsize=1)
def _combining_marks() -> dict[int, None]:
    """Every code point ``unicodedata.combining`` calls a mark (912 in Unicode 15), to
    delete: found once per process (40 ms), so it is exactly the reference's test."""
    return dict.fromkeys(point for point in range(sys.maxunicode + 1)
                         if unicodedata.combining(chr(point)))


@lru_cache(maxsize=1)
def _permutations() -> object:
    """The reference's seeded permutations, made once."""
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=SEED).permutations
