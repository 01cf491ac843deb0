"""The article-extraction benchmark's real news pages (``../shared/aeb/``) as one
local news site: ``copies`` distinct copies of each page under article-shaped URLs
(``/2026/12/07/copy-3/slug.html``), linked from paginated listings (one section per
copy), so a crawl discovers them by following links.

A copy differs from its page by a comment naming the copy (so no two responses have
the same payload), by having no ``<link rel="canonical">``, ``og:url`` or ``<base>``
(they would send a crawler back to the original site, or make every copy the same
article), and by its relative links made absolute against the page's original URL:
served here they would point at pages this site does not have, while a page's links
to other sites are what a crawler meets on a real page anyway and leaves alone.
"""

from __future__ import annotations

import datetime
import gzip
import json
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from bench._newssite.site import HTML, Page
from bench._throughput.listing import ROBOTS, home_page, listing_pages

DEFAULT_AEB = Path(__file__).resolve().parents[3] / "shared" / "aeb"
SITE_NAME = "Benchmark Pages"
_NEWEST = datetime.date(2026, 12, 7)
_DROPPED_TAGS = re.compile(
    r"""<link\b[^>]*\brel\s*=\s*["']?canonical\b[^>]*>"""
    r"""|<meta\b[^>]*\bproperty\s*=\s*["']?og:url\b[^>]*>"""
    r"""|<base\b[^>]*>""", re.IGNORECASE)
_HREF = re.compile(r"""(\bhref\s*=\s*)(["'])(.*?)\2""", re.IGNORECASE | re.DOTALL)
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_SLUG_CHARS = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Original:
    key: str  # the benchmark's id
    url: str
    html: str


def load_originals(aeb: Path = DEFAULT_AEB, limit: int | None = None) -> list[Original]:
    """The benchmark's pages, in id order (``limit``: the first few, for tests)."""
    truth = json.loads((aeb / "ground-truth.json").read_text(encoding="utf-8"))
    keys = sorted(truth)[:limit]
    return [Original(key, truth[key]["url"],
                     gzip.decompress((aeb / "html" / f"{key}.html.gz").read_bytes())
                     .decode("utf-8", "replace"))
            for key in keys]


def build_real_site(originals: list[Original], copies: int = 10) -> dict[str, Page]:
    """Every path of the site -> Page: ``/``, ``/robots.txt``, ``/copy-N/`` listings
    and ``copies * len(originals)`` article pages (``real_article_paths``)."""
    if copies < 1 or not originals:
        raise ValueError("the real-page site needs at least one page and one copy")
    site: dict[str, Page] = {"/robots.txt": ROBOTS}
    sections = []
    for copy in range(copies):
        section = f"copy-{copy}"
        links = []
        for n, original in enumerate(originals):
            path = f"{_dated(n)}/{section}/{_slug(original)}.html"
            site[path] = Page(HTML, _copy_of(original, copy).encode("utf-8"))
            links.append((path, _headline(original)))
        sections.append((section, f"Copy {copy}"))
        site.update(listing_pages(section, f"Copy {copy}", links, site_name=SITE_NAME))
    site["/"] = home_page(sections, site_name=SITE_NAME)
    return site


def real_article_paths(site: dict[str, Page]) -> list[str]:
    return sorted(p for p in site if p.endswith(".html"))


def _copy_of(original: Original, copy: int) -> str:
    html = _DROPPED_TAGS.sub("", original.html)
    html = _HREF.sub(lambda m: m.group(1) + m.group(2) + _absolute(original.url, m.group(3))
                     + m.group(2), html)
    return f"<!-- benchmark copy {copy} of {original.key} -->\n{html}"


def _absolute(base: str, href: str) -> str:
    stripped = href.strip()
    if not stripped or stripped.startswith(("#", "javascript:", "mailto:", "tel:", "data:")):
        return href
    if urlsplit(stripped).scheme:
        return href
    return urljoin(base, stripped)


def _dated(n: int) -> str:
    day = _NEWEST - datetime.timedelta(days=n % 60)
    return day.strftime("/%Y/%m/%d")


def _slug(original: Original) -> str:
    segments = [s for s in urlsplit(original.url).path.split("/") if s]
    name = segments[-1].rsplit(".", 1)[0] if segments else ""
    slug = _SLUG_CHARS.sub("-", name.lower()).strip("-")[:60].strip("-")
    if len(slug) < 8 or slug.isdigit():
        slug = f"{slug}-{original.key[:10]}".strip("-")
    return f"{slug}-{original.key[:6]}"  # two benchmark pages may share a last segment


def _headline(original: Original) -> str:
    found = _TITLE.search(original.html)
    text = re.sub(r"\s+", " ", found.group(1)).strip() if found else ""
    return text[:120] or _slug(original)
