"""Plain paginated listings that link a site's articles, so a crawl finds them by
following links from ``/`` (no sitemap, no feed)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from bench._newssite.site import HTML, Page

PER_PAGE = 25


def listing_pages(section: str, title: str, links: Sequence[tuple[str, str]],
                  *, site_name: str) -> dict[str, Page]:
    """``/SECTION/`` and ``/SECTION/page/N/``: ``PER_PAGE`` links ``(path, headline)``
    each; every page names every other page of the section, so the crawl fans out
    after one hop instead of walking a chain of "next" links."""
    chunks = [links[i:i + PER_PAGE] for i in range(0, len(links), PER_PAGE)] or [[]]
    paths = [f"/{section}/"] + [f"/{section}/page/{n}/" for n in range(2, len(chunks) + 1)]
    pages = {}
    for n, (path, chunk) in enumerate(zip(paths, chunks, strict=True)):
        items = "\n".join(f'<li><h2><a href="{href}">{escape(headline)}</a></h2></li>'
                          for href, headline in chunk)
        numbers = " ".join(f'<a href="{p}">{i + 1}</a>' if i != n else f"<b>{i + 1}</b>"
                           for i, p in enumerate(paths))
        pages[path] = _page(f"{title} – page {n + 1}" if n else title, site_name,
                            f'<ul class="stories">\n{items}\n</ul>\n'
                            f'<nav class="pagination">{numbers}</nav>')
    return pages


def home_page(sections: Sequence[tuple[str, str]], *, site_name: str) -> Page:
    """``/``: a link to each section ``(slug, title)``."""
    items = "\n".join(f'<li><a href="/{slug}/">{escape(title)}</a></li>'
                      for slug, title in sections)
    return _page(site_name, site_name, f'<ul class="sections">\n{items}\n</ul>')


def _page(title: str, site_name: str, main: str) -> Page:
    return Page(HTML, (
        f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{escape(title)} | {escape(site_name)}</title></head>\n"
        f"<body><header><a href=\"/\">{escape(site_name)}</a></header>\n"
        f"<main><h1>{escape(title)}</h1>\n{main}\n</main></body></html>\n").encode())


ROBOTS = Page("text/plain; charset=utf-8", b"User-agent: *\nAllow: /\n")
