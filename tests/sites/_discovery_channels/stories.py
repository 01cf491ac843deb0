"""The Courier's pages that hold or list stories: the page frame (with its session-id
links), articles in the Open Graph and the JSON-LD template, the home page, section,
people and topic pages, the static pages and search."""

from __future__ import annotations

import json

from tests.sites._discovery_channels.content import (
    ABOUT,
    ARTICLES,
    BY_KEY,
    COOKIE,
    FOOTER_NOTE,
    MEMBERS,
    MEMBERS_PITCH,
    NEWSLETTER,
    PEOPLE,
    PER_PAGE,
    POPULAR_SEARCHES,
    SECTIONS,
    SHALLOW,
    SITE,
    TAGLINE,
    TOP_STORIES,
    author_url,
    human_date,
    jsid,
    lastmod,
    most_read,
    names,
    newest_first,
    section_pages,
    section_stories,
    section_url,
    sid,
    teaser,
)
from tests.sites.pages import esc


def shell(title: str, main: str, *, head: str = "", page_class: str = "page",
          session: bool = True) -> str:
    """The page frame. With ``session`` the footer's About and Contact links carry a
    fresh session id (;jsessionid= and ?sessionid=) on every render."""
    about = f"/about;jsessionid={jsid()}" if session else "/about"
    contact = f"/contact?sessionid={sid()}" if session else "/contact"
    nav = "".join(f'<li><a href="{section_url(k)}">{esc(v["name"])}</a></li>'
                  for k, v in SECTIONS.items())
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}</title>
<link rel="stylesheet" href="/static/courier.css">
{head}
</head>
<body class="{page_class}">
<div class="cookie-bar" role="dialog"><p>{esc(COOKIE)}</p><button type="button">Fine by me</button>
</div>
<header class="mast">
<p class="mast-title"><a href="/">{esc(SITE)}</a></p>
<p class="mast-tagline">{esc(TAGLINE)}</p>
<form class="mast-search" action="/search" method="get"><input type="search" name="q"
 placeholder="Search the Courier"><button>Search</button></form>
<nav class="section-nav"><ul><li><a href="/">Home</a></li>{nav}</ul></nav>
</header>
<main id="content">
{main}
</main>
<footer class="colophon">
<ul class="footer-links">
<li><a href="{about}">About the Courier</a></li>
<li><a href="{contact}">Contact the newsroom</a></li>
<li><a href="/privacy">Privacy</a></li>
<li><a href="/calendar/2026/03/">What's on</a></li>
<li><a href="/events/">Events guide</a></li>
<li><a href="/notices/">Community notices</a></li>
</ul>
<p class="legal">{esc(FOOTER_NOTE)}</p>
</footer>
</body>
</html>
"""


def story_item(a: dict) -> str:
    return (f'<li class="teaser"><h3><a href="{a["path"]}">{esc(a["title"])}</a></h3>'
            f'<p>{esc(teaser(a))}</p><p class="meta">{human_date(a["published"], with_time=False)}'
            f' · {esc(names(a["authors"]))}</p></li>')


def story_list(items: list[dict], empty: str = "Nothing here yet.") -> str:
    if not items:
        return f'<p class="empty">{empty}</p>'
    return '<ul class="story-list">' + "".join(story_item(a) for a in items) + "</ul>"


def _og_head(a: dict, base: str) -> str:
    url = base + a["path"]
    lines = [
        f'<link rel="canonical" href="{esc(url)}">',
        f'<meta name="description" content="{esc(teaser(a, 18))}">',
        '<meta property="og:type" content="article">',
        f'<meta property="og:site_name" content="{esc(SITE)}">',
        f'<meta property="og:title" content="{esc(a["title"])}">',
        f'<meta property="og:url" content="{esc(url)}">',
        '<meta property="og:locale" content="en_GB">',
        f'<meta property="article:published_time" content="{a["published"]}">',
    ]
    if "modified" in a:
        lines.append(f'<meta property="article:modified_time" content="{a["modified"]}">')
    lines.append(f'<meta property="article:section" '
                 f'content="{esc(SECTIONS[a["section"]]["name"])}">')
    lines += [f'<meta property="article:author" content="{base}{author_url(n)}">'
              for n in a["authors"]]
    lines += [f'<meta property="article:tag" content="{esc(t)}">' for t in a["tags"]]
    return "\n".join(lines)


def _ld_head(a: dict, base: str) -> str:
    url = base + a["path"]
    people = [{"@type": "Person", "name": n, "url": base + author_url(n)} for n in a["authors"]]
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "headline": a["title"],
        "description": teaser(a, 18),
        "datePublished": a["published"],
        "dateModified": lastmod(a),
        "author": people[0] if len(people) == 1 else people,
        "publisher": {"@type": "NewsMediaOrganization", "name": SITE,
                      "logo": {"@type": "ImageObject", "url": base + "/static/logo.png"}},
        "articleSection": SECTIONS[a["section"]]["name"],
        "keywords": ", ".join(a["tags"]),
        "inLanguage": "en-GB",
    }
    script = json.dumps(data, ensure_ascii=False, indent=1).replace("</", "<\\/")
    return (f'<link rel="canonical" href="{esc(url)}">\n'
            f'<meta name="description" content="{esc(teaser(a, 18))}">\n'
            f'<script type="application/ld+json">\n{script}\n</script>')


def render_article(a: dict, base: str, *, members: bool = False) -> str:
    section = SECTIONS[a["section"]]
    body = "\n".join(f"<p>{esc(p)}</p>" for p in a["body"])
    links = [f'<a rel="author" href="{author_url(n)}">{esc(n)}</a>' for n in a["authors"]]
    stamp = f'<time datetime="{a["published"]}">{human_date(a["published"])}</time>'
    if a["kind"] == "ld":
        head = _ld_head(a, base)
        tags = "".join(f'<li><a href="/topics/{t}">#{esc(t)}</a></li>' for t in a["tags"])
        story = f"""<article class="cs-piece" id="piece-{a.get("id", 0)}">
