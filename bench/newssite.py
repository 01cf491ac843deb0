"""A synthetic news website held in memory, and a cheap HTTP server for it.

``bench/crawl_throughput.py`` crawls this site to measure the crawler's CPU per
page, so the site has to cost what a real one costs: article pages of 40–120 KB
in the chrome of a newspaper CMS (three templates, so it is not one page
repeated), prose that does not repeat, JSON-LD and Open Graph metadata, and
every article reachable from ``/`` through paginated section listings.

The server shares the crawler's two cores, so it does next to nothing per
request: every response is rendered up front, written once to a spool file the
server process maps into memory, and each request costs a dict lookup and one
``send`` of a slice of that map.

    python bench/newssite.py --check              # build, serve, fetch everything, report
    python bench/newssite.py --serve --articles 500   # look at it in a browser

Everything is deterministic: the same ``articles`` and ``seed`` give the same
bytes. Dates are fixed (the newest story is from November 2026), not relative
to today. Besides the site, the server answers ``GET /__served__`` (``SERVED_PATH``)
with the number of requests it has answered so far, so a benchmark can follow a
crawl's progress from outside.

The module holds one idea (a site to benchmark against) in four parts: the
vocabulary and the writer of prose, the three page templates, the site's
assembly, and the server; the brief asked for one self-contained file.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ctypes
import http.client
import inspect
import json
import mmap
import os
import pickle
import random
import re
import select
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from typing import IO

__all__ = ["SERVED_PATH", "Page", "article_paths", "build_site", "serve"]

HTML = "text/html; charset=utf-8"
SITE_NAME = "The Daily Ledger"
# robots.txt and sitemaps must give absolute URLs, and the port is only known once the
# server listens: they are built with this origin, which the server replaces with the
# one the client asked for (its Host header). Nothing else carries an origin.
PLACEHOLDER_ORIGIN = "http://newssite.invalid"
#: Not a page of the site: the server answers it with how many requests it has answered
#: so far (this one's own kind not counted), so a benchmark can follow a crawl from outside.
SERVED_PATH = "/__served__"

_PER_PAGE = 25
_NEWEST = datetime(2026, 11, 20, 18, 30, tzinfo=UTC)
_SPAN = timedelta(days=730)
_GMT = timezone(timedelta(0), "GMT")
_BST = timezone(timedelta(hours=1), "BST")
_ARTICLE_PATH = re.compile(r"^/[a-z-]+/\d{4}/\d{2}/\d{2}/[a-z0-9-]+\.html$")


@dataclass(frozen=True)
class Page:
    content_type: str  # e.g. "text/html; charset=utf-8"
    body: bytes


# --- vocabulary --------------------------------------------------------------------------
# Every string below is free of '"', '<' and '&', so pages are assembled without escaping.


def _split(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(";") if part.strip())


@dataclass(frozen=True)
class _Section:
    slug: str
    label: str
    subsections: tuple[tuple[str, str], ...]
    topics: tuple[str, ...]
    orgs: tuple[str, ...]
    roles: tuple[str, ...]


def _section(slug: str, label: str, subsections: str, topics: str, orgs: str,
             roles: str) -> _Section:
    subs = tuple((pair.split("=")[0], pair.split("=")[1]) for pair in _split(subsections))
    return _Section(slug, label, subs, _split(topics), _split(orgs), _split(roles))


_SECTIONS = (
    _section(
        "world", "World",
        "europe=Europe; americas=Americas; asia=Asia; africa=Africa; middle-east=Middle East",
        "ceasefire plan; border crossing; aid convoy; peace agreement; sanctions package;"
        " coalition government; refugee resettlement scheme; election observer mission;"
        " trade corridor; naval patrol; grain export deal; prisoner exchange;"
        " reconstruction fund; visa regime; regional summit; power-sharing deal",
        "the United Nations; the foreign ministry; the European Commission; the African Union;"
        " the Red Cross; the interior ministry; the opposition alliance",
        "foreign minister; UN envoy; senior diplomat; regional governor; aid coordinator;"
        " government spokesperson",
    ),
    _section(
        "politics", "Politics",
        "elections=Elections; parliament=Parliament; policy=Policy;"
        " local-government=Local government; analysis=Analysis",
        "spending review; planning reform; housing bill; leadership contest; budget vote;"
        " voter registration drive; boundary review; lobbying register; pension shake-up;"
        " childcare plan; tax cut; select committee inquiry; council tax freeze; by-election;"
        " cabinet reshuffle; welfare overhaul",
        "the Treasury; the opposition; the electoral commission; the cabinet office;"
        " the finance committee; the governing party; the city council",
        "chancellor; shadow minister; party chair; backbench MP; council leader;"
        " political strategist",
    ),
    _section(
        "business", "Business",
        "markets=Markets; economy=Economy; companies=Companies;"
        " personal-finance=Personal finance; energy=Energy",
        "interest rate decision; earnings forecast; bond sale; takeover bid; wage settlement;"
        " supply chain review; mortgage market; inflation report; share buyback;"
        " factory expansion; profit warning; pension fund merger; retail sales slump;"
        " gas price cap; jobs report; merger talks",
        "the central bank; Northwind Holdings; the competition regulator; Harbour Street Capital;"
        " the statistics office; Ferrovia Group; the chamber of commerce",
        "chief executive; chief economist; finance director; fund manager; market analyst;"
        " union negotiator",
    ),
    _section(
        "technology", "Technology",
        "ai=AI; gadgets=Gadgets; security=Security; startups=Start-ups; internet=Internet",
        "language model; data breach; chip shortage; app store policy; encryption debate;"
        " smartphone launch; cloud outage; ransomware attack; broadband rollout;"
        " content moderation policy; battery technology; satellite internet service;"
        " privacy policy; software update; online safety law; funding round",
        "Lumen Systems; the data protection authority; Parallax Labs; the telecoms regulator;"
        " Quillfeather; the national cyber security centre; Brightwave",
        "chief technology officer; security researcher; product manager; software engineer;"
        " venture capitalist; digital rights campaigner",
    ),
    _section(
        "science", "Science",
        "space=Space; climate=Climate; environment=Environment; physics=Physics;"
        " biology=Biology",
        "telescope survey; sea ice record; fossil discovery; gene-editing trial; rocket launch;"
        " coral survey; particle detector; drought forecast; carbon capture project;"
        " bird migration study; lunar mission; ocean warming study; wildfire season;"
        " peer-reviewed paper; field experiment; soil monitoring network",
        "the space agency; the university physics department; the met office;"
        " the natural history museum; the marine institute; the academy of sciences;"
        " the observatory",
        "lead author; planetary scientist; climate researcher; marine biologist;"
        " professor of physics; mission director",
    ),
    _section(
        "health", "Health",
        "medicine=Medicine; mental-health=Mental health; nutrition=Nutrition;"
        " public-health=Public health; research=Research",
        "waiting list target; vaccine programme; clinical trial; hospital funding;"
        " screening programme; GP appointment system; drug shortage; maternity review;"
        " mental health service; flu season; cancer treatment plan; pay offer for nurses;"
        " dementia research; prescription charge; air pollution study; diet guidance",
        "the health service; the medicines regulator; the royal college of nursing;"
        " the public health agency; St Aldric’s Hospital; the health department;"
        " the patients’ association",
        "consultant surgeon; chief medical officer; health secretary; senior nurse;"
        " epidemiologist; family doctor",
    ),
    _section(
        "sport", "Sport",
        "football=Football; tennis=Tennis; cricket=Cricket; athletics=Athletics;"
        " cycling=Cycling",
        "title race; transfer window; cup final; injury crisis; relegation battle;"
        " world record attempt; Test series; stage victory; qualifying round; doping inquiry;"
        " stadium expansion; coaching change; penalty shootout; home season; semi-final;"
        " season opener",
        "the football association; Riverside United; the national selectors; the league;"
        " the anti-doping agency; Eastfield Rovers; the tour organisers",
        "head coach; club captain; team manager; sporting director; former champion;"
        " match official",
    ),
    _section(
        "culture", "Culture",
        "film=Film; music=Music; books=Books; art=Art; television=Television",
        "film festival; album release; museum reopening; book prize shortlist; theatre season;"
        " streaming deal; gallery retrospective; concert tour; literary festival;"
        " box office run; drama series; poetry collection; arts funding round;"
        " opera production; debut novel; documentary premiere",
        "the national gallery; the arts council; Meridian Pictures;"
        " the broadcasting corporation; the book trust; the philharmonic orchestra;"
        " Lantern Records",
        "artistic director; film critic; curator; novelist; producer; festival director",
    ),
)

# Templates are filled by _Writer: {slot} draws from the pool of that name, {Slot}
# capitalises the draw, and a draw that holds slots is filled in turn.
_POOLS: dict[str, tuple[str, ...]] = {
    "place": _split(
        "Lisbon; Nairobi; Osaka; Valparaíso; Gdańsk; Leeds; Marseille; Toronto; Accra; Hanoi;"
        " Bergen; Seville; Adelaide; Cork; Bratislava; Quito; Manchester; Lyon; Tbilisi;"
        " Kraków; Porto; Durban; Glasgow; Bologna; Rotterdam; Montreal; Cardiff; Bristol;"
        " Tallinn; Ljubljana; Vilnius; Bilbao; Halifax; Perth; Dundee; Aarhus; Ghent; Trieste;"
        " Salzburg; Zagreb"),
    "first": _split(
        "Amelia; Tomás; Priya; Daniel; Chiara; Kwame; Helen; Yusuf; Sofia; Marcus; Ingrid;"
        " Ravi; Leila; Owen; Beatriz; Jonah; Mei; Patrick; Anika; Samuel; Freya; Mateo; Grace;"
        " Idris; Hannah; Luca; Nadia; Felix; Rosa; Elliot; Zara; Hugo; Maya; Callum; Irene;"
        " Theo; Alisha; Rowan; Elena; Kofi"),
    "last": _split(
        "Okafor; Lindqvist; Moreau; Fernández; Whitaker; Nakamura; Brennan; Haddad; Kowalski;"
        " Achterberg; Osei; Delacroix; Marsh; Petrov; Castellano; Byrne; Adeyemi; Holloway;"
        " Novak; Rahman; Sørensen; Quint; Albright; Mendes; Fitzgerald; Varga; Ashworth; Kaur;"
        " Lemaire; Ogunleye; Strand; Caldwell; Bianchi; Hargreaves; Mbeki; Rossi; Ellison;"
        " Tanaka; Duval; Keane"),
    "verb": _split(
        "announced; rejected; approved; delayed; criticised; defended; unveiled; questioned;"
        " expanded; suspended; welcomed; postponed; scrapped; revised; backed; challenged;"
        " confirmed; outlined; reviewed; extended; paused; funded; blocked; endorsed;"
        " investigated; downplayed; accelerated; reversed; tightened; relaxed"),
    "hverb": _split(
        "backs; rejects; delays; unveils; warns over; defends; scraps; revives; pauses;"
        " extends; reviews; questions; tightens; expands; abandons; doubles down on;"
        " signals shift on; faces pressure over; opens inquiry into; cuts funding for"),
    "adj": _split(
        "sweeping; long-awaited; controversial; modest; ambitious; fragile; unexpected;"
        " limited; renewed; costly; temporary; cautious; bold; contested; delayed; record;"
        " gradual; wide-ranging; narrow; unprecedented; fresh; sharp; quiet; significant;"
        " provisional; two-year; landmark; hard-fought; stalled; revised"),
    "time": _split(
        "on Monday; on Tuesday; on Wednesday; on Thursday; on Friday; over the weekend;"
        " last week; earlier this month; in recent months; since the spring; late on Sunday;"
        " this morning; in the past year; for the first time in a decade;"
        " after months of delay"),
    "conn": _split(
        "However,; Meanwhile,; Even so,; By contrast,; At the same time,; For now,; Still,;"
        " In practice,; Separately,; Until then,; In the meantime,; On paper,"),
    "month": _split(
        "January; February; March; April; May; June; July; August; September; October;"
        " November; December"),
    "small": _split("two; three; four; five; six; seven; eight; nine"),
    "ordinal": _split("second; third; fourth; fifth; sixth"),
    "year": tuple(str(year) for year in range(2009, 2026)),
    "num": tuple(str(n) for n in range(12, 990, 7)),
    "pct": tuple(f"{n / 10:.1f}%" for n in range(5, 400, 3)),
    "money": (*(f"£{n} million" for n in range(3, 900, 11)),
              *(f"€{n / 10:.1f}bn" for n in range(11, 300, 7))),
    "agency": _split("Reuters; AP; AFP; Getty Images; PA; EPA; Bloomberg"),
    "quote": _split(
        "We have been clear from the start that the {topic} needs a {adj} response;"
        " Nobody should be surprised by what happened {time};"
        " This is a {adj} moment, and we intend to get it right;"
        " The numbers simply do not add up, and people in {place} know it;"
        " We will keep talking, but our patience is not unlimited;"
        " It is too early to say what the {topic} will mean for families;"
        " There is a real risk that the {topic} becomes a distraction;"
        " I have never seen anything like it in {small} decades;"
        " We need to see the detail before we can support it;"
        " Frankly, the {topic} has been handled badly from the outset;"
        " Our priority is to make sure nobody is left behind;"
        " The evidence points in one direction, and we should follow it;"
        " This was never going to be quick or easy;"
        " People deserve a straight answer about the {topic};"
        " We are cautiously optimistic, but there is a long way to go"),
    "sentence": _split(
        "{Org} {verb} the {adj} {topic} {time}, according to people familiar with the matter.;"
        " {conn} {org} said the {topic} would be {verb} if costs rose by more than {pct}.;"
        " “{quote},” said {person}, {role} at {org}.;"
        " {person}, a {role} who has followed the {topic} closely, said the {adj} timetable"
        " left little room for error.;"
        " The {topic} is expected to cost about {money}, roughly {pct} more than first"
        " estimated.;"
        " Officials in {place} {verb} the plan {time}, saying it had been drawn up without"
        " proper consultation.;"
        " {conn} the {topic} has divided opinion in {place}, where {num} people signed a"
        " petition against it.;"
        " Figures published {time} showed a {pct} rise, the largest increase since {year}.;"
        " Asked whether the {topic} would go ahead, {person} said: “{quote}.”;"
        " {Org} has {verb} similar proposals before, most recently in {year}.;"
        " The decision follows a {adj} review of the {topic}, which found {num} cases where"
        " the rules had not been followed.;"
        " Supporters argue that the {topic} will bring {adj} benefits to {place} within"
        " {small} years.;"
        " {conn} critics warn that the {topic} could leave {org} exposed if demand falls.;"
        " A spokesperson for {org} declined to comment on the {topic}, but said a fuller"
        " statement would follow.;"
        " Around {num} people gathered outside the offices of {org} in {place} {time}.;"
        " The {topic} was first proposed in {year} and has been {verb} at least {small}"
        " times since.;"
        " {person} told reporters in {place} that the {topic} remained a priority.;"
        " Documents seen by this newspaper suggest that {org} {verb} the {topic} as early as"
        " {month} {year}.;"
        " {conn} the {adj} {topic} is unlikely to be settled before {month}.;"
        " Analysts at {org} estimate the {topic} could affect up to {num},000 households.;"
        " {Org} said it had {verb} its guidance after a {adj} rise in complaints.;"
        " The {topic} in {place} has become a test case for how similar schemes are run"
        " elsewhere.;"
        " When the plan was {verb} {time}, few expected the {topic} to attract so much"
        " attention.;"
        " {person}, {role} at {org}, said the figures were “{adj} but not surprising”.;"
        " It is the {ordinal} time this year that the {topic} has been {verb}.;"
        " Local businesses in {place} say they have yet to see any benefit from the {topic}.;"
        " {conn} {person} has called for an independent inquiry into the {topic}.;"
        " The latest data, covering the {small} months to {month}, point to a {adj}"
        " slowdown.;"
        " Under the proposals, the {topic} would be phased in over {small} years, starting"
        " in {place}.;"
        " {Org} {verb} the claims, calling them “{adj} and misleading”.;"
        " There was no immediate response from {org}, which has previously {verb} the"
        " {topic}.;"
        " Speaking in {place} {time}, {person} described the {topic} as “{adj}”.;"
        " {conn} the {topic} remains popular, with {pct} of those asked saying they back it"
        " in a recent poll.;"
        " Those close to the talks say a deal on the {topic} could be reached within weeks.;"
        " Behind the headlines, the {topic} has quietly reshaped how {org} works.;"
        " {conn} the cost of the {topic} has climbed to {money}, according to {org}.;"
        " In {place}, where the {topic} was tested first, {num} complaints were logged in"
        " {small} months.;"
        " {person}, who {verb} the original {topic}, said the {adj} changes went too far."),
    "linked": _split(
        "The dispute echoes <a href='{href}'>last year’s row over the {topic}</a>.;"
        " {Org} was criticised <a href='{href}'>earlier this year</a> for its handling of the"
        " {topic}.;"
        " As <a href='{href}'>we reported {time}</a>, the {topic} had already been {verb}"
        " once.;"
        " Similar concerns were raised during <a href='{href}'>the {topic} in {place}</a>.;"
        " {person} has written about <a href='{href}'>the {adj} {topic}</a> before."),
    "headline": _split(
        "{horg} {hverb} {adj} {topic}; {person} {hverb} {topic} amid {adj} criticism;"
        " Why {place} is watching the {topic}; What we know about the {topic} in {place};"
        " {Place} braces for {adj} {topic}; Inside the {adj} fight over the {topic};"
        " {horg} under pressure as {topic} is {verb}; {Topic} {verb} after {adj} talks in"
        " {place}; {small} questions about the {adj} {topic}; {horg} and {place} clash over"
        " {topic}"),
    "subhead": _split(
        "What happens next; A {adj} decision; The view from {place}; Counting the cost;"
        " Why it matters; A long road; The {topic} in numbers; Questions remain"),
    "caption": _split(
        "Protesters outside the offices of {org} in {place} {time}.;"
        " The {topic} has been under discussion since {year}.;"
        " {person}, {role} at {org}, in {place}.; A view of {place}, where the {topic} began.;"
        " Officials from {org} arrive for talks in {place}."),
    "commenter": _split(
        "quietriver; northernlight; {first}{num}; old_hand_{num}; pragmatist; {last}fan;"
        " skepticaltom; harbourview; {first}_in_{place}; midlandsmum; longtimereader"),
    "comment": _split(
        "Exactly what I expected from {org}.;"
        " Does anyone actually believe the {topic} will happen on time?;"
        " Lived in {place} for {small} decades and never seen it this bad.;"
        " Good reporting, but the piece skips over who pays for it.;"
        " “{quote}” – we have heard that one before.;"
        " The {topic} was always going to end like this.;"
        " Credit where it is due: this is a {adj} step forward.;"
        " I would like to know what {person} said off the record.;"
        " Same story every year, different names.; Thank you for a balanced article."),
}


_POOLS["person"] = tuple(f"{first} {last}" for first in _POOLS["first"] for last in _POOLS["last"])


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


class _Writer:
    """Fills templates for one section; ``str.format_map`` calls back here per slot."""

    def __init__(self, rng: random.Random, section: _Section) -> None:
        self._random = rng.random
        orgs_in_headlines = tuple(_cap(org.removeprefix("the ")) for org in section.orgs)
        self._pools = {**_POOLS, "topic": section.topics, "org": section.orgs,
                       "role": section.roles, "horg": orgs_in_headlines}
        for name in ("Org", "Place", "Topic"):  # {Org} starts a sentence
            self._pools[name] = tuple(_cap(text) for text in self._pools[name.lower()])

    def __getitem__(self, slot: str) -> str:
        pool = self._pools[slot]
        text = pool[int(self._random() * len(pool))]
        return text.format_map(self) if "{" in text else text

    def linked(self, href: str) -> str:
        """A sentence with a link to ``href`` on a few of its words."""
        pool = self._pools["linked"]
        template = pool[int(self._random() * len(pool))]
        return template.replace("'{href}'", f'"{href}"').format_map(self)


# --- the stories -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Author:
    name: str
    slug: str
    role: str


@dataclass
class _Story:
    index: int
    section: _Section
    subsection: tuple[str, str]
    template: int
    headline: str
    standfirst: str
    authors: tuple[_Author, ...]
    published: datetime  # local time, aware
    modified: datetime
    slug: str
    path: str = ""
    post_id: int = 0
    iso: str = ""
    human: str = ""
    teaser: str = ""


_ASCII = str.maketrans("áéíóúñńøśźżłöüäçã", "aeiounnoszzlouaca")


def _local(when: datetime) -> datetime:
    # British summer time, near enough: the site's dates only need a plausible offset.
    return when.astimezone(_BST if 4 <= when.month <= 10 else _GMT)


def _human(when: datetime) -> str:
    return f"{when:%a} {when.day} {when:%b %Y %H.%M} {when.tzname()}"


def _slugify(headline: str, taken: set[str]) -> str:
    words = re.findall(r"[a-z0-9]+", headline.lower().replace("’", "").translate(_ASCII))
    slug = base = "-".join(words[:9])
    n = 2
    while slug in taken:  # a second story under the same headline gets a number, as in WordPress
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def _hire_authors(rng: random.Random) -> dict[str, tuple[_Author, ...]]:
    """Eight reporters per section desk, no two with the same name."""
    chosen = iter(rng.sample(_POOLS["person"], 8 * len(_SECTIONS)))
    desks: dict[str, tuple[_Author, ...]] = {}
    for section in _SECTIONS:
        roles = (f"{section.label} correspondent", f"{section.label} editor",
                 f"Senior {section.label.lower()} reporter", f"{section.label} reporter")
        desk = []
        for n in range(8):
            name = next(chosen)
            slug = re.sub(r"[^a-z]+", "-", name.lower().translate(_ASCII)).strip("-")
            desk.append(_Author(name, slug, roles[n % len(roles)]))
        desks[section.slug] = tuple(desk)
    return desks


def _plan_stories(rng: random.Random, count: int) -> list[_Story]:
    """Every story's metadata, newest first, before any page is written (pages link to
    each other)."""
    desks = _hire_authors(rng)
    writers = {section.slug: _Writer(rng, section) for section in _SECTIONS}
    ages = sorted(rng.random() for _ in range(count))
    taken: set[str] = set()
    stories = []
    for index, age in enumerate(ages):
        section = _SECTIONS[int(rng.random() * len(_SECTIONS))]
        writer = writers[section.slug]
        published = _local(_NEWEST - _SPAN * age).replace(second=0, microsecond=0)
        modified = (published + timedelta(minutes=int(rng.random() * 2000))
                    if rng.random() < 0.6 else published)
        headline = _cap(writer["headline"])
        byline = 1 if rng.random() < 0.7 else (2 if rng.random() < 0.75 else 3)
        slug = _slugify(headline, taken)
        stories.append(_Story(
            index=index, section=section,
            subsection=section.subsections[int(rng.random() * len(section.subsections))],
            template=0 if rng.random() < 0.4 else (1 if rng.random() < 0.55 else 2),
            headline=headline, standfirst=writer["sentence"],
            authors=tuple(rng.sample(desks[section.slug], byline)),
            published=published, modified=modified, slug=slug,
        ))
    for story in stories:
        story.path = f"/{story.section.slug}/{story.published:%Y/%m/%d}/{story.slug}.html"
        story.post_id = 40_000 + 3 * (count - story.index)
        story.iso = story.published.isoformat(timespec="seconds")
        story.human = _human(story.published)
        story.teaser = _teaser(story)
    return stories


def _teaser(story: _Story) -> str:
    return (
        f'<li class="teaser teaser--{story.section.slug}">'
        f'<a class="teaser__media" href="{story.path}" tabindex="-1" aria-hidden="true">'
        f'<img src="/images/thumbs/{story.post_id}-320x180.jpg" alt="" width="320" height="180"'
        f' loading="lazy"></a><div class="teaser__body">'
        f'<span class="teaser__kicker">{story.subsection[1]}</span>'
        f'<h3 class="teaser__title"><a href="{story.path}">{story.headline}</a></h3>'
        f'<p class="teaser__summary">{story.standfirst}</p>'
        f'<time class="teaser__time" datetime="{story.iso}">{story.human}</time></div></li>\n'
    )


# --- one article's content ---------------------------------------------------------------

# A body is a list of blocks: ("p", html), ("h2", text), ("quote", text, who),
# ("figure", caption, image id) or ("embed", text, who): a social media post.
_Block = tuple[str, ...]


@dataclass
class _Comment:
    author: str
    when: str
    text: str
    likes: int


@dataclass
class _Article:
    story: _Story
    blocks: list[_Block]
    words: int
    caption: str
    key_points: list[str]
    related: list[_Story]
    most_read: list[_Story]
    latest: list[_Story]
    picks: list[_Story]
    comments: list[_Comment]
    previous: _Story | None
    following: _Story | None


def _write_body(writer: _Writer, rng: random.Random, links: Sequence[_Story]
                ) -> tuple[list[_Block], int]:
    """5–15 paragraphs, 250–900 words, with inline links, maybe a subheading and a quote."""
    target = 250 + int(rng.random() * 650)
    paragraphs = max(5, min(15, round(target / 62)))
    per_paragraph = target / paragraphs
    blocks: list[_Block] = []
    words = 0
    for _ in range(paragraphs):
        sentences: list[str] = []
        length = 0
        wanted = per_paragraph * (0.6 + 0.8 * rng.random())
        while length < wanted:
            sentence = writer["sentence"]
            sentences.append(sentence)
            length += sentence.count(" ") + 1
        blocks.append(("p", " ".join(sentences)))
        words += length
    for story in links:
        at = 1 + int(rng.random() * (len(blocks) - 1))
        blocks[at] = ("p", f"{blocks[at][1]} {writer.linked(story.path)}")
    if paragraphs >= 6 and rng.random() < 0.5:
        blocks.insert(paragraphs // 3, ("quote", writer["quote"] + ".", writer["person"]))
    if paragraphs >= 8:
        blocks.insert(paragraphs * 3 // 5, ("h2", _cap(writer["subhead"])))
    if paragraphs >= 7 and rng.random() < 0.5:
        caption = f"{writer['caption']} Photograph: {writer['agency']}"
        blocks.insert(paragraphs // 2, ("figure", caption, str(int(rng.random() * 1e9))))
    if rng.random() < 0.25:
        person = writer["person"]
        blocks.insert(paragraphs - 2, ("embed", writer["sentence"], person))
    return blocks, words


def _comments(writer: _Writer, rng: random.Random, story: _Story) -> list[_Comment]:
    if rng.random() >= 0.4:
        return []
    comments = []
    for n in range(3 + int(rng.random() * 10)):
        when = story.published + timedelta(minutes=35 * (n + 1) + int(rng.random() * 30))
        text = " ".join(writer["comment"] for _ in range(1 + int(rng.random() * 3)))
        comments.append(_Comment(writer["commenter"].lower().replace(" ", ""),
                                 f"{when.day} {when:%B %Y, %H:%M}", text,
                                 int(rng.random() * 60)))
    return comments


def _write_article(story: _Story, stories: list[_Story], section_stories: list[_Story],
                   position: int, writer: _Writer, rng: random.Random) -> _Article:
    count = len(stories)
    links = [stories[(story.index + 1 + int(rng.random() * 60)) % count]
             for _ in range(1 + int(rng.random() * 3))]
    blocks, words = _write_body(writer, rng, [s for s in links if s is not story])
    neighbours = [section_stories[(position + k) % len(section_stories)] for k in range(1, 10)]
    # "Most read" is the same few stories for a while, as on a real site.
    popular = [stories[(story.index // 40 * 40 + 17 * k + 3) % count] for k in range(10)]
    key_points = [writer["sentence"] for _ in range(3)] if rng.random() < 0.4 else []
    return _Article(
        story=story, blocks=blocks, words=words,
        caption=f"{writer['caption']} Photograph: {writer['agency']}", key_points=key_points,
        related=_distinct(neighbours, story), most_read=_distinct(popular, story),
        latest=_distinct(section_stories[:9], story)[:8],
        picks=_distinct([stories[(story.index // 25 * 25 + 29 * k + 11) % count]
                         for k in range(12)], story),
        comments=_comments(writer, rng, story),
        previous=section_stories[position + 1] if position + 1 < len(section_stories) else None,
        following=section_stories[position - 1] if position > 0 else None,
    )


def _distinct(stories: list[_Story], exclude: _Story) -> list[_Story]:
    seen = {exclude.index}
    kept = []
    for story in stories:
        if story.index not in seen:
            seen.add(story.index)
            kept.append(story)
    return kept


def _interleave(parts: list[str], inserts: dict[int, str]) -> str:
    """The body's blocks with ad slots and boxes after the given block numbers."""
    out = []
    for n, part in enumerate(parts, 1):
        out.append(part)
        if n in inserts and n < len(parts):
            out.append(inserts[n])
    return "".join(out)


