"""A light news site, unlike ``bench/newssite.py``: ~8 KB pages of a small regional
paper's own template (a flat ``<div id="page">`` layout, no JSON-LD, the byline and
date in a ``<p class="meta">``, articles at ``/news/YYYY/MM/DD/slug-N/`` with no
``.html``), linked from paginated topic listings. Its prose comes from its own small
word list, so no two articles say the same thing.

Deterministic: the same ``articles`` and ``seed`` give the same bytes.
"""

from __future__ import annotations

import datetime
import random
from html import escape

from bench._newssite.site import HTML, Page
from bench._throughput.listing import ROBOTS, home_page, listing_pages

SITE_NAME = "Dunmore Valley Courier"
TOPICS = (("council", "Council"), ("schools", "Schools"), ("sport", "Sport"),
          ("business", "Business"), ("weather", "Weather"), ("community", "Community"))
_NEWEST = datetime.date(2026, 11, 30)
_WORDS = """
council harbour river valley school bridge market farmer museum library station road
festival season committee budget plan residents street mayor volunteers club match
league coach players final weekend storm rainfall flooding repairs contract builder
shop owners visitors tourism trail park garden hall concert teachers pupils exams
results funding grant charity appeal hospital clinic nurses ambulance police officers
court hearing witness decision vote members proposal objection planning housing estate
homes tenants rent prices jobs factory workers union talks agreement delay traffic
parking buses timetable service passengers ferry crossing harbourmaster boats fishing
catch quota weather forecast frost sunshine morning evening afternoon crowd families
children elderly neighbours village town county region district history anniversary
celebration exhibition artists painting gallery theatre production rehearsal audience
new old local small large second final early late strong quiet busy record annual
said told agreed warned announced confirmed expected opened closed started finished
raised collected welcomed praised criticised delayed approved rejected reviewed visited
""".split()
_NAMES = ("Aoife Brennan", "Tom Hargreaves", "Priya Nair", "Owen Matthews", "Clara Lindqvist",
          "Declan Moss", "Hana Kowalski", "Samuel Ortiz")


def build_light_site(articles: int = 2000, *, seed: int = 11) -> dict[str, Page]:
    """Every path -> Page: ``/``, ``/robots.txt``, ``/TOPIC/`` listings and
    ``articles`` article pages (``light_article_paths``)."""
    if articles < 1:
        raise ValueError(f"a site needs at least one article, not {articles}")
    rng = random.Random(seed)
    site: dict[str, Page] = {"/robots.txt": ROBOTS}
    links: dict[str, list[tuple[str, str]]] = {slug: [] for slug, _ in TOPICS}
    for n in range(articles):
        slug, topic = TOPICS[n % len(TOPICS)]
        day = _NEWEST - datetime.timedelta(days=n // 40)
        headline = _sentence(rng, 6, 11).rstrip(".")
        words = "-".join(headline.lower().split()[:6])
        path = f"/news/{day:%Y/%m/%d}/{words}-{n}/"
        site[path] = _article(rng, headline, topic, day)
        links[slug].append((path, headline))
    for slug, topic in TOPICS:
        site.update(listing_pages(slug, topic, links[slug], site_name=SITE_NAME))
    site["/"] = home_page(TOPICS, site_name=SITE_NAME)
    return site


def light_article_paths(site: dict[str, Page]) -> list[str]:
    return sorted(p for p in site if p.startswith("/news/"))


def _sentence(rng: random.Random, shortest: int, longest: int) -> str:
    words = rng.choices(_WORDS, k=rng.randint(shortest, longest))
    return " ".join(words).capitalize() + "."


def _article(rng: random.Random, headline: str, topic: str, day: datetime.date) -> Page:
    author = rng.choice(_NAMES)
    paragraphs = "\n".join(
        "<p>" + " ".join(_sentence(rng, 9, 22) for _ in range(rng.randint(3, 5))) + "</p>"
        for _ in range(rng.randint(11, 15)))
    menu = "".join(f'<li><a href="/{slug}/">{escape(name)}</a></li>' for slug, name in TOPICS)
    body = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{escape(headline)} - {SITE_NAME}</title>
<meta name="description" content="{escape(_sentence(rng, 12, 18))}">
<meta name="author" content="{author}">
<meta property="og:title" content="{escape(headline)}">
<meta property="og:type" content="article">
</head>
<body class="story">
<div id="page">
<div id="masthead"><a class="brand" href="/">{SITE_NAME}</a>
<span class="tagline">News from the valley since 1898</span></div>
<ul id="menu">{menu}</ul>
<div id="content">
<div class="kicker">{escape(topic)}</div>
<h1 class="headline">{escape(headline)}</h1>
<p class="meta">By <span class="byline">{author}</span> &middot;
<time datetime="{day.isoformat()}T{rng.randint(6, 21):02d}:{rng.randint(0, 59):02d}:00Z">
{day:%d %B %Y}</time></p>
<div class="storytext">
{paragraphs}
</div>
<p class="share">Share: <a href="https://twitter.invalid/share">Twitter</a>
<a href="https://facebook.invalid/share">Facebook</a></p>
</div>
<div id="sidebar"><h3>Contact the newsroom</h3>
<p>newsdesk@courier.invalid &middot; 01632 960 100</p></div>
<div id="footer">&copy; 2026 {SITE_NAME}. All rights reserved.</div>
</div>
</body></html>
"""
    return Page(HTML, body.encode("utf-8"))
