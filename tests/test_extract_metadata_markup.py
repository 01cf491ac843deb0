"""The metadata benchmark's --without-markup: pages scored without their date markup."""

from __future__ import annotations

from bench import extract_metadata
from bench._metadata.markup import without_markup

PAGE = ("<html><head><title>T</title>"
        '<meta property="article:published_time" content="2019-11-18T10:00:00Z">'
        '<meta name="pubdate" content="20191118"><meta name="author" content="Ana Ruiz">'
        '<meta property="og:title" content="Council passes budget">'
        '<script type="application/ld+json">{"@type": "NewsArticle", '
        '"datePublished": "2019-11-18"}</script></head><body><h1>Council passes budget</h1>'
        '<span itemprop="datePublished" content="2019-11-18">Nov 18, 2019</span>'
        "<p>The council approved the budget.</p></body></html>")


def test_the_markup_that_names_dates_goes_and_the_rest_stays():
    stripped = without_markup(PAGE)
    for gone in ("ld+json", "datePublished", "published_time", "pubdate", "itemprop"):
        assert gone not in stripped
    for kept in ('<meta name="author" content="Ana Ruiz">', "og:title", "Nov 18, 2019",
                 "<h1>Council passes budget</h1>", "The council approved the budget."):
        assert kept in stripped


def test_the_benchmark_scores_the_pages_as_they_print_their_dates():
    with_markup = extract_metadata.benchmark(["htmldate"], rounds=0, sources=("publishers",))
    printed = extract_metadata.benchmark(["htmldate"], rounds=0, sources=("publishers",),
                                         markup=False)
    assert printed["pages"] == with_markup["pages"]
    assert all("ld+json" not in page.html for page in printed["_pages"])
    assert any("ld+json" in page.html for page in with_markup["_pages"])
    # the same pages, read differently
    assert printed["_answers"]["htmldate"] != with_markup["_answers"]["htmldate"]
