"""The "Ledger Features" CMS ("ld"): a JSON-LD @graph, odd class names, a cookie banner,
ad slots and "Most popular"; no og or <article>."""

from __future__ import annotations

import json

from tests.sites._cms_generations.content import (
    AD_TEXT,
    BY_KEY,
    COOKIE,
    FOOTER_NOTE,
    MOST_POPULAR,
    PEOPLE,
    SECTIONS,
    SITE,
    author_url,
    excerpt,
    human_date,
)
from tests.sites.pages import esc


def ld_person(name: str, base: str) -> dict:
    return {"@type": "Person", "name": name, "url": base + author_url(name)}


def render_ld_article(a: dict, base: str) -> str:
    url = base + a["path"]
    org = {"@type": "NewsMediaOrganization", "@id": base + "/#organization", "name": SITE,
           "url": base + "/", "logo": {"@type": "ImageObject",
                                       "url": base + "/static/ledger-logo.png"}}
    site = {"@type": "WebSite", "@id": base + "/#website", "url": base + "/", "name": SITE,
            "publisher": {"@id": base + "/#organization"}}
    crumbs = {"@type": "BreadcrumbList", "@id": url + "#breadcrumb", "itemListElement": [
        {"@type": "ListItem", "position": 1, "name": "Home", "item": base + "/"},
        {"@type": "ListItem", "position": 2, "name": "Features", "item": base + "/features/"},
        {"@type": "ListItem", "position": 3, "name": a["title"]}]}
    page = {"@type": "WebPage", "@id": url, "url": url, "name": a["title"] + " · Ledger Features",
            "isPartOf": {"@id": base + "/#website"}, "breadcrumb": {"@id": url + "#breadcrumb"},
            "datePublished": a["published"], "dateModified": a["modified"]}
    graph = [site, org, crumbs, page]
    if a["ld_author"] == "single":
        author = ld_person(a["authors"][0], base)
    elif a["ld_author"] == "list":
        author = [ld_person(n, base) for n in a["authors"]]
    else:  # Yoast-style references to Person nodes elsewhere in the graph
        author = []
        for n in a["authors"]:
            pid = f"{base}/#/schema/person/{PEOPLE[n]['slug']}"
            author.append({"@id": pid})
            graph.append({"@type": "Person", "@id": pid, "name": n,
                          "url": base + author_url(n),
                          "description": PEOPLE[n]["bio"][:140]})
    graph.append({
        "@type": a["ld_type"], "@id": url + "#article", "isPartOf": {"@id": url},
        "mainEntityOfPage": {"@id": url}, "headline": a["title"], "description": a["dek"],
        "datePublished": a["published"], "dateModified": a["modified"], "author": author,
        "publisher": {"@id": base + "/#organization"}, "articleSection": "Features",
        "wordCount": sum(len(p.split()) for p in a["body"]), "inLanguage": "en-GB",
        "image": [base + "/static/img/" + a["key"].lower() + "-1200.jpg"]})
    ld = json.dumps({"@context": "https://schema.org", "@graph": graph}, ensure_ascii=False,
                    indent=1)
    names = " &amp; ".join(f'<a class="zz-by__name" href="{author_url(n)}">{esc(n)}</a>'
                           for n in a["authors"])
    paragraphs = [f'<p class="qz-para">{esc(p)}</p>' for p in a["body"]]
    paragraphs.insert(2, (
        '<div class="bx-slot bx-slot--inread" data-slot="inread-1" aria-hidden="true">'
        f'<span class="bx-label">Advertisement</span><div class="bx-note">{AD_TEXT}</div>'
        '</div>'))
    popular = "".join(
        f'<li class="mp-item"><span class="mp-rank">{i}</span><a href="{BY_KEY[k]["path"]}">'
        f'{esc(BY_KEY[k]["title"])}</a></li>'
        for i, k in enumerate((k for k in MOST_POPULAR if k != a["key"]), start=1))
    keep = "".join(
        f'<li class="kr-card"><a href="{BY_KEY[k]["path"]}"><span class="kr-title">'
        f'{esc(BY_KEY[k]["title"])}</span></a><span class="kr-dek">'
        f'{esc(BY_KEY[k].get("dek") or excerpt(BY_KEY[k], 14))}</span></li>'
        for k in a["related"])
    menu = "".join(f'<li><a href="/{s}/">{esc(n)}</a></li>' for s, n in SECTIONS.items())
    pub, mod = a["published"], a["modified"]
    updated = ""
    if mod != pub:
        updated = f' · Updated {human_date(mod, short=True)}, {mod[11:16]}'
    return f"""<!doctype html>
<html lang="en-GB" class="lx">
<head>
<meta charset="utf-8">
<title>{esc(a["title"])} · Ledger Features</title>
<meta name="viewport" content="width=device-width">
<meta name="description" content="{esc(a["dek"])}">
<link rel="canonical" href="{esc(url)}">
<script type="application/ld+json">
{ld}
</script>
<link rel="stylesheet" href="/static/lx.4f9a1c.css">
</head>
<body class="lx-body lx-body--story">
<div class="kk-consent" role="dialog" aria-label="Cookie consent"><p class="kk-consent__text">
{esc(COOKIE)}</p><button class="kk-btn">Accept all</button><button class="kk-btn kk-btn--ghost">
Only necessary</button></div>
<div class="lx-topbar"><a class="lx-logo" href="/">{SITE}</a>
<ul class="lx-menu">{menu}</ul>
</div>
<div class="bx-slot bx-slot--leader" data-slot="leader">
<span class="bx-label">Advertisement</span></div>
<div class="lx-grid">
<main class="lx-shell" role="main">
<ol class="lx-crumbs"><li><a href="/">Home</a></li><li><a href="/features/">Features</a></li>
<li>{esc(a["title"])}</li></ol>
<div class="zz-head">
<p class="zz-kicker"><a href="/{a["section"]}/">{SECTIONS[a["section"]]}</a></p>
<h1 class="zz-hed">{esc(a["title"])}</h1>
<p class="zz-dek">{esc(a["dek"])}</p>
<div class="zz-meta"><span class="zz-by">Words by {names}</span>
<span class="zz-when">Published {human_date(pub, short=True)}{updated}</span></div>
</div>
<div class="qz-flow"><div class="qz-copy">
{chr(10).join(paragraphs)}
</div></div>
<div class="zz-kr"><h2 class="zz-kr__title">Keep reading</h2><ul>{keep}</ul></div>
</main>
<aside class="lx-rail">
<div class="mp-box"><h3 class="mp-title">Most popular</h3><ol class="mp-list">{popular}</ol></div>
<div class="bx-slot bx-slot--mpu" data-slot="mpu"><span class="bx-label">Advertisement</span></div>
</aside>
</div>
<div class="lx-foot"><p>{esc(FOOTER_NOTE)}</p><p><a href="/about-us/">About</a> ·
<a href="/contact/">Contact</a> · <a href="/privacy-policy/">Privacy</a> ·
<a href="/corrections-policy/">Corrections</a></p></div>
</body>
</html>
"""
