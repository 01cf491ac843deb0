"""Every real news page of the extraction benchmark is recognised as an article.

The 181 pages of ``../shared/aeb/`` are all articles (each has a hand-checked body).
The crawl benchmark serves them as a local site, with their canonical and ``og:url``
tags removed (so that copies stay distinct) and at story-shaped URLs; here each goes
through the same analysis the crawl runs in its workers
(``crawler.extract.pageanalysis.analyse_page_only``) at two such URLs, one with a date
in its path and one with a numeric story id.

Skipped, not failed, without ``../shared/aeb/``: this checks the classifier against
real pages, and the quality gate (tests/test_extract_quality.py) already insists on
the directory being there.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest

from crawler.discovery.pagekind import PageKind
from crawler.extract.pageanalysis import analyse_page_only

AEB_HTML = Path(__file__).resolve().parents[2] / "shared" / "aeb" / "html"
# What the crawl benchmark strips from each copy it serves.
_CANONICAL = re.compile(
    r"<link[^>]+rel=[\"']?canonical[^>]*>|<meta[^>]+property=[\"']og:url[\"'][^>]*>", re.I
)
STORY_URLS = {
    "date": "http://127.0.0.1:8000/2019/11/18/story-{n}/",
    "id": "http://127.0.0.1:8000/news/{id}/",
}
#: Pages of the benchmark that are not articles by their own signals, each with why.
#: Empty: every one is recognised. A page added here needs its reason, and the
#: same line in docs/performance.md.
NOT_ARTICLES: dict[str, str] = {}


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


@pytest.mark.parametrize("shape", sorted(STORY_URLS))
def test_every_benchmark_page_is_an_article(pages, shape):
    assert len(pages) == 181
    missed = {}
    for n, (page_id, html) in enumerate(pages):
        url = STORY_URLS[shape].format(n=n, id=1_000_000 + n)
        analysis = analyse_page_only(_CANONICAL.sub("", html), url)
        kind = analysis.kind if analysis is not None else None
        if kind is not PageKind.ARTICLE and page_id not in NOT_ARTICLES:
            missed[page_id[:12]] = kind
    assert missed == {}, f"not recognised as articles at {shape}-shaped URLs: {missed}"


def test_copies_lose_their_canonical_and_og_url():
    html = ('<head><link rel="canonical" href="https://x.example/a">'
            '<meta property="og:url" content="https://x.example/a">'
            '<meta property="og:type" content="article"></head>')
    assert _CANONICAL.sub("", html) == '<head><meta property="og:type" content="article"></head>'