<p class="cs-kicker"><a href="{section_url(a["section"])}">{esc(section["name"])}</a></p>
<h1 class="cs-title">{esc(a["title"])}</h1>
<div class="cs-credit">Words by {" &amp; ".join(links)}<br>{stamp}</div>
<section class="cs-body">
{body}
</section>
<ul class="cs-tags">{tags}</ul>
</article>"""
    else:
        head = _og_head(a, base)
        byline = links[0] if len(links) == 1 else ", ".join(links[:-1]) + " and " + links[-1]
        updated = ""
        if "modified" in a:
            updated = (f' <span class="updated">Updated <time datetime="{a["modified"]}">'
                       f'{human_date(a["modified"])}</time></span>')
        paywall = ""
        if members:
            paywall = (f'<div class="paywall"><p>This story is for Courier members.</p>'
                       f'<p>{esc(MEMBERS_PITCH)}</p></div>')
        tags = ", ".join(f'<a href="/topics/{t}" rel="tag">{esc(t)}</a>' for t in a["tags"])
        story = f"""<div class="crumbs"><a href="/">Home</a> &rsaquo;
 <a href="{section_url(a["section"])}">{esc(section["name"])}</a></div>
<article class="story" id="story-{a.get("id", 0)}">
<header class="story-head">
<h1 class="story-headline">{esc(a["title"])}</h1>
<p class="story-byline">By {byline}</p>
<p class="story-dateline">{stamp}{updated}</p>
</header>
<div class="story-text">
{body}
{paywall}
</div>
<footer class="story-foot"><p class="topics">Topics: {tags}</p></footer>
</article>"""
    ranked = "".join(f'<li><a href="{r["path"]}?sessionid={sid()}">{esc(r["title"])}</a></li>'
                     for r in most_read(a))
    main = f"""{story}
<aside class="most-read"><h2>Most read</h2><ol>{ranked}</ol></aside>
<aside class="signup"><h2>Morning Round-up</h2><p>{esc(NEWSLETTER)}</p>
<form action="/newsletter" method="post"><input type="email" name="email"
 placeholder="you@example.com"><button>Sign up</button></form></aside>
