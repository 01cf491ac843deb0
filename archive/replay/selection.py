"""Which WARC files make up a job or one crawl, in a local archive or a store.

Replay and WACZ export read WARC files with their CDXJ beside them. Locally
they are used in place; from a store they are fetched once into the query
cache (see :mod:`archive.query.sources`), each with its ``.cdxj`` when the store
has one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from archive.errors import ArchiveError, ReplayError
from archive.layout import check_job_name
from archive.query.sources import fetch, stores_in_manifests
from archive.store.base import ObjectStore
from archive.store.manifest import FileKind, is_manifest
from archive.warc.cdxj import cdxj_path

_WARC = ".warc.gz"


@dataclass(frozen=True)
class WarcSelection:
    job: str
    warcs: list[Path]
    crawl_id: str | None = None

    @property
    def label(self) -> str:
        return f"{self.job} crawl {self.crawl_id}" if self.crawl_id else f"job {self.job}"


def select_warcs(root: Path, store: ObjectStore | None, cache: Path, *, job: str | None,
                 crawl_id: str | None = None) -> WarcSelection:
    """The WARC files of ``job`` (every crawl), or of one crawl. Without a job, the
    archive's only job; ReplayError naming the choices when there are several."""
    sizes = _sizes(root, store)
    manifest = _manifest_files(root, store, cache, sizes, job, crawl_id) if crawl_id else None
    if manifest is not None:
        job, listed = manifest
    else:
        job = job or _only_job(sorted(sizes), root, store)
        check_job_name(job)
        listed = [k for k in sizes if k.startswith(f"warc/{job}/") and k.endswith(_WARC)]
    warcs = [_local(key, root, store, cache, sizes) for key in sorted(listed)]
    if not warcs:
        where = store.uri if store is not None else str(root)
        raise ReplayError(f"no WARC files of job {job} in {where}: " + _elsewhere(root, store))
    return WarcSelection(job, warcs, crawl_id)


def _sizes(root: Path, store: ObjectStore | None) -> dict[str, int]:
    """Key -> size of the WARC files, indexes and manifests (sizes only from a store)."""
    if store is not None:
        return {**dict(store.sizes("warc")), **dict(store.sizes("manifests"))}
    found = {}
    for folder in ("warc", "manifests"):
        base = Path(root) / folder
        if base.is_dir():
            found.update({p.relative_to(root).as_posix(): -1 for p in base.rglob("*")
                          if p.is_file()})
    return found


def _only_job(keys: list[str], root: Path, store: ObjectStore | None) -> str:
    jobs = sorted({PurePosixPath(k).parts[1] for k in keys
                   if k.startswith("warc/") and k.endswith(_WARC)})
    if len(jobs) == 1:
        return jobs[0]
    where = store.uri if store is not None else str(root)
    if not jobs:
        raise ReplayError(f"no WARC files in {where}: " + _elsewhere(root, store))
    raise ReplayError(f"{where} holds several jobs ({', '.join(jobs)}): choose one with --job")


def _elsewhere(root: Path, store: ObjectStore | None) -> str:
    """Where to look instead, for a message."""
    if store is None and (stores := stores_in_manifests(root)):
        return f"its crawls sent them to {stores[0]}; add --store {stores[0]}"
    return "give the --out a crawl wrote to, or --store URI"


def _manifest_files(root: Path, store: ObjectStore | None, cache: Path, sizes: dict[str, int],
                    job: str | None, crawl_id: str) -> tuple[str, list[str]]:
    """The job and WARC files one crawl's manifest lists (``crawl_id`` may be given as
    the manifest's whole name, ``JOB-CRAWLID``)."""
    if job is None and "-" in crawl_id:
        job, crawl_id = crawl_id.rsplit("-", 1)
    elif job is not None and crawl_id.startswith(f"{job}-"):
        crawl_id = crawl_id.removeprefix(f"{job}-")
    manifests = [k for k in sorted(sizes) if k.startswith("manifests/") and is_manifest(k)]
    names = [k for k in manifests if k.startswith("manifests/") and is_manifest(k)
             and k.endswith(f"-{crawl_id}.json") and (not job or k == f"manifests/{job}-"
                                                        f"{crawl_id}.json")]
    if len(names) != 1:
        known = [PurePosixPath(k).stem for k in manifests
                 if not job or PurePosixPath(k).stem.startswith(f"{job}-")]
        raise ReplayError(f"no crawl {crawl_id}" + (f" of job {job}" if job else "")
                          + ": crawls are " + (", ".join(known[-5:]) or "none")
                          + (" (latest 5)" if len(known) > 5 else "")
                          if not names else f"several jobs have a crawl {crawl_id}: add --job")
    path = Path(root) / names[0] if store is None else fetch(store, names[0], cache,
                                                             sizes[names[0]])
    try:
        manifest = json.loads(path.read_text("utf-8"))
        return str(manifest["job"]), [entry["path"] for entry in manifest["files"]
                                      if entry.get("kind") == FileKind.WARC]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ReplayError(f"cannot read the manifest {names[0]}: {exc}") from None


def _local(key: str, root: Path, store: ObjectStore | None, cache: Path,
           sizes: dict[str, int]) -> Path:
    """A local path of the WARC ``key``, with its ``.cdxj`` beside it when there is one."""
    if store is None:
        path = Path(root) / key
        if not path.is_file():
            raise ReplayError(f"{key} is listed by its crawl's manifest but not in {root} "
                              "(uploaded and removed locally? add --store URI)")
        return path
    index = cdxj_path(Path(key)).as_posix()
    try:
        if index in sizes:
            fetch(store, index, cache, sizes[index])
        return fetch(store, key, cache, sizes.get(key))
    except ArchiveError as exc:
        raise ReplayError(f"cannot fetch {key} from {store.uri}: {exc}") from None
