"""Leaving suppressed captures out of replay and WACZ packages, with the archive's
own WARC files untouched (see :mod:`archive.query.suppressions`).

Replay: pywb's access control. Each collection gets an ``.aclj`` file of
``exclude`` rules, one per URL, matched exactly (pywb's ``###`` suffix on the
SURT key): pywb then answers as if the URL had never been captured, and its
calendar does not list it.

A WACZ package carries WARC bytes, so a WARC holding a suppressed capture is
packaged as a copy without that URL's records (its request, response and
revisit records): every other record is copied byte for byte (one gzip member
each), and the copy is indexed afresh. The archive's file, and its SHA-256 in
the crawl's manifest, stay as they were.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator
from pathlib import Path

from archive.errors import ReplayError
from archive.warc.cdxj import cdxj_path, read_cdxj, write_cdxj

__all__ = ["acl_lines", "warc_without", "write_acl"]

_CHUNK = 1 << 20
_EXACT = "###"  # pywb: a rule for this URL alone, not every URL it prefixes


def acl_lines(urls: Collection[str]) -> list[str]:
    """pywb access-control lines excluding each of ``urls``, in the order pywb
    searches them (reverse sorted)."""
    from surt import surt

    lines = {f"{surt(url)}{_EXACT} - " + json.dumps({"access": "exclude", "url": url})
             for url in urls}
    return sorted(lines, reverse=True)


def write_acl(path: Path, urls: Collection[str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(line + "\n" for line in acl_lines(urls)), encoding="utf-8")
    return path


def warc_without(warc: Path, urls: Collection[str], scratch: Path) -> Path:
    """``warc`` itself when it holds no record of ``urls``; else a copy in ``scratch``
    (same name, indexed beside it) without those records."""
    if not urls or not _mentions(warc, urls):
        return warc
    copy = scratch / "filtered" / warc.name
    copy.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(warc, "rb") as source, open(copy, "wb") as target:
            for start, end, uri in _records(warc):
                if uri in urls:
                    continue
                source.seek(start)
                left = end - start
                while left > 0 and (chunk := source.read(min(_CHUNK, left))):
                    target.write(chunk)
                    left -= len(chunk)
    except OSError as exc:
        raise ReplayError(f"cannot copy {warc} without its suppressed records: {exc}") from exc
    write_cdxj(copy)
    return copy


def _mentions(warc: Path, urls: Collection[str]) -> bool:
    """Whether ``warc`` holds a record of one of ``urls``: from its index when it has
    one (every response and revisit is there, and each request goes with one)."""
    index = cdxj_path(warc)
    if not index.is_file():
        return any(uri in urls for _, _, uri in _records(warc))
    for line in read_cdxj(index):
        if not line.startswith("!"):
            try:
                if json.loads(line.split(" ", 2)[2]).get("url") in urls:
                    return True
            except (IndexError, ValueError, AttributeError):
                continue  # the export's own check of the index reports a damaged line
    return False


def _records(warc: Path) -> Iterator[tuple[int, int, str | None]]:
    """(start, end, WARC-Target-URI) of each record, in file order."""
    from warcio.archiveiterator import ArchiveIterator

    size = warc.stat().st_size
    previous: tuple[int, str | None] | None = None
    try:
        with open(warc, "rb") as handle:
            records = ArchiveIterator(handle, no_record_parse=True)
            for record in records:
                start = records.get_record_offset()
                if previous is not None:
                    yield previous[0], start, previous[1]
                previous = (start, record.rec_headers.get_header("WARC-Target-URI"))
    except Exception as exc:  # a damaged WARC makes warcio raise anything
        raise ReplayError(f"cannot read {warc} ({exc}): check it with `warcio check`") from exc
    if previous is not None:
        yield previous[0], size, previous[1]
