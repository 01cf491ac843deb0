"""Which page requisites are fetched (crawler.requisites.policy) and their caps
(crawler.middlewares.requisites), without a crawl."""

from __future__ import annotations

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from crawler.middlewares.requisites import RequisiteCapsMiddleware
from crawler.requisites.excluded import HostList
from crawler.requisites.policy import EXCLUDED, OTHER_SITE, RequisitePolicy, site_of_host
from crawler.spiders.requisites import REQUISITE_META_KEY, REQUISITE_OF_META_KEY

PAGE = "https://www.herald.example/news/1"


class TestPolicy:
    def test_a_host_list_covers_subdomains_only(self):
        hosts = HostList(["doubleclick.net", "cdn.segment.com"])
        assert hosts.covers("securepubads.g.doubleclick.net")
        assert hosts.covers("DoubleClick.net.")
        assert not hosts.covers("notdoubleclick.net")
        assert not hosts.covers("segment.com")

    def test_sites_by_registrable_domain(self):
        assert site_of_host("static.bbc.co.uk") == site_of_host("www.bbc.co.uk") == "bbc.co.uk"
        assert site_of_host("127.0.0.2") != site_of_host("127.0.0.1")

    def test_modes(self):
        every = RequisitePolicy("all")
        assert every.refusal("https://cdn.other.example/a.png", PAGE, "herald") is None
        assert every.refusal("https://www.google-analytics.com/collect", PAGE,
                             "herald") == EXCLUDED
        own = RequisitePolicy("all", {"herald": "same-site", "other": None})
        assert own.refusal("https://cdn.other.example/a.png", PAGE, "herald") == OTHER_SITE
        assert own.refusal("https://static.herald.example/a.css", PAGE, "herald") is None
        assert own.refusal("https://cdn.other.example/a.png", PAGE, "other") is None
        assert not RequisitePolicy("none").fetches_any("herald")

    def test_the_jobs_exclusions_add_to_the_shipped_ones(self):
        policy = RequisitePolicy("all", exclude=["widgets.example"])
        assert policy.refusal("https://a.widgets.example/w.js", PAGE, None) == EXCLUDED
        assert policy.refusal("https://securepubads.g.doubleclick.net/x.js", PAGE,
                              None) == EXCLUDED


def requisite(url: str, page: str = PAGE) -> Request:
    return Request(url, meta={REQUISITE_META_KEY: "image", REQUISITE_OF_META_KEY: (page, "s")})


@pytest.fixture
def caps() -> RequisiteCapsMiddleware:
    stats = MemoryStatsCollector(get_crawler())
    return RequisiteCapsMiddleware(stats, max_count=3, max_bytes=1000, page_bytes=300,
                                   max_size=500)


class TestCaps:
    def test_pages_are_never_held_back(self, caps):
        caps.sent = 10**6
        assert caps.process_request(Request(PAGE)) is None

    def test_each_requisite_is_limited_in_size(self, caps):
        request = requisite("https://cdn.example/a.png")
        caps.process_request(request)
        assert request.meta["download_maxsize"] == 500

    def test_per_page_bytes(self, caps):
        first = requisite("https://cdn.example/a.png")
        caps.process_request(first)
        caps.process_response(first, Response(first.url, body=b"x" * 300, request=first))
        with pytest.raises(IgnoreRequest):
            caps.process_request(requisite("https://cdn.example/b.png"))
        assert caps.stats.get_value("requisites/skipped/page_bytes") == 1
        # Another page's requisites still go.
        assert caps.process_request(requisite("https://cdn.example/c.png", PAGE + "2")) is None
        assert caps.stats.get_value("requisites/bytes") == 300

    def test_per_crawl_count_and_bytes(self, caps):
        for n in range(3):
            caps.process_request(requisite(f"https://cdn.example/{n}.png", f"{PAGE}{n}"))
        with pytest.raises(IgnoreRequest):
            caps.process_request(requisite("https://cdn.example/3.png", PAGE + "3"))
        assert caps.stats.get_value("requisites/skipped/crawl_cap") == 1
        caps.sent, caps.received = 0, 1000
        with pytest.raises(IgnoreRequest):
            caps.process_request(requisite("https://cdn.example/4.png", PAGE + "4"))
        assert caps.stats.get_value("requisites/skipped/crawl_bytes") == 1
