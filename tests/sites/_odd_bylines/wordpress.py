"""The WordPress block theme ("wp"): the page frame the listings share too, and posts
whose byline is sometimes only in <meta name="author">, with pull quotes, captions, an
inline sign-up form, related posts and comments."""

from __future__ import annotations

from tests.sites._odd_bylines.content import (
    BY_KEY,
    COMMENT_LINK,
    FOOTER_NOTE,
    MONTHS,
    NAV,
    PEOPLE,
    REPLY,
    SIGNUP_HEAD,
    SIGNUP_TEXT,
    SITE,
    STICKY,
    STICKY2,
    TAGLINE,
    author_url,
    excerpt,
    human_date,
    link_of,
)
from tests.sites.pages import esc


def wp_nav() -> str:
    items = "".join(f'<li class="wp-block-navigation-item"><a class="wp-block-navigation-item__'
                    f'content" href="{esc(h)}"><span>{t}</span></a></li>' for t, h in NAV)
    return (f'<nav class="wp-block-navigation is-horizontal" aria-label="Primary">'
            f'<ul class="wp-block-navigation__container">{items}</ul></nav>')


def wp_footer() -> str:
    staff = "".join(f'<li><a href="{author_url(n)}">{esc(n)}</a></li>' for n in PEOPLE)
    months = "".join(f'<li><a href="/2024/{m:02d}/">{MONTHS[m - 1]} 2024</a></li>'
                     for m in (5, 4, 3))
    return f"""
<footer class="wp-block-template-part site-footer">
 <div class="wp-block-columns">
  <div class="wp-block-column"><h2 class="wp-block-heading">Our newsroom</h2>
   <ul class="wp-block-list">{staff}</ul></div>
  <div class="wp-block-column"><h2 class="wp-block-heading">Archives</h2>
   <ul class="wp-block-archives-list">{months}</ul></div>
  <div class="wp-block-column"><h2 class="wp-block-heading">About us</h2>
   <ul class="wp-block-list"><li><a href="/about/ethics-policy/">Ethics policy</a></li>
   <li><a href="/subscribe/">Subscribe</a></li><li><a href="/obituaries/">Obituaries</a></li>
   <li><a href="/sitemap.xml">Sitemap</a></li></ul></div>
 </div>
 <p class="has-small-font-size">{esc(FOOTER_NOTE)} {esc(TAGLINE)}.</p>
</footer>"""


STICKY_BAR = (f'<div class="register-sticky-footer" style="position:fixed;bottom:0;left:0;'
              f'right:0"><p>You are reading the Register for free this month. '
              f'<a href="/subscribe/">{esc(STICKY)}</a>. {esc(STICKY2)} '
              f'<a href="/subscribe/#login">here</a>.</p><button class="close" '
              f'aria-label="Close">×</button></div>')


def wp_page(title: str, main: str, *, head: str = "", body_class: str = "page",
            doc_title: str | None = None) -> str:
    return f"""<!DOCTYPE html>
<html lang="en-US">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(doc_title or title)} – {SITE}</title>
<meta name="generator" content="WordPress 6.5.3">
<link rel="alternate" type="application/rss+xml" title="{SITE} &raquo; Feed" href="/feed/">
<style id="wp-block-library-inline-css">.wp-block-pullquote{{border-top:4px solid}}
.register-sticky-footer{{background:#12324a;color:#fff;z-index:99}}</style>
{head}
</head>
<body class="{body_class} wp-embed-responsive">
<div class="wp-site-blocks">
<header class="wp-block-template-part">
 <div class="wp-block-group site-header">
  <p class="wp-block-site-title"><a href="/" rel="home">{SITE}</a></p>
  <p class="wp-block-site-tagline">{esc(TAGLINE)}</p>
  {wp_nav()}
  <form role="search" method="get" action="/search/" class="wp-block-search">
   <label for="s1" class="screen-reader-text">Search</label>
   <input id="s1" type="search" name="q" placeholder="Search the Register">
   <button type="submit">Search</button></form>
 </div>
</header>
{main}
{wp_footer()}
</div>
{STICKY_BAR}
</body>
</html>"""


