"""RSS 2.0, RSS 1.0 and Atom feeds read as dated article links."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from crawler.discovery.feeds import FeedEntry, FeedError, looks_like_feed, parse_feed

FEED_URL = "https://news.example/feeds/latest.xml"
CEST = timezone(timedelta(hours=2))

RSS2 = b"""<?xml version="1.0" encoding="UTF-8"?>
<?xml-stylesheet type="text/xsl" href="/feed.xsl"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"
     xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/">
<channel>
  <title>Harbour Gazette</title>
  <link>https://news.example/</link>
  <atom:link rel="self" type="application/rss+xml" href="https://news.example/feeds/latest.xml"/>
  <description>Latest stories</description>
  <item>
    <title><![CDATA[Council extends ferry timetable & winter service]]></title>
    <link>https://news.example/local/2024/06/11/ferry-timetable</link>
    <guid isPermaLink="false">story-48213</guid>
    <media:title>Photo: the ferry at dawn</media:title>
    <pubDate>Tue, 11 Jun 2024 08:30:00 +0200</pubDate>
    <atom:updated>2024-06-11T10:05:00+02:00</atom:updated>
  </item>
  <item>
    <title>Harbour &amp; Marina: what changes</title>
    <link>
      /local/2024/06/10/marina
    </link>
    <pubDate>Mon, 10 Jun 2024 17:00:00 GMT</pubDate>
  </item>
  <item>
    <title>Permalink guid only</title>
    <guid isPermaLink="true">https://news.example/sport/48190</guid>
    <pubDate>sometime last week</pubDate>
    <dc:date>2024-06-09T12:00:00Z</dc:date>
  </item>
  <item>
    <title>Guid without isPermaLink</title>
    <guid>https://news.example/culture/48185</guid>
    <pubDate>Sun, 09 Jun 2024 09:00:00</pubDate>
  </item>
  <item>
    <title>Opaque guid, no link</title>
    <guid>tag:news.example,2024:48180</guid>
  </item>
  <item>
    <title>Non-permalink guid that looks like a URL</title>
    <guid isPermaLink="false">https://news.example/cms/node/48179</guid>
  </item>
  <item>
    <title>Mail link</title>
    <link>mailto:desk@news.example</link>
  </item>
  <item>
    <title>Repeated story</title>
    <link>https://news.example/local/2024/06/11/ferry-timetable</link>
  </item>
</channel>
</rss>
"""

RDF = b"""<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://news.example/rss">
    <title>Harbour Gazette</title>
    <link>https://news.example/</link>
    <items><rdf:Seq>
      <rdf:li rdf:resource="https://news.example/a/1"/>
      <rdf:li rdf:resource="https://news.example/a/2"/>
    </rdf:Seq></items>
  </channel>
  <item rdf:about="https://news.example/a/1?from=rss">
    <title>First story</title>
    <link>https://news.example/a/1</link>
    <dc:date>2024-06-11T08:30:00+02:00</dc:date>
  </item>
  <item rdf:about="https://news.example/a/2">
    <title>Second story</title>
    <dc:date>2024-06-10</dc:date>
  </item>
  <item rdf:about="urn:uuid:7c1d">
    <title>No web link</title>
  </item>
</rdf:RDF>
"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://news.example/blog/">
  <title>Desk notes</title>
  <id>urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6</id>
  <link rel="self" href="https://news.example/blog/atom.xml"/>
  <updated>2024-06-11T10:00:00Z</updated>
  <entry>
    <title type="html">Ferry &lt;em&gt;returns&lt;/em&gt; for winter</title>
    <link rel="edit" href="/api/entries/1"/>
    <link rel="replies" href="1/comments"/>
    <link rel="enclosure" type="audio/mpeg" href="1/podcast.mp3"/>
    <link rel="alternate" type="application/json" href="1.json"/>
    <link rel="alternate" type="text/html" href="2024/ferry-returns"/>
    <id>tag:news.example,2024:1</id>
    <published>2024-06-11T08:30:00+02:00</published>
    <updated>2024-06-11T09:00:00+02:00</updated>
  </entry>
  <entry xml:base="/archive/2024/">
    <title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Marina <b>plans</b></div></title>
    <link href="marina-plans"/>
    <id>tag:news.example,2024:2</id>
    <updated>2024-06-10T17:00:00Z</updated>
  </entry>
  <entry>
    <title>Only an id</title>
    <link rel="self" href="https://news.example/api/3"/>
    <id>https://news.example/blog/2024/only-an-id</id>
  </entry>
  <entry>
    <title>Link with its own base</title>
    <link xml:base="https://cdn.example/mirror/" href="story"/>
    <id>tag:news.example,2024:4</id>
  </entry>
  <entry>
    <title>Nothing to follow</title>
    <link rel="self" href="https://news.example/api/5"/>
    <id>tag:news.example,2024:5</id>
  </entry>
</feed>
"""

HTML_PAGE = b"""<!DOCTYPE html>
<html lang="en"><head><title>Harbour Gazette</title>
<link rel="alternate" type="application/rss+xml" href="/feeds/latest.xml"></head>
<body><h1>Harbour Gazette</h1><p>Latest stories</p></body></html>
"""

SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>https://news.example/a/1</loc></url></urlset>"""


def rss(items: str, *, head: str = '<?xml version="1.0" encoding="utf-8"?>') -> bytes:
    return (f"{head}<rss version='2.0'><channel><title>T</title>{items}</channel></rss>"
            .encode())


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
