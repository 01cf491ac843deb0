"""Package finished WARCs and their articles as one WACZ 1.1.1 file.

A WACZ is what ReplayWeb.page and pywb open straight from a URL or a disk: a
ZIP holding the WARCs untouched (stored, so a reader can range-request one
record), one merged CDXJ index, a page list (here: one page per extracted
article, with its text for full-text search) and a ``datapackage.json`` with
the SHA-256 of every file, itself fixed by ``datapackage-digest.json``.

The export only reads the archive: it writes nothing beside the WARCs, so it
works on a read-only copy, and a failed export leaves nothing at ``out``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import zipfile
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from archive.errors import ArchiveIndexError, ReplayError
from archive.replay._waczpages import merge_indexes, write_pages
from archive.replay.exclusions import warc_without
from archive.warc.cdxj import cdxj_path, write_cdxj

WACZ_VERSION = "1.1.1"
CHUNK = 1 << 20
INDEX_PATH = "indexes/index.cdx"
PAGES_PATH = "pages/pages.jsonl"


@dataclass(frozen=True)
class WaczSummary:
    """What one export wrote, for the CLI's one-line report."""

    path: Path
    warcs: int
    pages: int
    size: int  # bytes of the .wacz file


def export_wacz(
    warcs: Sequence[Path],
    articles: Iterable[Mapping[str, Any]],
    out: Path,
    *,
    title: str,
    description: str = "",
    software: str = "newsarchive",
    leave_out: Collection[str] = (),
) -> WaczSummary:
    """Write ``warcs`` and one page per article captured in them to the WACZ ``out``.

    Each WARC's ``.cdxj`` beside it is used when present; a WARC without one is
    indexed into a scratch folder instead. Articles whose WARC is not among
    ``warcs`` are left out. Raises :class:`ReplayError` when nothing can be
    packaged; ``out`` is then untouched. The records of the URLs in ``leave_out``
    (suppressed articles) are left out: a WARC holding one is packaged as a copy
    without them (:func:`archive.replay.exclusions.warc_without`).
    """
    out = Path(out)
    files = [Path(warc) for warc in warcs]
    _check_inputs(files, out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        # The scratch folder sits beside ``out`` so the finished file is renamed,
        # never copied, into place, and big page lists do not fill a RAM-backed /tmp.
        with tempfile.TemporaryDirectory(prefix=f".{out.name}.", dir=out.parent) as scratch:
            files = [warc_without(warc, set(leave_out), Path(scratch)) for warc in files]
            partial, pages = _build(files, articles, Path(scratch), out.name,
                                    title=title, description=description, software=software)
            os.replace(partial, out)
    except OSError as exc:
        raise ReplayError(f"cannot write {out}: {exc}") from exc
    return WaczSummary(out, len(files), pages, out.stat().st_size)


def _check_inputs(warcs: list[Path], out: Path) -> None:
    if not warcs:
        raise ReplayError("nothing to export: no WARC files given (has the job finished a crawl?)")
    if out.suffix != ".wacz":
        raise ReplayError(f"{out}: a WACZ file name must end in .wacz")
    seen: dict[str, Path] = {}
    for warc in warcs:
        try:
            cdxj_path(warc)
        except ArchiveIndexError as exc:
            raise ReplayError(f"{exc}; export only finished .warc.gz files") from exc
        if not warc.is_file():
            raise ReplayError(f"WARC file not found: {warc}")
        if warc.name in seen:
            # Inside the WACZ every WARC is archive/<base name>, and the index
            # names files by base name only: two would be indistinguishable.
            raise ReplayError(f"two WARC files share the name {warc.name} ({seen[warc.name]} and "
                              f"{warc}): export them to separate WACZ files")
        seen[warc.name] = warc


def _build(warcs: list[Path], articles: Iterable[Mapping[str, Any]], scratch: Path,
           name: str, **meta: str) -> tuple[Path, int]:
    """Write the whole package inside ``scratch``; return its path and page count."""
    index, pages = scratch / "index.cdx", scratch / "pages.jsonl"
    cdxjs = [(_index_of(warc, scratch), warc.name) for warc in warcs]
    with open(index, "w", encoding="utf-8") as handle:
        captures = merge_indexes(cdxjs, handle)
    with open(pages, "w", encoding="utf-8") as handle:
        count = write_pages(articles, captures, {warc.name for warc in warcs}, handle)

    partial = scratch / name
    with zipfile.ZipFile(partial, "w") as package:
        # WARCs are gzip already and must stay byte-addressable: stored, not deflated.
        resources = [_add(package, warc, "archive/" + warc.name, zipfile.ZIP_STORED)
                     for warc in warcs]
        resources.append(_add(package, index, INDEX_PATH, zipfile.ZIP_DEFLATED))
        resources.append(_add(package, pages, PAGES_PATH, zipfile.ZIP_DEFLATED))
        datapackage = _datapackage(resources, **meta)
        package.writestr(_entry("datapackage.json"), datapackage)
        digest = {"path": "datapackage.json", "hash": "sha256:" + _sha256(datapackage)}
        package.writestr(_entry("datapackage-digest.json"), json.dumps(digest, indent=2))
    return partial, count


def _index_of(warc: Path, scratch: Path) -> Path:
    """The WARC's ``.cdxj``: the one beside it, else a fresh one in ``scratch``.

    Indexing here rather than failing lets archives written before ``.cdxj``
    files existed (or read-only copies) be exported, and never writes into
    the caller's archive. The link keeps the WARC's base name, which the index
    records as its file name.
    """
    existing = cdxj_path(warc)
    if existing.is_file():
        return existing
    link = scratch / "warcs" / warc.name
    link.parent.mkdir(exist_ok=True)
    link.symlink_to(warc.resolve())
    try:
        return write_cdxj(link)
    except ArchiveIndexError as exc:
        raise ReplayError(f"{exc} (check it with `warcio check`)") from exc


def _add(package: zipfile.ZipFile, path: Path, arcname: str, compression: int
         ) -> dict[str, Any]:
    """Copy ``path`` into the zip in chunks, hashing on the way; return its resource entry."""
    info = zipfile.ZipInfo.from_file(path, arcname)  # knows the size, so ZIP64 when needed
    info.compress_type = compression
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as source, package.open(info, "w") as target:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            target.write(chunk)
            size += len(chunk)
    return {"path": arcname, "hash": "sha256:" + digest.hexdigest(), "bytes": size}


def _datapackage(resources: list[dict[str, Any]], *, title: str, description: str,
                 software: str) -> bytes:
    package: dict[str, Any] = {
        "profile": "data-package",
        "wacz_version": WACZ_VERSION,
        "title": title,
        "created": _now().strftime("%Y-%m-%dT%H:%M:%SZ"),
        "software": software,
    }
    if description:
        package["description"] = description
    names: set[str] = set()
    package["resources"] = [{"name": _unique_name(resource["path"], names), **resource}
                            for resource in resources]
    return json.dumps(package, indent=2, ensure_ascii=False).encode("utf-8")


def _unique_name(path: str, taken: set[str]) -> str:
    """A Data Package resource name (``[-a-z0-9._/]``), unique within the package."""
    base = re.sub(r"[^a-z0-9._-]", "-", path.rsplit("/", 1)[-1].lower())
    name, serial = base, 1
    while name in taken:
        serial += 1
        name = f"{base}-{serial}"
    taken.add(name)
    return name


def _entry(name: str) -> zipfile.ZipInfo:
    when = _now()
    info = zipfile.ZipInfo(name, (when.year, when.month, when.day, when.hour, when.minute,
                                  when.second))
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _now() -> datetime:
    """The package's creation time; a test may patch it for byte-stable output."""
    return datetime.now(UTC)
