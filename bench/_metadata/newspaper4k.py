"""The ``unseen`` split: real news pages from newspaper4k's source distribution.

newspaper4k 0.9.6 (MIT) ships, in its sdist only, the pages its own tests parse
(``tests/data/html/*.html``) and the article bodies it expects from them
(``tests/data/txt/*.txt``). The pages are not committed here: the benchmark reads them
from the sdist, which it downloads with pip into a cache directory when missing
(``$NEWSARCHIVE_BENCH_CACHE``, default ``~/.cache/newsarchive/bench``), or from a path
given with ``--newspaper4k-sdist`` (the ``.tar.gz`` or its unpacked directory).

The labels (``data/newspaper4k_labels.json``) were written by hand from the visible
pages (see ``data/README.md``); newspaper4k's own expected metadata was not used. These
pages were never used to tune the extractor: they form the ``unseen`` split.
"""

from __future__ import annotations

import json
import tarfile
from pathlib import Path

from bench._metadata import FIELDS, UNSEEN, Page
from bench._metadata.cache import SourceUnavailable, check_sha256, default_cache, pip_download

__all__ = ["newspaper4k_pages"]

LABELS = Path(__file__).parent / "data" / "newspaper4k_labels.json"
REQUIREMENT = "newspaper4k==0.9.6"
SDIST_NAME = "newspaper4k-0.9.6.tar.gz"
#: The one sdist the labels were written for; another file is refused, not mis-scored.
SDIST_SHA256 = "a3f2f0e017dddb6f1019ee77aaa8980e13e6ecea0b949abc7167aae4770d2d0e"


def _reader(sdist: Path | None, cache: Path):
    """A function reading a member (``tests/data/...``) of the sdist as text."""
    if sdist is not None and sdist.is_dir():
        root = sdist
        return lambda member: (root / member).read_text(encoding="utf-8", errors="replace")
    path = sdist if sdist is not None else cache / SDIST_NAME
    if not path.is_file():
        if sdist is not None:
            raise SourceUnavailable(f"no newspaper4k sdist at {path}")
        path = pip_download(REQUIREMENT, cache / SDIST_NAME)
    check_sha256(path, SDIST_SHA256, f"{REQUIREMENT} sdist")
    prefix = SDIST_NAME.removesuffix(".tar.gz") + "/tests/data/"
    with tarfile.open(path, "r:gz") as archive:  # 4 MB: read the test data in one pass
        files = {member.name.removeprefix(prefix): archive.extractfile(member)
                 for member in archive.getmembers()
                 if member.isfile() and member.name.startswith(prefix)}
        texts = {name: handle.read().decode("utf-8", "replace")
                 for name, handle in files.items() if handle is not None}

    def read(member: str) -> str:
        try:
            return texts[member.removeprefix("tests/data/")]
        except KeyError:
            raise SourceUnavailable(f"{member} is missing from {path}") from None

    return read


def newspaper4k_pages(sdist: Path | None = None, cache: Path | None = None) -> list[Page]:
    """The labelled article pages of the sdist, all in the ``unseen`` split.

    Raises :class:`SourceUnavailable` when the pages cannot be had."""
    read = _reader(sdist, cache or default_cache())
    labels = json.loads(LABELS.read_text(encoding="utf-8"))["pages"]
    pages = []
    for name, label in sorted(labels.items()):
        html = read(f"tests/data/html/{name}.html")
        truth = {key: label[key] for key in FIELDS if key in label}
        # the txt body only where it was checked against the page (see data/README.md)
        body = read(f"tests/data/txt/{name}.txt") if label.get("body") else None
        pages.append(Page("newspaper4k", name, label["url"], html, truth,
                          fixed_split=UNSEEN, body=body))
    return pages
