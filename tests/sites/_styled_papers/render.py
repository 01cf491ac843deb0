"""The Observer's pages: the home page's listing and the articles, every one of them on
the same template (stylesheet, script, favicon, the ad and tracker tags)."""

from __future__ import annotations

import json

from tests.sites._styled_papers.assets import Assets
from tests.sites._styled_papers.content import (
    ARTICLES,
    LAZY_PLACEHOLDER,
    NAME,
    SECTIONS,
    TAGLINE,
    TRACKER_PIXEL,
    TRACKER_SCRIPT,
)
from tests.sites.pages import esc


def page(title: str, body: str, head: str = "") -> str:
    """The template every page shares."""
    nav = "".join(f'<a href="/#{esc(s.lower())}">{esc(s)}</a>' for s in SECTIONS)
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>{esc(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/static/site.css">
<link rel="icon" type="image/png" href="/static/favicon.png">
<script src="/static/site.js"></script>
<script async src="{TRACKER_SCRIPT}"></script>
{head}</head>
<body>
<header class="masthead"><div class="inner">
<a class="name" href="/">{esc(NAME)}</a>
<p class="tagline">{esc(TAGLINE)}</p>
<nav>{nav}</nav>
</div></header>
<div class="edition-note"><div class="inner">Today's edition: six stories from the valley.
</div></div>
{body}
<footer><div class="inner">&copy; 2026 {esc(NAME)}. All rights reserved.</div></footer>
<img class="pixel" src="{TRACKER_PIXEL}" width="1" height="1" alt="" style="display:none">
</body>
</html>
"""


def render_home(assets: Assets) -> str:
    items = "".join(
        f'<li><a href="{esc(a["path"])}"><img src="{esc(assets.lead(a, 400))}" alt=""></a>'
        f'<div><h2><a href="{esc(a["path"])}">{esc(a["title"])}</a></h2>'
        f'<p>{esc(a["section"])}. By {esc(a["author"])}, {a["published"][:10]}</p></div></li>'
        for a in ARTICLES)
    return page(NAME, f'<main class="inner"><ul class="listing">{items}</ul></main>')


def render_article(assets: Assets, article: dict) -> str:
    ld = {"@context": "https://schema.org", "@type": "NewsArticle",
          "headline": article["title"], "datePublished": article["published"],
          "author": {"@type": "Person", "name": article["author"]},
          "publisher": {"@type": "Organization", "name": NAME},
          "image": assets.lead(article, 1200)}
    head = (f'<meta name="author" content="{esc(article["author"])}">\n'
            f'<meta property="og:type" content="article">\n'
            f'<meta property="og:title" content="{esc(article["title"])}">\n'
            f'<meta property="og:image" content="{esc(assets.lead(article, 1200))}">\n'
            f'<meta property="article:published_time" content="{article["published"]}">\n'
            f'<script type="application/ld+json">{json.dumps(ld)}</script>\n')
    srcset = ", ".join(f"{assets.lead(article, w)} {w}w" for w in assets.LEAD_WIDTHS)
    maps = ", ".join(f"{assets.map(article, w)} {w}w" for w in assets.MAP_WIDTHS)
    paragraphs = "".join(f"<p>{esc(text)}</p>" for text in article["body"])
    body = f"""<main class="inner">
<article class="story">
<p class="section">{esc(article["section"])}</p>
<h1>{esc(article["title"])}</h1>
<p class="byline">By <span class="author">{esc(article["author"])}</span>,
<time datetime="{article["published"]}">{article["published"][:10]}</time></p>
<figure><img src="{esc(assets.lead(article, 800))}" srcset="{esc(srcset)}" sizes="640px"
 width="640" height="360" alt="{esc(article["caption"])}">
<figcaption>{esc(article["caption"])}</figcaption></figure>
{paragraphs}
</article>
<aside>
<h2>In figures</h2>
<picture><source srcset="{esc(assets.chart(article, "webp"))}" type="image/webp">
<img src="{esc(assets.chart(article, "png"))}" width="280" height="160" alt="Chart"></picture>
<h2>Where it happened</h2>
<img class="lazy" src="{LAZY_PLACEHOLDER}" data-src="{esc(assets.map(article, 280))}"
 data-srcset="{esc(maps)}" sizes="280px" width="280" height="160" alt="Map">
</aside>
</main>"""
    return page(f'{article["title"]} | {NAME}', body, head)