<p class="more"><a href="{section_url(a["section"])}">More from {esc(section["name"])}</a></p>
"""
    return shell(f"{a['title']} | {SITE}", main, head=head, page_class="story-page")


def render_home(base: str) -> str:
    """The front page: no session ids, so that /lite/ can be a byte-identical copy."""
    head = (f'<link rel="alternate" type="application/rss+xml" '
            f'title="{esc(SITE)}: latest stories" href="{base}/feeds/latest.xml">\n'
            f'<meta name="description" content="{esc(TAGLINE)}">')
    fronts = "".join(f'<li><a href="{section_url(k)}">{esc(v["name"])}</a>: {esc(v["blurb"])}'
                     "</li>" for k, v in SECTIONS.items())
    members = "".join(f'<li><a href="{m["path"]}">{esc(m["title"])}</a></li>' for m in MEMBERS)
    searches = "".join(f'<li><a href="/search?q={q.replace(" ", "+")}">{esc(q)}</a></li>'
                       for q in POPULAR_SEARCHES)
    main = f"""<section class="top-stories"><h2>Top stories</h2>
{story_list([BY_KEY[k] for k in TOP_STORIES])}
</section>
<section class="fronts"><h2>Sections</h2><ul>{fronts}</ul></section>
<section class="members-box"><h2>For members</h2><ul>{members}</ul>
<p>{esc(MEMBERS_PITCH)}</p></section>
<section class="whats-on"><h2>What's on</h2><ul>
<li><a href="/calendar/2026/03/">Calendar for March 2026</a></li>
<li><a href="/events/">Events guide</a></li>
<li><a href="/notices/">Community notices</a></li></ul></section>
<section class="searches"><h2>Popular searches</h2><ul>{searches}</ul></section>
<p class="lite-link"><a href="/lite/">Text-only edition</a></p>"""
    return shell(f"{SITE} | {TAGLINE}", main, head=head, page_class="home", session=False)


def render_section(section: str, page: int) -> str:
    info = SECTIONS[section]
    pages = section_pages(section)
    items = section_stories(section)[(page - 1) * PER_PAGE:page * PER_PAGE]
    head = []
    if "feed" in info:
        head.append(f'<link rel="alternate" type="{info["feed_type"]}" '
                    f'title="{esc(info["name"])}: {esc(SITE)}" href="{info["feed"]}">')
    pager = []
    if page > 1:
        head.append(f'<link rel="prev" href="{section_url(section, page - 1)}">')
        pager.append(f'<a class="newer" href="{section_url(section, page - 1)}">Newer stories</a>')
    if page < pages:
        head.append(f'<link rel="next" href="{section_url(section, page + 1)}">')
        pager.append(f'<a class="older" href="{section_url(section, page + 1)}">Older stories</a>')
    pager.append(f"<span>Page {page} of {pages}</span>")
    main = f"""<h1 class="section-title">{esc(info["name"])}</h1>
<p class="section-blurb">{esc(info["blurb"])}</p>
{story_list(items)}
<nav class="pager">{" ".join(pager)}</nav>"""
    title = info["name"] + (f" (page {page})" if page > 1 else "")
    return shell(f"{title} | {SITE}", main, head="\n".join(head), page_class="section-front")


def render_person(name: str) -> str:
    person = PEOPLE[name]
    mine = [a for a in SHALLOW if name in a["authors"]]
    main = f"""<h1 class="person-name">{esc(name)}</h1>
<p class="person-role">{esc(person["role"])}</p>
<p class="person-bio">{esc(person["bio"])}</p>
<h2>Recent stories</h2>
{story_list(newest_first(mine), "No recent stories online.")}"""
    return shell(f"{name} | {SITE}", main, page_class="person")


def render_topic(tag: str) -> str:
    mine = [a for a in SHALLOW if tag in a["tags"]]
    main = f"""<h1 class="topic-title">Topic: {esc(tag)}</h1>
{story_list(newest_first(mine))}"""
    return shell(f"{tag} | {SITE}", main, page_class="topic")


def render_static(title: str, paragraphs: list[str], extra: str = "") -> str:
    text = "".join(f"<p>{esc(p)}</p>" for p in paragraphs)
    return shell(f"{title} | {SITE}", f'<h1>{esc(title)}</h1>\n<div class="info">{text}</div>'
                 f"{extra}", page_class="info-page")


def render_about() -> str:
    staff = "".join(f'<li><a href="{author_url(n)}">{esc(n)}</a>, {esc(p["role"])}</li>'
                    for n, p in PEOPLE.items())
    return render_static("About the Courier", ABOUT, f'<h2>The newsroom</h2><ul>{staff}</ul>')


def render_search(query: str) -> str:
    found = [a for a in ARTICLES if a["channel"] == "section"
             and query.lower() in (a["title"] + " " + a["body"][0]).lower()] if query else []
    main = f"""<h1>Search results for “{esc(query)}”</h1>
{story_list(newest_first(found), "No results.")}"""
    return shell(f"Search | {SITE}", main, page_class="search")


def render_members(m: dict, base: str) -> str:
    return render_article(m, base, members=True)
