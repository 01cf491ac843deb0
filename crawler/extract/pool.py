"""Run page analysis and extraction in worker processes so they never block the reactor.

The crawl hands each HTML page to :func:`crawler.extract.pageanalysis.analyse_page`
here (one parse for discovery and extraction); any module-level function of
the page's text and URL can be run the same way.

The pool is replaced when a worker dies (a crash in lxml or trafilatura) or a
page overruns its time limit (the hung worker is killed); the page is counted
as failed and the crawl goes on.

Workers are forked from a fork server (multiprocessing's ``forkserver``) that
loaded and warmed up the extractor once (crawler.extract.poolpreload), so the
workers share its ~200 MB of modules and models copy-on-write instead
of each loading its own; a replacement worker starts at once. Where there is no
fork server (Windows), each worker is spawned and loads everything itself.

Workers belong to their crawl: they and the fork server ignore SIGINT and SIGTERM
(a Ctrl-C or a systemd stop reaches the whole process group; the crawl stops
cleanly and then closes the pool, instead of every page in flight failing), and
on Linux the kernel kills them when the crawl dies, even by SIGKILL, so no orphan
lingers: the fork server dies with the crawl and each worker with the fork server.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import logging
import multiprocessing
import multiprocessing.forkserver
import os
import signal
import sys
import threading
from collections.abc import AsyncIterator, Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

Extractor = Callable[[str, str], Any]

logger = logging.getLogger(__name__)


class ExtractionTimeout(Exception):
    pass


class ExtractionCrashed(Exception):
    pass


_PR_SET_PDEATHSIG = 1  # linux/prctl.h
#: Imported by the fork server before it forks any worker.
PRELOAD_MODULE = "crawler.extract.poolpreload"
# The crawl's __main__ too: every worker imports it (multiprocessing's preparation
# for a spawned or forked child), and ``newsarchive``'s imports Scrapy and Twisted:
# ~25 MB a worker, once for all when the fork server has it.
_PRELOAD = ["__main__", PRELOAD_MODULE]


def _worker_context() -> multiprocessing.context.BaseContext:
    # Not fork: forking a process that runs a reactor and threads is unsafe. The fork
    # server is a process of its own, started before any page, with no thread.
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        # Process-wide; read when the fork server starts (the first pool's first worker).
        context.set_forkserver_preload(_PRELOAD)
        return context
    return multiprocessing.get_context("spawn")


def belong_to_parent() -> None:
    """Ignore what stops the crawl (it stops cleanly, then closes the pool) and, on
    Linux, have the kernel kill this process when its parent dies."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass


def _start_worker() -> None:
    """In each worker: belong to the crawl, then load the models before the first page
    (already loaded in a worker forked from the fork server)."""
    belong_to_parent()
    if os.getppid() != _expected_parent():  # it died before the line above took effect
        os._exit(0)
    warm_up()


def _expected_parent() -> int:
    """The fork server that forked this worker, or the crawl that spawned it."""
    server = sys.modules.get(PRELOAD_MODULE)
    if server is not None:
        return server.SERVER_PID
    parent = multiprocessing.parent_process()
    if multiprocessing.forkserver.get_inherited_fds() is not None or parent is None \
            or parent.pid is None:
        return os.getppid()  # a fork server that failed its preload: its pid is unknown
    return parent.pid


def warm_up() -> None:
    """Load, before the first real page, what a page's analysis loads on first use:
    trafilatura, the language model, and the fingerprint's MinHash (numpy's seeded
    maps). In the fork server this is what keeps
    them shared: loaded in a worker, they are that worker's alone. Imported here: the
    crawl process itself never needs them.

    The language model is read in a thread meanwhile: most of its 0.4 s is LZMA
    decompression, which lets go of the GIL, so where a core is free (the crawl
    process waits for its first page's links) it costs no wall time. The thread is
    over before this returns: a fork server must have no other thread when it forks."""
    from crawler.extract.language import detect_language, language_model

    loading = threading.Thread(target=language_model, name="language-model")
    loading.start()
    try:
        from archive.fingerprint import fingerprint
        from crawler.extract import pageanalysis  # noqa: F401  (the pool's usual function)
        from crawler.extract.article import extract_article

        extract_article("<html><body><p>warm up</p></body></html>", "http://localhost/")
        fingerprint("warm up " * 40)
    finally:
        loading.join()
    detect_language("warm up " * 40)


