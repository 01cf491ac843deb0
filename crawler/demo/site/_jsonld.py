"""Template 2: a news CMS that describes each story in a JSON-LD ``NewsArticle``;
date-path URLs, its own class names, "Most read" box and ad slots in the body."""

from __future__ import annotations

import json

from ._chrome import Ctx, Extras, attr, byline_links, chrome_snippets, esc, link_items, page
from ._content import Article, SiteData, human_date, slugify

AD = "Advertisement"


def boilerplate(art: Article, data: SiteData, extras: Extras) -> list[str]:
    return [*chrome_snippets(data), AD, "Most read", *(a.title for a in extras.most_read[:2])]


def ld_json(art: Article, ctx: Ctx) -> dict:
    d = ctx.data
    return {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": ctx.url(art.path)},
        "url": ctx.url(art.path),
        "headline": art.title,
        "description": art.summary,
        "image": [ctx.url(f"/static/img/{art.slug}.png")],
        "datePublished": art.published,
        "dateModified": art.modified or art.published,
        "author": [
            {"@type": "Person", "name": a, "url": ctx.url(f"/author/{slugify(a)}/")}
            for a in art.authors
        ],
        "publisher": {
            "@type": "NewsMediaOrganization",
            "name": d.title,
            "logo": {"@type": "ImageObject", "url": ctx.url("/static/logo.png")},
        },
        "keywords": art.tags,
        "articleSection": d.section(art.section).name,
        "inLanguage": d.language,
    }


def _body(art: Article) -> str:
    # Ads sit between paragraphs, as they do on real news pages: extractors must drop them.
    out = []
    for i, p in enumerate(art.paragraphs):
        out.append(f"<p>{esc(p)}</p>")
        if i in (1, 4):
            out.append(f'<div class="ad-slot">{AD}</div>')
    return "\n".join(out)


def render(art: Article, ctx: Ctx, extras: Extras) -> str:
    d = ctx.data
    c = ctx.cls
    sec = d.section(art.section)
    dt = art.published_dt
    script = json.dumps(ld_json(art, ctx), ensure_ascii=False).replace("</", "<\\/")
    amp = f'<link rel="amphtml" href="{attr(ctx.url(extras.amp_path))}">' if extras.amp_path else ""
    most = link_items(extras.most_read)
    tags = " ".join(f'<a href="/tag/{slugify(t)}/">{esc(t)}</a>' for t in art.tags)
    body = (
        f'<div class="{c("page-wrap")}"><div class="{c("story-layout")}">'
        f'<div class="{c("story-main")}">'
        f'<div class="{c("story-kicker")}"><a href="/{sec.slug}/">{esc(sec.name)}</a></div>'
        f'<h1 class="{c("story-headline")}">{esc(art.title)}</h1>'
        f'<p class="{c("story-standfirst")}">{esc(art.summary)}</p>'
        f'<div class="{c("story-byline")}">By {byline_links(art.authors)} · '
        f'<span class="{c("story-date")}">{human_date(dt)}, {dt:%H:%M}</span></div>'
        f'<figure class="{c("story-image")}"><img src="/static/img/{art.slug}.png" alt="">'
        f"<figcaption>{esc(d.town)}. Photo: {esc(d.title)}</figcaption></figure>"
        f'<div class="{c("story-body")}">{_body(art)}</div>'
        f'<div class="{c("story-topics")}">Topics: {tags}</div></div>'
        f'<aside class="{c("story-rail")}"><div class="{c("most-read")}"><h3>Most read</h3>'
        f'<ol>{most}</ol></div><div class="ad-slot">{AD}</div></aside>'
        "</div></div>"
    )
    head = f'<script type="application/ld+json">{script}</script>{amp}'
    return page(
        ctx, title=art.title, body=body, head_extra=head, description=art.summary,
        canonical=art.path, body_class=c("layout-story"),
    )
