"""Fixtures for the tests of the job's incremental state (``tests/test_crawlstate*.py``).

``open_state`` opens one job's state in each backend in turn: SQLite, and Redis on the
real server of ``tests/redisserver.py`` (marked ``redis``); ``state`` is a handle from
it, ``clock`` the fake time both read. ``location`` and ``article`` build the records
the tests store. tests/conftest.py loads the fixtures for every module (as it does
tests/redisserver.py); import ``HOUR``, ``location`` and ``article``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from archive.state.crawlstate import CrawlState
    from archive.state.redisstate import RedisCrawlState
    from archive.warc.exchange import RecordLocation

# tests/conftest.py loads this module for every run: it imports the code under test only
# when a test asks for a state, so that a broken import fails those tests, not pytest.

HOUR = 3600.0


class Clock:
    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    return Clock()


class StateOpener:
    """Opens one job's state in one backend; each call is a new handle on the same state,
    as a later run (SQLite) or another worker (Redis) would open it."""

    def __init__(self, tmp_path, clock, redis_url: str | None) -> None:
        self.tmp_path, self.clock, self.redis_url = tmp_path, clock, redis_url
        self.handles: list = []
        self.clients: list = []

    def __call__(self) -> CrawlState | RedisCrawlState:
        from archive.state.crawlstate import CrawlState
        from archive.state.redisconn import connect
        from archive.state.redisstate import RedisCrawlState

        if self.redis_url is None:
            handle = CrawlState.for_job(self.tmp_path / "state", "job", clock=self.clock)
        else:
            self.clients.append(connect(self.redis_url))
            handle = RedisCrawlState(self.clients[-1], "job", clock=self.clock)
        self.handles.append(handle)
        return handle

    def close(self, handle) -> None:
        self.handles.remove(handle)
        handle.close()

    def close_all(self) -> None:
        while self.handles:
            self.close(self.handles[-1])
        for client in self.clients:
            client.close()


@pytest.fixture(params=["sqlite", pytest.param("redis", marks=pytest.mark.redis)])
def open_state(request, tmp_path, clock):
    redis_url = request.getfixturevalue("redis_url") if request.param == "redis" else None
    opener = StateOpener(tmp_path, clock, redis_url)
    yield opener
    opener.close_all()


@pytest.fixture
def state(open_state):
    return open_state()


def location(offset: int = 100, file: str = "warc/job/a.warc.gz") -> RecordLocation:
    from archive.warc.exchange import RecordLocation

    return RecordLocation(file=file, offset=offset, length=50, record_id=f"<urn:uuid:{offset}>",
                          payload_digest="sha1:AAAA", warc_date="2026-11-28T12:00:00.000000Z")


def article(version: int = 1, text: str = "Body", **more) -> dict:
    return {"url": "http://n.example/a?x", "canonical_url": "http://n.example/a",
            "source": "n", "version": version, "title": "T", "text": text, "authors": [],
            "published": None, "fetched_at": "2026-11-28T12:00:00+00:00",
            "payload_digest": "sha1:AAAA", "warc": location().as_dict(), **more}