def render_wp_article(a: dict, base: str) -> str:
    names = a["authors"]
    url = base + a["path"]
    head = f"""<link rel="canonical" href="{url}">
<link rel="shortlink" href="{base}/?p={a['wp_id']}">
<meta name="author" content="{esc(', '.join(names))}">
<meta name="description" content="{esc(excerpt(a, 25))}">
<meta property="og:locale" content="en_US">
<meta property="og:type" content="article">
<meta property="og:title" content="{esc(a['title'])}">
<meta property="og:description" content="{esc(excerpt(a, 25))}">
<meta property="og:url" content="{url}">
<meta property="og:site_name" content="{SITE}">
<meta property="og:image" content="{base}/wp-content/uploads/2024/05/{a['wp_id']}-1200x630.jpg">
<meta property="article:published_time" content="{a['published']}">
<meta property="article:modified_time" content="{a['modified']}">
<meta property="article:section" content="{esc(a['cats'][-1][0])}">
<meta name="twitter:card" content="summary_large_image">"""
    terms = '<span class="wp-block-post-terms__separator">, </span>'.join(
        f'<a href="{h}" rel="tag">{esc(t)}</a>' for t, h in a["cats"])
    byline = ""
    if a["byline_visible"]:
        links = " and ".join(f'<a href="{author_url(n)}" rel="author">{esc(n)}</a>'
                             for n in names)
        byline = (f'<div class="wp-block-post-author-name has-small-font-size">By {links}'
                  f'</div>')
    count = len(a["comments"])
    related_items = "".join(
        f'<li><a class="wp-block-latest-posts__post-title" href="{link_of(BY_KEY[k], "rel")}">'
        f'{esc(BY_KEY[k]["title"])}</a></li>' for k in a["related"])
    if a["related_inside"]:
        related = (f'<div id="jp-relatedposts" class="jp-relatedposts">'
                   f'<h3 class="jp-relatedposts-headline"><em>Related</em></h3>'
                   f'<ul class="jp-relatedposts-items">{related_items}</ul></div>')
    else:
        related = (f'<div class="wp-block-group related-posts"><h2 class="wp-block-heading">'
                   f'Related</h2><ul class="wp-block-latest-posts__list">{related_items}</ul>'
                   f'</div>')
    blocks = []
    for i, p in enumerate(a["body"]):
        blocks.append(f"<p>{esc(p)}</p>")
        if "figure" in a and a["figure"][0] == i:
            blocks.append(
                f'<figure class="wp-block-image size-large"><img decoding="async" '
                f'src="/wp-content/uploads/2024/05/{a["wp_id"]}-{i}.jpg" alt="" width="1024" '
                f'height="683"><figcaption class="wp-element-caption">{esc(a["figure"][1])}'
                f'</figcaption></figure>')
        if a["signup_after"] == i:
            blocks.append(
                f'<div class="wp-block-group is-style-newsletter-inline has-background">'
                f'<h3 class="wp-block-heading">{SIGNUP_HEAD}</h3><p>{esc(SIGNUP_TEXT)}</p>'
                f'<form class="newsletter-form" action="/subscribe/" method="get">'
                f'<input type="email" name="email" placeholder="Email address">'
                f'<button type="submit">Sign up</button></form></div>')
        if "pullquote" in a and a["pullquote"][0] == i:
            _, quote, who = a["pullquote"]
            blocks.append(f'<figure class="wp-block-pullquote"><blockquote><p>{esc(quote)}</p>'
                          f'<cite>{esc(who)}</cite></blockquote></figure>')
    content = "\n".join(blocks)
    if a["related_inside"]:
        content += "\n" + related
        related = ""
    comments = "".join(
        f'<li class="comment"><div class="wp-block-comment-author-name">{esc(who)}</div>'
        f'<div class="wp-block-comment-date"><a href="#comment-{a["wp_id"]}{j}">'
        f'{human_date(a["local"])} at 9:{10 + j} pm</a></div><div class="wp-block-comment-'
        f'content"><p>{esc(text)}</p></div></li>'
        for j, (who, text) in enumerate(a["comments"]))
    main = f"""
<main class="wp-block-group is-layout-constrained">
 <div class="wp-block-group alignwide post-header">
  <div class="taxonomy-category wp-block-post-terms">{terms}</div>
  <h1 class="wp-block-post-title">{esc(a['title'])}</h1>
  {byline}
  <div class="wp-block-post-date"><time datetime="{a['local']}">{human_date(a['local'])}</time>
  </div>
  <div class="wp-block-comments-count"><a href="#comments">{COMMENT_LINK}: {count}
   comment{'s' if count != 1 else ''}</a></div>
 </div>
 <div class="entry-content alignfull wp-block-post-content has-global-padding
  is-layout-constrained">
{content}
 </div>
 {related}
 <div class="wp-block-comments" id="comments">
  <h2 class="wp-block-comments-title">{count} response{'s' if count != 1 else ''} to
   &ldquo;{esc(a['title'])}&rdquo;</h2>
  <ol class="wp-block-comment-template">{comments}</ol>
  <div id="respond" class="comment-respond"><h3 id="reply-title">Leave a Reply</h3>
   <form action="/wp-comments-post.php" method="post" class="comment-form">
   <p class="comment-notes">{REPLY} *</p><textarea name="comment"></textarea>
   <input type="submit" value="Post Comment"></form></div>
 </div>
</main>"""
    return wp_page(a["title"], main, head=head,
                   body_class=f"wp-singular post-template-default single single-post "
                              f"postid-{a['wp_id']}")
