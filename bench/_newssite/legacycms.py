"""Template 2: a legacy newspaper CMS, all divs."""

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
from bench._newssite.stories import Article, Block
from bench._newssite.vocabulary import SITE_NAME


class LegacyCms:
    """An older in-house CMS: nested divs, no semantic elements, ad scripts in the text."""

    def __init__(self, chrome: Chrome) -> None:
        self._head = (
            '<!DOCTYPE html>\n<html>\n<head>\n'
            '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\n'
            '<meta http-equiv="X-UA-Compatible" content="IE=edge">\n'
            f"{FAVICON}"
            '<link href="/static/css/main.3f9a1c.css" rel="stylesheet" type="text/css">\n'
            '<link href="/static/css/print.css" rel="stylesheet" type="text/css" media="print">\n'
            '<script type="text/javascript" src="/static/js/vendor.min.js"></script>\n'
            '<script type="text/javascript" src="/static/js/site.8c21.js"></script>\n'
            f'<style type="text/css">\n{chrome.css["cms"]}\n</style>\n'
            '<script type="text/javascript">var googletag=googletag||{};googletag.cmd='
            "googletag.cmd||[];googletag.cmd.push(function(){googletag.pubads()."
            "enableSingleRequest();googletag.pubads().collapseEmptyDivs();"
            f"googletag.enableServices();}});{chrome.consent}</script>\n"
        ).encode()
        utility = " | ".join(f'<a class="util-lnk" href="{href}">{label}</a>'
                             for href, label in UTILITY)
        menu = section_menu(
            chrome,
            lambda href, label: f'<div class="nav-item"><a class="nav-lnk" href="{href}">'
            f"{label}</a>",
            lambda href, label: f'<div class="nav-sub"><a href="{href}">{label}</a></div>',
            '<div class="nav-drop"><div class="nav-drop-col">', "</div></div></div>")
        ticker = story_list(chrome.trending,
                            '<div class="ticker-item"><a href="{path}">{headline}</a></div>')
        self._header = (
            '<div id="wrapper"><div id="hdr"><div class="hdr-top"><div class="hdr-top-inner">'
            f'<div class="util-links">{utility}</div></div></div>\n<div class="hdr-main">'
            f'<div class="logo"><a href="/"><img src="{LOGO}" alt="{SITE_NAME}">'
            '</a></div><div class="hdr-date">Friday 20 November 2026</div></div>\n'
            f'<div id="nav"><div class="nav-inner"><div class="nav-item"><a class="nav-lnk"'
            f' href="/">Home</a></div>{menu}</div></div>\n'
            f'<div class="ticker"><div class="ticker-lbl">Latest:</div>'
            f'<div class="ticker-items">{ticker}</div></div></div>\n'
            '<div id="cnt"><div class="cnt-inner"><div class="row">\n'
        ).encode()
        links = footer_links()
        columns = "".join(
            '<div class="ftr-col">' + "".join(f'<div class="ftr-lnk"><a href="{h}">{t}</a></div>'
                                              for h, t in links[n:n + 10]) + "</div>"
            for n in range(0, len(links), 10))
        self._footer = (
            '</div></div></div>\n<div id="ftr"><div class="ftr-inner">'
            f'<div class="ftr-cols">{columns}</div><div class="ftr-copy">Copyright © 2026'
            f" {SITE_NAME} Ltd. Registered in England No. 0123456.</div>{FOOTER_EXTRAS}"
            f"</div></div></div>\n{chrome.overlays}"
            '<script type="text/javascript">document.documentElement.className+=" js";'
            "</script>\n</body>\n</html>\n"
        ).encode()

    def page(self, head: str, body_class: str, main: str | tuple[str, ...]) -> bytes:
        return b"".join((self._head, f'{head}</head>\n<body class="{body_class}">\n'.encode(),
                         self._header, *encoded(main), self._footer))

    def article(self, article: Article) -> bytes:
        story = article.story
        image = f"/media/images/{story.published:%Y/%m/%d}/{story.slug}.jpg"
        parts = [self._block(block) for block in article.blocks]
        main = (
            '<div class="col-main">\n<div class="crumbs">',
            " &gt; ".join(f'<a href="{href}">{name}</a>' for href, name in breadcrumbs(story)),
            '</div>\n<div class="story"><div class="story-hd">',
            f'<div class="story-kicker"><a href="/{story.section.slug}/{story.subsection[0]}/">',
            f'{story.subsection[1]}</a></div><div class="story-title"><h1>{story.headline}'
            f'</h1></div><div class="story-sub">{story.standfirst}</div>\n',
            '<div class="story-info"><div class="story-by">By ',
            bylines(story, lambda a: f'<a class="auth" href="/authors/{a.slug}/">{a.name}</a>'),
            f'</div><div class="story-date">Published: <time datetime="{story.iso}">'
            f"{story.human}</time></div></div></div>\n",
            f'<div class="share-bar">{share_buttons("share-btn")}</div>\n',
            '<div class="story-img"><div class="img-wrap">'
            f'<img src="{image}" width="640" height="360" alt=""></div>'
            f'<div class="img-cap">{article.caption}</div></div>\n',
            '<div class="story-body">', key_points(article, "story"),
            '<div class="story-text">\n',
            interleave(parts, {2: self._ad(f"{story.post_id}-1"), 6: self._ad_related(article),
                               9: self._ad(f"{story.post_id}-2")}),
            '</div></div>\n<div class="story-tags">Topics: '
            f'<a href="/{story.section.slug}/">{story.section.label}</a>, '
            f'<a href="/{story.section.slug}/{story.subsection[0]}/">{story.subsection[1]}</a>'
            "</div>\n", author_boxes(story, "story"), self._comments(article), "</div>\n",
            f'<div class="more-stories"><div class="more-hd">More from {story.section.label}'
            '</div><div class="more-list">',
            story_list(article.related,
                       '<div class="more-item"><div class="more-img"><a href="{path}"><img'
                       ' src="/media/thumbs/{id}.jpg" alt=""></a></div><div class="more-txt">'
                       '<div class="more-kick">{kicker}</div><a class="more-lnk"'
                       ' href="{path}">{headline}</a><div class="more-sum">{standfirst}</div>'
                       '<div class="more-dt">{human}</div></div></div>'),
            "</div></div>\n", picks(article, "more"), "</div>\n",
            '<div class="col-side"><div class="side-box"><div class="side-hd">Most Read</div>'
            '<div class="side-list">',
            story_list(article.most_read,
                       '<div class="side-item"><span class="num">{n}</span>'
                       '<a href="{path}">{headline}</a></div>'),
            f'</div></div><div class="side-box side-ad">{self._ad("side")}</div>'
            '<div class="side-box side-nl"><div class="side-hd">Newsletters</div>'
            '<div class="side-txt">Get the headlines before breakfast.</div>'
            '<a class="btn" href="/newsletters/">Sign up</a></div>',
            latest_list(article, "side"), "</div>\n",
        )
        return self.page(article_head(article, image, graph=False),
                         f"pg-article sec-{story.section.slug}", main)

    @staticmethod
    def _block(block: Block) -> str:
        if block[0] == "p":
            return f"<p>{block[1]}</p>\n"
        if block[0] == "h2":
            return f'<p class="crosshead"><b>{block[1]}</b></p>\n'
        if block[0] == "quote":
            return (f'<div class="pullquote">“{block[1]}”<span class="pq-src">{block[2]}</span>'
                    "</div>\n")
        return extra_block(block, "story")

    @staticmethod
    def _ad(slot: str) -> str:
        return (f'<div class="ad-wrap"><div class="ad-lbl">Advertisement</div>'
                f'<div id="div-gpt-ad-{slot}" class="gpt-ad"></div><script type="text/javascript">'
                f"googletag.cmd.push(function(){{googletag.display('div-gpt-ad-{slot}');}});"
                "</script></div>\n")

    @staticmethod
    def _ad_related(article: Article) -> str:
        return ('<div class="inline-related"><div class="ir-hd">Read more</div>'
                + story_list(article.related[:3], '<div class="ir-item"><a href="{path}">'
                             "{headline}</a></div>") + "</div>\n")

    @staticmethod
    def _comments(article: Article) -> str:
        if not article.comments:
            return ('<div class="story-comments"><div class="cmt-closed">Comments are closed.'
                    "</div></div>\n")
        items = "".join(
            '<div class="cmt"><div class="cmt-hd"><span class="cmt-user">'
            f'{c.author}</span> <span class="cmt-date">{c.when}</span></div>'
            f'<div class="cmt-body">{c.text}</div><div class="cmt-ft"><span class="cmt-likes">'
            f"{c.likes}</span> recommend</div></div>" for c in article.comments)
        return (f'<div class="story-comments"><div class="cmt-count">{len(article.comments)}'
                f' comments</div><div class="cmt-list">{items}</div></div>\n')
