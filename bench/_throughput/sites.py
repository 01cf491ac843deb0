"""The sites ``--site`` names, built and described, and the comparison run over them."""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench._newssite.site import Page, article_paths, html_paths
from bench._throughput.compare import (
    PIPELINES,
    Run,
    bound,
    format_site,
    probe_cost_seconds,
    ratios,
    run_pipeline,
)

#: newsarchive / naive, whole runs (issue 20): the real pages leave more to gain.
TARGETS = {"synthetic": 1.7, "real": 1.7, "light": 1.6}
SITES = ("synthetic", "real", "light")


@dataclass
class BenchSite:
    name: str
    pages: dict[str, Page]
    articles: list[str]

    def describe(self) -> str:
        html = html_paths(self.pages)
        size = sum(len(self.pages[p].body) for p in self.articles) / len(self.articles)
        return (f"{len(self.articles)} articles ({size / 1024:.0f} KiB a page), "
                f"{len(html) - len(self.articles)} other HTML pages")


def build(name: str, *, synthetic_articles: int, light_articles: int, copies: int,
          real_pages: int | None, aeb: Path | None) -> BenchSite:
    if name == "synthetic":
        from bench.newssite import build_site

        pages = build_site(synthetic_articles)
        return BenchSite(name, pages, article_paths(pages))
    if name == "real":
        from bench._throughput.realsite import (
            DEFAULT_AEB,
            build_real_site,
            load_originals,
            real_article_paths,
        )

        pages = build_real_site(load_originals(aeb or DEFAULT_AEB, real_pages), copies)
        return BenchSite(name, pages, real_article_paths(pages))
    from bench._throughput.lightsite import build_light_site, light_article_paths

    pages = build_light_site(light_articles)
    return BenchSite(name, pages, light_article_paths(pages))


def compare(names: list[str], settings: dict[str, str], json_path: Path | None,
            *, cores: int, **options: Any) -> int:
    from bench._newssite.server import server_process
    from bench.crawl_throughput import machine

    report: dict[str, Any] = {"machine": machine(), "cores": cores, "sites": {}}
    for name in names:
        site = build(name, **options)
        runs: dict[str, Run] = {}
        with server_process(site.pages, "127.0.0.1", 0) as (base, server), \
                tempfile.TemporaryDirectory(prefix="bench-") as tmp:
            probe = probe_cost_seconds(base, server.pid)
            for pipeline in PIPELINES:
                runs[pipeline] = run_pipeline(name, pipeline, base, Path(tmp, pipeline),
                                              settings, set(site.articles),
                                              server_pid=server.pid, probe_seconds=probe)
        print(format_site(name, site.describe(), runs, TARGETS[name], cores) + "\n",
              flush=True)
        limit, measured = bound(runs, cores), ratios(runs)
        report["sites"][name] = {
            "runs": {p: r.figures() for p, r in runs.items()}, "ratios": measured,
            "probe_cpu_ms": probe * 1000,
            "ceiling": None if limit is None else {
                **limit.figures(),
                "share_reached": measured["newsarchive_over_naive"] / limit.ratio}}
    if json_path:
        json_path.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0
