"""One thread working through a queue, beside a crawl.

Slow work on finished files (indexing them, uploading them) must not hold up
the crawl, and must happen in the order the files were finished: each of
:class:`~archive.indexes.BackgroundIndexer` and
:class:`~archive.store.upload.BackgroundUploader` hands its items to one
:class:`BackgroundWorker`.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

logger = logging.getLogger(__name__)

T = TypeVar("T")


class BackgroundWorker(Generic[T]):
    """Calls ``handle`` with each submitted item, one at a time on its own thread, in
    the order they were submitted. The thread starts at once and ends at :meth:`drain`.

    ``handle`` deals with its own failures; one it lets through is logged, and the
    items after it are still handled.
    """

    _STOP = object()

    def __init__(self, handle: Callable[[T], None], *, name: str) -> None:
        self._handle = handle
        self._queue: queue.Queue[Any] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def submit(self, item: T) -> None:
        self._queue.put(item)

    def drain(self) -> None:
        """Wait until every submitted item is handled, then let the thread end."""
        if self._thread.is_alive():
            self._queue.put(self._STOP)
            self._thread.join()

    def _run(self) -> None:
        while (item := self._queue.get()) is not self._STOP:
            try:
                self._handle(item)
            except Exception:  # a bug must not stop the items after it
                logger.exception("%s failed on %s", self._thread.name, item)
