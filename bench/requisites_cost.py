"""What page requisites cost a crawl: ``newsarchive crawl`` as shipped, run twice on
the same synthetic site, with ``--requisites none`` and ``--requisites all``.

Run through ``python -m bench.crawl_throughput --requisites-cost`` (same site, same
settings: no politeness). For each run: whole-run pages/s and articles/s (a page is
an HTML page; requisites are counted apart, from the run report's
``counts.requisites``), WARC bytes per article, CPU per page of the crawl's process
tree, and the ratios all/none. Figures: docs/performance.md, "Page requisites: what
they cost".
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bench.crawl_throughput import machine, run_crawl
from bench.newssite import Page, html_paths, serve


@dataclass
class RequisiteRun:
    mode: str  # the --requisites value
    pages: int  # HTML pages served
    articles: int
    requisites: int  # fetched, from the run report
    requisite_failures: int
    requisite_bytes: int
    warc_bytes: int
    wall_seconds: float
    cpu_seconds: float

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.wall_seconds

    @property
    def articles_per_second(self) -> float:
        return self.articles / self.wall_seconds

    @property
    def warc_bytes_per_article(self) -> float:
        return self.warc_bytes / self.articles

    @property
    def cpu_ms_per_page(self) -> float:
        return 1000 * self.cpu_seconds / self.pages

    def figures(self) -> dict[str, Any]:
        return {**asdict(self), "pages_per_second": self.pages_per_second,
                "articles_per_second": self.articles_per_second,
                "warc_bytes_per_article": self.warc_bytes_per_article,
                "cpu_ms_per_page": self.cpu_ms_per_page}


def run_report(out: Path) -> dict[str, Any]:
    """The run report of the one crawl written under ``out``."""
    reports = sorted(out.glob("manifests/*.report.json"))
    if len(reports) != 1:
        raise SystemExit(f"expected one run report under {out}/manifests, found {len(reports)}")
    return json.loads(reports[0].read_text(encoding="utf-8"))


def requisite_run(mode: str, base: str, out: Path) -> RequisiteRun:
    figures = run_crawl(f"full, requisites {mode}", base, out, {"REQUISITES": mode},
                        extracts=True)
    counts = run_report(out)["counts"]
    requisites = counts["requisites"]
    asked = requisites["fetched"] + requisites["not_modified"] + requisites["failed"]
    return RequisiteRun(
        mode=mode, pages=figures.pages - asked, articles=figures.articles,
        requisites=requisites["fetched"], requisite_failures=requisites["failed"],
        requisite_bytes=requisites["bytes"], warc_bytes=counts["warc_bytes"],
        wall_seconds=figures.wall_seconds, cpu_seconds=figures.cpu_seconds)


def compare(site: dict[str, Page], json_out: Path | None) -> int:
    with serve(site) as base, tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        runs = [requisite_run(mode, base, Path(tmp, mode)) for mode in ("none", "all")]
    none, every = runs
    ratios = {"pages_per_second": every.pages_per_second / none.pages_per_second,
              "articles_per_second": every.articles_per_second / none.articles_per_second,
              "warc_bytes_per_article": every.warc_bytes_per_article
              / none.warc_bytes_per_article,
              "cpu_ms_per_page": every.cpu_ms_per_page / none.cpu_ms_per_page}
    report = {"machine": machine(), "html_pages": len(html_paths(site)),
              "runs": {run.mode: run.figures() for run in runs}, "all_over_none": ratios}
    print(format_report(report))
    if json_out:
        json_out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


def format_report(report: dict[str, Any]) -> str:
    runs, ratios = report["runs"], report["all_over_none"]
    lines = [
        f"machine: {report['machine']['cores']} cores, {report['machine']['cpu']}, "
        f"Python {report['machine']['python']}",
        "",
        f"{'requisites':<12}{'pages':>7}{'articles':>10}{'requisites':>12}{'failed':>8}"
        f"{'pages/s':>9}{'articles/s':>12}{'WARC KB/article':>17}{'CPU ms/page':>13}",
    ]
    for mode in ("none", "all"):
        run = runs[mode]
        lines.append(
            f"{mode:<12}{run['pages']:>7}{run['articles']:>10}{run['requisites']:>12}"
            f"{run['requisite_failures']:>8}{run['pages_per_second']:>9.1f}"
            f"{run['articles_per_second']:>12.1f}{run['warc_bytes_per_article'] / 1000:>17.1f}"
            f"{run['cpu_ms_per_page']:>13.2f}")
    lines.append(
        f"{'all/none':<49}{ratios['pages_per_second']:>9.2f}"
        f"{ratios['articles_per_second']:>12.2f}{ratios['warc_bytes_per_article']:>17.2f}"
        f"{ratios['cpu_ms_per_page']:>13.2f}")
    every = runs["all"]
    lines.append(f"requisites fetched: {every['requisites'] / every['articles']:.2f} an article,"
                 f" {every['requisite_bytes'] / 1e6:.1f} MB in all (whole-run rates, start-up"
                 " included; CPU of the crawl's process tree)")
    return "\n".join(lines)
