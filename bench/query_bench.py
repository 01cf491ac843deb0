"""How fast are queries over 100,000 articles, from Parquet indexes and from JSON Lines?

Builds a synthetic archive (article parts written by ``ArticleWriter``, each
indexed by ``archive.query.articleindex.write_index``, timed), then times typical
queries through the public API (``archive.query.articles``, ``archive.query.output``)
over the same parts twice: as shipped, reading each part's Parquet index, and
from the JSON Lines alone (what a query costs where parts have no index).
Both paths must give the same rows, and the counts worked out in Python over
the records (as they are written, or read back from a kept archive) with the
query rules of archive/query/_sql.py; when they do not, the run says so and
exits 1.

    .venv/bin/python -m bench.query_bench                       # 100,000 articles
    .venv/bin/python -m bench.query_bench --articles 20000 --repeat 5
    .venv/bin/python -m bench.query_bench --keep /tmp/qb        # keep the archive; reuse it

Results and the machine they were measured on: docs/performance.md. The module
holds the archive's generator and the timing of queries over it, in one file
as the brief asked.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import random
import re
import statistics
import sys
import tempfile
import time
import unicodedata
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from archive.articles import ArticleWriter, read_articles
from archive.query.articleindex import index_path, write_index
from archive.query.articles import ArticleQuery, Filters, open_articles
from archive.query.output import write_result
from archive.query.sources import ArticleFiles
from bench.crawl_throughput import at_least, machine

SEED = 1729
#: Bump when what the generator writes changes: ``--keep`` reuses an archive only
#: when it was built by the same generator, seed, size and part size.
GENERATOR = 1
MARKER = "query-bench.json"
HOST_TAG = "bench"

START = datetime(2023, 1, 1, tzinfo=UTC)
SPAN = timedelta(days=731)  # published dates over two years
BODY_WORDS = (300, 1500)
TITLE_WORDS = (6, 12)
AUTHOR_POOL = 500
VERSIONED_SHARE = 0.10  # articles with a second version (same canonical URL)
UNDATED_SHARE = 0.01  # pages that give no date
OWN_LANGUAGE_SHARE = 0.90  # the rest of a source's articles are in one of the others
#: Articles per part. A daily run of a large source writes about this many; an
#: hourly cron writes smaller parts still (try --part-size 20): docs/performance.md.
DEFAULT_PART_SIZE = 1000


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


# What the queries should find, worked out in Python with archive/query/_sql.py's rules:
# a date bound (--since 2024-03-01) is compared with the date the page printed, in
# its own zone; --author and --text ignore case and accents.
def _published(record: dict[str, Any]) -> datetime | None:
    value = record.get("published")
    return datetime.fromisoformat(value) if value else None


def _dated(record: dict[str, Any], first: str, last: str) -> bool:
    """Published on a day from ``first`` to ``last`` (both included), as the page dates it."""
    day = (record.get("published") or "")[:10]
    return bool(day) and first <= day <= last


def fold(text: str) -> str:
    """Lower case without accents, ß as ss (cheap for ASCII, which most text is)."""
    text = text.lower()
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("ß", "ss")


def _says(record: dict[str, Any], phrase: str) -> bool:
    needle = fold(phrase)
    return needle in fold(record["title"] or "") or needle in fold(record["text"] or "")


def _matches(record: dict[str, Any], pattern: re.Pattern[str]) -> bool:
    return bool(pattern.search(record["title"] or "") or pattern.search(record["text"] or ""))


_REGEX = re.compile(REGEX, re.IGNORECASE)
MONTH = ("2024-03-01", "2024-03-31")
HALF_YEAR = ("2024-01-01", "2024-06-30")
AUTHOR_QUERY = "ruiz"
AGGREGATE = ("SELECT language, strftime(published_at, '%Y-%m') AS month, count(*) AS articles "
             "FROM articles GROUP BY ALL ORDER BY ALL")


def month_of(record: dict[str, Any]) -> tuple[str | None, str | None]:
    """The SQL aggregate's group of a record: its language and UTC month."""
    moment = _published(record)
    return record["language"], moment.astimezone(UTC).strftime("%Y-%m") if moment else None


