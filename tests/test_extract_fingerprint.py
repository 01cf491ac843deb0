"""archive.fingerprint's shortcuts change no bit: its signature is the plain
definition's (written out below), on odd texts and on extracted articles."""

from __future__ import annotations

import unicodedata

import pytest

from archive.fingerprint import NUM_PERM, SEED, fingerprint, shingle_hashes, shingles, text_words
from tests.extractpages import PAGES as PAGE_DIR


def definition_words(text: str) -> list[str]:
    """Case folded, NFKD, every combining mark dropped, then the ``\\w+`` runs."""
    import re

    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return re.findall(r"\w+", "".join(c for c in decomposed if not unicodedata.combining(c)))


def definition(text: str | None) -> list[int] | None:
    """datasketch's MinHash of the three-word runs, its own SHA-1 hashing."""
    words = definition_words(text or "")
    if not words:
        return None
    from datasketch import MinHash

    runs = [" ".join(words)] if len(words) <= 3 else \
        [" ".join(words[i:i + 3]) for i in range(len(words) - 2)]
    signature = MinHash(num_perm=NUM_PERM, seed=SEED, scheme="affine32")
    signature.update_batch([run.encode("utf-8") for run in runs])
    return [int(value) for value in signature.hashvalues]


TEXTS = [
    "",
    "   ",
    "—…!?",
    "word",
    "two words",
    "exactly three words",
    "four words in all",
    "Café crème, naïve coöperation: a résumé of Ångström's work.",
    "ﬁnancial Ǆemal straße İstanbul ΣΊΣΥΦΟΣ",  # ligatures, casefold and NFKD corners
    "日本語のテキストと English mixed 中文",
    "\u0301\u0301abc a\u0308b\u0327c",  # marks alone and after letters
    "Zażółć gęślą jaźń. Příliš žluťoučký kůň úpěl ďábelské ódy.",
    "اللغة العربية مع التشكيل: مَرْحَبًا بِكُمْ",
    "The council said.\nThe council said.\n" * 200,
]


@pytest.mark.parametrize("text", TEXTS)
def test_same_signature_as_the_definition(text: str) -> None:
    assert fingerprint(text) == definition(text)


@pytest.mark.parametrize("text", TEXTS)
def test_same_words_and_hashes(text: str) -> None:
    from datasketch.hashfunc import sha1_hash32

    words = text_words(text)
    assert words == definition_words(text)
    assert shingle_hashes(words) == [sha1_hash32(run) for run in shingles(words)]


def test_none_and_empty() -> None:
    assert fingerprint(None) is None
    assert fingerprint("?!") is None


def test_same_signature_on_extracted_articles() -> None:
    from crawler.extract.article import extract_article

    # many CMSs in six languages (tests/pages/publishers/) and the other test pages
    paths = sorted(PAGE_DIR.glob("*.html")) + sorted(PAGE_DIR.glob("publishers/*.html"))
    articles = (extract_article(path.read_bytes(), f"https://example.org/{path.stem}")
                for path in paths)
    texts = [article["text"] for article in articles if article]
    assert len(texts) >= 20
    for text in texts:
        assert fingerprint(text) == definition(text)
