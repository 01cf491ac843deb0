"""CPU cost of one page's extraction: newsarchive's extractor against plain trafilatura.

Four ways of reading a page, over the same pages, in one process:

- ``analyse_page``: what a crawl worker does with a page (``crawler.extract.pageanalysis``):
  the parse, page kind, links, feeds, requisites, the extracted article and its fingerprint;
- ``extract_article``: the extractor alone (``crawler.extract.article``);
- ``trafilatura json``: ``trafilatura.extract(..., output_format="json",
  with_metadata=True)``, what the naive pipeline of ``bench/crawl_throughput.py`` runs;
- ``trafilatura``: trafilatura with its default settings, text only (what "plain" means
  in the extraction issue's 1.5x target).

Page sets (``--pages``): ``real``, the 181 real news pages of the public benchmark in
../shared/aeb/; ``light``, the ~8 KB articles of ``bench/_throughput/lightsite.py``;
``synthetic``, the articles of ``bench/newssite.py``. One untimed pass loads every model
and cache; then ``--rounds`` rounds, each timing every reader once in turn (so a burst
of other work on the machine hits them alike); the best round of each counts.

    .venv/bin/python -m bench.extract_cost                      # real and light pages
    .venv/bin/python -m bench.extract_cost --pages light --light-articles 1000 --rounds 7
    .venv/bin/python -m bench.extract_cost --pages synthetic --articles 500
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable

import trafilatura

from bench.crawl_throughput import at_least
from crawler.extract.article import extract_article
from crawler.extract.pageanalysis import analyse_page

#: Issue 21: newsarchive's extractor at most 1.5x plain trafilatura's CPU a page.
TARGET_RATIO = 1.5
PAGE_SETS = ("real", "light", "synthetic")

Reader = Callable[[str, str], object]


def plain_trafilatura(html: str, url: str) -> object:
    """trafilatura with its default settings, text only (what "plain" means here)."""
    return trafilatura.extract(html, url=url)


def trafilatura_json(html: str, url: str) -> object:
    """What the naive crawl pipeline runs in its callback (bench/_throughput/baseline.py)."""
    return trafilatura.extract(html, url=url, output_format="json", with_metadata=True)


READERS: dict[str, Reader] = {
    "analyse_page": analyse_page,
    "extract_article": extract_article,
    "trafilatura json": trafilatura_json,
    "trafilatura": plain_trafilatura,
}


def real_pages() -> list[tuple[str, str]]:
    from bench._throughput.realsite import DEFAULT_AEB, load_originals

    if not (DEFAULT_AEB / "html").is_dir():
        raise SystemExit(f"no benchmark pages at {DEFAULT_AEB}: use --pages light")
    return [(original.url, original.html) for original in load_originals()]


def light_pages(articles: int) -> list[tuple[str, str]]:
    from bench._throughput.lightsite import build_light_site, light_article_paths

    site = build_light_site(articles)
    return [(f"http://127.0.0.1{path}", site[path].body.decode("utf-8"))
            for path in light_article_paths(site)]


def synthetic_pages(articles: int) -> list[tuple[str, str]]:
    from bench.newssite import article_paths, build_site

    site = build_site(articles)
    return [(f"http://127.0.0.1{path}", site[path].body.decode("utf-8"))
            for path in article_paths(site)]


def cpu_per_page(readers: dict[str, Reader], pages: list[tuple[str, str]],
                 rounds: int) -> dict[str, float]:
    """CPU seconds per page of each reader: the best of ``rounds`` interleaved rounds."""
    for reader in readers.values():  # models, caches, lazy imports
        for url, html in pages:
            reader(html, url)
    best = dict.fromkeys(readers, float("inf"))
    for _ in range(rounds):
        for name, reader in readers.items():
            started = time.process_time()
            for url, html in pages:
                reader(html, url)
            best[name] = min(best[name], time.process_time() - started)
    return {name: seconds / len(pages) for name, seconds in best.items()}


def report(title: str, cost: dict[str, float]) -> None:
    print(title)
    for name, seconds in cost.items():
        print(f"  {name:<18} {seconds * 1000:7.2f} ms")
    plain, naive = cost["trafilatura"], cost["trafilatura json"]
    print(f"  extract_article / trafilatura:      {cost['extract_article'] / plain:.2f}x"
          f"   (target <= {TARGET_RATIO}x)")
    print(f"  analyse_page / trafilatura:         {cost['analyse_page'] / plain:.2f}x")
    print(f"  analyse_page / trafilatura json:    {cost['analyse_page'] / naive:.2f}x")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", choices=(*PAGE_SETS, "all"), default="all",
                        help="which pages: real, light, synthetic, or all (default: "
                             "real and light)")
    parser.add_argument("--light-articles", type=at_least(1), default=400, metavar="N",
                        help="light articles (default 400)")
    parser.add_argument("--articles", type=at_least(1), default=500, metavar="N",
                        help="synthetic articles (default 500)")
    parser.add_argument("--rounds", type=at_least(1), default=3,
                        help="timed rounds (default 3)")
    args = parser.parse_args(argv)

    chosen = ("real", "light") if args.pages == "all" else (args.pages,)
    for name in chosen:
        if name == "real":
            pages = real_pages()
        elif name == "light":
            pages = light_pages(args.light_articles)
        else:
            pages = synthetic_pages(args.articles)
        kib = sum(len(html) for _, html in pages) / len(pages) / 1024
        cost = cpu_per_page(READERS, pages, args.rounds)
        report(f"{name}: {len(pages)} pages ({kib:.0f} KiB a page), best of {args.rounds} "
               "interleaved rounds, CPU per page:", cost)
    return 0


if __name__ == "__main__":
    sys.exit(main())