Outcome = tuple[int, str]  # rows (or the count asked for), and a fingerprint of them


@dataclass(frozen=True)
class Query:
    """One query, run the same way over both paths."""

    label: str
    options: str  # the same query on the command line
    filters: dict[str, Any]
    run: Callable[[ArticleQuery, Path], Outcome]
    #: which latest records it finds, for the count to expect (None: see ``expect``)
    matches: Callable[[dict[str, Any]], bool] | None = None
    expect: str = "matches"  # or: groups, articles, records


def listing(query: ArticleQuery, scratch: Path) -> Outcome:
    """What a researcher reads: URL, title and date of every match, newest first."""
    digest, rows = hashlib.sha1(), 0
    for row in query.select(["url", "title", "published"]).rows():
        digest.update(row["url"].encode() + b"\n")
        rows += 1
    return rows, digest.hexdigest()


def aggregate(query: ArticleQuery, scratch: Path) -> Outcome:
    rows = list(query.sql(AGGREGATE).rows())
    return len(rows), hashlib.sha1(repr(rows).encode()).hexdigest()


def count(query: ArticleQuery, scratch: Path) -> Outcome:
    [row] = query.sql("SELECT count(*) AS n FROM articles").rows()
    return int(row["n"]), ""


def export(fmt: str) -> Callable[[ArticleQuery, Path], Outcome]:
    def run(query: ArticleQuery, scratch: Path) -> Outcome:
        target = scratch / f"export.{fmt}"
        rows = write_result(query.select(), fmt, target)
        # CSV is the same bytes from either path; a Parquet file need not be.
        size = target.stat().st_size if fmt == "csv" else 0
        target.unlink()
        return rows, f"{size} bytes" if size else ""
    return run


QUERIES = (
    Query("date range (one month)", f"--since {MONTH[0]} --until {MONTH[1]}",
          {"since": MONTH[0], "until": MONTH[1]}, listing, lambda r: _dated(r, *MONTH)),
    Query("author", f"--author {AUTHOR_QUERY}", {"author": AUTHOR_QUERY}, listing,
          lambda r: any(fold(AUTHOR_QUERY) in fold(name) for name in r["authors"])),
    Query("phrase (--text)", f'--text "{TEXT_QUERY}"', {"text": TEXT_QUERY}, listing,
          lambda r: _says(r, TEXT_QUERY)),
    Query("--regex", f'--regex "{REGEX}"', {"regex": REGEX}, listing,
          lambda r: _matches(r, _REGEX)),
    Query("language + six months", f"--language de --since {HALF_YEAR[0]} --until {HALF_YEAR[1]}",
          {"language": "de", "since": HALF_YEAR[0], "until": HALF_YEAR[1]}, listing,
          lambda r: r["language"] == "de" and _dated(r, *HALF_YEAR)),
    Query("--sql per language per month", f'--sql "{AGGREGATE}"', {}, aggregate,
          expect="groups"),
    Query("count, latest versions", '--sql "SELECT count(*) FROM articles"', {}, count,
          expect="articles"),
    Query("count, --all-versions", '--all-versions --sql "SELECT count(*) ..."',
          {"all_versions": True}, count, expect="records"),
    Query("export all, CSV", "--format csv -o FILE", {}, export("csv"), expect="articles"),
    Query("export all, Parquet", "--format parquet -o FILE", {}, export("parquet"),
          expect="articles"),
)


# -- the synthetic archive ---------------------------------------------------------------

@dataclass
class Archive:
    """A synthetic archive on disk, and what the generator knows about it."""

    root: Path
    articles: int
    records: int
    parts: list[Path]
    expected: dict[str, int]
    generate_seconds: float = 0.0
    index_seconds: float = 0.0

    def size(self, suffix: str) -> int:
        return sum(path.stat().st_size for path in self.root.glob(f"articles/*/*{suffix}"))


