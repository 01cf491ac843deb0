"""Score article extractors on the publisher-markup news pages in this directory.

The 24 pages (``*.html``) imitate the markup of real publishers and CMSs; their
ground truth (``truth.json``) was written by hand, independently of any
extractor. See ``README.md`` for the annotation rules.

Body text is scored per page as bag-of-words precision, recall and F1 over
lowercase ``\\w+`` tokens (multiset overlap), then averaged over pages. Metadata
is scored as per-field accuracy: title (casefolded, whitespace collapsed),
authors (set equality after casefolding), published (date part) and language
(primary subtag).

    python tests/pages/publishers/score.py          # ours and two trafilatura baselines
    python tests/pages/publishers/score.py --extractor pkg.mod:fn
                                                    # fn(html, url) -> {"text": ...} | None
"""

from __future__ import annotations

import argparse
import importlib
import json
import re
import statistics
from collections import Counter
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
TRUTH_FILE = HERE / "truth.json"
EXTRACTOR = "crawler.extract.article:extract_article"
FIELDS = ("title", "authors", "published", "language")
TOKEN = re.compile(r"\w+")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

#: ``fn(html, url)`` returning a dict with some of the keys text, title, authors,
#: published and language, or None when it finds no article.
Extractor = Callable[[str, str], Mapping[str, Any] | None]


def load_truth() -> dict[str, dict[str, Any]]:
    """The hand-written ground truth.

    ``{file name: {"url", "text", "title", "authors", "published", "language"}}``
    """
    return json.loads(TRUTH_FILE.read_text(encoding="utf-8"))


def read_page(name: str) -> str:
    return (HERE / name).read_text(encoding="utf-8")


def tokens(text: str | None) -> Counter[str]:
    return Counter(TOKEN.findall((text or "").lower()))


def body_scores(truth: str, predicted: str | None) -> dict[str, float]:
    """Bag-of-words precision, recall and F1 of ``predicted`` against ``truth``."""
    want, got = tokens(truth), tokens(predicted)
    overlap = sum((want & got).values())
    precision = overlap / sum(got.values()) if got else 0.0
    recall = overlap / sum(want.values()) if want else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def norm_title(value: Any) -> str | None:
    return " ".join(str(value).split()).casefold() if value else None


def norm_authors(value: Any) -> frozenset[str]:
    if not value:
        return frozenset()
    names = [value] if isinstance(value, str) else list(value)
    return frozenset(" ".join(str(n).split()).casefold() for n in names if str(n).strip())


def norm_published(value: Any) -> str | None:
    if isinstance(value, date):  # datetime is a date too
        return value.isoformat()[:10]
    match = DATE.match(str(value).strip()) if value else None
    return match.group(0) if match else None


def norm_language(value: Any) -> str | None:
    return re.split(r"[-_]", str(value).strip())[0].casefold() if value else None


NORMALISE: dict[str, Callable[[Any], Any]] = {
    "title": norm_title, "authors": norm_authors,
    "published": norm_published, "language": norm_language,
}


def score(extract_fn: Extractor, truth: Mapping[str, Mapping[str, Any]] | None = None) -> dict:
    """Run ``extract_fn`` on every page and score it against the ground truth.

    Returns the means over pages (``f1``, ``precision``, ``recall``), the accuracy
    of each metadata field (``title``, ``authors``, ``published``, ``language``)
    and, under ``pages``, each page's scores with ``got`` (what the extractor
    returned for the metadata fields) and ``ok`` (which of them matched).
    """
    truth = load_truth() if truth is None else truth
    pages: dict[str, dict[str, Any]] = {}
    for name, want in truth.items():
        result = extract_fn(read_page(name), want["url"]) or {}
        page: dict[str, Any] = body_scores(want["text"], result.get("text"))
        page["got"] = {field: result.get(field) for field in FIELDS}
        page["ok"] = {field: NORMALISE[field](result.get(field)) == NORMALISE[field](want[field])
                      for field in FIELDS}
        pages[name] = page
    summary: dict[str, Any] = {
        metric: statistics.mean(p[metric] for p in pages.values())
        for metric in ("f1", "precision", "recall")
    }
    for field in FIELDS:
        summary[field] = statistics.mean(float(p["ok"][field]) for p in pages.values())
    summary["pages"] = pages
    return summary


def load_extractor(spec: str = EXTRACTOR) -> Extractor:
    """The public function named ``package.module:function``."""
    module, _, function = spec.partition(":")
    return getattr(importlib.import_module(module), function)


def trafilatura_extractor(**options: Any) -> Extractor:
    """trafilatura as a baseline: ``extract(..., output_format="txt", **options)`` for the
    body, ``extract_metadata`` for the fields (it sets no language of its own)."""
    import trafilatura

    def extract(html: str, url: str) -> dict[str, Any]:
        text = trafilatura.extract(html, url=url, output_format="txt", **options)
        meta = trafilatura.extract_metadata(html, default_url=url)
        authors = [a.strip() for a in (meta.author or "").split(";") if a.strip()]
        return {"text": text or "", "title": meta.title, "authors": authors,
                "published": meta.date, "language": meta.language}

    return extract


BASELINES: dict[str, dict[str, Any]] = {
    "trafilatura": {},
    "trafilatura precision": {"favor_precision": True, "include_comments": False},
}


def _mark(ok: bool) -> str:
    return "ok" if ok else "--"


def report(results: Mapping[str, dict], main: str) -> str:
    """A per-page table (body F1 of every extractor, metadata of ``main``) and the means."""
    names = list(results)
    first = results[main]["pages"]
    width = max(len(p) for p in first)
    col = max(len(n) for n in names)
    head = f"{'page':<{width}}  " + "  ".join(f"{n:>{col}}" for n in names)
    lines = [head + "  title auth date lang", "-" * (len(head) + 22)]
    for page in first:
        ok = first[page]["ok"]
        f1s = "  ".join(f"{results[n]['pages'][page]['f1']:>{col}.3f}" for n in names)
        marks = " ".join(f"{_mark(ok[f]):>4}" for f in FIELDS)
        lines.append(f"{page:<{width}}  {f1s}  {marks}")
    metrics = ("f1", "precision", "recall", *FIELDS)
    lines += ["", f"{'means':<{col}}" + "".join(f"{m:>10}" for m in metrics)]
    for name in names:
        lines.append(f"{name:<{col}}" + "".join(f"{results[name][m]:>10.3f}" for m in metrics))
    return "\n".join(lines)


def mismatches(result: dict, truth: Mapping[str, Mapping[str, Any]]) -> str:
    """Metadata the extractor got wrong, page by page: what it returned and what was wanted."""
    lines = []
    for page, scores in result["pages"].items():
        for field in FIELDS:
            if not scores["ok"][field]:
                lines.append(f"{page}: {field}: got {scores['got'][field]!r}, "
                             f"want {truth[page][field]!r}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--extractor", default=EXTRACTOR, help="package.module:function")
    args = parser.parse_args(argv)
    truth = load_truth()
    results = {args.extractor: score(load_extractor(args.extractor), truth)}
    for name, options in BASELINES.items():
        results[name] = score(trafilatura_extractor(**options), truth)
    print(report(results, args.extractor))
    wrong = mismatches(results[args.extractor], truth)
    if wrong:
        print(f"\nmetadata mismatches of {args.extractor}:\n{wrong}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
