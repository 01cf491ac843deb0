"""The event calendar, the home page and listings, and every page of the site by path."""

from __future__ import annotations

from datetime import date, timedelta

from tests.sites._bilingual.content import (
    ARTICLES,
    BY_KEY,
    DATENSCHUTZ,
    GALLERY,
    IMPRESSUM,
    INTERN,
    INTERN_PLAN,
    WITHDRAWN,
    WP_AUTHORS,
    de_date,
    enc_path,
    excerpt,
)
from tests.sites._bilingual.jsonld import ld_index, render_ld_article
from tests.sites._bilingual.legacy import bare_list, render_bare_article
from tests.sites._bilingual.wordpress import (
    render_gallery,
    render_wp_article,
    wp_archive,
    wp_list_item,
    wp_page,
    wp_static,
)
from tests.sites.pages import esc

CAL_FIRST, CAL_LAST = date(2024, 6, 1), date(2024, 6, 21)
EVENTS = [
    ("10:00", "Wochenmarkt auf dem Schillerplatz", "Obst, Gemüse und Blumen aus der Region."),
    ("15:00", "Stadtführung durch die Altstadt", "Treffpunkt am Rathaus, Dauer etwa 90 Minuten."),
    ("19:30", "Offenes Singen im Gemeindehaus", "Für alle, die gern singen. Noten liegen aus."),
    ("18:00", "English conversation evening", "Café im Willkommenszentrum, all levels welcome."),
    ("20:00", "Kinoabend im Kulturbahnhof", "Gezeigt wird ein Dokumentarfilm über die Lahn."),
    ("09:30", "Seniorengymnastik im Bürgerhaus", "Bitte bequeme Kleidung mitbringen."),
    ("17:00", "Repair-Café in der Stadtbibliothek", "Ehrenamtliche reparieren Toaster und Räder."),
]


def calendar_page(d: date) -> str:
    picks = [EVENTS[(d.day + i * 3) % len(EVENTS)] for i in range(3)]
    items = "".join(f'<li class="event"><span class="time">{t} Uhr</span> '
                    f'<strong>{esc(n)}</strong><p>{esc(desc)}</p></li>' for t, n, desc in picks)
    tipp = ""
    if d == date(2024, 6, 15):
        tipp = ('<div class="tipp"><h2>Termin-Tipp</h2><p>Am Samstag feiert die Unterstadt ihr '
                'Uferfest mit Livemusik, Entenrennen und einem Flohmarkt entlang der Uferstraße. '
                'Der Erlös geht an die Jugendfeuerwehr, die in diesem Jahr ein neues Boot für '
                'Einsätze bei Hochwasser anschaffen möchte.</p></div>')
    pager = []
    if d > CAL_FIRST:
        prev = d - timedelta(days=1)
        pager.append(f'<a class="prev" rel="prev" href="/termine/{prev.isoformat()}/">'
                     f'&laquo; {prev.strftime("%d.%m.")}</a>')
    if d < CAL_LAST:
        nxt = d + timedelta(days=1)
        pager.append(f'<a class="next" rel="next" href="/termine/{nxt.isoformat()}/">'
                     f'{nxt.strftime("%d.%m.")} &raquo;</a>')
    title = f"Termine am {de_date(d.isoformat())}"
    body = (f'<main id="main" class="site-main events"><h1 class="page-title">{title}</h1>'
            f'{tipp}<ul class="event-list">{items}</ul>'
            f'<nav class="day-nav">{" ".join(pager)}</nav></main>')
    return wp_page(title, body, body_class="page events-day")


