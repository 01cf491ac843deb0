"""Template 3: bare markup — numeric story ids, no og:/JSON-LD/``<article>``, no
canonical link; only an ``<h1>``, a plain-text byline and date, and ``<p>``s.

It deliberately skips the shared chrome's ``<head>`` extras: the point of this
template is that a crawler gets nothing but the visible text to go on.
"""

from __future__ import annotations

from ._chrome import Ctx, Extras, esc
from ._content import Article, SiteData, human_date


def boilerplate(art: Article, data: SiteData, extras: Extras) -> list[str]:
    return [data.boilerplate["copyright"], data.boilerplate["bare_nav"]]


def render(art: Article, ctx: Ctx, extras: Extras) -> str:
    d = ctx.data
    c = ctx.cls
    links = " | ".join(
        ['<a href="/">Home</a>', *(f'<a href="/{s.slug}/">{esc(s.name)}</a>' for s in d.sections)]
    )
    paras = "\n".join(f"<p>{esc(p)}</p>" for p in art.paragraphs)
    return (
        f"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{esc(art.title)}</title>"
        "</head>\n<body>\n"
        f'<div id="{c("bare-top")}"><div class="{c("bare-nav")}">{links}'
        f' <span class="{c("bare-note")}">{esc(d.boilerplate["bare_nav"])}</span></div></div>\n'
        f'<div class="{c("bare-content")}">\n<h1>{esc(art.title)}</h1>\n'
        f'<div class="{c("bare-byline")}">By {esc(" and ".join(art.authors))}</div>\n'
        f'<div class="{c("bare-date")}">{human_date(art.published_dt)}</div>\n{paras}\n</div>\n'
        f'<div class="{c("bare-footer")}">{esc(d.boilerplate["copyright"])} '
        '<a href="/about/">About</a> <a href="/contact/">Contact</a></div>\n'
        "</body></html>\n"
    )
