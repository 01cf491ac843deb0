"""The pages that list articles (sections, archive, authors, tags, home), the static
pages, and every page of the site by path."""

from __future__ import annotations

from tests.sites._cms_generations.content import (
    ABOUT,
    ARTICLES,
    BY_KEY,
    CONTACT,
    CORRECTIONS,
    PEOPLE,
    PRIVACY,
    SECTIONS,
    SITE,
    author_url,
    excerpt,
    human_date,
    join_names,
)
from tests.sites._cms_generations.features import render_ld_article
from tests.sites._cms_generations.legacy import legacy_shell, render_bare_article
from tests.sites._cms_generations.wordpress import render_wp_article, wp_page
from tests.sites.pages import esc


def listing_item(a: dict, words: int = 28) -> str:
    return (f'<article class="post type-post hentry entry-summary-item">'
            f'<h2 class="entry-title"><a href="{a["path"]}" rel="bookmark">'
            f'{esc(a["title"])}</a></h2><div class="entry-meta">'
            f'{human_date(a["published"])} &middot; by {esc(join_names(a["authors"]))}</div>'
            f'<div class="entry-summary"><p>{esc(excerpt(a, words))}</p></div></article>')


def section_articles(section: str) -> list[dict]:
    cross = {"environment": {"A4"}}.get(section, set())
    items = [a for a in ARTICLES
             if (a["section"] == section or a["key"] in cross) and not a.get("hidden")]
    if section == "features":
        items = [a for a in ARTICLES if a["kind"] == "ld" and not a.get("hidden")]
    if section == "archive":
        items = [a for a in ARTICLES if a["kind"] == "bare" and a["key"] != "C3"]
    return sorted(items, key=lambda a: a["published"][:10], reverse=True)


def archive_page(title: str, items: str, *, head: str = "", pager: str = "",
                 intro: str = "") -> str:
    body = (f'<header class="page-header"><h1 class="page-title">{esc(title)}</h1>{intro}'
            f'</header>{items}{pager}')
    return wp_page(title, body, head=head, body_class="archive category")


def build_listings(base: str) -> dict[str, str]:
    pages: dict[str, str] = {}
    # Harbour: /harbour/ -> "Next page" -> /harbour/page/2/
    harbour = section_articles("harbour")
    pages["/harbour/"] = archive_page(
        "Harbour", "".join(listing_item(a) for a in harbour[:4]),
        pager='<nav class="navigation posts-navigation"><div class="nav-previous">'
              '<a href="/harbour/page/2/">Next page &rsaquo;</a></div></nav>')
    pages["/harbour/page/2/"] = archive_page(
        "Harbour – Page 2", "".join(listing_item(a) for a in harbour[4:]),
        pager='<nav class="navigation posts-navigation"><div class="nav-next">'
              '<a href="/harbour/">&lsaquo; Previous page</a></div></nav>')
    # Economy: visible ?page=2, then page 3 only through <link rel="next">
    economy = section_articles("economy")
    pages["/economy/"] = archive_page(
        "Economy", "".join(listing_item(a) for a in economy[:2]),
        head=f'<link rel="next" href="{base}/economy/?page=2">',
        pager='<div class="pager"><span class="current">1</span> '
              '<a href="/economy/?page=2">2</a> <a href="/economy/?page=2">Older stories</a>'
              '</div>')
    pages["/economy/?page=2"] = archive_page(
        "Economy", "".join(listing_item(a) for a in economy[2:4]),
        head=(f'<link rel="prev" href="{base}/economy/">\n'
              f'<link rel="next" href="{base}/economy/?page=3">'),
        pager='<div class="pager"><a href="/economy/">1</a> <span class="current">2</span> '
              '<button class="pager-older" data-next="/economy/?page=3">Older stories'
              '</button></div>')
    pages["/economy/?page=3"] = archive_page(
        "Economy", "".join(listing_item(a) for a in economy[4:]),
        head=f'<link rel="prev" href="{base}/economy/?page=2">',
        pager='<div class="pager"><a href="/economy/">1</a> <a href="/economy/?page=2">2</a> '
              '<span class="current">3</span></div>')
    # Environment: featured teaser with a 120-word excerpt, then "Load more"
    env = section_articles("environment")
    featured = BY_KEY["B3"]
    rest = [a for a in env if a["key"] != "B3"]
    teaser = (f'<div class="featured-story"><span class="featured-label">Featured</span>'
              f'<h2 class="featured-title"><a href="{featured["path"]}">'
              f'{esc(featured["title"])}</a></h2><p class="featured-byline">By '
              f'{esc(join_names(featured["authors"]))}</p><div class="featured-excerpt">'
              f'<p>{esc(excerpt(featured, 120))}</p></div><a class="more-link" '
              f'href="{featured["path"]}">Continue reading</a></div>')
    pages["/environment/"] = archive_page(
        "Environment", teaser + "".join(listing_item(a) for a in rest[:2]),
        pager='<p class="load-more-wrap"><a class="load-more button" '
              'href="/environment/more?offset=3" data-offset="3">Load more</a></p>')
    pages["/environment/more?offset=3"] = archive_page(
        "Environment", "".join(listing_item(a) for a in rest[2:]))
    # Features: no pagination, cards
    pages["/features/"] = archive_page(
        "Ledger Features", "".join(listing_item(a, 40) for a in section_articles("features")),
        intro='<p class="archive-description">Long reads from the Wrenmoor coast.</p>')
    # Legacy archive in the old table layout, "Next page" by ?pg=2
    legacy = section_articles("archive")

    def legacy_list(items: list[dict], pager: str) -> str:
        rows = "".join(
            f'<tr><td class="d">{esc(a["dateline"])}</td><td><a href="{a["path"]}">'
            f'<b>{esc(a["title"])}</b></a><br><font size="2">{esc(excerpt(a, 20))}</font>'
            f'</td></tr>' for a in items)
        return legacy_shell("Archive", f'<h2>From the archive</h2><table width="100%">{rows}'
                                       f'</table><br>{pager}')

    pages["/archive/"] = legacy_list(legacy[:3], '<a href="/archive/?pg=2">Next page &gt;&gt;</a>')
    pages["/archive/?pg=2"] = legacy_list(legacy[3:], '<a href="/archive/">&lt;&lt; Previous</a>')
    # Author pages (long bio + their stories)
    for name, person in PEOPLE.items():
        theirs = [a for a in ARTICLES if name in a["authors"] and not a.get("hidden")
                  and a["kind"] != "bare"]
        theirs.sort(key=lambda a: a["published"][:10], reverse=True)
        intro = (f'<div class="author-info"><img class="avatar" src="/img/{person["slug"]}.jpg" '
                 f'alt=""><div class="author-description"><p class="author-bio">'
                 f'{esc(person["bio"])}</p><p class="author-links"><a href="mailto:'
                 f'{person["slug"]}@harbourledger.example">Email {esc(name.split()[0])}</a></p>'
                 f'</div></div>')
        pages[author_url(name)] = archive_page(
            f"Author: {name}", "".join(listing_item(a) for a in theirs[:3]), intro=intro)
    # Tag pages
    tags = sorted({t for a in ARTICLES if a["kind"] == "wp" for t in a["tags"]})
    for tag in tags:
        tagged = [a for a in ARTICLES if tag in a.get("tags", [])]
        pages[f"/tag/{tag}/"] = archive_page(
            f"Tag: {tag}", "".join(listing_item(a) for a in tagged))
    # Home
    latest = sorted((a for a in ARTICLES if not a.get("hidden")),
                    key=lambda a: a["published"][:10], reverse=True)
    top, others = latest[0], latest[1:8]
    home = (f'<section class="home-top"><h2 class="home-top__kicker">Top story</h2>'
            f'{listing_item(top, 60)}</section><section class="home-latest"><h2>Latest</h2>'
            + "".join(listing_item(a, 18) for a in others)
            + '</section><section class="home-sections"><h2>Sections</h2><ul>'
            + "".join(f'<li><a href="/{s}/">{esc(n)}</a></li>' for s, n in SECTIONS.items())
            + '</ul></section><section class="home-tags"><h2>Topics</h2><p>'
            + " ".join(f'<a href="/tag/{t}/">#{t}</a>' for t in tags) + '</p></section>')
    pages["/"] = wp_page(SITE, home, head=(
        '<meta property="og:type" content="website">'
        f'<meta property="og:title" content="{SITE}"><link rel="canonical" href="{base}/">'),
        body_class="home blog")
    return pages


