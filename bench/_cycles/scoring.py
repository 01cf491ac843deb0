"""Recall, duplicates and edits caught: the archive's article records against the
web's ground truth, cycle by cycle.

Cycle H is the crawl run after the web advanced to hour H. An article published in
hour H should be archived by cycle H, once; an edit made in hour H should give a new
version in cycle H. Sites that were down or asked to back off (429/503) in hour H
are left out of that hour's score: what they published is owed by a later cycle
(counted as "late"). Records are read from DIR/articles/JOB/*.jsonl[.gz] and
attributed to the cycle after which they first appeared.
"""

from __future__ import annotations

import gzip
import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

EXCUSED = ("down", "throttled")


class RecordReader:
    """The article records written since the last call."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._seen: dict[str, int] = {}

    def new_records(self) -> list[dict[str, Any]]:
        found = []
        for path in sorted(self.folder.glob("*.jsonl*")):
            name = path.name.removesuffix(".open").removesuffix(".gz")
            try:
                raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" \
                    else path.read_bytes()
            except OSError:
                continue
            lines = [line for line in raw.split(b"\n") if line.strip()]
            found += [json.loads(line) for line in lines[self._seen.get(name, 0):]]
            self._seen[name] = len(lines)
        return found


@dataclass
class CycleScore:
    cycle: int
    published: int = 0  # on sites up in that hour
    archived: int = 0  # of those, in this cycle
    excused: list[str] = field(default_factory=list)  # published on sites down/throttled
    missed: list[str] = field(default_factory=list)
    records: int = 0
    duplicates: list[str] = field(default_factory=list)
    edits: int = 0  # made in that hour on sites that were up
    edits_caught: int = 0
    edits_missed: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # records of URLs that are no article

    @property
    def recall(self) -> float:
        return self.archived / self.published if self.published else 1.0


class Scorer:
    """Keeps every record seen so far, and scores each cycle as it ends."""

    def __init__(self) -> None:
        self.written: dict[str, list[int]] = defaultdict(list)  # url -> cycles written in
        self.scores: list[CycleScore] = []

    def score(self, cycle: int, records: list[dict[str, Any]], truth: dict[str, Any]
              ) -> CycleScore:
        aliases = {urlsplit(s["alias"]).netloc: urlsplit(s["base"]).netloc
                   for s in truth["sites"] if s["alias"]}
        status = {s["index"]: s["status_by_hour"][cycle] for s in truth["sites"]}
        articles = {a["url"]: a for a in truth["articles"]}
        result = CycleScore(cycle, records=len(records))
        for record in records:
            url = _main_host(record["url"], aliases)
            article = articles.get(url)
            if article is None:
                result.unknown.append(record["url"])
                continue
            before = self.written[url]
            edited = any(before[-1] < hour <= cycle for hour in article["edits"]) \
                if before else True
            if cycle in before or not edited:
                result.duplicates.append(url)
            before.append(cycle)
        for url, article in articles.items():
            up = status[article["site"]] not in EXCUSED
            if article["published_hour"] == cycle:
                if not up:
                    result.excused.append(url)
                    continue
                result.published += 1
                if cycle in self.written.get(url, ()):
                    result.archived += 1
                else:
                    result.missed.append(url)
            if cycle in article["edits"] and article["published_hour"] < cycle and up:
                result.edits += 1
                if cycle in self.written.get(url, ()):
                    result.edits_caught += 1
                else:
                    result.edits_missed.append(url)
        self.scores.append(result)
        return result

    def late(self) -> tuple[int, int]:
        """Articles missed in their hour (or owed by a site that was out) and archived since."""
        owed = {url for s in self.scores for url in s.missed + s.excused}
        return sum(1 for url in owed if self.written.get(url)), len(owed)

    def never(self, truth: dict[str, Any]) -> list[str]:
        """Articles published up to the last cycle that no cycle archived."""
        return [a["url"] for a in truth["articles"] if not self.written.get(a["url"])]


def _main_host(url: str, aliases: dict[str, str]) -> str:
    parts = urlsplit(url)
    if parts.netloc in aliases:
        return parts._replace(netloc=aliases[parts.netloc]).geturl()
    return url
