"""The ``extra_articles`` filler stories, generated from per-kind sentence pools with
random people, places and numbers (seeded by index, so the same N always gives the same
stories). The vocabulary is in ``data/changing_editions.json``."""

from __future__ import annotations

import random
import re
import threading
from datetime import datetime, timedelta
from typing import Any

from tests.sites._changing_editions.content import DAYS, MONTHS, SECTIONS, STAFF, STORIES
from tests.sites.pages import load_data

_WORDS_OF = load_data("changing_editions")["filler_vocabulary"]
_WOMEN: list[str] = _WORDS_OF["women"]
_MEN: list[str] = _WORDS_OF["men"]
_LAST: list[str] = _WORDS_OF["last"]
_PLACES: list[str] = _WORDS_OF["places"]
_ROADS: list[str] = _WORDS_OF["roads"]
_PUBS: list[str] = _WORDS_OF["pubs"]
_CAUSES: list[str] = _WORDS_OF["causes"]
_CROPS: list[str] = _WORDS_OF["crops"]
_BIRDS: list[list[str]] = _WORDS_OF["birds"]  # [singular, plural]
_ANIMALS: list[str] = _WORDS_OF["animals"]
_RACES: list[list] = _WORDS_OF["races"]  # [race, fastest, slowest minutes]
# kind -> [section, [[title, lead], ...], [body sentences]]
_KINDS: dict[str, list] = _WORDS_OF["kinds"]
_SECTION_POOL: dict[str, list[str]] = _WORDS_OF["section_pool"]
_COMMON_POOL: list[str] = _WORDS_OF["common_pool"]
_WORDS = ["four", "five", "six", "seven"]


def _filler_vars(rng: random.Random) -> dict[str, Any]:
    """Everything a template may name; five people with different first and last names
    (``woman`` and ``man`` for the sentences with a pronoun)."""
    women, men = rng.sample(_WOMEN, 3), rng.sample(_MEN, 3)
    people = [women[0], men[0], women[1], men[1]]
    rng.shuffle(people)
    firsts = [*people[:3], women[2], men[2]]
    lasts = rng.sample(_LAST, 5)
    person, person2, person3, woman, man = (f"{f} {s}" for f, s in zip(firsts, lasts,
                                                                        strict=True))
    place, place2 = rng.sample(_PLACES, 2)
    race, fastest, slowest = rng.choice(_RACES)
    crop = rng.choice(_CROPS)
    bird, birds = rng.choice(_BIRDS)
    club, club2 = rng.sample(_PLACES, 2)
    return dict(
        place=place, place2=place2, person=person, person2=person2, person3=person3,
        woman=woman, man=man, surname=rng.choice(_LAST), road=rng.choice(_ROADS),
        pub=rng.choice(_PUBS), cause=rng.choice(_CAUSES), crop=crop, Crop=crop.capitalize(),
        bird=bird, birds=birds, animal=rng.choice(_ANIMALS), race=race,
        club=f"{club} United", club2=f"{club2} Town", goals=rng.choice(_WORDS),
        homes=rng.randrange(12, 160, 4), count=f"{rng.randint(120, 4800):,}",
        small=rng.randint(60, 640), n=rng.randint(3, 19), rank=rng.randint(4, 16),
        age=rng.randint(9, 88), old=rng.randint(70, 91), percent=rng.randint(3, 41),
        weeks=rng.randint(2, 9),
        year=rng.randint(1968, 2022), hectares=rng.randrange(40, 900, 10),
        money=f"£{rng.randint(12, 980) * 10:,}", big_money=f"£{rng.randint(11, 480) * 1000:,}",
        minute=rng.randint(2, 44), minutes=rng.randint(fastest, slowest),
        seconds=rng.randint(10, 59),
        runs=rng.randint(240, 960), wickets=rng.randint(8, 61), founded=rng.randint(50, 99),
        members=rng.randint(3, 12) * 10, day=rng.choice(DAYS), month=rng.choice(MONTHS),
    )


FILLER_NEWEST = "2026-11-10T18:40:00+00:00"  # older than every edition-1 story
FILLER_STEP = timedelta(hours=5, minutes=13)
_KINDS_BY_SECTION = {s: [k for k, v in _KINDS.items() if v[0] == s] for s in SECTIONS}
_AUTHORS_BY_SECTION = {s: [n for n, p in STAFF.items() if p["section"] == s] for s in SECTIONS}
_FILLER_CACHE: list[dict] = []
_FILLER_LOCK = threading.Lock()


def _make_filler(i: int, titles: set[str], seen: set[str]) -> dict:
    section = list(SECTIONS)[i % len(SECTIONS)]
    published = datetime.fromisoformat(FILLER_NEWEST) - i * FILLER_STEP
    for attempt in range(200):
        rng = random.Random(f"fenmarsh-filler-{i}-{attempt}")
        kind = rng.choice(_KINDS_BY_SECTION[section])
        _, heads, pool = _KINDS[kind]
        v = _filler_vars(rng)
        title_t, lead_t = rng.choice(heads)
        title = title_t.format(**v)
        if title in titles:
            continue
        sentences = [s.format(**v) for s in rng.sample(pool, len(pool))]
        extra = [s.format(**v) for s in _SECTION_POOL[section] + _COMMON_POOL]
        rng.shuffle(extra)
        sentences += extra[:rng.randint(3, 6)]
        lead = lead_t.format(**v)
        body = [lead + " " + sentences.pop(0)]
        for _ in range(rng.randint(3, 5)):
            take = rng.randint(2, 3)
            body.append(" ".join(sentences[:take]))
            del sentences[:take]
            if not sentences:
                break
        while len(" ".join(body).split()) < 130 and sentences:
            body[-1] += " " + sentences.pop(0)
        body = [p for p in body if p]
        # distinctive: the lead and a sentence naming a person, both unseen so far
        named = [s for p in body[1:] for s in _sentences(p)
                 if any(v[k] in s for k in ("person", "person2", "person3", "woman", "man",
                                               "place2"))]
        snippets = [lead, *named[:1]]
        if len(snippets) < 2 or any(s in seen for s in snippets):
            continue
        titles.add(title)
        seen.update(snippets)
        authors = rng.sample(_AUTHORS_BY_SECTION[section], rng.choice([1, 1, 1, 2]))
        return dict(key=f"X{i + 1}", section=section, edition=1, place=v["place"],
                    title=title, authors=authors, published=published.isoformat(),
                    body=body, snippets=snippets, filler=True)
    raise RuntimeError(f"could not make filler story {i}")


def _sentences(paragraph: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z\"£])", paragraph) if s]


def fillers(n: int) -> list[dict]:
    """The first ``n`` filler stories (internal records, newest first)."""
    with _FILLER_LOCK:
        if len(_FILLER_CACHE) < n:
            titles = {a["title"] for a in _FILLER_CACHE} | {a["title"] for a in STORIES}
            seen = {s for a in _FILLER_CACHE for s in a["snippets"]}
            for i in range(len(_FILLER_CACHE), n):
                _FILLER_CACHE.append(_make_filler(i, titles, seen))
        return [dict(a) for a in _FILLER_CACHE[:n]]


