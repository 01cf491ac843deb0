"""The archive as it stood at a crawl or a moment: a corpus that does not move.

``as_of="20240620T090000Z"`` (a crawl id, the start stamp that ends the name of
``manifests/JOB-CRAWLID.json``; ``JOB-CRAWLID`` also works) keeps the article
files that the manifests of that crawl and of every crawl started no later
list: exactly what those crawls wrote, whatever later crawls add. A
distributed crawl has one id shared by all its workers, and each worker's
manifest (``JOB-CRAWLID-WORKER.json``) and the crawl's own list its files, so
all of them count. A file no manifest lists (a crawl still running, or one
killed before its manifest) is in no crawl's corpus until a crawl lists it.

``as_of="2024-06-20"`` (a day: up to its end, UTC) or an ISO 8601 time keeps
the captures fetched at or before then (``fetched_at``; a capture without one
is left out). Captures of a crawl still running then are in as far as they
were fetched by then.

Either way the cut comes first: each article's latest version, ``--changed``
and every filter are then worked out over what is left, so an article edited
later shows the version it had then.

    >>> from archive.query import find_articles
    >>> rows = find_articles("archive-data", as_of="20240620T090000Z")
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from datetime import time as time_
from pathlib import Path

from archive.errors import QueryError
from archive.layout import check_job_name
from archive.query.articleindex import part_stem, sql_string
from archive.query.sources import fetch
from archive.store.base import ObjectStore
from archive.store.manifest import is_manifest

__all__ = ["AsOf", "Crawl", "corpus_filter", "crawls_in_folder", "crawls_in_store",
           "parse_as_of"]

CRAWL_ID = re.compile(r"^\d{8}T\d{6}Z$")
# How many known crawls an unknown one's message names.
_NEAREST = 3


@dataclass(frozen=True)
class AsOf:
    """Where a corpus stands: a crawl (and the crawls before it), or a moment."""

    text: str  # as given, for messages
    crawl_id: str | None = None
    job: str | None = None  # when given as JOB-CRAWLID
    until: datetime | None = None  # captures fetched at or before this instant (UTC)


@dataclass(frozen=True)
class Crawl:
    """One crawl of one job, and the files its manifests list (every worker's)."""

    job: str
    crawl_id: str
    paths: frozenset[str]

    @property
    def name(self) -> str:
        return f"{self.job}-{self.crawl_id}"


def parse_as_of(value: object) -> AsOf:
    """A crawl id (``20240620T090000Z``, or ``JOB-20240620T090000Z``), a day
    (``2024-06-20``: up to its end, UTC) or an ISO 8601 time (no zone: UTC)."""
    from archive.query._filters import parse_when  # _filters builds on this module

    if not isinstance(value, str) or not value.strip():
        raise QueryError("--as-of is empty: give a crawl id such as 20240620T090000Z, "
                         "a day (2024-06-20) or an ISO 8601 time")
    text = value.strip()
    job, _, stamp = text.rpartition("-")
    if CRAWL_ID.match(text):
        return AsOf(text, crawl_id=text)
    if job and CRAWL_ID.match(stamp):
        return AsOf(text, crawl_id=stamp, job=check_job_name(job))
    try:
        when = parse_when(text, "--as-of")
    except QueryError:
        raise QueryError(f"--as-of {value!r} is neither a crawl id (20240620T090000Z, the end "
                         "of a manifest's name) nor a date (2024-06-20) or ISO 8601 time "
                         "(2024-06-20T12:00:00+02:00)") from None
    if when.date is not None:
        end = datetime.combine(when.date + timedelta(days=1), time_(0), UTC)
        return AsOf(text, until=end - timedelta(microseconds=1))
    return AsOf(text, until=when.instant)


def fetched_cut_sql(as_of: AsOf | None) -> str | None:
    """The condition a capture meets to be in the corpus at a moment (None: no cut)."""
    if as_of is None or as_of.until is None:
        return None
    return (f"TRY_CAST(fetched_at AS TIMESTAMPTZ) <= "
            f"TIMESTAMPTZ {sql_string(as_of.until.isoformat())}")


def corpus_filter(as_of: AsOf | None, crawls: list[Crawl], where: str
                  ) -> Callable[[str], bool] | None:
    """Which article files (``articles/JOB/NAME``) are in the corpus of a crawl id;
    None when every file is (no as-of, or a moment, cut by :func:`fetched_cut_sql`).
    An unknown crawl is a QueryError naming the nearest known ones."""
    if as_of is None or as_of.crawl_id is None:
        return None
    named = [c for c in crawls if c.crawl_id == as_of.crawl_id
             and (as_of.job is None or c.job == as_of.job)]
    if not named:
        raise QueryError(_unknown(as_of, crawls, where))
    parts = {_part(path) for crawl in crawls if crawl.crawl_id <= as_of.crawl_id
             for path in crawl.paths if path.startswith("articles/")}
    if not parts:
        raise QueryError(f"--as-of {as_of.text}: the crawls up to {as_of.crawl_id} in {where} "
                         "wrote no article files")
    return lambda path: _part(path) in parts


def crawls_in_folder(root: Path) -> list[Crawl]:
    """The crawls the manifests of a local archive describe."""
    folder = Path(root) / "manifests"
    paths = sorted(folder.glob("*.json")) if folder.is_dir() else []
    return _merge(_read(path) for path in paths if is_manifest(path))


def crawls_in_store(store: ObjectStore, cache: Path) -> list[Crawl]:
    """The crawls the manifests in a store describe (each fetched once into ``cache``)."""
    sizes = dict(store.sizes("manifests"))
    return _merge(_read(fetch(store, key, cache, size)) for key, size in sorted(sizes.items())
                  if is_manifest(key))


def _read(path: Path) -> tuple[str, str, list[str]] | None:
    """(job, crawl id, listed paths) of one manifest; None for one that is not ours."""
    try:
        manifest = json.loads(Path(path).read_text("utf-8"))
        job, crawl_id = str(manifest["job"]), str(manifest["crawl_id"])
        return job, crawl_id, [str(entry["path"]) for entry in manifest["files"]]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # a damaged manifest lists nothing: its crawl is in no corpus


def _merge(manifests: Iterable[tuple[str, str, list[str]] | None]) -> list[Crawl]:
    """One Crawl per job and crawl id: a distributed crawl's worker manifests and its own."""
    listed: dict[tuple[str, str], set[str]] = {}
    for manifest in manifests:
        if manifest is not None and CRAWL_ID.match(manifest[1]):
            listed.setdefault((manifest[0], manifest[1]), set()).update(manifest[2])
    return [Crawl(job, crawl_id, frozenset(paths))
            for (job, crawl_id), paths in sorted(listed.items(), key=lambda i: (i[0][1], i[0][0]))]


def _part(path: str) -> str:
    """An article part's path without its suffix: its JSON Lines and its index are one."""
    return part_stem(path) or path


def _unknown(as_of: AsOf, crawls: list[Crawl], where: str) -> str:
    candidates = [c for c in crawls if as_of.job is None or c.job == as_of.job]
    if not candidates:
        return (f"--as-of {as_of.text}: {where} has no crawl manifests"
                + (f" of job {as_of.job}" if as_of.job else "")
                + "; give a date or time instead, or the --out/--store the crawls wrote to")
    wanted = _stamp(as_of.crawl_id or "")
    nearest = sorted(candidates, key=lambda c: abs((_stamp(c.crawl_id) - wanted)
                                                   .total_seconds()))[:_NEAREST]
    names = ", ".join(c.name for c in sorted(nearest, key=lambda c: c.crawl_id))
    return (f"--as-of {as_of.text}: no such crawl in {where}; the nearest of its "
            f"{len(candidates)} crawls: {names}")


def _stamp(crawl_id: str) -> datetime:
    return datetime.strptime(crawl_id, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