# --- what every page carries -------------------------------------------------------------

_UTILITY = (("/subscribe/", "Subscribe"), ("/newsletters/", "Newsletters"),
            ("/podcasts/", "Podcasts"), ("/puzzles/", "Puzzles"), ("/weather/", "Weather"),
            ("/help/", "Help"))
_INFO = (("/about/", "About us"), ("/contact/", "Contact us"), ("/careers/", "Work for us"),
         ("/advertise/", "Advertise with us"), ("/corrections/", "Corrections"),
         ("/privacy/", "Privacy policy"), ("/cookies/", "Cookie policy"),
         ("/terms/", "Terms and conditions"), ("/accessibility/", "Accessibility"))
_CSS_DECLARATIONS = _split(
    "margin:0 auto; padding:0 16px; display:flex; display:grid; gap:12px; font-size:1.0625rem;"
    " line-height:1.5; color:#121212; background:#fff; border-bottom:1px solid #dcdcdc;"
    " font-weight:700; text-transform:uppercase; letter-spacing:.02em; position:relative;"
    " max-width:1280px; grid-template-columns:repeat(12,1fr); align-items:center;"
    " justify-content:space-between; overflow:hidden; white-space:nowrap;"
    " text-decoration:none; list-style:none; width:100%; height:auto; object-fit:cover;"
    " transition:color .2s ease; font-family:Georgia,serif; min-height:250px; z-index:10;"
    " font-family:Helvetica,Arial,sans-serif; border-radius:4px; box-shadow:0 1px 3px #0003")
