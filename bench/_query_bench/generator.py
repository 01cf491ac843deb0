"""The synthetic archive's shape, and the generator of its records.

Seeded: the same seed, size and part size give the same records every run.
"""

from __future__ import annotations

import base64
import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

SEED = 1729

START = datetime(2023, 1, 1, tzinfo=UTC)
SPAN = timedelta(days=731)  # published dates over two years
BODY_WORDS = (300, 1500)
TITLE_WORDS = (6, 12)
AUTHOR_POOL = 500
VERSIONED_SHARE = 0.10  # articles with a second version (same canonical URL)
UNDATED_SHARE = 0.01  # pages that give no date
OWN_LANGUAGE_SHARE = 0.90  # the rest of a source's articles are in one of the others


@dataclass(frozen=True)
class Source:
    job: str
    host: str
    language: str
    zone: str
    share: float  # of all articles


SOURCES = (
    Source("harbour-gazette", "harbour-gazette.example", "en", "Europe/London", 0.25),
    Source("abendblatt", "abendblatt.example", "de", "Europe/Berlin", 0.15),
    Source("le-quotidien", "lequotidien.example", "fr", "Europe/Paris", 0.15),
    Source("diario-sur", "diariosur.example", "es", "America/Bogota", 0.15),
    Source("la-voce", "lavoce.example", "it", "Europe/Rome", 0.12),
    Source("folha-norte", "folhanorte.example", "pt", "America/Sao_Paulo", 0.10),
    Source("asia-wire", "asiawire.example", "en", "Asia/Kolkata", 0.08),
)
LANGUAGES = sorted({source.language for source in SOURCES})
SECTIONS = ("politics", "business", "sport", "culture", "science", "world", "local")

# The vocabulary's made-up words use only these letters, so a phrase with an f,
# w or y in it (or starting with a vowel) is found exactly where it was planted.
_CONSONANTS, _VOWELS, _FINALS = "bcdghlmnprstv", "aeiou", "nrst"
VOCABULARY = 20_000
_ACCENTED = {"a": "ä", "e": "é", "i": "î", "o": "ö", "u": "ü"}

#: Planted in exactly round(share * articles) articles' latest version each
#: (a tenth of the time in the title, in Title Case).
PHRASES = {"harbour ferry": 0.01, "wildfire season": 0.05, "yellow submarine": 0.001}
TEXT_QUERY = "harbour ferry"
#: This share of the versioned articles without "harbour ferry" said it in their
#: first version only: the latest version must not be found through the old one.
DROPPED_SHARE = 0.10
IN_TITLE_SHARE = 0.10
REGEX = r"flood(s|ing)? (warning|alert)s?"
REGEX_FORMS = ("flood warning", "Flood alert", "flooding warnings", "floods alert")
DECOY_FORMS = ("flood barrier", "flooding", "warning of floods")  # must not match REGEX
REGEX_SHARE, DECOY_SHARE = 0.008, 0.01

_FIRST = ("Elena", "James", "Sofia", "Lukas", "Camille", "Marco", "Ana", "Priya", "Thomas",
          "Giulia", "Hannah", "Pedro", "Chloé", "Rahul", "Emma", "Javier", "Lea", "Paolo",
          "Beatriz", "Oliver", "Marie", "Diego", "Anja", "Luca", "Inês", "Arjun", "Sarah",
          "Felix", "Lucía", "Noah", "Julia", "Mateo", "Clara", "Ravi", "Zoé", "Jonas")
_LAST = ("Ruiz", "Smith", "Müller", "Dubois", "Rossi", "Silva", "Sharma", "García", "Jones",
         "Schmidt", "Bernard", "Bianchi", "Santos", "Patel", "Fernández", "Taylor", "Weber",
         "Moreau", "Romano", "Costa", "Iyer", "López", "Brown", "Fischer", "Laurent", "Greco",
         "Pereira", "Nair", "Martín", "Wilson", "Becker", "Lefèvre", "Conti", "Oliveira",
         "Reddy", "Ruiz-Tagle")


