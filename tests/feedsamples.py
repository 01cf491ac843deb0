"""Sample bodies for the feed tests: one feed of each format (RSS 2.0, RSS 1.0, Atom),
the HTML page and the sitemap a feed must not be taken for, and ``rss()`` for a small
RSS 2.0 feed around some items."""

from __future__ import annotations

from datetime import timedelta, timezone

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