_ICONS = ("menu", "search", "close", "chevron", "facebook", "x", "whatsapp", "email", "link",
          "play", "comment", "bookmark")


@dataclass
class _Chrome:
    """Site-wide pieces the templates share: the newest stories for the header's
    trending strip and menus, generated CSS and icons, and the consent manager's
    configuration and banner."""

    trending: list[_Story]
    featured: dict[str, list[_Story]] = field(default_factory=dict)
    css: dict[str, str] = field(default_factory=dict)
    sprite: str = ""
    consent: str = ""
    overlays: str = ""


def _ident(rng: random.Random, length: int = 6) -> str:
    return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(length))


def _css(rng: random.Random, prefix: str, rules: int) -> str:
    out = []
    for _ in range(rules):
        declarations = ";".join(rng.sample(_CSS_DECLARATIONS, rng.randint(2, 7)))
        rule = f".{prefix}-{_ident(rng)} .{prefix}-{_ident(rng, 4)}{{{declarations}}}"
        out.append(f"@media (min-width:{rng.choice((600, 900, 1280))}px){{{rule}}}"
                   if rng.random() < 0.2 else rule)
    return "\n".join(out)


def _sprite(rng: random.Random) -> str:
    symbols = []
    for name in _ICONS:
        points = " ".join(f"{rng.uniform(0, 24):.2f} {rng.uniform(0, 24):.2f}"
                          + rng.choice(("c", "l", "s", "C", "L", ""))
                          for _ in range(rng.randint(20, 60)))
        symbols.append(f'<symbol id="icon-{name}" viewBox="0 0 24 24"><path d="M{points}z"/>'
                       "</symbol>")
    return ('<svg xmlns="http://www.w3.org/2000/svg" style="display:none" aria-hidden="true">'
            + "".join(symbols) + "</svg>")


_VENDORS = _split("Media; Analytics; Ads; Exchange; Audience; Metrics; Digital; Insights")


def _consent(rng: random.Random) -> str:
    vendors = [{"id": 3 + 7 * n, "name": f"{_cap(_ident(rng, 7))} {rng.choice(_VENDORS)}",
                "purposes": sorted(rng.sample(range(1, 11), 4)),
                "legIntPurposes": sorted(rng.sample(range(1, 11), 2)),
                "cookieMaxAgeSeconds": rng.choice((86400, 2592000, 31536000))}
               for n in range(28)]
    config = {"cmpId": 31, "cmpVersion": 4, "gdprApplies": True, "publisherCC": "GB",
              "vendors": vendors, "purposeOneTreatment": False}
    return (
        f"window.__tcfConfig={json.dumps(config, separators=(',', ':'))};"
        "(function(w,d,s,l,i){w[l]=w[l]||[];w[l].push({'gtm.start':new Date().getTime(),"
        "event:'gtm.js'});var f=d.getElementsByTagName(s)[0],j=d.createElement(s),"
        "dl=l!='dataLayer'?'&l='+l:'';j.async=true;j.src="
        "'/gtm/gtm.js?id='+i+dl;f.parentNode.insertBefore(j,f);})"
        "(window,document,'script','dataLayer','GTM-K7Q2MZ');"
    )


def _make_chrome(rng: random.Random, stories: list[_Story]) -> _Chrome:
    chrome = _Chrome(trending=stories[:6], sprite=_sprite(rng), consent=_consent(rng),
                     overlays=_overlays())
    for story in stories:
        featured = chrome.featured.setdefault(story.section.slug, [])
        if len(featured) < 4:
            featured.append(story)
    chrome.css = {"wp": _css(rng, "ldg", 90), "cms": _css(rng, "c", 70),
                  "app": _css(rng, "ssrcss", 120)}
    return chrome


def _section_menu(chrome: _Chrome, item: Callable[[str, str], str],
                  sub_item: Callable[[str, str], str], open_group: str, close_group: str) -> str:
    """The main navigation: every section, each with its subsections and newest stories."""
    out = []
    for section in _SECTIONS:
        subs = "".join(sub_item(f"/{section.slug}/{slug}/", label)
                       for slug, label in section.subsections)
        everything = sub_item(f"/{section.slug}/", f"All {section.label.lower()}")
        promo = "".join(sub_item(story.path, story.headline)
                        for story in chrome.featured.get(section.slug, []))
        out.append(item(f"/{section.slug}/", section.label) + open_group + subs + everything
                   + promo + close_group)
    return "".join(out)


_PURPOSES = _split(
    "Store and access information on a device; Use limited data to select advertising;"
    " Create profiles for personalised advertising; Use profiles to select personalised"
    " advertising; Create profiles to personalise content; Use profiles to select"
    " personalised content; Measure advertising performance; Measure content performance;"
    " Understand audiences through statistics; Develop and improve services")


def _overlays() -> str:
    """The consent banner and the subscription prompt that many news sites render on the
    server and hide with CSS."""
    purposes = "".join(
        f'<li class="cmp-purpose"><h3 class="cmp-purpose__name">{name}</h3><p>Vendors may'
        f" {name.lower()} where you allow it, or on the basis of legitimate interest.</p>"
        f'<label class="cmp-toggle"><input type="checkbox" name="purpose-{n}" checked>'
        '<span class="cmp-toggle__slider"></span></label></li>'
        for n, name in enumerate(_PURPOSES, 1))
    benefits = "".join(f"<li>{text}</li>" for text in _split(
        "Unlimited access to every article; The daily edition, as it appears in print;"
        " Our newsletters and puzzles; Fewer adverts; Support independent journalism"))
    return (
        '<div id="cmp-banner" class="cmp-banner" role="dialog" aria-modal="true"'
        ' aria-labelledby="cmp-title" hidden><div class="cmp-banner__inner">'
        '<h2 id="cmp-title">We value your privacy</h2><p>We and our partners use cookies and'
        " similar technologies to store and access information on your device, to measure"
        " how our journalism is read and to show advertising that pays for it. You can accept"
        " or reject this, or choose what you allow below, and change your mind at any time"
        ' from the link at the foot of every page.</p><div class="cmp-banner__buttons">'
        '<button class="cmp-button cmp-button--accept">Accept all</button><button'
        ' class="cmp-button cmp-button--reject">Reject all</button><button class="cmp-button'
        ' cmp-button--options">Manage options</button></div><details class="cmp-details">'
        f'<summary>Purposes</summary><ul class="cmp-purposes">{purposes}</ul></details>'
        '<a class="cmp-link" href="/cookies/">Cookie policy</a></div></div>\n'
        '<div id="subscribe-modal" class="modal modal--subscribe" hidden><div class="modal__box">'
        '<button class="modal__close" aria-label="Close"><svg width="16" height="16"><use'
        ' href="#icon-close"></use></svg></button><h2 class="modal__title">You have read'
        " three free articles this month</h2><p>Subscribe for less than the price of a coffee"
        f' a week.</p><ul class="modal__benefits">{benefits}</ul><a class="modal__cta"'
        ' href="/subscribe/">Subscribe now</a><p class="modal__small">Already a subscriber?'
        ' <a href="/help/">Get help signing in</a></p></div></div>\n'
    )


def _footer_links() -> list[tuple[str, str]]:
    links = [(f"/{s.slug}/", s.label) for s in _SECTIONS]
    links += [(f"/{s.slug}/{slug}/", label) for s in _SECTIONS for slug, label in s.subsections[:2]]
    return links + list(_INFO) + list(_UTILITY[:4])


_FOOTER_EXTRAS = (
    '<div class="footer-follow"><h2>Follow us</h2><ul class="footer-follow__list">'
    + "".join(f'<li><button class="follow follow--{name}" data-network="{name}"><svg'
              f' width="24" height="24"><use href="#icon-{name}"></use></svg><span'
              f' class="visually-hidden">{SITE_NAME} on {name}</span></button></li>'
              for name in ("facebook", "x", "whatsapp", "email"))
    + '</ul></div><div class="footer-apps"><h2>Get the app</h2><p>Breaking news alerts,'
    ' the daily edition and our puzzles, on your phone.</p><img src="/static/img/app.png"'
    ' alt="Download on the App Store" width="120" height="40"><img'
    ' src="/static/img/google-play.png" alt="Get it on Google Play" width="135" height="40">'
    '</div><div class="footer-legal"><p>The Daily Ledger is published by Ledger Media Group'
    " Ltd, a company registered in England and Wales. Our journalism is regulated by the"
    " Independent Press Standards Organisation; if you have a complaint about something we"
    " have published, please read our complaints procedure first. Some of the links in our"
    " reviews are affiliate links: if you buy something through them we may earn a small"
    ' commission.</p><p><a href="/corrections/">Corrections and clarifications</a> ·'
    ' <a href="/cookies/">Manage cookies</a> · <a href="/privacy/">Your privacy choices</a>'
    "</p></div>"
)


