"""Every use of Scrapy internals in the crawler, in one place.

Checked against Scrapy 2.19.0: ``scrapy/core/downloader/__init__.py`` (``Downloader``,
``Slot``), ``scrapy/core/engine.py`` (``ExecutionEngine._slot``, ``_Slot``) and
``scrapy/robotstxt.py`` (``ProtegoRobotParser.rp``).

Scrapy has no public route for what these do (each function says why), so each
relies on something an upgrade may change without notice. ``tests/test_scrapy_internals.py``
runs every function against real Scrapy objects, built from a real ``Crawler``: on
a Scrapy upgrade it is the test to read first, and the sources above the ones to
re-read before changing the version named here.

Everything else in ``crawler/`` keeps to Scrapy's public API: settings, signals,
``crawler.stats``, request meta keys (``download_slot``), ``get_retry_request``, the
middleware and extension hooks, and the engine's documented ``crawl()`` and
``close_spider_async()``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.core.downloader import Downloader, Slot
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.robotstxt import RobotParser
    from twisted.internet.defer import Deferred

__all__ = [
    "pause_slot",
    "pop_queued_downloads",
    "requests_in_progress",
    "robots_sitemaps",
    "set_slot_pace",
    "spider_closing",
    "wake_engine",
]

# -- download slots (crawler.middlewares.politeness) ----------------------------------
# DOWNLOAD_SLOTS is the documented way to give a slot its delay, concurrency and
# jitter, but Scrapy reads it once, when the downloader is built, and settings are
# frozen by then. Politeness learns a host's pace during the crawl (the source a
# host belongs to, its robots.txt Crawl-delay, a 429's back-off), so it sets the
# downloader's own copy of DOWNLOAD_SLOTS for slots not created yet and the slot
# itself once it exists: what Scrapy's AutoThrottle does to ``slot.delay``.


def _downloader(crawler: Crawler) -> Downloader | None:
    return crawler.engine.downloader if crawler.engine is not None else None


# The shortest delay a slot is given. At 0, Scrapy 2.19's downloader (asyncio reactor)
# sends every request queued in a slot at once, whatever its concurrency: the loop
# that takes them checks the slot's free transfer slots before the tasks it started
# have registered as transferring. Any delay makes it take one and look again.
MIN_SLOT_DELAY = 0.001


def set_slot_pace(crawler: Crawler, key: str, *, delay: float, concurrency: int,
                  jitter: float | None = None, keep_higher_delay: bool = False) -> None:
    """Give download slot ``key`` this delay (at least ``MIN_SLOT_DELAY``) and
    concurrency (and jitter, when given).

    A slot the downloader has not created yet gets them when it is created, as from a
    DOWNLOAD_SLOTS entry (``Downloader.per_slot_settings``, read by ``_get_slot``).
    ``keep_higher_delay`` keeps a longer delay already on the slot (AutoThrottle's).
    """
    downloader = _downloader(crawler)
    if downloader is None:
        return
    delay = max(delay, MIN_SLOT_DELAY)
    slot = downloader.slots.get(key)
    if slot is None:
        downloader.per_slot_settings[key] = {
            "delay": delay, "concurrency": concurrency,
            **({"jitter": jitter} if jitter is not None else {})}
        return
    slot.concurrency = concurrency
    slot.delay = max(slot.delay, delay) if keep_higher_delay else delay
    if jitter is not None:
        slot.jitter = jitter


def pause_slot(crawler: Crawler, key: str, until: float) -> None:
    """Send nothing from download slot ``key`` before ``until`` (``time.monotonic()``).

    The downloader starts a slot's next request at ``lastseen + delay``: a
    ``lastseen`` in the future is a pause (so long as the delay is not 0, which skips
    the check). Waiting requests stay in the slot's queue and hold none of the
    downloader's capacity, which a pause in a middleware (an ``await``) would.
    A slot not created yet is left alone: its first request starts at once.
    """
    downloader = _downloader(crawler)
    slot: Slot | None = downloader.slots.get(key) if downloader is not None else None
    if slot is None:
        return
    slot.delay = max(slot.delay, MIN_SLOT_DELAY)
    slot.lastseen = max(slot.lastseen, until)


# -- the downloader's queues (crawler.extensions.shutdown) ----------------------------
# On a stop signal, Scrapy waits for every request the downloader has accepted; no
# public API drops the ones still waiting for their slot's delay.


def pop_queued_downloads(crawler: Crawler, key: str | None = None,
                         ) -> Iterator[tuple[Request, Deferred[Response]]]:
    """Take, one at a time, each request waiting in a download slot's queue (not yet
    sent) with the Deferred the downloader fires with its response; only slot ``key``'s
    when given (crawler.middlewares.politeness leaving a host).

    The caller must fire each Deferred (an errback of IgnoreRequest drops the
    request): until then the engine counts the request as in progress. One at a
    time, so a request queued while the caller handles another is taken too.
    """
    downloader = _downloader(crawler)
    if downloader is None:
        return
    if key is None:
        slots = list(downloader.slots.values())
    else:
        slots = [downloader.slots[key]] if key in downloader.slots else []
    for slot in slots:
        while slot.queue:
            yield slot.queue.popleft()


# -- the engine's requests in progress (crawler.distributed.worker) -------------------
# A distributed worker lets go of a request in the shared frontier only once Scrapy
# is completely done with it: downloaded, its callback's output handled. No signal
# marks that end (item_scraped and request_left_downloader each see only a part of
# it); the engine's slot keeps exactly that set, and wakes up through ``nextcall``.


def requests_in_progress(crawler: Crawler) -> set[Request]:
    """The requests the engine has taken from the scheduler (or is downloading for a
    component) and not yet finished with; empty while no spider is open."""
    engine = crawler.engine
    slot = engine._slot if engine is not None else None  # private: see above
    return set(slot.inprogress) if slot is not None else set()


def wake_engine(crawler: Crawler) -> bool:
    """Have the engine ask the scheduler for requests now, not at its next heartbeat
    (every 5 s): for a scheduler that gets work from elsewhere (Redis). False when no
    spider is open."""
    engine = crawler.engine
    slot = engine._slot if engine is not None else None  # private: see above
    if slot is None:
        return False
    slot.nextcall.schedule()
    return True


def spider_closing(crawler: Crawler) -> bool:
    """The engine has begun closing the spider (a stop signal, a CloseSpider condition,
    the end of a distributed crawl) and now waits for every request in progress.
    Scrapy sends no signal until the close is over (``spider_closed``), so a component
    holding requests back (crawler.middlewares.robots) looks here to let them go."""
    engine = crawler.engine
    slot = engine._slot if engine is not None else None  # private: see above
    return slot is not None and slot.closing is not None


# -- robots.txt Sitemap: lines (the spider's robots_parsed handler) -------------------
# The robots_parsed signal carries Scrapy's RobotParser, whose interface has no
# sitemaps; its parsers keep the library's own parser as ``rp``.


def robots_sitemaps(robotparser: RobotParser) -> list[str]:
    """The ``Sitemap:`` URLs of a parsed robots.txt, as Protego (Scrapy's default
    parser) read them; none from a parser that does not keep them as ``sitemaps``."""
    parsed = getattr(robotparser, "rp", None)
    return list(getattr(parsed, "sitemaps", ()) or ())
