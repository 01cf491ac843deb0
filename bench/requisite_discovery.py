"""What finding a page's requisites finds and costs, on real news pages.

Runs ``crawler.discovery.requisites.page_requisites`` over the 181 real pages of
the public extraction benchmark in ../shared/aeb/ (each resolved against its own
URL from the benchmark's ground truth), and prints the requisites found per page
(median, max), by kind, and the CPU time per page of the finding against that of
the parse it follows (``crawler.extract.article.parse_html``) and of a bare walk
over the page's elements (what any finder that reads ``style`` attributes pays
before it does anything: lxml makes a Python object of every element). The best
of ``--rounds`` timed passes counts (the others lost time to the rest of the machine).

    .venv/bin/python -m bench.requisite_discovery
    .venv/bin/python -m bench.requisite_discovery --rounds 5
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

from bench.crawl_throughput import at_least
from crawler.discovery.requisites import KINDS, page_requisites
from crawler.extract.article import parse_html

AEB = Path(__file__).resolve().parents[2] / "shared" / "aeb"


def aeb_pages() -> list[tuple[str, str]]:
    """(url, html) of every benchmark page, its URL the one it was fetched from."""
    if not (AEB / "html").is_dir():
        raise SystemExit(f"no benchmark pages at {AEB / 'html'}")
    truth = json.loads((AEB / "ground-truth.json").read_text(encoding="utf-8"))
    return [(item["url"], gzip.decompress((AEB / "html" / f"{key}.html.gz").read_bytes())
             .decode("utf-8")) for key, item in sorted(truth.items())]


def best_times(pages: list[tuple[str, str]], rounds: int) -> dict[str, list[float]]:
    """CPU seconds per page of the parse, a bare walk and the finding, each the best
    of ``rounds``."""
    times = {name: [float("inf")] * len(pages) for name in ("parse", "walk", "requisites")}
    for _ in range(rounds):
        for i, (url, html) in enumerate(pages):
            started = time.process_time()
            tree = parse_html(html)
            parsed = time.process_time()
            for _element in tree.iter():
                pass
            walked = time.process_time()
            page_requisites(tree, url)
            found = time.process_time()
            for name, seconds in (("parse", parsed - started), ("walk", walked - parsed),
                                  ("requisites", found - walked)):
                times[name][i] = min(times[name][i], seconds)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=at_least(1), default=3,
                        help="timed passes (default 3)")
    args = parser.parse_args(argv)

    pages = aeb_pages()
    counts, kinds = [], Counter()
    for url, html in pages:
        requisites = page_requisites(parse_html(html), url)
        counts.append(len(requisites))
        kinds.update(r.kind for r in requisites)
    times = best_times(pages, args.rounds)

    print(f"{len(pages)} pages, {sum(counts)} requisites: per page median "
          f"{statistics.median(counts):.0f}, max {max(counts)}")
    print("by kind: " + ", ".join(f"{kind} {kinds[kind]}" for kind in KINDS))
    print(f"CPU per page, best of {args.rounds} rounds (ms):   median   mean    max")
    for name, seconds in times.items():
        ms = [t * 1000 for t in seconds]
        label = "bare walk" if name == "walk" else name
        print(f"  {label:<12} {statistics.median(ms):28.2f} {statistics.mean(ms):6.2f} "
              f"{max(ms):6.2f}")
    parse, find = times["parse"], times["requisites"]
    ratio = [f / p for f, p in zip(find, parse, strict=True) if p > 0]
    print(f"requisites / parse: median {statistics.median(ratio):.0%}, "
          f"total {sum(find) / sum(parse):.0%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