def _meta_tags(title: str, description: str, path: str, og_type: str) -> str:
    return (
        f"<title>{title} | {SITE_NAME}</title>\n"
        f'<meta name="description" content="{description}">\n'
        f'<link rel="canonical" href="{path}">\n'
        f'<meta property="og:site_name" content="{SITE_NAME}">\n'
        f'<meta property="og:type" content="{og_type}">\n'
        f'<meta property="og:title" content="{title}">\n'
        f'<meta property="og:description" content="{description}">\n'
        f'<meta property="og:url" content="{path}">\n'
        '<meta name="twitter:card" content="summary_large_image">\n'
        '<meta name="twitter:site" content="@dailyledger">\n'
    )


def _article_head(article: _Article, image: str, *, graph: bool) -> str:
    story = article.story
    modified = story.modified.isoformat(timespec="seconds")
    news = {
        "@type": "NewsArticle", "headline": story.headline, "description": story.standfirst,
        "mainEntityOfPage": {"@type": "WebPage", "@id": story.path},
        "image": [{"@type": "ImageObject", "url": image, "width": 1200, "height": 675}],
        "datePublished": story.iso, "dateModified": modified,
        "author": [{"@type": "Person", "name": a.name, "url": f"/authors/{a.slug}/",
                    "jobTitle": a.role} for a in story.authors],
        "publisher": {"@type": "Organization", "name": SITE_NAME,
                      "logo": {"@type": "ImageObject", "url": "/static/img/logo-600x60.png",
                               "width": 600, "height": 60}},
        "articleSection": story.section.label, "wordCount": article.words,
        "isAccessibleForFree": True, "inLanguage": "en-GB",
    }
    if graph:  # Yoast-style: the article among the page, the breadcrumb and the publisher
        crumbs = [{"@type": "ListItem", "position": n, "name": name, "item": href}
                  for n, (href, name) in enumerate(_crumbs(story), 1)]
        data = {"@context": "https://schema.org", "@graph": [
            news, {"@type": "BreadcrumbList", "itemListElement": crumbs},
            {"@type": "WebSite", "name": SITE_NAME, "url": "/"}]}
    else:
        data = {"@context": "https://schema.org", **news}
    authors = "".join(f'<meta name="author" content="{a.name}">\n' for a in story.authors)
    return (
        _meta_tags(story.headline, story.standfirst, story.path, "article")
        + f'<meta property="og:image" content="{image}">\n'
        + f'<meta property="article:published_time" content="{story.iso}">\n'
        + f'<meta property="article:modified_time" content="{modified}">\n'
        + f'<meta property="article:section" content="{story.section.label}">\n'
        + f'<meta property="article:tag" content="{story.subsection[1]}">\n' + authors
        + '<script type="application/ld+json">'
        + json.dumps(data, separators=(",", ":")) + "</script>\n"
        + _data_layer(story, "article")
    )


def _data_layer(story: _Story | None, page_type: str, section: str = "home") -> str:
    fields: dict[str, object] = {"pageType": page_type, "section": section}
    if story is not None:
        fields |= {"section": story.section.slug, "subsection": story.subsection[0],
                   "contentId": story.post_id, "published": story.iso,
                   "authors": [a.slug for a in story.authors], "template": story.template}
    return ("<script>window.dataLayer=window.dataLayer||[];dataLayer.push("
            + json.dumps(fields, separators=(",", ":")) + ");</script>\n")


def _crumbs(story: _Story) -> list[tuple[str, str]]:
    section = story.section
    return [("/", "Home"), (f"/{section.slug}/", section.label),
            (f"/{section.slug}/{story.subsection[0]}/", story.subsection[1])]


def _bylines(story: _Story, link: Callable[[_Author], str]) -> str:
    names = [link(author) for author in story.authors]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _share_buttons(css_class: str) -> str:
    return "".join(
        f'<button class="{css_class} {css_class}--{name}" data-share="{name}"'
        f' aria-label="Share on {name}"><svg width="20" height="20"><use href="#icon-{name}">'
        "</use></svg></button>" for name in ("facebook", "x", "whatsapp", "email", "link"))


def _encoded(parts: str | tuple[str, ...]) -> list[bytes]:
    # Part by part: one big page-sized string of typographic quotes (two bytes a
    # character) per article would leave the heap fragmented by ~25 KB an article.
    return [parts.encode()] if isinstance(parts, str) else [part.encode() for part in parts]


def _story_list(stories: list[_Story], item: str) -> str:
    """Links to other stories: ``item`` is formatted with path, headline, standfirst,
    kicker, human, iso, n and id."""
    return "".join(item.format(path=s.path, headline=s.headline, standfirst=s.standfirst,
                               kicker=s.subsection[1], human=s.human, iso=s.iso, n=n,
                               id=s.post_id)
                   for n, s in enumerate(stories, 1))


def _extra_block(block: _Block, prefix: str) -> str:
    """A picture or an embedded post in the body, marked up alike by every template."""
    if block[0] == "figure":
        image = f"/images/{prefix}/{block[2]}"
        return (f'<figure class="{prefix}-figure"><picture><source srcset="{image}-480.webp'
                f' 480w, {image}-960.webp 960w" type="image/webp"><img src="{image}-960.jpg"'
                f' alt="" width="960" height="540" loading="lazy"></picture><figcaption'
                f' class="{prefix}-figure__caption"><span class="{prefix}-figure__text">'
                f'{block[1]}</span></figcaption></figure>\n')
    handle = block[2].lower().replace(" ", "")
    return (f'<figure class="{prefix}-embed {prefix}-embed--social"><blockquote'
            f' class="social-post" data-platform="x"><p lang="en" dir="ltr">{block[1]}</p>'
            f"<footer>— {block[2]} (@{handle})</footer></blockquote>"
            f'<figcaption class="{prefix}-embed__note">Post from X; the content may have'
            " been removed since.</figcaption></figure>\n")


def _key_points(article: _Article, prefix: str) -> str:
    if not article.key_points:
        return ""
    points = "".join(f'<li class="{prefix}-key-points__item">{p}</li>'
                     for p in article.key_points)
    return (f'<div class="{prefix}-key-points"><h2 class="{prefix}-key-points__title">Key'
            f' points</h2><ul class="{prefix}-key-points__list">{points}</ul></div>\n')


def _author_boxes(story: _Story, prefix: str) -> str:
    return "".join(
        f'<div class="{prefix}-author-box"><img class="{prefix}-author-box__photo"'
        f' src="/images/authors/{a.slug}.jpg" alt="" width="64" height="64"><div'
        f' class="{prefix}-author-box__text"><a class="{prefix}-author-box__name"'
        f' href="/authors/{a.slug}/">{a.name}</a><p class="{prefix}-author-box__role">{a.role}'
        f"</p><p>{a.name.split()[0]} joined {SITE_NAME} in {2008 + len(a.slug) % 15} and"
        f" writes about {story.section.label.lower()}.</p></div><button"
        f' class="{prefix}-follow" data-author="{a.slug}">Follow</button></div>\n'
        for a in story.authors)


def _picks(article: _Article, prefix: str) -> str:
    """Editors' picks from across the site, as cards."""
    card = (f'<div class="{prefix}-card"><a class="{prefix}-card__link" href="{{path}}">'
            f'<div class="{prefix}-card__media"><img src="/images/cards/{{id}}.jpg" alt=""'
            ' loading="lazy" width="300" height="169"></div>'
            f'<div class="{prefix}-card__body"><span class="{prefix}-card__kicker">{{kicker}}'
            f'</span><h3 class="{prefix}-card__title">{{headline}}</h3></div></a></div>')
    return (f'<section class="{prefix}-picks" aria-label="Editors’ picks"><h2'
            f' class="{prefix}-picks__title">Editors’ picks</h2>'
            f'<div class="{prefix}-picks__grid">{_story_list(article.picks, card)}</div>'
            "</section>\n")


def _latest_list(article: _Article, prefix: str) -> str:
    section = article.story.section
    return (f'<section class="{prefix}-latest"><h2 class="{prefix}-latest__title"><a'
            f' href="/{section.slug}/">Latest {section.label.lower()}</a></h2><ul>'
            + _story_list(article.latest, f'<li class="{prefix}-latest__item"><time'
                          ' datetime="{iso}">{human}</time><a href="{path}">{headline}</a>'
                          "</li>")
            + "</ul></section>\n")


# --- template 1: a WordPress news theme --------------------------------------------------


