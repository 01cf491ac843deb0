"""The worker's quicker fingerprint is archive.fingerprint's, bit for bit."""

from __future__ import annotations

import pytest

from archive.fingerprint import fingerprint, shingles, text_words
from crawler.extract.fingerprint import article_fingerprint, folded_words, shingle_hashes
from tests.extractpages import PAGES as PAGE_DIR

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
def test_same_signature_as_the_reference(text: str) -> None:
    assert article_fingerprint(text) == fingerprint(text)


@pytest.mark.parametrize("text", TEXTS)
def test_same_words_and_hashes(text: str) -> None:
    from datasketch.hashfunc import sha1_hash32

    words = folded_words(text)
    assert words == text_words(text)
    assert shingle_hashes(words) == [sha1_hash32(run) for run in shingles(words)]


def test_none_and_empty() -> None:
    assert article_fingerprint(None) is None
    assert article_fingerprint("?!") is None


def test_same_signature_on_extracted_articles() -> None:
    from crawler.extract.article import extract_article

    # many CMSs in six languages (tests/pages/publishers/) and the other test pages
    paths = sorted(PAGE_DIR.glob("*.html")) + sorted(PAGE_DIR.glob("publishers/*.html"))
    articles = (extract_article(path.read_bytes(), f"https://example.org/{path.stem}")
                for path in paths)
    texts = [article["text"] for article in articles if article]
    assert len(texts) >= 20
    for text in texts:
        assert article_fingerprint(text) == fingerprint(text)
