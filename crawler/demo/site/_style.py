"""How a newsroom looks: its stylesheets, web font, masthead picture, favicon and script.

A page names them the way news sites do: ``site.css`` in the head, which imports
``type.css`` (the ``@font-face`` and the type scale), whose font and whose
``url()`` pictures are fetched only by a reader who follows the stylesheets. So an
archive that lacks any of them replays visibly wrong, which is what the demo's
replay is there to show.

The stylesheet is written per newsroom, because each names its boilerplate with
classes of its own (``SiteData.classes``).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from ._binary import png
from ._chrome import FAVICON, SCRIPT, STYLESHEET, Ctx
from ._response import Response, Route

STATIC_DIR = Path(__file__).resolve().parent / "static"
# The face (and its licence) is described in static/README.md.
FONT_FILE = STATIC_DIR / "fonts" / "newsroom-serif.woff2"

TYPE_SHEET = "/static/css/type.css"
FONT = "/static/fonts/newsroom-serif.woff2"
MASTHEAD = "/static/img/masthead.png"

CSS = "text/css; charset=utf-8"

# Dismisses the cookie banner for this page view: what a reader's click does, no cookie
# kept, so every load (live or replayed) starts with the banner shown.
_SCRIPT = """\
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[role=dialog] button").forEach(function (button) {
    button.addEventListener("click", function () {
      button.closest("[role=dialog]").hidden = true;
    });
  });
});
"""

_TYPE_SHEET = f"""\
/* The newsroom's type: its own serif, set before the layout so headlines never jump. */
@font-face {{
  font-family: "Newsroom Serif";
  src: url(../fonts/{FONT.rsplit("/", 1)[1]}) format("woff2");
  font-weight: normal;
  font-style: normal;
  font-display: block;
}}
html {{ font-family: "Newsroom Serif", Georgia, serif; font-size: 18px; line-height: 1.5; }}
h1, h2, h3 {{ font-weight: normal; line-height: 1.2; }}
h1 {{ font-size: 2.2rem; margin: 0.4em 0; }}
"""


def stylesheet(ctx: Ctx) -> str:
    """``site.css`` for this newsroom, its selectors in the newsroom's own class names."""
    c = ctx.cls
    return f"""\
@import url(type.css);

body {{ margin: 0; color: #1d2327; background: #f6f1e7; }}
a {{ color: #8a1c1c; text-decoration: none; }}
a:hover {{ text-decoration: underline; }}

.{c("cookie-banner")} {{ background: #1d2327; color: #f6f1e7; padding: 0.5rem 2rem;
  font-size: 0.8rem; }}
.{c("cookie-banner")} p {{ display: inline; margin-right: 1rem; }}
.{c("site-header")} {{ background: #8a1c1c url({MASTHEAD}) repeat-x bottom;
  color: #fff; padding: 1.2rem 2rem 2rem; }}
.{c("site-header")} a {{ color: #fff; }}
.{c("site-branding")} > a {{ font-size: 2.4rem; letter-spacing: 0.02em; }}
.{c("site-description")} {{ margin: 0; font-style: italic; opacity: 0.85; }}
.{c("main-navigation")} ul {{ list-style: none; margin: 0.6rem 0 0; padding: 0; }}
.{c("main-navigation")} li {{ display: inline-block; margin-right: 1.2rem; }}
.{c("main-navigation")} form {{ display: none; }}

main, .{c("page-wrap")}, .site-content {{ max-width: 60rem; margin: 0 auto;
  padding: 0 2rem; }}
.site-content {{ display: flex; gap: 2rem; }}
.site-main {{ flex: 3; }}
#secondary, .{c("story-rail")} {{ flex: 1; font-size: 0.85rem; }}
.{c("story-layout")} {{ display: flex; gap: 2rem; }}
.{c("story-main")} {{ flex: 3; }}
.{c("story-kicker")}, .cat-links {{ text-transform: uppercase; font-size: 0.75rem;
  letter-spacing: 0.1em; margin-top: 1.5rem; }}
.{c("story-standfirst")} {{ font-size: 1.2rem; color: #4a4f54; }}
.{c("story-byline")}, .entry-meta, .{c("teaser-meta")} {{ font-size: 0.8rem;
  color: #4a4f54; }}
.{c("story-image")} {{ margin: 1rem 0; }}
.{c("story-image")} img {{ width: 100%; height: 14rem; object-fit: cover; }}
figcaption {{ font-size: 0.75rem; color: #4a4f54; }}
.ad-slot {{ border: 1px dashed #b9b2a4; color: #8c877d; font-size: 0.7rem;
  padding: 0.6rem; text-align: center; }}
.{c("teaser")} {{ background: #fff; padding: 0.6rem 1rem; margin: 0.8rem 0;
  border-left: 4px solid #8a1c1c; }}
.{c("teaser-title")} {{ font-size: 1.3rem; margin: 0.2rem 0; }}
.{c("share-buttons")} a {{ margin-right: 0.8rem; font-size: 0.8rem; }}
.{c("site-footer")} {{ margin-top: 2rem; padding: 1rem 2rem; background: #1d2327;
  color: #b9b2a4; font-size: 0.8rem; }}
.{c("site-footer")} a {{ color: #f6f1e7; margin-right: 0.8rem; }}
"""


def routes(modified: datetime) -> dict[str, Route]:
    """{path: route} of every file the styled pages ask for, all last changed at
    ``modified`` (so that a crawler's conditional re-checks get their 304)."""
    files = {
        TYPE_SHEET: Response(body=_TYPE_SHEET.encode("utf-8"), content_type=CSS,
                             encoding="identity"),
        FONT: Response(body=FONT_FILE.read_bytes(), content_type="font/woff2",
                       encoding="identity"),
        # A dark band along the masthead's foot: a picture only the stylesheet names.
        MASTHEAD: Response(body=png(8, 6, (110, 20, 20)), content_type="image/png",
                           encoding="identity"),
        FAVICON: Response(body=png(32, 32, (138, 28, 28)), content_type="image/png",
                          encoding="identity"),
        SCRIPT: Response(body=_SCRIPT.encode("utf-8"),
                         content_type="text/javascript; charset=utf-8", encoding="identity"),
    }
    for response in files.values():
        response.last_modified = modified
    out: dict[str, Route] = {path: (lambda ctx, r=r: r) for path, r in files.items()}
    out[STYLESHEET] = lambda ctx: Response(body=stylesheet(ctx).encode("utf-8"),
                                           content_type=CSS, last_modified=modified,
                                           encoding="identity")
    return out