class _WordPress:
    """Classic WordPress: ``.entry-content``, sidebar widgets, Yoast JSON-LD ``@graph``."""

    def __init__(self, chrome: _Chrome) -> None:
        self._head = (
            '<!DOCTYPE html>\n<html lang="en-GB" class="no-js">\n<head>\n<meta charset="UTF-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            '<link rel="stylesheet" id="wp-block-library-css"'
            ' href="/wp-includes/css/dist/block-library/style.min.css?ver=6.5.3" media="all">\n'
            '<link rel="stylesheet" id="ledger-style-css"'
            ' href="/wp-content/themes/ledger/style.css?ver=4.2.1" media="all">\n'
            '<link rel="stylesheet" id="ledger-print-css"'
            ' href="/wp-content/themes/ledger/print.css?ver=4.2.1" media="print">\n'
            f'<style id="ledger-critical-css">\n{chrome.css["wp"]}\n</style>\n'
            '<script src="/wp-includes/js/jquery/jquery.min.js?ver=3.7.1" id="jquery-core-js">'
            "</script>\n"
            f'<script id="ledger-consent-js">{chrome.consent}</script>\n'
        ).encode()
        utility = "".join(f'<li class="menu-item"><a href="{href}">{label}</a></li>'
                          for href, label in _UTILITY)
        menu = _section_menu(
            chrome,
            lambda href, label: '<li class="menu-item menu-item-type-taxonomy'
            f' menu-item-has-children"><a href="{href}">{label}</a>',
            lambda href, label: f'<li class="menu-item"><a href="{href}">{label}</a></li>',
            '<ul class="sub-menu">', "</ul></li>")
        trending = _story_list(chrome.trending,
                               '<li class="trending__item"><a href="{path}">{headline}</a></li>')
        self._header = (
            f"{chrome.sprite}\n"
            '<div id="page" class="site"><a class="skip-link screen-reader-text"'
            ' href="#content">Skip to content</a>\n'
            f'<div class="top-bar"><ul class="top-bar__menu">{utility}</ul></div>\n'
            '<header id="masthead" class="site-header"><div class="site-branding">'
            f'<p class="site-title"><a href="/" rel="home">{SITE_NAME}</a></p>'
            '<p class="site-description">News, analysis and opinion</p></div>\n'
            '<nav id="site-navigation" class="main-navigation" aria-label="Primary">'
            '<button class="menu-toggle" aria-controls="primary-menu" aria-expanded="false">'
            'Menu</button><ul id="primary-menu" class="menu"><li class="menu-item">'
            f'<a href="/">Home</a></li>{menu}</ul></nav>\n'
            '<div class="trending"><span class="trending__label">Trending</span>'
            f"<ul>{trending}</ul></div></header>\n"
            '<div id="content" class="site-content">\n'
        ).encode()
        columns = "".join(f'<li class="menu-item"><a href="{href}">{label}</a></li>'
                          for href, label in _footer_links())
        self._footer = (
            '</div>\n<footer id="colophon" class="site-footer"><div class="footer-widgets">'
            '<section class="widget widget_nav_menu"><h2 class="widget-title">Explore</h2>'
            f'<ul class="menu">{columns}</ul></section></div>'
            f'<div class="site-info"><a href="/">{SITE_NAME}</a> © 2026. All rights reserved.'
            ' <a href="#page">Back to top</a></div>'
            f"{_FOOTER_EXTRAS}</footer></div>\n{chrome.overlays}"
            '<script src="/wp-content/themes/ledger/js/navigation.js?ver=4.2.1"'
            ' id="ledger-navigation-js"></script>\n'
            '<script src="/wp-includes/js/comment-reply.min.js?ver=6.5.3" id="comment-reply-js"'
            ' async></script>\n</body>\n</html>\n'
        ).encode()

    def page(self, head: str, body_class: str, main: str | tuple[str, ...]) -> bytes:
        return b"".join((self._head, f'{head}</head>\n<body class="{body_class}">\n'.encode(),
                         self._header, *_encoded(main), self._footer))

    def article(self, article: _Article) -> bytes:
        story = article.story
        image = f"/wp-content/uploads/{story.published:%Y/%m}/{story.slug}-1200x675.jpg"
        parts = [self._block(block) for block in article.blocks]
        main = (
            '<div id="primary" class="content-area"><main id="main" class="site-main">\n',
            '<nav class="breadcrumbs" aria-label="Breadcrumb">',
            " » ".join(f'<span><a href="{href}">{name}</a></span>'
                       for href, name in _crumbs(story)), "</nav>\n",
            f'<article id="post-{story.post_id}" class="post-{story.post_id} post type-post'
            " status-publish format-standard has-post-thumbnail hentry"
            f' category-{story.section.slug}">\n<header class="entry-header">'
            f'<h1 class="entry-title">{story.headline}</h1><div class="entry-meta">'
            f'<span class="posted-on">Posted on <a href="{story.path}" rel="bookmark">'
            f'<time class="entry-date published" datetime="{story.iso}">{story.human}</time>'
            f'<time class="updated" datetime="{story.modified.isoformat()}">'
            f"{_human(story.modified)}</time></a></span>"
            ' <span class="byline"> by ',
            _bylines(story, lambda a: f'<span class="author vcard"><a class="url fn n"'
                     f' href="/authors/{a.slug}/">{a.name}</a></span>'),
            "</span></div></header>\n",
            '<div class="post-thumbnail"><figure class="wp-block-image size-large">'
            f'<img width="1200" height="675" src="{image}" class="wp-post-image" alt=""'
            f' decoding="async" srcset="{image} 1200w, {image[:-13]}-768x432.jpg 768w,'
            f' {image[:-13]}-300x169.jpg 300w" sizes="(max-width: 1200px) 100vw, 1200px">'
            f'<figcaption class="wp-element-caption">{article.caption}</figcaption>'
            "</figure></div>\n",
            f'<div class="entry-content">\n<p class="standfirst"><strong>{story.standfirst}'
            "</strong></p>\n", _key_points(article, "wp-block"),
            _interleave(parts, {3: self._ad("inline-1"), 5: self._newsletter(story),
                                8: self._ad("inline-2")}),
            '</div>\n<footer class="entry-footer"><span class="cat-links">Posted in'
            f' <a href="/{story.section.slug}/" rel="category tag">{story.section.label}</a>,'
            f' <a href="/{story.section.slug}/{story.subsection[0]}/" rel="category tag">'
            f'{story.subsection[1]}</a></span><div class="sharedaddy sd-sharing-enabled">'
            '<h3 class="sd-title">Share this:</h3>', _share_buttons("share-button"),
            "</div>", _author_boxes(story, "ledger"), "</footer>\n</article>\n",
            self._post_navigation(article),
            '<section class="related-posts"><h2 class="related-posts__title">Related stories'
            '</h2><ul class="related-posts__list">',
            _story_list(article.related,
                        '<li class="related-post"><div class="related-post__thumb"><a'
                        ' href="{path}"><img src="/images/thumbs/{id}-320x180.jpg" alt=""'
                        ' loading="lazy"></a></div><div class="related-post__text"><span'
                        ' class="related-post__kicker">{kicker}</span><h3'
                        ' class="related-post__title"><a href="{path}">{headline}</a></h3><p'
                        ' class="related-post__excerpt">{standfirst}</p><time datetime="{iso}">'
                        "{human}</time></div></li>"),
            "</ul></section>\n", self._comments(article), _picks(article, "ledger"),
            "</main></div>\n",
            '<aside id="secondary" class="widget-area"><section id="most-read"'
            ' class="widget widget_popular"><h2 class="widget-title">Most read</h2><ol>',
            _story_list(article.most_read,
                        '<li class="popular-post"><span class="popular-post__rank">{n}</span>'
                        '<a href="{path}">{headline}</a></li>'),
            '</ol></section><section class="widget widget_ad">', self._ad("mpu"),
            '</section><section class="widget widget_latest">',
            _latest_list(article, "ledger"), "</section></aside>\n",
        )
        body_class = (f"post-template-default single single-post postid-{story.post_id}"
                      " single-format-standard has-sidebar")
        return self.page(_article_head(article, image, graph=True), body_class, main)

    @staticmethod
    def _block(block: _Block) -> str:
        if block[0] == "p":
            return f"<p>{block[1]}</p>\n"
        if block[0] == "h2":
            return f'<h2 class="wp-block-heading">{block[1]}</h2>\n'
        if block[0] == "quote":
            return (f'<blockquote class="wp-block-quote"><p>“{block[1]}”</p><cite>{block[2]}'
                    "</cite></blockquote>\n")
        return _extra_block(block, "wp-block")

    @staticmethod
    def _ad(slot: str) -> str:
        return (f'<div class="ad-slot ad-slot--{slot}" id="ad-{slot}"'
                ' data-ad-unit="/21804/ledger/article" data-sizes="[[300,250],[728,90]]">'
                '<span class="ad-slot__label">Advertisement</span></div>\n')

    @staticmethod
    def _newsletter(story: _Story) -> str:
        return (
            '<aside class="newsletter-box"><h2 class="newsletter-box__title">Sign up to'
            f' {story.section.label} Briefing</h2><p>The day’s top {story.section.label.lower()}'
            " stories, in your inbox every weekday morning.</p>"
            '<form class="newsletter-box__form" action="/newsletters/" method="get">'
            '<input type="email" name="email" placeholder="Your email address">'
            '<button type="submit">Sign up</button></form></aside>\n'
        )

    @staticmethod
    def _post_navigation(article: _Article) -> str:
        links = []
        for css, rel, label, story in (("nav-previous", "prev", "Previous", article.previous),
                                       ("nav-next", "next", "Next", article.following)):
            if story is not None:
                links.append(f'<div class="{css}"><a href="{story.path}" rel="{rel}">'
                             f'<span class="meta-nav">{label}</span> <span class="post-title">'
                             f"{story.headline}</span></a></div>")
        return ('<nav class="navigation post-navigation" aria-label="Posts">'
                '<h2 class="screen-reader-text">Post navigation</h2><div class="nav-links">'
                + "".join(links) + "</div></nav>\n")

    @staticmethod
    def _comments(article: _Article) -> str:
        if not article.comments:
            return ""
        items = "".join(
            f'<li id="comment-{article.story.post_id}{n}" class="comment even thread-even">'
            '<article class="comment-body"><footer class="comment-meta"><div'
            f' class="comment-author vcard"><b class="fn">{c.author}</b> <span class="says">'
            'says:</span></div><div class="comment-metadata"><time>'
            f'{c.when}</time></div></footer><div class="comment-content"><p>{c.text}</p></div>'
            '<div class="reply"><a class="comment-reply-link" href="#respond">Reply</a></div>'
            "</article></li>" for n, c in enumerate(article.comments))
        return (
            f'<div id="comments" class="comments-area"><h2 class="comments-title">'
            f"{len(article.comments)} thoughts on “{article.story.headline}”</h2>"
            f'<ol class="comment-list">{items}</ol><div id="respond" class="comment-respond">'
            '<h3 class="comment-reply-title">Leave a Reply</h3><form class="comment-form">'
            "<p>Your email address will not be published.</p><textarea name=\"comment\">"
            '</textarea><input type="submit" value="Post Comment"></form></div></div>\n'
        )


# --- template 2: a legacy newspaper CMS, all divs ----------------------------------------


class _LegacyCms:
    """An older in-house CMS: nested divs, no semantic elements, ad scripts in the text."""

    def __init__(self, chrome: _Chrome) -> None:
        self._head = (
            '<!DOCTYPE html>\n<html>\n<head>\n'
            '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\n'
            '<meta http-equiv="X-UA-Compatible" content="IE=edge">\n'
            '<link href="/static/css/main.3f9a1c.css" rel="stylesheet" type="text/css">\n'
            '<link href="/static/css/print.css" rel="stylesheet" type="text/css" media="print">\n'
            '<script type="text/javascript" src="/static/js/vendor.min.js"></script>\n'
            '<script type="text/javascript" src="/static/js/site.8c21.js"></script>\n'
            f'<style type="text/css">\n{chrome.css["cms"]}\n</style>\n'
            '<script type="text/javascript">var googletag=googletag||{};googletag.cmd='
            "googletag.cmd||[];googletag.cmd.push(function(){googletag.pubads()."
            "enableSingleRequest();googletag.pubads().collapseEmptyDivs();"
            f"googletag.enableServices();}});{chrome.consent}</script>\n"
        ).encode()
        utility = " | ".join(f'<a class="util-lnk" href="{href}">{label}</a>'
                             for href, label in _UTILITY)
        menu = _section_menu(
            chrome,
            lambda href, label: f'<div class="nav-item"><a class="nav-lnk" href="{href}">'
            f"{label}</a>",
            lambda href, label: f'<div class="nav-sub"><a href="{href}">{label}</a></div>',
            '<div class="nav-drop"><div class="nav-drop-col">', "</div></div></div>")
        ticker = _story_list(chrome.trending,
                             '<div class="ticker-item"><a href="{path}">{headline}</a></div>')
        self._header = (
            '<div id="wrapper"><div id="hdr"><div class="hdr-top"><div class="hdr-top-inner">'
            f'<div class="util-links">{utility}</div></div></div>\n<div class="hdr-main">'
            f'<div class="logo"><a href="/"><img src="/static/img/logo.png" alt="{SITE_NAME}">'
            '</a></div><div class="hdr-date">Friday 20 November 2026</div></div>\n'
            f'<div id="nav"><div class="nav-inner"><div class="nav-item"><a class="nav-lnk"'
            f' href="/">Home</a></div>{menu}</div></div>\n'
            f'<div class="ticker"><div class="ticker-lbl">Latest:</div>'
            f'<div class="ticker-items">{ticker}</div></div></div>\n'
            '<div id="cnt"><div class="cnt-inner"><div class="row">\n'
        ).encode()
        links = _footer_links()
        columns = "".join(
            '<div class="ftr-col">' + "".join(f'<div class="ftr-lnk"><a href="{h}">{t}</a></div>'
                                              for h, t in links[n:n + 10]) + "</div>"
            for n in range(0, len(links), 10))
        self._footer = (
            '</div></div></div>\n<div id="ftr"><div class="ftr-inner">'
            f'<div class="ftr-cols">{columns}</div><div class="ftr-copy">Copyright © 2026'
            f" {SITE_NAME} Ltd. Registered in England No. 0123456.</div>{_FOOTER_EXTRAS}"
            f"</div></div></div>\n{chrome.overlays}"
            '<script type="text/javascript">document.documentElement.className+=" js";'
            "</script>\n</body>\n</html>\n"
        ).encode()

    def page(self, head: str, body_class: str, main: str | tuple[str, ...]) -> bytes:
        return b"".join((self._head, f'{head}</head>\n<body class="{body_class}">\n'.encode(),
                         self._header, *_encoded(main), self._footer))

    def article(self, article: _Article) -> bytes:
        story = article.story
        image = f"/media/images/{story.published:%Y/%m/%d}/{story.slug}.jpg"
        parts = [self._block(block) for block in article.blocks]
        main = (
            '<div class="col-main">\n<div class="crumbs">',
            " &gt; ".join(f'<a href="{href}">{name}</a>' for href, name in _crumbs(story)),
            '</div>\n<div class="story"><div class="story-hd">',
            f'<div class="story-kicker"><a href="/{story.section.slug}/{story.subsection[0]}/">',
            f'{story.subsection[1]}</a></div><div class="story-title"><h1>{story.headline}'
            f'</h1></div><div class="story-sub">{story.standfirst}</div>\n',
            '<div class="story-info"><div class="story-by">By ',
            _bylines(story, lambda a: f'<a class="auth" href="/authors/{a.slug}/">{a.name}</a>'),
            f'</div><div class="story-date">Published: <time datetime="{story.iso}">'
            f"{story.human}</time></div></div></div>\n",
            f'<div class="share-bar">{_share_buttons("share-btn")}</div>\n',
            '<div class="story-img"><div class="img-wrap">'
            f'<img src="{image}" width="640" height="360" alt=""></div>'
            f'<div class="img-cap">{article.caption}</div></div>\n',
            '<div class="story-body">', _key_points(article, "story"),
            '<div class="story-text">\n',
            _interleave(parts, {2: self._ad(f"{story.post_id}-1"), 6: self._ad_related(article),
                                9: self._ad(f"{story.post_id}-2")}),
            '</div></div>\n<div class="story-tags">Topics: '
            f'<a href="/{story.section.slug}/">{story.section.label}</a>, '
            f'<a href="/{story.section.slug}/{story.subsection[0]}/">{story.subsection[1]}</a>'
            "</div>\n", _author_boxes(story, "story"), self._comments(article), "</div>\n",
            f'<div class="more-stories"><div class="more-hd">More from {story.section.label}'
            '</div><div class="more-list">',
            _story_list(article.related,
                        '<div class="more-item"><div class="more-img"><a href="{path}"><img'
                        ' src="/media/thumbs/{id}.jpg" alt=""></a></div><div class="more-txt">'
                        '<div class="more-kick">{kicker}</div><a class="more-lnk"'
                        ' href="{path}">{headline}</a><div class="more-sum">{standfirst}</div>'
                        '<div class="more-dt">{human}</div></div></div>'),
            "</div></div>\n", _picks(article, "more"), "</div>\n",
            '<div class="col-side"><div class="side-box"><div class="side-hd">Most Read</div>'
            '<div class="side-list">',
            _story_list(article.most_read,
                        '<div class="side-item"><span class="num">{n}</span>'
                        '<a href="{path}">{headline}</a></div>'),
            f'</div></div><div class="side-box side-ad">{self._ad("side")}</div>'
            '<div class="side-box side-nl"><div class="side-hd">Newsletters</div>'
            '<div class="side-txt">Get the headlines before breakfast.</div>'
            '<a class="btn" href="/newsletters/">Sign up</a></div>',
            _latest_list(article, "side"), "</div>\n",
        )
        return self.page(_article_head(article, image, graph=False),
                         f"pg-article sec-{story.section.slug}", main)

    @staticmethod
    def _block(block: _Block) -> str:
        if block[0] == "p":
            return f"<p>{block[1]}</p>\n"
        if block[0] == "h2":
            return f'<p class="crosshead"><b>{block[1]}</b></p>\n'
        if block[0] == "quote":
            return (f'<div class="pullquote">“{block[1]}”<span class="pq-src">{block[2]}</span>'
                    "</div>\n")
        return _extra_block(block, "story")

    @staticmethod
    def _ad(slot: str) -> str:
        return (f'<div class="ad-wrap"><div class="ad-lbl">Advertisement</div>'
                f'<div id="div-gpt-ad-{slot}" class="gpt-ad"></div><script type="text/javascript">'
                f"googletag.cmd.push(function(){{googletag.display('div-gpt-ad-{slot}');}});"
                "</script></div>\n")

    @staticmethod
    def _ad_related(article: _Article) -> str:
        return ('<div class="inline-related"><div class="ir-hd">Read more</div>'
                + _story_list(article.related[:3], '<div class="ir-item"><a href="{path}">'
                              "{headline}</a></div>") + "</div>\n")

    @staticmethod
    def _comments(article: _Article) -> str:
        if not article.comments:
            return ('<div class="story-comments"><div class="cmt-closed">Comments are closed.'
                    "</div></div>\n")
        items = "".join(
            '<div class="cmt"><div class="cmt-hd"><span class="cmt-user">'
            f'{c.author}</span> <span class="cmt-date">{c.when}</span></div>'
            f'<div class="cmt-body">{c.text}</div><div class="cmt-ft"><span class="cmt-likes">'
            f"{c.likes}</span> recommend</div></div>" for c in article.comments)
        return (f'<div class="story-comments"><div class="cmt-count">{len(article.comments)}'
                f' comments</div><div class="cmt-list">{items}</div></div>\n')


