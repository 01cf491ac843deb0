"""The test site's awkward cases: duplicates, redirects, errors, odd transports.

Articles opt in with ``"special"`` in the content file; the path-level cases
(redirects, 404, 500, PDF, PNG, robots-disallowed page) are named in the
site's ``"specials"`` table. A site without that table (the demo) gets none.
"""

from __future__ import annotations

import dataclasses
import threading
from typing import TYPE_CHECKING

from ._binary import pdf, png
from ._chrome import Ctx
from ._listing import error
from ._response import Response, Route, html_route

if TYPE_CHECKING:
    from ._content import Article
    from ._site import Site

SLOW_SECONDS = 2.0
# The "busy" article answers its first request with 429 and this Retry-After.
BUSY_RETRY_AFTER = 1
# article-level special -> key in Site.special_paths
ARTICLE_SPECIALS = {
    "gzip_always": "gzip_always",
    "chunked": "chunked",
    "slow": "slow",
    "bad_encoding": "bad_encoding",
    "redirect_target": "redirect_new",
    "canonical_target": "canonical_target",
    "busy": "retry_after",
}


def amp_path(site: Site, art: Article) -> str | None:
    return "/amp" + art.path if art.special == "canonical_target" else None


def wrap_article(art: Article, route: Route) -> Route:
    """Apply an article's transport quirk to its normal response."""
    if art.special == "gzip_always":
        return lambda ctx: dataclasses.replace(route(ctx), encoding="gzip")
    if art.special == "chunked":
        return lambda ctx: dataclasses.replace(route(ctx), chunked=True, encoding="identity")
    if art.special == "slow":
        return lambda ctx: dataclasses.replace(route(ctx), delay=SLOW_SECONDS)
    if art.special == "busy":
        return _busy_first(route)
    if art.special == "bad_encoding":
        # declared UTF-8, but the accented letters go out as single Latin-1 bytes
        def bad(ctx: Ctx) -> Response:
            resp = route(ctx)
            return dataclasses.replace(resp, body=resp.body.replace("é".encode(), b"\xe9"))

        return bad
    return route


def _busy_first(route: Route) -> Route:
    """429 with Retry-After on the first request, the page from then on."""
    refused = threading.Event()

    def busy(ctx: Ctx) -> Response:
        if not refused.is_set():
            refused.set()
            return Response(429, b"Too busy, come back later",
                            headers={"Retry-After": str(BUSY_RETRY_AFTER)},
                            content_type="text/plain", encoding="identity")
        return route(ctx)

    return busy


def prepare(site: Site) -> None:
    """Fill ``special_paths`` and the links that lead a crawler to each case."""
    d = site.data
    sp = d.specials
    if not sp:
        return
    site.disallow.append("/" + sp["robots_disallowed"].split("/")[1] + "/")
    paths = site.special_paths
    for art in d.articles:
        if art.special:
            paths[ARTICLE_SPECIALS[art.special]] = art.path
    plain = [a for a in d.articles if not a.special]
    by_tpl = {t: next(a for a in plain if a.template == t) for t in ("bare", "wordpress", "jsonld")}
    sep = "&" if "?" in by_tpl["bare"].path else "?"
    paths.update({
        "canonical_duplicate": "/amp" + paths["canonical_target"],
        "tracking_params": by_tpl["bare"].path + sep + "utm_source=x&utm_medium=y",
        "fbclid": by_tpl["wordpress"].path + "?fbclid=IwAR0demo4Xy7Qk2ZpL",
        "fragment": by_tpl["jsonld"].path + "#comments",
    })
    for key in ("redirect_old", "redirect_chain", "redirect_loop", "not_found", "server_error",
                "pdf", "png", "robots_disallowed"):
        paths[key] = sp[key]
    site.home_links = [
        (paths["tracking_params"], by_tpl["bare"].title),
        (paths["fbclid"], by_tpl["wordpress"].title),
        (paths["fragment"], "Join the conversation"),
        (paths["canonical_duplicate"], "Lite version"),
        (paths["redirect_old"], "From the archive"),
        (paths["redirect_chain"], "Short link"),
        (paths["redirect_loop"], "Reader offers"),
        (paths["not_found"], "A story we took down"),
        (paths["server_error"], "Live results"),
    ]
    site.section_links = [
        (paths["pdf"], "Budget summary (PDF)"),
        (paths["png"], "Flood map (image)"),
        (paths["robots_disallowed"], d.private_article.title if d.private_article else "Staff"),
    ]


def add_routes(site: Site) -> None:
    sp = site.data.specials
    if not sp:
        return
    paths = site.special_paths

    def redirect(status: int, location: str) -> Route:
        return lambda ctx: Response(status, b"", headers={"Location": location},
                                    encoding="identity")

    site.routes[paths["canonical_duplicate"]] = site.routes[paths["canonical_target"]]
    # absolute Location for the permanent move, relative ones for the temporary hops
    site.routes[paths["redirect_old"]] = lambda ctx: Response(
        301, b"", headers={"Location": ctx.url(paths["redirect_new"])}, encoding="identity")
    site.routes[paths["redirect_chain"]] = redirect(302, paths["redirect_old"])
    site.routes[sp["redirect_loop"]] = redirect(302, sp["redirect_loop_b"])
    site.routes[sp["redirect_loop_b"]] = redirect(302, sp["redirect_loop"])
    site.routes[paths["server_error"]] = html_route(lambda ctx: error(ctx, 500), status=500)
    site.routes[paths["pdf"]] = lambda ctx: Response(
        body=pdf(f"{site.title}: budget summary"), content_type="application/pdf",
        encoding="identity")
    site.routes[paths["png"]] = lambda ctx: Response(
        body=png(64, 48, (90, 140, 200)), content_type="image/png", encoding="identity")
