"""Shared fixtures: local news sites in subprocesses on port 0, and crawls of them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

# redis_server, redis_url: a real redis-server on 127.0.0.1 (tests/redisserver.py);
# clock, open_state, state: the job's state in each backend (tests/statefixtures.py).
pytest_plugins = ["tests.redisserver", "tests.statefixtures"]

# Shared fixtures that start a server, and the marker (pyproject.toml) of the tests that
# use them: `pytest -m "not redis"` must never start one.
SERVER_FIXTURES = {"redis_server": "redis", "redis_url": "redis"}

ROOT = Path(__file__).resolve().parent.parent
NEWSARCHIVE = [sys.executable, "-m", "crawler.cli"]
# Our own sites on 127.0.0.1: no politeness delay needed, and no progress noise; a
# host that is down is given up on within seconds (its robots.txt is asked again
# 0.2, 0.4 and 0.8 s on).
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8", "-s", "RETRY_AFTER_MAX=5",
        "-s", "POLITENESS_BACKOFF_DELAY=0.05", "-s", "ROBOTSTXT_RETRY_DELAY=0.2"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    unmarked = sorted(
        f"  {item.nodeid} uses {fixture}: mark it @pytest.mark.{marker}"
        for item in items for fixture, marker in SERVER_FIXTURES.items()
        if fixture in getattr(item, "fixturenames", ()) and not item.get_closest_marker(marker))
    if unmarked:
        raise pytest.UsageError("tests that start a server without its marker:\n"
                                + "\n".join(unmarked))


@dataclass
class ServedSite:
    name: str
    base_url: str
    process: subprocess.Popen

    def url(self, path: str) -> str:
        return self.base_url.rstrip("/") + path

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        if self.process.stdout is not None:
            self.process.stdout.close()

    def hits(self) -> dict[str, int]:
        with urllib.request.urlopen(self.url("/__hits__"), timeout=10) as response:
            return json.load(response)


def serve_site(name: str) -> ServedSite:
    process = subprocess.Popen(
        [sys.executable, "-m", "crawler.demo.site", "--site", name, "--port", "0"],
        stdout=subprocess.PIPE, text=True, cwd=ROOT,
    )
    assert process.stdout is not None
    line = process.stdout.readline().strip()
    if not line.startswith("http://127.0.0.1:"):
        process.kill()
        raise RuntimeError(f"site {name} did not start: {line!r}")
    return ServedSite(name, line, process)


def read_terminal(controller: int, timeout: float = 120) -> bytes:
    """What programs wrote to the terminal whose controller end (``pty.openpty()``) is
    ``controller``, until they all closed it (or ``timeout`` seconds passed)."""
    output = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        output += chunk
    return output


def run_cli(*args: str, cwd: Path | None = None, timeout: float = 300
            ) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([*NEWSARCHIVE, *args], capture_output=True, text=True,
                          cwd=cwd or ROOT, env=env, timeout=timeout, check=False)


@pytest.fixture(scope="module")
def pywb_bin() -> Path:
    """The bin folder of pywb's ``wayback`` (archive.replay.pywb.find_pywb)."""
    # Imported here: cdxj-indexer alone takes a tenth of a second, for every test run.
    from archive.errors import ReplayError
    from archive.replay.pywb import find_pywb

    try:
        return find_pywb()
    except ReplayError as exc:  # `make test` installs it: a missing pywb is a failure
        pytest.fail(str(exc))


@pytest.fixture(scope="session")
def test_site():
    site = serve_site("test")
    yield site
    site.stop()


@dataclass
class Crawl:
    out: Path
    job: str
    result: subprocess.CompletedProcess[str]

    def articles(self) -> list[dict]:
        rows = []
        for part in sorted((self.out / "articles" / self.job).glob("*.jsonl")):
            rows.extend(json.loads(line) for line in part.read_text("utf-8").splitlines() if line)
        return rows

    def warcs(self) -> list[Path]:
        return sorted((self.out / "warc" / self.job).glob("*.warc.gz"))

    def manifest(self) -> dict:
        [path] = (self.out / "manifests").glob(f"{self.job}-*Z.json")
        return json.loads(path.read_text("utf-8"))


@pytest.fixture(scope="session")
def test_crawl(test_site, tmp_path_factory):
    """One crawl of the test site, shared by every test that inspects its output."""
    out = tmp_path_factory.mktemp("crawl") / "archive"
    result = run_cli("crawl", "--seed", test_site.base_url, "--out", str(out), "--job", "testsite",
                     *FAST)
    assert result.returncode == 0, result.stderr[-3000:]
    return Crawl(out, "testsite", result)
