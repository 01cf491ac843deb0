"""One parse per page: kind, canonical URL, links, feeds and the article together."""

from __future__ import annotations

import asyncio
from functools import partial
from pathlib import Path

from crawler.discovery.pagekind import PageKind
from crawler.extract.article import extract_article, parse_html
from crawler.extract.pageanalysis import analyse_page
from crawler.extract.pool import ExtractionPool, InlineExtraction

PAGES = Path(__file__).parent / "pages"
ARTICLE_URL = "https://ledger.example/2021/06/08/bike-lanes-harbor-street/"
LISTING_URL = "https://ledger.example/local/"


def page(name: str) -> str:
    return (PAGES / name).read_text(encoding="utf-8")


class TestAnalysePage:
    def test_article_comes_with_its_extraction(self):
        analysis = analyse_page(page("wordpress_post.html"), ARTICLE_URL)
        assert analysis is not None
        assert analysis.kind is PageKind.ARTICLE
        assert analysis.canonical == ARTICLE_URL
        # the same result as extracting the page on its own
        assert analysis.article == extract_article(page("wordpress_post.html"), ARTICLE_URL)

    def test_links_are_taken_before_extraction_edits_the_tree(self):
        analysis = analyse_page(page("wordpress_post.html"), ARTICLE_URL)
        assert analysis is not None
        hrefs = [href for href, _ in analysis.anchors]
        assert {"/news/", "/sports/", "/author/ana-ruiz/", "/category/local/"} <= set(hrefs)
        assert "#" not in hrefs  # share buttons are not links to follow

    def test_listing_has_links_and_no_article(self):
        analysis = analyse_page(page("section_listing.html"), LISTING_URL)
        assert analysis is not None
        assert analysis.kind is PageKind.LISTING
        assert analysis.article is None and analysis.canonical is None
        assert ("/2021/06/07/library/", False) in analysis.anchors

    def test_a_page_of_too_many_elements_is_read_for_its_links_only(self, monkeypatch):
        import crawler.extract.pageanalysis as pageanalysis

        html = page("wordpress_post.html")
        elements = sum(1 for _ in parse_html(html).iter())  # what is counted
        monkeypatch.setattr(pageanalysis, "MAX_ELEMENTS", elements)
        assert analyse_page(html, ARTICLE_URL).article is not None  # at the limit
        monkeypatch.setattr(pageanalysis, "MAX_ELEMENTS", elements - 1)
        analysis = analyse_page(html, ARTICLE_URL)
        assert analysis.kind is PageKind.OTHER and analysis.article is None
        assert analysis.not_extracted == "too_many_elements" and analysis.anchors

    def test_without_extraction(self):
        analysis = analyse_page(page("wordpress_post.html"), ARTICLE_URL, extract=False)
        assert analysis is not None
        assert analysis.kind is PageKind.ARTICLE and analysis.article is None

    def test_requisites_only_when_asked_for(self):
        html = page("wordpress_post.html")
        assert analyse_page(html, ARTICLE_URL).requisites
        without = analyse_page(html, ARTICLE_URL, find_requisites=False)
        assert without.requisites == [] and without.article is not None

    def test_pagination_said_by_the_anchor(self):
        html = ('<html><body><p>x</p><a href="/a">Older posts</a><a href="/b" rel="next">2</a>'
                '<a href="/c">Story</a></body></html>')
        analysis = analyse_page(html, LISTING_URL)
        assert analysis is not None
        assert analysis.anchors == [("/a", True), ("/b", True), ("/c", False)]

    def test_advertised_feeds_are_absolute(self):
        html = ('<html><head><link rel="alternate" type="application/rss+xml" href="/feed/">'
                '</head><body><p>x</p></body></html>')
        analysis = analyse_page(html, LISTING_URL)
        assert analysis is not None
        assert analysis.feeds == ["https://ledger.example/feed/"]

    def test_nothing_to_parse(self):
        assert analyse_page("", LISTING_URL) is None
        assert analyse_page("   \n", LISTING_URL) is None


class TestWhereItRuns:
    def test_workers_and_inline_agree(self):
        html = page("wordpress_post.html")
        pool = ExtractionPool(processes=1, timeout=60, extractor=analyse_page)
        try:
            in_worker = asyncio.run(pool.extract(html, ARTICLE_URL))
            # the crawl hands workers a partial (extraction and requisites as the job says)
            only_links = asyncio.run(pool.run(partial(analyse_page, extract=False),
                                              html, ARTICLE_URL))
            bare = asyncio.run(pool.run(partial(analyse_page, extract=False,
                                                find_requisites=False), html, ARTICLE_URL))
        finally:
            pool.close()
        inline = asyncio.run(InlineExtraction(analyse_page).extract(html, ARTICLE_URL))
        assert in_worker == inline
        assert only_links.article is None and only_links.anchors == inline.anchors
        assert bare.article is None and bare.requisites == [] and bare.anchors == inline.anchors
