"""Recover the ``.open`` files a killed crawl left behind (SIGKILL, power loss).

Writers append to ``NAME.warc.gz.open`` and ``NAME.jsonl.open`` and rename them
when they close (see :mod:`archive.partfile`). A crawl that dies mid-write
leaves the ``.open`` files, possibly with a cut-off tail. The next run of the
same job holds the job's lock, so nobody else writes them, and calls
:func:`recover_job` before it writes anything: each file is cut back to its
last complete unit, made durable and renamed, or deleted when nothing in it is
complete. Running it again after a crash during recovery is safe: whatever is
still ``.open`` is simply recovered again.

A *complete record* in a WARC file is one gzip member that decompresses to
its end (zlib checks the member's CRC-32 and length there) and holds exactly
one WARC record: ``WARC/1.x`` header lines ending in a blank line, with a
``Content-Length``, then that many bytes of block, then ``\\r\\n\\r\\n``.
Anything from the first member that fails this is dropped, since the writer
only ever appends and a later member cannot be trusted after a broken one.

A *complete article* is a line that ends in ``\\n`` and is a JSON object whose
WARC pointer (if its file was recovered here) lies inside what was kept.
"""

from __future__ import annotations

import json
import os
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import BinaryIO

from archive.errors import RecoveryError
from archive.layout import ArchiveLayout, check_job_name
from archive.partfile import OPEN_SUFFIX

# Files can be 1 GB and one record 20 MB: read, and let zlib produce, at most
# this much at a time, whatever the compression ratio.
_CHUNK = 1 << 20
# Our WARC headers are well under 1 KiB; past this a header block is not ours.
_MAX_HEAD = 64 * 1024
_MAGIC = b"WARC/1."
_REWRITE_SUFFIX = ".recovering"


@dataclass(frozen=True)
class RecoveredWarc:
    path: Path  # the final path (".open" dropped), even if removed
    records: int  # complete records kept
    size: int  # bytes kept
    dropped_bytes: int  # bytes cut off the end
    removed: bool  # not even one complete record: the file was deleted


@dataclass(frozen=True)
class RecoveredPart:
    path: Path
    articles: int  # lines kept
    size: int
    dropped_lines: int  # cut or unparseable lines, and lines whose record did not survive
    removed: bool  # no complete line: the file was deleted


@dataclass(frozen=True)
class Recovery:
    """What :func:`recover_job` found; true when there was any ``.open`` file at all."""

    warcs: list[RecoveredWarc]
    parts: list[RecoveredPart]

    def __bool__(self) -> bool:
        return bool(self.warcs or self.parts)


def recover_warc(open_path: Path) -> RecoveredWarc:
    """Cut ``NAME.warc.gz.open`` after its last complete record; rename it ``NAME.warc.gz``."""
    open_path = Path(open_path)
    final = _final_path(open_path)
    try:
        with open(open_path, "r+b") as handle:
            total = os.fstat(handle.fileno()).st_size
            records, kept = _scan_members(handle)
            if records:
                _cut(handle, kept, total)
        _finish(open_path, final, records > 0)
    except OSError as exc:
        raise RecoveryError(f"cannot recover {open_path}: {exc}") from exc
    return RecoveredWarc(final, records, kept, total - kept, removed=not records)


def recover_part(open_path: Path, *, warc_sizes: Mapping[str, int] | None = None) -> RecoveredPart:
    """Keep the complete articles of ``NAME.jsonl.open``; rename it ``NAME.jsonl``.

    ``warc_sizes`` maps WARC paths as articles point to them (relative to the
    archive root, e.g. ``warc/JOB/NAME.warc.gz``) to the bytes
    :func:`recover_warc` kept (0 if it removed the file); an article whose
    record lies beyond that is dropped, so no article points at nothing.
    """
    open_path = Path(open_path)
    final = _final_path(open_path)
    spare = open_path.with_name(open_path.name + _REWRITE_SUFFIX)
    try:
        # Left by a crash during an earlier rewrite; the .open file is still the truth.
        spare.unlink(missing_ok=True)
        with open(open_path, "r+b") as handle:
            total = os.fstat(handle.fileno()).st_size
            lengths: list[int] = []
            keep: list[bool] = []
            for line in handle:
                lengths.append(len(line))
                keep.append(_keep_line(line, warc_sizes or {}))
            kept = sum(keep)
            size = sum(n for n, wanted in zip(lengths, keep, strict=True) if wanted)
            if any(not before and after for before, after in pairwise(keep)):
                # A dropped line before a kept one: truncating cannot express that.
                handle.seek(0)
                _rewrite(handle, keep, spare)
                os.replace(spare, open_path)
            elif kept:
                _cut(handle, size, total)
        _finish(open_path, final, kept > 0)
    except OSError as exc:
        raise RecoveryError(f"cannot recover {open_path}: {exc}") from exc
    return RecoveredPart(final, kept, size, len(keep) - kept, removed=not kept)


def recover_job(layout: ArchiveLayout, job: str) -> Recovery:
    """Recover every ``.open`` WARC file of ``job``, then its article parts.

    WARC files go first so that articles pointing at records that did not
    survive can be dropped. Other jobs' files are never touched.
    """
    check_job_name(job)
    warcs = [recover_warc(path)
             for path in _open_files(layout.warc_dir(job), ".warc.gz" + OPEN_SUFFIX)]
    sizes = {w.path.relative_to(layout.root).as_posix(): w.size for w in warcs}
    parts = [recover_part(path, warc_sizes=sizes)
             for path in _open_files(layout.articles_dir(job), ".jsonl" + OPEN_SUFFIX)]
    return Recovery(warcs, parts)


