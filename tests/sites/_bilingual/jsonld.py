"""The JSON-LD CMS ("ld"): English and German versions of a story linked by hreflang,
under a theme that hard-codes <html lang="de">."""

from __future__ import annotations

import json

from tests.sites._bilingual.content import (
    ARTICLES,
    BY_KEY,
    COOKIE,
    LD_FOOTER,
    MOST_READ_DE,
    MOST_READ_EN,
    de_date,
    en_date,
    excerpt,
    join_de,
    join_en,
)
from tests.sites.pages import esc


def ld_page(title: str, body: str, *, head: str = "", page_lang: str = "en") -> str:
    home = "/en/" if page_lang == "en" else "/de/"
    most = MOST_READ_EN if page_lang == "en" else MOST_READ_DE
    popular = [a for a in ARTICLES if a["kind"] == "ld" and a["lang"] == page_lang][:3]
    popular_html = "".join(f'<li><a href="{a["path"]}">{esc(a["title"])}</a></li>'
                           for a in popular)
    # The theme hard-codes lang="de" for every page, English or German.
    return f"""<!doctype html>
<html lang="de">
<head>
<meta charset="utf-8">
<title>{esc(title)} | Lahnfurt Courier</title>
<meta name="description" content="{esc(title)}">
{head}
<link rel="stylesheet" href="/assets/courier.css">
</head>
<body>
<div class="lc-cookie" role="dialog"><p>{esc(COOKIE)}</p><button>OK</button></div>
<div class="lc-top"><a class="lc-logo" href="{home}">Lahnfurt Courier</a>
<ul class="lc-menu"><li><a href="/en/">English</a></li><li><a href="/de/">Deutsch</a></li>
<li><a href="/">Lahnfurter Bote</a></li></ul></div>
<div class="lc-grid">
<div class="lc-col-main">{body}</div>
<div class="lc-col-side"><div class="lc-box"><h4>{most}</h4><ol>{popular_html}</ol></div></div>
</div>
<div class="lc-bottom"><p>{esc(LD_FOOTER)}.</p>
<p><a href="/impressum/">Impressum</a> | <a href="/datenschutz/">Datenschutz</a></p></div>
</body>
</html>"""


def render_ld_article(a: dict, base: str) -> str:
    url = base + a["path"]
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": a["title"],
        "inLanguage": a["in_language"],
        "datePublished": a["published"],
        "dateModified": a["modified"],
        "author": [{"@type": "Person", "name": n} for n in a["authors"]],
        "publisher": {"@type": "NewsMediaOrganization", "name": "Lahnfurter Bote",
                      "logo": {"@type": "ImageObject", "url": base + "/assets/logo.png"}},
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "image": [base + "/assets/photos/" + a["key"].lower() + ".jpg"],
        "isAccessibleForFree": True,
    }
    head = [f'<link rel="canonical" href="{url}">',
            '<script type="application/ld+json">'
            + json.dumps(data, ensure_ascii=False).replace("</", "<\\/") + "</script>"]
    switch = ""
    if a.get("pair"):
        other = BY_KEY[a["pair"]]
        head.append(f'<link rel="alternate" hreflang="{a["lang"]}" href="{url}">')
        head.append(f'<link rel="alternate" hreflang="{other["lang"]}" '
                    f'href="{base + other["path"]}">')
        en = a if a["lang"] == "en" else other
        head.append(f'<link rel="alternate" hreflang="x-default" href="{base + en["path"]}">')
        label = ("Diesen Artikel auf Deutsch lesen" if a["lang"] == "en"
                 else "Read this story in English")
        switch = (f'<div class="lc-lang"><a href="{other["path"]}" hreflang="{other["lang"]}">'
                  f'{label}: {esc(other["title"])}</a></div>')
    if a["lang"] == "en":
        byline = f'By {esc(join_en(a["authors"]))}'
        when = en_date(a["published"])
    else:
        byline = f'Von {esc(join_de(a["authors"]))}'
        when = de_date(a["published"]) + ", " + a["published"][11:16] + " Uhr"
    stand = f'<p class="lc-standfirst">{esc(a["standfirst"])}</p>' if a["standfirst"] else ""
    text = "".join(f"<p>{esc(p)}</p>" for p in a["body"])
    body = f"""<div class="lc-story">
<div class="lc-kicker">{"News" if a["lang"] == "en" else "Nachrichten"}</div>
<h1 class="lc-headline">{esc(a['title'])}</h1>
{stand}
<div class="lc-meta"><span class="lc-authors">{byline}</span>
<span class="lc-when">{when}</span></div>
{switch}
<div class="lc-text">{text}</div>
<div class="lc-ad"><span>Anzeige</span><div id="ad-slot-mid"></div></div>
</div>"""
    return ld_page(a["title"], body, head="\n".join(head), page_lang=a["lang"])


def ld_index(page_lang: str) -> str:
    items = [a for a in ARTICLES if a["kind"] == "ld" and a["lang"] == page_lang]
    items.sort(key=lambda a: a["published"], reverse=True)
    lis = "".join(
        f'<div class="lc-teaser"><h2><a href="{a["path"]}">{esc(a["title"])}</a></h2>'
        f'<p>{esc(a["standfirst"] or excerpt(a))}</p></div>' for a in items)
    title = "News in English" if page_lang == "en" else "Nachrichten"
    return ld_page(title, f'<h1>{title}</h1>{lis}', page_lang=page_lang)
