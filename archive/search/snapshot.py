"""A job's search index travels to the store as immutable snapshots, so a new machine
or a fresh cache downloads the index instead of building it from every part.

A snapshot is one tar file, ``search/JOB/index-CRAWLID-HOST.tar``, holding the
tantivy index (``index/``) and its ``parts.json``; it is written whole (``.open``,
then renamed, like every part file), listed in its crawl's manifest, uploaded and
verified by digest like WARC and Parquet files. One file rather than tantivy's own
segment files plus a meta object: a snapshot must be the segments *and* the
``meta.json`` and ``parts.json`` of one moment, and one object gives that for free
(one name, one digest, one GET, nothing to assemble or half-fetch), while segment
objects would need a listing object of their own and still change with every merge.
The price, the whole index sent again, is bounded by sending a new snapshot only
when the index has grown enough (``growth``): the parts a snapshot lacks are added
from the parts themselves, as a query always does.

The local index stays where it is after an upload (it is what the next crawl adds
to); ``snapshot.json`` beside it says which snapshot it last went out as, or came in
from. Restoring takes the newest snapshot of the job in the store, checks its size
and SHA-256, unpacks it beside the index and puts it in place; a snapshot that is
damaged raises :class:`SnapshotError` and the caller builds from the parts.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tarfile
from pathlib import Path, PurePosixPath

from archive.errors import ArchiveError, ArchiveIndexError, StoreError
from archive.partfile import OPEN_SUFFIX
from archive.search.jobindex import JobIndex, held_parts
from archive.store.base import ObjectStore
from archive.store.download import download_checked

logger = logging.getLogger(__name__)

PREFIX = "index-"
SUFFIX = ".tar"
# Which snapshot the local index last went out as, or came in from.
_NOTE = "snapshot.json"
_INDEX, _PARTS = "index", "parts.json"


class SnapshotError(ArchiveIndexError):
    """A search snapshot could not be written, fetched or unpacked; the index can
    always be built from the parts instead."""


def snapshot_name(crawl_id: str, host: str) -> str:
    """``index-CRAWLID-HOST.tar``: crawl ids are times, so names sort oldest first."""
    return f"{PREFIX}{crawl_id}-{host}{SUFFIX}"


def is_snapshot(path: Path | str) -> bool:
    """True for ``search/JOB/index-*.tar`` (a relative path, key or local path)."""
    path = PurePosixPath(Path(path).as_posix())
    return (path.name.startswith(PREFIX) and path.name.endswith(SUFFIX)
            and len(path.parts) >= 3 and path.parts[-3] == "search")


def snapshot_due(directory: Path | str, growth: float) -> bool:
    """Whether the index in ``directory`` should go out as a new snapshot: it holds
    parts, and at least ``growth`` (0.1: 10%) more than the snapshot it last went out
    as (or came in from)."""
    directory = Path(directory)
    parts = held_parts(directory)
    if not parts:
        return False
    last = last_snapshot(directory).get("parts", 0)
    return len(parts) > last and len(parts) >= last * (1 + max(growth, 0.0))


def last_snapshot(directory: Path | str) -> dict:
    """What ``snapshot.json`` says (``name``, ``parts``); empty when there is none."""
    try:
        note = json.loads((Path(directory) / _NOTE).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return note if isinstance(note, dict) and isinstance(note.get("parts"), int) else {}


def note_snapshot(directory: Path | str, name: str, parts: int) -> None:
    """Remember that the index went out as (or came in from) snapshot ``name``."""
    note = Path(directory) / _NOTE
    temp = note.with_name(f"{_NOTE}.{os.getpid()}.tmp")
    temp.write_text(json.dumps({"name": name, "parts": parts}), "utf-8")
    os.replace(temp, note)


def write_snapshot(directory: Path | str, name: str) -> tuple[Path, int]:
    """Write the index in ``directory`` as ``directory/name`` (a tar, ``.open`` until
    whole), under the index's writer lock so no process changes it meanwhile; the
    path and the number of parts it holds."""
    directory = Path(directory)
    target = directory / name
    temp = target.with_name(name + OPEN_SUFFIX)
    # Snapshots are written by crawls, under the job's lock: one left .open is a
    # killed run's, never finished and never to be.
    for stale in directory.glob(f"{PREFIX}*{SUFFIX}{OPEN_SUFFIX}"):
        stale.unlink(missing_ok=True)
    try:
        with JobIndex.open(directory).unchanging() as parts:
            if not parts:
                raise SnapshotError(f"the search index {directory} holds no parts yet")
            with tarfile.open(temp, "w", format=tarfile.PAX_FORMAT) as tar:
                tar.add(directory / _PARTS, _PARTS)
                for path in sorted((directory / _INDEX).iterdir()):
                    # Lock files are the writer's and readers' own, never the index's.
                    if path.is_file() and not path.name.endswith(".lock"):
                        tar.add(path, f"{_INDEX}/{path.name}")
        os.replace(temp, target)
    except OSError as exc:
        raise SnapshotError(f"cannot write the search snapshot {target}: {exc}") from None
    finally:
        temp.unlink(missing_ok=True)
    return target, len(parts)


def newest_snapshot(store: ObjectStore, job: str) -> str | None:
    """The key of the job's newest snapshot in ``store``, or None."""
    keys = [key for key in store.keys(f"search/{job}") if is_snapshot(key)]
    return max(keys, key=lambda key: PurePosixPath(key).name, default=None)