def static_page(title: str, paragraphs: list[str], page_id: int, *, wrap_article: bool,
                base: str, path: str, extra: str = "") -> str:
    inner = (f'<header class="entry-header"><h1 class="entry-title">{esc(title)}</h1></header>'
             f'<div class="entry-content">'
             + "".join(f"<p>{esc(p)}</p>" for p in paragraphs) + extra + '</div>')
    if wrap_article:
        body = (f'<article id="post-{page_id}" class="post-{page_id} page type-page '
                f'status-publish hentry">{inner}</article>')
    else:
        body = f'<div id="post-{page_id}" class="page-wrap">{inner}</div>'
    head = (f'<link rel="canonical" href="{base}{path}">'
            '<meta property="og:type" content="website">'
            f'<meta property="og:title" content="{esc(title)}">')
    return wp_page(title, body, head=head, body_class=f"page-template-default page page-id-"
                                                      f"{page_id}")


def build_pages(base: str) -> dict[str, str]:
    pages = build_listings(base)
    for a in ARTICLES:
        render = {"wp": render_wp_article, "ld": render_ld_article,
                  "bare": render_bare_article}[a["kind"]]
        pages[a["path"]] = render(a, base)
    pages["/about-us/"] = static_page("About us", ABOUT, 2, wrap_article=False, base=base,
                                      path="/about-us/")
    pages["/privacy-policy/"] = static_page(
        "Privacy policy", PRIVACY, 3, wrap_article=True, base=base, path="/privacy-policy/",
        extra='<p><em>Effective date: 1 February 2024.</em></p>')
    pages["/corrections-policy/"] = static_page(
        "Corrections policy", CORRECTIONS, 5, wrap_article=False, base=base,
        path="/corrections-policy/",
        extra='<p class="signoff">Maintained by the readers\' editor. Last reviewed 4 January '
              '2024.</p>')
    pages["/contact/"] = static_page(
        "Contact", CONTACT, 7, wrap_article=True, base=base, path="/contact/",
        extra=('<ul class="contacts"><li>News desk: <a href="mailto:news@harbourledger.example">'
               'news@harbourledger.example</a></li><li>Front office: <a href="tel:+441632960400">'
               '01632 960 400</a></li></ul>'))
    return pages
