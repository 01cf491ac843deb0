"""CPU cost of one page's extraction: newsarchive's extractor against plain trafilatura.

Runs both over the 181 real news pages of the public benchmark in ../shared/aeb/
(or over N synthetic pages from bench/newssite.py with --synthetic N), in one
process: one pass to load every model and cache, then ``--rounds`` timed passes
each; the best round counts (the others lost time to the rest of the machine).
Target (issue 7): newsarchive's extractor within 1.5x of plain trafilatura.

    .venv/bin/python -m bench.extract_cost
    .venv/bin/python -m bench.extract_cost --synthetic 500 --rounds 5
"""

from __future__ import annotations

import argparse
import gzip
import sys
import time
from collections.abc import Callable
from pathlib import Path

import trafilatura

from bench.crawl_throughput import at_least
from crawler.extract.article import extract_article

AEB_HTML = Path(__file__).resolve().parents[2] / "shared" / "aeb" / "html"
TARGET_RATIO = 1.5

Extractor = Callable[[str, str], object]


def plain_trafilatura(html: str, url: str) -> object:
    """trafilatura 2.3.1 with its default settings, text only (what "plain" means here)."""
    return trafilatura.extract(html, url=url)


def aeb_pages() -> list[tuple[str, str]]:
    if not AEB_HTML.is_dir():
        raise SystemExit(f"no benchmark pages at {AEB_HTML}: use --synthetic N")
    pages = []
    for path in sorted(AEB_HTML.iterdir()):
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        pages.append((f"https://aeb.example/{path.name}", data.decode("utf-8", "replace")))
    return pages


def synthetic_pages(articles: int) -> list[tuple[str, str]]:
    from bench.newssite import article_paths, build_site

    site = build_site(articles)
    return [(f"http://127.0.0.1{path}", site[path].body.decode("utf-8"))
            for path in article_paths(site)]


def best_round(extractor: Extractor, pages: list[tuple[str, str]], rounds: int) -> float:
    """CPU seconds per page of the fastest of ``rounds`` passes."""
    times = []
    for _ in range(rounds):
        started = time.process_time()
        for url, html in pages:
            extractor(html, url)
        times.append(time.process_time() - started)
    return min(times) / len(pages)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--synthetic", type=at_least(1), metavar="N",
                        help="N synthetic articles instead of the benchmark's real pages")
    parser.add_argument("--rounds", type=at_least(1), default=3,
                        help="timed passes (default 3)")
    args = parser.parse_args(argv)

    pages = synthetic_pages(args.synthetic) if args.synthetic is not None else aeb_pages()
    extractors = {"plain trafilatura": plain_trafilatura, "newsarchive": extract_article}
    for extractor in extractors.values():  # models, caches, lazy imports
        for url, html in pages:
            extractor(html, url)
    cost = {name: best_round(fn, pages, args.rounds) for name, fn in extractors.items()}
    print(f"{len(pages)} pages, best of {args.rounds} rounds, CPU per page:")
    for name, seconds in cost.items():
        print(f"  {name:<18} {seconds * 1000:7.2f} ms")
    ratio = cost["newsarchive"] / cost["plain trafilatura"]
    print(f"ratio: {ratio:.2f}x   (target <= {TARGET_RATIO}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
