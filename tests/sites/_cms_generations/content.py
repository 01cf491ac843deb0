"""What the Ledger's pages say: its articles, people and static texts (from
``data/cms_generations.json``), its fixed strings, and the helpers every template uses."""

from __future__ import annotations

from tests.sites.pages import load_data

_DATA = load_data("cms_generations")

PEOPLE: dict[str, dict] = _DATA["people"]  # name -> slug, bio

# kind: "wp" (WordPress-like, og + rel=author), "ld" (JSON-LD @graph), "bare" (legacy table)
ARTICLES: list[dict] = _DATA["articles"]
BY_KEY = {a["key"]: a for a in ARTICLES}

ABOUT: list[str] = _DATA["about"]
PRIVACY: list[str] = _DATA["privacy"]
CORRECTIONS: list[str] = _DATA["corrections"]
CONTACT: list[str] = _DATA["contact"]

SITE = "The Harbour Ledger"
FOOTER_NOTE = "© 2024 Calloway Media Cooperative Ltd. Registered society no. 8817."
NEWSLETTER = "Get the Tide Table briefing in your inbox every weekday at 7am."
COOKIE = ("We use cookies to understand how you read the Ledger and to keep the lights on. "
          "You can change your mind at any time in Settings.")
AD_TEXT = "Story continues below this advertisement"
TIDES = "Tides today: high water 06:12 and 18:37, low water 00:05 and 12:24"
CLASSIFIED = "FOR SALE: 18ft clinker dinghy with oars and trailer, needs some work, offers."
LEGACY_FOOT = "Copyright 2024 Harbour Ledger. Reproduction without permission prohibited."
SHARE = "Share on WhatsApp"
MOST_POPULAR = ["A1", "C2", "B3", "A6", "B1"]

SECTIONS = {
    "harbour": "Harbour", "economy": "Economy", "environment": "Environment",
    "features": "Features", "archive": "From the archive",
}

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]


def human_date(iso: str, short: bool = False) -> str:
    year, month, day = int(iso[:4]), int(iso[5:7]), int(iso[8:10])
    if short:
        return f"{day} {MONTHS[month - 1][:3]} {year}"
    return f"{MONTHS[month - 1]} {day}, {year}"


def join_names(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def author_url(name: str) -> str:
    return f"/author/{PEOPLE[name]['slug']}/"


def excerpt(article: dict, words: int = 28) -> str:
    tokens = " ".join(article["body"]).split()
    return " ".join(tokens[:words]) + " […]"

