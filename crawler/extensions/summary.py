"""Human-readable figures built from Scrapy stats (the single source of truth)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from archive.terminal import terminal_text
from crawler.extensions.drift import alert_lines, alert_problems
from crawler.extensions.hostsummary import host_lines, left_hosts, per_host
from crawler.extract.standin import KINDS as STANDIN_KINDS
from crawler.sourcedue import utc_text
from crawler.sourcestats import EVENTS, SKIP_REASONS, failed_sources, per_source

# Failures besides HTTP error statuses and download exceptions.
FAILURE_STATS = ("spider_exceptions/count", "extract/failed", "warc/write_failed",
                 "articles/write_failed",
                 # Responses Scrapy's limits dropped (crawler.middlewares.limits).
                 "httpcompression/max_size_exceeded", "redirect/max_reached")
_STATUSES = "downloader/response_status_count/"
_ROBOTS_STATUSES = "robotstxt/response_status_count/"
_EXCEPTIONS = "downloader/exception_type_count/"
# Page requisites' answers (crawler.middlewares.requisites), counted apart from pages':
# a stylesheet is not a page fetched, a missing icon not an error of the crawl.
REQUISITE_RESPONSES, REQUISITE_STATUSES = "requisites/responses", "requisites/response_status/"
REQUISITE_BYTES = "requisites/bytes"
# A request robots.txt forbids is a choice (shown on its own line), not a failure.
_IGNORED = _EXCEPTIONS + "scrapy.exceptions.IgnoreRequest"
# What the egress guard refused (crawler.middlewares.egress): requests, and the first 20
# hosts; requests through a proxy no allowance names, and the proxies.
BLOCKED, BLOCKED_HOST = "egress/blocked", "egress/blocked_host/"
PROXY_REFUSED, PROXY_REFUSED_HOST = "egress/proxy_refused", "egress/proxy_refused_host/"
# Pages that stood in for the page asked for (crawler/spiders/blocked.py): in all, by
# kind (``pages/blocked/challenge``), and by the error status they came with.
BLOCKED_PAGES, BLOCKED_PAGES_BY_STATUS = "pages/blocked", "pages/blocked_by_status/"


def count(stats: Mapping[str, Any], key: str) -> int:
    return int(stats.get(key) or 0)


def error_breakdown(stats: Mapping[str, Any]) -> dict[str, int]:
    """The errors of a crawl by kind (``http_404``, ``TimeoutError``, ``extract_failed``,
    ...); they add up to :func:`error_count`. A missing robots.txt is normal, not an
    error."""
    breakdown = {}
    for key in stats:
        if key.startswith(_STATUSES) and key.rsplit("/", 1)[1][:1] in "45":
            status = key.rsplit("/", 1)[1]
            # robots.txt answers have their own rules; a blocked page is not an error
            # (crawler/spiders/blocked.py), nor a page requisite that failed
            breakdown[f"http_{status}"] = count(stats, key) - sum(
                count(stats, prefix + status)
                for prefix in (_ROBOTS_STATUSES, BLOCKED_PAGES_BY_STATUS, REQUISITE_STATUSES))
        elif key.startswith(_EXCEPTIONS) and key != _IGNORED:
            breakdown[key.rsplit(".", 1)[-1].rsplit("/", 1)[-1]] = count(stats, key)
    for key in FAILURE_STATS:
        breakdown[key.replace("/", "_")] = count(stats, key)
    return {kind: n for kind, n in sorted(breakdown.items()) if n}


def error_count(stats: Mapping[str, Any]) -> int:
    """All errors of a crawl (see :func:`error_breakdown`)."""
    return sum(error_breakdown(stats).values())


def progress_line(stats: Mapping[str, Any], elapsed: float) -> str:
    pages = count(stats, "response_received_count")
    rate = pages / elapsed if elapsed > 0 else 0.0
    return (
        f"pages {pages} ({rate:.1f}/s) | articles {count(stats, 'articles/written')} | "
        f"archived {count(stats, 'warc/bytes') / 1e6:.1f} MB | errors {error_count(stats)}"
    )


def _sources_line(stats: Mapping[str, Any]) -> str:
    """How many of the job's sources were due (a job whose sources have ``every``)."""
    due, later = count(stats, "sources/due"), count(stats, "sources/taken_up_later")
    total = due + count(stats, "sources/not_due")
    line = f"Sources due:          {due} of {total}"
    if later:
        line += f", {later} more taken up as they fell due"
    name, _, when = str(stats.get("sources/next_due", "")).partition(" ")
    if when:
        line += f"; next due: {name}, at {utc_text(float(when))}"
    return line


