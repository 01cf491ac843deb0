"""Template 1: a WordPress theme — slug URLs, og:/article: meta, ``.entry-content``,
share buttons, newsletter box, related posts, comments and sidebar widgets."""

from __future__ import annotations

from ._chrome import Ctx, Extras, attr, byline_links, chrome_snippets, esc, link_items, page
from ._content import Article, SiteData, human_date, slugify

SHARE = ("Share on Facebook", "Share on X", "Email this story")


def boilerplate(art: Article, data: SiteData, extras: Extras) -> list[str]:
    bp = data.boilerplate
    out = [*chrome_snippets(data), SHARE[0], bp["newsletter"], "Leave a Reply"]
    out += [r.title for r in extras.related[:2]]
    out += [c["text"] for c in extras.comments[:2]]
    return out


def _meta(art: Article, ctx: Ctx, extras: Extras) -> str:
    d = ctx.data
    tags = "".join(f'<meta property="article:tag" content="{attr(t)}">' for t in art.tags)
    amp = f'<link rel="amphtml" href="{attr(ctx.url(extras.amp_path))}">' if extras.amp_path else ""
    return (
        '<meta property="og:type" content="article">'
        f'<meta property="og:title" content="{attr(art.title)}">'
        f'<meta property="og:description" content="{attr(art.summary)}">'
        f'<meta property="og:url" content="{attr(ctx.url(art.path))}">'
        f'<meta property="og:site_name" content="{attr(d.title)}">'
        f'<meta property="og:image" content="{attr(ctx.url(f"/static/img/{art.slug}.png"))}">'
        f'<meta property="article:published_time" content="{art.published}">'
        f'<meta property="article:modified_time" content="{art.modified or art.published}">'
        f'<meta property="article:section" content="{attr(d.section(art.section).name)}">'
        f"{tags}{amp}"
        '<meta name="generator" content="WordPress 6.5.3">'
    )


def _comments(art: Article, ctx: Ctx, extras: Extras) -> str:
    items = "".join(
        f'<li class="comment"><article class="comment-body"><footer class="comment-meta">'
        f'<b class="fn">{esc(c["author"])}</b> <span class="says">says:</span></footer>'
        f'<div class="comment-content"><p>{esc(c["text"])}</p></div>'
        '<a class="comment-reply-link" href="#respond">Reply</a></article></li>'
        for c in extras.comments
    )
    n = len(extras.comments)
    return (
        f'<div id="comments" class="{ctx.cls("comments-area")}">'
        f'<h2 class="comments-title">{n} thoughts on “{esc(art.title)}”</h2>'
        f'<ol class="comment-list">{items}</ol>'
        '<div id="respond" class="comment-respond">'
        '<h3 class="comment-reply-title">Leave a Reply</h3>'
        '<form class="comment-form"><p>Your email address will not be published.</p>'
        '<textarea name="comment"></textarea><input type="submit" value="Post Comment"></form>'
        "</div></div>"
    )


def _sidebar(ctx: Ctx, extras: Extras) -> str:
    d = ctx.data
    recent = link_items(extras.most_read)
    cats = "".join(f'<li><a href="/{s.slug}/">{esc(s.name)}</a></li>' for s in d.sections)
    return (
        f'<aside id="secondary" class="{ctx.cls("widget-area")}">'
        f'<section class="widget widget_recent_entries"><h2 class="widget-title">Recent Posts</h2>'
        f"<ul>{recent}</ul></section>"
        f'<section class="widget widget_categories"><h2 class="widget-title">Categories</h2>'
        f"<ul>{cats}</ul></section></aside>"
    )


def render(art: Article, ctx: Ctx, extras: Extras) -> str:
    d = ctx.data
    sec = d.section(art.section)
    paras = "\n".join(f"<p>{esc(p)}</p>" for p in art.paragraphs)
    tags = ", ".join(f'<a href="/tag/{slugify(t)}/" rel="tag">{esc(t)}</a>' for t in art.tags)
    related = link_items(extras.related)
    share = "".join(f'<a class="share-link" href="#share">{s}</a> ' for s in SHARE)
    body = (
        f'<div id="page" class="site"><div id="content" class="site-content">'
        f'<main id="main" class="site-main">'
        f'<article id="post-{art.id}" class="post type-post status-publish format-standard">'
        f'<header class="entry-header"><span class="cat-links"><a href="/{sec.slug}/" '
        f'rel="category tag">{esc(sec.name)}</a></span>'
        f'<h1 class="entry-title">{esc(art.title)}</h1>'
        f'<div class="entry-meta"><span class="byline">By '
        f'<span class="author vcard">{byline_links(art.authors, "url fn n")}</span></span> '
        f'<span class="posted-on"><time class="entry-date published" datetime="{art.published}">'
        f"{human_date(art.published_dt)}</time></span></div></header>"
        f'<div class="{ctx.cls("share-buttons")}">{share}</div>'
        f'<div class="entry-content">{paras}</div>'
        f'<footer class="entry-footer"><span class="tags-links">Tagged {tags}</span></footer>'
        "</article>"
        f'<section class="{ctx.cls("newsletter-signup")}"><h2>Newsletter</h2>'
        f'<p>{esc(d.boilerplate["newsletter"])}</p><form><input type="email" name="email" '
        'placeholder="Your email"><button>Subscribe</button></form></section>'
        f'<section class="{ctx.cls("related-posts")}"><h2>Related posts</h2><ul>{related}</ul>'
        "</section>"
        f"{_comments(art, ctx, extras)}</main>{_sidebar(ctx, extras)}</div></div>"
    )
    return page(
        ctx, title=art.title, body=body, head_extra=_meta(art, ctx, extras),
        description=art.summary, canonical=art.path,
        body_class=f"post-template-default single single-post postid-{art.id}",
    )