# -- WARC members ---------------------------------------------------------------
class _RecordCheck:
    """Follows one member's decompressed bytes, keeping only the header prefix."""

    def __init__(self) -> None:
        self.head = b""
        self.expected: int | None = None  # whole record length, once the header is read
        self.seen = 0
        self.tail = b""

    def feed(self, data: bytes) -> bool:
        """False as soon as the bytes cannot be one WARC record."""
        self.seen += len(data)
        self.tail = (self.tail + data[-4:])[-4:]
        if self.expected is None:
            self.head += data[: _MAX_HEAD - len(self.head)]
            start = min(len(self.head), len(_MAGIC))
            if self.head[:start] != _MAGIC[:start]:
                return False
            end = self.head.find(b"\r\n\r\n")
            if end < 0:
                return len(self.head) < _MAX_HEAD
            block = _content_length(self.head[:end])
            if block is None:
                return False
            # header lines + blank line + block + the record's closing "\r\n\r\n"
            self.expected = end + 4 + block + 4
            self.head = b""
        return self.seen <= self.expected

    def complete(self) -> bool:
        return self.seen == self.expected and self.tail == b"\r\n\r\n"


def _content_length(head: bytes) -> int | None:
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            value = value.strip()
            return int(value) if value.isdigit() else None
    return None


def _scan_members(handle: BinaryIO) -> tuple[int, int]:
    """(complete records, bytes they take) from the start of ``handle``."""
    records = offset = 0
    pending = b""
    while (member := _member_length(handle, pending)) is not None:
        length, pending = member
        records, offset = records + 1, offset + length
    return records, offset


def _member_length(handle: BinaryIO, data: bytes) -> tuple[int, bytes] | None:
    """Length of the good member starting at ``data`` + the rest of ``handle``, and
    the bytes read past its end; None at the end of the file or a bad member."""
    inflater = zlib.decompressobj(wbits=31)
    check = _RecordCheck()
    length = 0
    while not inflater.eof:
        if not data:
            data = handle.read(_CHUNK)
        if not data and length == 0:
            return None  # a clean end: nothing after the last member
        try:
            # An empty read may still let zlib finish a copy cut short by max_length.
            out = inflater.decompress(data, _CHUNK)
        except zlib.error:
            return None
        if not check.feed(out):
            return None
        rest = inflater.unused_data if inflater.eof else inflater.unconsumed_tail
        length += len(data) - len(rest)
        if not data and not out and not inflater.eof:
            return None  # the file ends inside this member
        data = rest
    return (length, data) if check.complete() else None


# -- JSON lines -----------------------------------------------------------------
def _keep_line(line: bytes, warc_sizes: Mapping[str, int]) -> bool:
    # The writer ends every line with "\n" and flushes the whole line, so a
    # missing newline means the write was cut, even if the text parses:
    # "{...}" could be the prefix of a longer line, or a number cut short.
    if not line.endswith(b"\n"):
        return False
    try:
        article = json.loads(line)
    except ValueError:  # also bad UTF-8
        return False
    if not isinstance(article, dict):
        return False
    pointer = article.get("warc")
    if not isinstance(pointer, dict) or pointer.get("file") not in warc_sizes:
        return True
    offset, length = pointer.get("offset"), pointer.get("length")
    if not isinstance(offset, int) or not isinstance(length, int):
        return False  # cannot show that its record survived
    return offset + length <= warc_sizes[pointer["file"]]


def _rewrite(handle: BinaryIO, keep: list[bool], spare: Path) -> None:
    with open(spare, "xb") as out:
        for line, wanted in zip(handle, keep, strict=True):
            if wanted:
                out.write(line)
        out.flush()
        # Durable before it replaces the original, which holds the only copy.
        os.fsync(out.fileno())


# -- files ------------------------------------------------------------------------
def _final_path(open_path: Path) -> Path:
    if not open_path.name.endswith(OPEN_SUFFIX):
        raise RecoveryError(f"cannot recover {open_path}: its name does not end in {OPEN_SUFFIX}")
    final = open_path.with_name(open_path.name[: -len(OPEN_SUFFIX)])
    # Checked before anything changes: a finished file is never overwritten,
    # and two files with one name need a person to look at them.
    if final.exists():
        raise RecoveryError(
            f"cannot recover {open_path}: {final} already exists; "
            "move one of them away and run again"
        )
    return final


def _cut(handle: BinaryIO, size: int, total: int) -> None:
    if size < total:
        handle.truncate(size)
    handle.flush()
    # Durable before the rename, so a finished name never shows a longer file.
    os.fsync(handle.fileno())


def _finish(open_path: Path, final: Path, keep: bool) -> None:
    if keep:
        os.replace(open_path, final)
    else:
        open_path.unlink()


def _open_files(directory: Path, suffix: str) -> list[Path]:
    try:
        return sorted(path for path in directory.iterdir() if path.name.endswith(suffix))
    except FileNotFoundError:
        return []  # the job never wrote here: nothing to recover
    except OSError as exc:
        raise RecoveryError(f"cannot list {directory}: {exc}") from exc
