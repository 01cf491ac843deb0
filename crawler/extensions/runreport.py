"""The run report: what one run of a job did, as JSON next to its manifest.

The manifest says which files a crawl produced; the report says how the run
went, for a cron wrapper or a dashboard: new, changed and unchanged articles,
revisits, what was skipped and why, errors, the sources that failed (and since
when), files (recovered ones marked), the exit status and why. Every figure
comes from the crawl's stats.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from crawler.extensions.drift import alerts_of, health_of
from crawler.extensions.summary import (
    BLOCKED,
    PROXY_REFUSED,
    PROXY_REFUSED_HOST,
    blocked_hosts,
    blocked_page_counts,
    count,
    deferred_counts,
    error_breakdown,
    error_count,
    page_count,
    requisite_counts,
)
from crawler.sourcestats import SKIP_REASONS, failed_sources, per_source

REPORT_VERSION = 1


def run_report(stats: Mapping[str, Any], manifest: Mapping[str, Any], *,
               problems: Sequence[str], interrupted_runs: Sequence[str],
               manifest_path: str) -> dict[str, Any]:
    started = datetime.fromisoformat(manifest["started"])
    finished = datetime.fromisoformat(manifest["finished"])
    return {
        "report_version": REPORT_VERSION,
        "job": manifest["job"],
        "crawl_id": manifest["crawl_id"],
        "started": manifest["started"],
        "finished": manifest["finished"],
        "duration_seconds": round((finished - started).total_seconds(), 1),
        "finish_reason": manifest.get("finish_reason"),
        "exit_status": 1 if problems else 0,
        "problems": list(problems),
        "previous_run_interrupted": list(interrupted_runs),
        "counts": run_counts(stats),
        "sources": per_source(stats),
        # Sources whose site never answered: why, and since which run they fail.
        "failed_sources": [{"source": name, **failure}
                           for name, failure in failed_sources(stats).items()],
        "errors": error_breakdown(stats),
        # Each source's health signals, and the sharp changes from its recent runs
        # (archive.status.health); every alert is in "problems" too.
        "health": health_of(stats),
        "alerts": alerts_of(stats),
        "manifest": manifest_path,
        "store": manifest.get("store"),
        "files": [{key: entry[key] for key in ("path", "kind", "size", "records", "articles",
                                               "recovered", "pending") if key in entry}
                  for entry in manifest["files"]],
    }


def run_counts(stats: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "pages_fetched": page_count(stats),
        "not_modified": count(stats, "incremental/not_modified"),
        "identical": count(stats, "incremental/identical"),
        "carried_over": count(stats, "incremental/carried_over"),
        "rechecks": count(stats, "incremental/rechecks"),
        "articles": {
            "new": count(stats, "articles/new"),
            "changed": count(stats, "articles/changed"),
            "unchanged": count(stats, "articles/unchanged"),
            "no_text": count(stats, "extract/empty"),
            "failed": count(stats, "extract/failed"),
        },
        "skipped": {reason: count(stats, f"news/skipped/{reason}") for reason in SKIP_REASONS},
        "deferred": deferred_counts(stats),  # over a per-run cap, left for later runs
        # Requests the egress guard refused ("blocked: private address") and to where;
        # requests not sent through a proxy no allowance names, and through which.
        "blocked": {"private_address": count(stats, BLOCKED), "hosts": blocked_hosts(stats),
                    "proxy_not_allowed": count(stats, PROXY_REFUSED),
                    "proxies": blocked_hosts(stats, PROXY_REFUSED_HOST)},
        # Pages a challenge, consent wall or login form stood in for, by kind
        # (crawler/spiders/blocked.py): not errors, not articles.
        "blocked_pages": blocked_page_counts(stats),
        # Stylesheets, images, fonts, scripts of the pages (crawler/spiders/requisites.py).
        "requisites": requisite_counts(stats),
        "warc_records": count(stats, "warc/records"),
        "revisit_records": count(stats, "warc/revisits"),
        "warc_bytes": count(stats, "warc/bytes"),
        "recovered_files": count(stats, "recovery/files"),
        "errors": error_count(stats),
    }

