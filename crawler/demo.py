"""``newsarchive demo``: serve the bundled news site, crawl it, show the result."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from archive.articles import read_articles
from crawler.demosite import serve_in_thread
from crawler.run import run_crawl
from crawler.summary import summary_lines

DEMO_JOB = "demo"
# The demo site is ours and on this machine: no need to be gentle with it.
DEMO_SETTINGS = {
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
    "PROGRESS_INTERVAL": 2.0,
    # The summary below says what happened; the crawl log would only bury it.
    "LOG_LEVEL": "WARNING",
}


def crawl_files(manifest_path: str | None) -> dict[str, list[tuple[str, int]]]:
    """(path, size) of each file a crawl's manifest lists, by kind."""
    files: dict[str, list[tuple[str, int]]] = {}
    if manifest_path:
        manifest = json.loads(Path(manifest_path).read_text(encoding="utf-8"))
        for entry in manifest["files"]:
            files.setdefault(entry["kind"], []).append((entry["path"], entry["size"]))
    return files


def run_demo(out: Path) -> int:
    with serve_in_thread("demo") as site:
        print(f"Demo news site: {site.base_url}")
        result = run_crawl([site.base_url], out, job=DEMO_JOB, overrides=DEMO_SETTINGS)
    print()
    print("\n".join(summary_lines(result.stats)))
    # This crawl's files, from its manifest: earlier demo runs may share the directory.
    files = crawl_files(result.stats.get("manifest/path"))
    print()
    print("WARC files:")
    for path, size in files.get("warc", []):
        print(f"  {Path(out) / path}  ({size / 1e3:.1f} kB)")
    print("Articles (JSON Lines):")
    parts = [Path(out) / path for path, _ in files.get("articles", [])]
    for part in parts:
        print(f"  {part}")
    if manifest := result.stats.get("manifest/path"):
        print(f"Manifest: {manifest}")
    sample = next((a for part in parts for a in read_articles(part)), None)
    if sample is not None:
        print()
        print("Sample article:")
        shown = {k: v for k, v in sample.items() if k != "text"}
        print(textwrap.indent(json.dumps(shown, indent=2, ensure_ascii=False), "  "))
        print(textwrap.indent(textwrap.shorten(sample["text"] or "", 400), "  text: "))
    if not result.ok:
        print("Not everything was archived: " + "; ".join(result.problems))
        return 1
    return 0