# --- template 3: a server-rendered React app ---------------------------------------------


class _Semantic:
    """A modern app: ``<main>``, ``<article>``, hashed class names, ``__NEXT_DATA__``."""

    def __init__(self, chrome: _Chrome) -> None:
        self._head = (
            '<!DOCTYPE html><html lang="en-GB" data-theme="light"><head><meta charSet="utf-8"/>'
            '<meta name="viewport" content="width=device-width"/>'
            '<link rel="preload" href="/_next/static/media/ledger-sans.woff2" as="font"'
            ' type="font/woff2" crossorigin="anonymous"/>'
            '<link rel="stylesheet" href="/_next/static/css/8f3c1e2a90b1.css"/>'
            '<link rel="stylesheet" href="/_next/static/css/app.9a7b44c2.css"/>'
            '<script defer src="/_next/static/chunks/framework-4f1a2b.js"></script>'
            '<script defer src="/_next/static/chunks/main-77c0d1.js"></script>'
            '<script defer src="/_next/static/chunks/pages/article-3b9e.js"></script>'
            f'<style data-emotion="ssrcss">{chrome.css["app"]}</style>'
            f"<script>{chrome.consent}</script>\n"
        ).encode()
        menu = _section_menu(
            chrome,
            lambda href, label: f'<li class="ssrcss-1y5ujcm-MenuItem"><a href="{href}"'
            f' class="ssrcss-nav-link">{label}</a>',
            lambda href, label: f'<li><a href="{href}" class="ssrcss-sub-link">{label}</a></li>',
            '<ul class="ssrcss-submenu" role="list">', "</ul></li>")
        utility = "".join(f'<li><a href="{href}" class="ssrcss-util">{label}</a></li>'
                          for href, label in _UTILITY)
        trending = _story_list(chrome.trending,
                               '<li><a href="{path}" class="ssrcss-trend">{headline}</a></li>')
        self._header = (
            f'<div id="__next">{chrome.sprite}<a class="ssrcss-skip" href="#main-content">'
            'Skip to content</a><header class="ssrcss-1k2p0zm-Header e1n5wgkb0" role="banner">'
            '<div class="ssrcss-brand"><a href="/" aria-label="Home"><svg width="180" height="28">'
            '<use href="#icon-bookmark"></use></svg></a></div>'
            f'<nav aria-label="Account" class="ssrcss-utility"><ul role="list">{utility}</ul>'
            '</nav><nav aria-label="Sections" class="ssrcss-nav"><ul role="list">'
            '<li class="ssrcss-1y5ujcm-MenuItem"><a href="/" class="ssrcss-nav-link">Home</a>'
            f'</li>{menu}</ul></nav><nav aria-label="Trending" class="ssrcss-trending"><h2>'
            f'Trending</h2><ul role="list">{trending}</ul></nav></header>\n'
        ).encode()
        footer = "".join(f'<li><a href="{href}" class="ssrcss-footer-link">{label}</a></li>'
                         for href, label in _footer_links())
        self._footer = (
            '<footer class="ssrcss-footer" role="contentinfo"><nav aria-label="Footer">'
            f'<ul role="list" class="ssrcss-footer-list">{footer}</ul></nav><p>© 2026'
            f" {SITE_NAME}. We are not responsible for the content of external sites.</p>"
            f"{_FOOTER_EXTRAS}</footer>{chrome.overlays}</div>\n"
        ).encode()

    def page(self, head: str, body_class: str, main: str | tuple[str, ...],
             state: str = "") -> bytes:
        return b"".join((self._head, f'{head}</head><body class="{body_class}">'.encode(),
                         self._header, *_encoded(main), self._footer,
                         f"{state}</body></html>\n".encode()))

    def article(self, article: _Article) -> bytes:
        story = article.story
        image = f"/images/ic/1200x675/p0{story.post_id:x}.jpg"
        parts = [self._block(block) for block in article.blocks]
        main = (
            '<main id="main-content" class="ssrcss-main"><nav aria-label="Breadcrumb"'
            ' class="ssrcss-crumbs"><ol>',
            "".join(f'<li><a href="{href}">{name}</a></li>' for href, name in _crumbs(story)),
            '</ol></nav>\n<article class="ssrcss-pv1rh6-ArticleWrapper e1nh2i2l5">'
            '<header class="ssrcss-article-header"><span class="ssrcss-kicker">'
            f'<a href="/{story.section.slug}/{story.subsection[0]}/">{story.subsection[1]}'
            '</a></span><h1 id="main-heading" class="ssrcss-15xko80-StyledHeading e1fj1fc10">'
            f'{story.headline}</h1><p class="ssrcss-standfirst">{story.standfirst}</p>'
            '<div class="ssrcss-byline" data-component="byline-block">'
            '<ul class="ssrcss-contributors" role="list">',
            "".join(f'<li><a rel="author" href="/authors/{a.slug}/">{a.name}</a>'
                    f'<span class="ssrcss-role">{a.role}</span></li>' for a in story.authors),
            f'</ul><time datetime="{story.iso}" class="ssrcss-time">{story.human}</time></div>'
            '</header>\n<figure class="ssrcss-lead-image" data-component="image-block">'
            f'<picture><source srcset="{image[:-4]}.webp" type="image/webp"/>'
            f'<img src="{image}" alt="" width="1200" height="675"/></picture>'
            f'<figcaption class="ssrcss-caption">{article.caption}</figcaption></figure>\n',
            _key_points(article, "ssrcss"),
            _interleave(parts, {4: self._ad("mid"), 7: self._newsletter(story)}),
            '<div data-component="share-tools" class="ssrcss-share">',
            _share_buttons("ssrcss-share-btn"), "</div>", _author_boxes(story, "ssrcss"),
            "</article>\n",
            '<section data-component="related-stories" aria-labelledby="related-heading"'
            ' class="ssrcss-related"><h2 id="related-heading">Related</h2><ul role="list">',
            _story_list(article.related,
                        '<li class="ssrcss-promo"><div class="ssrcss-promo-image"><picture>'
                        '<source srcset="/images/ic/240x135/p0{id}.webp" type="image/webp"/>'
                        '<img src="/images/ic/240x135/p0{id}.jpg" alt="" loading="lazy"/>'
                        '</picture></div><div class="ssrcss-promo-text"><span'
                        ' class="ssrcss-promo-kicker">{kicker}</span><a href="{path}"><h3>'
                        '{headline}</h3></a><p class="ssrcss-promo-summary">{standfirst}</p>'
                        '<time datetime="{iso}">{human}</time></div></li>'),
            "</ul></section>\n", self._comments(article),
            '<aside data-component="most-read" class="ssrcss-most-read" aria-labelledby='
            '"most-read-heading"><h2 id="most-read-heading">Most read</h2><ol role="list">',
            _story_list(article.most_read,
                        '<li><span class="ssrcss-rank">{n}</span><a href="{path}">'
                        "{headline}</a></li>"),
            "</ol></aside>", _latest_list(article, "ssrcss"), _picks(article, "ssrcss"),
            "</main>\n",
        )
        return self.page(_article_head(article, image, graph=False), "ssrcss-article-page",
                         main, self._state(article))

    @staticmethod
    def _block(block: _Block) -> str:
        if block[0] == "p":
            return (f'<div data-component="text-block" class="ssrcss-text">'
                    f'<p class="ssrcss-paragraph">{block[1]}</p></div>\n')
        if block[0] == "h2":
            return f'<div data-component="subheadline-block"><h2>{block[1]}</h2></div>\n'
        if block[0] == "quote":
            return (f'<div data-component="quote-block"><blockquote><p>{block[1]}</p>'
                    f"<footer>{block[2]}</footer></blockquote></div>\n")
        return f'<div data-component="media-block">{_extra_block(block, "ssrcss")}</div>'

    @staticmethod
    def _ad(slot: str) -> str:
        return (f'<div data-component="ad-slot" class="ssrcss-ad" id="dfp-ad--{slot}">'
                '<p class="ssrcss-ad-label">Advertisement</p></div>\n')

    @staticmethod
    def _newsletter(story: _Story) -> str:
        return ('<aside data-component="newsletter" class="ssrcss-newsletter"><h2>The'
                f" {story.section.label} Briefing</h2><p>Sign up for a weekly email of the best"
                f" {story.section.label.lower()} writing.</p><a href=\"/newsletters/\">Sign up"
                "</a></aside>\n")

    @staticmethod
    def _comments(article: _Article) -> str:
        if not article.comments:
            return ""
        items = "".join(
            f'<li><article class="ssrcss-comment" aria-label="Comment by {c.author}">'
            f'<header><span class="ssrcss-comment-author">{c.author}</span>'
            f'<span class="ssrcss-comment-time">{c.when}</span></header><p>{c.text}</p>'
            f'<footer><button class="ssrcss-like">{c.likes} likes</button></footer></article>'
            "</li>" for c in article.comments)
        return ('<section data-component="comments" class="ssrcss-comments"><h2>Comments ('
                f'{len(article.comments)})</h2><ol role="list">{items}</ol></section>\n')

    @staticmethod
    def _state(article: _Article) -> str:
        """Next.js ships the page's data again as JSON for hydration."""
        story = article.story
        blocks = [{"type": {"p": "text", "h2": "subheadline"}.get(b[0], b[0]),
                   "model": {"text": b[1]}} for b in article.blocks]
        state = {"props": {"pageProps": {"article": {
            "id": story.post_id, "headline": story.headline, "summary": story.standfirst,
            "section": story.section.slug, "published": story.iso,
            "contributors": [{"name": a.name, "role": a.role} for a in story.authors],
            "blocks": blocks,
            "related": [{"path": s.path, "headline": s.headline} for s in article.related],
        }}}, "page": "/[section]/[...slug]", "buildId": "k2mPq7Ld9x", "isFallback": False}
        return ('<script id="__NEXT_DATA__" type="application/json">'
                + json.dumps(state, separators=(",", ":")) + "</script>")


# --- the site ----------------------------------------------------------------------------

_Template = _WordPress | _LegacyCms | _Semantic


