"""The German WordPress-like theme ("wp"): the page frame, articles with share bar,
newsletter box, related posts and comments, the photo gallery, archives and static
pages."""

from __future__ import annotations

from tests.sites._bilingual.content import (
    ARTICLES,
    BY_KEY,
    COMMENT_NOTE,
    GALLERY,
    INTERN,
    NEWSLETTER,
    NEWSLETTER_HEAD,
    RELATED_HEAD,
    SHARE,
    SITE_DE,
    WP_AUTHORS,
    WP_FOOTER,
    de_date,
    enc_path,
    excerpt,
)
from tests.sites.pages import esc


def wp_nav() -> str:
    return ('<nav class="main-navigation" id="site-navigation"><ul class="menu">'
            '<li><a href="/">Startseite</a></li><li><a href="/lokales/">Lokales</a></li>'
            '<li><a href="/kultur/">Kultur</a></li><li><a href="/sport/">Sport</a></li>'
            '<li><a href="/termine/2024-06-11/">Termine</a></li>'
            '<li><a href="/en/">English</a></li>'
            '<li><a href="/meldungen.php">Pressemeldungen</a></li></ul></nav>')


def wp_footer() -> str:
    return ('<footer class="site-footer"><div class="widget widget_text"><p>'
            f'{esc(WP_FOOTER)}</p></div><ul class="footer-menu">'
            '<li><a href="/impressum/">Impressum</a></li>'
            '<li><a href="/datenschutz/">Datenschutz</a></li>'
            '<li><a href="/thema/hochwasser/">Thema Hochwasser</a></li>'
            f'<li><a href="{enc_path(INTERN)}">Redaktion intern</a></li></ul></footer>')


def wp_page(title: str, body: str, *, head: str = "", body_class: str = "page",
            doc_title: str | None = None) -> str:
    return f"""<!DOCTYPE html>
<html lang="de-DE">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(doc_title or title)} &#8211; {SITE_DE}</title>
<meta name="generator" content="WordPress 6.5.4">
<meta property="og:locale" content="de_DE">
<meta property="og:site_name" content="{SITE_DE}">
{head}
<link rel="stylesheet" href="/wp-content/themes/bote/style.css?ver=2.3">
</head>
<body class="{body_class}">
<div id="page" class="site">
<header class="site-header"><p class="site-title"><a href="/" rel="home">{SITE_DE}</a></p>
<p class="site-description">Nachrichten aus Lahnfurt und dem oberen Lahntal</p>
{wp_nav()}</header>
<div id="content" class="site-content">
{body}
<aside id="secondary" class="widget-area">
<section class="widget widget_newsletter"><h2 class="widget-title">{NEWSLETTER_HEAD}</h2>
<p>{esc(NEWSLETTER)}</p><form><input type="email" name="email"
placeholder="Ihre E-Mail-Adresse"><button>Anmelden</button></form></section>
</aside>
</div>
{wp_footer()}
</div>
</body>
</html>"""


def wp_author_link(name: str) -> str:
    return f'<a class="url fn n" href="/autor/{WP_AUTHORS[name][0]}/" rel="author">{esc(name)}</a>'


def wp_byline(names: list[str]) -> str:
    links = [wp_author_link(n) for n in names]
    joined = links[0] if len(links) == 1 else ", ".join(links[:-1]) + " und " + links[-1]
    return f'<span class="byline">Von {joined}</span>'


