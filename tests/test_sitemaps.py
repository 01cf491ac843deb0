"""XML sitemaps (plain, gzipped, indexes, Google News) and robots.txt Sitemap lines."""

from __future__ import annotations

import gzip
import zlib
from datetime import UTC, datetime, timedelta, timezone

import pytest

from crawler.discovery.sitemaps import (
    Sitemap,
    SitemapEntry,
    SitemapError,
    gunzip,
    is_gzip,
    looks_like_sitemap,
    parse_sitemap,
    sitemap_date,
    sitemap_urls_from_robots,
)

BASE = "https://news.example/sitemap.xml"
CEST = timezone(timedelta(hours=2))

URLSET = b"""<?xml version="1.0" encoding="UTF-8"?>
<?xml-stylesheet type="text/xsl" href="//news.example/sitemap.xsl"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:image="http://www.google.com/schemas/sitemap-image/1.1"
        xmlns:video="http://www.google.com/schemas/sitemap-video/1.1">
  <url>
    <loc>https://news.example/local/2024/06/11/ferry-timetable</loc>
    <lastmod>2024-06-11T08:30:00+02:00</lastmod>
    <changefreq>hourly</changefreq>
    <priority>0.8</priority>
    <image:image><image:loc>https://cdn.news.example/ferry.jpg</image:loc></image:image>
  </url>
  <url>
    <loc>
      https://news.example/local/2024/06/10/marina?ref=a&amp;page=1
    </loc>
    <lastmod>2024-06-10</lastmod>
    <video:video>
      <video:content_loc>https://cdn.news.example/marina.mp4</video:content_loc>
      <video:title>Marina plans</video:title>
    </video:video>
  </url>
  <url><loc>/sport/48190</loc><lastmod>Mon, 10 Jun 2024 17:00:00 GMT</lastmod></url>
  <url><loc>https://news.example/culture/48185</loc><lastmod>last tuesday</lastmod></url>
  <url><loc>ftp://news.example/archive.zip</loc></url>
  <url><loc>javascript:void(0)</loc></url>
  <url><lastmod>2024-06-01</lastmod></url>
  <url><loc>   </loc></url>
  <url><loc>https://news.example/local/2024/06/11/ferry-timetable</loc></url>
</urlset>
"""

INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap>
    <loc>https://news.example/sitemaps/news.xml</loc>
    <lastmod>2024-06-11T10:00:00Z</lastmod>
  </sitemap>
  <sitemap><loc>/sitemaps/2024-06.xml.gz</loc></sitemap>
  <sitemap><loc>https://news.example/sitemaps/2024-05.xml.gz</loc><lastmod>2024-05</lastmod></sitemap>
</sitemapindex>
"""

NEWS = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url>
    <loc>https://news.example/local/2024/06/11/ferry-timetable</loc>
    <news:news>
      <news:publication>
        <news:name>Harbour Gazette</news:name>
        <news:language>en</news:language>
      </news:publication>
      <news:publication_date>2024-06-11T08:30:00+02:00</news:publication_date>
      <news:title>Council extends ferry timetable &amp; winter service</news:title>
      <news:keywords>ferry, harbour</news:keywords>
    </news:news>
  </url>
  <url>
    <loc>https://news.example/local/2024/06/10/marina</loc>
    <lastmod>2024-06-10T18:00:00Z</lastmod>
    <news:news>
      <news:publication><news:name>Harbour Gazette</news:name></news:publication>
      <news:publication_date>2024-06-10</news:publication_date>
      <news:title><![CDATA[  Marina:
         what changes  ]]></news:title>
    </news:news>
  </url>
  <url><loc>https://news.example/about</loc></url>
</urlset>
"""

NO_NAMESPACE = b"""<?xml version="1.0"?>
<urlset>
  <url><loc>https://news.example/a/1</loc><lastmod>2024-06-11</lastmod></url>
  <url><loc>https://news.example/a/2</loc></url>
</urlset>
"""

RSS = b"<?xml version='1.0'?><rss version='2.0'><channel><item/></channel></rss>"
HTML_PAGE = b"<!DOCTYPE html><html><head><title>Not found</title></head><body>404</body></html>"