def vocabulary(rng: random.Random) -> list[str]:
    """About 210,000 entries drawn from 20,000 made-up words, each as often as Zipf's
    law gives its rank (short words commonest), some with a comma, a full stop or a
    paragraph break after them: text that compresses and searches like prose."""
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


def build_archive(root: Path, articles: int, part_size: int = DEFAULT_PART_SIZE,
                  seed: int = SEED) -> Archive:
    """Write ``articles`` articles (and their second versions) under ``root/articles``:
    per source, a run writing first versions in time order, then a re-check run
    writing the second versions; each in parts of ``part_size``."""
    started = time.perf_counter()
    generator = Generator(articles, seed)
    tally = Tally()
    parts: list[Path] = []
    for source, numbers in generator.sources():
        directory = root / "articles" / source.job
        seconds: list[dict[str, Any]] = []
        writer = ArticleWriter(directory, source.job, max_lines=part_size, host_tag=HOST_TAG)
        for first, second in generator.source_records(source, numbers):
            writer.write(first)
            tally.add(judge(second or first))
            if second is not None:
                seconds.append(second)
        writer.close()
        recheck = ArticleWriter(directory, source.job, max_lines=part_size, host_tag=HOST_TAG)
        for second in sorted(seconds, key=lambda record: record["fetched_at"]):
            recheck.write(second)
        recheck.close()
        parts += [part.path for part in writer.closed_parts + recheck.closed_parts]
    records = articles + len(generator.versioned)
    archive = Archive(root, articles, records, parts, tally.expected(articles, records))
    archive.generate_seconds = time.perf_counter() - started
    return archive


Judgment = tuple[tuple[str, ...], tuple[str | None, str | None]]


def judge(record: dict[str, Any]) -> Judgment:
    """Which queries find ``record`` if it is the latest version, and its aggregate group."""
    found = tuple(q.label for q in QUERIES if q.matches is not None and q.matches(record))
    return found, month_of(record)


@dataclass
class Tally:
    """The counts each query should give, worked out in Python over the latest records."""

    found: Counter[str] = field(default_factory=Counter)
    groups: set[tuple[str | None, str | None]] = field(default_factory=set)

    def add(self, judgment: Judgment) -> None:
        found, group = judgment
        self.found.update(found)
        self.groups.add(group)

    def expected(self, articles: int, records: int) -> dict[str, int]:
        known = {"groups": len(self.groups), "articles": articles, "records": records}
        return {query.label: (self.found[query.label] if query.matches is not None
                              else known[query.expect]) for query in QUERIES}


def tally_on_disk(parts: list[Path]) -> tuple[int, int, dict[str, int]]:
    """Articles, records and the counts to expect, read back from the parts (for an
    archive kept from an earlier run: the rules of the queries may have changed since)."""
    latest: dict[tuple[str, str], tuple[int, Judgment]] = {}
    records = 0
    for part in parts:
        for record in read_articles(part):
            records += 1
            key = (record["job"], record["canonical_url"] or record["url"])
            if key not in latest or record["version"] > latest[key][0]:
                latest[key] = (record["version"], judge(record))
    tally = Tally()
    for _version, judgment in latest.values():
        tally.add(judgment)
    return len(latest), records, tally.expected(len(latest), records)


def index_archive(archive: Archive) -> None:
    """Write every part's Parquet index, as a crawl does when it closes a part."""
    started = time.perf_counter()
    for part in archive.parts:
        write_index(part)
    archive.index_seconds = time.perf_counter() - started


