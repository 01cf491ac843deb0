"""pywb's view of the archive: one collection per job, in a private work folder.

pywb reads a collection from the folders its ``config.yaml`` names: every
``*.cdx``/``*.cdxj`` file in ``index_paths`` is an index (other files there,
such as WARCs, are skipped), and a WARC is found at ``archive_paths`` + the
file name an index line gives. pywb 2.10 treats both paths as ``str.format``
templates and glob patterns, so an archive under a path holding ``{``, ``[``
or ``*`` would not load. Each job therefore gets a folder of ours holding
links to its finished WARCs and their ``.cdxj``: nothing is copied and nothing
is written beside the archive. A WARC without a ``.cdxj`` (an index that
failed, an archive older than indexes) is indexed into the work folder.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from archive.errors import ArchiveIndexError, OutputDirError, ReplayError
from archive.layout import ArchiveLayout, check_job_name
from archive.warc.cdxj import cdxj_path, write_cdxj

_WARC_GLOBS = ("*.warc.gz", "*.warc")  # finished files only: "NAME.warc.gz.open" is skipped
# Characters pywb would read as template fields or glob patterns in a path.
_PYWB_SPECIAL = re.compile(r"[{}\[\]*?]")


def jobs_with_warcs(root: Path) -> list[str]:
    """The jobs under ``root/warc`` that have at least one finished WARC file."""
    warc_root = Path(root) / "warc"
    if not warc_root.is_dir():
        return []
    return sorted(job.name for job in warc_root.iterdir()
                  if job.is_dir() and any(_warcs(job)))


def prepare_collections(root: Path, work: Path, jobs: Sequence[str] | None = None
                        ) -> dict[str, Path]:
    """Link each job's WARCs and indexes into ``work/warc/JOB/``; job -> that folder.

    ``jobs`` None means every job with WARC files. Raises ReplayError when there is
    nothing to replay or a WARC cannot be indexed.
    """
    if _PYWB_SPECIAL.search(str(work)):
        raise ReplayError(f"pywb cannot use the work folder {work}: set TMPDIR to a path "
                          "without {{ }} [ ] * or ?")
    layout = ArchiveLayout(Path(root).absolute())
    available = jobs_with_warcs(layout.root)
    if jobs is None:
        if not available:
            raise ReplayError(f"nothing to replay: no WARC files under {layout.root / 'warc'}; "
                              f"crawl first (newsarchive crawl --out {layout.root}) "
                              "or choose another --out")
        jobs = available
    collections = {}
    for job in jobs:
        try:
            check_job_name(job)
        except OutputDirError as exc:
            raise ReplayError(str(exc)) from None
        if job not in available:
            known = ", ".join(available) or "none"
            raise ReplayError(f"job {job!r} has no WARC files in {layout.warc_dir(job)}; "
                              f"jobs with WARC files there: {known}")
        collections[job] = _link_job(layout.warc_dir(job), work / "warc" / job)
    return collections


def _warcs(folder: Path) -> list[Path]:
    return sorted(path for pattern in _WARC_GLOBS for path in folder.glob(pattern)
                  if path.is_file())


def _link_job(source: Path, folder: Path) -> Path:
    folder.mkdir(parents=True)
    for warc in _warcs(source):
        link = folder / warc.name
        link.symlink_to(warc.resolve())
        index = cdxj_path(warc)
        if index.is_file():
            (folder / index.name).symlink_to(index.resolve())
            continue
        try:
            # Written from the link, so each line names the WARC by its own base name.
            write_cdxj(link)
        except ArchiveIndexError as exc:
            raise ReplayError(f"{exc} (check it with `warcio check`)") from exc
    return folder


def write_config(work: Path, collections: Mapping[str, Path], *, framed: bool,
                 acls: Mapping[str, Path] | None = None) -> Path:
    """Write pywb's ``config.yaml`` for ``collections`` into ``work``; return its path.

    Written as JSON, which PyYAML reads as YAML, so no YAML writer is needed here.
    Recording, proxy mode, live web and auto-indexing stay off: they are off unless
    configured, and this file configures none of them. ``acls``: a collection's
    access-control file (archive.replay.exclusions), for those that have one.
    """
    root = work / "collections"
    root.mkdir(exist_ok=True)
    config: dict[str, Any] = {
        # Must be set: pywb 2.10 only strips the collection name from a request's
        # path when it is (FrontEndApp.setup_paths); left empty, every replay is a 404.
        # It stays an empty folder, and with auto collections off it is never scanned.
        "collections_root": str(root),
        "enable_auto_colls": False,
        "collections": {
            job: {"index_paths": f"{folder}/", "archive_paths": f"{folder}/",
                  **({"acl_paths": [str(acls[job])]} if acls and job in acls else {})}
            for job, folder in collections.items()
        },
        "framed_replay": framed,
        "enable_auto_fetch": False,
        "client_side_replay": False,
        "enable_memento": True,
    }
    path = work / "config.yaml"
    path.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    return path
