"""The site's page requisites: every stylesheet, script, font, icon and image a page
names is served, with the size and Content-Type a news site gives it.

What exists is read from the rendered pages (``src``, ``srcset``, ``href``, the
``og:image``), so a template that names a new picture gets it served. Sizes are
those of news sites: ~50 KB a stylesheet, ~100 KB a script, ~30 KB a font, and
images by their pixels (a 1200x675 lead picture ~80–130 KB, a 320x180 thumbnail
~7 KB). Each template's main stylesheet ``@import``s one shared by all
(``/static/css/fonts.css``), whose ``@font-face`` rules name two fonts.

Only the sizes matter to a crawler: images are a format's magic bytes followed by
random ones (incompressible, as JPEG and WebP are); CSS and JS are generated text
(compressible, as real CSS and JS are). Assets use their own random generator, so
the pages are the same bytes with or without them.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Iterator

from bench._newssite.server import PLACEHOLDER_ORIGIN

#: The stylesheet every template's main stylesheet imports, and the fonts it names.
FONTS_CSS = "/static/css/fonts.css"
FONTS = ("/static/fonts/ledger-serif.woff2", "/static/fonts/ledger-sans.woff2")
_MAIN_SHEETS = ("/wp-content/themes/ledger/style.css?ver=4.2.1", "/static/css/main.3f9a1c.css",
                "/_next/static/css/app.9a7b44c2.css")

CONTENT_TYPES = {
    "css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8",
    "jpg": "image/jpeg", "png": "image/png", "webp": "image/webp", "ico": "image/x-icon",
    "svg": "image/svg+xml", "woff2": "font/woff2",
}
_MAGIC = {"jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "png": b"\x89PNG\r\n\x1a\n",
          "webp": b"RIFF\x00\x00\x00\x00WEBPVP8 ", "ico": b"\x00\x00\x01\x00\x01\x00",
          "woff2": b"wOF2\x00\x01\x00\x00"}
_ATTRIBUTE = re.compile(r'\s(?:src|href|srcset|content)="([^"]+)"')
_DIMENSIONS = re.compile(r"(\d{2,4})x(\d{2,4})")
_WIDTH = re.compile(r"-(\d{3,4})\.(?:jpg|webp|png)$")
#: Pictures whose URL does not say their size: (width, height) by where they live.
_KNOWN = (("/media/images/", (1200, 675)), ("/images/authors/", (64, 64)),
          ("/images/cards/", (300, 169)), ("/media/thumbs/", (320, 180)),
          ("/static/img/logo", (360, 60)), ("/static/img/", (135, 40)),
          ("/favicon", (32, 32)))
_BYTES_PER_PIXEL = 0.13  # a news JPEG at quality ~80
_POOL = 1 << 20


def asset_paths(html: str) -> Iterator[str]:
    """The site paths of the requisites one page names (with their query, as requested)."""
    for value in _ATTRIBUTE.findall(html):
        for candidate in value.split(","):
            url = candidate.strip().partition(" ")[0].removeprefix(PLACEHOLDER_ORIGIN)
            if url.startswith("/") and not url.startswith("//") and _extension(url):
                yield url


def _extension(path: str) -> str | None:
    ext = path.partition("?")[0].rpartition(".")[2]
    return ext if ext in CONTENT_TYPES else None


def build_assets(pages: Iterable[str], *, seed: int) -> dict[str, tuple[str, bytes]]:
    """path -> (content type, body) for every requisite the pages name, and what the
    stylesheets import."""
    rng = random.Random(seed ^ 0x5EED)
    pool = rng.randbytes(_POOL)
    paths = dict.fromkeys(path for html in pages for path in asset_paths(html))
    paths.update(dict.fromkeys((FONTS_CSS, *FONTS)))
    assets = {}
    for n, path in enumerate(paths):
        ext = _extension(path)
        assert ext is not None
        if ext == "css":
            body = _stylesheet(rng, path).encode()
        elif ext == "js":
            body = _script(rng, path, rng.randint(60_000, 130_000)).encode()
        elif ext == "svg":
            body = f'<svg xmlns="http://www.w3.org/2000/svg"><!-- {path} --></svg>'.encode()
        else:
            size = rng.randint(25_000, 35_000) if ext == "woff2" else _image_bytes(rng, path)
            start = rng.randrange(_POOL - size) if size < _POOL else 0
            head = _MAGIC[ext] + f"{n}:{path}".encode()
            body = (head + pool[start:start + size])[:max(size, len(head))]
        assets[path] = (CONTENT_TYPES[ext], body)
    return assets


def _image_bytes(rng: random.Random, path: str) -> int:
    width = height = 0
    if dimensions := _DIMENSIONS.search(path):
        width, height = int(dimensions[1]), int(dimensions[2])
    elif single := _WIDTH.search(path):
        width = int(single[1])
        height = width * 9 // 16
    else:
        width, height = next((size for prefix, size in _KNOWN if path.startswith(prefix)),
                             (300, 169))
    scale = 0.7 if path.endswith(".webp") else 1.0
    return max(600, int(width * height * _BYTES_PER_PIXEL * scale * rng.uniform(0.75, 1.25)))


_DECLARATIONS = ("margin:0 auto", "padding:0 16px", "display:flex", "gap:12px",
                 "font-size:1.0625rem", "line-height:1.5", "color:#121212",
                 "border-bottom:1px solid #dcdcdc", "font-weight:700",
                 "grid-template-columns:repeat(12,1fr)", "align-items:center",
                 "text-decoration:none", "object-fit:cover", "transition:color .2s ease")


def _stylesheet(rng: random.Random, path: str) -> str:
    if path == FONTS_CSS:
        return "".join(
            f'@font-face{{font-family:"{font.rpartition("/")[2][:-6]}";src:url({font})'
            ' format("woff2");font-display:swap}\n' for font in FONTS)
    size = rng.randint(3_000, 6_000) if "print" in path else rng.randint(40_000, 60_000)
    out = [f'@import url("{FONTS_CSS}");\n'] if path in _MAIN_SHEETS else []
    length = sum(map(len, out))
    while length < size:
        selector = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(8))
        rule = f".l-{selector}{{{';'.join(rng.sample(_DECLARATIONS, rng.randint(2, 6)))}}}\n"
        out.append(rule)
        length += len(rule)
    return "".join(out)


def _script(rng: random.Random, path: str, size: int) -> str:
    out = [f"/*! {path} */\n"]
    length = len(out[0])
    while length < size:
        name = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(6))
        line = (f"function {name}(e,t){{var n=e[{rng.randint(0, 99)}]||t;"
                f'return n&&n.{name[:3]}?n.{name[:3]}("{name}"):null}}\n')
        out.append(line)
        length += len(line)
    return "".join(out)
