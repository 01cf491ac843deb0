"""How the Courier tells a crawler about its stories besides links: an RSS 2.0, an Atom
and an RSS 1.0 (RDF) feed, a sitemap index with a gzipped news sitemap, and robots.txt."""

from __future__ import annotations

from email.utils import format_datetime

from tests.sites._discovery_channels.content import (
    ARTICLES,
    BY_KEY,
    SECTIONS,
    SITE,
    TAGLINE,
    lastmod,
    moment,
    names,
    newest_first,
    section_url,
    teaser,
)
from tests.sites.feeds import rss_channel, rss_item
from tests.sites.pages import esc


def rfc822(iso: str) -> str:
    return format_datetime(moment(iso))


RSS_ITEMS = 10
FEED_POOL = [a for a in ARTICLES if a["channel"] == "section" or a.get("feed") == "rss"]
# The site-wide RSS 2.0 feed: the newest ten section and RSS-only stories.
RSS_STORIES: list[dict] = newest_first(FEED_POOL)[:RSS_ITEMS]
ATOM_STORIES: list[dict] = newest_first(
    [a for a in ARTICLES if a["section"] == "business"
     and (a["channel"] == "section" or a.get("feed") == "atom")])
RDF_STORIES: list[dict] = newest_first(
    [a for a in ARTICLES if a["section"] == "countryside"
     and (a["channel"] == "section" or a.get("feed") == "rdf")])


def rss_feed(base: str) -> str:
    items = [rss_item(title=a["title"], link=base + a["path"], pub_date=rfc822(a["published"]),
                      creators=a["authors"], category=SECTIONS[a["section"]]["name"],
                      description=teaser(a, 30)) for a in RSS_STORIES]
    return rss_channel(title=f"{SITE}: latest stories", link=f"{base}/",
                       self_url=f"{base}/feeds/latest.xml", description=TAGLINE,
                       last_build=rfc822(RSS_STORIES[0]["published"]), ttl=30, items=items)


def atom_feed(base: str) -> str:
    entries = "".join(f"""
<entry>
<title>{esc(a["title"])}</title>
<id>tag:tarrowdalecourier.example,{a["published"][:10]}:story-{a["id"]}</id>
<link rel="alternate" type="text/html" href="{base}{a["path"]}"/>
<published>{a["published"]}</published>
<updated>{lastmod(a)}</updated>
{"".join(f"<author><name>{esc(n)}</name></author>" for n in a["authors"])}
<category term="business" label="Business"/>
<summary>{esc(teaser(a, 30))}</summary>
</entry>""" for a in ATOM_STORIES)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en-GB">
<title>Business: {esc(SITE)}</title>
<subtitle>{esc(SECTIONS["business"]["blurb"])}</subtitle>
<id>{base}/sections/business/</id>
<link rel="self" type="application/atom+xml" href="{base}/feeds/business.atom"/>
<link rel="alternate" type="text/html" href="{base}/sections/business/"/>
<updated>{max(lastmod(a) for a in ATOM_STORIES)}</updated>
<generator>Courier CMS 3.2</generator>{entries}
</feed>
"""


def rdf_feed(base: str) -> str:
    seq = "".join(f'<rdf:li rdf:resource="{base}{a["path"]}"/>' for a in RDF_STORIES)
    items = "".join(f"""
<item rdf:about="{base}{a["path"]}">
<title>{esc(a["title"])}</title>
<link>{base}{a["path"]}</link>
<description>{esc(teaser(a, 30))}</description>
<dc:date>{a["published"]}</dc:date>
<dc:creator>{esc(names(a["authors"]))}</dc:creator>
<dc:subject>Countryside</dc:subject>
</item>""" for a in RDF_STORIES)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
 xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="{base}/feeds/countryside.rdf">
<title>Countryside: {esc(SITE)}</title>
<link>{base}/sections/countryside/</link>
<description>{esc(SECTIONS["countryside"]["blurb"])}</description>
<dc:date>{RDF_STORIES[0]["published"]}</dc:date>
<dc:language>en-GB</dc:language>
<items><rdf:Seq>{seq}</rdf:Seq></items>
</channel>{items}
</rdf:RDF>
"""


# ============================================================================ sitemaps

NEWS_STORIES: list[dict] = newest_first(
    [a for a in ARTICLES if a["channel"] == "sitemap"] + [BY_KEY["L1"], BY_KEY["A1"]])
SECTION_STORIES: list[dict] = newest_first([a for a in ARTICLES if a["channel"] == "section"])
OLD_STORIES: list[dict] = newest_first([a for a in ARTICLES if a["channel"] == "old"])
URLSET = '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def news_sitemap(base: str) -> str:
    urls = "".join(f"""
<url>
<loc>{base}{a["path"]}</loc>
<news:news>
<news:publication><news:name>{esc(SITE)}</news:name><news:language>en</news:language></news:publication>
<news:publication_date>{a["published"]}</news:publication_date>
<news:title>{esc(a["title"])}</news:title>
</news:news>
</url>""" for a in NEWS_STORIES)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
{URLSET}
 xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}
</urlset>
"""


def url_sitemap(base: str, stories: list[dict]) -> str:
    urls = "".join(f"""
<url><loc>{base}{a["path"]}</loc><lastmod>{lastmod(a)}</lastmod><changefreq>monthly</changefreq>
</url>""" for a in stories)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{URLSET}>{urls}\n</urlset>\n'


def pages_sitemap(base: str) -> str:
    paths = ["/", *(section_url(s) for s in SECTIONS), "/about", "/contact", "/privacy"]
    urls = "".join(f"\n<url><loc>{base}{p}</loc><changefreq>hourly</changefreq></url>"
                   for p in paths)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{URLSET}>{urls}\n</urlset>\n'


NEWS_SITEMAP_PATH = "/sitemaps/news.xml.gz"
STORIES_SITEMAP_PATH = "/sitemaps/stories.xml"
ARCHIVE_SITEMAP_PATH = "/sitemaps/archive-2019.xml"
PAGES_SITEMAP_PATH = "/sitemaps/pages.xml"
SITEMAP_INDEX_PATH = "/sitemaps/index.xml"


def sitemap_index(base: str) -> str:
    entries = [
        (NEWS_SITEMAP_PATH, max(a["published"] for a in NEWS_STORIES)),
        (STORIES_SITEMAP_PATH, max(lastmod(a) for a in SECTION_STORIES)),
        (ARCHIVE_SITEMAP_PATH, max(lastmod(a) for a in OLD_STORIES)),
    ]
    body = "".join(f"\n<sitemap><loc>{base}{p}</loc><lastmod>{m}</lastmod></sitemap>"
                   for p, m in entries)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex '
            f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}\n</sitemapindex>\n')


def robots(base: str, crawl_delay: float) -> str:
    lines = ["# robots.txt for www.tarrowdalecourier.example", "",
             "User-agent: BadBot", "Disallow: /", "",
             "User-agent: *", "Disallow: /members/", "Disallow: /search"]
    if crawl_delay:
        lines.append(f"Crawl-delay: {crawl_delay:g}")
    lines += ["", f"Sitemap: {base}{SITEMAP_INDEX_PATH}", f"Sitemap: {base}{PAGES_SITEMAP_PATH}",
              ""]
    return "\n".join(lines)
