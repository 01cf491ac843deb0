"""Extraction quality on 24 pages in real publishers' markup (``tests/pages/publishers/``).

The pages imitate the markup of real publishers and CMSs (WordPress, Arc XP,
BLOX, Drupal, Ghost, AMP, a table layout, ...) in six languages, with hand-written
ground truth; ``tests/pages/publishers/README.md`` says how it was annotated. The
extractor must reach the thresholds below and must not score below plain
trafilatura (default settings) on the same pages in the same run.

The thresholds are fixed. When a test fails, improve the extractor with general
methods; never edit the pages or ``truth.json`` to make it pass.
"""

from __future__ import annotations

import re
from collections import Counter

import lxml.html
import pytest

from tests.pages.publishers.score import (
    EXTRACTOR,
    FIELDS,
    HERE,
    load_extractor,
    load_truth,
    read_page,
    score,
    tokens,
    trafilatura_extractor,
)

MIN_BODY_F1 = 0.95
MIN_ACCURACY = {"title": 0.9, "published": 0.9, "language": 1.0, "authors": 0.8}
PAGE_BYTES = (15 * 1024, 120 * 1024)
MIN_NON_ENGLISH = 5


@pytest.fixture(scope="module")
def truth() -> dict:
    return load_truth()


@pytest.fixture(scope="module")
def ours(truth) -> dict:
    return score(load_extractor(EXTRACTOR), truth)


@pytest.fixture(scope="module")
def plain_trafilatura(truth) -> dict:
    return score(trafilatura_extractor(), truth)


def weakest(result: dict, metric: str = "f1", below: float = 1.0) -> str:
    pages = sorted(result["pages"].items(), key=lambda item: item[1][metric])
    return "\n".join(
        f"  {name}: F1 {p['f1']:.3f} (precision {p['precision']:.3f}, recall {p['recall']:.3f})"
        for name, p in pages if p[metric] < below
    )


BLOCKS = frozenset("address article aside blockquote br dd div dl dt figcaption figure footer "
                   "h1 h2 h3 h4 h5 h6 header li main nav ol p section table td th tr ul".split())


def visible_tokens(html: str) -> Counter[str]:
    """Tokens a reader can see: no scripts or styles, and block elements kept apart."""
    root = lxml.html.fromstring(html)
    for element in root.xpath("//script | //style | //noscript | //template"):
        element.drop_tree()
    for element in root.iter():
        if element.tag in BLOCKS:
            element.text = "\n" + (element.text or "")
            element.tail = "\n" + (element.tail or "")
    return tokens(root.text_content())


class TestGroundTruth:
    """Guards the fixture itself, so a typo in truth.json cannot pass for an extractor error."""

    def test_every_page_has_truth(self, truth):
        on_disk = {p.name for p in HERE.glob("*.html")}
        assert on_disk == set(truth)
        assert len(truth) == 24

    def test_pages_are_realistic_sizes(self, truth):
        sizes = {name: len(read_page(name).encode("utf-8")) for name in truth}
        wrong = {n: s for n, s in sizes.items() if not PAGE_BYTES[0] <= s <= PAGE_BYTES[1]}
        assert not wrong, f"pages outside {PAGE_BYTES} bytes: {wrong}"

    def test_languages(self, truth):
        non_english = [n for n, t in truth.items() if t["language"] != "en"]
        assert len(non_english) >= MIN_NON_ENGLISH, non_english

    def test_fields_are_well_formed(self, truth):
        for name, want in truth.items():
            assert want["url"].startswith("http"), name
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", want["published"]), name
            assert re.fullmatch(r"[a-z]{2}", want["language"]), name
            assert isinstance(want["authors"], list), name
            assert want["title"] and want["text"], name

    @pytest.mark.parametrize("name", sorted(load_truth()))
    def test_truth_text_is_on_the_page(self, truth, name):
        missing = tokens(truth[name]["text"]) - visible_tokens(read_page(name))
        assert not missing, f"{name}: truth tokens not in the page's visible text: {missing}"


class TestPublisherPages:
    def test_body_f1(self, ours):
        assert ours["f1"] >= MIN_BODY_F1, (
            f"mean body F1 {ours['f1']:.4f} < {MIN_BODY_F1} (precision {ours['precision']:.4f}, "
            f"recall {ours['recall']:.4f}); pages below {MIN_BODY_F1}:\n"
            + weakest(ours, below=MIN_BODY_F1)
        )

    def test_not_worse_than_plain_trafilatura(self, ours, plain_trafilatura):
        assert ours["f1"] >= plain_trafilatura["f1"], (
            f"mean body F1 {ours['f1']:.4f} is below plain trafilatura's "
            f"{plain_trafilatura['f1']:.4f}; weakest pages:\n" + weakest(ours, below=0.99)
        )

    @pytest.mark.parametrize("field", FIELDS)
    def test_metadata_accuracy(self, ours, truth, field):
        wrong = [
            f"  {name}: got {p['got'][field]!r}, want {truth[name][field]!r}"
            for name, p in ours["pages"].items() if not p["ok"][field]
        ]
        assert ours[field] >= MIN_ACCURACY[field], (
            f"{field} accuracy {ours[field]:.3f} < {MIN_ACCURACY[field]}:\n" + "\n".join(wrong)
        )
