"""A CDXJ index beside each finished WARC file, written by cdxj-indexer.

``warc/JOB/NAME.warc.gz`` gets ``warc/JOB/NAME.cdxj``: one sorted line per
response, revisit, resource or metadata record (SURT key, 14-digit timestamp,
JSON with url, mime, status, digest, length, offset and the WARC's file name).
pywb reads the folder's ``*.cdxj`` files as its index; the WACZ export merges
them. The file name in each line is the WARC's base name, so the index stays
right wherever the folder is copied (a store, a WACZ, a replay collection).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from archive.errors import ArchiveIndexError

CDXJ_SUFFIX = ".cdxj"
_WARC_SUFFIXES = (".warc.gz", ".warc")


def cdxj_path(warc: Path) -> Path:
    """Where the index of ``warc`` lives: the same name with ``.cdxj`` for ``.warc.gz``."""
    warc = Path(warc)
    for suffix in _WARC_SUFFIXES:
        if warc.name.endswith(suffix):
            return warc.with_name(warc.name.removesuffix(suffix) + CDXJ_SUFFIX)
    raise ArchiveIndexError(f"{warc} is not a WARC file (.warc.gz or .warc)")


def is_cdxj(path: Path | str) -> bool:
    return Path(path).name.endswith(CDXJ_SUFFIX)


def write_cdxj(warc: Path) -> Path:
    """Index ``warc`` into its ``.cdxj`` (written whole, then renamed into place)."""
    # Imported here: cdxj-indexer pulls in pyamf and pkg_resources (a tenth of a second).
    from cdxj_indexer.main import write_cdx_index

    target = cdxj_path(warc)
    temp = target.with_name(target.name + ".tmp")
    try:
        write_cdx_index(str(temp), [str(warc)], {"sort": True, "post_append": False})
        os.replace(temp, target)
    except Exception as exc:  # a damaged WARC makes warcio raise anything
        temp.unlink(missing_ok=True)
        raise ArchiveIndexError(f"cannot index {warc}: {exc}") from exc
    return target


def read_cdxj(path: Path) -> Iterator[str]:
    """The index lines of one ``.cdxj`` file, without their newlines."""
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield line.rstrip("\n")
