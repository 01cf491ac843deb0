"""The crawl process's garbage collector: fewer collections, none of the start-up heap.

Python's cyclic collector runs a young collection every 700 new container objects and
now and then a full one over every object the process holds. A crawl process allocates
fast (requests, responses, each page's analysis back from a worker, each article
record) and holds a large, unchanging heap from its start (Scrapy, Twisted, the
CLI, settings, components: a full collection took 40-45 ms). On the light benchmark
site (2,000 articles) the collector cost the crawl's reactor thread 0.3-0.5 s, about
0.2 ms a page, and more with extraction on than off (bigger results, more records).

Two changes, for the crawl process alone (the extraction workers have their own
collector settings and freeze their own start-up heap, crawler.extract.poolpreload):

- once the engine has started, everything loaded so far is moved out of the
  collector's sight (``gc.freeze()``): those objects live as long as the process,
  and a full collection no longer walks them;
- a young collection every ``YOUNG_THRESHOLD`` allocations instead of 700: the
  objects of pages in flight are scanned a dozen times less often. Memory freed by
  reference counting (nearly all of it) is freed as before; only reference cycles
  wait a little longer.

Both are undone when the engine stops (the last one, if a process runs several
crawls at once), so a process that runs crawls one after another (the tests) has the
collector back as it found it after each. Nothing a crawl writes changes.
``GC_YOUNG_THRESHOLD`` (crawler/settings.py) sets the pace; 0 leaves the collector
alone::

    newsarchive crawl jobs/example.toml -s GC_YOUNG_THRESHOLD=0
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING, ClassVar

from scrapy import signals
from scrapy.exceptions import NotConfigured

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

#: Allocations between two young collections (Python's default: 700), the default of
#: ``GC_YOUNG_THRESHOLD``. The older generations keep their own thresholds, counted
#: in young collections.
YOUNG_THRESHOLD = 10_000


class CollectorPace:
    """Sets the pace while at least one crawl of this process runs; the collector as
    it was found comes back when the last one stops."""

    # The collector is the process's: shared by the crawls in it, if there are several.
    _running: ClassVar[list[CollectorPace]] = []
    _found: ClassVar[tuple[int, int, int] | None] = None

    def __init__(self, young_threshold: int = YOUNG_THRESHOLD) -> None:
        self.young_threshold = young_threshold

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CollectorPace:
        threshold = crawler.settings.getint("GC_YOUNG_THRESHOLD")
        if threshold <= 0:
            raise NotConfigured("GC_YOUNG_THRESHOLD is 0: Python's own collector settings")
        pace = cls(threshold)
        crawler.signals.connect(pace.engine_started, signal=signals.engine_started)
        crawler.signals.connect(pace.engine_stopped, signal=signals.engine_stopped)
        return pace

    def engine_started(self) -> None:
        running = CollectorPace._running
        if self in running:
            return
        if not running:
            CollectorPace._found = gc.get_threshold()
        young, *older = gc.get_threshold()
        gc.set_threshold(max(young, self.young_threshold), *older)
        gc.freeze()
        running.append(self)

    def engine_stopped(self) -> None:
        running = CollectorPace._running
        if self not in running:
            return
        running.remove(self)
        if not running and CollectorPace._found is not None:
            gc.set_threshold(*CollectorPace._found)
            CollectorPace._found = None
            gc.unfreeze()
