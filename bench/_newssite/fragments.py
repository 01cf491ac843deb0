"""Pieces of HTML the three templates share: page metadata and JSON-LD, bylines,
story lists and the boxes around an article's text."""

from __future__ import annotations

import json
from collections.abc import Callable

from bench._newssite.stories import Article, Author, Block, Story
from bench._newssite.vocabulary import SITE_NAME


def interleave(parts: list[str], inserts: dict[int, str]) -> str:
    """The body's blocks with ad slots and boxes after the given block numbers."""
    out = []
    for n, part in enumerate(parts, 1):
        out.append(part)
        if n in inserts and n < len(parts):
            out.append(inserts[n])
    return "".join(out)


def meta_tags(title: str, description: str, path: str, og_type: str) -> str:
    return (
        f"<title>{title} | {SITE_NAME}</title>\n"
        f'<meta name="description" content="{description}">\n'
        f'<link rel="canonical" href="{path}">\n'
        f'<meta property="og:site_name" content="{SITE_NAME}">\n'
        f'<meta property="og:type" content="{og_type}">\n'
        f'<meta property="og:title" content="{title}">\n'
        f'<meta property="og:description" content="{description}">\n'
        f'<meta property="og:url" content="{path}">\n'
        '<meta name="twitter:card" content="summary_large_image">\n'
        '<meta name="twitter:site" content="@dailyledger">\n'
    )


def article_head(article: Article, image: str, *, graph: bool) -> str:
    story = article.story
    modified = story.modified.isoformat(timespec="seconds")
    news = {
        "@type": "NewsArticle", "headline": story.headline, "description": story.standfirst,
        "mainEntityOfPage": {"@type": "WebPage", "@id": story.path},
        "image": [{"@type": "ImageObject", "url": image, "width": 1200, "height": 675}],
        "datePublished": story.iso, "dateModified": modified,
        "author": [{"@type": "Person", "name": a.name, "url": f"/authors/{a.slug}/",
                    "jobTitle": a.role} for a in story.authors],
        "publisher": {"@type": "Organization", "name": SITE_NAME,
                      "logo": {"@type": "ImageObject", "url": "/static/img/logo-600x60.png",
                               "width": 600, "height": 60}},
        "articleSection": story.section.label, "wordCount": article.words,
        "isAccessibleForFree": True, "inLanguage": "en-GB",
    }
    if graph:  # Yoast-style: the article among the page, the breadcrumb and the publisher
        crumbs = [{"@type": "ListItem", "position": n, "name": name, "item": href}
                  for n, (href, name) in enumerate(breadcrumbs(story), 1)]
        data = {"@context": "https://schema.org", "@graph": [
            news, {"@type": "BreadcrumbList", "itemListElement": crumbs},
            {"@type": "WebSite", "name": SITE_NAME, "url": "/"}]}
    else:
        data = {"@context": "https://schema.org", **news}
    authors = "".join(f'<meta name="author" content="{a.name}">\n' for a in story.authors)
    return (
        meta_tags(story.headline, story.standfirst, story.path, "article")
        + f'<meta property="og:image" content="{image}">\n'
        + f'<meta property="article:published_time" content="{story.iso}">\n'
        + f'<meta property="article:modified_time" content="{modified}">\n'
        + f'<meta property="article:section" content="{story.section.label}">\n'
        + f'<meta property="article:tag" content="{story.subsection[1]}">\n' + authors
        + '<script type="application/ld+json">'
        + json.dumps(data, separators=(",", ":")) + "</script>\n"
        + data_layer(story, "article")
    )


def data_layer(story: Story | None, page_type: str, section: str = "home") -> str:
    fields: dict[str, object] = {"pageType": page_type, "section": section}
    if story is not None:
        fields |= {"section": story.section.slug, "subsection": story.subsection[0],
                   "contentId": story.post_id, "published": story.iso,
                   "authors": [a.slug for a in story.authors], "template": story.template}
    return ("<script>window.dataLayer=window.dataLayer||[];dataLayer.push("
            + json.dumps(fields, separators=(",", ":")) + ");</script>\n")


def breadcrumbs(story: Story) -> list[tuple[str, str]]:
    section = story.section
    return [("/", "Home"), (f"/{section.slug}/", section.label),
            (f"/{section.slug}/{story.subsection[0]}/", story.subsection[1])]


def bylines(story: Story, link: Callable[[Author], str]) -> str:
    names = [link(author) for author in story.authors]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def share_buttons(css_class: str) -> str:
    return "".join(
        f'<button class="{css_class} {css_class}--{name}" data-share="{name}"'
        f' aria-label="Share on {name}"><svg width="20" height="20"><use href="#icon-{name}">'
        "</use></svg></button>" for name in ("facebook", "x", "whatsapp", "email", "link"))


