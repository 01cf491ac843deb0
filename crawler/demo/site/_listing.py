"""Non-article pages: home, paginated sections, tag and author pages, about,
contact, search and the error pages."""

from __future__ import annotations

from ._chrome import Ctx, attr, esc, page, teaser
from ._content import Article, Section, slugify


def section_page_path(sec: Section, n: int) -> str:
    """Where page ``n`` of a section lives, in that section's pagination style."""
    if n == 1:
        return f"/{sec.slug}/"
    if sec.pagination == "query":
        return f"/{sec.slug}/?page={n}"
    return f"/{sec.slug}/page/{n}/"


def _links_box(ctx: Ctx, title: str, links: list[tuple[str, str]]) -> str:
    if not links:
        return ""
    items = "".join(f'<li><a href="{attr(h)}">{esc(t)}</a></li>' for h, t in links)
    return f'<aside class="{ctx.cls("links-box")}"><h3>{esc(title)}</h3><ul>{items}</ul></aside>'


def section_pages(
    ctx: Ctx, sec: Section, arts: list[Article], extra_links: list[tuple[str, str]]
) -> dict[str, str]:
    """All pages of one section, newest first, keyed by path."""
    size = ctx.data.page_size
    chunks = [arts[i : i + size] for i in range(0, len(arts), size)] or [[]]
    out = {}
    for n, chunk in enumerate(chunks, start=1):
        prev_p = section_page_path(sec, n - 1) if n > 1 else None
        next_p = section_page_path(sec, n + 1) if n < len(chunks) else None
        head, nav = "", []
        if sec.pagination == "link_rel_next":
            # only machine-readable hints here: a crawler must read <head> to go on
            if next_p:
                head += f'<link rel="next" href="{attr(ctx.url(next_p))}">'
            if prev_p:
                head += f'<link rel="prev" href="{attr(ctx.url(prev_p))}">'
        elif sec.pagination == "query":
            nav = [
                f'<a href="{attr(section_page_path(sec, k))}">{k}</a>'
                for k in range(1, len(chunks) + 1)
                if k != n
            ]
        else:
            if next_p:
                nav.append(f'<a class="next" href="{next_p}">Older posts</a>')
            if prev_p:
                nav.append(f'<a class="prev" href="{prev_p}">Newer posts</a>')
        teasers = "".join(teaser(ctx, a) for a in chunk)
        extras = _links_box(ctx, "Documents and links", extra_links) if n == 1 else ""
        body = (
            f'<main class="{ctx.cls("listing")}"><h1>{esc(sec.name)}</h1>'
            f"<p>{esc(sec.description)}</p>{teasers}"
            f'<nav class="{ctx.cls("pagination")}">{" ".join(nav)}</nav>{extras}</main>'
        )
        title = sec.name if n == 1 else f"{sec.name} – page {n}"
        path = section_page_path(sec, n)
        out[path] = page(ctx, title=title, body=body, head_extra=head, canonical=path)
    return out


def home(ctx: Ctx, by_section: dict[str, list[Article]], extra_links: list[tuple[str, str]],
         tags: list[str]) -> str:
    d = ctx.data
    blocks = []
    for sec in d.sections:
        latest = "".join(teaser(ctx, a, "h3") for a in by_section[sec.slug][:3])
        blocks.append(
            f'<section class="{ctx.cls("home-section")}"><h2><a href="/{sec.slug}/">'
            f"{esc(sec.name)}</a></h2>{latest}</section>"
        )
    topics = " ".join(f'<a href="/tag/{slugify(t)}/">{esc(t)}</a>' for t in tags)
    body = (
        f'<main class="{ctx.cls("home")}"><h1 class="screen-reader-text">{esc(d.title)}</h1>'
        f'{"".join(blocks)}<section class="{ctx.cls("topics")}"><h2>Topics</h2>{topics}</section>'
        f'{_links_box(ctx, "Around the site", extra_links)}</main>'
    )
    return page(ctx, title="Home", body=body, description=d.tagline, canonical="/")


def listing(ctx: Ctx, title: str, intro: str, arts: list[Article], canonical: str) -> str:
    """A tag or author page: every matching article, no pagination."""
    teasers = "".join(teaser(ctx, a) for a in arts)
    body = (
        f'<main class="{ctx.cls("listing")}"><h1>{esc(title)}</h1>'
        f"<p>{esc(intro)}</p>{teasers}</main>"
    )
    return page(ctx, title=title, body=body, canonical=canonical)


def about(ctx: Ctx, staff: list[tuple[str, str]]) -> str:
    """About page; its staff list is what links every author page."""
    paras = "".join(f"<p>{esc(p)}</p>" for p in ctx.data.about)
    staff_html = "".join(
        f'<li><a href="/author/{slugify(name)}/">{esc(name)}</a>, {esc(role)}</li>'
        for name, role in staff
    )
    body = f"<main><h1>About us</h1>{paras}<h2>Our newsroom</h2><ul>{staff_html}</ul></main>"
    return page(ctx, title="About us", body=body, canonical="/about/")


def contact(ctx: Ctx) -> str:
    paras = "".join(f"<p>{esc(p)}</p>" for p in ctx.data.contact)
    body = f"<main><h1>Contact</h1>{paras}</main>"
    return page(ctx, title="Contact", body=body, canonical="/contact/")


def search(ctx: Ctx) -> str:
    body = "<main><h1>Search</h1><p>Search is temporarily unavailable.</p></main>"
    return page(ctx, title="Search", body=body)


def error(ctx: Ctx, status: int) -> str:
    text = {
        404: ("Page not found", "Sorry, we could not find that page. Try the home page."),
        500: ("Something went wrong", "Our server had a problem. Please try again later."),
    }[status]
    body = f"<main><h1>{text[0]}</h1><p>{text[1]}</p></main>"
    return page(ctx, title=text[0], body=body)