def _ready() -> None:
    """A no-op task: once a worker has run it, its start-up (the models) is over."""


class ExtractionPool:
    """Pages go to worker processes, four per worker at a time (the others wait
    here). A page's time limit starts when the pool hands it to a worker's queue
    (see :meth:`_result`), not when it joined the pool, and only once the workers
    have loaded their models.

    A page over its time limit has its pool killed: it fails, and the other pages
    then in the pool are handed to the new one. A worker that dies takes its pool
    with it; every page then in the pool is tried once more, alone in a new pool,
    and the one that breaks that one too is the crash.
    """

    def __init__(self, extractor: Extractor, processes: int = 0,
                 timeout: float = 60.0) -> None:
        self.processes = processes or os.cpu_count() or 1
        # Pages in the pool at once: enough that a worker finds its next page waiting
        # when it finishes one (the crawl may be busy); with one more than the
        # workers they sat idle 6% of the time.
        self.places = 4 * self.processes
        self.timeout = timeout
        # A module-level function: it is pickled by name into the workers.
        self.extractor = extractor
        self._context = _worker_context()
        self._executor: ProcessPoolExecutor | None = None
        self._generation = 0  # of the current pool
        self._warmed: Future[None] | None = None
        self._timed_out: set[int] = set()  # pools killed for a page over its time limit
        # Held while a pool is made (its workers forked, in a thread of the default
        # executor) and while one is taken away, so that the two never cross.
        self._making = threading.Lock()
        self._slots: tuple[asyncio.AbstractEventLoop, asyncio.Semaphore, asyncio.Lock] | None \
            = None

    def start(self) -> None:
        """Start loading the models now, not when the first page comes: the crawl's own
        start-up and its first requests overlap the warm-up, which otherwise holds up
        the first page's links (about a second).

        With a fork server only the server is started here: it loads and warms up the
        extractor on its own (1.2 s) and the workers are forked from it at the first
        page. Forking a worker here waited for that warm-up, on the crawl's thread, and
        held up the crawl's first request by as much."""
        if self._context.get_start_method() == "forkserver":
            start_fork_server()
        else:
            self._pool()

    def _pool(self) -> tuple[ProcessPoolExecutor, int, Future[None]]:
        with self._making:
            if self._executor is None or self._warmed is None:
                executor = ProcessPoolExecutor(
                    max_workers=self.processes, mp_context=self._context,
                    initializer=_start_worker,
                )
                # One no-op task a worker, all at once: the executor forks a worker for
                # a task only while none is idle, so tasks handed over one by one as
                # results come back could leave the pool a worker short all crawl.
                readies = [executor.submit(_ready) for _ in range(self.processes)]
                self._executor, self._warmed = executor, readies[0]
                self._generation += 1
            return self._executor, self._generation, self._warmed

    async def _current_pool(self) -> tuple[ProcessPoolExecutor, int, Future[None]]:
        """The pool, made when there is none. Made in a thread: forking a worker waits
        until the fork server has loaded the extractor (up to a second when the first
        page comes early), and the reactor goes on fetching and writing meanwhile."""
        executor, warmed = self._executor, self._warmed
        if executor is not None and warmed is not None:
            return executor, self._generation, warmed
        # The fork server is started here, on the caller's thread, if it is not running:
        # the kernel's parent-death signal (belong_to_parent) follows the *thread* that
        # started a process, and the thread below may end before the crawl does.
        start_fork_server()
        return await asyncio.to_thread(self._pool)

    def _semaphore(self) -> tuple[asyncio.Semaphore, asyncio.Lock]:
        loop = asyncio.get_running_loop()
        if self._slots is None or self._slots[0] is not loop:
            self._slots = (loop, asyncio.Semaphore(self.places), asyncio.Lock())
        return self._slots[1], self._slots[2]

    @contextlib.asynccontextmanager
    async def _place(self, *, alone: bool) -> AsyncIterator[None]:
        """A place in the pool; ``alone``: every place, so that nothing else is in it."""
        slots, isolating = self._semaphore()
        taken = 0
        try:
            if alone:
                async with isolating:  # one page at a time gathers every place
                    for _ in range(self.places):
                        await slots.acquire()
                        taken += 1
            else:
                await slots.acquire()
                taken = 1
            yield
        finally:
            for _ in range(taken):
                slots.release()

    async def extract(self, html: str, url: str) -> Any:
        """What the pool's extractor makes of the page (article fields, or None)."""
        return await self.run(self.extractor, html, url)

    async def run(self, function: Callable[..., Any], *args: Any) -> Any:
        """``function(*args)`` in a worker; ``function`` must be importable by name."""
        suspect = False  # was in a pool when a worker died: tried again alone
        while True:
            async with self._place(alone=suspect):
                executor, generation, warmed = await self._current_pool()
                try:
                    await asyncio.wrap_future(warmed)
                    future = executor.submit(function, *args)
                    return await self._result(future)
                except TimeoutError:
                    if generation in self._timed_out:
                        continue  # waited behind the page that timed out first
                    self._replace_pool(generation, timed_out=True)
                    raise ExtractionTimeout(
                        f"extraction took longer than {self.timeout:g}s") from None
                except BrokenProcessPool:
                    if generation in self._timed_out:
                        continue  # killed for another page's time limit: not this one's fault
                    self._replace_pool(generation, timed_out=False)
                    if suspect:
                        raise ExtractionCrashed("extraction worker died") from None
                    suspect = True

    async def _result(self, future: Future[Any]) -> Any:
        """The future's result; TimeoutError once it has been *running* (handed to a
        worker's queue) for longer than the time limit: waiting for a worker does not
        count. Whether it runs yet is looked at every half second at most."""
        loop = asyncio.get_running_loop()
        result = asyncio.wrap_future(future)
        step = min(self.timeout, 0.5)
        deadline: float | None = None
        while True:
            wait = step if deadline is None else deadline - loop.time()
            try:
                return await asyncio.wait_for(asyncio.shield(result), max(wait, 0))
            except TimeoutError:
                if deadline is not None and loop.time() >= deadline:
                    raise
                if deadline is None and future.running():
                    deadline = loop.time() + self.timeout

    def _replace_pool(self, generation: int, *, timed_out: bool) -> None:
        with self._making:
            if generation != self._generation or self._executor is None:
                return  # that pool is gone already
            executor, self._executor, self._warmed = self._executor, None, None
        if timed_out:
            self._timed_out.add(generation)
        # A hung worker never returns on its own; shutdown() would wait for it. Killed,
        # it breaks the pool: the pages still in it fail with BrokenProcessPool.
        for process in list(getattr(executor, "_processes", {}).values()):
            process.kill()
        executor.shutdown(wait=False, cancel_futures=False)

    def close(self, *, wait: bool = True) -> None:
        """Stop the workers, then the fork server. ``wait=False`` returns at once: the
        workers and the server exit while the caller goes on (a thread of this process
        waits for them; the interpreter waits for it before it exits)."""
        with self._making:  # a pool being made is waited for, then closed
            executor, self._executor, self._warmed = self._executor, None, None
        # A fork server is started ahead by start(), before any worker: stopped too
        # when the crawl ends without a page.
        forked = self._context.get_start_method() == "forkserver"
        if executor is None and not forked:
            return
        if wait:
            _shut_down(executor, forked=forked)
        else:
            threading.Thread(target=_shut_down, args=(executor,),
                             kwargs={"forked": forked}, name="extraction-pool-close").start()


