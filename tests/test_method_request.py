"""Requests whose callback and errback are spider methods reach the disk queue and
come back without Scrapy searching the spider for their names."""

from __future__ import annotations

import pickle

import pytest
import scrapy.http.request
from scrapy import Spider
from scrapy.utils.request import request_from_dict

from crawler.spiders.methodrequest import SpiderMethodRequest


class ArchiveSpider(Spider):
    name = "archive"

    def parse_asset(self, response):
        return None

    def asset_failed(self, failure):
        return None


def _no_search(*args, **kwargs):
    raise AssertionError("the spider's members were searched")


def test_a_request_round_trips_through_its_dict(monkeypatch):
    monkeypatch.setattr(scrapy.http.request.inspect, "getmembers", _no_search)
    spider = ArchiveSpider()
    request = SpiderMethodRequest("https://news.example/style.css", callback=spider.parse_asset,
                                  errback=spider.asset_failed, priority=-10,
                                  meta={"requisite": "stylesheet"})
    serialised = request.to_dict(spider=spider)
    assert serialised["callback"] == "parse_asset"
    assert serialised["errback"] == "asset_failed"
    # The request keeps its methods after being written out.
    assert request.callback == spider.parse_asset
    assert request.errback == spider.asset_failed

    restored = request_from_dict(pickle.loads(pickle.dumps(serialised)), spider=spider)
    assert type(restored) is SpiderMethodRequest
    assert restored.callback == spider.parse_asset
    assert restored.errback == spider.asset_failed
    assert (restored.url, restored.priority, restored.meta) == \
        ("https://news.example/style.css", -10, {"requisite": "stylesheet"})


def test_without_callbacks_it_is_a_plain_request_dict():
    spider = ArchiveSpider()
    serialised = SpiderMethodRequest("https://news.example/").to_dict(spider=spider)
    assert serialised["callback"] is None and serialised["errback"] is None


def test_another_objects_method_is_refused_as_scrapy_refuses_it():
    """Scrapy's scheduler keeps a request it cannot write out in memory (ValueError)."""
    spider, other = ArchiveSpider(), ArchiveSpider()
    with pytest.raises(ValueError):
        SpiderMethodRequest("https://news.example/", callback=other.parse_asset).to_dict(
            spider=spider)
    with pytest.raises(ValueError):
        SpiderMethodRequest("https://news.example/", callback=print).to_dict(spider=spider)
    with pytest.raises(ValueError):
        SpiderMethodRequest("https://news.example/", callback=spider.parse_asset).to_dict()
