"""Write WARC records to size-rotated, IIPC-named, gzip-per-record files.

A file is written as ``NAME.warc.gz.open`` and renamed to ``NAME.warc.gz`` when
closed, so a reader (or an uploader) never picks up a file that is still
growing. Each record is its own gzip member, which is what lets a reader seek to
``offset`` and decompress exactly ``length`` bytes.
"""

from __future__ import annotations

import io
import logging
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from warcio.recordloader import ArcWarcRecord
from warcio.warcwriter import WARCWriter

from archive.errors import ArchiveIndexError, WarcWriteError
from archive.partfile import PartFile, RotatingPartWriter, part_name
from archive.warc.exchange import HttpExchange, PriorCapture, RecordLocation
from archive.warc.liveindex import INDEXED_TYPES, LiveCdxj
from archive.warc.records import WARC_VERSION, WarcRecordBuilder

logger = logging.getLogger(__name__)

DEFAULT_MAX_SIZE = 1_000_000_000


@dataclass(frozen=True)
class ClosedWarc:
    """A finished WARC file and what it holds."""

    path: Path
    records: int
    size: int
    # Its CDXJ, written as it closed (see archive.warc.liveindex); None when it could
    # not be, and the file is indexed the usual way.
    cdxj: Path | None = None


def iipc_name(prefix: str, when: datetime, serial: int, host: str) -> str:
    """``PREFIX-TIMESTAMP-SERIAL-HOST.warc.gz`` as the IIPC naming guideline has it."""
    return part_name(prefix, when, serial, host, ".warc.gz")


class RotatingWarcWriter(RotatingPartWriter[ClosedWarc]):
    """Appends exchanges to the current WARC file, starting a new one past ``max_size``.

    ``on_close`` is called with each finished file (after the rename), which is
    where uploads and manifests hook in. ``relative_to`` makes the ``file`` in
    returned locations a path relative to the archive root, e.g.
    ``warc/JOB/NAME.warc.gz``. With ``index_live`` each file's CDXJ is made as
    its records are written, and written beside it as it closes (``ClosedWarc.cdxj``).
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
        index_live: bool = True,
    ) -> None:
        super().__init__(directory, prefix, host_tag=host_tag, on_close=on_close)
        self.max_size = max_size
        self.compress_level = compress_level
        self.warcinfo = dict(warcinfo or {})
        self.relative_to = relative_to
        self.builder = builder or WarcRecordBuilder()
        self.bytes_written = 0
        self.closed_files: list[ClosedWarc] = []
        self.index_live = index_live
        self._index: LiveCdxj | None = None

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
        index, self._index = self._index, None
        cdxj = None
        if index is not None:
            try:
                cdxj = index.write(path)
            except ArchiveIndexError as exc:  # indexed again later, the usual way
                logger.warning("%s; the file is indexed again", exc)
        finished = ClosedWarc(path, count, size, cdxj)
        self.closed_files.append(finished)
        return finished

    def _started(self, name: str) -> None:
        self._index = LiveCdxj(name) if self.index_live else None
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
        records = [(r, serialize(r)) for r in (record, *more)]
        members = [gzip_member(raw, self.compress_level) for _, raw in records]
        offset = file.tell()
        file.write(*members)
        if self._index is not None:
            self._index_records(records, members, offset)
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

    def _index_records(self, records: list[tuple[ArcWarcRecord, bytes]],
                       members: list[bytes], offset: int) -> None:
        index = self._index
        assert index is not None
        try:
            for (record, raw), member in zip(records, members, strict=True):
                if record.rec_type in INDEXED_TYPES:
                    index.add(raw, offset, len(member))
                offset += len(member)
        except ArchiveIndexError as exc:  # a record warcio cannot read back: index it
            # the usual way, which reports the damage
            logger.warning("%s; the file is indexed when it is finished", exc)
            self._index = None


def serialize(record: ArcWarcRecord) -> bytes:
    """The uncompressed bytes of one record (warcio computes digests and lengths)."""
    buffer = io.BytesIO()
    WARCWriter(buffer, gzip=False, warc_version=WARC_VERSION).write_record(record)
    return buffer.getvalue()


def gzip_member(data: bytes, level: int) -> bytes:
    """One complete gzip member; level 6 costs far less CPU than warcio's fixed 9."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    return compressor.compress(data) + compressor.flush()
