"""The Gazette's pages for one edition: the page frame, articles, home, section, about
and 404 pages, the RSS feed, the sitemap and robots.txt."""

from __future__ import annotations

import json
import secrets
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

from tests.sites._changing_editions.content import (
    ABOUT,
    FEED_COUNT,
    FOOTER_NOTE,
    HOME_COUNT,
    NEWSLETTER,
    PER_PAGE,
    PRINT_PROMO,
    SECTIONS,
    SITE,
    STAFF,
    TAGLINE,
    human_date,
    lastmod,
    moment,
    names,
    section_url,
    slugify,
    staff_anchor,
    teaser,
)
from tests.sites._changing_editions.editions import Edition
from tests.sites.feeds import rss_channel, rss_item
from tests.sites.pages import esc, robots_naming_sitemap, sitemap_urlset


def shell(title: str, main: str, *, head: str = "", page_class: str = "page",
          footer_extra: str = "") -> str:
    nav = "".join(f'<li><a href="{section_url(k)}">{esc(v["name"])}</a></li>'
                  for k, v in SECTIONS.items())
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}</title>
<link rel="stylesheet" href="https://static.fenmarshgazette.example/css/gazette-4.2.css">
<link rel="alternate" type="application/rss+xml" title="{esc(SITE)}" href="/feed.xml">
{head}
</head>
<body class="{page_class}">
<header class="masthead">
<p class="masthead-title"><a href="/">{esc(SITE)}</a></p>
<p class="masthead-tagline">{esc(TAGLINE)}</p>
<nav class="primary-nav" aria-label="Sections"><ul><li><a href="/">Home</a></li>{nav}
<li><a href="/about/">About us</a></li></ul></nav>
</header>
<main id="main">
{main}
</main>
<footer class="site-footer">
<ul class="footer-links"><li><a href="/about/">About the Gazette</a></li>
<li><a href="/about/#contact">Contact the newsroom</a></li>
<li><a href="/feed.xml">RSS feed</a></li></ul>
<p class="print-promo">{esc(PRINT_PROMO)}</p>
<p class="legal">{esc(FOOTER_NOTE)}</p>{footer_extra}
</footer>
</body>
</html>
"""


def _byline(a: dict) -> str:
    links = [f'<a rel="author" href="{staff_anchor(n)}">{esc(n)}</a>' for n in a["authors"]]
    joined = links[0] if len(links) == 1 else ", ".join(links[:-1]) + " and " + links[-1]
    return f"By {joined}"


def _article_head(a: dict, base: str, csrf: str | None) -> str:
    url = base + a["path"]
    section = SECTIONS[a["section"]]["name"]
    lines = [
        f'<link rel="canonical" href="{esc(url)}">',
        f'<meta name="description" content="{esc(teaser(a, 20))}">',
        '<meta property="og:type" content="article">',
        f'<meta property="og:site_name" content="{esc(SITE)}">',
        f'<meta property="og:title" content="{esc(a["title"])}">',
        f'<meta property="og:url" content="{esc(url)}">',
        f'<meta property="article:published_time" content="{a["published"]}">',
    ]
    if a.get("modified"):
        lines.append(f'<meta property="article:modified_time" content="{a["modified"]}">')
    lines.append(f'<meta property="article:section" content="{esc(section)}">')
    lines += [f'<meta name="author" content="{esc(n)}">' for n in a["authors"]]
    if csrf is not None:
        lines.append(f'<meta name="csrf-token" content="{csrf}">')
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "headline": a["title"],
        "description": teaser(a, 20),
        "datePublished": a["published"],
    }
    if a.get("modified"):
        data["dateModified"] = a["modified"]
    data.update({
        "author": [{"@type": "Person", "name": n, "url": base + staff_anchor(n)}
                   for n in a["authors"]],
        "publisher": {"@type": "NewsMediaOrganization", "name": SITE,
                      "logo": {"@type": "ImageObject",
                               "url": "https://static.fenmarshgazette.example/logo.png"}},
        "articleSection": section,
        "inLanguage": "en-GB",
    })
    script = json.dumps(data, ensure_ascii=False, indent=1).replace("</", "<\\/")
    lines.append(f'<script type="application/ld+json">\n{script}\n</script>')
    return "\n".join(lines)


def _paragraph(text: str) -> str:
    for label in ("Correction:", "Update:"):
        if text.startswith(label):
            return (f'<p class="correction"><strong>{label}</strong>'
                    f"{esc(text[len(label):])}</p>")
    return f"<p>{esc(text)}</p>"


def render_article(a: dict, edition: Edition, base: str, *, dynamic: bool = False) -> str:
    section = SECTIONS[a["section"]]
    csrf = secrets.token_hex(16) if dynamic else None
    stamp = f'<time datetime="{a["published"]}">{human_date(a["published"])}</time>'
    updated = ""
    if a.get("modified"):
        updated = (f'<p class="updated">Updated <time datetime="{a["modified"]}">'
                   f'{human_date(a["modified"])}</time></p>')
    body = "\n".join(_paragraph(p) for p in a["body"])
    older = edition.older_in_section(a)
    more = "".join(f'<li><a href="{o["path"]}">{esc(o["title"])}</a> '
                   f'<span class="date">{human_date(o["published"], with_time=False)}</span></li>'
                   for o in older)
    more_list = f"<ul>{more}</ul>" if more else ""
    hidden = f'<input type="hidden" name="csrf_token" value="{csrf}">' if csrf else ""
    main = f"""<nav class="breadcrumb"><a href="/">Home</a> &rsaquo;
 <a href="{section_url(a["section"])}">{esc(section["name"])}</a></nav>
