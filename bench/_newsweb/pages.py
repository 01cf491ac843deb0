"""HTML pages of a site: articles in three templates, the home page and sections.

The templates differ as real CMSs do: ``jsonld`` is a modern theme (semantic
``<article>``, JSON-LD ``NewsArticle``), ``opengraph`` declares its dates only in
``og:``/``article:`` meta tags, ``legacy`` wraps a WordPress-like ``entry-content``
in tables and puts its JSON-LD in an ``@graph``. Each has its own article URL shape.
Sites that disallow ``/print/`` and ``/search`` in robots.txt still link to them, as
real sites do. Every page is a pure function of the model, so its bytes (and ETag)
change only when what it shows changes.
"""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime

from bench._newsweb.model import Article, Site
from bench._newsweb.prose import VOCABULARIES, headline, paragraphs

HOME_ARTICLES = 15
SECTION_PAGE_SIZE = 10
SITE_NAMES = {"en": "The {} Courier", "de": "{} Kurier", "fr": "Le Journal {}",
              "es": "El Diario {}", "it": "La Gazzetta {}"}


def iso(unix: float) -> str:
    return datetime.fromtimestamp(int(unix), UTC).isoformat()


def site_title(site: Site) -> str:
    return SITE_NAMES[site.language].format(f"No {site.index}")


def title(site: Site, article: Article) -> str:
    return headline(site.language, random.Random(f"title/{site.index}/{article.number}"))


def _slug(text: str) -> str:
    words = "".join(c if c.isalnum() else " " for c in text.lower()).split()
    return "-".join(words[:6])


def article_path(site: Site, article: Article) -> str:
    slug = _slug(title(site, article))
    if site.template == "jsonld":
        day = datetime.fromtimestamp(article.published_at, UTC).strftime("%Y/%m/%d")
        return f"/{article.section}/{day}/{slug}-{article.number}/"
    if site.template == "opengraph":
        return f"/{article.section}/{slug}-{article.number}.html"
    return f"/articles/{article.number}-{slug}"


def section_path(section: str, page: int = 1) -> str:
    return f"/{section}/" if page == 1 else f"/{section}/page/{page}/"


def _head(site: Site, page_title: str, extra: str = "") -> str:
    feed_type = "application/rss+xml" if site.feed_kind == "rss" else "application/atom+xml"
    return (f'<!DOCTYPE html>\n<html lang="{site.language}"><head><meta charset="utf-8">'
            f"<title>{page_title} - {site_title(site)}</title>"
            f'<link rel="alternate" type="{feed_type}" title="{site_title(site)}" '
            f'href="{site.base}/feed.xml">{extra}</head>')


def _nav(site: Site) -> str:
    links = "".join(f'<li><a href="{section_path(s)}">{s.title()}</a></li>'
                    for s in site.sections)
    search = ('<form action="/search"><input name="q"></form>'
              '<a href="/search?q=latest">Search</a>' if "/search" in site.disallow else "")
    return f'<nav><ul><li><a href="/">{site_title(site)}</a></li>{links}</ul>{search}</nav>'


