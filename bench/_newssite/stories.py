"""The stories: every story's metadata (planned before any page is written, since
pages link to each other), and the writer of one article's content."""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

from bench._newssite.vocabulary import POOLS, SECTIONS, Section, cap

_NEWEST = datetime(2026, 11, 20, 18, 30, tzinfo=UTC)
_SPAN = timedelta(days=730)
_GMT = timezone(timedelta(0), "GMT")
_BST = timezone(timedelta(hours=1), "BST")


class Writer:
    """Fills templates for one section; ``str.format_map`` calls back here per slot."""

    def __init__(self, rng: random.Random, section: Section) -> None:
        self._random = rng.random
        orgs_in_headlines = tuple(cap(org.removeprefix("the ")) for org in section.orgs)
        self._pools = {**POOLS, "topic": section.topics, "org": section.orgs,
                       "role": section.roles, "horg": orgs_in_headlines}
        for name in ("Org", "Place", "Topic"):  # {Org} starts a sentence
            self._pools[name] = tuple(cap(text) for text in self._pools[name.lower()])

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
class Author:
    name: str
    slug: str
    role: str


@dataclass
class Story:
    index: int
    section: Section
    subsection: tuple[str, str]
    template: int
    headline: str
    standfirst: str
    authors: tuple[Author, ...]
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


def human_time(when: datetime) -> str:
    return f"{when:%a} {when.day} {when:%b %Y %H.%M} {when.tzname()}"


def _slugify(headline: str, taken: set[str]) -> str:
    words = re.findall(r"[a-z0-9]+", headline.lower().replace("’", "").translate(_ASCII))
    slug = base = "-".join(words[:9])
    n = 2
    while slug in taken:  # a second story under the same headline gets a number, as in WordPress
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def _hire_authors(rng: random.Random) -> dict[str, tuple[Author, ...]]:
    """Eight reporters per section desk, no two with the same name."""
    chosen = iter(rng.sample(POOLS["person"], 8 * len(SECTIONS)))
    desks: dict[str, tuple[Author, ...]] = {}
    for section in SECTIONS:
        roles = (f"{section.label} correspondent", f"{section.label} editor",
                 f"Senior {section.label.lower()} reporter", f"{section.label} reporter")
        desk = []
        for n in range(8):
            name = next(chosen)
            slug = re.sub(r"[^a-z]+", "-", name.lower().translate(_ASCII)).strip("-")
            desk.append(Author(name, slug, roles[n % len(roles)]))
        desks[section.slug] = tuple(desk)
    return desks


def plan_stories(rng: random.Random, count: int) -> list[Story]:
    """Every story's metadata, newest first, before any page is written (pages link to
    each other)."""
    desks = _hire_authors(rng)
    writers = {section.slug: Writer(rng, section) for section in SECTIONS}
    ages = sorted(rng.random() for _ in range(count))
    taken: set[str] = set()
    stories = []
    for index, age in enumerate(ages):
        section = SECTIONS[int(rng.random() * len(SECTIONS))]
        writer = writers[section.slug]
        published = _local(_NEWEST - _SPAN * age).replace(second=0, microsecond=0)
        modified = (published + timedelta(minutes=int(rng.random() * 2000))
                    if rng.random() < 0.6 else published)
        headline = cap(writer["headline"])
        byline = 1 if rng.random() < 0.7 else (2 if rng.random() < 0.75 else 3)
        slug = _slugify(headline, taken)
        stories.append(Story(
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
        story.human = human_time(story.published)
        story.teaser = _teaser(story)
    return stories


def _teaser(story: Story) -> str:
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
Block = tuple[str, ...]


@dataclass
class Comment:
    author: str
    when: str
    text: str
    likes: int


@dataclass
class Article:
    story: Story
    blocks: list[Block]
    words: int
    caption: str
    key_points: list[str]
    related: list[Story]
    most_read: list[Story]
    latest: list[Story]
    picks: list[Story]
    comments: list[Comment]
    previous: Story | None
    following: Story | None


def _write_body(writer: Writer, rng: random.Random, links: Sequence[Story]
                ) -> tuple[list[Block], int]:
    """5–15 paragraphs, 250–900 words, with inline links, maybe a subheading and a quote."""
    target = 250 + int(rng.random() * 650)
    paragraphs = max(5, min(15, round(target / 62)))
    per_paragraph = target / paragraphs
    blocks: list[Block] = []
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
        blocks.insert(paragraphs * 3 // 5, ("h2", cap(writer["subhead"])))
    if paragraphs >= 7 and rng.random() < 0.5:
        caption = f"{writer['caption']} Photograph: {writer['agency']}"
        blocks.insert(paragraphs // 2, ("figure", caption, str(int(rng.random() * 1e9))))
    if rng.random() < 0.25:
        person = writer["person"]
        blocks.insert(paragraphs - 2, ("embed", writer["sentence"], person))
    return blocks, words


def _comments(writer: Writer, rng: random.Random, story: Story) -> list[Comment]:
    if rng.random() >= 0.4:
        return []
    comments = []
    for n in range(3 + int(rng.random() * 10)):
        when = story.published + timedelta(minutes=35 * (n + 1) + int(rng.random() * 30))
        text = " ".join(writer["comment"] for _ in range(1 + int(rng.random() * 3)))
        comments.append(Comment(writer["commenter"].lower().replace(" ", ""),
                                f"{when.day} {when:%B %Y, %H:%M}", text,
                                int(rng.random() * 60)))
    return comments


def write_article(story: Story, stories: list[Story], section_stories: list[Story],
                  position: int, writer: Writer, rng: random.Random) -> Article:
    count = len(stories)
    links = [stories[(story.index + 1 + int(rng.random() * 60)) % count]
             for _ in range(1 + int(rng.random() * 3))]
    blocks, words = _write_body(writer, rng, [s for s in links if s is not story])
    neighbours = [section_stories[(position + k) % len(section_stories)] for k in range(1, 10)]
    # "Most read" is the same few stories for a while, as on a real site.
    popular = [stories[(story.index // 40 * 40 + 17 * k + 3) % count] for k in range(10)]
    key_points = [writer["sentence"] for _ in range(3)] if rng.random() < 0.4 else []
    return Article(
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


def _distinct(stories: list[Story], exclude: Story) -> list[Story]:
    seen = {exclude.index}
    kept = []
    for story in stories:
        if story.index not in seen:
            seen.add(story.index)
            kept.append(story)
    return kept
