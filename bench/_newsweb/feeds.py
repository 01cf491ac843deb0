"""A site's machine-readable files: robots.txt, its RSS 2.0 or Atom feed, its news sitemap.

An edit shows where real CMSs show it: the sitemap's ``<lastmod>`` and Atom's
``<updated>`` move to the edit's time; RSS ``<pubDate>`` and Atom ``<published>``
stay at the first publication.
"""

from __future__ import annotations

from email.utils import formatdate

from bench._newsweb.model import Site
from bench._newsweb.pages import article_path, iso, site_title, title

FEED_ENTRIES = 20
SITEMAP_ENTRIES = 200  # a news sitemap lists recent articles only


def robots_txt(site: Site) -> str:
    lines = ["User-agent: *"]
    lines += [f"Disallow: {path}" for path in site.disallow]
    if site.crawl_delay:
        lines.append(f"Crawl-delay: {site.crawl_delay:g}")
    if len(lines) == 1:
        lines.append("Disallow:")
    lines += ["", f"Sitemap: {site.base}/sitemap-news.xml", ""]
    return "\n".join(lines)


def feed(site: Site) -> str:
    return _rss(site) if site.feed_kind == "rss" else _atom(site)


def _rss(site: Site) -> str:
    items = "".join(
        f"<item><title>{title(site, a)}</title><link>{site.base}{article_path(site, a)}</link>"
        f"<guid>{site.base}{article_path(site, a)}</guid>"
        f"<pubDate>{formatdate(a.published_at, usegmt=True)}</pubDate>"
        f"<category>{a.section}</category></item>"
        for a in site.newest(FEED_ENTRIES))
    return ('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
            f"<title>{site_title(site)}</title><link>{site.base}/</link>"
            f"<description>{site_title(site)}</description><language>{site.language}"
            f"</language>{items}</channel></rss>\n")


def _atom(site: Site) -> str:
    newest = site.newest(FEED_ENTRIES)
    updated = max((a.modified_at for a in newest), default=0.0)
    entries = "".join(
        f'<entry><title>{title(site, a)}</title><link href="{site.base}{article_path(site, a)}"/>'
        f"<id>{site.base}{article_path(site, a)}</id>"
        f"<published>{iso(a.published_at)}</published><updated>{iso(a.modified_at)}</updated>"
        f"</entry>"
        for a in newest)
    return ('<?xml version="1.0" encoding="utf-8"?>\n'
            f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{site.language}">'
            f"<title>{site_title(site)}</title><id>{site.base}/</id>"
            f'<link href="{site.base}/"/><updated>{iso(updated)}</updated>{entries}</feed>\n')


def news_sitemap(site: Site) -> str:
    urls = "".join(
        f"<url><loc>{site.base}{article_path(site, a)}</loc><lastmod>{iso(a.modified_at)}"
        f"</lastmod><news:news><news:publication><news:name>{site_title(site)}</news:name>"
        f"<news:language>{site.language}</news:language></news:publication>"
        f"<news:publication_date>{iso(a.published_at)}</news:publication_date>"
        f"<news:title>{title(site, a)}</news:title></news:news></url>"
        for a in site.newest(SITEMAP_ENTRIES))
    return ('<?xml version="1.0" encoding="utf-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
            f"{urls}</urlset>\n")