def article_page(site: Site, article: Article) -> str:
    rng = random.Random(f"body/{site.index}/{article.number}/{article.version}")
    heading = title(site, article)
    body = "".join(f"<p>{text}</p>" for text in paragraphs(site.language, rng, rng.randint(4, 6)))
    author = f"{rng.choice(('A.', 'M.', 'J.', 'L.'))} Writer{article.number % 17}"
    published, modified = iso(article.published_at), iso(article.modified_at)
    url = site.base + article_path(site, article)
    related = "".join(f'<li><a href="{article_path(site, other)}">{title(site, other)}</a></li>'
                      for other in site.newest(4) if other is not article)[:3000]
    printing = (f'<a href="/print{article_path(site, article)}">Print</a>'
                if "/print/" in site.disallow else "")
    canonical = f'<link rel="canonical" href="{url}">'
    if site.template == "jsonld":
        data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": heading,
                "datePublished": published, "dateModified": modified,
                "author": {"@type": "Person", "name": author},
                "publisher": {"@type": "Organization", "name": site_title(site)},
                "articleSection": article.section, "inLanguage": site.language,
                "mainEntityOfPage": url}
        head = _head(site, heading, canonical + '<script type="application/ld+json">'
                     f"{json.dumps(data)}</script>")
        main = (f"<main><article><h1>{heading}</h1><p class=byline>{author}, "
                f'<time datetime="{published}">{published[:10]}</time></p>{body}'
                f"{printing}</article><aside><ul>{related}</ul></aside></main>")
    elif site.template == "opengraph":
        meta = (f'<meta property="og:type" content="article">'
                f'<meta property="og:title" content="{heading}">'
                f'<meta property="og:url" content="{url}">'
                f'<meta property="article:published_time" content="{published}">'
                f'<meta property="article:modified_time" content="{modified}">'
                f'<meta property="article:section" content="{article.section}">'
                f'<meta name="author" content="{author}">')
        head = _head(site, heading, canonical + meta)
        main = (f'<div id="content"><div class="story"><h1 class="headline">{heading}</h1>'
                f'<div class="meta">{author} | {published[:16]}</div>'
                f'<div class="story-body">{body}</div>{printing}</div>'
                f'<div class="related"><ul>{related}</ul></div></div>')
    else:
        data = {"@context": "https://schema.org", "@graph": [
            {"@type": "WebPage", "@id": url, "url": url},
            {"@type": "Article", "headline": heading, "datePublished": published,
             "dateModified": modified, "author": [{"@type": "Person", "name": author}],
             "isPartOf": {"@id": url}}]}
        head = _head(site, heading, canonical + '<script type="application/ld+json">'
                     f"{json.dumps(data)}</script>")
        main = (f'<table width="100%"><tr><td class="main"><div class="post">'
                f'<h2 class="entry-title">{heading}</h2><span class="author vcard">{author}'
                f'</span> <abbr class="published" title="{published}">{published[:10]}</abbr>'
                f'<div class="entry-content">{body}</div>{printing}</div></td>'
                f'<td class="sidebar"><ul>{related}</ul></td></tr></table>')
    return f"{head}<body>{_nav(site)}{main}<footer>{site_title(site)}</footer></body></html>"


def print_page(site: Site, article: Article) -> str:
    """The print version robots.txt disallows: the same article, no chrome."""
    return (f'<!DOCTYPE html><html lang="{site.language}"><head><title>{title(site, article)}'
            f"</title></head><body><h1>{title(site, article)}</h1></body></html>")


def listing_page(site: Site, heading: str, articles: list[Article], more: str = "") -> str:
    items = "".join(
        f'<li><a href="{article_path(site, a)}">{title(site, a)}</a> '
        f'<span class="date">{iso(a.published_at)[:16]}</span></li>' for a in articles)
    return (f"{_head(site, heading)}<body>{_nav(site)}<main><h1>{heading}</h1>"
            f'<ul class="list">{items}</ul>{more}</main><footer>{site_title(site)}</footer>'
            "</body></html>")


def home_page(site: Site) -> tuple[str, list[Article]]:
    shown = site.newest(HOME_ARTICLES)
    return listing_page(site, site_title(site), shown), shown


def section_pages(site: Site, section: str) -> int:
    count = sum(1 for a in site.articles if a.section == section)
    return max(1, -(-count // SECTION_PAGE_SIZE))


def section_page(site: Site, section: str, page: int) -> tuple[str, list[Article]] | None:
    """Page ``page`` of a section, newest first, or None past its last page."""
    pages = section_pages(site, section)
    if page > pages:
        return None
    listed = [a for a in site.newest(len(site.articles)) if a.section == section]
    shown = listed[(page - 1) * SECTION_PAGE_SIZE:page * SECTION_PAGE_SIZE]
    more = (f'<a rel="next" href="{section_path(section, page + 1)}">'
            f"{VOCABULARIES[site.language].more}</a>" if page < pages else "")
    return listing_page(site, f"{section.title()} ({page})", shown, more), shown
