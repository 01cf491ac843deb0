"""A redis-server of the benchmark's own: no persistence, a free port on 127.0.0.1,
a temporary folder; stopped however the benchmark leaves."""

from __future__ import annotations

import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class ServerError(Exception):
    pass


@contextmanager
def own_server(binary: str) -> Iterator[tuple[str, int]]:
    """A redis-server of our own on 127.0.0.1: its URL and pid, stopped however we leave."""
    if not Path(binary).is_file():
        raise ServerError(f"cannot start redis-server: {binary} not found (Debian: apt-get "
                          "install redis-server), or pass --redis URL")
    with tempfile.TemporaryDirectory(prefix="redis-sizing-") as workdir:
        port = _free_port()
        try:
            process = subprocess.Popen(
                [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "",
                 "--appendonly", "no", "--dir", workdir, "--protected-mode", "yes",
                 "--loglevel", "warning", "--logfile", str(Path(workdir) / "redis.log")],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        except OSError as exc:
            raise ServerError(f"cannot start redis-server {binary}: {exc}") from None
        try:
            _wait_ready(process, port, Path(workdir) / "redis.log")
            yield f"redis://127.0.0.1:{port}/0", process.pid
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_ready(process: subprocess.Popen, port: int, log: Path, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            said = log.read_text(errors="replace").strip().splitlines() if log.exists() else []
            raise ServerError(f"redis-server exited with {process.returncode} at start"
                              + (f": {said[-1]}" if said else ""))
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                if sock.recv(16).startswith(b"+PONG"):
                    return
        except OSError:
            time.sleep(0.05)
    raise ServerError(f"redis-server did not answer on 127.0.0.1:{port} within {timeout:g} s")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
