"""Figures built from crawl stats: what counts as an error, and by kind."""

from __future__ import annotations

from crawler.extensions.summary import error_breakdown, error_count

STATS = {
    "downloader/response_status_count/200": 90,
    "downloader/response_status_count/404": 3,
    "downloader/response_status_count/503": 2,
    "downloader/response_status_count/304": 7,
    # One of the 404s is the site's missing robots.txt: normal, not an error.
    "robotstxt/response_status_count/404": 1,
    "downloader/exception_count": 6,
    "downloader/exception_type_count/twisted.internet.error.TimeoutError": 2,
    # Requests robots.txt forbids (and requests dropped on shutdown): choices, not errors.
    "downloader/exception_type_count/scrapy.exceptions.IgnoreRequest": 4,
    "extract/failed": 1,
    "warc/write_failed": 0,
}


class TestErrors:
    def test_by_kind(self):
        assert error_breakdown(STATS) == {"TimeoutError": 2, "extract_failed": 1,
                                          "http_404": 2, "http_503": 2}

    def test_the_kinds_add_up_to_the_count(self):
        assert error_count(STATS) == 7

    def test_a_clean_crawl_has_none(self):
        clean = {"downloader/response_status_count/200": 5,
                 "downloader/response_status_count/404": 1,
                 "robotstxt/response_status_count/404": 1}
        assert error_breakdown(clean) == {} and error_count(clean) == 0
