"""The CDXJ index of a WARC file, made as its records are written.

Indexing a finished WARC file reads it all again: decompress every member,
parse every record. At the end of a crawl that is the last file's whole
index on the run's tail (0.6 s for 2,000 light pages, seconds for a big
file). A writer already holds each record's bytes and knows its offset and
length, so :class:`LiveCdxj` makes the record's line there and then; closing
the file leaves only sorting the lines and writing them out.

The lines are made by cdxj-indexer's own :class:`~cdxj_indexer.main.CDXJIndexer`
over the record's uncompressed bytes, with the offset and length of its gzip
member in the file, and sorted as its ``SortingWriter`` sorts (spilling to
temporary files past 32 MB of lines): the finished ``.cdxj`` is byte for byte
what :func:`archive.warc.cdxj.write_cdxj` writes for the same file.
"""

from __future__ import annotations

import io
import os
from functools import cache
from pathlib import Path
from typing import Any

from archive.errors import ArchiveIndexError
from archive.warc.cdxj import cdxj_path

#: Record types that can have a line at all (cdxj-indexer's ``DEFAULT_RECORDS``); the
#: others are not even parsed.
INDEXED_TYPES = frozenset({"response", "revisit", "resource", "metadata"})


@cache
def _member_indexer() -> type:
    """cdxj-indexer's indexer, placing a record where its gzip member is. Imported at
    the first WARC file, not with :mod:`archive` (cdxj-indexer pulls in pyamf and
    pkg_resources: a tenth of a second a notebook need not pay)."""
    from cdxj_indexer.main import CDXJIndexer

    class MemberIndexer(CDXJIndexer):
        def __init__(self, filename: str) -> None:
            super().__init__(output=None, inputs=[], filename=filename)
            self.curr_filename = filename
            self.place = (0, 0)

        def get_field(self, record: Any, name: str, it: Any, filename: str) -> Any:
            if name == "offset":
                return str(self.place[0])
            if name == "length":
                return str(self.place[1])
            return super().get_field(record, name, it, filename)

    return MemberIndexer


class LiveCdxj:
    """The index lines of one WARC file being written (named ``warc_name`` once
    finished), kept until :meth:`write` puts them, sorted, beside the file."""

    def __init__(self, warc_name: str) -> None:
        from cdxj_indexer.main import SortingWriter

        self._indexer = _member_indexer()(warc_name)
        # Told where to write only when the lines are all in: the .cdxj is not opened
        # while the WARC file is still growing.
        self._sorter = SortingWriter(out=None)
        self.lines = 0

    def add(self, record: bytes, offset: int, length: int) -> None:
        """Index the uncompressed ``record`` whose gzip member is ``length`` bytes at
        ``offset``. Raises ArchiveIndexError when it cannot be parsed."""
        indexer = self._indexer
        indexer.place = (offset, length)
        try:
            iterator = indexer._create_record_iter(io.BytesIO(record))
            for parsed in iterator:
                if indexer.filter_record(parsed):
                    indexer.process_index_entry(iterator, parsed, indexer.curr_filename,
                                                self._sorter)
                    self.lines += 1
        except Exception as exc:  # warcio raises anything on a damaged record
            raise ArchiveIndexError(f"cannot index a record at {offset}: {exc}") from exc

    def write(self, warc: Path) -> Path:
        """Write the sorted lines to ``warc``'s ``.cdxj`` (whole, then renamed into
        place, as :func:`~archive.warc.cdxj.write_cdxj` does)."""
        target = cdxj_path(warc)
        temp = target.with_name(target.name + ".tmp")
        try:
            with open(temp, "w", encoding="utf-8") as handle:
                self._sorter.out = handle
                self._sorter.flush()
            os.replace(temp, target)
        except OSError as exc:
            temp.unlink(missing_ok=True)
            raise ArchiveIndexError(f"cannot write the index of {warc}: {exc}") from exc
        return target

