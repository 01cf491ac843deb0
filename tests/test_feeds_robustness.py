"""Which bodies are feeds at all, and feeds that are broken, odd or hostile: bad dates,
missing links, encodings, truncated XML, entity expansion and external entities."""

from __future__ import annotations

import pytest

from crawler.discovery.feeds import FeedEntry, FeedError, looks_like_feed, parse_feed
from tests.feedsamples import ATOM, FEED_URL, HTML_PAGE, RDF, RSS2, SITEMAP, rss


class TestLooksLikeFeed:
    @pytest.mark.parametrize("body", [
        RSS2,
        RDF,
        ATOM,
        b"\xef\xbb\xbf" + RSS2,
        b"\n\n   " + ATOM,
        "<rss version='2.0'><channel/></rss>".encode("utf-16"),
        b"<!-- cached 2024-06-11 --><!DOCTYPE rss [<!ENTITY x 'y'>]>\n<rss version='0.91'>",
        b"<atom:feed xmlns:atom='http://www.w3.org/2005/Atom'>",
    ], ids=["rss2", "rdf", "atom", "bom", "whitespace", "utf16", "comment+doctype", "prefixed"])
    def test_feeds(self, body):
        assert looks_like_feed(body)

    @pytest.mark.parametrize("body", [
        HTML_PAGE,
        SITEMAP,
        b"<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'><rdf:Description/>",
        b"<feed><entry/></feed>",
        b'{"items": []}',
        b"",
        b"\x00\x01\x02 binary junk",
        # The root must show within the sniff window.
        b"<!--" + b"x" * 4096 + b"--><rss version='2.0'>",
    ], ids=["html", "sitemap", "plain-rdf", "feed-no-ns", "json", "empty", "binary", "late-root"])
    def test_not_feeds(self, body):
        assert not looks_like_feed(body)

    @pytest.mark.parametrize("content_type", [
        "application/rss+xml",
        "application/atom+xml; charset=utf-8",
        "Application/RSS+XML",
    ])
    def test_feed_media_type_is_enough(self, content_type):
        assert looks_like_feed(b"", content_type)

    def test_text_html_never_makes_a_feed(self):
        assert not looks_like_feed(HTML_PAGE, "text/html; charset=utf-8")
        assert not looks_like_feed(b"", "text/html")

    def test_body_decides_for_generic_types(self):
        # Misconfigured servers send feeds as text/html; the root element still tells.
        assert looks_like_feed(RSS2, "text/html")
        assert looks_like_feed(ATOM, "text/xml")
        assert not looks_like_feed(SITEMAP, "application/xml")


class TestRobustness:
    def test_bom_and_non_ascii(self):
        body = b"\xef\xbb\xbf" + rss("<item><title>Café am Hafen öffnet</title>"
                                     "<link>https://n.example/cafe</link></item>")
        assert parse_feed(body, FEED_URL)[0].title == "Café am Hafen öffnet"

    def test_utf16_with_bom(self):
        body = ('<?xml version="1.0" encoding="utf-16"?><rss version="2.0"><channel><item>'
                "<title>Hafen öffnet</title><link>https://n.example/h</link></item>"
                "</channel></rss>").encode("utf-16")
        assert parse_feed(body, FEED_URL)[0].title == "Hafen öffnet"

    def test_declared_legacy_encoding(self):
        body = rss("<item><title>Caf\u00e9</title><link>https://n.example/c</link></item>",
                   head='<?xml version="1.0" encoding="iso-8859-1"?>')
        body = body.decode().encode("iso-8859-1")
        assert parse_feed(body, FEED_URL)[0].title == "Café"

    def test_whitespace_before_declaration(self):
        body = b"\r\n\n  " + RSS2
        assert len(parse_feed(body, FEED_URL)) == 4

    def test_broken_markup_is_recovered(self):
        body = b"""<?xml version="1.0"?>
<rss version="2.0"><channel>
<item><title>Stray &nbsp; entity &copy; 2024</title><link>https://n.example/1</link></p></item>
<item><title>Mismatched</titel><link>https://n.example/2</link></item>
<item><title>Fine</title><link>https://n.example/3</link><description><p>open<br></description></item>
<item><title>Cut off in the middle of a wo"""
        entries = parse_feed(body, FEED_URL)
        assert [(e.url, e.title) for e in entries] == [
            ("https://n.example/1", "Stray entity © 2024"),
            ("https://n.example/2", "Mismatched"),
            ("https://n.example/3", "Fine"),
        ]

    @pytest.mark.parametrize("body", [
        b"",
        b"   \n ",
        b"this is not a feed at all",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    ])
    def test_garbage_raises(self, body):
        with pytest.raises(FeedError) as info:
            parse_feed(body, FEED_URL)
        assert "\n" not in str(info.value)

    def test_html_is_not_a_feed(self):
        with pytest.raises(FeedError, match=r"not a feed: root element is <html>"):
            parse_feed(HTML_PAGE, FEED_URL)

    def test_feed_error_is_value_error(self):
        with pytest.raises(ValueError):
            parse_feed(SITEMAP, FEED_URL)


class TestXmlSafety:
    def test_external_entity_is_not_read(self, tmp_path):
        secret = tmp_path / "secret.txt"
        secret.write_text("TOP-SECRET-1234")
        body = f"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>
<rss version="2.0"><channel><item>
<title>Leak: &xxe;</title><link>https://n.example/a?&xxe;</link>
</item></channel></rss>""".encode()
        entries = parse_feed(body, FEED_URL)
        assert [e.title for e in entries] == ["Leak:"]
        assert "TOP-SECRET" not in repr(entries)

    def test_external_dtd_is_not_loaded(self, tmp_path):
        dtd = tmp_path / "evil.dtd"
        dtd.write_text('<!ENTITY title "FROM-THE-DTD">')
        body = (f'<!DOCTYPE rss SYSTEM "{dtd.as_uri()}"><rss><channel><item>'
                "<title>&title;</title><link>https://n.example/a</link>"
                "</item></channel></rss>").encode()
        assert parse_feed(body, FEED_URL)[0].title is None

    def test_entity_bomb_is_not_expanded(self):
        lols = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
        body = (f'<!DOCTYPE rss [<!ENTITY l0 "lol">{lols}]><rss><channel>'
                "<item><title>Before</title><link>https://n.example/0</link></item>"
                "<item><title>&l9;</title><link>https://n.example/a</link></item>"
                "</channel></rss>").encode()
        entries = parse_feed(body, FEED_URL)
        # libxml2 stops at the bomb; what came before it survives, nothing is expanded.
        assert entries[0] == FeedEntry("https://n.example/0", "Before", None, None)
        assert "lol" not in repr(entries)

    def test_one_big_entity_used_many_times_is_not_expanded(self):
        # No nesting, so no "billion laughs": 120 KB that feedparser turns into a 400 MB title.
        body = (f'<!DOCTYPE rss [<!ENTITY big "{"A" * 20_000}">]><rss><channel>'
                "<item><title>Before</title><link>https://n.example/0</link></item>"
                f"<item><title>x{'&big;' * 20_000}</title><link>https://n.example/a</link></item>"
                "</channel></rss>").encode()
        entries = parse_feed(body, FEED_URL)
        assert entries[0] == FeedEntry("https://n.example/0", "Before", None, None)
        assert all(len(entry.title or "") < 100 for entry in entries)
