"""How well and how fast are near-duplicate articles grouped?

Plants a known set of copies in a synthetic archive and asks
``archive.query.find_duplicates`` to find them again. Every story is written
from a topic's vocabulary (words drawn by a Zipf law, so that stories on one
topic share many words and some three-word runs, as real ones do); a share of
them are wire stories, run by two to six outlets each as

- an exact copy (another outlet, another URL, often another headline),
- a copy with a new intro paragraph (the outlet's own lead),
- a copy with the ending cut or replaced (a local "what happens next"),
- the same story republished by its outlet under a new URL;

the rest stand alone, many on the same topic as a wire story, and some of those
are follow-ups that repeat a paragraph or two of background from an earlier
story on their topic (different stories, not copies). The truth is each
article's story; the grouping is scored by pairs: precision, the share of the
pairs it put together that are copies of one story; recall, the share of such
pairs it put together. Also timed: the fingerprint of one article (the crawl
makes it in its extraction workers) and the grouping of the whole archive
(``find_duplicates`` from its Parquet indexes, as the command runs it).

    .venv/bin/python -m bench.duplicates_bench                  # 3,000 articles
    .venv/bin/python -m bench.duplicates_bench --articles 100000
    .venv/bin/python -m bench.duplicates_bench --thresholds 0.4,0.5,0.6

Results and the machine they were measured on: docs/performance.md.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from archive.articles import ArticleWriter
from archive.fingerprint import fingerprint
from archive.query.articleindex import write_index
from archive.query.duplicates import DEFAULT_THRESHOLD, find_duplicates
from bench.crawl_throughput import at_least

SEED = 23
TOPICS = 40
WIRE_SHARE = 0.4  # of stories: run by several outlets
FOLLOW_UP_SHARE = 0.15  # of stories: repeat background paragraphs of an earlier one
VARIANTS = ("exact", "intro", "ending", "republished")
OUTLETS = [f"outlet{i:02d}" for i in range(30)]
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
PART_SIZE = 5000
_COMMON = ("the a of to and in that for on with as by at from it its was is be has "
           "said will would after before over under about more than this but not "
           "they their his her who which when while new last first two three").split()


@dataclass(frozen=True)
class Planted:
    """An article record and the story it tells (the truth the grouping is scored on)."""

    record: dict
    story: int


class Stories:
    """Deterministic text: a vocabulary per topic, paragraphs of Zipf-drawn words."""

    def __init__(self, seed: int = SEED) -> None:
        self.random = random.Random(seed)
        self.topics = [[f"{self._word()}" for _ in range(250)] for _ in range(TOPICS)]
        self.weights = [1 / (rank + 1) for rank in range(250 + len(_COMMON))]

    def _word(self) -> str:
        return "".join(self.random.choice("bcdfghklmnprstvz") + self.random.choice("aeiou")
                       for _ in range(self.random.randint(2, 4)))

    def paragraph(self, topic: int) -> str:
        words = [*_COMMON, *self.topics[topic]]
        sentences = []
        for _ in range(self.random.randint(2, 4)):
            drawn = self.random.choices(words, self.weights, k=self.random.randint(8, 20))
            sentences.append(" ".join(drawn).capitalize() + ".")
        return " ".join(sentences)

    def story(self, topic: int) -> list[str]:
        return [self.paragraph(topic) for _ in range(self.random.randint(5, 12))]

    def title(self, topic: int) -> str:
        return " ".join(self.random.sample(self.topics[topic], 5)).capitalize()


def planted_set(articles: int, seed: int = SEED) -> list[Planted]:
    """``articles`` records (about: the last wire story's copies may run over)."""
    stories = Stories(seed)
    rng = stories.random
    planted: list[Planted] = []
    story = 0
    earlier: dict[int, list[str]] = {}  # the last story of each topic
    while len(planted) < articles:
        topic = rng.randrange(TOPICS)
        paragraphs = stories.story(topic)
        if topic in earlier and rng.random() < FOLLOW_UP_SHARE:
            background = rng.sample(earlier[topic], min(2, len(earlier[topic])))
            paragraphs[1:1] = background[:rng.randint(1, 2)]
        earlier[topic] = paragraphs
        title = stories.title(topic)
        outlets = rng.sample(OUTLETS, rng.randint(3, 7) if rng.random() < WIRE_SHARE else 1)
        for copy, outlet in enumerate(outlets):
            text, headline, variant = list(paragraphs), title, "original"
            if copy:
                variant = rng.choice(VARIANTS)
                if rng.random() < 0.5:
                    headline = stories.title(topic)
                if variant == "intro":
                    text[0] = stories.paragraph(topic)
                elif variant == "ending":
                    text = text[:-1] if rng.random() < 0.5 else [*text[:-1],
                                                                  stories.paragraph(topic)]
                elif variant == "republished":
                    outlet = outlets[0]
            url = f"https://{outlet}.example/{story}/{copy}/"
            planted.append(Planted(_record(url, outlet, headline, "\n".join(text), story,
                                           copy), story))
        story += 1
    return planted


def _record(url: str, outlet: str, title: str, text: str, story: int, copy: int) -> dict:
    return {"url": url, "canonical_url": url, "job": "bench", "source": outlet,
            "title": title, "text": text, "authors": [], "language": "en",
            "published": f"2024-06-{1 + story % 28:02d}",
            "fetched_at": f"2024-06-{1 + story % 28:02d}T{copy % 24:02d}:00:00+00:00",
            "status": 200, "version": 1, "previous": None}


def write_archive(planted: list[Planted], root: Path, *, fingerprints: bool = True) -> float:
    """The records as a crawl writes them (parts and their Parquet indexes), each with
    its fingerprint unless not ``fingerprints`` (an archive crawled before them); the
    seconds the fingerprints took."""
    folder = root / "articles" / "bench"
    folder.mkdir(parents=True)
    spent = 0.0
    for start in range(0, len(planted), PART_SIZE):
        writer = ArticleWriter(folder, "bench")
        for item in planted[start:start + PART_SIZE]:
            began = time.perf_counter()
            made = fingerprint(item.record["text"]) if fingerprints else None
            record = {**item.record, "fingerprint": made}
            spent += time.perf_counter() - began
            writer.write(record)
        writer.close()
        for part in writer.closed_parts:
            write_index(part.path)
    return spent


def pair_scores(predicted: list[list[str]], truth: dict[str, int]) -> tuple[float, float]:
    """Pairwise precision and recall of ``predicted`` groups (of URLs) against each
    URL's true story (every URL not in a group stands alone)."""
    def pairs(size: int) -> int:
        return size * (size - 1) // 2

    found = sum(pairs(len(group)) for group in predicted)
    right = sum(pairs(n) for group in predicted
                for n in Counter(truth[url] for url in group).values())
    real = sum(pairs(n) for n in Counter(truth.values()).values())
    return (right / found if found else 1.0), (right / real if real else 1.0)


def measure(root: Path, truth: dict[str, int], threshold: float) -> tuple[float, float, float]:
    """(precision, recall, seconds) of grouping the archive at ``threshold``."""
    began = time.perf_counter()
    groups = find_duplicates(root, threshold=threshold)
    seconds = time.perf_counter() - began
    precision, recall = pair_scores([[m.url for m in g.members] for g in groups], truth)
    return precision, recall, seconds


def _thresholds(text: str) -> list[float]:
    try:
        values = [float(value) for value in text.split(",") if value.strip()]
    except ValueError:
        values = []
    if not values or not all(0 < value <= 1 for value in values):
        raise argparse.ArgumentTypeError(f"expected numbers above 0 and at most 1, "
                                         f"comma-separated, got {text!r}")
    return values


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=at_least(100), default=3000, metavar="N",
                        help="articles in the planted set (default 3000)")
    parser.add_argument("--thresholds", type=_thresholds, default=list(THRESHOLDS),
                        metavar="A,B", help="similarity thresholds to score (default "
                        + ",".join(map(str, THRESHOLDS)) + "; the default threshold too)")
    parser.add_argument("--seed", type=int, default=SEED, help=f"(default {SEED})")
    parser.add_argument("--without-fingerprints", action="store_true",
                        help="records without fingerprints (crawled before them): the "
                        "grouping makes them, and its time includes theirs")
    args = parser.parse_args(argv)
    planted = planted_set(args.articles, args.seed)
    truth = {item.record["url"]: item.story for item in planted}
    sizes = Counter(Counter(truth.values()).values())
    print(f"{len(planted)} articles, {len(set(truth.values()))} "
          f"stories; copies per story: "
          + ", ".join(f"{size}: {count}" for size, count in sorted(sizes.items())))
    with tempfile.TemporaryDirectory(prefix="dupbench-") as temp:
        root = Path(temp)
        spent = write_archive(planted, root, fingerprints=not args.without_fingerprints)
        if not args.without_fingerprints:
            print(f"fingerprint: {1000 * spent / len(planted):.3f} ms an article")
        print("threshold  precision  recall  grouping (s)")
        worst = 1.0
        for threshold in sorted({*args.thresholds, DEFAULT_THRESHOLD}):
            precision, recall, seconds = measure(root, truth, threshold)
            mark = "  (default)" if threshold == DEFAULT_THRESHOLD else ""
            print(f"{threshold:9.2f}  {precision:9.4f}  {recall:6.4f}  {seconds:12.2f}{mark}")
            if threshold == DEFAULT_THRESHOLD:
                worst = min(precision, recall)
    return 0 if worst >= 0.95 else 1


if __name__ == "__main__":
    sys.exit(main())