def prepare(keep: Path | None, scratch: Path, articles: int, part_size: int) -> Archive:
    """The archive to query: built in ``keep`` (or ``scratch``), or reused from ``keep``
    when an earlier run built the same one there; indexed either way (a figure)."""
    root = keep or scratch / "archive"
    marker = root / MARKER
    if marker.is_file():
        parts = sorted(root.glob("articles/*/*.jsonl"))
        found, records, expected = tally_on_disk(parts)
        archive = Archive(root, found, records, parts, expected)
    else:
        archive = build_archive(root, articles, part_size)
        marker.write_text(json.dumps({"generator": GENERATOR, "seed": SEED,
                                      "articles": articles, "part_size": part_size},
                                     indent=2) + "\n", encoding="utf-8")
    index_archive(archive)
    return archive


def keep_problem(keep: Path, articles: int, part_size: int) -> str | None:
    """Why ``--keep DIR`` cannot be used for this run, or None."""
    marker = keep / MARKER
    if marker.is_file():
        saved = json.loads(marker.read_text(encoding="utf-8"))
        if (saved.get("generator"), saved.get("seed"), saved.get("articles"),
                saved.get("part_size")) != (GENERATOR, SEED, articles, part_size):
            return (f"{keep} holds a benchmark archive of {saved.get('articles')} articles in "
                    f"parts of {saved.get('part_size')} (generator {saved.get('generator')}): "
                    "give those options, or another folder")
        return None
    if keep.exists() and (not keep.is_dir() or any(keep.iterdir())):
        return (f"{keep} exists and is not a finished benchmark archive: give a new or "
                "empty folder")
    return None


# -- timing ------------------------------------------------------------------------------

@dataclass
class Timing:
    seconds: list[float] = field(default_factory=list)
    outcomes: set[Outcome] = field(default_factory=set)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


Opener = Callable[[dict[str, Any]], ArticleQuery]


def openers(root: Path) -> dict[str, Opener]:
    """How each path opens a query: as shipped (Parquet where a part has an index),
    and over the JSON Lines alone. Both list the archive's files each time, as
    ``open_articles`` does: with thousands of parts that is part of the cost."""
    def json_lines(filters: dict[str, Any]) -> ArticleQuery:
        parts = sorted(root.glob("articles/*/*.jsonl"))
        return ArticleQuery(ArticleFiles(jsonl=parts, where=str(root)), Filters.make(**filters))

    return {"parquet": lambda filters: open_articles(root, **filters), "json": json_lines}


def run_once(query: Query, opener: Opener, scratch: Path) -> tuple[float, Outcome]:
    started = time.perf_counter()
    with opener(query.filters) as opened:
        outcome = query.run(opened, scratch)
    return time.perf_counter() - started, outcome


def time_queries(root: Path, repeat: int, scratch: Path) -> dict[tuple[str, str], Timing]:
    """Every query over both paths, ``repeat`` times, interleaved so that the machine's
    slow moments fall on both alike; which path goes first alternates, so neither
    always follows the heavy run before it (an export leaves memory and the page
    cache behind it busy)."""
    paths = openers(root)
    timings = {(q.label, path): Timing() for q in QUERIES for path in paths}
    for run in range(repeat):
        for query in QUERIES:
            order = list(paths.items())
            for path, opener in order[::-1] if run % 2 else order:
                seconds, outcome = run_once(query, opener, scratch)
                timings[query.label, path].seconds.append(seconds)
                timings[query.label, path].outcomes.add(outcome)
    return timings


def disagreements(timings: dict[tuple[str, str], Timing],
                  expected: dict[str, int]) -> list[str]:
    """Every way the two paths, their repetitions and the counts expected disagree."""
    problems = []
    for query in QUERIES:
        parquet, json_ = timings[query.label, "parquet"], timings[query.label, "json"]
        if len(parquet.outcomes) != 1 or parquet.outcomes != json_.outcomes:
            problems.append(f"{query.label}: Parquet gave {sorted(parquet.outcomes)}, "
                            f"JSON Lines gave {sorted(json_.outcomes)}")
            continue
        [(rows, _fingerprint)] = parquet.outcomes
        if rows != expected[query.label]:
            problems.append(f"{query.label}: both paths gave {rows}, expected "
                            f"{expected[query.label]} (counted in Python over the records)")
    return problems