def summary_lines(stats: Mapping[str, Any]) -> list[str]:
    """The end-of-crawl summary; every figure comes from a stat."""
    pages = page_count(stats)
    lines = [
        f"Pages fetched:        {pages}",
        f"  articles found:     {count(stats, 'news/pages/article')}",
        f"  listings:           {count(stats, 'news/pages/listing')}",
        f"  other HTML:         {count(stats, 'news/pages/other')}",
        f"  non-HTML:           {count(stats, 'news/pages/non_html')}",
        *([f"  not modified (304): {count(stats, 'news/pages/not_modified')}"]
          if count(stats, "news/pages/not_modified") else []),
        f"Articles written:     {count(stats, 'articles/written')}"
        f" ({count(stats, 'articles/new')} new, {count(stats, 'articles/changed')} changed;"
        f" {count(stats, 'articles/unchanged')} unchanged, no text:"
        f" {count(stats, 'extract/empty')}, failed: {count(stats, 'extract/failed')})",
        f"WARC records:         {count(stats, 'warc/records')}"
        f" in {count(stats, 'warc/files')} file(s), {count(stats, 'warc/bytes') / 1e6:.2f} MB"
        + (f"; {count(stats, 'warc/revisits')} revisits"
           f" ({count(stats, 'incremental/not_modified')} not modified,"
           f" {count(stats, 'incremental/identical')} identical)"
           if count(stats, "warc/revisits") else ""),
        *requisite_lines(stats),
        f"Blocked by robots.txt: {count(stats, 'robotstxt/forbidden')}",
        *host_lines(stats),
        *blocked_lines(stats),
        *blocked_page_lines(stats),
        f"Errors:               {error_count(stats)}",
    ]
    if count(stats, "news/skipped/known"):
        lines.append(f"Already archived:     {count(stats, 'news/skipped/known')} article link(s)"
                     " not due for a re-check")
    if count(stats, "recovery/files"):
        lines.append(f"Recovered:            {count(stats, 'recovery/files')} file(s) left open "
                     "by a killed run")
    if any((deferred := deferred_counts(stats)).values()):
        # Over a per-run cap (crawler/spiders/indexes.py): not lost, the next runs take them.
        lines.append(f"Left for later runs:  {deferred['sitemap_entries']} sitemap entries, "
                     f"{deferred['links']} links (per-run caps: NEWS_SITEMAP_MAX_*, "
                     "NEWS_MAX_LINKS_PER_PAGE)")
    lines += source_lines(stats)
    lines += failed_source_lines(stats)
    lines += alert_lines(stats)  # a source that changed sharply from its recent runs
    if store := stats.get("store/uri"):
        lines.append(f"Uploaded to store:    {count(stats, 'store/uploaded')} file(s), "
                     f"{count(stats, 'store/bytes_uploaded') / 1e6:.2f} MB to {store}"
                     + (f" ({count(stats, 'store/present')} already there)"
                        if count(stats, "store/present") else ""))
        if count(stats, "store/pending"):
            lines.append(f"Waiting for upload:   {count(stats, 'store/pending')} file(s)")
        if count(stats, "store/earlier_uploaded"):
            lines.append(f"Sent for earlier runs: {count(stats, 'store/earlier_uploaded')} "
                         "file(s) they left waiting")
    if count(stats, "sources/not_due"):
        lines.append(_sources_line(stats))
    if reason := stats.get("finish_reason"):
        # "finished", or why the crawl stopped early (a page cap, a shutdown signal)
        lines.append(f"Finish reason:        {reason}")
    # Hosts, URLs and reasons come from the sites crawled: none may steer a terminal.
    return [terminal_text(line) for line in lines]


def page_count(stats: Mapping[str, Any]) -> int:
    """Pages fetched: every response but the page requisites'."""
    return count(stats, "response_received_count") - count(stats, REQUISITE_RESPONSES)


