"""The newsroom data behind a site: plain objects loaded from ``content/NAME.json``.

Prose lives in JSON, not in code, so the templates stay small and a second
newsroom is a data file rather than a fork of the renderers.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

CONTENT_DIR = Path(__file__).parent / "content"
SITE_NAMES = ("demo", "test")


def slugify(text: str) -> str:
    """``"Ana Ruiz"`` -> ``"ana-ruiz"`` (author and tag URLs)."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def human_date(dt: datetime) -> str:
    """``June 8, 2021`` — the way the bare template and teasers show a date."""
    return f"{dt:%B} {dt.day}, {dt.year}"


@dataclass(frozen=True)
class Section:
    slug: str
    name: str
    description: str
    # "older_link" (/s/page/2/), "query" (/s/?page=2) or "link_rel_next" (<head> only)
    pagination: str


@dataclass
class Article:
    id: int
    slug: str
    section: str
    template: str
    title: str
    authors: list[str]
    published: str
    tags: list[str]
    summary: str
    paragraphs: list[str]
    modified: str | None = None
    special: str | None = None  # test-site behaviour, see _specials.py
    path: str = ""  # filled in from the site's URL patterns

    @property
    def published_dt(self) -> datetime:
        return datetime.fromisoformat(self.published)

    @property
    def modified_dt(self) -> datetime:
        return datetime.fromisoformat(self.modified or self.published)


@dataclass
class SiteData:
    name: str
    title: str
    tagline: str
    town: str
    built: str
    language: str
    page_size: int
    sections: list[Section]
    url_patterns: dict[str, str]
    classes: dict[str, str]
    boilerplate: dict[str, Any]
    about: list[str]
    contact: list[str]
    staff: list[dict[str, str]]
    articles: list[Article]
    specials: dict[str, Any] = field(default_factory=dict)
    private_article: Article | None = None

    def cls(self, name: str) -> str:
        """Class name for ``name`` in this newsroom's markup (sites differ on purpose)."""
        return self.classes.get(name, name)

    def section(self, slug: str) -> Section:
        return next(s for s in self.sections if s.slug == slug)

    def article_path(self, art: Article) -> str:
        dt = art.published_dt
        return self.url_patterns[art.template].format(
            section=art.section, slug=art.slug, id=art.id,
            y=f"{dt:%Y}", m=f"{dt:%m}", d=f"{dt:%d}",
        )

    @property
    def built_dt(self) -> datetime:
        return datetime.fromisoformat(self.built)


def load_data(name: str) -> SiteData:
    """Read ``content/NAME.json``; unknown names fail with the list of known ones."""
    if name not in SITE_NAMES:
        raise ValueError(f"unknown demo site {name!r}; choose one of {', '.join(SITE_NAMES)}")
    raw = json.loads((CONTENT_DIR / f"{name}.json").read_text(encoding="utf-8"))
    raw["sections"] = [Section(**s) for s in raw["sections"]]
    raw["articles"] = [Article(**a) for a in raw["articles"]]
    if raw.get("private_article"):
        raw["private_article"] = Article(**raw["private_article"])
    data = SiteData(**raw)
    for art in data.articles:
        art.path = data.article_path(art)
    if data.private_article:
        data.private_article.path = data.specials["robots_disallowed"]
    # newest first everywhere: sections, feed, home
    data.articles.sort(key=lambda a: a.published_dt, reverse=True)
    return data