def build_pages(base: str) -> dict[str, tuple[bytes, str]]:
    """Map of unquoted request target -> (body bytes, content type)."""
    pages: dict[str, tuple[bytes, str]] = {}
    utf8 = "text/html; charset=UTF-8"

    def put(path: str, markup: str, ctype: str = utf8) -> None:
        pages[path] = (markup.encode("utf-8"), ctype)

    wp = [a for a in ARTICLES if a["kind"] == "wp"]
    for a in wp:
        put(a["path"], render_wp_article(a, base))
    put(GALLERY["path"], render_gallery(base))
    for a in ARTICLES:
        if a["kind"] == "ld":
            put(a["path"], render_ld_article(a, base))
        elif a["kind"] == "bare":
            ctype = "text/html; charset=iso-8859-1" if a["charset_header"] else "text/html"
            pages[a["path"]] = (render_bare_article(a).encode("iso-8859-1"), ctype)
    pages["/meldungen.php"] = (bare_list().encode("iso-8859-1"), "text/html")

    # home page
    top = BY_KEY["W1"]
    home = f"""<main id="main" class="site-main home">
<section class="top-story"><h2><a href="{enc_path(top['path'])}?pk_campaign=startseite">
{esc(top['title'])}</a></h2><p>{esc(excerpt(top, 30))}</p></section>
<section class="teasers">{wp_list_item(BY_KEY['W2'])}{wp_list_item(BY_KEY['W4'])}
<article class="post"><h2><a href="{enc_path(GALLERY['path'])}">{esc(GALLERY['title'])}</a>
</h2></article></section>
<section class="in-english"><h2>In English</h2><ul>
<li><a href="{BY_KEY['L5en']['path']}">{esc(BY_KEY['L5en']['title'])}</a></li>
<li><a href="{BY_KEY['L1en']['path']}">{esc(BY_KEY['L1en']['title'])}</a></li>
<li><a href="/en/">More news in English</a></li></ul></section>
<section class="service"><h2>Service</h2><ul>
<li><a href="/termine/2024-06-11/">Termine heute</a></li>
<li><a href="/meldungen.php">Pressemeldungen der Stadt</a></li>
<li><a href="meldung.php?nr={BY_KEY['B4']['nr']}">{esc(BY_KEY['B4']['title'])}</a></li>
</ul></section></main>"""
    put("/", wp_page("Startseite", home, body_class="home blog",
                     head='<meta property="og:type" content="website">'))

    # Lokales with pagination: newest three on page 1
    lokales = sorted([a for a in wp if a["section"] == "lokales"] + [GALLERY],
                     key=lambda a: a["published"], reverse=True)
    page1, page2 = lokales[:3], lokales[3:]
    put("/lokales/", wp_archive(
        "Lokales", "".join(wp_list_item(a) if "body" in a else
                           f'<article class="post"><h2 class="entry-title"><a href="'
                           f'{enc_path(a["path"])}">{esc(a["title"])}</a></h2></article>'
                           for a in page1),
        head='<link rel="next" href="/lokales/seite/2/">',
        pager='<a class="next page-numbers" href="/lokales/seite/2/">Ältere Beiträge</a>'))
    withdrawn = (f'<article class="post"><h2 class="entry-title"><a href="{enc_path(WITHDRAWN)}">'
                 'Stadtrat streitet über Parkgebühren</a></h2></article>')
    put("/lokales/seite/2/", wp_archive(
        "Lokales – Seite 2", "".join(wp_list_item(a) if "body" in a else "" for a in page2)
        + withdrawn,
        head='<link rel="prev" href="/lokales/">',
        pager='<a class="prev page-numbers" href="/lokales/">Neuere Beiträge</a>'))

    # Kultur: served as text/html without any charset and no <meta charset>, and it
    # links its article with a raw UTF-8 href (not percent-encoded).
    w3 = BY_KEY["W3"]
    kultur = wp_archive("Kultur", (
        f'<article class="post type-post"><h2 class="entry-title"><a href="{w3["path"]}">'
        f'{esc(w3["title"])}</a></h2><div class="entry-summary"><p>{esc(excerpt(w3, 30))}'
        f'</p></div></article>'))
    kultur = kultur.replace('<meta charset="UTF-8">\n', "")
    put("/kultur/", kultur, "text/html")

    put("/sport/", wp_archive("Sport", wp_list_item(BY_KEY["W4"])))

    tags: dict[str, list[dict]] = {}
    for a in wp:
        for t in a["tags"]:
            tags.setdefault(t, []).append(a)
    tags["hochwasser"].append(GALLERY)
    for t, items in tags.items():
        put(f"/thema/{t}/", wp_archive(
            f"Thema: {t.capitalize()}",
            "".join(wp_list_item(a) if "body" in a else
                    f'<article class="post"><h2><a href="{enc_path(a["path"])}">'
                    f'{esc(a["title"])}</a></h2></article>' for a in items)))

    for name, (slug, bio) in WP_AUTHORS.items():
        mine = sorted((a for a in wp if name in a["authors"]), key=lambda a: a["published"],
                      reverse=True)[:1]  # a "Neuester Beitrag" box, not a full archive
        put(f"/autor/{slug}/", wp_archive(
            f"Autor: {name}", f'<div class="author-bio"><p>{esc(bio)}</p></div>'
            + "".join(wp_list_item(a) for a in mine)))

    put("/impressum/", wp_static("Impressum", IMPRESSUM))
    put("/datenschutz/", wp_static("Datenschutz", DATENSCHUTZ, stand="Stand: 01.05.2024"))
    put("/en/", ld_index("en"))
    put("/de/", ld_index("de"))

    d = CAL_FIRST
    while d <= CAL_LAST:
        put(f"/termine/{d.isoformat()}/", calendar_page(d))
        d += timedelta(days=1)

    intern_head = ('<meta property="og:type" content="article">'
                   '<meta property="article:published_time" content="2024-06-10T08:00:00+02:00">')
    put(INTERN, wp_page("Redaktionsplanung KW 24", (
        '<main id="main"><article class="post"><h1 class="entry-title">Redaktionsplanung '
        'KW 24</h1><span class="byline">Von Martin Rösler</span><div class="entry-content">'
        + "".join(f"<p>{esc(p)}</p>" for p in INTERN_PLAN)
        + "</div></article></main>"), head=intern_head))
    return pages
