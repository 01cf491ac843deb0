"""Template 3: a server-rendered React app."""

from __future__ import annotations

import json

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
    encoded,
    extra_block,
    interleave,
    key_points,
    latest_list,
    picks,
    share_buttons,
    story_list,
)
from bench._newssite.stories import Article, Block, Story
from bench._newssite.vocabulary import SITE_NAME


class Semantic:
    """A modern app: ``<main>``, ``<article>``, hashed class names, ``__NEXT_DATA__``."""

    def __init__(self, chrome: Chrome) -> None:
        self._head = (
            '<!DOCTYPE html><html lang="en-GB" data-theme="light"><head><meta charSet="utf-8"/>'
            '<meta name="viewport" content="width=device-width"/>'
            '<link rel="preload" href="/_next/static/media/ledger-sans.woff2" as="font"'
            ' type="font/woff2" crossorigin="anonymous"/>'
            f"{FAVICON}"
            '<link rel="stylesheet" href="/_next/static/css/8f3c1e2a90b1.css"/>'
            '<link rel="stylesheet" href="/_next/static/css/app.9a7b44c2.css"/>'
            '<script defer src="/_next/static/chunks/framework-4f1a2b.js"></script>'
            '<script defer src="/_next/static/chunks/main-77c0d1.js"></script>'
            '<script defer src="/_next/static/chunks/pages/article-3b9e.js"></script>'
            f'<style data-emotion="ssrcss">{chrome.css["app"]}</style>'
            f"<script>{chrome.consent}</script>\n"
        ).encode()
        menu = section_menu(
            chrome,
            lambda href, label: f'<li class="ssrcss-1y5ujcm-MenuItem"><a href="{href}"'
            f' class="ssrcss-nav-link">{label}</a>',
            lambda href, label: f'<li><a href="{href}" class="ssrcss-sub-link">{label}</a></li>',
            '<ul class="ssrcss-submenu" role="list">', "</ul></li>")
        utility = "".join(f'<li><a href="{href}" class="ssrcss-util">{label}</a></li>'
                          for href, label in UTILITY)
        trending = story_list(chrome.trending,
                              '<li><a href="{path}" class="ssrcss-trend">{headline}</a></li>')
        self._header = (
            f'<div id="__next">{chrome.sprite}<a class="ssrcss-skip" href="#main-content">'
            'Skip to content</a><header class="ssrcss-1k2p0zm-Header e1n5wgkb0" role="banner">'
            f'<div class="ssrcss-brand"><a href="/" aria-label="Home"><img src="{LOGO}" alt=""'
            ' width="180" height="30"/></a></div>'
            f'<nav aria-label="Account" class="ssrcss-utility"><ul role="list">{utility}</ul>'
            '</nav><nav aria-label="Sections" class="ssrcss-nav"><ul role="list">'
            '<li class="ssrcss-1y5ujcm-MenuItem"><a href="/" class="ssrcss-nav-link">Home</a>'
            f'</li>{menu}</ul></nav><nav aria-label="Trending" class="ssrcss-trending"><h2>'
            f'Trending</h2><ul role="list">{trending}</ul></nav></header>\n'
        ).encode()
        footer = "".join(f'<li><a href="{href}" class="ssrcss-footer-link">{label}</a></li>'
                         for href, label in footer_links())
        self._footer = (
            '<footer class="ssrcss-footer" role="contentinfo"><nav aria-label="Footer">'
            f'<ul role="list" class="ssrcss-footer-list">{footer}</ul></nav><p>© 2026'
            f" {SITE_NAME}. We are not responsible for the content of external sites.</p>"
            f"{FOOTER_EXTRAS}</footer>{chrome.overlays}</div>\n"
        ).encode()

    def page(self, head: str, body_class: str, main: str | tuple[str, ...],
             state: str = "") -> bytes:
        return b"".join((self._head, f'{head}</head><body class="{body_class}">'.encode(),
                         self._header, *encoded(main), self._footer,
                         f"{state}</body></html>\n".encode()))

    def article(self, article: Article) -> bytes:
        story = article.story
        image = f"/images/ic/1200x675/p0{story.post_id:x}.jpg"
        parts = [self._block(block) for block in article.blocks]
        main = (
            '<main id="main-content" class="ssrcss-main"><nav aria-label="Breadcrumb"'
            ' class="ssrcss-crumbs"><ol>',
            "".join(f'<li><a href="{href}">{name}</a></li>' for href, name in breadcrumbs(story)),
            '</ol></nav>\n<article class="ssrcss-pv1rh6-ArticleWrapper e1nh2i2l5">'
            '<header class="ssrcss-article-header"><span class="ssrcss-kicker">'
            f'<a href="/{story.section.slug}/{story.subsection[0]}/">{story.subsection[1]}'
            '</a></span><h1 id="main-heading" class="ssrcss-15xko80-StyledHeading e1fj1fc10">'
            f'{story.headline}</h1><p class="ssrcss-standfirst">{story.standfirst}</p>'
            '<div class="ssrcss-byline" data-component="byline-block">'
            '<ul class="ssrcss-contributors" role="list">',
            "".join(f'<li><a rel="author" href="/authors/{a.slug}/">{a.name}</a>'
                    f'<span class="ssrcss-role">{a.role}</span></li>' for a in story.authors),
            f'</ul><time datetime="{story.iso}" class="ssrcss-time">{story.human}</time></div>'
            '</header>\n<figure class="ssrcss-lead-image" data-component="image-block">'
            f'<picture><source srcset="{image[:-4]}.webp" type="image/webp"/>'
            f'<img src="{image}" alt="" width="1200" height="675"/></picture>'
            f'<figcaption class="ssrcss-caption">{article.caption}</figcaption></figure>\n',
            key_points(article, "ssrcss"),
            interleave(parts, {4: self._ad("mid"), 7: self._newsletter(story)}),
            '<div data-component="share-tools" class="ssrcss-share">',
            share_buttons("ssrcss-share-btn"), "</div>", author_boxes(story, "ssrcss"),
            "</article>\n",
            '<section data-component="related-stories" aria-labelledby="related-heading"'
            ' class="ssrcss-related"><h2 id="related-heading">Related</h2><ul role="list">',
            story_list(article.related,
                       '<li class="ssrcss-promo"><div class="ssrcss-promo-image"><picture>'
                       '<source srcset="/images/ic/240x135/p0{id}.webp" type="image/webp"/>'
                       '<img src="/images/ic/240x135/p0{id}.jpg" alt="" loading="lazy"/>'
                       '</picture></div><div class="ssrcss-promo-text"><span'
                       ' class="ssrcss-promo-kicker">{kicker}</span><a href="{path}"><h3>'
                       '{headline}</h3></a><p class="ssrcss-promo-summary">{standfirst}</p>'
                       '<time datetime="{iso}">{human}</time></div></li>'),
            "</ul></section>\n", self._comments(article),
            '<aside data-component="most-read" class="ssrcss-most-read" aria-labelledby='
            '"most-read-heading"><h2 id="most-read-heading">Most read</h2><ol role="list">',
            story_list(article.most_read,
                       '<li><span class="ssrcss-rank">{n}</span><a href="{path}">'
                       "{headline}</a></li>"),
            "</ol></aside>", latest_list(article, "ssrcss"), picks(article, "ssrcss"),
            "</main>\n",
        )
        return self.page(article_head(article, image, graph=False), "ssrcss-article-page",
                         main, self._state(article))

    @staticmethod
    def _block(block: Block) -> str:
        if block[0] == "p":
            return (f'<div data-component="text-block" class="ssrcss-text">'
                    f'<p class="ssrcss-paragraph">{block[1]}</p></div>\n')
        if block[0] == "h2":
            return f'<div data-component="subheadline-block"><h2>{block[1]}</h2></div>\n'
        if block[0] == "quote":
            return (f'<div data-component="quote-block"><blockquote><p>{block[1]}</p>'
                    f"<footer>{block[2]}</footer></blockquote></div>\n")
        return f'<div data-component="media-block">{extra_block(block, "ssrcss")}</div>'

    @staticmethod
    def _ad(slot: str) -> str:
        return (f'<div data-component="ad-slot" class="ssrcss-ad" id="dfp-ad--{slot}">'
                '<p class="ssrcss-ad-label">Advertisement</p></div>\n')

    @staticmethod
    def _newsletter(story: Story) -> str:
        return ('<aside data-component="newsletter" class="ssrcss-newsletter"><h2>The'
                f" {story.section.label} Briefing</h2><p>Sign up for a weekly email of the best"
                f" {story.section.label.lower()} writing.</p><a href=\"/newsletters/\">Sign up"
                "</a></aside>\n")

    @staticmethod
    def _comments(article: Article) -> str:
        if not article.comments:
            return ""
        items = "".join(
            f'<li><article class="ssrcss-comment" aria-label="Comment by {c.author}">'
            f'<header><span class="ssrcss-comment-author">{c.author}</span>'
            f'<span class="ssrcss-comment-time">{c.when}</span></header><p>{c.text}</p>'
            f'<footer><button class="ssrcss-like">{c.likes} likes</button></footer></article>'
            "</li>" for c in article.comments)
        return ('<section data-component="comments" class="ssrcss-comments"><h2>Comments ('
                f'{len(article.comments)})</h2><ol role="list">{items}</ol></section>\n')

    @staticmethod
    def _state(article: Article) -> str:
        """Next.js ships the page's data again as JSON for hydration."""
        story = article.story
        blocks = [{"type": {"p": "text", "h2": "subheadline"}.get(b[0], b[0]),
                   "model": {"text": b[1]}} for b in article.blocks]
        state = {"props": {"pageProps": {"article": {
            "id": story.post_id, "headline": story.headline, "summary": story.standfirst,
            "section": story.section.slug, "published": story.iso,
            "contributors": [{"name": a.name, "role": a.role} for a in story.authors],
            "blocks": blocks,
            "related": [{"path": s.path, "headline": s.headline} for s in article.related],
        }}}, "page": "/[section]/[...slug]", "buildId": "k2mPq7Ld9x", "isFallback": False}
        return ('<script id="__NEXT_DATA__" type="application/json">'
                + json.dumps(state, separators=(",", ":")) + "</script>")
