"""Which files hold the articles to query: in a local archive directory or a store.

Each article part is read from its Parquet index when it has one and from
its JSON Lines otherwise, never both. A store's files are fetched once into
a local cache (objects never change under their names: every file name
carries its crawl's time and host), so a second query of the same store
downloads only what is new. The cache has a size limit, least recently used
out (:mod:`archive.query.cachelimit`).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from archive.errors import ArchiveIndexError, QueryError, StoreError
from archive.query.articleindex import index_path, is_article_index, is_article_part
from archive.query.cachelimit import mark_used
from archive.store.base import ObjectStore

_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class ArticleFiles:
    """The files a query reads, split by how DuckDB reads them."""

    parquet: list[Path] = field(default_factory=list)
    jsonl: list[Path] = field(default_factory=list)
    where: str = ""  # what was searched, for messages

    def __bool__(self) -> bool:
        return bool(self.parquet or self.jsonl)


def choose_files(relative_paths: Iterable[str], jobs: Sequence[str] = (),
                 keep: Callable[[str], bool] | None = None) -> list[str]:
    """Of ``articles/JOB/...`` paths, the ones to read: each part's Parquet index
    if it has one, else the part itself; only the given jobs when any are given,
    and only the paths ``keep`` keeps (the corpus of a crawl, see archive.query.asof)."""
    names = set()
    for path in relative_paths:
        parts = PurePosixPath(path).parts
        if len(parts) != 3 or parts[0] != "articles" or (jobs and parts[1] not in jobs):
            continue
        if keep is not None and not keep(path):
            continue
        if is_article_part(path) or is_article_index(path):
            names.add(path)
    chosen = []
    for path in sorted(names):
        if is_article_part(path):
            try:
                if index_path(PurePosixPath(path)).as_posix() in names:
                    continue
            except ArchiveIndexError:
                pass
        chosen.append(path)
    return chosen


def local_files(root: Path, jobs: Sequence[str] = (),
                keep: Callable[[str], bool] | None = None) -> ArticleFiles:
    """The article files of a local archive directory (``.open`` parts left out:
    they are still being written, or wait for a crawl to recover them)."""
    root = Path(root)
    base = root / "articles"
    if not base.is_dir():
        raise QueryError(f"{root} holds no articles ({base} does not exist): give the --out "
                         "a crawl wrote to, or --store URI for an archive in object storage")
    found = [path.relative_to(root).as_posix() for path in base.glob("*/*") if path.is_file()]
    files = _split([root / relative for relative in choose_files(found, jobs, keep)], str(root))
    if not files and jobs and found:
        _no_such_jobs(jobs, found, str(root))
    if not files and (stores := stores_in_manifests(root)):
        raise QueryError(f"{root} holds no article files: its crawls sent them to "
                         f"{', '.join(stores)}; add --store {stores[0]} (and --endpoint-url)")
    return files


def store_files(store: ObjectStore, cache: Path, jobs: Sequence[str] = (),
                keep: Callable[[str], bool] | None = None) -> ArticleFiles:
    """The article files of a store, fetched into ``cache`` as needed."""
    sizes = dict(store.sizes("articles"))
    chosen = choose_files(sizes, jobs, keep)
    if not chosen and jobs:
        _no_such_jobs(jobs, sizes, store.uri)
    local = [fetch(store, key, cache, sizes[key]) for key in chosen]
    return _split(local, store.uri)


def fetch(store: ObjectStore, key: str, cache: Path, size: int | None = None) -> Path:
    """The cached copy of ``key``, downloaded first if it is not there yet, or if its
    size is not ``size`` (a copy cut short, or damaged since). Either way it is marked
    used (archive.query.cachelimit): touched, and kept while this process runs."""
    target = Path(cache) / key
    if target.is_file() and (size is None or target.stat().st_size == size):
        mark_used(cache, target)
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(target.name + f".{os.getpid()}.tmp")
    try:
        with store.open(key) as body, open(temp, "wb") as out:
            while chunk := body.read(_CHUNK):
                out.write(chunk)
        if size is not None and temp.stat().st_size != size:
            raise StoreError(f"{key} from {store.uri} arrived with {temp.stat().st_size} "
                             f"bytes, not {size}: try again")
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)
    mark_used(cache, target)
    return target


def _no_such_jobs(jobs: Sequence[str], paths: Iterable[str], where: str) -> None:
    known = sorted({PurePosixPath(p).parts[1] for p in paths
                    if len(PurePosixPath(p).parts) == 3})
    if set(jobs) <= set(known):
        raise QueryError(f"job {', '.join(jobs)} has no finished article files in {where} "
                         "yet: a part is queried once its crawl closes it")
    raise QueryError(f"no articles of job {', '.join(jobs)} in {where}: "
                     + (f"its jobs are {', '.join(known)}" if known else "it holds no articles"))


def default_cache(store_uri: str) -> Path:
    """Where a store's fetched files are kept: one folder per store URI."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    digest = hashlib.sha256(store_uri.encode("utf-8")).hexdigest()[:16]
    return base / "newsarchive" / digest


def stores_in_manifests(root: Path) -> list[str]:
    """The stores the local manifests say their crawls' files went to."""
    root = Path(root)
    stores = set()
    for path in sorted((root / "manifests").glob("*.json")):
        try:
            store = json.loads(path.read_text("utf-8")).get("store")
        except (OSError, ValueError, AttributeError):
            continue
        if isinstance(store, str):
            stores.add(store)
    return sorted(stores)


def _split(paths: list[Path], where: str) -> ArticleFiles:
    return ArticleFiles(parquet=[p for p in paths if is_article_index(p)],
                        jsonl=[p for p in paths if is_article_part(p)], where=where)
