"""The extraction pool survives crashing and hanging pages, and keeps working after."""

from __future__ import annotations

import asyncio
import os
import time

import pytest

from crawler.extract.pool import ExtractionCrashed, ExtractionPool, ExtractionTimeout

PAGE = "<html><body><p>ok</p></body></html>"


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
