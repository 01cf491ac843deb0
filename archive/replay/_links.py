"""Where each article replays: the capture it was extracted from, found in the index.

An article's ``warc`` pointer names its response record by file and offset; the
``.cdxj`` line with that file and offset gives the record's own 14-digit WARC-Date,
which is the timestamp that makes pywb replay exactly that capture. ``fetched_at``
is only a fallback: it can be a second off, and then pywb may pick a neighbour.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from archive.articles import fetched_utc
from archive.query.articleindex import is_article_part
from archive.warc.cdxj import is_cdxj, read_cdxj

if TYPE_CHECKING:  # replay imports this module to re-export it
    from archive.replay.pywb import ReplayServer


@dataclass(frozen=True)
class ArticleLink:
    """Where an article's own capture replays."""

    job: str
    title: str
    url: str
    timestamp: str  # 14 digits: the capture's WARC-Date
    replay_url: str
    raw_url: str


def article_links(server: ReplayServer, job: str,
                  articles: Iterable[Mapping[str, Any]] | None = None) -> Iterator[ArticleLink]:
    """A link per article (default: every article of ``job`` in the archive) to the very
    capture it was extracted from. Raises ReplayError at once if ``job`` is not served."""
    captures = capture_timestamps(server.collection(job))
    source = _job_articles(server.root, job) if articles is None else articles
    return _links(server, job, captures, source)


def _links(server: ReplayServer, job: str, captures: Mapping[tuple[str, int], str],
           articles: Iterable[Mapping[str, Any]]) -> Iterator[ArticleLink]:
    for article in articles:
        url = article.get("url")
        if not url:
            continue
        stamp = article_timestamp(article, captures)
        yield ArticleLink(job, article.get("title") or url, url, stamp,
                          server.replay_url(job, stamp, url), server.raw_url(job, stamp, url))


def replay_address(base_url: str, job: str, timestamp: str, url: str) -> str:
    """Where pywb at ``base_url`` replays ``url`` of ``job`` as captured at ``timestamp``
    (14 digits; "" for the latest): also for a server not started yet, such as the
    one ``newsarchive replay --port N`` will start."""
    return f"{base_url}/{job}/{timestamp + '/' if timestamp else ''}{url}"


def _job_articles(root: Path, job: str) -> Iterator[dict[str, Any]]:
    for part in sorted((root / "articles" / job).glob("*.jsonl*")):
        if not is_article_part(part):
            continue
        opener = gzip.open if part.suffix == ".gz" else open
        with opener(part, "rt", encoding="utf-8") as handle:
            yield from (json.loads(line) for line in handle if line.strip())


def capture_timestamps(folder: Path) -> dict[tuple[str, int], str]:
    """(WARC base name, record offset) -> the record's 14-digit timestamp, from every
    ``.cdxj`` in ``folder``."""
    captures: dict[tuple[str, int], str] = {}
    for index in sorted(folder.iterdir()):
        if not is_cdxj(index):
            continue
        for line in read_cdxj(index):
            _key, timestamp, fields = line.split(" ", 2)
            data = json.loads(fields)
            if "filename" in data and "offset" in data:
                captures[(data["filename"], int(data["offset"]))] = timestamp
    return captures


def article_timestamp(article: Mapping[str, Any], captures: Mapping[tuple[str, int], str]
                      ) -> str:
    """The 14-digit timestamp of the capture ``article`` was extracted from.

    Its index line (found by the ``warc`` pointer's file and offset) is the capture's
    own WARC-Date, which pywb matches exactly; ``fetched_at`` may differ by a second.
    Without either, "" (pywb then replays the latest capture).
    """
    pointer = article.get("warc") or {}
    try:
        key = (PurePosixPath(str(pointer["file"])).name, int(pointer["offset"]))
    except (KeyError, TypeError, ValueError):
        key = None
    if key is not None and key in captures:
        return captures[key]
    fetched = fetched_utc(article)
    return fetched.strftime("%Y%m%d%H%M%S") if fetched else ""
