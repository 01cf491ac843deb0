"""The site's assembly: every path -> the page it serves."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass

from bench._newssite.assets import build_assets
from bench._newssite.chrome import INFO, UTILITY, make_chrome
from bench._newssite.fragments import data_layer, meta_tags, story_list
from bench._newssite.legacycms import LegacyCms
from bench._newssite.semantic import Semantic
from bench._newssite.server import PLACEHOLDER_ORIGIN
from bench._newssite.stories import Author, Story, Writer, plan_stories, write_article
from bench._newssite.vocabulary import SECTIONS, SITE_NAME, Section
from bench._newssite.wordpress import WordPress

HTML = "text/html; charset=utf-8"
_PER_PAGE = 25
_ARTICLE_PATH = re.compile(r"^/[a-z-]+/\d{4}/\d{2}/\d{2}/[a-z0-9-]+\.html$")


@dataclass(frozen=True)
class Page:
    content_type: str  # e.g. "text/html; charset=utf-8"
    body: bytes


_Template = WordPress | LegacyCms | Semantic


def build_site(articles: int, *, seed: int = 7, requisites: bool = True) -> dict[str, Page]:
    """Every path of the site ('/', '/robots.txt', '/sitemap.xml', '/world/', ...,
    '/world/2026/03/04/some-slug.html') -> Page; with ``requisites``, also every
    stylesheet, script, font, icon and image the pages name (``html_paths`` leaves
    them out)."""
    if articles < 1:
        raise ValueError(f"a site needs at least one article, not {articles}")
    rng = random.Random(seed)
    stories = plan_stories(rng, articles)
    chrome = make_chrome(rng, stories)
    templates: tuple[_Template, ...] = (WordPress(chrome), LegacyCms(chrome),
                                        Semantic(chrome))
    by_section = {s.slug: [story for story in stories if story.section is s] for s in SECTIONS}
    site = {"/": _home(templates[2], stories),
            "/robots.txt": Page("text/plain; charset=utf-8", _robots().encode())}
    site.update(_sitemaps(stories))
    for n, section in enumerate(SECTIONS):
        template = templates[n % len(templates)]
        site.update(_section_pages(template, section, by_section[section.slug]))
    site.update(_author_pages(templates[0], stories))
    site.update(_static_pages(templates[1]))
    writers = {section.slug: Writer(rng, section) for section in SECTIONS}
    position = {story.index: n for s in by_section.values() for n, story in enumerate(s)}
    for story in stories:
        section_stories = by_section[story.section.slug]
        article = write_article(story, stories, section_stories, position[story.index],
                                writers[story.section.slug], rng)
        site[story.path] = Page(HTML, templates[story.template].article(article))
    if requisites:
        pages = [page.body.decode("utf-8") for page in site.values() if page.content_type == HTML]
        site.update((path, Page(content_type, body)) for path, (content_type, body)
                    in build_assets(pages, seed=seed).items())
    return site


def html_paths(site: dict[str, Page]) -> list[str]:
    """The paths of the site's HTML pages (what a crawler archives as pages)."""
    return [path for path, page in site.items() if page.content_type == HTML]


def article_paths(site: dict[str, Page]) -> list[str]:
    """The paths of the article pages (what a crawler must find and extract)."""
    return [path for path in site if _ARTICLE_PATH.match(path)]


def _home(template: _Template, stories: list[Story]) -> Page:
    blocks = []
    for section in SECTIONS:
        top = [s for s in stories[:400] if s.section is section][:3]
        blocks.append(
            f'<section class="home-section"><h2><a href="/{section.slug}/">{section.label}</a>'
            '</h2><ul class="home-section__list">'
            + story_list(top, '<li><a href="{path}">{headline}</a></li>') + "</ul></section>\n")
    main = ('<main id="main-content" class="home"><h1 class="visually-hidden">'
            f'{SITE_NAME}</h1><section class="latest"><h2>Latest news</h2>'
            f'<ul class="listing__items">{"".join(s.teaser for s in stories[:20])}</ul>'
            f"</section>\n{''.join(blocks)}</main>\n")
    head = (meta_tags(f"{SITE_NAME}: news, analysis and opinion",
                      "The latest news from around the world, updated all day.", "/", "website")
            + data_layer(None, "home"))
    return Page(HTML, template.page(head, "home page", main))


def _listing(template: _Template, *, title: str, intro: str, path: str, stories: list[Story],
             section: str, pager: str = "", links: str = "") -> Page:
    main = (f'<main id="main-content" class="listing"><header class="listing__header"><h1>'
            f'{title}</h1><p class="listing__intro">{intro}</p></header>\n'
            f'<ul class="listing__items">{"".join(s.teaser for s in stories)}</ul>\n'
            f"{pager}</main>\n")
    head = (meta_tags(title, intro, path, "website") + links
            + data_layer(None, "listing", section))
    return Page(HTML, template.page(head, f"archive category category-{section}", main))


