"""Machine-readable discovery: RSS 2.0 feed, sitemap and robots.txt."""

from __future__ import annotations

from email.utils import format_datetime
from xml.sax.saxutils import escape

from ._chrome import Ctx
from ._content import Article


def rss(ctx: Ctx, arts: list[Article]) -> str:
    d = ctx.data
    items = []
    for a in arts:
        cats = "".join(f"<category>{escape(t)}</category>" for t in a.tags)
        creators = "".join(f"<dc:creator>{escape(n)}</dc:creator>" for n in a.authors)
        items.append(
            f"<item><title>{escape(a.title)}</title><link>{escape(ctx.url(a.path))}</link>"
            f'<guid isPermaLink="true">{escape(ctx.url(a.path))}</guid>'
            f"<pubDate>{format_datetime(a.published_dt)}</pubDate>{creators}{cats}"
            f"<description>{escape(a.summary)}</description></item>"
        )
    newest = arts[0].published_dt if arts else d.built_dt
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
        f"<title>{escape(d.title)}</title><link>{escape(ctx.url('/'))}</link>"
        f"<description>{escape(d.tagline)}</description><language>{d.language}</language>"
        f"<lastBuildDate>{format_datetime(newest)}</lastBuildDate>"
        f'<atom:link href="{escape(ctx.url("/feed/"))}" rel="self" type="application/rss+xml"/>'
        f"{''.join(items)}</channel></rss>\n"
    )


def sitemap(ctx: Ctx, pages: list[tuple[str, str]]) -> str:
    """``pages`` is ``[(path, lastmod ISO 8601)]``."""
    urls = "".join(
        f"<url><loc>{escape(ctx.url(p))}</loc><lastmod>{m}</lastmod></url>" for p, m in pages
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>\n'
    )


def robots(ctx: Ctx, disallow: list[str]) -> str:
    rules = "".join(f"Disallow: {p}\n" for p in disallow)
    return f"User-agent: *\n{rules}Allow: /\n\nSitemap: {ctx.url('/sitemap.xml')}\n"