def build_site(articles: int, *, seed: int = 7) -> dict[str, Page]:
    """Every path of the site ('/', '/robots.txt', '/sitemap.xml', '/world/', ...,
    '/world/2026/03/04/some-slug.html') -> Page."""
    if articles < 1:
        raise ValueError(f"a site needs at least one article, not {articles}")
    rng = random.Random(seed)
    stories = _plan_stories(rng, articles)
    chrome = _make_chrome(rng, stories)
    templates: tuple[_Template, ...] = (_WordPress(chrome), _LegacyCms(chrome),
                                        _Semantic(chrome))
    by_section = {s.slug: [story for story in stories if story.section is s] for s in _SECTIONS}
    site = {"/": _home(templates[2], stories),
            "/robots.txt": Page("text/plain; charset=utf-8", _robots().encode())}
    site.update(_sitemaps(stories))
    for n, section in enumerate(_SECTIONS):
        template = templates[n % len(templates)]
        site.update(_section_pages(template, section, by_section[section.slug]))
    site.update(_author_pages(templates[0], stories))
    site.update(_static_pages(templates[1]))
    writers = {section.slug: _Writer(rng, section) for section in _SECTIONS}
    position = {story.index: n for s in by_section.values() for n, story in enumerate(s)}
    for story in stories:
        section_stories = by_section[story.section.slug]
        article = _write_article(story, stories, section_stories, position[story.index],
                                 writers[story.section.slug], rng)
        site[story.path] = Page(HTML, templates[story.template].article(article))
    return site


def article_paths(site: dict[str, Page]) -> list[str]:
    """The paths of the article pages (what a crawler must find and extract)."""
    return [path for path in site if _ARTICLE_PATH.match(path)]


def _home(template: _Template, stories: list[_Story]) -> Page:
    blocks = []
    for section in _SECTIONS:
        top = [s for s in stories[:400] if s.section is section][:3]
        blocks.append(
            f'<section class="home-section"><h2><a href="/{section.slug}/">{section.label}</a>'
            '</h2><ul class="home-section__list">'
            + _story_list(top, '<li><a href="{path}">{headline}</a></li>') + "</ul></section>\n")
    main = ('<main id="main-content" class="home"><h1 class="visually-hidden">'
            f'{SITE_NAME}</h1><section class="latest"><h2>Latest news</h2>'
            f'<ul class="listing__items">{"".join(s.teaser for s in stories[:20])}</ul>'
            f"</section>\n{''.join(blocks)}</main>\n")
    head = (_meta_tags(f"{SITE_NAME}: news, analysis and opinion",
                       "The latest news from around the world, updated all day.", "/", "website")
            + _data_layer(None, "home"))
    return Page(HTML, template.page(head, "home page", main))


def _listing(template: _Template, *, title: str, intro: str, path: str, stories: list[_Story],
             section: str, pager: str = "", links: str = "") -> Page:
    main = (f'<main id="main-content" class="listing"><header class="listing__header"><h1>'
            f'{title}</h1><p class="listing__intro">{intro}</p></header>\n'
            f'<ul class="listing__items">{"".join(s.teaser for s in stories)}</ul>\n'
            f"{pager}</main>\n")
    head = (_meta_tags(title, intro, path, "website") + links
            + _data_layer(None, "listing", section))
    return Page(HTML, template.page(head, f"archive category category-{section}", main))