def render_wp_article(a: dict, base: str) -> str:
    url = base + enc_path(a["path"])
    head = f"""<link rel="canonical" href="{url}">
<link rel="shortlink" href="{base}/?p={1000 + ARTICLES.index(a)}">
<meta property="og:type" content="article">
<meta property="og:title" content="{esc(a['title'])}">
<meta property="og:url" content="{url}">
<meta property="og:description" content="{esc(excerpt(a, 25))}">
<meta property="article:published_time" content="{a['published']}">
<meta property="article:modified_time" content="{a['modified']}">
<meta property="article:section" content="{a['section'].capitalize()}">"""
    paragraphs = [f"<p>{esc(p)}</p>" for p in a["body"]]
    if a.get("read_also"):
        other = BY_KEY[a["read_also"]]
        paragraphs.insert(2, f'<p class="read-also"><strong>Lesen Sie auch:</strong> '
                             f'<a href="{enc_path(other["path"])}">{esc(other["title"])}</a></p>')
    tags = " ".join(f'<a href="/thema/{t}/" rel="tag">{t.capitalize()}</a>' for t in a["tags"])
    related = "".join(
        f'<article class="related-post"><h3><a href="{enc_path(BY_KEY[k]["path"])}">'
        f'{esc(BY_KEY[k]["title"])}</a></h3><p>{esc(excerpt(BY_KEY[k]))}</p></article>'
        for k in a["related"])
    comments = ""
    if a["comments"]:
        items = "".join(
            f'<li class="comment"><article class="comment-body"><footer class="comment-meta">'
            f'<b class="fn">{esc(who)}</b> <time datetime="2024-06-11T12:00:00+02:00">'
            f'11. Juni 2024 um 12:00 Uhr</time></footer><div class="comment-content">'
            f'<p>{esc(text)}</p></div></article></li>' for who, text in a["comments"])
        comments = (f'<h2 class="comments-title">Kommentare ({len(a["comments"])})</h2>'
                    f'<ol class="comment-list">{items}</ol>')
    comments = (f'<div id="comments" class="comments-area">{comments}'
                f'<div id="respond"><h3>Schreiben Sie einen Kommentar</h3>'
                f'<p class="comment-notes">{COMMENT_NOTE}</p><form><textarea name="comment">'
                f'</textarea></form></div></div>')
    body = f"""<main id="main" class="site-main">
<article id="post-{1000 + ARTICLES.index(a)}" class="post type-post status-publish">
<header class="entry-header">
<span class="cat-links"><a href="/{a['section']}/">{a['section'].capitalize()}</a></span>
<h1 class="entry-title">{esc(a['title'])}</h1>
<div class="entry-meta">{wp_byline(a['byline_names'])} &middot;
<time class="entry-date published" datetime="{a['published']}">{de_date(a['published'])}</time>
</div></header>
<div class="sharedaddy"><h3 class="sd-title">{SHARE}</h3><ul><li><a
href="https://www.facebook.com/sharer.php?u={url}">Facebook</a></li><li><a
href="https://wa.me/?text={url}">WhatsApp</a></li><li><a
href="mailto:?subject=Artikel">E-Mail</a></li></ul></div>
<div class="entry-content">
{chr(10).join(paragraphs)}
</div>
<footer class="entry-footer"><span class="tags-links">Themen: {tags}</span></footer>
</article>
<section class="related-posts"><h2>{RELATED_HEAD}</h2>{related}</section>
{comments}
</main>"""
    return wp_page(a["title"], body, head=head,
                   body_class="post-template-default single single-post")


def render_gallery(base: str) -> str:
    g = GALLERY
    url = base + enc_path(g["path"])
    head = f"""<link rel="canonical" href="{url}">
<meta property="og:type" content="article">
<meta property="og:title" content="{esc(g['title'])}">
<meta property="og:url" content="{url}">
<meta property="article:published_time" content="{g['published']}">
<meta property="article:section" content="Lokales">"""
    figures = "".join(
        f'<figure class="gallery-item"><img src="/wp-content/uploads/2024/06/hw-{i + 1}.jpg" '
        f'alt="" width="1200" height="800"><figcaption class="wp-caption-text">{esc(c)}'
        f'</figcaption></figure>' for i, c in enumerate(g["captions"]))
    body = f"""<main id="main" class="site-main">
<article id="post-1099" class="post type-post format-gallery">
<header class="entry-header"><h1 class="entry-title">{esc(g['title'])}</h1>
<div class="entry-meta"><time class="entry-date published" datetime="{g['published']}">
{de_date(g['published'])}</time></div></header>
<div class="entry-content"><p>{esc(g['intro'])}</p>
<div class="gallery gallery-columns-3">{figures}</div></div>
<footer class="entry-footer"><span class="tags-links">Themen:
<a href="/thema/hochwasser/" rel="tag">Hochwasser</a></span></footer>
</article>
<section class="related-posts"><h2>{RELATED_HEAD}</h2>
<article class="related-post"><h3><a href="{enc_path(BY_KEY['W2']['path'])}">
{esc(BY_KEY['W2']['title'])}</a></h3></article></section>
</main>"""
    return wp_page(g["title"], body, head=head,
                   body_class="post-template-default single single-format-gallery")


def wp_list_item(a: dict) -> str:
    return (f'<article class="post type-post"><h2 class="entry-title"><a href="'
            f'{enc_path(a["path"])}">{esc(a["title"])}</a></h2><div class="entry-meta">'
            f'<time datetime="{a["published"]}">{de_date(a["published"])}</time></div>'
            f'<div class="entry-summary"><p>{esc(excerpt(a, 30))}</p></div></article>')


def wp_archive(title: str, items: str, *, head: str = "", pager: str = "") -> str:
    body = (f'<main id="main" class="site-main"><header class="page-header">'
            f'<h1 class="page-title">{esc(title)}</h1></header>{items}'
            f'<nav class="navigation pagination">{pager}</nav></main>')
    return wp_page(title, body, head=head, body_class="archive category")


def wp_static(title: str, paragraphs: list[str], *, stand: str = "") -> str:
    text = "".join(f"<p>{esc(p)}</p>" for p in paragraphs)
    stand_html = f'<p class="stand">{esc(stand)}</p>' if stand else ""
    body = (f'<main id="main" class="site-main"><div class="page type-page">'
            f'<h1 class="entry-title">{esc(title)}</h1><div class="entry-content">'
            f'{stand_html}{text}</div></div></main>')
    return wp_page(title, body, head='<meta property="og:type" content="website">')
