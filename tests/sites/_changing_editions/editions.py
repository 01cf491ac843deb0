"""The editions: which stories each has (edition 2 adds two and corrects F3), their
ground truth and the paths that list them."""

from __future__ import annotations

import math
from datetime import datetime

from tests.sites._changing_editions.content import (
    CORRECTION_SNIPPET,
    EDIT_SNIPPET,
    EDITED_KEY,
    PER_PAGE,
    REMOVED_SNIPPET,
    SECTIONS,
    STORIES,
    article_path,
    edited_body,
    iso_utc,
    newest_first,
    section_url,
)
from tests.sites._changing_editions.fillers import fillers


def edition_stories(edition: int, edited_at: str | None, extra: int) -> list[dict]:
    """The internal records of one edition, newest first."""
    if edition not in (1, 2):
        raise ValueError(f"no edition {edition!r}: 1 or 2")
    out = []
    for a in STORIES:
        if a["edition"] > edition:
            continue
        a = dict(a)
        if edition == 2 and a["key"] == EDITED_KEY:
            a["body"] = edited_body(a["body"])
            a["modified"] = edited_at
            kept = [s for s in a["snippets"] if s != REMOVED_SNIPPET]
            a["snippets"] = [EDIT_SNIPPET, CORRECTION_SNIPPET, kept[0]]
        out.append(a)
    return newest_first(out + [dict(f, path=article_path(f)) for f in fillers(extra)])


def truth(a: dict) -> dict:
    return {
        "path": a["path"], "url_path": a["path"], "title": a["title"],
        "authors": list(a["authors"]), "published": a["published"],
        "modified": a.get("modified"), "section": a["section"],
        "section_name": SECTIONS[a["section"]]["name"], "snippets": list(a["snippets"]),
        "edition_added": a["edition"], "filler": a["filler"], "body": list(a["body"]),
    }


def articles(edition: int, *, edited_at: datetime | str | None = None,
             extra_articles: int = 0) -> list[dict]:
    """Ground truth of an edition, newest first: path (= url_path), title, authors,
    published, modified (None unless edited; for edition 2 the edit time, ``edited_at``,
    which only a running instance knows: see ``Site.articles()``), section (key),
    section_name, snippets, edition_added, filler, body (the paragraphs)."""
    stamp = iso_utc(edited_at) if edited_at is not None else None
    return [truth(a) for a in edition_stories(edition, stamp, extra_articles)]


def section_pages(section: str, edition: int, extra_articles: int = 0) -> int:
    count = sum(a["section"] == section for a in edition_stories(edition, None, extra_articles))
    return max(1, math.ceil(count / PER_PAGE))


def LISTING_PATHS(edition: int, extra_articles: int = 0) -> list[str]:
    """The pages that list stories: home, every section page, the feed and the sitemap."""
    return ["/", *(section_url(s, p) for s in SECTIONS
                   for p in range(1, section_pages(s, edition, extra_articles) + 1)),
            "/feed.xml", "/sitemap.xml"]


class Edition:
    """One edition's stories and the indexes the pages need."""

    def __init__(self, number: int, edited_at: str | None, extra: int):
        self.number = number
        self.stories = edition_stories(number, edited_at, extra)
        self.by_path = {a["path"]: a for a in self.stories}
        self.by_section = {s: [a for a in self.stories if a["section"] == s] for s in SECTIONS}

    def pages(self, section: str) -> int:
        return max(1, math.ceil(len(self.by_section[section]) / PER_PAGE))

    def older_in_section(self, a: dict, count: int = 3) -> list[dict]:
        same = self.by_section[a["section"]]
        i = same.index(a)
        return same[i + 1:i + 1 + count]
