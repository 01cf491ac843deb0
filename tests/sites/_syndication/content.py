"""What the four outlets publish (``data/syndication.json``): the outlets, the wire story
and each outlet's copy of it, their own stories, and which stories an edition has."""

from __future__ import annotations

import re
from datetime import datetime

from tests.sites.pages import load_data

_DATA = load_data("syndication")

AGENCY: str = _DATA["agency"]
WIRE: dict = _DATA["wire"]
OUTLETS: dict[str, dict] = {o["key"]: o for o in _DATA["outlets"]}
HOME_COUNT = 4  # the home page lists the newest stories; the sections list them all
EDITED_KEY = "coastline-gasworks"
REPUBLISHED_KEY = "herald-wire-again"
HTML = "text/html; charset=utf-8"

# How each outlet's copy of the wire story differs from the wire's text. The cut copy
# keeps the first six of the eight paragraphs (a page that ran out of room).
WIRE_CUT = 6


_SPELT_OUT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "'": None, "£": None})


def slugify(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower().translate(_SPELT_OUT)).strip("-")


def _wire_body(story: dict) -> list[str]:
    body = WIRE["body"]
    variant = story["wire"]
    if variant == "exact":
        return list(body)
    if variant == "intro":
        return [story["intro"], *body]
    if variant == "cut":
        return body[:WIRE_CUT]
    raise ValueError(f"{story['key']}: no wire variant {variant!r}")


def _resolved(number: int, story: dict) -> dict:
    """A story with everything a page needs: title, body, published, language, path."""
    outlet = OUTLETS[story["outlet"]]
    out = dict(story)
    out.setdefault("edition", 1)
    out.setdefault("language", outlet["language"].split("-")[0])
    out.setdefault("modified", None)
    if story["role"] == "wire":
        out.setdefault("title", WIRE["title"])
        out.setdefault("published", WIRE["published"])
        out["body"] = _wire_body(story)
    published = datetime.fromisoformat(out["published"])
    out["path"] = outlet["path"].format(section=out["section"], date=published,
                                        slug=out.get("slug") or slugify(out["title"]),
                                        number=70412 + 37 * number)
    return out


STORIES: list[dict] = [_resolved(i, s) for i, s in enumerate(_DATA["stories"])]
BY_KEY: dict[str, dict] = {s["key"]: s for s in STORIES}


def edition_stories(outlet: str, edition: int, edited_at: str | None) -> list[dict]:
    """An outlet's stories in an edition, newest first; edition 2 adds the republished
    wire story and edits ``EDITED_KEY`` (its title and a paragraph, modified at
    ``edited_at``)."""
    if edition not in (1, 2):
        raise ValueError(f"no edition {edition!r}: 1 or 2")
    out = []
    for story in STORIES:
        if story["outlet"] != outlet or story["edition"] > edition:
            continue
        if edition == 2 and story["key"] == EDITED_KEY:
            story = edited(story, edited_at)
        out.append(story)
    return sorted(out, key=lambda s: datetime.fromisoformat(s["published"]), reverse=True)


def edited(story: dict, at: str | None) -> dict:
    edit = story["edit"]
    body = list(story["body"])
    body[edit["paragraph"]] = edit["text"]
    return {**story, "title": edit["title"], "body": body, "modified": at}
