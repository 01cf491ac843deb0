"""What the sites share for writing their pages and their ground truth."""

from __future__ import annotations

import html
import json
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def paras(block: str) -> list[str]:
    """Paragraphs of an indented block: blank lines part them, line breaks do not."""
    out = []
    for chunk in block.strip().split("\n\n"):
        out.append(" ".join(line.strip() for line in chunk.strip().splitlines()))
    return out


def load_data(site: str) -> dict:
    """What a site's pages say, from ``data/<site>.json`` (apart from the code that lays
    them out): articles, people, the text of static pages."""
    return json.loads((DATA / f"{site}.json").read_text("utf-8"))


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def sitemap_urlset(entries: list[tuple[str, str]]) -> str:
    """A sitemap (urlset) of ``(URL, lastmod)`` pairs."""
    urls = "".join(f"\n<url><loc>{url}</loc><lastmod>{lastmod}</lastmod></url>"
                   for url, lastmod in entries)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}\n</urlset>\n')


def robots_naming_sitemap(base: str) -> str:
    """A robots.txt that allows everything and names ``/sitemap.xml``."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {base}/sitemap.xml\n"


def ground_truth(article: dict, boilerplate: list[str], **more) -> dict:
    """The expectation for one article of a site (``more`` adds or overrides fields)."""
    return {
        "path": article["path"],
        "title": article["title"],
        "authors": list(article["authors"]),
        "published": article["published"],
        "body_snippets": list(article["snippets"]),
        "boilerplate_snippets": boilerplate,
        "template": article["kind"],
        **more,
    }
