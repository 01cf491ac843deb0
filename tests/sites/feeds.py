"""RSS 2.0 as the Courier and the Gazette write it: a channel with an atom:link to
itself, and items with a permalink guid, dc:creator, a category and a description.

What differs between the two sites (titles, which stories, how a date is spelt, the
teaser) is passed in; the markup is the same.
"""

from __future__ import annotations

from collections.abc import Iterable

from tests.sites.pages import esc


def rss_item(*, title: str, link: str, pub_date: str, creators: Iterable[str],
             category: str, description: str) -> str:
    return f"""
<item>
<title>{esc(title)}</title>
<link>{link}</link>
<guid isPermaLink="true">{link}</guid>
<pubDate>{pub_date}</pubDate>
{"".join(f"<dc:creator>{esc(n)}</dc:creator>" for n in creators)}
<category>{esc(category)}</category>
<description>{esc(description)}</description>
</item>"""


def rss_channel(*, title: str, link: str, self_url: str, description: str, last_build: str,
             ttl: int, items: Iterable[str]) -> str:
    """The feed document; ``items`` as ``rss_item`` writes them."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
<title>{esc(title)}</title>
<link>{link}</link>
<atom:link href="{self_url}" rel="self" type="application/rss+xml"/>
<description>{esc(description)}</description>
<language>en-gb</language>
<lastBuildDate>{last_build}</lastBuildDate>
<ttl>{ttl}</ttl>{"".join(items)}
</channel>
</rss>
"""
