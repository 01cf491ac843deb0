"""The newer CMS ("ld"): one JSON-LD NewsArticle (author a string or an Organization),
a live-updates box, an embedded tweet, a paywall teaser and a "Most read" rail."""

from __future__ import annotations

import json

from tests.sites._odd_bylines.content import (
    AD_LABEL,
    BY_KEY,
    FOOTER_NOTE,
    LIVE_HEAD,
    LIVE_ITEMS,
    MOST_READ,
    NAV,
    NEWSLETTER,
    PAYWALL,
    SITE,
    ampm,
    excerpt,
    human_date,
    link_of,
)
from tests.sites.pages import esc


def ld_header() -> str:
    links = "".join(f'<a class="nav-link" href="{esc(h)}">{t}</a>' for t, h in NAV)
    return (f'<div class="top-strip"><span>Thursday edition</span> <a href="/subscribe/">'
            f'Subscribe</a></div><header class="masthead"><a class="masthead__logo" href="/">'
            f'{SITE}</a><nav class="masthead__nav">{links}</nav></header>')


def ld_footer() -> str:
    return (f'<footer class="site-foot"><div class="site-foot__links"><a href="/about/ethics-'
            f'policy/">Ethics policy</a> · <a href="/subscribe/">Subscribe</a> · <a href="/'
            f'obituaries/">Obituaries</a> · <a href="/2024/05/">Archive</a></div>'
            f'<p class="site-foot__legal">{esc(FOOTER_NOTE)}</p></footer>')


def render_ld_article(a: dict, base: str) -> str:
    url = base + a["path"]
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": a["title"],
        "description": excerpt(a, 25),
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "datePublished": a["published"],
        "dateModified": a["modified"],
        "author": a["ld_author"],
        "publisher": {"@type": "Organization", "name": SITE,
                      "logo": {"@type": "ImageObject", "url": base + "/static/logo.png"}},
        "image": [base + f"/static/img/{a['path'].strip('/').replace('/', '-')}.jpg"],
        "articleSection": a["kicker"],
        "isAccessibleForFree": False,
        "hasPart": {"@type": "WebPageElement", "isAccessibleForFree": False,
                    "cssSelector": ".story-text"},
    }
    og_type = '<meta property="og:type" content="website">' if a.get("og_website") else ""
    blocks = []
    for i, p in enumerate(a["body"]):
        blocks.append(f'<p class="story-text__graf">{esc(p)}</p>')
        if "tweet" in a and a["tweet"][0] == i:
            _, name, handle, status, when, text = a["tweet"]
            blocks.append(
                f'<div class="embed embed--twitter"><blockquote class="twitter-tweet" '
                f'data-dnt="true"><p lang="en" dir="ltr">{esc(text)}</p>&mdash; {esc(name)} '
                f'(@{handle}) <a href="https://twitter.com/{handle}/status/{status}?ref_src='
                f'twsrc%5Etfw">{when}</a></blockquote><script async src="https://platform.'
                f'twitter.com/widgets.js" charset="utf-8"></script></div>')
        if i == 1:
            blocks.append(f'<div class="ad-slot ad-slot--mid" data-slot="mid1"><span>'
                          f'{AD_LABEL}</span></div>')
    live = "".join(f'<li class="live-box__item"><time>{t}</time> {esc(x)}</li>'
                   for t, x in LIVE_ITEMS)
    most = "".join(f'<li><a href="{link_of(BY_KEY[k], "mostread")}">'
                   f'{esc(BY_KEY[k]["title"])}</a></li>' for k in MOST_READ if k != a["key"])
    pub, mod = a["published"], a["modified"]
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>{esc(a['title'])} | {SITE}</title>
<link rel="canonical" href="{url}">
<meta name="description" content="{esc(excerpt(a, 25))}">
<meta property="og:title" content="{esc(a['title'])}">
<meta property="og:url" content="{url}">
{og_type}
<meta property="og:site_name" content="{SITE}">
<script type="application/ld+json">{json.dumps(data)}</script>
<link rel="stylesheet" href="/static/app.css">
</head>
<body class="story-page">
<div id="app">
{ld_header()}
<div class="page-grid">
 <div class="main-col">
  <div class="kicker"><a href="{a['section']}">{esc(a['kicker'])}</a></div>
  <h1 class="headline">{esc(a['title'])}</h1>
  <div class="byline-row"><span class="byline">{esc(a['byline'])}</span>
   <span class="timestamp">Published {human_date(pub)} at {ampm(pub)} EDT
   | Updated {human_date(mod)} at {ampm(mod)} EDT</span></div>
  <aside class="live-box"><div class="live-box__label">LIVE</div>
   <h3 class="live-box__title">{LIVE_HEAD}</h3><ul>{live}</ul>
   <a href="/news/local/">See all updates</a></aside>
  <div class="story-text" data-qa="article-body">
{chr(10).join(blocks)}
  </div>
  <div class="paywall-teaser"><p><strong>{PAYWALL}</strong> with unlimited digital access for
   $1 a week. <a href="/subscribe/">See subscription options</a></p></div>
  <div class="newsletter-box"><h4>The Register Daily Brief</h4><p>{esc(NEWSLETTER)}, every
   weekday at 6 a.m.</p><form action="/subscribe/"><input type="email" name="email">
   <button>Sign me up</button></form></div>
 </div>
 <div class="rail"><h3 class="rail__title">Most read</h3><ol class="rail__list">{most}</ol>
 </div>
</div>
{ld_footer()}
</div>
</body>
</html>"""
