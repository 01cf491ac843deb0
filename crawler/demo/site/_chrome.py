"""The boilerplate every page of a newsroom shares: head, nav, cookie banner, footer.

Kept apart from the article templates so the ground truth can name the exact
boilerplate strings a page carries (``chrome_snippets``) without re-parsing it.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from ._content import Article, SiteData, human_date, slugify

# What every page of the newsroom asks for besides itself (served by ``_style``).
STYLESHEET = "/static/css/site.css"
FAVICON = "/static/favicon.png"
SCRIPT = "/static/js/site.js"
_HEAD_FILES = (
    f'<link rel="stylesheet" href="{STYLESHEET}">'
    f'<link rel="icon" type="image/png" href="{FAVICON}">'
    f'<script src="{SCRIPT}" defer></script>'
)


def esc(text: str) -> str:
    """Escape text nodes; quotes stay literal so prose snippets appear verbatim."""
    return html.escape(text, quote=False)


def attr(text: str) -> str:
    return html.escape(text, quote=True)


@dataclass
class Ctx:
    """What a renderer needs: the newsroom and the base URL it is served under."""

    data: SiteData
    base: str  # "http://127.0.0.1:PORT/"

    def url(self, path: str) -> str:
        return self.base.rstrip("/") + path

    def cls(self, name: str) -> str:
        return self.data.cls(name)


@dataclass
class Extras:
    """Per-article context a template shows around the story (chosen by the site)."""

    related: list[Article] = field(default_factory=list)
    most_read: list[Article] = field(default_factory=list)
    comments: list[dict[str, str]] = field(default_factory=list)
    amp_path: str | None = None


def chrome_snippets(data: SiteData) -> list[str]:
    """Boilerplate strings present on every page (never part of an article's text)."""
    bp = data.boilerplate
    return [bp["cookie"], bp["copyright"]]


def nav(ctx: Ctx) -> str:
    d = ctx.data
    links = "".join(
        f'<li><a href="/{s.slug}/">{esc(s.name)}</a></li>' for s in d.sections
    )
    return (
        f'<header class="{ctx.cls("site-header")}">'
        f'<div class="{ctx.cls("site-branding")}"><a href="/" rel="home">{esc(d.title)}</a>'
        f'<p class="{ctx.cls("site-description")}">{esc(d.tagline)}</p></div>'
        f'<nav class="{ctx.cls("main-navigation")}"><ul><li><a href="/">Home</a></li>{links}'
        '<li><a href="/about/">About</a></li><li><a href="/contact/">Contact</a></li></ul>'
        '<form class="search-form" action="/search" method="get">'
        '<input type="search" name="q" placeholder="Search"><button>Go</button></form>'
        "</nav></header>"
    )


def cookie_banner(ctx: Ctx) -> str:
    return (
        f'<div class="{ctx.cls("cookie-banner")}" role="dialog">'
        f'<p>{esc(ctx.data.boilerplate["cookie"])}</p>'
        "<button>Accept all</button> <button>Only necessary</button></div>"
    )


def footer(ctx: Ctx) -> str:
    d = ctx.data
    cols = "".join(f'<a href="/{s.slug}/">{esc(s.name)}</a> ' for s in d.sections)
    return (
        f'<footer class="{ctx.cls("site-footer")}"><div class="footer-links">{cols}'
        '<a href="/about/">About us</a> <a href="/contact/">Contact</a> '
        '<a href="/feed/">RSS</a></div>'
        f'<p class="{ctx.cls("copyright")}">{esc(d.boilerplate["copyright"])}</p></footer>'
    )


def page(
    ctx: Ctx,
    *,
    title: str,
    body: str,
    head_extra: str = "",
    description: str | None = None,
    canonical: str | None = None,
    body_class: str = "",
) -> str:
    """A complete HTML document in this newsroom's chrome."""
    d = ctx.data
    head = [
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(title)} – {esc(d.title)}</title>",
        f'<link rel="alternate" type="application/rss+xml" title="{attr(d.title)}" href="/feed/">',
        _HEAD_FILES,
    ]
    if description:
        head.append(f'<meta name="description" content="{attr(description)}">')
    if canonical:
        head.append(f'<link rel="canonical" href="{attr(ctx.url(canonical))}">')
    return (
        f'<!DOCTYPE html>\n<html lang="{d.language}"><head>{"".join(head)}{head_extra}</head>\n'
        f'<body class="{body_class}">{cookie_banner(ctx)}{nav(ctx)}\n'
        f"{body}\n{footer(ctx)}</body></html>\n"
    )


def byline_links(authors: list[str], link_cls: str = "") -> str:
    """``<a>Ana Ruiz</a> and <a>Tom Becker</a>`` — authors linked to their pages."""
    cls = f' class="{link_cls}"' if link_cls else ""
    parts = [f'<a{cls} href="/author/{slugify(a)}/">{esc(a)}</a>' for a in authors]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def link_items(arts: list[Article]) -> str:
    """``<li>`` links to articles, for related / most-read / recent boxes."""
    return "".join(f'<li><a href="{attr(a.path)}">{esc(a.title)}</a></li>' for a in arts)


def teaser(ctx: Ctx, art: Article, heading: str = "h2") -> str:
    """One entry of a listing (section, tag, author, home)."""
    return (
        f'<div class="{ctx.cls("teaser")}"><{heading} class="{ctx.cls("teaser-title")}">'
        f'<a href="{attr(art.path)}">{esc(art.title)}</a></{heading}>'
        f'<p class="{ctx.cls("teaser-meta")}">{esc(", ".join(art.authors))} · '
        f"{human_date(art.published_dt)}</p><p>{esc(art.summary)}</p></div>"
    )
