"""The raw capture behind an article: its WARC response record, read through the
record's ``warc`` pointer (file, offset, length, record id).

The record is read from the local archive directory when the file is there,
else with one ranged read from the store, so showing one capture of a
multi-gigabyte WARC file costs a few kilobytes either way.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator

from archive.errors import CaptureError, StoreError
from archive.store.base import ObjectStore, relative_key

_MAX_RECORD = 1024 * 1024 * 1024


@dataclass(frozen=True)
class Capture:
    """One WARC response record: the WARC headers, the HTTP response as sent, and its
    body with transfer and content encodings undone."""

    file: str
    offset: int
    length: int
    warc_headers: list[tuple[str, str]]
    status_line: str
    http_headers: list[tuple[str, str]]
    body: bytes
    content_encoding: str
    charset: str

    @property
    def text(self) -> str:
        return self.body.decode(self.charset, errors="replace")


def read_capture(pointer: Mapping[str, Any], *, root: Path | None = None,
                 store: ObjectStore | None = None) -> Capture:
    """The capture ``pointer`` (an article's ``warc`` field) names; CaptureError if it
    cannot be found or is not the record the pointer says."""
    try:
        file, offset, length = str(pointer["file"]), int(pointer["offset"]), int(pointer["length"])
    except (KeyError, TypeError, ValueError):
        raise CaptureError(f"the article's warc pointer is incomplete: {dict(pointer)!r}") \
            from None
    if not 0 < length <= _MAX_RECORD or offset < 0:
        raise CaptureError(f"the article's warc pointer is out of range: {dict(pointer)!r}")
    data = _read_bytes(file, offset, length, root, store)
    if len(data) != length:
        raise CaptureError(f"{file} ends before offset {offset} + {length}: the file is "
                           "truncated or not the one the article was extracted from")
    return _parse(data, file, offset, str(pointer.get("record_id") or ""))


def _read_bytes(file: str, offset: int, length: int, root: Path | None,
                store: ObjectStore | None) -> bytes:
    local = Path(root) / relative_key(file) if root is not None else None
    if local is not None and local.is_file():
        with open(local, "rb") as handle:
            handle.seek(offset)
            return handle.read(length)
    if store is None:
        where = f" in {root}" if root is not None else ""
        raise CaptureError(f"{file} is not{where}: it was probably uploaded and removed "
                           "locally; add --store URI (and --endpoint-url) to read it there")
    try:
        return store.read_range(relative_key(file), offset, length)
    except StoreError as exc:
        raise CaptureError(f"cannot read {file} from {store.uri}: {exc}") from None


def _parse(data: bytes, file: str, offset: int, record_id: str) -> Capture:
    try:
        record = next(iter(ArchiveIterator(io.BytesIO(data))))
        raw_body_stream = record.content_stream()
        body = raw_body_stream.read()
    except Exception as exc:  # warcio raises anything on bytes that are not a record
        raise CaptureError(f"no WARC record at {file} offset {offset}: {exc}") from None
    found_id = record.rec_headers.get_header("WARC-Record-ID") or ""
    if record_id and found_id != record_id:
        raise CaptureError(f"{file} offset {offset} holds record {found_id}, not {record_id}: "
                           "the file is not the one the article was extracted from")
    http = record.http_headers
    if http is None:
        raise CaptureError(f"{file} offset {offset} is a {record.rec_type} record "
                           "without an HTTP response")
    return Capture(
        file=file, offset=offset, length=len(data),
        warc_headers=list(record.rec_headers.headers),
        status_line=f"{http.protocol} {http.statusline}".strip(),
        http_headers=list(http.headers),
        body=body,
        content_encoding=http.get_header("Content-Encoding") or "",
        charset=_charset(http.get_header("Content-Type") or ""),
    )


def _charset(content_type: str) -> str:
    for parameter in content_type.split(";")[1:]:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            candidate = value.strip().strip("\"'")
            try:
                io.TextIOWrapper(io.BytesIO(), encoding=candidate)
            except LookupError:
                break
            return candidate
    return "utf-8"