def restore_snapshot(store: ObjectStore, directory: Path | str, job: str) -> str | None:
    """Put the job's newest snapshot from ``store`` in ``directory`` (which must hold no
    index with parts yet); its key, or None when the store holds none. Raises
    SnapshotError when it is damaged or cannot be fetched."""
    directory = Path(directory)
    try:
        key = newest_snapshot(store, job)
        if key is None:
            return None
        directory.parent.mkdir(parents=True, exist_ok=True)
        download = directory.parent / f".{job}.{os.getpid()}{SUFFIX}"
        unpacked = directory.parent / f".{job}.{os.getpid()}.restoring"
        try:
            if not download_checked(store, key, download):
                raise SnapshotError(f"{store.uri}/{key} is gone")
            parts = _unpack(download, unpacked)
            _install(unpacked, directory)
        finally:
            download.unlink(missing_ok=True)
            shutil.rmtree(unpacked, ignore_errors=True)
    except StoreError as exc:
        raise SnapshotError(f"cannot fetch the search snapshot of job {job}: {exc}") from None
    except OSError as exc:
        raise SnapshotError(f"cannot unpack the search snapshot of job {job} in "
                            f"{directory}: {exc}") from None
    note_snapshot(directory, PurePosixPath(key).name, parts)
    return key


def _unpack(tar_path: Path, dest: Path) -> int:
    """Unpack a snapshot into ``dest`` and open the index there; the number of parts it
    holds. Only ``parts.json`` and ``index/NAME`` files are taken: a snapshot is data
    from a store, never trusted to name paths."""
    shutil.rmtree(dest, ignore_errors=True)
    (dest / _INDEX).mkdir(parents=True)
    try:
        with tarfile.open(tar_path, "r:") as tar:
            for member in tar:
                parts = PurePosixPath(member.name).parts
                if not member.isfile() or not (parts == (_PARTS,) or (
                        len(parts) == 2 and parts[0] == _INDEX and parts[1] not in ("..", "."))):
                    raise SnapshotError(f"the search snapshot holds {member.name!r}, "
                                        "which no snapshot has")
                tar.extract(member, dest, set_attrs=False, filter="data")
    except (tarfile.TarError, EOFError) as exc:
        raise SnapshotError(f"the search snapshot is not a whole tar file ({exc})") from None
    held = held_parts(dest)
    if not held:
        raise SnapshotError("the search snapshot has no readable parts.json of this "
                            "version's schema")
    try:
        JobIndex.open(dest).index.searcher()
    except (ArchiveError, ValueError) as exc:
        raise SnapshotError(f"the search snapshot's index cannot be opened ({exc})") from None
    return len(held)


def _install(unpacked: Path, directory: Path) -> None:
    """Move the unpacked index into ``directory``, unless another process has given it
    parts meanwhile (then its index stands)."""
    directory.mkdir(parents=True, exist_ok=True)
    if held_parts(directory):
        return
    shutil.rmtree(directory / _INDEX, ignore_errors=True)
    os.replace(unpacked / _INDEX, directory / _INDEX)
    os.replace(unpacked / _PARTS, directory / _PARTS)


def start_from_snapshot(store: ObjectStore, directory: Path | str, job: str) -> str | None:
    """An index in ``directory`` that holds no parts yet starts from the store's newest
    snapshot of ``job``, if there is one: its key, else None. A damaged snapshot is a
    warning, never an error: the index is then built from the parts, as without one."""
    if held_parts(directory):
        return None
    try:
        key = restore_snapshot(store, directory, job)
    except SnapshotError as exc:
        logger.warning("%s; building the search index of job %s from its parts instead",
                       exc, job)
        return None
    if key is not None:
        logger.info("Search index of job %s taken from %s/%s", job, store.uri, key)
    return key
