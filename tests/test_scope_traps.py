"""Scope, trap detection and URL hygiene: the rules behind what a crawl follows."""

from __future__ import annotations

import pytest

from crawler.discovery.scope import SCOPE, TRAP, DomainMatcher, SourceScope
from crawler.discovery.traps import TrapDetector, url_template
from crawler.discovery.urls import TrackingParams, clean_url, slot_key
from crawler.jobfiles.spec import Source


def scope(**fields) -> SourceScope:
    source = Source(name="s", seeds=("https://www.news.example/",), **fields)
    return SourceScope(source, skip_extensions=frozenset({"jpg", "css"}), max_url_length=200)


class TestDomains:
    @pytest.mark.parametrize(("url", "inside"), [
        ("https://news.example/a", True),
        ("https://www.news.example/a", True),
        ("https://video.news.example/a", True),
        ("https://news.example:8443/a", True),
        ("https://othernews.example/a", False),
        ("https://news.example.evil.test/a", False),
    ])
    def test_a_domain_covers_its_subdomains_and_ports(self, url, inside):
        assert DomainMatcher(("news.example",)).matches(url) is inside

    def test_a_port_pins_the_port(self):
        matcher = DomainMatcher(("127.0.0.1:8080", "[::1]:81"))
        assert matcher.matches("http://127.0.0.1:8080/x")
        assert not matcher.matches("http://127.0.0.1:8081/x")
        assert matcher.matches("http://[::1]:81/") and not matcher.matches("http://[::1]/")


class TestSourceScope:
    def test_other_sites_and_file_types_are_out_of_scope(self):
        s = scope()
        assert s.refusal("https://news.example/2025/story") is None
        assert s.refusal("https://elsewhere.example/") == SCOPE
        assert s.refusal("https://news.example/style.css") == SCOPE

    def test_include_and_exclude(self):
        s = scope(include=(r"/politics/",), exclude=(r"/live/",))
        assert s.refusal("https://news.example/politics/vote") is None
        assert s.refusal("https://news.example/sport/match") == SCOPE
        assert s.refusal("https://news.example/politics/live/blog") == SCOPE

    @pytest.mark.parametrize("url", [
        "https://news.example/" + "a" * 250,
        "https://news.example/news/news/news/story",
        "https://news.example/a/b/a/b/a/b/",
    ])
    def test_trap_shaped_urls(self, url):
        assert scope().refusal(url) == TRAP

    def test_dated_paths_are_not_repeats(self):
        assert scope().refusal("https://news.example/2025/01/01/01/story") is None


class TestUrlHygiene:
    tracking = TrackingParams(["utm_*", "sessionid", "jsessionid", "phpsessid"])

    @pytest.mark.parametrize(("url", "clean"), [
        ("https://n.example/a?sessionid=ab12&page=2", "https://n.example/a?page=2"),
        ("https://n.example/a;jsessionid=ABC123", "https://n.example/a"),
        ("https://n.example/a;jsessionid=ABC123?x=1", "https://n.example/a?x=1"),
        ("https://n.example/a;version=2", "https://n.example/a;version=2"),
        ("https://n.example/a?PHPSESSID=9&utm_source=x", "https://n.example/a"),
    ])
    def test_session_ids_go_like_tracking_parameters(self, url, clean):
        assert clean_url(url, self.tracking) == clean

    def test_slot_is_host_and_port(self):
        assert slot_key("http://127.0.0.1:8080/x") != slot_key("http://127.0.0.1:8081/x")
        assert slot_key("https://News.example/a") == "news.example"


class TestTrapDetector:
    def test_template_masks_digits_and_drops_the_query(self):
        assert url_template("http://h/calendar/2026/03/?x=1") == "h/calendar/#/#/"

    def test_an_endless_calendar_is_stopped(self):
        traps = TrapDetector(barren_limit=5)
        trapped_after = None
        for month in range(1, 40):
            url = f"http://h/calendar/2026/{month:02d}/"
            if traps.is_trapped(url):
                trapped_after = month
                break
            traps.listing_done(url, [f"http://h/calendar/2026/{month + 1:02d}/"])
        assert trapped_after == 6

    def test_productive_pages_reset_the_count(self):
        traps = TrapDetector(barren_limit=3)
        for page in range(1, 30):
            url = f"http://h/news/page/{page}/"
            story = [f"http://h/2025/story-{page}"] if page % 2 else []
            traps.listing_done(url, [f"http://h/news/page/{page + 1}/", *story])
        assert not traps.is_trapped("http://h/news/page/31/")

    def test_old_pagination_of_archived_articles_is_caught_up_not_a_trap(self, caplog):
        traps = TrapDetector(barren_limit=3)
        with caplog.at_level("INFO", logger="crawler.discovery.traps"):
            for page in range(1, 5):
                url = f"http://h/news/page/{page}/"
                made_trap = traps.listing_done(url, [f"http://h/news/page/{page + 1}/"],
                                               known_links=6)
                assert not made_trap
        assert traps.is_trapped("http://h/news/page/9/")  # not followed further either
        assert traps.caught_up_templates == ["h/news/page/#/"]
        assert traps.trapped_templates == []
        assert "Caught up at h/news/page/#/" in caplog.text
        assert "Crawler trap" not in caplog.text

    def test_barren_pages_without_archived_articles_still_make_a_trap(self):
        traps = TrapDetector(barren_limit=3)
        for page in range(1, 4):
            traps.listing_done(f"http://h/c/{page}/", [], known_links=6 if page == 1 else 0)
        assert traps.trapped_templates == ["h/c/#/"]

    def test_off_when_limit_is_zero(self):
        traps = TrapDetector(barren_limit=0)
        for n in range(100):
            traps.listing_done(f"http://h/c/{n}/", [])
        assert not traps.is_trapped("http://h/c/1/")

    def test_repeated_payloads(self):
        traps = TrapDetector(barren_limit=5)
        assert traps.first_url_with_payload(b"d1", "http://h/a") is None
        assert traps.first_url_with_payload(b"d1", "http://h/a") is None  # same URL again
        assert traps.first_url_with_payload(b"d1", "http://h/b") == "http://h/a"
