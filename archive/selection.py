"""Which WARC files make up a job or one crawl, in a local archive or a store.

Replay and WACZ export read WARC files with their CDXJ beside them. Locally
they are used in place; from a store they are fetched once into the query
cache (see :mod:`archive.querysource`), each with its ``.cdxj`` when the store
has one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from archive.cdxindex import cdxj_path
from archive.errors import ArchiveError, ReplayError
from archive.layout import check_job_name
from archive.manifest import is_manifest
from archive.querysource import fetch
from archive.store import ObjectStore

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
    keys = _keys(root, store)
    manifest = _manifest_files(root, store, cache, keys, job, crawl_id) if crawl_id else None
    if manifest is not None:
        job, listed = manifest
    else:
        job = job or _only_job(keys, root, store)
        check_job_name(job)
        listed = [k for k in keys if k.startswith(f"warc/{job}/") and k.endswith(_WARC)]
    warcs = [_local(key, root, store, cache, keys) for key in sorted(listed)]
    if not warcs:
        where = store.uri if store is not None else str(root)
        raise ReplayError(f"no WARC files of job {job} in {where}" + (
            "" if store is not None else " (uploaded and removed locally? add --store URI)"))
    return WarcSelection(job, warcs, crawl_id)


def _keys(root: Path, store: ObjectStore | None) -> list[str]:
    if store is not None:
        return list(store.keys("warc")) + list(store.keys("manifests"))
    found = []
    for folder in ("warc", "manifests"):
        base = Path(root) / folder
        if base.is_dir():
            found += [p.relative_to(root).as_posix() for p in base.rglob("*") if p.is_file()]
    return sorted(found)


def _only_job(keys: list[str], root: Path, store: ObjectStore | None) -> str:
    jobs = sorted({PurePosixPath(k).parts[1] for k in keys
                   if k.startswith("warc/") and k.endswith(_WARC)})
    if len(jobs) == 1:
        return jobs[0]
    where = store.uri if store is not None else str(root)
    if not jobs:
        raise ReplayError(f"no WARC files in {where}: give the --out a crawl wrote to, "
                          "or --store URI")
    raise ReplayError(f"{where} holds several jobs ({', '.join(jobs)}): choose one with --job")


def _manifest_files(root: Path, store: ObjectStore | None, cache: Path, keys: list[str],
                    job: str | None, crawl_id: str) -> tuple[str, list[str]]:
    """The job and WARC files one crawl's manifest lists."""
    names = [k for k in keys if k.startswith("manifests/") and is_manifest(k)
             and k.endswith(f"-{crawl_id}.json") and (not job or k == f"manifests/{job}-"
                                                        f"{crawl_id}.json")]
    if len(names) != 1:
        raise ReplayError(f"no crawl {crawl_id}" + (f" of job {job}" if job else "")
                          + " (crawl ids are the end of manifests/JOB-CRAWLID.json)"
                          if not names else f"several jobs have a crawl {crawl_id}: add --job")
    path = Path(root) / names[0] if store is None else fetch(store, names[0], cache)
    try:
        manifest = json.loads(path.read_text("utf-8"))
        return str(manifest["job"]), [entry["path"] for entry in manifest["files"]
                                      if entry.get("kind") == "warc"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ReplayError(f"cannot read the manifest {names[0]}: {exc}") from None


def _local(key: str, root: Path, store: ObjectStore | None, cache: Path,
           keys: list[str]) -> Path:
    """A local path of the WARC ``key``, with its ``.cdxj`` beside it when there is one."""
    if store is None:
        path = Path(root) / key
        if not path.is_file():
            raise ReplayError(f"{key} is listed by its crawl's manifest but not in {root} "
                              "(uploaded and removed locally? add --store URI)")
        return path
    index = cdxj_path(Path(key)).as_posix()
    try:
        if index in keys:
            fetch(store, index, cache)
        return fetch(store, key, cache)
    except ArchiveError as exc:
        raise ReplayError(f"cannot fetch {key} from {store.uri}: {exc}") from None