def _shut_down(executor: ProcessPoolExecutor | None, *, forked: bool) -> None:
    if executor is not None:
        executor.shutdown(wait=True, cancel_futures=True)
    if forked:
        stop_fork_server()


def start_fork_server() -> None:
    """Start the workers' fork server, which loads and warms up the extractor (0.6 s of
    CPU) before it forks any worker; returns at once. The crawl command calls it
    before it imports Scrapy, so that the server is ready by the first page; a pool
    started later finds it running. Without a fork server (Windows) it does nothing."""
    if _worker_context().get_start_method() == "forkserver":
        multiprocessing.forkserver.ensure_running()


def stop_fork_server() -> None:
    """End the fork server once its workers are gone (nothing when none runs). Left
    running, it would hold its ~200 MB to itself while the crawl writes its indexes;
    and this process reaps it, so the workers' CPU time (the server reaped them) counts
    in this process's children's, as a spawned worker's did. There is no public call
    for it: ``_stop`` is the one CPython's own tests use (it returns once the server
    has exited; a new pool starts a new server)."""
    stop = getattr(getattr(multiprocessing.forkserver, "_forkserver", None), "_stop", None)
    if stop is not None:
        stop()


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

    def start(self) -> None:
        stop_fork_server()  # started ahead by the crawl command, for workers not used here

    def close(self, *, wait: bool = True) -> None:
        pass