def _section_pages(template: _Template, section: Section, stories: list[Story]
                   ) -> Iterator[tuple[str, Page]]:
    """The section's paginated front (/world/, /world/page/2/, ...) and its subsections."""
    base = f"/{section.slug}/"
    pages = max(1, -(-len(stories) // _PER_PAGE))
    for page in range(1, pages + 1):
        path = base if page == 1 else f"{base}page/{page}/"
        links = "".join(f'<link rel="{rel}" href="{_page_path(base, n)}">\n'
                        for rel, n in (("prev", page - 1), ("next", page + 1))
                        if 1 <= n <= pages)
        title = section.label if page == 1 else f"{section.label} – page {page}"
        chunk = stories[(page - 1) * _PER_PAGE: page * _PER_PAGE]
        yield path, _listing(template, title=title, path=path, stories=chunk,
                             intro=f"The latest {section.label.lower()} news and analysis.",
                             section=section.slug, pager=_pager(base, page, pages), links=links)
    for slug, label in section.subsections:
        path = f"{base}{slug}/"
        latest = [s for s in stories if s.subsection[0] == slug][:_PER_PAGE]
        yield path, _listing(template, title=f"{label} | {section.label}", path=path,
                             intro=f"Reporting and analysis on {label.lower()}.",
                             stories=latest, section=section.slug)


def _page_path(base: str, page: int) -> str:
    return base if page == 1 else f"{base}page/{page}/"


def _pager(base: str, page: int, pages: int) -> str:
    """Numbers near this page, the first and last, and every tenth, so any page of a
    section is a few hops from its first (a crawler's depth limit is ~25)."""
    if pages == 1:
        return ""
    shown = sorted({1, pages, *range(page - 3, page + 4), *range(10, pages, 10)}
                   & set(range(1, pages + 1)))
    items = []
    if page > 1:
        items.append(f'<li><a href="{_page_path(base, page - 1)}" rel="prev">Previous</a></li>')
    last = 0
    for n in shown:
        if n > last + 1:
            items.append('<li class="pager__gap">…</li>')
        items.append(f'<li class="pager__current"><span>{n}</span></li>' if n == page else
                     f'<li><a href="{_page_path(base, n)}">{n}</a></li>')
        last = n
    if page < pages:
        items.append(f'<li><a href="{_page_path(base, page + 1)}" rel="next">Next</a></li>')
    return f'<nav class="pager" aria-label="Pages"><ul>{"".join(items)}</ul></nav>\n'


def _author_pages(template: _Template, stories: list[Story]) -> Iterator[tuple[str, Page]]:
    written: dict[Author, list[Story]] = {}
    for story in stories:
        for author in story.authors:
            written.setdefault(author, []).append(story)
    for author, theirs in written.items():
        path = f"/authors/{author.slug}/"
        yield path, _listing(template, title=author.name, path=path, stories=theirs[:_PER_PAGE],
                             intro=f"{author.name} is {SITE_NAME}’s {author.role.lower()}.",
                             section="authors")


def _static_pages(template: _Template) -> Iterator[tuple[str, Page]]:
    for path, title in (*INFO, *UTILITY):
        main = (f'<main id="main-content" class="static"><h1>{title}</h1><p>{SITE_NAME} has'
                " reported the news since 1884. This page is kept up to date by the readers’"
                ' editor.</p><p>Questions? <a href="/contact/">Contact us</a>.</p></main>\n')
        yield path, Page(HTML, template.page(meta_tags(title, title, path, "website"), "page",
                                             main))


def _robots() -> str:
    return f"User-agent: *\nAllow: /\n\nSitemap: {PLACEHOLDER_ORIGIN}/sitemap.xml\n"


def _sitemaps(stories: list[Story]) -> Iterator[tuple[str, Page]]:
    """A sitemap index with one sitemap per month, as news sites publish them."""
    months: dict[str, list[Story]] = {}
    for story in stories:
        months.setdefault(f"{story.published:%Y-%m}", []).append(story)
    xml = "application/xml"
    entries = "".join(
        f"<sitemap><loc>{PLACEHOLDER_ORIGIN}/sitemaps/{month}.xml</loc>"
        f"<lastmod>{max(s.modified for s in theirs).isoformat()}</lastmod></sitemap>\n"
        for month, theirs in months.items())
    yield "/sitemap.xml", Page(xml, (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{entries}</sitemapindex>\n").encode())
    for month, theirs in months.items():
        urls = "".join(f"<url><loc>{PLACEHOLDER_ORIGIN}{s.path}</loc>"
                       f"<lastmod>{s.modified.isoformat()}</lastmod></url>\n" for s in theirs)
        yield f"/sitemaps/{month}.xml", Page(xml, (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{urls}</urlset>\n").encode())