def requisite_counts(stats: Mapping[str, Any]) -> dict[str, Any]:
    """Page requisites (crawler.spiders.requisites): fetched, unchanged since an earlier
    run, failed, bytes, and what was skipped by which rule."""
    skipped = {key.removeprefix("requisites/skipped/"): count(stats, key)
               for key in sorted(stats) if key.startswith("requisites/skipped/")}
    return {"fetched": count(stats, "requisites/fetched"),
            "not_modified": count(stats, "requisites/not_modified"),
            "failed": count(stats, "requisites/failed") + count(stats, "requisites/no_answer"),
            "bytes": count(stats, REQUISITE_BYTES), "skipped": skipped}


def requisite_lines(stats: Mapping[str, Any]) -> list[str]:
    counts = requisite_counts(stats)
    if not any((counts["fetched"], counts["not_modified"], counts["failed"],
                *counts["skipped"].values())):
        return []
    skipped = ", ".join(f"{rule} {n}" for rule, n in counts["skipped"].items())
    return [f"Page requisites:      {counts['fetched']} fetched"
            f" ({counts['bytes'] / 1e6:.2f} MB), {counts['not_modified']} not modified,"
            f" {counts['failed']} failed" + (f"; skipped: {skipped}" if skipped else "")]


def deferred_counts(stats: Mapping[str, Any]) -> dict[str, int]:
    """What per-run caps left for later runs (crawler/spiders/indexes.py)."""
    return {"sitemap_entries": count(stats, "news/sitemaps/entries_deferred"),
            "links": count(stats, "news/links/deferred")}


def source_lines(stats: Mapping[str, Any]) -> list[str]:
    """One row per source: what it yielded, and what was skipped and why."""
    table = per_source(stats)
    if not table:
        return []
    columns = [*EVENTS, *(f"skipped/{reason}" for reason in SKIP_REASONS)]
    widths = [max(7, len(c.removeprefix("skipped/")) + 2) for c in columns]
    name_width = max(12, *(len(name) for name in table))

    def row(name: str, cells: list[str]) -> str:
        cut = len(EVENTS)
        left = "".join(f"{c:>{w}}" for c, w in zip(cells[:cut], widths[:cut], strict=True))
        right = "".join(f"{c:>{w}}" for c, w in zip(cells[cut:], widths[cut:], strict=True))
        return f"  {name:<{name_width}}{left}  |{right}"

    lines = ["Per source (and links skipped, by reason):",
             row("source", [c.removeprefix("skipped/") for c in columns])]
    lines += [row(name, [str(counts.get(c, 0)) for c in columns])
              for name, counts in sorted(table.items())]
    traps = sorted(k.removeprefix("news/traps/") for k in stats if k.startswith("news/traps/"))
    if traps:
        lines.append(f"Traps stopped:        {', '.join(traps)}")
    caught_up = sorted(k.removeprefix("news/caught_up/") for k in stats
                       if k.startswith("news/caught_up/"))
    if caught_up:
        lines.append(f"Caught up (only archived articles further back): {', '.join(caught_up)}")
    return lines


def failed_source_lines(stats: Mapping[str, Any]) -> list[str]:
    """Sources whose site never answered, and for how long that has been so."""
    failed = failed_sources(stats)
    if not failed:
        return []
    return ["Failed sources (their sites never answered; the other sources were crawled):",
            *(f"  {name}: {f['reason']}; {failing_for(f)}" for name, f in failed.items())]


def failing_for(failure: Mapping[str, Any]) -> str:
    if failure["runs"] <= 1:
        return "first failed run"
    return f"failing since run {failure['failing_since']} ({failure['runs']} runs in a row)"


def blocked_hosts(stats: Mapping[str, Any], prefix: str = BLOCKED_HOST) -> list[str]:
    """The hosts (``HOST:PORT``) the egress guard refused, the first 20 of them."""
    return list(per_host(stats, prefix))


def blocked_lines(stats: Mapping[str, Any]) -> list[str]:
    """What the egress guard (crawler.middlewares.egress) refused, if anything."""
    lines = []
    if blocked := count(stats, BLOCKED):
        lines.append(f"Blocked: private address: {blocked} request(s), to "
                     f"{', '.join(blocked_hosts(stats))} (see egress_allow)")
    if refused := count(stats, PROXY_REFUSED):
        lines.append(f"Blocked: proxy not allowed: {refused} request(s), through "
                     f"{', '.join(blocked_hosts(stats, PROXY_REFUSED_HOST))}")
    return lines