# -- the report --------------------------------------------------------------------------

def report(archive: Archive, timings: dict[tuple[str, str], Timing], repeat: int) -> str:
    about = machine()
    per_10k = archive.index_seconds / archive.records * 10_000
    jsonl, parquet = archive.size(".jsonl"), archive.size(".parquet")
    lines = [
        f"machine: {about['cores']} cores, {about['cpu']}, Python {about['python']}, "
        f"DuckDB {_duckdb_version()}",
        f"archive: {archive.articles:,} articles, {archive.records:,} records "
        f"({archive.records - archive.articles:,} second versions), {len(archive.parts)} "
        f"parts in {len(SOURCES)} jobs, at {archive.root}",
        f"generated in {archive.generate_seconds:.1f} s" if archive.generate_seconds
        else "generated earlier (--keep)",
        f"indexed (write_index, one thread a part) in {archive.index_seconds:.1f} s: "
        f"{per_10k:.2f} s per 10,000 records",
        f"on disk: JSON Lines {jsonl / 1e6:,.1f} MB, Parquet {parquet / 1e6:,.1f} MB "
        f"({parquet / jsonl:.2f} of the JSON)",
        "",
        f"seconds, {repeat} run{'s' if repeat != 1 else ''} each: median (min)",
        f"{'query':<30}{'rows':>9}{'Parquet':>16}{'JSON Lines':>17}{'Parquet/JSON':>14}",
    ]
    for query in QUERIES:
        fast, slow = timings[query.label, "parquet"], timings[query.label, "json"]
        rows = next(iter(fast.outcomes))[0]
        lines.append(f"{query.label:<30}{rows:>9,}{_cell(fast):>16}{_cell(slow):>17}"
                     f"{fast.median / slow.median:>14.3f}")
    lines += ["", "each time runs from opening the query (its articles view) to the last row "
              "or file written; the queries are `newsarchive query --out DIR` with:"]
    lines += [f"  {query.label:<30}{query.options}" for query in QUERIES]
    return "\n".join(lines)


def _cell(timing: Timing) -> str:
    return f"{timing.median:.3f} ({min(timing.seconds):.3f})"


def _duckdb_version() -> str:
    import duckdb

    return duckdb.__version__


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=at_least(1000), default=100_000, metavar="N",
                        help="articles in the synthetic archive (default 100000; at least "
                             "1000, or the rare phrases are planted nowhere)")
    parser.add_argument("--repeat", type=at_least(1), default=3, metavar="R",
                        help="timed runs of each query on each path (default 3)")
    parser.add_argument("--part-size", type=at_least(1), default=DEFAULT_PART_SIZE,
                        metavar="N", help="articles per part file "
                        f"(default {DEFAULT_PART_SIZE}, about a large source's daily run)")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="build the archive in DIR and keep it; a later run with the "
                             "same --articles and --part-size reuses it")
    args = parser.parse_args(argv)
    if args.keep is not None and (problem := keep_problem(args.keep, args.articles,
                                                          args.part_size)):
        parser.error(f"--keep: {problem}")

    with tempfile.TemporaryDirectory(prefix="query-bench-") as tmp:
        scratch = Path(tmp)
        archive = prepare(args.keep, scratch, args.articles, args.part_size)
        missing = [part for part in archive.parts if not index_path(part).is_file()]
        if missing:
            print(f"query_bench: {len(missing)} parts have no Parquet index", file=sys.stderr)
            return 1
        timings = time_queries(archive.root, args.repeat, scratch)
        print(report(archive, timings, args.repeat))
    problems = disagreements(timings, archive.expected)
    if problems:
        print("\nMISMATCH: the two paths (or the generator) disagree; these timings "
              "compare different work:", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    print("\nrows: Parquet = JSON Lines = the count in Python over the records, "
          "for every query")
    return 0


if __name__ == "__main__":
    sys.exit(main())
