"""Template 1: a WordPress news theme."""

from __future__ import annotations

from bench._newssite.chrome import (
    FAVICON,
    FOOTER_EXTRAS,
    LOGO,
    UTILITY,
    Chrome,
    footer_links,
    section_menu,
)
from bench._newssite.fragments import (
    article_head,
    author_boxes,
    breadcrumbs,
    bylines,
    encoded,
    extra_block,
    interleave,
    key_points,
    latest_list,
    picks,
    share_buttons,
    story_list,
)
from bench._newssite.stories import Article, Block, Story, human_time
from bench._newssite.vocabulary import SITE_NAME


class WordPress:
    """Classic WordPress: ``.entry-content``, sidebar widgets, Yoast JSON-LD ``@graph``."""

    def __init__(self, chrome: Chrome) -> None:
        self._head = (
            '<!DOCTYPE html>\n<html lang="en-GB" class="no-js">\n<head>\n<meta charset="UTF-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"{FAVICON}"
            '<link rel="stylesheet" id="wp-block-library-css"'
            ' href="/wp-includes/css/dist/block-library/style.min.css?ver=6.5.3" media="all">\n'
            '<link rel="stylesheet" id="ledger-style-css"'
            ' href="/wp-content/themes/ledger/style.css?ver=4.2.1" media="all">\n'
            '<link rel="stylesheet" id="ledger-print-css"'
            ' href="/wp-content/themes/ledger/print.css?ver=4.2.1" media="print">\n'
            f'<style id="ledger-critical-css">\n{chrome.css["wp"]}\n</style>\n'
            '<script src="/wp-includes/js/jquery/jquery.min.js?ver=3.7.1" id="jquery-core-js">'
            "</script>\n"
            f'<script id="ledger-consent-js">{chrome.consent}</script>\n'
        ).encode()
        utility = "".join(f'<li class="menu-item"><a href="{href}">{label}</a></li>'
                          for href, label in UTILITY)
        menu = section_menu(
            chrome,
            lambda href, label: '<li class="menu-item menu-item-type-taxonomy'
            f' menu-item-has-children"><a href="{href}">{label}</a>',
            lambda href, label: f'<li class="menu-item"><a href="{href}">{label}</a></li>',
            '<ul class="sub-menu">', "</ul></li>")
        trending = story_list(chrome.trending,
                              '<li class="trending__item"><a href="{path}">{headline}</a></li>')
        self._header = (
            f"{chrome.sprite}\n"
            '<div id="page" class="site"><a class="skip-link screen-reader-text"'
            ' href="#content">Skip to content</a>\n'
            f'<div class="top-bar"><ul class="top-bar__menu">{utility}</ul></div>\n'
            '<header id="masthead" class="site-header"><div class="site-branding">'
            f'<a href="/" class="custom-logo-link" rel="home"><img src="{LOGO}"'
            f' class="custom-logo" alt="{SITE_NAME}" width="360" height="60"></a>'
            f'<p class="site-title"><a href="/" rel="home">{SITE_NAME}</a></p>'
            '<p class="site-description">News, analysis and opinion</p></div>\n'
            '<nav id="site-navigation" class="main-navigation" aria-label="Primary">'
            '<button class="menu-toggle" aria-controls="primary-menu" aria-expanded="false">'
            'Menu</button><ul id="primary-menu" class="menu"><li class="menu-item">'
            f'<a href="/">Home</a></li>{menu}</ul></nav>\n'
            '<div class="trending"><span class="trending__label">Trending</span>'
            f"<ul>{trending}</ul></div></header>\n"
            '<div id="content" class="site-content">\n'
        ).encode()
        columns = "".join(f'<li class="menu-item"><a href="{href}">{label}</a></li>'
                          for href, label in footer_links())
        self._footer = (
            '</div>\n<footer id="colophon" class="site-footer"><div class="footer-widgets">'
            '<section class="widget widget_nav_menu"><h2 class="widget-title">Explore</h2>'
            f'<ul class="menu">{columns}</ul></section></div>'
            f'<div class="site-info"><a href="/">{SITE_NAME}</a> © 2026. All rights reserved.'
            ' <a href="#page">Back to top</a></div>'
            f"{FOOTER_EXTRAS}</footer></div>\n{chrome.overlays}"
            '<script src="/wp-content/themes/ledger/js/navigation.js?ver=4.2.1"'
            ' id="ledger-navigation-js"></script>\n'
            '<script src="/wp-includes/js/comment-reply.min.js?ver=6.5.3" id="comment-reply-js"'
            ' async></script>\n</body>\n</html>\n'
        ).encode()

    def page(self, head: str, body_class: str, main: str | tuple[str, ...]) -> bytes:
        return b"".join((self._head, f'{head}</head>\n<body class="{body_class}">\n'.encode(),
                         self._header, *encoded(main), self._footer))

    def article(self, article: Article) -> bytes:
        story = article.story
        image = f"/wp-content/uploads/{story.published:%Y/%m}/{story.slug}-1200x675.jpg"
        parts = [self._block(block) for block in article.blocks]
        main = (
            '<div id="primary" class="content-area"><main id="main" class="site-main">\n',
            '<nav class="breadcrumbs" aria-label="Breadcrumb">',
            " » ".join(f'<span><a href="{href}">{name}</a></span>'
                       for href, name in breadcrumbs(story)), "</nav>\n",
            f'<article id="post-{story.post_id}" class="post-{story.post_id} post type-post'
            " status-publish format-standard has-post-thumbnail hentry"
            f' category-{story.section.slug}">\n<header class="entry-header">'
            f'<h1 class="entry-title">{story.headline}</h1><div class="entry-meta">'
            f'<span class="posted-on">Posted on <a href="{story.path}" rel="bookmark">'
            f'<time class="entry-date published" datetime="{story.iso}">{story.human}</time>'
            f'<time class="updated" datetime="{story.modified.isoformat()}">'
            f"{human_time(story.modified)}</time></a></span>"
            ' <span class="byline"> by ',
            bylines(story, lambda a: f'<span class="author vcard"><a class="url fn n"'
                    f' href="/authors/{a.slug}/">{a.name}</a></span>'),
            "</span></div></header>\n",
            '<div class="post-thumbnail"><figure class="wp-block-image size-large">'
            f'<img width="1200" height="675" src="{image}" class="wp-post-image" alt=""'
            f' decoding="async" srcset="{image} 1200w, {image[:-13]}-768x432.jpg 768w,'
            f' {image[:-13]}-300x169.jpg 300w" sizes="(max-width: 1200px) 100vw, 1200px">'
            f'<figcaption class="wp-element-caption">{article.caption}</figcaption>'
            "</figure></div>\n",
            f'<div class="entry-content">\n<p class="standfirst"><strong>{story.standfirst}'
            "</strong></p>\n", key_points(article, "wp-block"),
            interleave(parts, {3: self._ad("inline-1"), 5: self._newsletter(story),
                               8: self._ad("inline-2")}),
            '</div>\n<footer class="entry-footer"><span class="cat-links">Posted in'
            f' <a href="/{story.section.slug}/" rel="category tag">{story.section.label}</a>,'
            f' <a href="/{story.section.slug}/{story.subsection[0]}/" rel="category tag">'
            f'{story.subsection[1]}</a></span><div class="sharedaddy sd-sharing-enabled">'
            '<h3 class="sd-title">Share this:</h3>', share_buttons("share-button"),
            "</div>", author_boxes(story, "ledger"), "</footer>\n</article>\n",
            self._post_navigation(article),
            '<section class="related-posts"><h2 class="related-posts__title">Related stories'
            '</h2><ul class="related-posts__list">',
            story_list(article.related,
                       '<li class="related-post"><div class="related-post__thumb"><a'
                       ' href="{path}"><img src="/images/thumbs/{id}-320x180.jpg" alt=""'
                       ' loading="lazy"></a></div><div class="related-post__text"><span'
                       ' class="related-post__kicker">{kicker}</span><h3'
                       ' class="related-post__title"><a href="{path}">{headline}</a></h3><p'
                       ' class="related-post__excerpt">{standfirst}</p><time datetime="{iso}">'
                       "{human}</time></div></li>"),
            "</ul></section>\n", self._comments(article), picks(article, "ledger"),
            "</main></div>\n",
            '<aside id="secondary" class="widget-area"><section id="most-read"'
            ' class="widget widget_popular"><h2 class="widget-title">Most read</h2><ol>',
            story_list(article.most_read,
                       '<li class="popular-post"><span class="popular-post__rank">{n}</span>'
                       '<a href="{path}">{headline}</a></li>'),
            '</ol></section><section class="widget widget_ad">', self._ad("mpu"),
            '</section><section class="widget widget_latest">',
            latest_list(article, "ledger"), "</section></aside>\n",
        )
        body_class = (f"post-template-default single single-post postid-{story.post_id}"
                      " single-format-standard has-sidebar")
        return self.page(article_head(article, image, graph=True), body_class, main)

    @staticmethod
    def _block(block: Block) -> str:
        if block[0] == "p":
            return f"<p>{block[1]}</p>\n"
        if block[0] == "h2":
            return f'<h2 class="wp-block-heading">{block[1]}</h2>\n'
        if block[0] == "quote":
            return (f'<blockquote class="wp-block-quote"><p>“{block[1]}”</p><cite>{block[2]}'
                    "</cite></blockquote>\n")
        return extra_block(block, "wp-block")

    @staticmethod
    def _ad(slot: str) -> str:
        return (f'<div class="ad-slot ad-slot--{slot}" id="ad-{slot}"'
                ' data-ad-unit="/21804/ledger/article" data-sizes="[[300,250],[728,90]]">'
                '<span class="ad-slot__label">Advertisement</span></div>\n')

    @staticmethod
    def _newsletter(story: Story) -> str:
        return (
            '<aside class="newsletter-box"><h2 class="newsletter-box__title">Sign up to'
            f' {story.section.label} Briefing</h2><p>The day’s top {story.section.label.lower()}'
            " stories, in your inbox every weekday morning.</p>"
            '<form class="newsletter-box__form" action="/newsletters/" method="get">'
            '<input type="email" name="email" placeholder="Your email address">'
            '<button type="submit">Sign up</button></form></aside>\n'
        )

    @staticmethod
    def _post_navigation(article: Article) -> str:
        links = []
        for css, rel, label, story in (("nav-previous", "prev", "Previous", article.previous),
                                       ("nav-next", "next", "Next", article.following)):
            if story is not None:
                links.append(f'<div class="{css}"><a href="{story.path}" rel="{rel}">'
                             f'<span class="meta-nav">{label}</span> <span class="post-title">'
                             f"{story.headline}</span></a></div>")
        return ('<nav class="navigation post-navigation" aria-label="Posts">'
                '<h2 class="screen-reader-text">Post navigation</h2><div class="nav-links">'
                + "".join(links) + "</div></nav>\n")

    @staticmethod
    def _comments(article: Article) -> str:
        if not article.comments:
            return ""
        items = "".join(
            f'<li id="comment-{article.story.post_id}{n}" class="comment even thread-even">'
            '<article class="comment-body"><footer class="comment-meta"><div'
            f' class="comment-author vcard"><b class="fn">{c.author}</b> <span class="says">'
            'says:</span></div><div class="comment-metadata"><time>'
            f'{c.when}</time></div></footer><div class="comment-content"><p>{c.text}</p></div>'
            '<div class="reply"><a class="comment-reply-link" href="#respond">Reply</a></div>'
            "</article></li>" for n, c in enumerate(article.comments))
        return (
            f'<div id="comments" class="comments-area"><h2 class="comments-title">'
            f"{len(article.comments)} thoughts on “{article.story.headline}”</h2>"
            f'<ol class="comment-list">{items}</ol><div id="respond" class="comment-respond">'
            '<h3 class="comment-reply-title">Leave a Reply</h3><form class="comment-form">'
            "<p>Your email address will not be published.</p><textarea name=\"comment\">"
            '</textarea><input type="submit" value="Post Comment"></form></div></div>\n'
        )
