"""What the Gazette's pages say: its stories and about text (from
``data/changing_editions.json``), the edit edition 2 makes to F3, its staff and
sections, and the helpers every page uses."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from tests.sites.pages import load_data

_DATA = load_data("changing_editions")

SITE = "The Fenmarsh Gazette"
TAGLINE = "News for Fenmarsh, the Levels and the Lode since 1871"
FOOTER_NOTE = ("© 2026 Fenmarsh Gazette Ltd, 9 Sheep Market, Fenmarsh. "
               "Published every Thursday in print and every day online.")
NEWSLETTER = "Get the Gazette's Fen Letter, our free weekday email, every morning at 7am."
PRINT_PROMO = "The Gazette is in the shops every Thursday: 24 pages for £1.20."

# ============================================================================ people

STAFF: dict[str, dict] = {
    "Harriet Quinlan": dict(role="Chief reporter", section="town"),
    "Owen Maddox": dict(role="Local democracy reporter", section="town"),
    "Ruth Akinola": dict(role="Courts and community reporter", section="town"),
    "Priya Raman": dict(role="Fens and farming correspondent", section="fens"),
    "Gideon Tull": dict(role="Environment reporter", section="fens"),
    "Lottie Barnes": dict(role="Sports editor", section="sport"),
    "Declan Fairweather": dict(role="Sports reporter", section="sport"),
}

SECTIONS: dict[str, dict] = {
    "town": dict(name="Town", blurb="Councils, courts, housing, shops and transport "
                                    "in Fenmarsh and the villages around it."),
    "fens": dict(name="Fens & Farming", blurb="The land, the water and the people "
                                              "who farm the Levels."),
    "sport": dict(name="Sport", blurb="Football, rugby, rowing, skating and everything "
                                      "else played on and around the fen."),
}
PER_PAGE = 3
HOME_COUNT = 6
FEED_COUNT = 8
ROBOTS_MODIFIED = "2026-01-05T09:00:00+00:00"
ABOUT_MODIFIED = "2026-03-02T10:30:00+00:00"

# ============================================================================ stories
# edition: the edition that adds the story. place: the dateline.
STORIES: list[dict] = _DATA["stories"]
ABOUT: list[str] = _DATA["about"]

DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
HTML = "text/html; charset=utf-8"


EDITED_KEY = "F3"
REMOVED_SNIPPET = ("Board members voted on Tuesday to raise the drainage rate by 14 per cent "
                   "from April, the first increase in six years.")
EDIT_SNIPPET = ("Board members voted on Tuesday to raise the drainage rate by 4 per cent from "
                "April, adding about £3 a year to the bill for a typical household.")
CORRECTION_SNIPPET = ("The increase agreed by the board is 4 per cent, and we apologise for "
                      "the error.")
CORRECTION = ("Correction: An earlier version of this article said that the drainage rate "
              "would rise by 14 per cent. " + CORRECTION_SNIPPET)


def edited_body(body: list[str]) -> list[str]:
    assert body[1].startswith(REMOVED_SNIPPET)
    changed = (EDIT_SNIPPET + " It is the first increase in six years. The board maintains 310 "
               "kilometres of drains and eleven pumping stations, which lift water from fields "
               "lying below sea level into the tidal river.")
    return [body[0], changed, *body[2:], CORRECTION]


# ============================================================================ helpers

def moment(iso: str) -> datetime:
    return datetime.fromisoformat(iso)


def slugify(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower().replace("'", "").replace("£", "")
                  ).strip("-")


def article_path(a: dict) -> str:
    d = moment(a["published"])
    return f"/{d:%Y/%m/%d}/{slugify(a['title'])}/"


def section_url(section: str, page: int = 1) -> str:
    return f"/section/{section}/" if page == 1 else f"/section/{section}/page/{page}/"


def human_date(iso: str, *, with_time: bool = True) -> str:
    d = moment(iso)
    text = f"{DAYS[d.weekday()]} {d.day} {MONTHS[d.month - 1]} {d.year}"
    if not with_time:
        return text
    return f"{text}, {d.hour % 12 or 12}.{d.minute:02d}{'am' if d.hour < 12 else 'pm'}"


def names(authors: list[str]) -> str:
    return authors[0] if len(authors) == 1 else ", ".join(authors[:-1]) + " and " + authors[-1]


def teaser(a: dict, words: int = 28) -> str:
    first = a["body"][0].split()
    return " ".join(first) if len(first) <= words else " ".join(first[:words]) + "…"


def lastmod(a: dict) -> str:
    return a.get("modified") or a["published"]


def newest_first(items: list[dict]) -> list[dict]:
    return sorted(items, key=lambda a: moment(a["published"]), reverse=True)


def staff_anchor(name: str) -> str:
    return "/about/#" + slugify(name)


def iso_utc(when: datetime | str) -> str:
    d = moment(when) if isinstance(when, str) else when
    if d.tzinfo is None:
        raise ValueError(f"a time with a zone is needed: {when!r}")
    return d.astimezone(UTC).replace(microsecond=0).isoformat()


for _a in STORIES:
    _a["path"] = article_path(_a)
    _a["filler"] = False

BY_KEY: dict[str, dict] = {a["key"]: a for a in STORIES}
EDITED_PATH: str = BY_KEY[EDITED_KEY]["path"]
NEW_IN_EDITION_2: list[str] = [a["path"] for a in newest_first(STORIES) if a["edition"] == 2]
NEWEST_PUBLISHED: str = max((a["published"] for a in STORIES), key=moment)
STATIC_PATHS: list[str] = ["/about/", "/robots.txt"]
