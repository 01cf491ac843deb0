"""The listing pages (home, sections, monthly archives, authors, search, the county
list, obituaries), the static pages and every page of the site by path."""

from __future__ import annotations

from tests.sites._odd_bylines.content import (
    ARTICLES,
    BARE,
    BY_KEY,
    ETHICS,
    MONTHS,
    OBITUARIES,
    PEOPLE,
    SUBSCRIBE,
    author_url,
    excerpt,
    human_date,
    link_of,
    newest_first,
)
from tests.sites._odd_bylines.legacy import legacy_shell, render_bare_article
from tests.sites._odd_bylines.newcms import render_ld_article
from tests.sites._odd_bylines.wordpress import render_wp_article, wp_page
from tests.sites.pages import esc


def teaser(a: dict, n: int = 30, ref: str | None = None) -> str:
    who = ", ".join(a["authors"])
    when = human_date(a.get("local") or a["published"])
    return (f'<li class="wp-block-post"><h2 class="wp-block-post-title"><a href="'
            f'{esc(link_of(a, ref))}">{esc(a["title"])}</a></h2><div class="wp-block-post-'
            f'date"><time>{when}</time></div><p class="byline">{esc(who)}</p>'
            f'<div class="wp-block-post-excerpt"><p class="wp-block-post-excerpt__excerpt">'
            f'{esc(excerpt(a, n))}</p></div></li>')


def wp_listing(title: str, items: list[dict], *, intro: str = "", prev: str = "",
               nxt: str = "", head: str = "", ref: str | None = None) -> str:
    links = ""
    if prev:
        head += f'\n<link rel="prev" href="{prev}">'
        links += f'<a class="wp-block-query-pagination-previous" href="{prev}">Newer stories</a>'
    if nxt:
        head += f'\n<link rel="next" href="{nxt}">'
        links += f' <a class="wp-block-query-pagination-next" href="{nxt}">Older stories</a>'
    body = "".join(teaser(a, ref=ref) for a in items)
    main = (f'<main class="wp-block-group"><h1 class="wp-block-query-title">{esc(title)}</h1>'
            f'{intro}<ul class="wp-block-post-template">{body}</ul>'
            f'<nav class="wp-block-query-pagination">{links}</nav></main>')
    return wp_page(title, main, head=head, body_class="archive category")


def paged(prefix: str, items: list[dict], size: int, title: str) -> dict[str, str]:
    out = {}
    pages = [items[i:i + size] for i in range(0, len(items), size)] or [[]]
    url = [prefix] + [f"{prefix}page/{n}/" for n in range(2, len(pages) + 1)]
    for n, chunk in enumerate(pages):
        out[url[n]] = wp_listing(
            title + (f" – Page {n + 1}" if n else ""), chunk,
            prev=url[n - 1] if n else "", nxt=url[n + 1] if n + 1 < len(pages) else "")
    return out


def in_section(prefix: str) -> list[dict]:
    return newest_first([a for a in ARTICLES if a["kind"] != "bare"
                         and (a.get("section", "").startswith(prefix)
                              or any(h == prefix for _, h in a.get("cats", [])))])


def home(base: str) -> str:
    hero = BY_KEY["W1"]
    latest = "".join(
        f'<li><a href="{esc(link_of(a, "latest"))}">{esc(a["title"])}</a> '
        f'<span class="time">{human_date(a.get("local") or a["published"])}</span></li>'
        for a in newest_first(ARTICLES))
    county = "".join(teaser(a, 20) for a in newest_first(BARE)[:3])
    main = f"""
<main class="wp-block-group home">
 <section class="hero wp-block-cover">
  <p class="kicker">Top story</p>
  <h2 class="hero__title"><a href="{hero['path']}">{esc(hero['title'])}</a></h2>
  <p class="hero__excerpt">{esc(excerpt(hero, 100))}</p>
  <p class="hero__more"><a href="{hero['path']}">Continue reading</a> ·
   <a href="{hero['path']}#comments">{len(hero['comments'])} comments</a></p>
 </section>
 <div class="wp-block-columns">
  <div class="wp-block-column">
   <h2>From the county edition</h2><ul class="wp-block-post-template">{county}</ul>
   <p><a href="/stories/list?section=county">More county news</a></p>
   <h2>Local news</h2><p><a href="/news/local/">All local stories</a> ·
    <a href="/news/local/schools/">Schools</a> ·
    <a href="/news/local/transportation/">Transportation</a> ·
    <a href="/news/">All news</a></p>
  </div>
  <aside class="wp-block-column latest-rail"><h2>Latest</h2><ol>{latest}</ol>
   <h3>Popular searches</h3><p><a href="/search/?q=bridge">bridge</a></p></aside>
 </div>
</main>"""
    return wp_page("Home", main, body_class="home blog",
                   doc_title="Millbrook news, sports and obituaries",
                   head=f'<link rel="canonical" href="{base}/">')