def gzip_zeros(size: int) -> bytes:
    """A gzip member that inflates to ``size`` zero bytes, built without holding them."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(1024 * 1024)
    parts = [packer.compress(block) for _ in range(size // len(block))]
    parts.append(packer.compress(bytes(size % len(block))))
    return b"".join([*parts, packer.flush()])


class TestSitemapDate:
    @pytest.mark.parametrize(("text", "expected"), [
        ("2024", datetime(2024, 1, 1, tzinfo=UTC)),
        ("2024-06", datetime(2024, 6, 1, tzinfo=UTC)),
        ("2024-06-11", datetime(2024, 6, 11, tzinfo=UTC)),
        (" 2024-06-11\n", datetime(2024, 6, 11, tzinfo=UTC)),
        ("2024-06-11T08:30Z", datetime(2024, 6, 11, 8, 30, tzinfo=UTC)),
        ("2024-06-11T08:30:15+02:00", datetime(2024, 6, 11, 8, 30, 15, tzinfo=CEST)),
        ("2024-06-11T08:30:15.25-05:00",
         datetime(2024, 6, 11, 8, 30, 15, 250000, tzinfo=timezone(timedelta(hours=-5)))),
        ("2024-06-11T08:30:15.123456789Z", datetime(2024, 6, 11, 8, 30, 15, 123456, tzinfo=UTC)),
        ("2024-06-11T08:30:15+0200", datetime(2024, 6, 11, 8, 30, 15, tzinfo=CEST)),
        ("2024-06-11 08:30:15", datetime(2024, 6, 11, 8, 30, 15, tzinfo=UTC)),
        ("2024-06-11T08:30:15", datetime(2024, 6, 11, 8, 30, 15, tzinfo=UTC)),
        # forgiven, where dateutil's isoparse would refuse them (see crawler.discovery._xml)
        ("2024-6-1", datetime(2024, 6, 1, tzinfo=UTC)),
        ("2024-06-11 8:30 +02:00", datetime(2024, 6, 11, 8, 30, tzinfo=CEST)),
        ("Tue, 11 Jun 2024 08:30:00 GMT", datetime(2024, 6, 11, 8, 30, tzinfo=UTC)),
        ("Tue, 11 Jun 2024 08:30:00 +0200", datetime(2024, 6, 11, 8, 30, tzinfo=CEST)),
        ("Tue, 11 Jun 2024 08:30:00", datetime(2024, 6, 11, 8, 30, tzinfo=UTC)),
    ])
    def test_parses(self, text, expected):
        parsed = sitemap_date(text)
        assert parsed == expected
        assert parsed.utcoffset() == expected.utcoffset()

    @pytest.mark.parametrize("text", [
        "", "   ", "yesterday", "2024-13-01", "2024-02-30", "2024-06-11T25:00Z",
        "2024-06-11T08:30+25:00", "Tue, 31 Feb 2024 08:30:00 GMT", "0000-01-01", "20240611x",
    ])
    def test_junk_is_none(self, text):
        assert sitemap_date(text) is None


class TestGzip:
    def test_is_gzip(self):
        assert is_gzip(gzip.compress(URLSET))
        assert not is_gzip(URLSET)
        assert not is_gzip(b"")

    def test_round_trip(self):
        assert gunzip(gzip.compress(URLSET), max_size=len(URLSET)) == URLSET

    def test_concatenated_members(self):
        body = gzip.compress(b"<urlset>") + gzip.compress(b"</urlset>")
        assert gunzip(body, max_size=1000) == b"<urlset></urlset>"

    def test_bomb_stops_at_max_size(self):
        bomb = gzip_zeros(8 * 1024 * 1024)
        assert len(bomb) < 16 * 1024
        with pytest.raises(SitemapError, match="beyond 1000000 bytes"):
            gunzip(bomb, max_size=1_000_000)

    def test_exactly_max_size_is_allowed(self):
        assert gunzip(gzip_zeros(4096), max_size=4096) == bytes(4096)
        with pytest.raises(SitemapError):
            gunzip(gzip_zeros(4097), max_size=4096)

    @pytest.mark.parametrize(("body", "reason"), [
        (gzip.compress(URLSET)[:-30], "truncated"),
        (gzip.compress(URLSET)[:12] + b"\x00" * 40, "corrupt"),
        (gzip.compress(URLSET)[:-8] + b"\x00\x00\x00\x00" + gzip.compress(URLSET)[-4:], "corrupt"),
        (URLSET, "not gzip"),
    ], ids=["truncated", "garbled", "bad-crc", "plain"])
    def test_bad_data_raises(self, body, reason):
        with pytest.raises(SitemapError, match=reason):
            gunzip(body, max_size=1_000_000)


class TestParseSitemap:
    def test_urlset(self):
        assert parse_sitemap(URLSET, BASE) == Sitemap(is_index=False, entries=[
            SitemapEntry("https://news.example/local/2024/06/11/ferry-timetable",
                         datetime(2024, 6, 11, 8, 30, tzinfo=CEST), None, None),
            SitemapEntry("https://news.example/local/2024/06/10/marina?ref=a&page=1",
                         datetime(2024, 6, 10, tzinfo=UTC), None, None),
            SitemapEntry("https://news.example/sport/48190",
                         datetime(2024, 6, 10, 17, 0, tzinfo=UTC), None, None),
            SitemapEntry("https://news.example/culture/48185", None, None, None),
        ])

    def test_image_and_video_locations_are_ignored(self):
        urls = [e.url for e in parse_sitemap(URLSET, BASE).entries]
        assert not any("cdn.news.example" in url for url in urls)

    def test_index(self):
        sitemap = parse_sitemap(INDEX, BASE)
        assert sitemap.is_index
        assert [(e.url, e.lastmod) for e in sitemap.entries] == [
            ("https://news.example/sitemaps/news.xml", datetime(2024, 6, 11, 10, tzinfo=UTC)),
            ("https://news.example/sitemaps/2024-06.xml.gz", None),
            ("https://news.example/sitemaps/2024-05.xml.gz", datetime(2024, 5, 1, tzinfo=UTC)),
        ]

    def test_google_news(self):
        entries = parse_sitemap(NEWS, "https://news.example/news-sitemap.xml").entries
        assert [(e.news_published, e.news_title) for e in entries] == [
            (datetime(2024, 6, 11, 8, 30, tzinfo=CEST),
             "Council extends ferry timetable & winter service"),
            (datetime(2024, 6, 10, tzinfo=UTC), "Marina: what changes"),
            (None, None),
        ]
        assert entries[1].lastmod == datetime(2024, 6, 10, 18, tzinfo=UTC)

    def test_news_namespace_variant(self):
        body = NEWS.replace(b"http://www.google.com/schemas/sitemap-news/0.9",
                            b"https://www.google.com/schemas/sitemap-news/0.9/")
        assert parse_sitemap(body, BASE).entries[0].news_title == (
            "Council extends ferry timetable & winter service")

    def test_no_namespace(self):
        assert parse_sitemap(NO_NAMESPACE, BASE).entries == [
            SitemapEntry("https://news.example/a/1", datetime(2024, 6, 11, tzinfo=UTC), None, None),
            SitemapEntry("https://news.example/a/2", None, None, None),
        ]

    def test_no_namespace_index(self):
        body = b"<sitemapindex><sitemap><loc>/s/1.xml</loc></sitemap></sitemapindex>"
        sitemap = parse_sitemap(body, BASE)
        assert sitemap.is_index
        assert [e.url for e in sitemap.entries] == ["https://news.example/s/1.xml"]

    def test_gzipped_body(self):
        # sitemap.xml.gz served as application/x-gzip, no Content-Encoding: still gzip here.
        assert parse_sitemap(gzip.compress(NEWS), BASE) == parse_sitemap(NEWS, BASE)

    def test_gzip_bomb_beyond_max_size(self):
        with pytest.raises(SitemapError, match="beyond"):
            parse_sitemap(gzip_zeros(4 * 1024 * 1024), BASE, max_size=1024 * 1024)

    def test_gzip_bomb_beyond_default_limit(self):
        bomb = gzip_zeros(51 * 1024 * 1024)
        assert len(bomb) < 100 * 1024
        with pytest.raises(SitemapError, match=f"beyond {50 * 1024 * 1024} bytes"):
            parse_sitemap(bomb, BASE)

    def test_plain_body_over_max_size(self):
        with pytest.raises(SitemapError, match="over the limit"):
            parse_sitemap(URLSET, BASE, max_size=100)

    def test_bare_ampersand_in_loc_is_kept(self):
        body = b"<urlset><url><loc>https://news.example/?p=1&lang=en</loc></url></urlset>"
        assert parse_sitemap(body, BASE).entries[0].url == "https://news.example/?p=1&lang=en"

    def test_broken_markup_is_recovered(self):
        body = (b"<?xml version='1.0'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
                b"<url><loc>https://news.example/a/1</loc></url>"
                b"<url><loc>https://news.example/a/2</loc><lastmod>2024-06-11</url>"
                b"<url><loc>https://news.example/a/3</lo")
        urls = [e.url for e in parse_sitemap(body, BASE).entries]
        assert urls[:2] == ["https://news.example/a/1", "https://news.example/a/2"]

    @pytest.mark.parametrize(("body", "reason"), [
        (HTML_PAGE, "root element is <html>"),
        (RSS, "root element is <rss>"),
        (b"", "empty"),
        (b"User-agent: *\nDisallow: /", "not XML"),
        (b"\x1f\x8b\x08\x00garbage", "gzip"),
    ])
    def test_not_a_sitemap(self, body, reason):
        with pytest.raises(SitemapError, match=reason) as info:
            parse_sitemap(body, BASE)
        assert "\n" not in str(info.value)

    def test_external_entity_is_not_read(self, tmp_path):
        secret = tmp_path / "secret.txt"
        secret.write_text("TOP-SECRET-1234")
        body = (f'<!DOCTYPE urlset [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
                "<urlset><url><loc>https://news.example/a?q=&xxe;</loc>"
                "<news:news xmlns:news='http://www.google.com/schemas/sitemap-news/0.9'>"
                "<news:title>&xxe;</news:title></news:news></url></urlset>").encode()
        [entry] = parse_sitemap(body, BASE).entries
        assert entry.url == "https://news.example/a?q="
        assert entry.news_title is None
        assert "TOP-SECRET" not in repr(entry)


class TestLooksLikeSitemap:
    @pytest.mark.parametrize("body", [
        URLSET, INDEX, NEWS, NO_NAMESPACE, gzip.compress(URLSET), gzip.compress(INDEX),
        b"\xef\xbb\xbf\n<urlset/>",
    ], ids=["urlset", "index", "news", "no-ns", "gz-urlset", "gz-index", "bom"])
    def test_sitemaps(self, body):
        assert looks_like_sitemap(body)

    @pytest.mark.parametrize("body", [
        HTML_PAGE, RSS, b"", b"Sitemap: https://news.example/sitemap.xml",
        gzip.compress(HTML_PAGE), b"\x1f\x8b\x08\x00garbage",
    ], ids=["html", "rss", "empty", "robots", "gz-html", "bad-gzip"])
    def test_not_sitemaps(self, body):
        assert not looks_like_sitemap(body)

    def test_sniffing_a_bomb_is_cheap(self):
        # Only the head is inflated, so a huge bomb is sniffed (as not a sitemap) at once.
        assert not looks_like_sitemap(gzip_zeros(64 * 1024 * 1024))


class TestRobots:
    def test_sitemap_lines(self):
        robots = (
            "\ufeffUser-agent: *\r\n"
            "Disallow: /search\r\n"
            "Sitemap: https://news.example/sitemap.xml\r\n"
            "\r\n"
            "User-agent: BadBot\n"
            "Disallow: /\n"
            "sitemap:/news-sitemap.xml   # for Google News\n"
            "SITEMAP: https://news.example/sitemap.xml\n"
            "  Site-map: https://cdn.news.example/sitemaps/index.xml.gz\n"
            "Sitemap: ftp://news.example/sitemap.xml\n"
            "Sitemap:\n"
            "# Sitemap: https://news.example/old-sitemap.xml\n"
            "Sitemaps: https://news.example/typo.xml\n"
        )
        assert sitemap_urls_from_robots(robots, "https://news.example/robots.txt") == [
            "https://news.example/sitemap.xml",
            "https://news.example/news-sitemap.xml",
            "https://cdn.news.example/sitemaps/index.xml.gz",
        ]

    def test_no_sitemaps(self):
        assert sitemap_urls_from_robots("User-agent: *\nDisallow:\n", "https://n.example/") == []
