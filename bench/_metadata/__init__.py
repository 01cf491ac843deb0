"""Real pages with metadata ground truth for ``bench/extract_metadata.py`` and its gate.

Two sources, both read from files the repository has or CI checks out beside it:

- ``aeb``: the 181 real news and blog pages of the public article-extraction
  benchmark (``../shared/aeb/html``, MIT), labelled by hand for this benchmark from
  what a reader sees on each page (``data/aeb_labels.json``; see ``data/README.md``).
- ``publishers``: the 24 hand-written pages in ``tests/pages/publishers/`` with
  their ``truth.json`` (markup copied from real CMSs, text made up).

Every page falls in one of two splits by a hash of its URL (:func:`split_of`):
``tuning``, which one may study while improving the extractor, and ``held-out``,
whose failures nobody looks at; the benchmark reports both. A third split, ``unseen``,
holds real pages from other projects' test data (:mod:`bench._metadata.newspaper4k`,
:mod:`bench._metadata.npmfixtures`) that were labelled after the extractor's rules were
written and never tuned on. Other downloaded sources are split by URL like the committed
pages instead (their labels say ``"split": "by-url"``): Mercury's test pages, and
htmldate's and trafilatura's (:mod:`bench._metadata.sdistfixtures`), on which those
two libraries were tested.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["FIELDS", "UNSEEN", "Page", "labelled_pages", "split_of"]

REPO = Path(__file__).resolve().parents[2]
AEB_HTML = REPO.parent / "shared" / "aeb" / "html"
AEB_LABELS = Path(__file__).parent / "data" / "aeb_labels.json"
PUBLISHERS = REPO / "tests" / "pages" / "publishers"

#: The fields scored, in report order. A page's truth holds only those it was labelled for.
FIELDS = ("published", "modified", "authors", "title", "language")

#: The split of real pages from other projects' test data, never tuned on.
UNSEEN = "unseen"

#: One page in three is held out (69 of the 205 committed pages, 39 of Mercury's 103).
HELD_OUT_ONE_IN = 3


def split_of(url: str) -> str:
    """``"held-out"`` or ``"tuning"``, fixed by the URL alone so that it never drifts."""
    digest = hashlib.sha256(url.encode("utf-8")).digest()
    return "held-out" if digest[0] % HELD_OUT_ONE_IN == 0 else "tuning"


@dataclass(frozen=True)
class Page:
    source: str
    name: str
    url: str
    html: str
    truth: dict = field(default_factory=dict)
    #: A split the source fixes for all its pages (``unseen``) instead of the URL hash.
    fixed_split: str | None = None
    #: The article body's ground truth where the source has one checked against the page.
    body: str | None = field(default=None, repr=False)

    @property
    def split(self) -> str:
        return self.fixed_split or split_of(self.url)


def _aeb_pages() -> list[Page]:
    if not AEB_HTML.is_dir():
        raise FileNotFoundError(
            f"no benchmark pages at {AEB_HTML}: check out the shared directory beside "
            "the repository"
        )
    labels = json.loads(AEB_LABELS.read_text(encoding="utf-8"))
    pages = []
    for name, label in sorted(labels.items()):
        data = gzip.decompress((AEB_HTML / f"{name}.html.gz").read_bytes())
        html = data.decode("utf-8", "replace")
        truth = {key: label[key] for key in FIELDS if key in label}
        pages.append(Page("aeb", name, label["url"], html, truth))
    return pages


def _publisher_pages() -> list[Page]:
    truths = json.loads((PUBLISHERS / "truth.json").read_text(encoding="utf-8"))
    pages = []
    for name, label in sorted(truths.items()):
        html = (PUBLISHERS / name).read_text(encoding="utf-8")
        truth = {key: label[key] for key in FIELDS if key in label and label[key] is not None}
        pages.append(Page("publishers", name, label["url"], html, truth))
    return pages


def labelled_pages(sources: tuple[str, ...] = ("aeb", "publishers")) -> list[Page]:
    """Every labelled page of ``sources``, in a fixed order."""
    loaders = {"aeb": _aeb_pages, "publishers": _publisher_pages}
    return [page for source in sources for page in loaders[source]()]
