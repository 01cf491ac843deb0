"""A newsroom as a set of routes, plus the ground truth tests check a crawl against.

Routes are keyed by path (plus query, for query-addressed pages) and render per
request, because absolute URLs (canonical, feed, sitemap, robots) depend on the
port the server happened to get.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit

from . import _bare, _feeds, _jsonld, _listing, _specials, _style, _wordpress
from ._binary import png
from ._chrome import Ctx, Extras
from ._content import Article, SiteData, load_data, slugify
from ._response import Response, Route, html_route

TEMPLATES = {"wordpress": _wordpress, "jsonld": _jsonld, "bare": _bare}
# query parameters real sites ignore; a link carrying them still reaches the article
TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid)$")
_SENTENCE_END = re.compile(r"(?<=[.!?”])\s+(?=[A-Z“])")


@dataclass(frozen=True)
class ExpectedArticle:
    """Ground truth for one article page, as an extractor should report it."""

    path: str
    title: str
    authors: list[str]
    published: str
    template: str
    body_snippets: list[str]
    boilerplate_snippets: list[str]
    section: str = ""  # the section's display name, e.g. "Local"


def body_snippets(art: Article) -> list[str]:
    """Three sentences from the start, middle and end of the story."""
    paras = art.paragraphs
    picks = [
        _SENTENCE_END.split(paras[1])[0],
        _SENTENCE_END.split(paras[len(paras) // 2 + 1])[-1],
        _SENTENCE_END.split(paras[-1])[-1],
    ]
    return list(dict.fromkeys(picks))


class Site:
    """One newsroom: its routes, ``expected_articles``, ``non_article_paths``, ``special_paths``."""

    feed_path = "/feed/"
    sitemap_path = "/sitemap.xml"
    robots_path = "/robots.txt"

    def __init__(self, data: SiteData) -> None:
        self.data = data
        self.name = data.name
        self.title = data.title
        self.routes: dict[str, Route] = {}
        self.expected_articles: list[ExpectedArticle] = []
        self.non_article_paths: list[str] = []
        self.special_paths: dict[str, str] = {}
        # filled by _specials before the listings are built
        self.home_links: list[tuple[str, str]] = []
        self.section_links: list[tuple[str, str]] = []
        self.disallow = ["/search"]
        self._build()

    # -- building ---------------------------------------------------------------

    def _extras(self, art: Article) -> Extras:
        d = self.data
        same = [a for a in d.articles if a.section == art.section and a is not art]
        others = [a for a in d.articles if a is not art]
        comments = d.boilerplate["comments"]
        k = art.id % len(comments)
        return Extras(
            related=same[:3],
            most_read=others[::6][:5],
            comments=[comments[(k + i) % len(comments)] for i in range(3)],
        )

    def _add_article(self, art: Article, extras: Extras, *, expected: bool = True) -> None:
        tpl = TEMPLATES[art.template]
        route = html_route(lambda ctx: tpl.render(art, ctx, extras), art.modified_dt)
        self.routes[art.path] = _specials.wrap_article(art, route)
        if art.template != "bare":
            self.routes[f"/static/img/{art.slug}.png"] = lambda ctx: Response(
                body=png(), content_type="image/png", encoding="identity")
        if not expected:
            return
        published = art.published
        if art.template == "bare":  # the page shows only a date
            published = art.published_dt.date().isoformat()
        self.expected_articles.append(ExpectedArticle(
            path=art.path, title=art.title, authors=list(art.authors), published=published,
            template=art.template, body_snippets=body_snippets(art),
            boilerplate_snippets=tpl.boilerplate(art, self.data, extras),
            section=self.data.section(art.section).name,
        ))

    def _add_page(self, path: str, render: Callable[[Ctx], str]) -> None:
        self.routes[path] = html_route(render, self.data.built_dt)
        self.non_article_paths.append(path)

    def _build(self) -> None:
        d = self.data
        _specials.prepare(self)
        for art in d.articles:
            extras = self._extras(art)
            extras.amp_path = _specials.amp_path(self, art)
            self._add_article(art, extras)
        if d.private_article:
            self._add_article(d.private_article, self._extras(d.private_article), expected=False)
        _specials.add_routes(self)

        by_section = {s.slug: [a for a in d.articles if a.section == s.slug] for s in d.sections}
        tags = sorted({t for a in d.articles for t in a.tags})
        self._add_page("/", lambda ctx: _listing.home(ctx, by_section, self.home_links, tags))
        for sec in d.sections:
            pages = _listing.section_pages(Ctx(d, "/"), sec, by_section[sec.slug], [])
            for path in pages:
                self._add_page(path, lambda ctx, sec=sec, path=path: _listing.section_pages(
                    ctx, sec, by_section[sec.slug], self.section_links)[path])
        for tag in tags:
            arts = [a for a in d.articles if tag in a.tags]
            path = f"/tag/{slugify(tag)}/"
            self._add_page(path, lambda ctx, tag=tag, arts=arts, path=path: _listing.listing(
                ctx, f"Topic: {tag}", f"Stories about {tag}.", arts, path))
        roles = {s["name"]: s["role"] for s in d.staff}
        authors = sorted({n for a in d.articles for n in a.authors} | set(roles))
        for name in authors:
            arts = [a for a in d.articles if name in a.authors]
            path = f"/author/{slugify(name)}/"
            role = roles.get(name, "Contributor")
            self._add_page(path, lambda ctx, name=name, arts=arts, path=path, role=role:
                           _listing.listing(ctx, name, f"{role} at {d.title}.", arts, path))
        staff = [(n, roles.get(n, "Contributor")) for n in authors]
        self._add_page("/about/", lambda ctx: _listing.about(ctx, staff))
        self._add_page("/contact/", _listing.contact)
        self.routes["/search"] = html_route(_listing.search)

        newest = d.articles[0].published_dt if d.articles else d.built_dt
        self.routes[self.feed_path] = lambda ctx: Response(
            body=_feeds.rss(ctx, d.articles).encode("utf-8"), last_modified=newest,
            content_type="application/rss+xml; charset=utf-8", encoding="identity")
        listed = [("/", d.built), *((s, d.built) for s in self.non_article_paths[1:]),
                  *((a.path, a.modified or a.published) for a in d.articles)]
        self.routes[self.sitemap_path] = lambda ctx: Response(
            body=_feeds.sitemap(ctx, listed).encode("utf-8"), last_modified=newest,
            content_type="application/xml; charset=utf-8", encoding="identity")
        self.routes[self.robots_path] = lambda ctx: Response(
            body=_feeds.robots(ctx, self.disallow).encode("utf-8"), last_modified=d.built_dt,
            content_type="text/plain; charset=utf-8", encoding="identity")
        self.routes["/static/logo.png"] = lambda ctx: Response(
            body=png(48, 16, (200, 40, 40)), content_type="image/png", encoding="identity")
        self.routes.update(_style.routes(d.built_dt))

    # -- serving ----------------------------------------------------------------

    @staticmethod
    def route_key(target: str) -> str:
        """Request target -> route key: tracking parameters and fragments dropped."""
        parts = urlsplit(target)
        query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                 if not TRACKING.match(k)]
        return parts.path + ("?" + urlencode(query) if query else "")

    def respond(self, target: str, base_url: str) -> Response:
        """The response for a request target (``/path?query``), 404 if none."""
        ctx = Ctx(self.data, base_url)
        key = self.route_key(target)
        route = self.routes.get(key)
        if route is not None:
            return route(ctx)
        if "?" not in key and key + "/" in self.routes:  # /local -> /local/, as servers do
            return Response(301, b"", headers={"Location": ctx.url(key + "/")},
                            encoding="identity")
        return Response(404, _listing.error(ctx, 404).encode("utf-8"))


def load_site(name: str) -> Site:
    """The bundled newsroom ``"demo"`` (shown to new users) or ``"test"`` (awkward cases)."""
    return Site(load_data(name))
