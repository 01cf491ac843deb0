"""The news web as data: sites, their articles, and what each simulated hour changes.

Everything is drawn from one seed, so a web rebuilt with the same seed publishes and
edits the same articles in the same hours. Only timestamps come from the clock: an
event of hour H is dated when the web is advanced to H (the wall clock then), because
the crawler decides what to re-check by its own clock, comparing a sitemap's
``<lastmod>`` with when it last looked. Pages are not stored; they are rendered from
this model on demand (see ``pages`` and ``feeds``).
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field

from bench._newsweb.faults import DOWN, UP, FaultPlan, plan_faults
from bench._newsweb.prose import LANGUAGES, VOCABULARIES

TEMPLATES = ("jsonld", "opengraph", "legacy")
FIRST_NET = 64  # sites live on 127.64.0.0/10: 127.64-95.x.y, "www" aliases on 127.96-127.x.y
ALIAS_OFFSET = 32
HOSTS_PER_NET = 250
#: How many articles a site publishes an hour, and has at hour 0, by size.
SIZES = (("big", 0.05, (3, 10), (30, 50)), ("medium", 0.20, (0, 3), (12, 20)),
         ("small", 1.0, (0, 2), (5, 10)))
EDITS_PER_HOUR = 0.3  # chance that a site edits a recent article this hour
RECENT_HOURS = 24  # an edit touches an article at most this old
BACK_CATALOGUE_HOURS = 36  # hour-0 articles were published over the last 36 hours


@dataclass
class Article:
    site: int
    number: int  # within its site, from 1
    section: str
    published_hour: int
    published_at: float  # unix time
    edits: list[tuple[int, float]] = field(default_factory=list)  # (hour, unix time)

    @property
    def version(self) -> int:
        return 1 + len(self.edits)

    @property
    def modified_at(self) -> float:
        return self.edits[-1][1] if self.edits else self.published_at


@dataclass
class Site:
    index: int
    address: str  # 127.X.Y.Z
    alias: str | None  # a second address that redirects here, or None
    language: str
    template: str
    size: str
    sections: tuple[str, ...]
    feed_kind: str  # "rss" or "atom"
    crawl_delay: float  # robots.txt Crawl-delay, 0 for none
    disallow: tuple[str, ...]  # robots.txt Disallow paths (the site still links to them)
    faults: FaultPlan
    publish_range: tuple[int, int]
    articles: list[Article] = field(default_factory=list)
    port: int = 0  # set when the server has bound the address

    @property
    def name(self) -> str:
        return f"site{self.index:04d}"

    @property
    def base(self) -> str:
        return f"http://{self.address}:{self.port}"

    @property
    def alias_base(self) -> str | None:
        return f"http://{self.alias}:{self.port}" if self.alias else None

    def newest(self, count: int) -> list[Article]:
        return sorted(self.articles, key=lambda a: (a.published_at, a.number),
                      reverse=True)[:count]


def address(index: int, *, alias: bool = False) -> str:
    net = FIRST_NET + index // HOSTS_PER_NET + (ALIAS_OFFSET if alias else 0)
    return f"127.{net}.0.{index % HOSTS_PER_NET + 1}"


class World:
    """N sites and their articles, advanced one simulated hour at a time."""

    def __init__(self, sites: int, seed: int = 1,
                 faults: dict[int, FaultPlan] | None = None,
                 aliases: tuple[int, ...] = ()) -> None:
        self.seed = seed
        self.hour = -1
        self.advanced_at: dict[int, float] = {}
        rng = random.Random(seed)
        plans = plan_faults(sites, rng)
        for index, plan in (faults or {}).items():
            plans[index] = plan
        self.sites = [self._site(index, plans[index], rng) for index in range(sites)]
        for index in aliases:  # forced, for tests
            self.sites[index].alias = address(index, alias=True)

    def _site(self, index: int, plan: FaultPlan, rng: random.Random) -> Site:
        language = LANGUAGES[index % len(LANGUAGES)]
        draw = rng.random()
        size, publish_range = next((name, rates) for name, share, rates, _ in SIZES
                                   if draw < share or name == "small")
        robots = rng.random()
        crawl_delay = float(rng.randint(1, 3)) if robots < 0.10 else 0.0
        disallow = ("/print/", "/search") if 0.05 <= robots < 0.35 else ()
        sections = tuple(VOCABULARIES[language].sections[:rng.randint(2, 4)])
        return Site(index=index, address=address(index),
                    alias=address(index, alias=True) if rng.random() < 0.10 else None,
                    language=language, template=TEMPLATES[index % len(TEMPLATES)],
                    size=size, sections=sections, feed_kind=rng.choice(("rss", "atom")),
                    crawl_delay=crawl_delay, disallow=disallow, faults=plan,
                    publish_range=publish_range)

    def site_status(self, site: Site, hour: int | None = None) -> str:
        return site.faults.status(self.hour if hour is None else hour)

    def is_up(self, site: Site) -> bool:
        return self.site_status(site) != DOWN

    def advance(self, hour: int, now: float | None = None) -> dict[str, int]:
        """Publish and edit every hour up to ``hour``; what changed, counted."""
        counts = {"published": 0, "edited": 0}
        while self.hour < hour:
            self.hour += 1
            stamp = time.time() if now is None else now
            self.advanced_at[self.hour] = stamp
            for site in self.sites:
                rng = random.Random(f"{self.seed}/{site.index}/{self.hour}")
                if self.hour == 0:
                    counts["published"] += self._back_catalogue(site, rng, stamp)
                    continue
                counts["published"] += self._publish(site, rng, stamp)
                counts["edited"] += self._edit(site, rng, stamp)
        return counts

    def _back_catalogue(self, site: Site, rng: random.Random, now: float) -> int:
        low, high = next(start for name, _, _, start in SIZES if name == site.size)
        count = rng.randint(low, high)
        for _ in range(count):
            age = rng.uniform(0.1, BACK_CATALOGUE_HOURS) * 3600
            self._add(site, rng, 0, now - age)
        return count

    def _publish(self, site: Site, rng: random.Random, now: float) -> int:
        count = rng.randint(*site.publish_range)
        if site.size == "small" and rng.random() < 0.5:
            count = 0  # most small sites publish nothing in a given hour
        for offset in range(count):
            # A few seconds apart, all after the last crawl and none in the future.
            self._add(site, rng, self.hour, now - offset)
        return count

    def _add(self, site: Site, rng: random.Random, hour: int, published_at: float) -> None:
        site.articles.append(Article(site.index, len(site.articles) + 1,
                                     rng.choice(site.sections), hour, published_at))

    def _edit(self, site: Site, rng: random.Random, now: float) -> int:
        if rng.random() >= EDITS_PER_HOUR:
            return 0
        recent = [a for a in site.articles
                  if a.published_hour < self.hour and now - a.published_at < RECENT_HOURS * 3600
                  and not (a.edits and a.edits[-1][0] == self.hour)]
        if not recent:
            return 0
        rng.choice(recent).edits.append((self.hour, now))
        return 1

    def truth(self, urls: dict[tuple[int, int], str]) -> dict:
        """The ground truth the benchmark scores a crawl against (``urls`` maps
        (site, number) to the article's URL)."""
        return {
            "hour": self.hour,
            "advanced_at": self.advanced_at,
            "sites": [{"name": s.name, "index": s.index, "base": s.base,
                       "alias": s.alias_base, "language": s.language,
                       "template": s.template, "size": s.size, "feed": s.feed_kind,
                       "crawl_delay": s.crawl_delay, "disallow": list(s.disallow),
                       "fault": s.faults.kind, "retry_after": s.faults.retry_after,
                       "status_by_hour": [s.faults.status(h) for h in range(self.hour + 1)],
                       "up_by_hour": [s.faults.status(h) != DOWN
                                      for h in range(self.hour + 1)]}
                      for s in self.sites],
            "articles": [{"site": a.site, "url": urls[(a.site, a.number)],
                          "published_hour": a.published_hour,
                          "edits": [hour for hour, _ in a.edits]}
                         for s in self.sites for a in s.articles],
        }


__all__ = ["DOWN", "UP", "Article", "Site", "World", "address"]
