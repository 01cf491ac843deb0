"""What the Courier's pages say: its articles, members' stories, people and static
texts (from ``data/discovery_channels.json``), its sections, and which story is
listed where."""

from __future__ import annotations

import re
import secrets
from datetime import datetime

from tests.sites.pages import load_data

_DATA = load_data("discovery_channels")

SITE = "The Tarrowdale Courier"
TAGLINE = "Kellsbridge, the Tarrow valley and the high moor since 1858"
FOOTER_NOTE = ("© 2026 Tarrowdale Newspapers Ltd, 14 Sheep Street, Kellsbridge. "
               "Registered in England no. 00418822.")
NEWSLETTER = "Get the Courier Morning Round-up free in your inbox every weekday at 6.30am."
COOKIE = "The Courier uses cookies to remember your settings and to count its readers."
MEMBERS_PITCH = "Support local reporting: become a Courier member from £4 a month."

PEOPLE: dict[str, dict] = _DATA["people"]  # name -> slug, role, bio

SECTIONS: dict[str, dict] = {
    "local": dict(name="Local", kind="og",
                  blurb="Councils, courts, schools and transport in Kellsbridge and "
                        "the valley."),
    "business": dict(name="Business", kind="og", feed="/feeds/business.atom",
                     feed_type="application/atom+xml",
                     blurb="Shops, farms, quarries and the people who run them."),
    "countryside": dict(name="Countryside", kind="ld", feed="/feeds/countryside.rdf",
                        feed_type="application/rss+xml",
                        blurb="The moor, the river, wildlife and farming."),
    "arts": dict(name="Arts & Life", kind="og",
                 blurb="Music, theatre, film, books and heritage."),
}
PER_PAGE = 2

# ============================================================================ articles
# channel: "section" (listed on section pages), "feed" (only in one feed: ``feed``),
# "sitemap" (only in the news sitemap), "old" (2019, only in the 2019 archive sitemap).
# kind: "og" (Open Graph + article:published_time) or "ld" (JSON-LD NewsArticle, no og).
ARTICLES: list[dict] = _DATA["articles"]

# Two members-only stories under /members/ (robots.txt disallows it), linked from the
# home page. They look like articles and must never be fetched; not ground truth.
MEMBERS: list[dict] = _DATA["members"]

ABOUT: list[str] = _DATA["about"]
CONTACT: list[str] = _DATA["contact"]
PRIVACY: list[str] = _DATA["privacy"]
NOTICES: list[str] = _DATA["notices"]


def slugify(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower().replace("'", "")).strip("-")


for _a in ARTICLES:
    _a["path"] = f"/news/{_a['section']}/{_a['id']}/{slugify(_a['title'])}"
    _a["kind"] = SECTIONS[_a["section"]]["kind"]
for _m in MEMBERS:
    _m["kind"] = "og"

BY_KEY: dict[str, dict] = {a["key"]: a for a in ARTICLES}

# ============================================================================ helpers

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def moment(iso: str) -> datetime:
    return datetime.fromisoformat(iso)


def newest_first(items: list[dict]) -> list[dict]:
    return sorted(items, key=lambda a: moment(a["published"]), reverse=True)


def human_date(iso: str, *, with_time: bool = True) -> str:
    d = moment(iso)
    text = f"{DAYS[d.weekday()]} {d.day} {MONTHS[d.month - 1]} {d.year}"
    if not with_time:
        return text
    hour = d.hour % 12 or 12
    return f"{text}, {hour}.{d.minute:02d}{'am' if d.hour < 12 else 'pm'}"


def author_url(name: str) -> str:
    return f"/people/{PEOPLE[name]['slug']}"


def names(authors: list[str]) -> str:
    return authors[0] if len(authors) == 1 else ", ".join(authors[:-1]) + " and " + authors[-1]


def teaser(a: dict, words: int = 24) -> str:
    return " ".join(a["body"][0].split()[:words]) + "…"


def lastmod(a: dict) -> str:
    return a.get("modified", a["published"])


def sid() -> str:
    return secrets.token_hex(12)


def jsid() -> str:
    return secrets.token_hex(16).upper()


def section_stories(section: str) -> list[dict]:
    return newest_first([a for a in ARTICLES
                         if a["channel"] == "section" and a["section"] == section])


def section_pages(section: str) -> int:
    return max(1, -(-len(section_stories(section)) // PER_PAGE))


def section_url(section: str, page: int = 1) -> str:
    if page == 1:
        return f"/sections/{section}/"
    if section == "arts":
        return f"/sections/arts/page/{page}/"
    return f"/sections/{section}/?page={page}"


# Stories on the first page of their section listing; only these are linked from other
# pages (home, "Most read", topic and people pages). The rest need the pagination.
SHALLOW: list[dict] = [a for s in SECTIONS for a in section_stories(s)[:PER_PAGE]]
DEEP: list[dict] = [a for s in SECTIONS for a in section_stories(s)[PER_PAGE:]]
TOP_STORIES = ["L1", "A1", "C1", "B1"]
MOST_READ = ["L2", "B2", "A2", "C2", "L1"]
POPULAR_SEARCHES = ["bypass", "parking", "curlew", "brass band"]
TAGS: list[str] = sorted({t for a in ARTICLES + MEMBERS for t in a["tags"]})


def most_read(a: dict) -> list[dict]:
    return [BY_KEY[k] for k in MOST_READ if k != a["key"]][:4]
