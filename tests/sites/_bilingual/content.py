"""What the Bote's pages say: its articles, authors, gallery and legal texts (from
``data/bilingual.json``), its fixed strings, and the helpers every template uses."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

from tests.sites.pages import load_data

_DATA = load_data("bilingual")


def enc_path(path: str) -> str:
    """Percent-encode a path the way WordPress writes permalinks (upper-case hex)."""
    return quote(path, safe="/?=&-._~")



WP_AUTHORS: dict[str, list[str]] = _DATA["wp_authors"]  # name -> [slug, bio]
ARTICLES: list[dict] = _DATA["articles"]
BY_KEY = {a["key"]: a for a in ARTICLES}
for _a in ARTICLES:
    if _a["kind"] == "bare":
        _a["path"] = f"/meldung.php?nr={_a['nr']}"

GALLERY: dict = _DATA["gallery"]
IMPRESSUM: list[str] = _DATA["impressum"]
DATENSCHUTZ: list[str] = _DATA["datenschutz"]
INTERN_PLAN: list[str] = _DATA["intern_plan"]  # the text of the INTERN page

WITHDRAWN = "/lokales/stadtrat-streitet-über-parkgebühren/"
INTERN = "/intern/redaktionsplanung-kw-24.html"

# ================================================================ shared fragments

SITE_DE = "Lahnfurter Bote"
SHARE = "Teilen Sie diesen Artikel"
NEWSLETTER_HEAD = "Newsletter abonnieren"
NEWSLETTER = ("Jeden Morgen um sechs die wichtigsten Nachrichten aus Lahnfurt und dem "
              "Lahntal in Ihrem Postfach.")
RELATED_HEAD = "Das könnte Sie auch interessieren"
COMMENT_NOTE = "Ihre E-Mail-Adresse wird nicht veröffentlicht."
WP_FOOTER = ("Lahnfurter Bote – unabhängige Lokalzeitung für Lahnfurt und das obere Lahntal "
             "seit 1889")
COOKIE = ("We use cookies to measure how our English service is used. Wir verwenden Cookies, "
          "um die Nutzung unseres Angebots zu messen.")
MOST_READ_EN = "Most read this week"
MOST_READ_DE = "Meistgelesen diese Woche"
LD_FOOTER = "Lahnfurt Courier is the English-language service of the Lahnfurter Bote"
BARE_FOOT = "(c) 1998-2024 Lahnfurter Bote - Alle Rechte vorbehalten - Webmaster: Udo Pfeiffer"
BARE_NAV_NOTE = "Pegelstand Lahn heute: 2,31 m - Wassertemperatur Freibad: 21 Grad"


def excerpt(a: dict, words: int = 18) -> str:
    return " ".join(a["body"][0].split()[:words]) + " […]"


def join_de(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " und " + names[-1]


def join_en(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


MONTHS_DE = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
             "September", "Oktober", "November", "Dezember"]
MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December"]


def de_date(iso: str) -> str:
    d = date.fromisoformat(iso[:10])
    return f"{d.day}. {MONTHS_DE[d.month - 1]} {d.year}"


def en_date(iso: str) -> str:
    d = date.fromisoformat(iso[:10])
    return f"{d.day} {MONTHS_EN[d.month - 1]} {d.year}, {iso[11:16]}"

