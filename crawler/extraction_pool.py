"""Run page analysis and extraction in worker processes so they never block the reactor.

The crawl hands each HTML page to :func:`crawler.pageanalysis.analyse_page`
here (one parse for discovery and extraction); any module-level function of
the page's text and URL can be run the same way.

The pool is replaced when a worker dies (a crash in lxml or trafilatura) or a
page overruns its time limit (the hung worker is killed); the page is counted
as failed and the crawl goes on.

Workers belong to their crawl: they ignore SIGINT and SIGTERM (a Ctrl-C or a
systemd stop reaches the whole process group; the crawl stops cleanly and then
closes the pool, instead of every page in flight failing), and on Linux the
kernel kills them when the crawl dies, even by SIGKILL, so no orphan lingers.
"""

from __future__ import annotations

import asyncio
import ctypes
import logging
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

Extractor = Callable[[str, str], Any]

logger = logging.getLogger(__name__)


class ExtractionTimeout(Exception):
    pass


class ExtractionCrashed(Exception):
    pass


_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _start_worker(crawl_pid: int) -> None:
    """In each worker: belong to the crawl, then load the models before the first page."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass
    if os.getppid() != crawl_pid:  # the crawl died before the line above took effect
        os._exit(0)
    _warm_up()


def _warm_up() -> None:
    """Load trafilatura's and the language model in the worker before the first real page
    (imported here: the crawl process itself never needs them)."""
    from crawler.extract import extract_article
    from crawler.language import detect_language

    extract_article("<html><body><p>warm up</p></body></html>", "http://localhost/")
    detect_language("warm up " * 40)


class ExtractionPool:
    def __init__(self, extractor: Extractor, processes: int = 0,
                 timeout: float = 60.0) -> None:
        self.processes = processes or os.cpu_count() or 1
        self.timeout = timeout
        # A module-level function: it is pickled by name into the workers.
        self.extractor = extractor
        # spawn, not fork: forking a process that runs a reactor and threads is unsafe.
        self._context = multiprocessing.get_context("spawn")
        self._executor: ProcessPoolExecutor | None = None

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            self._executor = ProcessPoolExecutor(
                max_workers=self.processes, mp_context=self._context,
                initializer=_start_worker, initargs=(os.getpid(),),
            )
        return self._executor

    async def extract(self, html: str, url: str) -> Any:
        """What the pool's extractor makes of the page (article fields, or None)."""
        return await self.run(self.extractor, html, url)

    async def run(self, function: Callable[..., Any], *args: Any) -> Any:
        """``function(*args)`` in a worker; ``function`` must be importable by name."""
        future = self._pool().submit(function, *args)
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), self.timeout)
        except TimeoutError:
            self._replace_pool(kill=True)
            raise ExtractionTimeout(f"extraction took longer than {self.timeout:.0f}s") from None
        except BrokenProcessPool:
            self._replace_pool(kill=True)
            raise ExtractionCrashed("extraction worker died") from None

    def _replace_pool(self, *, kill: bool) -> None:
        executor, self._executor = self._executor, None
        if executor is None:
            return
        if kill:
            # A hung worker never returns on its own; shutdown() would wait for it.
            for process in list(getattr(executor, "_processes", {}).values()):
                process.kill()
        executor.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None


class InlineExtraction:
    """The pool's interface, run in the crawl's own process (``EXTRACT_INLINE``).

    For debugging (a breakpoint in extraction) and for machines where a worker
    only adds overhead (one core). The crawl stands still while a page is
    analysed, and there is no time limit.
    """

    def __init__(self, extractor: Extractor) -> None:
        self.extractor = extractor

    async def extract(self, html: str, url: str) -> Any:
        return self.extractor(html, url)

    async def run(self, function: Callable[..., Any], *args: Any) -> Any:
        return function(*args)

    def close(self) -> None:
        pass