def vocabulary(rng: random.Random) -> list[str]:
    """About 210,000 entries drawn from 20,000 made-up words, each as often as Zipf's
    law gives its rank (short words commonest), some with a comma, a full stop or a
    paragraph break after them, a typographic apostrophe or dash, or an accented
    vowel: text that compresses and searches like prose, and like real news text is
    not ASCII (which decides how ``--text`` searches it, archive/query/_sql.py)."""
    words: set[str] = set()
    while len(words) < VOCABULARY:
        syllables = rng.choices((1, 2, 3, 4), weights=(3, 4, 2, 1))[0]
        word = "".join(rng.choice(_CONSONANTS) + rng.choice(_VOWELS) for _ in range(syllables))
        words.add(word + rng.choice(_FINALS) if rng.random() < 0.3 else word)
    ranked = sorted(sorted(words), key=lambda w: len(w) + rng.random() * 4)
    entries = []
    for rank, word in enumerate(ranked, 1):
        entries += [word] * max(1, round(VOCABULARY / rank))
    for i, word in enumerate(entries):
        roll = rng.random()
        if roll < 0.008:
            entries[i] = word + ".\n"
        elif roll < 0.07:
            entries[i] = word + "."
        elif roll < 0.12:
            entries[i] = word + ","
        elif roll < 0.14:
            entries[i] = word + "’s"
        elif roll < 0.15:
            entries[i] = word + "—"
        elif roll < 0.20:
            vowel = rng.choice([c for c in word if c in _ACCENTED] or [""])
            entries[i] = word.replace(vowel, _ACCENTED[vowel], 1) if vowel else word
    return entries


def author_pool(rng: random.Random) -> list[str]:
    names = sorted({f"{first} {last}" for first in _FIRST for last in _LAST})
    return rng.sample(names, AUTHOR_POOL)


def planted(rng: random.Random, articles: int,
            versioned: set[int]) -> tuple[dict[int, list[str]], set[int]]:
    """Which articles get which phrases (in their latest version), and which said
    TEXT_QUERY in their first version only."""
    plants: dict[int, list[str]] = {}
    for phrase, share in PHRASES.items():
        for i in rng.sample(range(articles), round(share * articles)):
            plants.setdefault(i, []).append(phrase)
    chosen = rng.sample(range(articles),
                        round(REGEX_SHARE * articles) + round(DECOY_SHARE * articles))
    for n, i in enumerate(chosen):
        forms = REGEX_FORMS if n < round(REGEX_SHARE * articles) else DECOY_FORMS
        plants.setdefault(i, []).append(rng.choice(forms))
    without = sorted(i for i in versioned if TEXT_QUERY not in plants.get(i, []))
    dropped = set(rng.sample(without, round(DROPPED_SHARE * len(without))))
    return plants, dropped


