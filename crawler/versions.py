"""Article versions across runs: which record is the latest, and when to look again.

Also what a run takes over from the runs before it (:func:`left_over`) and
which known articles it leaves alone (:func:`known_not_due`).

An article (one canonical URL) gets version 1 when first archived; a later fetch
whose extracted content differs (title, text, authors: see
:func:`archive.articles.content_digest`) is written as the next version, with a
pointer to the one before. Unchanged content writes nothing new.
"""

from __future__ import annotations

import time
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from scrapy.settings import BaseSettings

from archive.articles import content_digest
from archive.state.crawlstate import CrawlState
from archive.state.recrawl import RecrawlPolicy
from crawler.discovery.urls import url_key


def recrawl_policy(settings: BaseSettings) -> RecrawlPolicy:
    return RecrawlPolicy(
        max_age=settings.getfloat("INCREMENTAL_RECHECK_MAX_AGE"),
        interval=settings.getfloat("INCREMENTAL_RECHECK_INTERVAL"),
        backoff=settings.getfloat("INCREMENTAL_RECHECK_BACKOFF"),
        max_interval=settings.getfloat("INCREMENTAL_RECHECK_MAX_INTERVAL"),
    )


def policy_problem(settings: BaseSettings) -> str | None:
    """What is wrong with the INCREMENTAL_RECHECK_* settings, in one line, or None."""
    for name in ("INCREMENTAL_RECHECK_MAX_AGE", "INCREMENTAL_RECHECK_INTERVAL",
                 "INCREMENTAL_RECHECK_MAX_INTERVAL"):
        value = settings.getfloat(name)
        if not value >= 0:  # also catches nan
            return f"{name}={settings.get(name)!r}: must be 0 or more seconds"
    if not settings.getfloat("INCREMENTAL_RECHECK_BACKOFF") >= 1:
        return (f"INCREMENTAL_RECHECK_BACKOFF={settings.get('INCREMENTAL_RECHECK_BACKOFF')!r}: "
                "must be 1 or more (1 keeps the interval fixed)")
    return None


def remember_version(state: CrawlState, record: dict[str, Any],
                     digest: str | None = None) -> None:
    """A new version of an article was written: it is now the one to compare with."""
    key = url_key(record.get("canonical_url") or record["url"])
    state.record_version(key, record, content_digest=digest or content_digest(record),
                         published=iso_timestamp(record.get("published")))
    state.link_article(url_key(record["url"]), key)


def replay_recovered(state: CrawlState, records: list[dict[str, Any]]) -> int:
    """Article lines a killed run wrote but may not have committed to the state."""
    replayed = 0
    for record in records:
        if not record.get("url"):
            continue
        key = url_key(record.get("canonical_url") or record["url"])
        known = state.article(key)
        if known is None or int(record.get("version") or 1) > known.version:
            remember_version(state, record)
            replayed += 1
    state.commit()
    return replayed


def iso_timestamp(value: Any) -> float | None:
    """Unix time of an ISO 8601 string (UTC when it names no zone), else None."""
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


@dataclass(frozen=True)
class LeftOver:
    url: str
    source: str | None
    recheck: bool  # a known article due for a re-check, else a URL never fetched
    requisite: str | None = None  # a page's requisite (crawler.spiders.requisites)


def left_over(state: CrawlState, policy: RecrawlPolicy, *, rechecks: bool,
              waiting: Collection[str] = ()) -> Iterator[LeftOver]:
    """What earlier runs left: URLs asked for and never fetched, then (with
    ``rechecks``) the known articles the policy says to look at again now. Read as
    the run takes them up: a frontier of millions is never one list in memory. URLs
    of the ``waiting`` sources (not due in this run) stay in the frontier, their
    attempts uncounted."""
    for pending in state.stream_pending(waiting):
        yield LeftOver(pending.url, pending.source, False, pending.requisite)
    if rechecks:
        for article in state.due_articles(time.time(), policy):
            yield LeftOver(article.canonical_url, article.source, True)


def known_not_due(state: CrawlState, policy: RecrawlPolicy, url_key_: str,
                  modified: datetime | None) -> bool:
    """An article already archived, not due for a re-check (``modified``: when a feed or
    sitemap says the page last changed)."""
    article = state.article_at(url_key_)
    return article is not None and not article.is_due(time.time(), policy,
                                                      modified=changed_at(modified))


def changed_at(when: datetime | None) -> float | None:
    """When a feed or sitemap says a page changed, as unix time. A bare date (a common
    sitemap lastmod; read as midnight) may mean any time that day: taken as its end,
    so an edit made the day an article was last checked is not missed."""
    if when is None:
        return None
    if (when.hour, when.minute, when.second, when.microsecond) == (0, 0, 0, 0):
        return (when + timedelta(days=1)).timestamp()
    return when.timestamp()