def _section_pages(template: _Template, section: _Section, stories: list[_Story]
                   ) -> Iterator[tuple[str, Page]]:
    """The section's paginated front (/world/, /world/page/2/, ...) and its subsections."""
    base = f"/{section.slug}/"
    pages = max(1, -(-len(stories) // _PER_PAGE))
    for page in range(1, pages + 1):
        path = base if page == 1 else f"{base}page/{page}/"
        links = "".join(f'<link rel="{rel}" href="{_page_path(base, n)}">\n'
                        for rel, n in (("prev", page - 1), ("next", page + 1))
                        if 1 <= n <= pages)
        title = section.label if page == 1 else f"{section.label} – page {page}"
        chunk = stories[(page - 1) * _PER_PAGE: page * _PER_PAGE]
        yield path, _listing(template, title=title, path=path, stories=chunk,
                             intro=f"The latest {section.label.lower()} news and analysis.",
                             section=section.slug, pager=_pager(base, page, pages), links=links)
    for slug, label in section.subsections:
        path = f"{base}{slug}/"
        latest = [s for s in stories if s.subsection[0] == slug][:_PER_PAGE]
        yield path, _listing(template, title=f"{label} | {section.label}", path=path,
                             intro=f"Reporting and analysis on {label.lower()}.",
                             stories=latest, section=section.slug)


def _page_path(base: str, page: int) -> str:
    return base if page == 1 else f"{base}page/{page}/"


def _pager(base: str, page: int, pages: int) -> str:
    """Numbers near this page, the first and last, and every tenth, so any page of a
    section is a few hops from its first (a crawler's depth limit is ~25)."""
    if pages == 1:
        return ""
    shown = sorted({1, pages, *range(page - 3, page + 4), *range(10, pages, 10)}
                   & set(range(1, pages + 1)))
    items = []
    if page > 1:
        items.append(f'<li><a href="{_page_path(base, page - 1)}" rel="prev">Previous</a></li>')
    last = 0
    for n in shown:
        if n > last + 1:
            items.append('<li class="pager__gap">…</li>')
        items.append(f'<li class="pager__current"><span>{n}</span></li>' if n == page else
                     f'<li><a href="{_page_path(base, n)}">{n}</a></li>')
        last = n
    if page < pages:
        items.append(f'<li><a href="{_page_path(base, page + 1)}" rel="next">Next</a></li>')
    return f'<nav class="pager" aria-label="Pages"><ul>{"".join(items)}</ul></nav>\n'


def _author_pages(template: _Template, stories: list[_Story]) -> Iterator[tuple[str, Page]]:
    written: dict[_Author, list[_Story]] = {}
    for story in stories:
        for author in story.authors:
            written.setdefault(author, []).append(story)
    for author, theirs in written.items():
        path = f"/authors/{author.slug}/"
        yield path, _listing(template, title=author.name, path=path, stories=theirs[:_PER_PAGE],
                             intro=f"{author.name} is {SITE_NAME}’s {author.role.lower()}.",
                             section="authors")


def _static_pages(template: _Template) -> Iterator[tuple[str, Page]]:
    for path, title in (*_INFO, *_UTILITY):
        main = (f'<main id="main-content" class="static"><h1>{title}</h1><p>{SITE_NAME} has'
                " reported the news since 1884. This page is kept up to date by the readers’"
                ' editor.</p><p>Questions? <a href="/contact/">Contact us</a>.</p></main>\n')
        yield path, Page(HTML, template.page(_meta_tags(title, title, path, "website"), "page",
                                             main))


def _robots() -> str:
    return f"User-agent: *\nAllow: /\n\nSitemap: {PLACEHOLDER_ORIGIN}/sitemap.xml\n"


def _sitemaps(stories: list[_Story]) -> Iterator[tuple[str, Page]]:
    """A sitemap index with one sitemap per month, as news sites publish them."""
    months: dict[str, list[_Story]] = {}
    for story in stories:
        months.setdefault(f"{story.published:%Y-%m}", []).append(story)
    xml = "application/xml"
    entries = "".join(
        f"<sitemap><loc>{PLACEHOLDER_ORIGIN}/sitemaps/{month}.xml</loc>"
        f"<lastmod>{max(s.modified for s in theirs).isoformat()}</lastmod></sitemap>\n"
        for month, theirs in months.items())
    yield "/sitemap.xml", Page(xml, (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{entries}</sitemapindex>\n").encode())
    for month, theirs in months.items():
        urls = "".join(f"<url><loc>{PLACEHOLDER_ORIGIN}{s.path}</loc>"
                       f"<lastmod>{s.modified.isoformat()}</lastmod></url>\n" for s in theirs)
        yield f"/sitemaps/{month}.xml", Page(xml, (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{urls}</urlset>\n").encode())


# --- the server --------------------------------------------------------------------------
#
# The parent writes every response (status line, headers and body) into one spool file
# and hands it to the server process, which maps it and answers each request with a
# slice of the map. The server's copy of the site is then the page cache's, not a second
# ~0.8 GB heap (10,000 articles) built by unpickling it, and it starts in about a second.

_MAX_HEAD = 64 * 1024
_HOST_CHARS = re.compile(rb"^[a-z0-9.\[\]:-]+$")
_PR_SET_PDEATHSIG = 1  # linux/prctl.h
_SERVER_FLAG = "--server-process"
_SERVED = SERVED_PATH.encode()


def _response(status: str, content_type: str, body: bytes, extra: str = "") -> bytes:
    return (f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {len(body)}\r\n{extra}\r\n").encode("latin-1") + body


_NOT_FOUND = _response("404 Not Found", "text/plain; charset=utf-8", b"not found\n")
_BAD_REQUEST = _response("400 Bad Request", "text/plain; charset=utf-8", b"bad request\n",
                         "Connection: close\r\n")
_NOT_ALLOWED = _response("405 Method Not Allowed", "text/plain; charset=utf-8",
                         b"GET or HEAD only\n", "Allow: GET, HEAD\r\nConnection: close\r\n")
_TOO_LARGE = _response("431 Request Header Fields Too Large", "text/plain; charset=utf-8",
                       b"request head too large\n", "Connection: close\r\n")

# (path, offset of the response in the spool, length of its head, length of it all)
_SpoolEntry = tuple[bytes, int, int, int]


def _spool(site: dict[str, Page], out: IO[bytes]
           ) -> tuple[list[_SpoolEntry], dict[bytes, tuple[str, bytes]]]:
    """Write the site's responses; the pages that name the origin are returned instead,
    to be completed per request."""
    entries: list[_SpoolEntry] = []
    per_origin: dict[bytes, tuple[str, bytes]] = {}
    placeholder = PLACEHOLDER_ORIGIN.encode()
    offset = 0
    for path, page in site.items():
        key = path.encode("utf-8")
        if placeholder in page.body:
            per_origin[key] = (page.content_type, page.body)
            continue
        response = _response("200 OK", page.content_type, page.body)
        out.write(response)
        entries.append((key, offset, len(response) - len(page.body), len(response)))
        offset += len(response)
    return entries, per_origin


class _Routes:
    """What the server answers: a slice of the spool per path, a page filled in with the
    origin the client asked for, or how many requests it has answered."""

    def __init__(self, spool: memoryview, entries: list[_SpoolEntry],
                 per_origin: dict[bytes, tuple[str, bytes]]) -> None:
        self.full = {path: spool[offset:offset + total] for path, offset, _, total in entries}
        self.head = {path: spool[offset:offset + head] for path, offset, head, _ in entries}
        self._per_origin = per_origin
        # For a request without a usable Host header: the address the server listens on.
        self.fallback_origin = b"http://127.0.0.1"
        self._filled: dict[tuple[bytes, bytes], bytes] = {}
        self.served = 0

    def response(self, target: bytes, fields: bytes, *, head_only: bool) -> bytes | memoryview:
        if target == _SERVED:  # the benchmark's probe is not a page served
            response = _response("200 OK", "text/plain; charset=utf-8", b"%d\n" % self.served)
        else:
            self.served += 1
            found = (self.head if head_only else self.full).get(target)
            if found is not None:
                return found
            response = self._filled_in(target, _header(fields, b"host")) or _NOT_FOUND
        return response[:response.index(b"\r\n\r\n") + 4] if head_only else response

    def _filled_in(self, path: bytes, host: bytes | None) -> bytes | None:
        page = self._per_origin.get(path)
        if page is None:
            return None
        origin = b"http://" + host if host and _HOST_CHARS.match(host) else self.fallback_origin
        response = self._filled.get((path, origin))
        if response is None:
            content_type, body = page
            body = body.replace(PLACEHOLDER_ORIGIN.encode(), origin)
            response = self._filled[(path, origin)] = _response("200 OK", content_type, body)
        return response


def _header(fields: bytes, name: bytes) -> bytes | None:
    """A header's value from the lowercased header block (which starts with CRLF)."""
    start = fields.find(b"\r\n" + name + b":")
    if start < 0:
        return None
    start += len(name) + 3
    end = fields.find(b"\r\n", start)
    return fields[start:end if end >= 0 else len(fields)].strip()


class _HttpProtocol(asyncio.Protocol):
    """HTTP/1.1 with keep-alive and pipelining, GET and HEAD, no request bodies."""

    def __init__(self, routes: _Routes) -> None:
        self._routes = routes
        self._pending = b""
        self._transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport

    def data_received(self, data: bytes) -> None:
        transport = self._transport
        if transport is None or transport.is_closing():
            return
        pending = self._pending + data if self._pending else data
        start = 0
        while (end := pending.find(b"\r\n\r\n", start)) >= 0:
            keep_open = self._answer(transport, pending[start:end].lstrip(b"\r\n"))
            start = end + 4
            if not keep_open:
                transport.close()
                self._pending = b""
                return
        self._pending = pending[start:]
        if len(self._pending) > _MAX_HEAD:
            transport.write(_TOO_LARGE)
            transport.close()

    # A client that sends faster than it reads is not read from until it catches up.
    def pause_writing(self) -> None:
        if self._transport is not None:
            self._transport.pause_reading()

    def resume_writing(self) -> None:
        if self._transport is not None:
            self._transport.resume_reading()

    def _answer(self, transport: asyncio.Transport, head: bytes) -> bool:
        """Answer one request; False when the connection must close after it."""
        line_end = head.find(b"\r\n")
        request_line = head if line_end < 0 else head[:line_end]
        fields = b"" if line_end < 0 else head[line_end:].lower()
        parts = request_line.split(b" ")
        if len(parts) != 3 or not parts[2].startswith(b"HTTP/1."):
            transport.write(_BAD_REQUEST)
            return False
        method, target, version = parts
        if method not in (b"GET", b"HEAD"):
            transport.write(_NOT_ALLOWED)
            return False
        if not target.startswith(b"/"):  # absolute form, as sent to proxies
            _, _, rest = target.partition(b"://")
            target = b"/" + rest.partition(b"/")[2]
        keep_open = version == b"HTTP/1.1"
        if keep_open and b"\r\nconnection:" in fields:
            keep_open = b"close" not in (_header(fields, b"connection") or b"")
        # GET has no body; one that comes anyway would be read as the next request.
        if b"\r\ntransfer-encoding:" in fields or _header(fields, b"content-length") not in (
                None, b"0"):
            keep_open = False
        transport.write(self._routes.response(target, fields, head_only=method == b"HEAD"))
        return keep_open


def _belong_to(parent_pid: int) -> None:
    """Die with the process that started us, even if it is killed; ignore Ctrl-C, which
    reaches the whole process group: the parent stops us when it is done."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(0)


def _map_spool(fd: int) -> memoryview:
    try:
        size = os.fstat(fd).st_size
        if size == 0:
            return memoryview(b"")
        # Populated up front: no page faults while the benchmark runs.
        flags = mmap.MAP_SHARED | getattr(mmap, "MAP_POPULATE", 0)
        return memoryview(mmap.mmap(fd, size, flags=flags, prot=mmap.PROT_READ))
    finally:
        os.close(fd)  # the map holds its own reference


def _server_main(argv: list[str]) -> None:
    """The server process, ``newssite.py --server-process SPOOL_FD HOST PORT PARENT_PID``:
    read the spool's index from stdin, map the spool, listen, print the port, serve
    until stopped."""
    spool_fd, host, port, parent_pid = argv
    _belong_to(int(parent_pid))
    entries, per_origin = pickle.load(sys.stdin.buffer)
    routes = _Routes(_map_spool(int(spool_fd)), entries, per_origin)
    asyncio.run(_listen(routes, host, int(port)))


async def _listen(routes: _Routes, host: str, port: int) -> None:
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: _HttpProtocol(routes), host, port,
                                      backlog=1024)
    bound = server.sockets[0].getsockname()[1]
    routes.fallback_origin = f"http://{_url_host(host)}:{bound}".encode()
    print(bound, flush=True)
    sys.stdout.close()
    async with server:
        await server.serve_forever()


def _url_host(host: str) -> str:
    if host in ("", "0.0.0.0", "::"):
        return "127.0.0.1"
    return f"[{host}]" if ":" in host else host


@contextmanager
def serve(site: dict[str, Page], host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Serve the site from a separate process (so its CPU is not the caller's); yields
    the base URL 'http://127.0.0.1:PORT'. Stops the process on exit."""
    with _server_process(site, host, port) as (url, _):
        yield url


@contextmanager
def _server_process(site: dict[str, Page], host: str, port: int
                    ) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``serve``, also yielding the process (the self-check reads its CPU time)."""
    # A file without a name, handed to the server as a descriptor: nothing is left
    # behind however either process ends.
    with tempfile.TemporaryFile(prefix="newssite-") as spool:
        index = _spool(site, spool)
        spool.flush()
        # A fresh interpreter running this file (stdlib only, hence -I), not
        # multiprocessing: spawn would also import the caller's __main__ (a benchmark
        # that imports Scrapy) into the server, and fork is unsafe once a reactor runs.
        command = [sys.executable, "-I", os.path.abspath(__file__), _SERVER_FLAG,
                   str(spool.fileno()), host, str(port), str(os.getpid())]
        process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   pass_fds=(spool.fileno(),))
    try:
        bound = _await_port(process, index)
        _await_accepting(_url_host(host).strip("[]"), bound)
        yield f"http://{_url_host(host)}:{bound}", process
    finally:
        _stop(process)


def _await_port(process: subprocess.Popen[bytes], index: object, timeout: float = 60.0) -> int:
    """Hand the server its index; the port it listens on, once it does."""
    assert process.stdin is not None and process.stdout is not None
    with contextlib.suppress(BrokenPipeError), process.stdin:  # a dead server is reported below
        pickle.dump(index, process.stdin, protocol=pickle.HIGHEST_PROTOCOL)
    readable, _, _ = select.select([process.stdout], [], [], timeout)
    line = process.stdout.readline() if readable else b""
    if not line.strip().isdigit():
        raise RuntimeError(f"the newssite server did not start (exit code {process.poll()});"
                           " its error, if any, is above")
    return int(line)


def _await_accepting(host: str, port: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection((host, port), timeout=1.0).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if process.stdout is not None:
        process.stdout.close()


# --- self-check: python bench/newssite.py --check ---------------------------------------

_LINK = re.compile(r'<(?:a|link)\s[^>]*?href="([^"]*)"')
_ASSET = re.compile(r"\.(?:css|js|jpg|png|webp|woff2)$")


def _links(body: bytes) -> Iterator[str]:
    """The site paths a page links to, assets and fragments left out."""
    for href in _LINK.findall(body.decode("utf-8")):
        path = href.partition("#")[0]
        if path and not _ASSET.search(path.partition("?")[0]):
            yield path


def _site_problems(site: dict[str, Page]) -> tuple[list[str], int]:
    """Broken links, identical pages, articles not reachable from / through listings;
    and how many hops the deepest article is from /."""
    problems = [f"{path} links to missing {target}"
                for path, page in site.items() if page.content_type == HTML
                for target in _links(page.body) if target not in site][:5]
    if len({page.body for page in site.values()}) != len(site):
        problems.append("some pages are byte-for-byte identical (a crawler drops copies)")
    articles = set(article_paths(site))
    depth = {"/": 0}
    queue = deque(["/"])
    while queue:  # breadth first, never through an article: listings alone must suffice
        path = queue.popleft()
        for target in _links(site[path].body):
            if target in site and target not in depth:
                depth[target] = depth[path] + 1
                if target not in articles:
                    queue.append(target)
    unreachable = articles - depth.keys()
    if unreachable:
        problems.append(f"{len(unreachable)} articles unreachable from / through listings")
    return problems, max((depth[p] for p in articles if p in depth), default=0)


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, from /proc (Linux)."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _fetch(base_url: str, site: dict[str, Page], paths: Sequence[str],
           problems: list[str]) -> None:
    """GET every path once over one keep-alive connection, checking what comes back."""
    host, _, port = base_url.removeprefix("http://").rpartition(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        for path in paths:
            connection.request("GET", path)
            response = connection.getresponse()
            body = response.read()
            page = site[path]
            same = body == page.body or body == page.body.replace(
                PLACEHOLDER_ORIGIN.encode(), base_url.encode())
            if (response.status != 200 or response.getheader("Content-Type") != page.content_type
                    or response.getheader("Content-Length") != str(len(body)) or not same):
                problems.append(f"GET {path}: {response.status}, {len(body)} bytes, "
                                f"{response.getheader('Content-Type')}, same body: {same}")
    finally:
        connection.close()


def _timed_fetch(base_url: str, site: dict[str, Page], paths: Sequence[str], connections: int,
                 pid: int, problems: list[str]) -> str:
    share = [paths[n::connections] for n in range(connections)]
    threads = [threading.Thread(target=_fetch, args=(base_url, site, part, problems))
               for part in share]
    cpu, started = _cpu_seconds(pid), time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed, cpu = time.perf_counter() - started, _cpu_seconds(pid) - cpu
    return (f"{len(paths):,} GETs over {connections} keep-alive connection(s) in {elapsed:.2f} s"
            f" = {len(paths) / elapsed:,.0f} requests/s; server CPU {cpu:.2f} s ="
            f" {1000 * cpu / len(paths):.3f} ms/request")


def _served(base_url: str) -> int:
    host, _, port = base_url.removeprefix("http://").rpartition(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        connection.request("GET", SERVED_PATH)
        return int(connection.getresponse().read())
    finally:
        connection.close()


def _exchange(base_url: str, chunks: Sequence[bytes]) -> bytes:
    """Send raw request bytes in the given pieces; everything received until the server
    closes."""
    host, _, port = base_url.removeprefix("http://").rpartition(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for chunk in chunks:
            sock.sendall(chunk)
            if len(chunks) > 1:
                time.sleep(0.001)
        received = []
        while data := sock.recv(1 << 16):
            received.append(data)
    return b"".join(received)


def _protocol_problems(base_url: str, site: dict[str, Page]) -> list[str]:
    about = _response("200 OK", HTML, site["/about/"].body)
    about_head = about[:about.index(b"\r\n\r\n") + 4]
    close = b"Connection: close\r\n"
    cases = {
        "pipelined requests": (
            [b"GET /about/ HTTP/1.1\r\nHost: x\r\n\r\nHEAD /about/ HTTP/1.1\r\n\r\n"
             b"GET /about/?q=1 HTTP/1.1\r\n" + close + b"\r\n"],
            about + about_head + _NOT_FOUND),
        "a request in one-byte pieces": (
            [bytes([b]) for b in b"GET /about/ HTTP/1.1\r\nHost: x\r\n" + close + b"\r\n"],
            about),
        "an asset": ([b"GET /static/css/print.css HTTP/1.1\r\n" + close + b"\r\n"], _NOT_FOUND),
        "HEAD of a missing page": ([b"HEAD /nope/ HTTP/1.1\r\n" + close + b"\r\n"],
                                   _NOT_FOUND[:_NOT_FOUND.index(b"\r\n\r\n") + 4]),
        "HTTP/1.0": ([b"GET /about/ HTTP/1.0\r\n\r\n"], about),
        "POST": ([b"POST / HTTP/1.1\r\nContent-Length: 2\r\n\r\nhi"], _NOT_ALLOWED),
        "garbage": ([b"hello\r\n\r\n"], _BAD_REQUEST),
    }
    problems = [f"{name}: unexpected answer {_exchange(base_url, chunks)[:80]!r}"
                for name, (chunks, expected) in cases.items()
                if _exchange(base_url, chunks) != expected]
    robots = _exchange(base_url, [b"GET /robots.txt HTTP/1.1\r\nHost: news.test:8080\r\n"
                                  + close + b"\r\n"])
    if b"Sitemap: http://news.test:8080/sitemap.xml" not in robots:
        problems.append(f"robots.txt does not name the requested host: {robots!r}")
    return problems


def _check(articles: int) -> int:
    started = time.perf_counter()
    site = build_site(articles)
    built = time.perf_counter() - started
    sizes = [len(site[path].body) for path in article_paths(site)]
    total = sum(len(page.body) for page in site.values())
    print(f"built {articles:,} articles in {built:.2f} s: {len(site):,} pages, {total / 1e6:.1f}"
          f" MB, mean {total / len(site) / 1024:.1f} KB; article pages"
          f" {min(sizes) / 1024:.1f}–{max(sizes) / 1024:.1f} KB,"
          f" mean {sum(sizes) / len(sizes) / 1024:.1f} KB")
    problems, deepest = _site_problems(site)
    print(f"links checked; the deepest article is {deepest} hops from / through listings")
    started = time.perf_counter()
    with _server_process(site, "127.0.0.1", 0) as (url, process):
        print(f"serving at {url} after {time.perf_counter() - started:.2f} s")
        print("every page, in order:", _timed_fetch(url, site, list(site), 1, process.pid,
                                                    problems))
        print("every article again: ", _timed_fetch(url, site, article_paths(site), 32,
                                                    process.pid, problems))
        served, expected = _served(url), len(site) + len(article_paths(site))
        if served != expected:
            problems.append(f"{SERVED_PATH} says {served} requests answered, not {expected}")
        problems += _protocol_problems(url, site)
    for problem in problems[:20]:
        print("PROBLEM:", problem)
    print("FAILED" if problems else "OK")
    return 1 if problems else 0


def main(args: Sequence[str] | None = None) -> int:
    """Build the synthetic news site, then check it or serve it until Ctrl-C.

    examples:
      python bench/newssite.py --check
      python bench/newssite.py --check --articles 10000
      python bench/newssite.py --serve --articles 500 --port 8000
    """
    parser = argparse.ArgumentParser(description=inspect.cleandoc(main.__doc__ or ""),
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--check", action="store_true",
                        help="build, serve and fetch every page; print figures")
    action.add_argument("--serve", action="store_true", help="serve until Ctrl-C")
    parser.add_argument("--articles", type=int, default=2000, metavar="N",
                        help="how many articles the site has (default: 2000)")
    parser.add_argument("--port", type=int, default=0,
                        help="port to serve on (default: any free port)")
    options = parser.parse_args(args)
    if options.articles < 1:
        parser.error("--articles must be at least 1")
    if options.check:
        return _check(options.articles)
    with serve(build_site(options.articles), port=options.port) as url:
        print(f"serving {options.articles:,} articles at {url}/ (Ctrl-C stops)")
        with contextlib.suppress(KeyboardInterrupt):
            while True:
                time.sleep(3600)
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == [_SERVER_FLAG]:
        _server_main(sys.argv[2:])
    else:
        sys.exit(main())
