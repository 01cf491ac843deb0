"""What the Register's pages say: its articles, people, obituaries and static texts
(from ``data/odd_bylines.json``), its fixed strings, and the helpers every template
uses."""

from __future__ import annotations

from tests.sites.pages import load_data

_DATA = load_data("odd_bylines")

SITE = "Millbrook Daily Register"
WIRE = "Associated Wire"

PEOPLE: dict[str, dict] = _DATA["people"]  # name -> slug, bio
ARTICLES: list[dict] = _DATA["articles"]
BY_KEY = {a["key"]: a for a in ARTICLES}
BARE = [a for a in ARTICLES if a["kind"] == "bare"]
OBITUARIES: list[list[str]] = _DATA["obituaries"]  # [name line, text]
SUBSCRIBE: list[str] = _DATA["subscribe"]
ETHICS: list[str] = _DATA["ethics"]

FOOTER_NOTE = "© 2024 Tamsen Valley Media LLC. All rights reserved."
TAGLINE = "News for Millbrook and the Tamsen Valley since 1889"
SIGNUP_HEAD = "Sign up for our morning briefing"
SIGNUP_TEXT = "The Register's newsletter delivers the day's top local stories by 6 a.m."
STICKY = "Unlimited digital access for $1 a week"
STICKY2 = "Already a subscriber? Log in"
COMMENT_LINK = "Join the conversation"
REPLY = "Your email address will not be published. Required fields are marked"
LIVE_HEAD = "Live updates: Ashgrove County budget hearings"
LIVE_ITEMS = [
    ("9:02 a.m.", "Hearing on the sheriff's office budget moved to Thursday at the request of "
                  "commissioners."),
    ("8:40 a.m.", "Parks director asks for two more seasonal lifeguards at Quarry Lake."),
    ("8:15 a.m.", "Commissioners open day two of budget hearings with a moment of silence."),
]
PAYWALL = "Subscribers can read more of the Register's reporting on Ashgrove County"
NEWSLETTER = "Get the Register Daily Brief: the five stories Millbrook is talking about"
AD_LABEL = "ADVERTISEMENT - story continues below"
WEATHER = "Partly cloudy, high of 64, low of 41"
PRINT_LINK = "Printer-friendly version"
LEGACY_FOOT = "Copyright 1996-2024 Millbrook Daily Register. All rights reserved."
LEGACY_MAST = "Serving Ashgrove County since 1889"
MOST_READ = ["W3", "L5", "W5", "L1", "B3"]

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]


def sort_key(a: dict) -> str:
    """Local date and time as a sortable string (good enough for listing order)."""
    value = a.get("local") or a["published"]
    return value[:16]


def human_date(iso: str) -> str:
    y, m, d = iso[:10].split("-")
    return f"{MONTHS[int(m) - 1]} {int(d)}, {y}"


def ampm(iso: str) -> str:
    hh, mm = int(iso[11:13]), iso[14:16]
    suffix = "a.m." if hh < 12 else "p.m."
    return f"{(hh - 1) % 12 + 1}:{mm} {suffix}"


def author_url(name: str) -> str:
    return f"/author/{PEOPLE[name]['slug']}/"


def words(text: str, n: int) -> str:
    parts = text.split()
    return " ".join(parts[:n]) + (" …" if len(parts) > n else "")


def excerpt(a: dict, n: int = 30) -> str:
    return words(" ".join(a["body"]), n)


def link_of(a: dict, ref: str | None = None) -> str:
    return a["path"] + (f"?ref={ref}" if ref and a["kind"] == "ld" else "")


def newest_first(items: list[dict]) -> list[dict]:
    return sorted(items, key=sort_key, reverse=True)


# the menu of the WordPress and the newer templates' mastheads and the legacy left column
NAV = [("Local", "/news/local/"), ("Business", "/news/business/"), ("Nation", "/news/nation/"),
       ("Sports", "/sports/high-school/"), ("County", "/stories/list?section=county"),
       ("Obituaries", "/obituaries/"), ("Subscribe", "/subscribe/")]
