"""The extraction pool survives crashing and hanging pages, and keeps working after."""

from __future__ import annotations

import asyncio
import contextlib
import json
import multiprocessing
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crawler.extract.pool import ExtractionCrashed, ExtractionPool, ExtractionTimeout

PAGE = "<html><body><p>ok</p></body></html>"
REPO = Path(__file__).resolve().parents[1]
needs_fork_server = pytest.mark.skipif(
    not Path("/proc/self/smaps_rollup").exists()
    or "forkserver" not in multiprocessing.get_all_start_methods(),
    reason="Linux: a fork server, and /proc to see its workers")


def misbehaving_extractor(html: str, url: str) -> dict | None:
    """Crashes or hangs on request; otherwise answers with the worker's pid."""
    if url.endswith("/crash"):
        os._exit(1)
    if url.endswith("/hang"):
        time.sleep(600)
    return {"text": html, "pid": os.getpid()}


@pytest.fixture
def pool():
    pool = ExtractionPool(processes=2, timeout=5, extractor=misbehaving_extractor)
    yield pool
    pool.close()


class TestExtractionPool:
    def test_extracts_in_other_processes(self, pool):
        result = asyncio.run(pool.extract(PAGE, "http://n.example/a"))
        assert result["text"] == PAGE
        assert result["pid"] != os.getpid()

    def test_started_ahead_the_fork_server_warms_up_before_any_worker(self, pool):
        """start() starts the fork server (it loads the extractor on its own) and
        returns; the workers are forked at the first pages, which then run."""
        pool.start()
        assert pool._executor is None
        results = asyncio.run(_gather(pool, [f"http://n.example/{n}" for n in range(4)]))
        assert {r["text"] for r in results} == {PAGE}

    def test_closed_right_after_its_start(self):
        pool = ExtractionPool(processes=1, timeout=5, extractor=misbehaving_extractor)
        pool.start()
        server = multiprocessing.forkserver._forkserver._forkserver_pid
        assert server is not None and _alive(server)
        pool.close()  # no worker was ever forked: the fork server it started stops too
        assert pool._executor is None and not _alive(server)

    def test_crash_is_reported_and_pool_recovers(self, pool):
        async def scenario():
            with pytest.raises(ExtractionCrashed):
                await pool.extract(PAGE, "http://n.example/crash")
            return await pool.extract(PAGE, "http://n.example/after")

        assert asyncio.run(scenario())["text"] == PAGE

    def test_hang_times_out_and_pool_recovers(self):
        pool = ExtractionPool(processes=1, timeout=1, extractor=misbehaving_extractor)

        async def scenario():
            started = time.monotonic()
            with pytest.raises(ExtractionTimeout):
                await pool.extract(PAGE, "http://n.example/hang")
            assert time.monotonic() - started < 30  # 1 s limit, plus worker start-up
            return await pool.extract(PAGE, "http://n.example/after")

        try:
            assert asyncio.run(scenario())["text"] == PAGE
        finally:
            pool.close()

    def test_many_pages_in_parallel(self, pool):
        async def scenario():
            return await asyncio.gather(
                *(pool.extract(f"<p>{i}</p>", f"http://n.example/{i}") for i in range(20)))

        results = asyncio.run(scenario())
        assert [r["text"] for r in results] == [f"<p>{i}</p>" for i in range(20)]


def slow_extractor(html: str, url: str) -> dict | None:
    """Takes 0.4 s a page; hangs or crashes on request."""
    if url.endswith("/crash"):
        os._exit(1)
    if url.endswith("/hang"):
        time.sleep(600)
    time.sleep(0.4)
    return {"text": html}


class TestOnePageFailsNotItsNeighbours:
    def test_queued_pages_do_not_count_the_wait_against_their_limit(self):
        # 16 pages of 0.4 s through one worker: 6.4 s in all, twice the 3 s limit (which
        # is looked at every half second), so had the wait counted, the later half would
        # fail. A page counts from when the worker's own queue takes it, two pages ahead:
        # 1.2 s, which leaves 1.8 s for a loaded machine.
        pool = ExtractionPool(processes=1, timeout=3, extractor=slow_extractor)
        try:
            results = asyncio.run(_gather(pool, [f"http://n.example/{i}" for i in range(16)]))
        finally:
            pool.close()
        assert [r["text"] for r in results] == [PAGE] * 16

    def test_a_hanging_page_fails_alone(self):
        # The pages tried again after the hang wait up to 0.8 s behind each other: the
        # 3 s limit leaves them room on a loaded machine.
        pool = ExtractionPool(processes=1, timeout=3, extractor=slow_extractor)
        urls = ["http://n.example/hang"] + [f"http://n.example/{i}" for i in range(4)]
        try:
            results = asyncio.run(_gather(pool, urls))
        finally:
            pool.close()
        assert isinstance(results[0], ExtractionTimeout)
        assert [r["text"] for r in results[1:]] == [PAGE] * 4

    def test_a_crashing_page_fails_alone(self):
        pool = ExtractionPool(processes=2, timeout=30, extractor=slow_extractor)
        urls = ["http://n.example/crash"] + [f"http://n.example/{i}" for i in range(5)]
        try:
            results = asyncio.run(_gather(pool, urls))
        finally:
            pool.close()
        assert isinstance(results[0], ExtractionCrashed)
        assert [r["text"] for r in results[1:]] == [PAGE] * 5