def blocked_page_counts(stats: Mapping[str, Any]) -> dict[str, int]:
    """``{"total": n, "challenge": n, "consent": n, "login": n}``."""
    return {"total": count(stats, BLOCKED_PAGES),
            **{kind: count(stats, f"{BLOCKED_PAGES}/{kind}") for kind in STANDIN_KINDS}}


def blocked_page_lines(stats: Mapping[str, Any]) -> list[str]:
    """Pages a challenge, consent wall or login form stood in for, if any."""
    counts = blocked_page_counts(stats)
    if not counts["total"]:
        return []
    kinds = ", ".join(f"{kind} {counts[kind]}" for kind in STANDIN_KINDS if counts[kind])
    return [f"Blocked pages:        {counts['total']} ({kinds}); no article taken, "
            "asked for again next run"]


def crawl_problems(stats: Mapping[str, Any]) -> list[str]:
    """Why a run that ran counts as incomplete (exit status 1); [] for a complete run."""
    problems = unarchived_problems(stats)
    if refused := count(stats, PROXY_REFUSED):
        problems.append(f"{refused} request(s) not sent: proxy "
                        f"{', '.join(blocked_hosts(stats, PROXY_REFUSED_HOST))} is not allowed; "
                        "name it in egress_allow (EGRESS_ALLOW), or unset HTTP_PROXY/HTTPS_PROXY")
    problems += [f"source {name} failed: {f['reason']}, {failing_for(f)}"
                 for name, f in failed_sources(stats).items()]
    problems += alert_problems(stats)
    if left := left_hosts(stats):
        problems.append("hosts left for the next run after asking again and again to slow "
                        "down: " + "; ".join(left))
    if errors := count(stats, "distributed/redis_errors"):
        problems.append(f"Redis failed {errors} time(s) during the crawl "
                        f"({stats.get('distributed/redis_last_error')}); the requests it "
                        "touched went back to the frontier, and the next run picks up "
                        "what is left")
    if "start_time" in stats and not stats.get("finish_reason"):
        # A second Ctrl-C or SIGTERM: Scrapy stopped at once, nothing was closed.
        problems.insert(0, "forced to stop (a second signal) before its files were closed; "
                           "the next run of the job recovers them")
    elif stats.get("finish_reason") == "shutdown":
        problems.insert(0, "stopped before the end (a signal); the next run picks up where "
                           "this one stopped")
    if disk_full := stats.get("disk/full"):  # the line crawler.middlewares.diskfull logged
        problems.insert(0, str(disk_full))
    return [terminal_text(problem) for problem in problems]  # printed on a terminal


def unarchived_problems(stats: Mapping[str, Any]) -> list[str]:
    """Reasons the crawl could not archive everything it fetched (exit status 1)."""
    problems = []
    if count(stats, "warc/write_failed"):
        problems.append(f"{count(stats, 'warc/write_failed')} WARC write(s) failed")
    if count(stats, "articles/write_failed"):
        problems.append(f"{count(stats, 'articles/write_failed')} article write(s) failed")
    if stats.get("manifest/error"):
        problems.append(f"manifest not written: {stats['manifest/error']}")
    if pending := count(stats, "store/pending"):
        reason = stats.get("store/last_error")
        if down := stats.get("store/unreachable_at_start"):
            reason = f"the store was down when the run started: {down}"
        problems.append(
            f"{pending} file(s) wait for upload"
            + (f" ({reason})" if reason else "")
            + "; the next run with this store sends them, or now: "
            + str(stats.get("store/upload_command")))
    if earlier := count(stats, "store/earlier_pending"):
        problems.append(f"{earlier} file(s) of earlier runs still wait for upload")
    if reason := stats.get("state/not_fetched"):
        problems.append(f"the job's state could not be fetched from the store ({reason}): "
                        "this run started afresh; the next run that reaches the store "
                        "joins the job's history")
    elif reason := stats.get("state/pending"):
        problems.append(f"the job's state could not be sent to the store ({reason}); the "
                        "next run sends it")
    return problems
