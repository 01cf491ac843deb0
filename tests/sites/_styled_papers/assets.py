"""The Observer's requisites: the static files on its own host (stylesheets, font, script,
background, favicon) and the pictures on its CDN host, each with the kind of requisite
it is."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from crawler.demo.site import FONT_FILE
from tests.sites._styled_papers.content import ARTICLES
from tests.sites._styled_papers.images import RGB, png, webp

STATIC = Path(__file__).resolve().parent / "static"
# Validators of every static file, so that conditional re-checks can be tested.
LAST_MODIFIED = "Mon, 02 Mar 2026 06:00:00 GMT"
CACHE_CONTROL = "public, max-age=86400"
PNG, WEBP = "image/png", "image/webp"


@dataclass(frozen=True)
class Asset:
    body: bytes
    content_type: str
    kind: str  # stylesheet, font, image, script or icon


# Every page's own requisites on the site host, in the order a browser meets them:
# the stylesheet, what it imports and what that loads, the script, the favicon.
TEMPLATE = ("/static/site.css", "/static/base.css", "/static/fonts/serif.woff2",
            "/static/paper.png", "/static/site.js", "/static/favicon.png")


def _file(name: str, content_type: str, kind: str) -> Asset:
    return Asset((STATIC / name).read_bytes(), content_type, kind)


def site_files() -> dict[str, Asset]:
    """{path: asset} of the static files on the site's own host."""
    stripes = [(239, 230, 210), (229, 217, 191)] * 3
    return {
        "/static/site.css": _file("site.css", "text/css; charset=utf-8", "stylesheet"),
        "/static/base.css": _file("base.css", "text/css; charset=utf-8", "stylesheet"),
        "/static/fonts/serif.woff2": Asset(FONT_FILE.read_bytes(), "font/woff2", "font"),
        "/static/site.js": _file("site.js", "text/javascript; charset=utf-8", "script"),
        "/static/paper.png": Asset(png(48, 48, stripes), PNG, "image"),
        "/static/favicon.png": Asset(png(32, 32, [(31, 58, 77), (200, 162, 74)]), PNG, "icon"),
    }


def _mix(colour: RGB, other: RGB, share: float) -> RGB:
    r, g, b = (round(c + (o - c) * share) for c, o in zip(colour, other, strict=True))
    return r, g, b


class Assets:
    """The pictures on the CDN at ``cdn_base``: per article a lead image in three widths
    (its ``srcset``; the widest is also its og:image), a chart as WebP with a PNG fallback
    (a ``<picture>``), and a map in two widths loaded lazily (``data-src``,
    ``data-srcset``). Each article's pictures have colours of their own."""

    LEAD_WIDTHS = (400, 800, 1200)
    MAP_WIDTHS = (280, 560)

    def __init__(self, cdn_base: str) -> None:
        self.cdn_base = cdn_base
        self.files: dict[str, Asset] = {}
        for article in ARTICLES:
            colour: RGB = tuple(article["colour"])  # type: ignore[assignment]
            photo = [_mix(colour, (255, 255, 255), 0.45), colour, _mix(colour, (0, 0, 0), 0.3),
                     _mix(colour, (0, 0, 0), 0.55)]
            for width in self.LEAD_WIDTHS:
                self.files[self._lead(article, width)] = Asset(
                    png(width, width * 9 // 16, photo), PNG, "image")
            inverse: RGB = (255 - colour[0], 255 - colour[1], 255 - colour[2])
            self.files[self._chart(article, "webp")] = Asset(webp(560, 320, inverse), WEBP,
                                                             "image")
            # What a browser without WebP shows: grey, so that a replay that served it in
            # place of the WebP would show.
            self.files[self._chart(article, "png")] = Asset(
                png(560, 320, [(120, 120, 120), (90, 90, 90)]), PNG, "image")
            land = [_mix((196, 220, 170), colour, 0.25), _mix((110, 160, 100), colour, 0.25)] * 2
            for width in self.MAP_WIDTHS:
                self.files[self._map(article, width)] = Asset(
                    png(width, width * 4 // 7, land), PNG, "image")

    @staticmethod
    def _lead(article: dict, width: int) -> str:
        return f"/images/2026/03/{article['slug']}-{width}.png"

    @staticmethod
    def _chart(article: dict, extension: str) -> str:
        return f"/graphics/{article['slug']}-chart.{extension}"

    @staticmethod
    def _map(article: dict, width: int) -> str:
        return f"/graphics/{article['slug']}-map-{width}.png"

    def lead(self, article: dict, width: int) -> str:
        return self.cdn_base + self._lead(article, width)

    def chart(self, article: dict, extension: str) -> str:
        return self.cdn_base + self._chart(article, extension)

    def map(self, article: dict, width: int) -> str:
        return self.cdn_base + self._map(article, width)

    def of_article(self, article: dict) -> list[str]:
        """The URLs of an article's pictures: its srcset, chart and map."""
        return ([self.lead(article, w) for w in self.LEAD_WIDTHS]
                + [self.chart(article, "webp"), self.chart(article, "png")]
                + [self.map(article, w) for w in self.MAP_WIDTHS])

    def kind(self, url: str) -> str:
        return self.files[url.removeprefix(self.cdn_base)].kind