async def _gather(pool: ExtractionPool, urls: list[str]) -> list:
    return await asyncio.gather(*(pool.extract(PAGE, url) for url in urls),
                                return_exceptions=True)


def worker_memory(html: str, url: str) -> dict:
    """The worker's pid, parent and memory (bytes) as /proc/PID/smaps_rollup sees it;
    a tenth of a second a page, so that every worker of the pool gets some."""
    time.sleep(0.1)
    memory = {}
    for line in Path("/proc/self/smaps_rollup").read_text().splitlines()[1:]:
        name, value, *_ = line.split()
        memory[name.rstrip(":")] = int(value) * 1024
    return {"pid": os.getpid(), "parent": os.getppid(), **memory}


@needs_fork_server
class TestWorkersShareTheExtractor:
    def test_workers_are_forked_with_the_models_loaded_and_share_them(self):
        pool = ExtractionPool(processes=2, timeout=30, extractor=worker_memory)

        async def scenario():
            return await asyncio.gather(
                *(pool.extract(PAGE, f"http://n.example/{i}") for i in range(8)))

        try:
            workers = {w["pid"]: w for w in asyncio.run(scenario())}
        finally:
            pool.close()
        assert len(workers) == 2
        for worker in workers.values():
            # Forked by the fork server, not spawned by this process
            assert worker["parent"] != os.getpid()
            # trafilatura, lxml and the language model (~150 MB) are in the worker...
            assert worker["Rss"] > 100 * 2**20
            # ...and most of it shared with the fork server and the other worker, so
            # its proportional share is far below what it maps (each loading its own
            # copy, PSS was ~0.9 of RSS; shared by three, ~0.45).
            assert worker["Pss"] < 0.7 * worker["Rss"], worker


# Run as the crawl in the tests below: a pool of two workers, their pids (and their
# parents') on stdout, then one more page each time a line comes in on stdin.
_CRAWL = """
import asyncio, json, signal, sys
from crawler.extract.pool import ExtractionPool
from tests.test_extraction_pool import worker_memory

signal.signal(signal.SIGTERM, lambda *_: print("SIGTERM", flush=True))
pool = ExtractionPool(processes=2, timeout=30, extractor=worker_memory)

async def pages(count):
    return await asyncio.gather(*(pool.extract("<p>x</p>", f"http://n.example/{i}")
                                  for i in range(count)))

while True:
    answers = asyncio.run(pages(8))
    print(json.dumps(sorted({(a["pid"], a["parent"]) for a in answers})), flush=True)
    if not sys.stdin.readline():
        break
pool.close()
"""


def _start_crawl() -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", _CRAWL], cwd=REPO, text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            start_new_session=True)  # a process group of its own


def _line(crawl: subprocess.Popen, timeout: float = 60) -> str:
    """The crawl's next line; "" if none comes in time (a hung pool fails the test)."""
    ready, _, _ = select.select([crawl.stdout], [], [], timeout)
    return crawl.stdout.readline() if ready else ""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"  # a zombie is dead, waiting to be reaped


def _end(crawl: subprocess.Popen) -> None:
    """Kill the crawl and whatever of its process group a failed test left behind."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(crawl.pid, signal.SIGKILL)
    crawl.wait()
    for stream in (crawl.stdin, crawl.stdout):
        with contextlib.suppress(OSError):
            stream.close()


@needs_fork_server
class TestWorkersBelongToTheCrawl:
    def test_the_workers_and_their_fork_server_die_with_the_crawl_even_by_sigkill(self):
        crawl = _start_crawl()
        try:
            workers = json.loads(_line(crawl))
            processes = {pid for pair in workers for pid in pair}
            assert len(workers) == 2 and all(map(_alive, processes))
            crawl.kill()
            crawl.wait(10)
            deadline = time.monotonic() + 10
            while any(map(_alive, processes)) and time.monotonic() < deadline:
                time.sleep(0.05)
            assert not any(map(_alive, processes))
        finally:
            _end(crawl)

    def test_a_sigterm_to_the_whole_group_leaves_the_pool_working(self):
        # A systemd stop or a kill of the process group: the crawl stops cleanly, and
        # the pages it still has in the pool are analysed by the same workers.
        crawl = _start_crawl()
        try:
            before = json.loads(_line(crawl))
            os.killpg(crawl.pid, signal.SIGTERM)
            assert _line(crawl) == "SIGTERM\n"
            crawl.stdin.write("more\n")
            crawl.stdin.flush()
            assert json.loads(_line(crawl) or "null") == before
        finally:
            _end(crawl)
