"""The simulated news web of bench/newsweb.py: five sites served by a subprocess, as
the hourly-cycles benchmark uses them (its figures are in docs/performance.md)."""

from __future__ import annotations

import http.client
import time
import urllib.robotparser
import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import pytest

from bench._cycles.politeness import check
from bench._cycles.scoring import Scorer
from bench.newsweb import NewsWeb

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ATOM = "{http://www.w3.org/2005/Atom}"
DOWN, THROTTLED, ALIASED = 1, 2, 3


@pytest.fixture
def web():
    with NewsWeb(5, seed=7, port=0, faults=[f"{DOWN}=down@1+1", f"{THROTTLED}=throttled@1+1"],
                 aliases=[ALIASED]) as running:
        yield running


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""),
                           headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def sitemap_lastmods(base: str) -> dict[str, str]:
    root = ET.fromstring(get(f"{base}/sitemap-news.xml")[2])
    return {url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod")
            for url in root.iter(f"{SITEMAP}url")}


class TestSites:
    def test_robots_feed_and_sitemap_parse(self, web):
        truth = web.truth()
        assert len({s["base"] for s in truth["sites"]}) == 5  # every site its own host
        for site in truth["sites"]:
            robots = urllib.robotparser.RobotFileParser()
            robots.parse(get(f"{site['base']}/robots.txt")[2].decode().splitlines())
            assert robots.site_maps() == [f"{site['base']}/sitemap-news.xml"]
            assert robots.can_fetch("*", "/print/x") == (not site["disallow"])
            assert float(robots.crawl_delay("*") or 0) == site["crawl_delay"]
            ours = {a["url"] for a in truth["articles"] if a["site"] == site["index"]}
            assert set(sitemap_lastmods(site["base"])) == ours
            feed = ET.fromstring(get(f"{site['base']}/feed.xml")[2])
            links = ([link.text for link in feed.iter("link")][1:] if feed.tag == "rss"
                     else [e.find(f"{ATOM}link").get("href") for e in feed.iter(f"{ATOM}entry")])
            assert links and set(links) <= ours

    def test_pages_differ_by_template_and_language(self, web):
        truth = web.truth()
        pages = {}
        for site in truth["sites"][:3]:
            url = next(a["url"] for a in truth["articles"] if a["site"] == site["index"])
            status, _, body = get(url)
            assert status == 200
            pages[site["template"]] = body.decode()
        assert "application/ld+json" in pages["jsonld"]
        assert 'property="article:modified_time"' in pages["opengraph"]
        assert '"@graph"' in pages["legacy"]
        assert len({p[p.index("<p>"):p.index("</p>")] for p in pages.values()}) == 3
        assert len({s["language"] for s in truth["sites"]}) == 5

    def test_conditional_get_is_304(self, web):
        url = web.truth()["articles"][0]["url"]
        _, headers, body = get(url)
        assert int(headers["Content-Length"]) == len(body)
        assert get(url, {"If-None-Match": headers["ETag"]})[0] == 304
        assert get(url, {"If-Modified-Since": headers["Last-Modified"]})[0] == 304
        assert get(url, {"If-None-Match": '"other"'})[0] == 200

    def test_www_alias_redirects_to_the_main_host(self, web):
        site = web.truth()["sites"][ALIASED]
        status, headers, _ = get(f"{site['alias']}/politics/?x=1")
        assert status == 301 and headers["Location"] == f"{site['base']}/politics/?x=1"


class TestHours:
    def test_an_hour_publishes_and_edits_and_the_edit_shows(self, web):
        before = {a["url"]: a for a in web.truth()["articles"]}
        pages = {url: get(url) for url in before}
        for hour in range(1, 11):  # edits are drawn: a few hours bring at least one
            web.advance(hour)
            truth = web.truth()
            edited = [a for a in truth["articles"] if a["edits"] and a["url"] in before
                      and truth["sites"][a["site"]]["status_by_hour"][hour] == "up"]
            if edited:
                break
        assert len(truth["articles"]) > len(before)
        assert all(a["published_hour"] > 0 for a in truth["articles"] if a["url"] not in before)
        article = edited[0]
        status, headers, body = get(article["url"])
        assert status == 200 and body != pages[article["url"]][2]
        assert headers["Last-Modified"] != pages[article["url"]][1]["Last-Modified"]
        assert get(article["url"], {"If-None-Match": pages[article["url"]][1]["ETag"]})[0] == 200
        base = truth["sites"][article["site"]]["base"]
        lastmod = sitemap_lastmods(base)[article["url"]]
        modified = parsedate_to_datetime(headers["Last-Modified"])
        assert lastmod == modified.isoformat()
        assert f'{lastmod}' in body.decode()  # dateModified / article:modified_time

    def test_a_down_site_refuses_connections_then_comes_back(self, web):
        url = web.truth()["sites"][DOWN]["base"] + "/"
        web.advance(1)
        with pytest.raises(ConnectionRefusedError):
            get(url)
        assert web.truth()["sites"][DOWN]["up_by_hour"] == [True, False]
        web.advance(2)
        assert get(url)[0] == 200

    def test_a_throttled_site_asks_to_retry_after(self, web):
        web.advance(1)
        base = web.truth()["sites"][THROTTLED]["base"]
        status, headers, _ = get(base + "/")
        assert status == 429 and headers["Retry-After"] == "10"
        assert get(base + "/robots.txt")[0] == 200  # a rate limiter's cache still has it


class TestRequestLog:
    def test_every_request_logged_with_host_and_times(self, web):
        site = web.truth()["sites"][0]
        web.log(reset=True)
        started = time.time()
        get(f"{site['base']}/robots.txt")
        get(f"{site['base']}/no-such-page")
        entries = web.log(reset=True)
        assert [(e[0], e[1], e[2]) for e in entries] == [
            (urlsplit(site["base"]).netloc, "/robots.txt", 200),
            (urlsplit(site["base"]).netloc, "/no-such-page", 404)]
        for _, _, _, arrived, ended, arrived_wall, ended_wall, _ in entries:
            assert arrived <= ended and started <= arrived_wall <= ended_wall <= time.time()
        assert web.log() == []


SITES = [{"index": 0, "name": "a", "base": "http://127.64.0.1:80", "alias": None,
          "crawl_delay": 0.0, "disallow": ["/print/"], "status_by_hour": ["up", "up"]}]


class TestScoring:
    def test_politeness_sees_crowding_short_gaps_and_disallowed_paths(self):
        host = "127.64.0.1:80"
        log = [[host, "/robots.txt", 200, 0.0, 0.01, 0, 0, 0],
               [host, "/a", 200, 0.30, 2.0, 0, 0, 0], [host, "/b", 200, 0.31, 2.0, 0, 0, 0],
               [host, "/print/a", 200, 0.7, 0.8, 0, 0, 0]]
        report = check(log, SITES, delay=0.25, jitter=0.5, concurrency=1)
        assert report.over_concurrency == {host: 2}
        assert report.short_gaps[host][0] == 1
        assert report.disallowed == [f"{host}/print/a"]

    def test_a_record_again_without_an_edit_is_a_duplicate(self):
        url = "http://127.64.0.1:80/a"
        truth = {"sites": SITES,
                 "articles": [{"site": 0, "url": url, "published_hour": 0, "edits": [1]}]}
        scorer = Scorer()
        assert scorer.score(0, [{"url": url}], truth).recall == 1.0
        assert scorer.score(1, [{"url": url}], truth).edits_caught == 1
        assert scorer.score(1, [{"url": url}], truth).duplicates == [url]
