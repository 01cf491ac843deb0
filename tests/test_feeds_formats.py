"""RSS 2.0, RSS 1.0 and Atom feeds read as dated article links."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crawler.discovery.feeds import FeedEntry, FeedError, parse_feed
from tests.feedsamples import ATOM, CEST, FEED_URL, RDF, RSS2, rss


class TestRss2:
    @pytest.fixture
    def entries(self):
        return parse_feed(RSS2, FEED_URL)

    def test_urls_in_document_order(self, entries):
        assert [e.url for e in entries] == [
            "https://news.example/local/2024/06/11/ferry-timetable",
            "https://news.example/local/2024/06/10/marina",
            "https://news.example/sport/48190",
            "https://news.example/culture/48185",
        ]

    def test_first_entry(self, entries):
        assert entries[0] == FeedEntry(
            url="https://news.example/local/2024/06/11/ferry-timetable",
            title="Council extends ferry timetable & winter service",
            published=datetime(2024, 6, 11, 8, 30, tzinfo=CEST),
            updated=datetime(2024, 6, 11, 10, 5, tzinfo=CEST),
        )

    def test_titles_are_text(self, entries):
        assert [e.title for e in entries] == [
            "Council extends ferry timetable & winter service",
            "Harbour & Marina: what changes",
            "Permalink guid only",
            "Guid without isPermaLink",
        ]

    def test_dates(self, entries):
        assert entries[1].published == datetime(2024, 6, 10, 17, 0, tzinfo=UTC)
        # Junk pubDate does not hide a good dc:date.
        assert entries[2].published == datetime(2024, 6, 9, 12, 0, tzinfo=UTC)
        # A pubDate without a zone is taken as UTC.
        assert entries[3].published == datetime(2024, 6, 9, 9, 0, tzinfo=UTC)
        assert entries[1].updated is None

    def test_junk_date_is_none(self):
        [entry] = parse_feed(rss("<item><link>https://n.example/a</link>"
                                 "<pubDate>Dienstag, 11. Juni</pubDate></item>"), FEED_URL)
        assert entry.published is None

    @pytest.mark.parametrize(("guid", "url"), [
        ('<guid isPermaLink="true">/2024/06/rel</guid>', "https://news.example/2024/06/rel"),
        ('<guid isPermaLink="TRUE">https://n.example/a</guid>', "https://n.example/a"),
        ("<guid>https://n.example/a</guid>", "https://n.example/a"),
        ("<guid>/2024/06/rel</guid>", None),
        ('<guid isPermaLink="false">https://n.example/a</guid>', None),
        ("<guid>48213</guid>", None),
    ])
    def test_guid_fallback(self, guid, url):
        entries = parse_feed(rss(f"<item><title>x</title>{guid}</item>"), FEED_URL)
        assert [e.url for e in entries] == ([url] if url else [])

    def test_atom_link_in_item_is_last_resort(self):
        body = (b"<rss version='2.0' xmlns:atom='http://www.w3.org/2005/Atom'><channel><item>"
                b"<atom:link rel='alternate' href='https://n.example/via-atom'/></item>"
                b"</channel></rss>")
        assert [e.url for e in parse_feed(body, FEED_URL)] == ["https://n.example/via-atom"]

    @pytest.mark.parametrize(("raw", "title"), [
        ("<![CDATA[<b>Breaking:</b> ferry &amp; marina]]>", "Breaking: ferry & marina"),
        ("Tom &amp;amp; Jerry", "Tom & Jerry"),
        ("It&amp;#8217;s back", "It’s back"),
        ("5 &lt; 7 and 9 &gt; 8", "5 < 7 and 9 > 8"),
        ("  Spread\n   over   lines ", "Spread over lines"),
        ("", None),
    ])
    def test_title_cleanup(self, raw, title):
        [entry] = parse_feed(rss(f"<item><title>{raw}</title>"
                                 "<link>https://n.example/a</link></item>"), FEED_URL)
        assert entry.title == title

    def test_bare_ampersand_in_link_is_kept(self):
        # libxml2 recovery would drop "&page=2"; real feeds write URLs like this.
        [entry] = parse_feed(rss("<item><link>https://n.example/s?id=4&page=2</link></item>"),
                             FEED_URL)
        assert entry.url == "https://n.example/s?id=4&page=2"

    def test_channel_xml_base(self):
        body = rss("<item><link>story/1</link></item>").replace(
            b"<channel>", b"<channel xml:base='https://cdn.example/news/'>")
        assert [e.url for e in parse_feed(body, FEED_URL)] == ["https://cdn.example/news/story/1"]


class TestRss1:
    def test_entries(self):
        assert parse_feed(RDF, "https://news.example/rss") == [
            FeedEntry("https://news.example/a/1", "First story",
                      datetime(2024, 6, 11, 8, 30, tzinfo=CEST), None),
            FeedEntry("https://news.example/a/2", "Second story",
                      datetime(2024, 6, 10, tzinfo=UTC), None),
        ]

    def test_plain_rdf_is_not_a_feed(self):
        body = (b"<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>"
                b"<rdf:Description rdf:about='https://n.example/'/></rdf:RDF>")
        with pytest.raises(FeedError, match=r"RSS 1\.0"):
            parse_feed(body, FEED_URL)


class TestAtom:
    @pytest.fixture
    def entries(self):
        return parse_feed(ATOM, "https://news.example/feeds/atom")

    def test_links_resolved_against_xml_base(self, entries):
        assert [e.url for e in entries] == [
            "https://news.example/blog/2024/ferry-returns",
            "https://news.example/archive/2024/marina-plans",
            "https://news.example/blog/2024/only-an-id",
            "https://cdn.example/mirror/story",
        ]

    def test_titles(self, entries):
        assert [e.title for e in entries] == [
            "Ferry returns for winter", "Marina plans", "Only an id", "Link with its own base",
        ]

    def test_dates(self, entries):
        assert entries[0].published == datetime(2024, 6, 11, 8, 30, tzinfo=CEST)
        assert entries[0].updated == datetime(2024, 6, 11, 9, 0, tzinfo=CEST)
        assert entries[1].published is None
        assert entries[1].updated == datetime(2024, 6, 10, 17, 0, tzinfo=UTC)

    def test_relative_links_without_xml_base_use_feed_url(self):
        body = (b"<feed xmlns='http://www.w3.org/2005/Atom'><entry><title>t</title>"
                b"<link rel='alternate' href='../2024/06/story'/></entry></feed>")
        assert [e.url for e in parse_feed(body, "https://n.example/feeds/atom.xml")] == [
            "https://n.example/2024/06/story",
        ]

    def test_only_non_page_links_means_no_entry(self):
        body = (b"<feed xmlns='http://www.w3.org/2005/Atom'><entry>"
                b"<link rel='self' href='https://n.example/api/1'/>"
                b"<link rel='edit' href='https://n.example/api/1/edit'/>"
                b"<link rel='enclosure' href='https://n.example/1.mp3'/>"
                b"<link rel='replies' href='https://n.example/1/comments'/>"
                b"</entry></feed>")
        assert parse_feed(body, FEED_URL) == []
