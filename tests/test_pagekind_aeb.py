"""Every real news page of the extraction benchmark is recognised as an article.

The 181 pages of ``../shared/aeb/`` are all articles (each has a hand-checked body).
The crawl benchmark serves them as a local site, with their canonical and ``og:url``
tags removed (so that copies stay distinct) and at story-shaped URLs; here each goes
through the same analysis the crawl runs in its workers
(``crawler.extract.pageanalysis.analyse_page`` without extraction) at two such
URLs, one with a date in its path and one with a numeric story id. At their original URLs (from
``ground-truth.json``) a few are not articles, each for a reason written down below.

Skipped, not failed, without ``../shared/aeb/``: this checks the classifier against
real pages, and the quality gate (tests/test_extract_quality.py) already insists on
the directory being there.
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest

from crawler.discovery.pagekind import PageKind
from crawler.extract.pageanalysis import analyse_page

AEB = Path(__file__).resolve().parents[2] / "shared" / "aeb"
AEB_HTML = AEB / "html"
# What the crawl benchmark strips from each copy it serves.
_CANONICAL = re.compile(
    r"<link[^>]+rel=[\"']?canonical[^>]*>|<meta[^>]+property=[\"']og:url[\"'][^>]*>", re.I
)
STORY_URLS = {
    "date": "http://127.0.0.1:8000/2019/11/18/story-{n}/",
    "id": "http://127.0.0.1:8000/news/{id}/",
}
#: Pages of the benchmark that are not articles at a story-shaped URL, each with why.
#: Empty: every one is recognised. A page added here needs its reason, and the
#: same line in docs/performance.md.
NOT_ARTICLES: dict[str, str] = {}
#: Pages that are not articles at their original URL, and why (docs/performance.md,
#: "Page kind on the real benchmark pages").
NOT_ARTICLES_AT_ORIGINAL_URL = {
    # "?idx=8576&page=1": a page= parameter makes a URL a listing's pagination before
    # the page is looked at; a story's own page=1 cannot be told from a listing's.
    "0ec95c7261d1": "pagination URL",
    "9da36ae4714b": "pagination URL",
    # /about-bugs/: 104 words in an <article> with a date, no byline; under the 120
    # words a page needs without a story-shaped URL.
    "95301fb7883e": "short, and no story URL",
    # /dieta-atkinsa.html: 683 words and not one other signal (no metadata, byline,
    # date, <article>, story-shaped URL): nothing tells it from a static page.
    "ff0f958ade71": "no article signal but its text",
}


def aeb_pages() -> list[tuple[str, str]]:
    if not AEB_HTML.is_dir():
        return []
    return [
        (path.name.split(".")[0], gzip.decompress(path.read_bytes()).decode("utf-8", "replace"))
        for path in sorted(AEB_HTML.glob("*.html.gz"))
    ]


@pytest.fixture(scope="module")
def pages() -> list[tuple[str, str]]:
    found = aeb_pages()
    if not found:
        pytest.skip(f"the extraction benchmark is not at {AEB_HTML}")
    return found


def kind_of(html: str, url: str) -> PageKind | None:
    analysis = analyse_page(_CANONICAL.sub("", html), url, extract=False)
    return analysis.kind if analysis is not None else None


@pytest.mark.parametrize("shape", sorted(STORY_URLS))
def test_every_benchmark_page_is_an_article(pages, shape):
    assert len(pages) == 181
    missed = {}
    for n, (page_id, html) in enumerate(pages):
        url = STORY_URLS[shape].format(n=n, id=1_000_000 + n)
        kind = kind_of(html, url)
        if kind is not PageKind.ARTICLE and page_id not in NOT_ARTICLES:
            missed[page_id[:12]] = kind
    assert missed == {}, f"not recognised as articles at {shape}-shaped URLs: {missed}"


def test_at_their_original_urls(pages):
    urls = {page_id: entry["url"] for page_id, entry in
            json.loads((AEB / "ground-truth.json").read_text(encoding="utf-8")).items()}
    missed = {page_id[:12] for page_id, html in pages
              if kind_of(html, urls[page_id]) is not PageKind.ARTICLE}
    assert missed == set(NOT_ARTICLES_AT_ORIGINAL_URL)


def test_copies_lose_their_canonical_and_og_url():
    html = ('<head><link rel="canonical" href="https://x.example/a">'
            '<meta property="og:url" content="https://x.example/a">'
            '<meta property="og:type" content="article"></head>')
    assert _CANONICAL.sub("", html) == '<head><meta property="og:type" content="article"></head>'
