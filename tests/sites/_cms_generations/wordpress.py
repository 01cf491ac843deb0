"""The WordPress-like theme ("wp"): the page frame every listing shares, and articles
with og/article: metadata, rel="author" bylines, share buttons, related posts and
comments."""

from __future__ import annotations

from tests.sites._cms_generations.content import (
    ARTICLES,
    BY_KEY,
    FOOTER_NOTE,
    NEWSLETTER,
    SECTIONS,
    SHARE,
    SITE,
    author_url,
    excerpt,
    human_date,
)
from tests.sites.pages import esc


def nav_html() -> str:
    links = "".join(f'<li class="menu-item"><a href="/{slug}/">{esc(name)}</a></li>'
                    for slug, name in SECTIONS.items())
    return (f'<nav id="site-navigation" class="main-navigation"><ul id="primary-menu" '
            f'class="menu">{links}<li class="menu-item"><a href="/about-us/">About</a></li>'
            f'</ul></nav>')


def wp_footer() -> str:
    return (
        '<footer id="colophon" class="site-footer"><div class="footer-widgets">'
        '<ul class="footer-links"><li><a href="/about-us/">About us</a></li>'
        '<li><a href="/contact/">Contact</a></li>'
        '<li><a href="/privacy-policy/">Privacy policy</a></li>'
        '<li><a href="/corrections-policy/">Corrections</a></li>'
        '<li><a href="/archive/">From the archive</a></li></ul>'
        f'<p class="site-info">{esc(FOOTER_NOTE)} 14 Chandlers Row, Port Calloway. '
        '<a href="https://wordpress.org/">Proudly powered by WordPress</a></p>'
        '</div></footer>')


def recent_widget() -> str:
    latest = sorted((a for a in ARTICLES if not a.get("hidden")),
                    key=lambda a: a["published"][:10], reverse=True)[:5]
    items = "".join(f'<li><a href="{a["path"]}">{esc(a["title"])}</a></li>' for a in latest)
    return (f'<aside id="secondary" class="widget-area"><section class="widget widget_recent">'
            f'<h2 class="widget-title">Recent Posts</h2><ul>{items}</ul></section>'
            '<section class="widget widget_text"><h2 class="widget-title">Support us</h2>'
            '<div class="textwidget"><p>The Ledger is owned by its readers. Join the '
            'cooperative from £3 a month and help keep local news local.</p></div></section>'
            '</aside>')