def build_pages(base: str) -> dict[str, str]:
    pages: dict[str, str] = {"/": home(base)}
    for a in ARTICLES:
        if a["kind"] == "wp":
            pages[a["path"]] = render_wp_article(a, base)
        elif a["kind"] == "ld":
            pages[a["path"]] = render_ld_article(a, base)
        else:
            pages[a["path"]] = render_bare_article(a, base)
            pages[a["path"] + "?print=1"] = render_bare_article(a, base, printable=True)
    pages.update(paged("/news/", in_section("/news/"), 6, "News"))
    pages.update(paged("/news/local/", in_section("/news/local/"), 3, "Local"))
    pages.update(paged("/news/local/schools/", [BY_KEY["W2"]], 10, "Schools"))
    pages.update(paged("/news/local/transportation/", [BY_KEY["W4"]], 10, "Transportation"))
    pages.update(paged("/news/business/", in_section("/news/business/"), 10, "Business"))
    pages.update(paged("/news/nation/", in_section("/news/nation/"), 10, "Nation"))
    pages.update(paged("/sports/high-school/", in_section("/sports/high-school/"), 10,
                       "High School Sports"))
    for month in ("03", "04", "05"):
        items = newest_first([a for a in ARTICLES
                              if (a.get("local") or a["published"])[:7] == f"2024-{month}"])
        pages[f"/2024/{month}/"] = wp_listing(
            f"Archives: {MONTHS[int(month) - 1]} 2024", items, ref="archive")
    for name, person in PEOPLE.items():
        items = newest_first([a for a in ARTICLES if name in a["authors"]])
        intro = (f'<div class="author-bio"><img src="/static/staff/{person["slug"]}.jpg" alt="">'
                 f'<p>{esc(person["bio"])}</p></div>')
        pages[author_url(name)] = wp_listing(f"Author: {name}", items, intro=intro)
    hits = newest_first([a for a in ARTICLES if "bridge" in " ".join(a["body"]).lower()])
    pages["/search/?q=bridge"] = wp_listing(
        "Search results for “bridge”", hits,
        intro=f'<p class="search-count">{len(hits)} results</p>',
        head='<meta name="robots" content="noindex, follow">')
    # county edition (legacy) list with ?p=N pagination
    county = newest_first(BARE)
    chunks = [county[:3], county[3:]]
    for n, chunk in enumerate(chunks, start=1):
        rows = "".join(
            f'<TR><TD><A HREF="{a["path"]}"><B>{esc(a["title"])}</B></A><BR><FONT SIZE="1">'
            f'{a["shown"]}</FONT><BR><FONT SIZE="2">{esc(excerpt(a, 35))}</FONT></TD></TR>'
            for a in chunk)
        pager = ""
        if n > 1:
            pager += '<A HREF="/stories/list?section=county">&lt;&lt; Previous page</A> '
        if n < len(chunks):
            pager += f'<A HREF="/stories/list?section=county&amp;p={n + 1}">Next page &gt;&gt;</A>'
        key = "/stories/list?section=county" + (f"&p={n}" if n > 1 else "")
        pages[key] = legacy_shell(
            f'<H2>County News</H2><TABLE WIDTH="100%" CELLPADDING="6">{rows}</TABLE>'
            f'<P ALIGN="center"><FONT SIZE="2">Page {n} of {len(chunks)} | {pager}</FONT>')
    # obituaries, ?p=2 style
    for n in (1, 2):
        chunk = OBITUARIES[(n - 1) * 3:n * 3]
        entries = "".join(
            f'<div class="obit"><h2 class="obit__name">{esc(who)}</h2>'
            f'<p>{esc(text)}</p></div>' for who, text in chunk)
        head = ('<link rel="next" href="/obituaries/?p=2">' if n == 1
                else '<link rel="prev" href="/obituaries/">')
        pager = ('<a class="next" href="/obituaries/?p=2">More obituaries</a>' if n == 1
                 else '<a class="prev" href="/obituaries/">Newer obituaries</a>')
        key = "/obituaries/" + ("?p=2" if n == 2 else "")
        main = (f'<main class="wp-block-group obituaries"><h1>Obituaries</h1>'
                f'<div class="obit-list">{entries}</div><nav>{pager}</nav></main>')
        pages[key] = wp_page("Obituaries", main, head=head, body_class="page obituaries")
    sub = "".join(f"<p>{esc(p)}</p>" for p in SUBSCRIBE)
    pages["/subscribe/"] = wp_page(
        "Subscribe to the Register",
        f'<main class="wp-block-group"><h1>Subscribe to the Register</h1>'
        f'<div class="wp-block-post-content">{sub}<div class="wp-block-buttons"><a class="'
        f'wp-block-button__link" href="/subscribe/#digital">Start for $1 a week</a></div>'
        f'</div></main>', body_class="page page-template-default")
    ethics = "".join(f"<p>{esc(p)}</p>" for p in ETHICS)
    pages["/about/ethics-policy/"] = wp_page(
        "Ethics policy",
        f'<main class="wp-block-group"><article class="page type-page status-publish">'
        f'<h1 class="wp-block-post-title">Ethics policy</h1><div class="wp-block-post-content">'
        f'{ethics}</div></article></main>',
        head=f'<link rel="canonical" href="{base}/about/ethics-policy/">',
        body_class="page page-template-default")
    return pages


def sitemap(base: str, pages: dict[str, str]) -> str:
    urls = "".join(f"<url><loc>{esc(base + p)}</loc></url>" for p in pages
                   if "?print=1" not in p and "?q=" not in p)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/'
            f'schemas/sitemap/0.9">{urls}</urlset>\n')