<article class="story">
<header class="story-header">
<p class="kicker">{esc(section["name"])}</p>
<h1 class="headline">{esc(a["title"])}</h1>
<p class="byline">{_byline(a)}</p>
<p class="dateline"><span class="place">{esc(a["place"].upper())}</span> &middot; {stamp}</p>
{updated}
</header>
<div class="story-body">
{body}
</div>
</article>
<aside class="newsletter"><h2>The Fen Letter</h2><p>{esc(NEWSLETTER)}</p>
<form action="/newsletter/" method="post">{hidden}<input type="email" name="email"
 placeholder="you@example.com"><button>Sign up</button></form></aside>
<aside class="more-from"><h2>More from {esc(section["name"])}</h2>{more_list}
<p><a href="{section_url(a["section"])}">All {esc(section["name"])} stories</a></p></aside>"""
    footer_extra = ""
    if dynamic:
        generated = datetime.now(UTC).strftime("%H:%M:%S.%f")
        footer_extra = f'\n<p class="generated">Page generated at {generated}</p>'
    return shell(f"{a['title']} | {SITE}", main, head=_article_head(a, base, csrf),
                 page_class="article-page", footer_extra=footer_extra)


def _story_item(a: dict) -> str:
    return (f'<li class="teaser"><h3><a href="{a["path"]}">{esc(a["title"])}</a></h3>'
            f'<p>{esc(teaser(a))}</p><p class="meta">'
            f'<time datetime="{a["published"]}">{human_date(a["published"], with_time=False)}'
            f'</time> &middot; {esc(names(a["authors"]))}</p></li>')


def _story_list(items: list[dict]) -> str:
    return '<ul class="story-list">' + "".join(_story_item(a) for a in items) + "</ul>"


def home_stories(edition: Edition) -> list[dict]:
    return edition.stories[:HOME_COUNT]


def render_home(edition: Edition) -> str:
    fronts = "".join(f'<li><a href="{section_url(k)}">{esc(v["name"])}</a>: '
                     f'{esc(v["blurb"])}</li>' for k, v in SECTIONS.items())
    main = f"""<section class="latest"><h1>Latest news</h1>
{_story_list(home_stories(edition))}
</section>
<section class="fronts"><h2>Sections</h2><ul>{fronts}</ul></section>
<section class="print"><h2>In print</h2><p>{esc(PRINT_PROMO)}</p></section>"""
    head = f'<meta name="description" content="{esc(TAGLINE)}">'
    return shell(f"{SITE} | {TAGLINE}", main, head=head, page_class="home")


def section_stories(edition: Edition, section: str, page: int) -> list[dict]:
    return edition.by_section[section][(page - 1) * PER_PAGE:page * PER_PAGE]


def render_section(edition: Edition, section: str, page: int) -> str:
    info = SECTIONS[section]
    pages = edition.pages(section)
    head, pager = [], []
    if page > 1:
        head.append(f'<link rel="prev" href="{section_url(section, page - 1)}">')
        pager.append(f'<a class="newer" href="{section_url(section, page - 1)}">'
                     "Newer stories</a>")
    if page < pages:
        head.append(f'<link rel="next" href="{section_url(section, page + 1)}">')
        pager.append(f'<a class="older" href="{section_url(section, page + 1)}">'
                     "Older stories</a>")
    pager.append(f'<span class="count">Page {page} of {pages}</span>')
    main = f"""<h1 class="section-title">{esc(info["name"])}</h1>
<p class="section-blurb">{esc(info["blurb"])}</p>
{_story_list(section_stories(edition, section, page))}
<nav class="pager">{" ".join(pager)}</nav>"""
    title = info["name"] + (f" (page {page})" if page > 1 else "")
    return shell(f"{title} | {SITE}", main, head="\n".join(head), page_class="section-front")


def render_about() -> str:
    staff = "".join(f'<li id="{slugify(n)}">{esc(n)}, {esc(p["role"])}</li>'
                    for n, p in STAFF.items())
    text = "".join(f"<p>{esc(p)}</p>" for p in ABOUT)
    main = f"""<h1>About the Gazette</h1>
<div class="about">{text}</div>
<h2>The newsroom</h2><ul class="staff">{staff}</ul>
<h2 id="contact">Contact</h2><p>news@fenmarshgazette.example &middot; 01632 960 871</p>"""
    return shell(f"About us | {SITE}", main, page_class="about-page")


def render_not_found() -> str:
    main = """<h1>Page not found</h1>
<p>Sorry, we could not find that page. It may have been moved or taken down.</p>
<p><a href="/">Go to the front page</a></p>"""
    return shell(f"Page not found | {SITE}", main, page_class="error-page")


def rfc822(iso: str) -> str:
    return format_datetime(moment(iso).astimezone(UTC), usegmt=True)


def feed_stories(edition: Edition) -> list[dict]:
    return edition.stories[:FEED_COUNT]


def render_feed(edition: Edition, base: str) -> str:
    stories = feed_stories(edition)
    items = [rss_item(title=a["title"], link=base + a["path"], pub_date=rfc822(a["published"]),
                      creators=a["authors"], category=SECTIONS[a["section"]]["name"],
                      description=teaser(a, 40)) for a in stories]
    return rss_channel(title=SITE, link=f"{base}/", self_url=f"{base}/feed.xml",
                       description=TAGLINE, last_build=rfc822(stories[0]["published"]),
                       ttl=60, items=items)


def render_sitemap(edition: Edition, base: str) -> str:
    return sitemap_urlset([(base + a["path"], lastmod(a)) for a in edition.stories])


def render_robots(base: str) -> str:
    return robots_naming_sitemap(base)