def wp_page(title: str, body: str, *, head: str = "", body_class: str = "page") -> str:
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)} &#8211; {SITE}</title>
{head}
<link rel="alternate" type="application/rss+xml" title="{SITE} &raquo; Feed" href="/feed/">
<link rel="stylesheet" id="tidewater-style-css" href="/wp-content/themes/tidewater/style.css">
</head>
<body class="{body_class}">
<a class="skip-link screen-reader-text" href="#content">Skip to content</a>
<div id="page" class="site">
<header id="masthead" class="site-header"><div class="site-branding">
<p class="site-title"><a href="/" rel="home">{SITE}</a></p>
<p class="site-description">News from Port Calloway, Skerrin and the Wrenmoor coast since 1871</p>
</div>{nav_html()}</header>
<div id="content" class="site-content"><div id="primary" class="content-area">
<main id="main" class="site-main">
{body}
</main></div>
{recent_widget()}
</div>
{wp_footer()}
</div>
</body>
</html>
"""


def render_wp_article(a: dict, base: str) -> str:
    url = base + a["path"]
    head = "\n".join([
        f'<link rel="canonical" href="{esc(url)}">',
        f'<link rel="shortlink" href="{base}/?p={a["wp_id"]}">',
        '<meta property="og:locale" content="en_GB">',
        '<meta property="og:type" content="article">',
        f'<meta property="og:title" content="{esc(a["title"])}">',
        f'<meta property="og:description" content="{esc(excerpt(a, 20))}">',
        f'<meta property="og:url" content="{esc(url)}">',
        f'<meta property="og:site_name" content="{SITE}">',
        f'<meta property="article:modified_time" content="{a["modified"]}">',
        f'<meta property="article:published_time" content="{a["published"]}">',
        f'<meta property="article:section" content="{SECTIONS[a["section"]]}">',
        *(f'<meta property="article:tag" content="{t}">' for t in a["tags"]),
        '<meta name="twitter:card" content="summary_large_image">',
        '<meta name="twitter:label1" content="Written by">',
        f'<meta name="twitter:data1" content="{esc(a["authors"][0])}">',
        '<meta name="twitter:label2" content="Est. reading time">',
        '<meta name="twitter:data2" content="3 minutes">',
    ])
    byline_parts = [
        f'<span class="author vcard"><a class="url fn n" href="{author_url(n)}" '
        f'rel="author">{esc(n)}</a></span>' for n in a["authors"]]
    if len(byline_parts) == 1:
        byline = byline_parts[0]
    else:
        byline = ", ".join(byline_parts[:-1]) + " and " + byline_parts[-1]
    paragraphs = [f"<p>{esc(p)}</p>" for p in a["body"]]
    if "figure" in a:
        pos, caption = a["figure"]
        paragraphs.insert(pos, (
            '<figure class="wp-block-image size-large"><img src="/wp-content/uploads/2024/03/'
            f'pilot.jpg" alt="" width="1024" height="683"><figcaption>{esc(caption)} '
            'Photo: Lucía Ferrer</figcaption></figure>'))
    if "read_also" in a:
        key, pos, kind = a["read_also"]
        other = BY_KEY[key]
        if kind == "p":
            box = (f'<p class="read-also"><strong>Read also:</strong> '
                   f'<a href="{other["path"]}">{esc(other["title"])}</a></p>')
        else:
            box = ('<div class="wp-block-group has-pale-blue-background-color read-also">'
                   f'<div class="wp-block-group__inner-container">Read also: '
                   f'<a href="{other["path"]}">{esc(other["title"])}</a></div></div>')
        paragraphs.insert(pos, box)
    share = (
        '<div class="sharedaddy sd-sharing-enabled"><div class="robots-nocontent sd-block">'
        '<h3 class="sd-title">Share this:</h3><ul>'
        '<li><a class="share-facebook" href="#">Share on Facebook</a></li>'
        '<li><a class="share-bluesky" href="#">Share on Bluesky</a></li>'
        f'<li><a class="share-whatsapp" href="#">{SHARE}</a></li>'
        '<li><a class="share-email" href="#">Email a friend</a></li></ul></div></div>')
    tags = ", ".join(f'<a href="/tag/{t}/" rel="tag">{t}</a>' for t in a["tags"])
    related = "".join(
        f'<div class="jp-relatedposts-post"><h4 class="jp-relatedposts-post-title">'
        f'<a href="{BY_KEY[k]["path"]}">{esc(BY_KEY[k]["title"])}</a></h4>'
        f'<p class="jp-relatedposts-post-excerpt">{esc(excerpt(BY_KEY[k]))}</p>'
        f'<p class="jp-relatedposts-post-date">{human_date(BY_KEY[k]["published"])}</p></div>'
        for k in a["related"])
    comments = ""
    if a["comments"]:
        items = "".join(
            f'<li id="comment-{i}" class="comment even thread-even depth-1">'
            f'<article id="div-comment-{i}" class="comment-body"><footer class="comment-meta">'
            f'<div class="comment-author vcard"><b class="fn">{esc(who)}</b> '
            f'<span class="says">says:</span></div><div class="comment-metadata">'
            f'<time>{esc(when)}</time></div></footer><div class="comment-content">'
            f'<p>{esc(text)}</p></div><div class="reply"><a class="comment-reply-link" '
            f'href="#respond">Reply</a></div></article></li>'
            for i, (who, when, text) in enumerate(a["comments"], start=101))
        comments = (f'<div id="comments" class="comments-area"><h2 class="comments-title">'
                    f'{len(a["comments"])} thoughts on &ldquo;{esc(a["title"])}&rdquo;</h2>'
                    f'<ol class="comment-list">{items}</ol></div>')
    comments += (
        '<div id="respond" class="comment-respond"><h3 class="comment-reply-title">Leave a '
        'Reply</h3><form action="/wp-comments-post.php" method="post"><p class="comment-notes">'
        'Your email address will not be published. Required fields are marked *</p>'
        '<textarea name="comment"></textarea><input type="submit" value="Post Comment">'
        '</form></div>')
    body = f"""
<article id="post-{a["wp_id"]}" class="post-{a["wp_id"]} post type-post status-publish
 format-standard hentry category-{a["section"]}">
<header class="entry-header">
<span class="cat-links"><a href="/{a["section"]}/"
 rel="category tag">{SECTIONS[a["section"]]}</a></span>
<h1 class="entry-title">{esc(a["title"])}</h1>
<div class="entry-meta"><span class="byline">By {byline}</span>
<span class="posted-on"><a href="{a["path"]}" rel="bookmark"><time class="entry-date published"
 datetime="{a["published"]}">{human_date(a["published"])}</time><time class="updated"
 datetime="{a["modified"]}">{human_date(a["modified"])}</time></a></span></div>
</header>
{share}
<div class="entry-content">
{chr(10).join(paragraphs)}
</div>
<footer class="entry-footer"><span class="tags-links">Tagged {tags}</span></footer>
</article>
<div class="newsletter-box"><h3>The Tide Table</h3><p>{NEWSLETTER} Local news, shipping
 movements and the day's tides, free.</p><form action="/newsletter/subscribe" method="post">
<input type="email" name="email" placeholder="you@example.com"><button>Sign me up</button></form>
</div>
<div id="jp-relatedposts" class="jp-relatedposts"><h3 class="jp-relatedposts-headline">Related</h3>
<div class="jp-relatedposts-items">{related}</div></div>
{comments}
"""
    return wp_page(a["title"], body, head=head,
                   body_class=f"post-template-default single single-post postid-{a['wp_id']}")
