"""The Redis sizing benchmark measures every structure and projects from the figures.

Run as a subprocess, as it is run by hand, against the tests' Redis (``--redis``)
and with a redis-server of its own, which must be gone when it exits. The full
run and its figures are in docs/distributed.md.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys

import pytest
import redis

from tests.conftest import ROOT

SCRIPT = ROOT / "bench" / "redis_sizing.py"
STRUCTURES = ("crawl:ID:requests", "crawl:ID:dupefilter", "crawl:ID:seen:articles",
              "crawl:ID:worker:TAG:active", "state:pages", "state:articles", "state:born",
              "state:frontier")
STARTED = re.compile(r"^redis-server: started pid (\d+) on 127\.0\.0\.1:(\d+)/0 ", re.M)


def sizing(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=timeout, check=False)


def rows(output: str) -> dict[str, tuple[int, int, int, int]]:
    """structure -> entries, payload, bytes/entry (used_memory), MEMORY USAGE per entry."""
    found = {}
    for line in output.splitlines():
        cells = line.split()
        if cells and cells[0] in STRUCTURES and len(cells) >= 6 and cells[-4][0].isdigit():
            found[cells[0]] = tuple(int(cell.replace(",", "")) for cell in cells[-4:])
    return found


def gone(pid: int, port: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        pass
    else:
        return False
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


@pytest.fixture(scope="module")
def run(redis_server) -> tuple[str, subprocess.CompletedProcess[str]]:
    """One --quick run on the tests' Redis: its URL and the finished process."""
    url = redis_server.fresh_url()
    return url, sizing("--quick", "--redis", url)


@pytest.mark.redis
class TestOnAGivenServer:
    def test_measures_every_structure_in_a_sane_range(self, run):
        _, done = run
        assert done.returncode == 0, done.stderr
        measured = rows(done.stdout)
        assert sorted(measured) == sorted(STRUCTURES)
        for name, (entries, payload, used, usage) in measured.items():
            assert entries == 5000, name
            assert 20 <= used <= 2000 and 20 <= usage <= 2000, name
            assert used > payload, name  # Redis adds to what it stores, never less
            assert abs(used - usage) < 0.2 * used, name  # two ways of counting agree

    def test_projects_from_the_measured_figures(self, run):
        _, done = run
        pages = rows(done.stdout)["state:pages"][2]
        assert f"3,000,000 x {pages:>6} B = " in done.stdout
        [line] = [line for line in done.stdout.splitlines() if line.startswith("projection:")]
        assert re.fullmatch(r"projection: per-run peak [\d.,]+ MiB; state [\d.,]+ GiB bounded "
                            r"\+ [\d.,]+ GiB/day \([\d.,]+ GiB/year\); Redis memory after one "
                            r"year [\d.,]+ GiB", line), line

    def test_leaves_no_keys_behind_and_starts_no_server(self, run):
        url, done = run
        client = redis.Redis.from_url(url)
        try:
            assert client.dbsize() == 0
        finally:
            client.close()
        assert not STARTED.search(done.stdout)


@pytest.mark.redis
class TestOwnServer:
    def test_starts_and_stops_its_own_server(self):
        done = sizing("--quick")
        assert done.returncode == 0, done.stderr
        started = STARTED.search(done.stdout)
        assert started, done.stdout[:500]
        assert gone(int(started[1]), int(started[2]))
        assert sorted(rows(done.stdout)) == sorted(STRUCTURES)

    def test_sigterm_stops_its_server_too(self):
        process = subprocess.Popen([sys.executable, str(SCRIPT), "--urls", "200000"],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   cwd=ROOT)
        try:
            assert process.stdout is not None
            started = STARTED.search(process.stdout.readline())
            assert started
            process.send_signal(signal.SIGTERM)
            process.communicate(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
        assert process.returncode == 128 + signal.SIGTERM
        assert gone(int(started[1]), int(started[2]))


class TestFailures:
    def test_no_server_binary_is_one_line_and_exit_1(self, tmp_path):
        done = sizing("--quick", "--redis-server", str(tmp_path / "redis-server"))
        assert done.returncode == 1 and done.stdout == ""
        assert done.stderr.count("\n") == 1
        assert done.stderr.startswith("redis_sizing: cannot start redis-server: ")

    def test_unreachable_redis_is_one_line_and_exit_1(self):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]  # bound, never listening: refused
            done = sizing("--quick", "--redis", f"redis://127.0.0.1:{port}/0")
        assert done.returncode == 1 and done.stdout == ""
        assert done.stderr.count("\n") == 1
        assert done.stderr.startswith(f"redis_sizing: Redis at 127.0.0.1:{port}/0 failed: ")
