"""The two derived files of a WACZ: the merged CDXJ index and the page list.

Both are streamed: the index is a k-way merge of already sorted per-WARC
``.cdxj`` files, and pages are written as the articles arrive, so memory holds
only one small entry per indexed record (what a page needs from the index),
never the index lines or the articles' text.
"""

from __future__ import annotations

import heapq
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from archive.articles import fetched_utc
from archive.errors import ReplayError
from archive.warc.cdxj import read_cdxj

PAGES_HEADER = {"format": "json-pages-1.0", "id": "pages", "title": "All Pages"}


@dataclass(frozen=True)
class Capture:
    """What the index says about one record: enough to point a page at it."""

    timestamp: str  # 14 digits, UTC
    url: str


# (WARC base name, record offset) -> capture; the same key an article's ``warc`` gives.
Captures = dict[tuple[str, int], Capture]


def merge_indexes(indexes: Sequence[tuple[Path, str]], out: TextIO) -> Captures:
    """Write the lines of every ``(cdxj, warc_name)`` to ``out`` in sorted order.

    Each input must already be sorted (cdxj-indexer sorts) and name only its
    own WARC: a line naming another file would send replay to a WARC that is
    not in the package, so it is refused rather than copied.
    """
    captures: Captures = {}
    streams = [_checked_lines(cdxj, name, captures) for cdxj, name in indexes]
    for line in heapq.merge(*streams):
        out.write(line + "\n")
    return captures


def _checked_lines(cdxj: Path, warc_name: str, captures: Captures) -> Iterator[str]:
    previous = ""
    for line in read_cdxj(cdxj):
        if line.startswith("!"):  # CDXJ meta/comment lines are not records
            continue
        if line < previous:
            raise ReplayError(f"{cdxj} is not sorted: delete it and export again to re-index")
        previous = line
        fields = _fields(cdxj, line)
        if fields.get("filename") != warc_name:
            raise ReplayError(f"{cdxj} indexes {fields.get('filename')!r}, not {warc_name!r}: "
                              "delete it and export again to re-index")
        timestamp = line.split(" ", 2)[1]
        captures[(warc_name, int(fields["offset"]))] = Capture(timestamp, fields.get("url", ""))
        yield line


def _fields(cdxj: Path, line: str) -> dict[str, Any]:
    try:
        fields = json.loads(line.split(" ", 2)[2])
        int(fields["offset"])
    except (IndexError, ValueError, KeyError, TypeError) as exc:
        raise ReplayError(f"{cdxj} has a damaged line ({exc}): delete it and export again "
                          "to re-index") from exc
    return fields


def write_pages(articles: Iterable[Mapping[str, Any]], captures: Captures, names: set[str],
                out: TextIO) -> int:
    """Write the JSON Lines page list; return how many pages it holds.

    Only articles whose WARC is in the package (``names``) become pages (matched on the
    WARC's base name, which the package requires to be unique; IIPC names
    carry job, time, serial and host, so two jobs' files do not share one).
    Each record becomes one page, however many times it is listed.
    """
    out.write(json.dumps(PAGES_HEADER) + "\n")
    seen: set[str] = set()
    for article in articles:
        page = _page(article, captures, names)
        if page is None or page["id"] in seen:
            continue
        seen.add(page["id"])
        out.write(json.dumps(page, ensure_ascii=False) + "\n")
    return len(seen)


def _page(article: Mapping[str, Any], captures: Captures, names: set[str]
          ) -> dict[str, Any] | None:
    """The page of one article, or None when its capture is not in this package."""
    location = article.get("warc") or {}
    name = Path(str(location.get("file", ""))).name
    if name not in names:
        return None
    try:
        offset = int(location["offset"])
    except (KeyError, TypeError, ValueError):
        offset = -1
    capture = captures.get((name, offset))
    # The index knows exactly which URL that record replays under; the article's
    # own fields are the fallback for a record the index skipped.
    url = capture.url if capture and capture.url else article.get("url")
    fetched = fetched_utc(article)
    ts = (_iso(capture.timestamp) if capture
          else fetched.strftime("%Y-%m-%dT%H:%M:%SZ") if fetched else None)
    if not url or not ts:
        return None
    page: dict[str, Any] = {"id": _page_id(location, name, offset), "url": url, "ts": ts}
    for key in ("title", "text"):
        if article.get(key):
            page[key] = article[key]
    return page


def _page_id(location: Mapping[str, Any], name: str, offset: int) -> str:
    """Stable across exports: the response record's UUID, else where the record sits."""
    record_id = str(location.get("record_id") or "")
    if record_id.startswith("<urn:uuid:") and record_id.endswith(">"):
        return record_id[len("<urn:uuid:"):-1].replace("-", "")
    return f"{name}:{offset}"


def _iso(timestamp: str) -> str:
    t = timestamp.ljust(14, "0")
    return f"{t[0:4]}-{t[4:6]}-{t[6:8]}T{t[8:10]}:{t[10:12]}:{t[12:14]}Z"

