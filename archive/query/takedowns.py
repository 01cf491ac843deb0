"""Suppress an article, take a suppression back, list them: the notebook API
behind ``newsarchive suppress`` (the log itself is :mod:`archive.query.suppressions`).

    >>> from archive.query import suppress, suppressions, unsuppress
    >>> suppress("https://news.example/a/", "privacy request #1234", job="example")
    >>> [(e.url, e.reason) for e in suppressions()]
    [('https://news.example/a/', 'privacy request #1234')]
    >>> unsuppress("https://news.example/a/", reason="request withdrawn")

Nothing in the archive's WARC files, article parts or manifests changes: the
entries only decide what queries, ``show``, ``diff``, replay and WACZ export
let through.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from archive.errors import QueryError
from archive.layout import check_job_name
from archive.query.articles import (
    ArticleQuery,
    check_article_url,
    open_articles,
    url_variants,
)
from archive.query.sources import default_cache
from archive.query.suppressions import (
    SUPPRESS,
    UNDO,
    Suppression,
    SuppressionLog,
    new_entry,
)
from archive.store.base import ObjectStore, StoreOptions, open_store

__all__ = ["hidden_urls", "suppress", "suppressions", "unsuppress"]

_FOLDERS = ("articles", "warc", "manifests")


def suppress(url: str, reason: str, out: Path | str = "archive-data", *,
             store: str | None = None, endpoint_url: str | None = None,
             cache: Path | None = None, job: str | None = None,
             by: str | None = None) -> Suppression:
    """Hide the article at ``url`` (every version; in ``job``, else in every job) and
    return the entry written. Its keys are the URL's variants and the URLs and
    canonical URLs of the article's captures now in the archive; the article need
    not be there yet (a request may come before the crawl does)."""
    url = check_article_url(url)
    if not isinstance(reason, str) or not reason.strip():
        raise QueryError("--reason is empty: say why the article is hidden (a takedown "
                         "request, a privacy complaint), for whoever reads the log later")
    job = check_job_name(job) if job is not None else None
    log = _log(out, store, endpoint_url, cache)
    keys = set(url_variants(url))
    try:
        with open_articles(out, store=store, endpoint_url=endpoint_url, cache=cache,
                           job=job, all_versions=True) as query:
            for row in query.find_url(url):
                keys |= {key for key in (row["url"], row["canonical_url"]) if key}
    except QueryError:
        pass  # no articles (of that job) yet: the URL's variants are the keys
    entry = new_entry(SUPPRESS, url, keys, job=job, reason=reason.strip(), by=by)
    log.append(entry)
    return entry


def unsuppress(url: str, out: Path | str = "archive-data", *, store: str | None = None,
               endpoint_url: str | None = None, cache: Path | None = None,
               job: str | None = None, reason: str | None = None,
               by: str | None = None) -> Suppression:
    """Take back the suppressions of ``url`` (of ``job`` only, when given): an ``undo``
    entry, so the history stays. QueryError when nothing hides the URL."""
    url = check_article_url(url)
    job = check_job_name(job) if job is not None else None
    log = _log(out, store, endpoint_url, cache)
    variants = url_variants(url)
    undone = [entry for entry in log.active() if entry.covers(variants)
              and (job is None or entry.job == job)]
    if not undone:
        raise QueryError(f"{url} is not suppressed" + (f" in job {job}" if job else "")
                         + f" in {log.where}: see `newsarchive suppress --list`")
    keys = {key for entry in undone for key in entry.keys}
    entry = new_entry(UNDO, url, keys, job=job, reason=(reason or "").strip(), by=by)
    log.append(entry)
    return entry


def suppressions(out: Path | str = "archive-data", *, store: str | None = None,
                 endpoint_url: str | None = None, cache: Path | None = None,
                 history: bool = False) -> list[Suppression]:
    """The suppressions in force, oldest first; ``history``: every entry, undos too."""
    log = _log(out, store, endpoint_url, cache, writing=False)
    return log.entries() if history else log.active()


def _log(out: Path | str, store: str | None, endpoint_url: str | None, cache: Path | None,
         *, writing: bool = True) -> SuppressionLog:
    if store:
        opened: ObjectStore = open_store(store, StoreOptions(endpoint_url=endpoint_url))
        opened.check(writable=writing)
        return SuppressionLog(store=opened, cache=cache or default_cache(opened.uri))
    root = Path(out)
    if not any((root / folder).is_dir() for folder in _FOLDERS):
        raise QueryError(f"{root} is not an archive directory (no articles, warc or manifests "
                         "folder): give the --out a crawl wrote to, or --store URI")
    return SuppressionLog(root)


def hidden_urls(query: ArticleQuery, jobs: Iterable[str]) -> dict[str, set[str]]:
    """Job -> the URLs replay and export leave out there: every URL and canonical URL
    of a suppressed article's captures, and the keys of the suppressions in force."""
    jobs = list(jobs)
    found: dict[str, set[str]] = {job: set() for job in jobs}
    for row in query.hidden_captures():
        if row["job"] in found:
            found[row["job"]] |= {url for url in (row["url"], row["canonical_url"]) if url}
    for entry in query.hidden:
        for job in jobs if entry.job is None else [entry.job]:
            if job in found:
                found[job] |= set(entry.keys)
    return found
