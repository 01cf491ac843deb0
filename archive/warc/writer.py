"""Write WARC records to size-rotated, IIPC-named, gzip-per-record files.

A file is written as ``NAME.warc.gz.open`` and renamed to ``NAME.warc.gz`` when
closed, so a reader (or an uploader) never picks up a file that is still
growing. Each record is its own gzip member, which is what lets a reader seek to
``offset`` and decompress exactly ``length`` bytes.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from warcio.recordloader import ArcWarcRecord
from warcio.warcwriter import WARCWriter

from archive.errors import WarcWriteError
from archive.partfile import PartFile, RotatingPartWriter, part_name
from archive.warc.exchange import HttpExchange, PriorCapture, RecordLocation
from archive.warc.records import WARC_VERSION, WarcRecordBuilder

DEFAULT_MAX_SIZE = 1_000_000_000


@dataclass(frozen=True)
class ClosedWarc:
    """A finished WARC file and what it holds."""

    path: Path
    records: int
    size: int


def iipc_name(prefix: str, when: datetime, serial: int, host: str) -> str:
    """``PREFIX-TIMESTAMP-SERIAL-HOST.warc.gz`` as the IIPC naming guideline has it."""
    return part_name(prefix, when, serial, host, ".warc.gz")


class RotatingWarcWriter(RotatingPartWriter[ClosedWarc]):
    """Appends exchanges to the current WARC file, starting a new one past ``max_size``.

    ``on_close`` is called with each finished file (after the rename), which is
    where uploads and manifests hook in. ``relative_to`` makes the ``file`` in
    returned locations a path relative to the archive root, e.g.
    ``warc/JOB/NAME.warc.gz``.
    """

    suffix = ".warc.gz"
    error = WarcWriteError

    def __init__(
        self,
        directory: Path,
        prefix: str,
        *,
        max_size: int = DEFAULT_MAX_SIZE,
        compress_level: int = 6,
        warcinfo: dict[str, str] | None = None,
        host_tag: str | None = None,
        relative_to: Path | None = None,
        builder: WarcRecordBuilder | None = None,
        on_close: Callable[[ClosedWarc], None] | None = None,
    ) -> None:
        super().__init__(directory, prefix, host_tag=host_tag, on_close=on_close)
        self.max_size = max_size
        self.compress_level = compress_level
        self.warcinfo = dict(warcinfo or {})
        self.relative_to = relative_to
        self.builder = builder or WarcRecordBuilder()
        self.bytes_written = 0
        self.closed_files: list[ClosedWarc] = []

    # -- public API -----------------------------------------------------------
    def write_exchange(self, exchange: HttpExchange) -> RecordLocation:
        """Write the response and request records; return where the response is."""
        return self._write_pair(*self.builder.exchange_records(exchange))

    def write_revisit(self, exchange: HttpExchange, prior: PriorCapture, *,
                      not_modified: bool) -> RecordLocation:
        """Write a revisit record pointing at ``prior`` and its request record."""
        return self._write_pair(
            *self.builder.revisit_records(exchange, prior, not_modified=not_modified))

    # -- internals ------------------------------------------------------------
    def _write_pair(self, response: ArcWarcRecord, request: ArcWarcRecord) -> RecordLocation:
        # In one write, in the kernel before anyone learns the location (an article
        # line that points here may be on disk a moment later): a full disk leaves
        # both records or neither, never a response without its request.
        self._current()
        return self._write(response, request)

    def _full(self, file: PartFile) -> bool:
        return file.tell() >= self.max_size

    def _finished(self, path: Path, count: int, size: int) -> ClosedWarc:
        finished = ClosedWarc(path, count, size)
        self.closed_files.append(finished)
        return finished

    def _started(self, name: str) -> None:
        self._write(self.builder.warcinfo(name, self._warcinfo_fields()))

    def _warcinfo_fields(self) -> dict[str, str]:
        fields = {"software": "newsarchive", "format": f"WARC File Format {WARC_VERSION[5:]}"}
        fields["conformsTo"] = (
            "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/"
        )
        fields.update(self.warcinfo)
        return fields

    def _write(self, record: ArcWarcRecord, *more: ArcWarcRecord) -> RecordLocation:
        """Write ``record`` and ``more`` in one go; return where ``record`` is."""
        file = self._file
        assert file is not None
        members = [gzip_member(serialize(r), self.compress_level) for r in (record, *more)]
        offset = file.tell()
        file.write(*members)
        self._count += len(members)
        self.bytes_written += sum(map(len, members))
        final_path = file.final_path
        shown = final_path.relative_to(self.relative_to) if self.relative_to else final_path
        return RecordLocation(
            file=shown.as_posix(),
            offset=offset,
            length=len(members[0]),
            record_id=record.rec_headers.get_header("WARC-Record-ID"),
            payload_digest=record.rec_headers.get_header("WARC-Payload-Digest"),
            warc_date=record.rec_headers.get_header("WARC-Date"),
        )


def serialize(record: ArcWarcRecord) -> bytes:
    """The uncompressed bytes of one record (warcio computes digests and lengths)."""
    buffer = io.BytesIO()
    WARCWriter(buffer, gzip=False, warc_version=WARC_VERSION).write_record(record)
    return buffer.getvalue()


def gzip_member(data: bytes, level: int) -> bytes:
    """One complete gzip member; level 6 costs far less CPU than warcio's fixed 9."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    return compressor.compress(data) + compressor.flush()