def encoded(parts: str | tuple[str, ...]) -> list[bytes]:
    # Part by part: one big page-sized string of typographic quotes (two bytes a
    # character) per article would leave the heap fragmented by ~25 KB an article.
    return [parts.encode()] if isinstance(parts, str) else [part.encode() for part in parts]


def story_list(stories: list[Story], item: str) -> str:
    """Links to other stories: ``item`` is formatted with path, headline, standfirst,
    kicker, human, iso, n and id."""
    return "".join(item.format(path=s.path, headline=s.headline, standfirst=s.standfirst,
                               kicker=s.subsection[1], human=s.human, iso=s.iso, n=n,
                               id=s.post_id)
                   for n, s in enumerate(stories, 1))


def extra_block(block: Block, prefix: str) -> str:
    """A picture or an embedded post in the body, marked up alike by every template."""
    if block[0] == "figure":
        image = f"/images/{prefix}/{block[2]}"
        return (f'<figure class="{prefix}-figure"><picture><source srcset="{image}-480.webp'
                f' 480w, {image}-960.webp 960w" type="image/webp"><img src="{image}-960.jpg"'
                f' alt="" width="960" height="540" loading="lazy"></picture><figcaption'
                f' class="{prefix}-figure__caption"><span class="{prefix}-figure__text">'
                f'{block[1]}</span></figcaption></figure>\n')
    handle = block[2].lower().replace(" ", "")
    return (f'<figure class="{prefix}-embed {prefix}-embed--social"><blockquote'
            f' class="social-post" data-platform="x"><p lang="en" dir="ltr">{block[1]}</p>'
            f"<footer>— {block[2]} (@{handle})</footer></blockquote>"
            f'<figcaption class="{prefix}-embed__note">Post from X; the content may have'
            " been removed since.</figcaption></figure>\n")


def key_points(article: Article, prefix: str) -> str:
    if not article.key_points:
        return ""
    points = "".join(f'<li class="{prefix}-key-points__item">{p}</li>'
                     for p in article.key_points)
    return (f'<div class="{prefix}-key-points"><h2 class="{prefix}-key-points__title">Key'
            f' points</h2><ul class="{prefix}-key-points__list">{points}</ul></div>\n')


def author_boxes(story: Story, prefix: str) -> str:
    return "".join(
        f'<div class="{prefix}-author-box"><img class="{prefix}-author-box__photo"'
        f' src="/images/authors/{a.slug}.jpg" alt="" width="64" height="64"><div'
        f' class="{prefix}-author-box__text"><a class="{prefix}-author-box__name"'
        f' href="/authors/{a.slug}/">{a.name}</a><p class="{prefix}-author-box__role">{a.role}'
        f"</p><p>{a.name.split()[0]} joined {SITE_NAME} in {2008 + len(a.slug) % 15} and"
        f" writes about {story.section.label.lower()}.</p></div><button"
        f' class="{prefix}-follow" data-author="{a.slug}">Follow</button></div>\n'
        for a in story.authors)


def picks(article: Article, prefix: str) -> str:
    """Editors' picks from across the site, as cards."""
    card = (f'<div class="{prefix}-card"><a class="{prefix}-card__link" href="{{path}}">'
            f'<div class="{prefix}-card__media"><img src="/images/cards/{{id}}.jpg" alt=""'
            ' loading="lazy" width="300" height="169"></div>'
            f'<div class="{prefix}-card__body"><span class="{prefix}-card__kicker">{{kicker}}'
            f'</span><h3 class="{prefix}-card__title">{{headline}}</h3></div></a></div>')
    return (f'<section class="{prefix}-picks" aria-label="Editors’ picks"><h2'
            f' class="{prefix}-picks__title">Editors’ picks</h2>'
            f'<div class="{prefix}-picks__grid">{story_list(article.picks, card)}</div>'
            "</section>\n")


def latest_list(article: Article, prefix: str) -> str:
    section = article.story.section
    return (f'<section class="{prefix}-latest"><h2 class="{prefix}-latest__title"><a'
            f' href="/{section.slug}/">Latest {section.label.lower()}</a></h2><ul>'
            + story_list(article.latest, f'<li class="{prefix}-latest__item"><time'
                         ' datetime="{iso}">{human}</time><a href="{path}">{headline}</a>'
                         "</li>")
            + "</ul></section>\n")