class Generator:
    """Writes the records of one archive, in each source's time order."""

    def __init__(self, articles: int, seed: int = SEED) -> None:
        self.rng = rng = random.Random(seed)
        self.articles = articles
        self.words = vocabulary(rng)
        self.tags = sorted({word.rstrip(".,\n") for word in rng.choices(self.words, k=600)})
        authors = author_pool(rng)
        weights = [1 / rank ** 0.8 for rank in range(1, len(authors) + 1)]
        self.authors, self.author_weights = authors, list(_running_sum(weights))
        self.versioned = set(rng.sample(range(articles), round(VERSIONED_SHARE * articles)))
        self.plants, self.dropped = planted(rng, articles, self.versioned)

    def sources(self) -> Iterator[tuple[Source, range]]:
        """Each source and the article numbers it publishes (shares of ``articles``)."""
        start = 0
        for n, source in enumerate(SOURCES):
            end = (self.articles if n == len(SOURCES) - 1
                   else start + round(source.share * self.articles))
            yield source, range(start, end)
            start = end

    def source_records(self, source: Source,
                       numbers: range) -> Iterator[tuple[dict[str, Any], dict[str, Any] | None]]:
        """Each article of ``source`` (oldest first) and its second version, if any."""
        rng = self.rng
        offsets = sorted(rng.random() for _ in numbers)
        for i, offset in zip(numbers, offsets, strict=True):
            first, body = self._article(source, i, START + offset * SPAN)
            yield first, self._second(source, i, first, body) if i in self.versioned else None

    def _body(self, low: int, high: int) -> list[str]:
        return self.rng.choices(self.words, k=self.rng.randint(low, high))

    def _article(self, source: Source, i: int,
                 moment: datetime) -> tuple[dict[str, Any], list[str]]:
        """The first version of article ``i``, and the words of its body."""
        rng = self.rng
        zone = ZoneInfo(source.zone)
        language = (source.language if rng.random() < OWN_LANGUAGE_SHARE
                    else rng.choice([code for code in LANGUAGES if code != source.language]))
        title = self._body(*TITLE_WORDS)
        body = self._body(*BODY_WORDS)
        for phrase in self.plants.get(i, []):
            if rng.random() < IN_TITLE_SHARE:
                title.insert(rng.randrange(len(title) + 1), phrase.title())
            else:
                body.insert(rng.randrange(len(body) + 1), phrase)
        if i in self.dropped:  # in the body, where the second version leaves it out
            body.insert(rng.randrange(len(body) + 1), TEXT_QUERY)
        title_text = " ".join(word.rstrip(".,\n") for word in title)
        title_text = title_text[0].upper() + title_text[1:]
        local = moment.astimezone(zone)
        slug = "-".join(word.rstrip(".,\n") for word in title[:5]).lower().replace(" ", "-")
        canonical = f"https://{source.host}/{local:%Y/%m/%d}/{slug}-{i}/"
        fetched = moment + timedelta(minutes=rng.randint(5, 240))
        authors = list(dict.fromkeys(rng.choices(self.authors, cum_weights=self.author_weights,
                                                 k=rng.choice((1, 1, 1, 2, 2, 3)))))
        return {
            # Links from feeds carry a tracking parameter; the page names its canonical URL.
            "url": canonical + "?ref=rss" if rng.random() < 0.05 else canonical,
            "canonical_url": canonical,
            "job": source.job,
            "source": source.job,
            "title": title_text,
            "text": " ".join(body).replace("\n ", "\n"),
            "authors": authors,
            "published": (None if rng.random() < UNDATED_SHARE
                          else local.isoformat(timespec="seconds")),
            "modified": None,
            "language": language,
            "sitename": source.host.removesuffix(".example").replace("-", " ").title(),
            "section": rng.choice(SECTIONS),
            "description": " ".join(body[:25]).replace("\n", " "),
            "tags": sorted(set(rng.choices(self.tags, k=rng.randint(1, 4)))),
            "image": f"https://{source.host}/images/{i}.jpg",
            "fetched_at": fetched.isoformat(timespec="seconds"),
            "status": 200,
            **self._capture(source, fetched),
            "version": 1,
            "previous": None,
        }, body

    def _second(self, source: Source, i: int, first: dict[str, Any],
                body: list[str]) -> dict[str, Any]:
        """A later capture whose text changed: an update paragraph (and, for the
        articles in ``dropped``, no more "harbour ferry")."""
        rng = self.rng
        fetched = datetime.fromisoformat(first["fetched_at"]) + timedelta(
            hours=rng.randint(2, 30 * 24))
        text = first["text"]
        if i in self.dropped:
            text = " ".join(word for word in body if word != TEXT_QUERY).replace("\n ", "\n")
        update = " ".join(self._body(20, 80)).replace("\n ", "\n")
        return {
            **first,
            "url": first["canonical_url"],
            "text": f"{text}\nUpdate: {update}",
            "modified": fetched.astimezone(ZoneInfo(source.zone)).isoformat(timespec="seconds"),
            "fetched_at": fetched.isoformat(timespec="seconds"),
            **self._capture(source, fetched),
            "version": 2,
            "previous": {"version": 1, "fetched_at": first["fetched_at"],
                         "payload_digest": first["payload_digest"], "warc": first["warc"]},
        }

    def _capture(self, source: Source, fetched: datetime) -> dict[str, Any]:
        rng = self.rng
        digest = base64.b32encode(rng.randbytes(20)).decode()
        record_id = uuid.UUID(int=rng.getrandbits(128), version=4)
        return {"payload_digest": f"sha1:{digest}",
                "warc": {"file": f"warc/{source.job}/{source.job}-{fetched:%Y%m%d}"
                                 f"060000000-00001-crawler1.warc.gz",
                         "offset": rng.randrange(0, 900_000_000),
                         "length": rng.randint(15_000, 90_000),
                         "record_id": f"<urn:uuid:{record_id}>"}}


def _running_sum(values: list[float]) -> Iterator[float]:
    total = 0.0
    for value in values:
        total += value
        yield total
