"""The outlets' pages: the frame, article pages in two kinds of markup (``jsonld``: a
schema.org NewsArticle; ``meta``: Open Graph and ``article:`` meta tags, no JSON-LD), the
home page, section pages, the sitemap and a 404 page."""

from __future__ import annotations

import json
from datetime import datetime

from tests.sites._syndication.content import AGENCY, HOME_COUNT
from tests.sites.pages import esc, sitemap_urlset

MORE_FROM = {"en": "More from", "de": "Mehr aus"}
_LATEST = {"en": "Latest", "de": "Neueste Meldungen"}
_BY = {"en": "By", "de": "Von"}
_AND = {"en": "and", "de": "und"}


def shell(outlet: dict, title: str, main: str, *, head: str = "", lang: str = "") -> str:
    nav = "".join(f'<li><a href="/{key}/">{esc(name)}</a></li>'
                  for key, name in outlet["sections"].items())
    return f"""<!DOCTYPE html>
<html lang="{lang or outlet['language']}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}</title>
<link rel="stylesheet" href="/assets/site.css">
{head}
</head>
<body>
<header class="masthead"><a class="logo" href="/">{esc(outlet['name'])}</a>
<p class="tagline">{esc(outlet['tagline'])}</p>
<nav aria-label="Sections"><ul><li><a href="/">Home</a></li>{nav}</ul></nav></header>
<main id="content">
{main}
</main>
<footer class="site-footer"><p>© 2025 {esc(outlet['name'])}. All rights reserved.</p>
<p><a href="/">Home</a> · <a href="/sitemap.xml">Sitemap</a></p></footer>
</body>
</html>
"""


def _date(iso: str) -> str:
    d = datetime.fromisoformat(iso)
    return f"{d.day} {d:%B %Y}, {d:%H:%M}"


def _byline(story: dict, lang: str) -> str:
    names = [esc(n) for n in story["authors"]]
    joined = names[0] if len(names) == 1 else (
        ", ".join(names[:-1]) + f" {_AND[lang]} " + names[-1])
    return f"{_BY[lang]} {joined}"


def _jsonld_head(story: dict, outlet: dict, url: str) -> str:
    data = {
        "@context": "https://schema.org", "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "headline": story["title"], "datePublished": story["published"],
        **({"dateModified": story["modified"]} if story["modified"] else {}),
        "author": [{"@type": "Organization" if n == AGENCY else "Person", "name": n}
                   for n in story["authors"]],
        "publisher": {"@type": "NewsMediaOrganization", "name": outlet["name"]},
        "articleSection": outlet["sections"][story["section"]],
        "inLanguage": story["language"],
    }
    script = json.dumps(data, ensure_ascii=False, indent=1).replace("</", "<\\/")
    return f'<script type="application/ld+json">\n{script}\n</script>'


def _meta_head(story: dict, outlet: dict, url: str) -> str:
    lines = ['<meta property="og:type" content="article">',
             f'<meta property="og:site_name" content="{esc(outlet["name"])}">',
             f'<meta property="og:title" content="{esc(story["title"])}">',
             f'<meta property="og:url" content="{esc(url)}">',
             f'<meta property="article:published_time" content="{story["published"]}">']
    if story["modified"]:
        lines.append(f'<meta property="article:modified_time" content="{story["modified"]}">')
    lines.append(f'<meta property="article:section" '
                 f'content="{esc(outlet["sections"][story["section"]])}">')
    lines += [f'<meta name="author" content="{esc(n)}">' for n in story["authors"]]
    return "\n".join(lines)


def render_article(story: dict, outlet: dict, base: str, others: list[dict]) -> str:
    url = base + story["path"]
    lang = story["language"]
    head = f'<link rel="canonical" href="{esc(url)}">\n' + (
        _jsonld_head if outlet["markup"] == "jsonld" else _meta_head)(story, outlet, url)
    updated = ""
    if story["modified"]:
        updated = (f'<p class="updated">Updated <time datetime="{story["modified"]}">'
                   f'{_date(story["modified"])}</time></p>')
    body = "\n".join(f"<p>{esc(p)}</p>" for p in story["body"])
    section = outlet["sections"][story["section"]]
    more = "".join(f'<li><a href="{o["path"]}">{esc(o["title"])}</a></li>' for o in others)
    main = f"""<article class="story">
<header>
<p class="kicker"><a href="/{story['section']}/">{esc(section)}</a></p>
<h1>{esc(story['title'])}</h1>
<p class="byline">{_byline(story, lang)}</p>
<p class="dateline">{esc(story['place'].upper())} · <time datetime="{story['published']}">\
{_date(story['published'])}</time></p>
{updated}
</header>
<div class="story-body">
{body}
</div>
</article>
<aside class="more"><h2>{MORE_FROM[lang]} {esc(outlet['name'])}</h2><ul>{more}</ul></aside>"""
    return shell(outlet, f"{story['title']} | {outlet['name']}", main, head=head, lang=lang)


def _teasers(stories: list[dict]) -> str:
    items = "".join(f'<li><h3><a href="{s["path"]}">{esc(s["title"])}</a></h3>'
                    f'<p>{esc(" ".join(s["body"][0].split()[:25]))}…</p>'
                    f'<p class="meta"><time datetime="{s["published"]}">'
                    f'{_date(s["published"])}</time></p></li>' for s in stories)
    return f'<ul class="teasers">{items}</ul>'


def render_home(outlet: dict, stories: list[dict]) -> str:
    lang = outlet["language"].split("-")[0]
    main = f"<h1>{_LATEST[lang]}</h1>\n{_teasers(stories[:HOME_COUNT])}"
    return shell(outlet, f"{outlet['name']} | {outlet['tagline']}", main,
                 head=f'<meta name="description" content="{esc(outlet["tagline"])}">')


def render_section(outlet: dict, section: str, stories: list[dict]) -> str:
    name = outlet["sections"][section]
    main = f"<h1>{esc(name)}</h1>\n" + _teasers([s for s in stories if s["section"] == section])
    return shell(outlet, f"{name} | {outlet['name']}", main)


def render_sitemap(stories: list[dict], base: str) -> str:
    return sitemap_urlset([(base + s["path"], s["modified"] or s["published"])
                           for s in stories])


def render_not_found(outlet: dict) -> str:
    return shell(outlet, f"Not found | {outlet['name']}",
                 "<h1>Page not found</h1><p>The page you asked for is not here.</p>")
