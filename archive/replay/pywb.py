"""Replay the archive in pywb: one collection per job, served on 127.0.0.1 only.

pywb lives in a virtual environment of its own (``make pywb``): it pins a redis
client too old for scrapy-redis. So it is never imported here; ``ReplayServer``
runs its ``wayback`` command with a config written for the occasion, reading
the WARCs and their ``.cdxj`` in place (see :mod:`archive.replay._collections`).

    with ReplayServer(Path("archive-data")) as server:
        for job in server.collections:
            for link in article_links(server, job):
                print(link.title, link.replay_url)
        server.wait()  # until Ctrl-C
"""

from __future__ import annotations

import ctypes
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import weakref
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from archive.errors import ReplayError
from archive.replay._collections import prepare_collections, write_config
from archive.replay._links import (
    ArticleLink,
    article_links,
    article_timestamp,
    capture_timestamps,
    replay_address,
)
from archive.replay.exclusions import write_acl

_PR_SET_PDEATHSIG = 1  # from <sys/prctl.h>

__all__ = ["PYWB_ENV", "ArticleLink", "ReplayServer", "article_links", "article_timestamp",
           "capture_timestamps", "find_pywb", "replay_address"]

PYWB_ENV = "NEWSARCHIVE_PYWB"
_FIX = f"run `make pywb`, or set {PYWB_ENV} to a virtual environment that has pywb"
_LOG_NAME = "pywb.log"
_POLL_INTERVAL = 0.05
_TIMESTAMP = re.compile(r"^\d{0,14}$")
# Never handed to pywb: it only ever talks to itself on localhost, and a proxy (which
# its internal requests would honour) or a stray config/path must not change that.
_SCRUBBED_ENV = ("http_proxy", "https_proxy", "all_proxy", "no_proxy", "HTTP_PROXY",
                 "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "SOCKS_HOST", "SOCKS_PORT",
                 "PYWB_CONFIG_FILE", "PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP")
# pywb 2.10 imports `cgi` and friends: deprecation noise, nothing we can act on.
_QUIET_WARNINGS = "ignore::DeprecationWarning,ignore::PendingDeprecationWarning"
_HTTP = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def find_pywb(explicit: Path | None = None) -> Path:
    """The ``bin`` folder holding pywb's ``wayback``: ``explicit``, else ``$NEWSARCHIVE_PYWB``,
    else ``.venv-pywb`` beside this interpreter's venv. Each may name a venv or its bin."""
    if explicit is not None:
        where, how = Path(explicit), f"{explicit} has no pywb; {_FIX}"
    elif os.environ.get(PYWB_ENV):
        where = Path(os.environ[PYWB_ENV])
        how = (f"{PYWB_ENV}={where} has no pywb; set {PYWB_ENV} to a virtual environment "
               "that has pywb, or unset it and run `make pywb`")
    else:
        where = Path(sys.prefix).parent / ".venv-pywb"
        how = f"pywb is not installed ({where} not found): {_FIX}"
    for folder in (where / "bin", where):
        if (folder / "wayback").is_file() and os.access(folder / "wayback", os.X_OK):
            return folder.absolute()
    raise ReplayError(how)


@dataclass
class _Child:
    """The pywb process and its private work folder; shared with the finalizer."""

    work: Path
    process: subprocess.Popen[bytes] | None = None
    log: IO[bytes] | None = None

    def stop(self, grace: float) -> None:
        if self.process is not None:
            if self.process.poll() is None:
                self.process.terminate()
                try:
                    self.process.wait(grace)
                except subprocess.TimeoutExpired:
                    self.process.kill()
            self.process.wait()
            self.process = None
        if self.log is not None:
            self.log.close()
            self.log = None
        shutil.rmtree(self.work, ignore_errors=True)


class ReplayServer:
    """pywb's ``wayback`` serving the jobs of the archive at ``root`` on 127.0.0.1.

    ``framed`` keeps pywb's banner frame (capture date, calendar of the other
    captures); with False the replay URL answers with the capture itself.
    ``excluded``: job -> URLs pywb must answer as never captured (suppressed
    articles, see archive.replay.exclusions).
    """

    def __init__(self, root: Path, *, jobs: Sequence[str] | None = None,
                 port: int | None = None, pywb: Path | None = None, framed: bool = True,
                 startup_timeout: float = 30.0,
                 excluded: Mapping[str, Collection[str]] | None = None) -> None:
        self.root = Path(root).absolute()
        self.excluded = {job: set(urls) for job, urls in (excluded or {}).items() if urls}
        self.jobs = list(jobs) if jobs is not None else None
        self.framed = framed
        self.startup_timeout = startup_timeout
        self.collections: dict[str, Path] = {}  # job -> the folder pywb reads it from
        self._port, self._pywb = port, pywb
        self._child: _Child | None = None
        self._base_url = ""

    @property
    def base_url(self) -> str:
        if not self._base_url:
            raise ReplayError("the replay server has not been started")
        return self._base_url

    @property
    def pid(self) -> int | None:
        process = self._child.process if self._child else None
        return process.pid if process is not None and process.poll() is None else None

    @property
    def log_path(self) -> Path:
        if self._child is None:
            raise ReplayError("the replay server has not been started")
        return self._child.work / _LOG_NAME

    def replay_url(self, job: str, timestamp: str, url: str) -> str:
        """``url`` as captured at ``timestamp`` (14 digits; "" for the latest), rewritten."""
        self._coll(job, timestamp)
        return replay_address(self.base_url, job, timestamp, url)

    def raw_url(self, job: str, timestamp: str, url: str) -> str:
        """The captured response unrewritten (pywb still undoes its content encoding)."""
        return f"{self._coll(job, timestamp)}/{timestamp}id_/{url}"

    def start(self) -> ReplayServer:
        """Start pywb and return once it serves every collection."""
        if self._child is not None:
            raise ReplayError("the replay server is already running")
        wayback = find_pywb(self._pywb) / "wayback"
        child = _Child(Path(tempfile.mkdtemp(prefix="newsarchive-replay-")))
        # Last resort against orphans: stop pywb when this object is collected or the
        # interpreter exits without stop().
        weakref.finalize(self, child.stop, 1.0)
        self._child = child
        try:
            self.collections = prepare_collections(self.root, child.work, self.jobs)
            acls = {job: write_acl(child.work / "acl" / f"{job}.aclj", self.excluded[job])
                    for job in self.collections if job in self.excluded}
            config = write_config(child.work, self.collections, framed=self.framed, acls=acls)
            env = {k: v for k, v in os.environ.items() if k not in _SCRUBBED_ENV}
            env.update(PYWB_CONFIG_FILE=str(config), PYTHONWARNINGS=_QUIET_WARNINGS)
            child.log = open(child.work / _LOG_NAME, "ab")
            # A port we pick may be taken before pywb binds it; then pick again.
            for _attempt in range(1 if self._port else 3):
                port = self._port or _free_port()
                self._base_url = f"http://127.0.0.1:{port}"
                # cwd: pywb looks for ./templates, ./static and ./collections; ours are empty.
                child.process = subprocess.Popen(
                    [str(wayback), "-b", "127.0.0.1", "-p", str(port)], cwd=child.work,
                    env=env, stdin=subprocess.DEVNULL, stdout=child.log, stderr=subprocess.STDOUT,
                    preexec_fn=_die_with_parent)
                if self._wait_ready(child.process):
                    return self
                child.process.wait()
            tail = self._tail()
            if self._port and "Address already in use" in tail:
                raise ReplayError(f"port {self._port} on 127.0.0.1 is taken: choose another "
                                  "port, or none to have a free one picked")
            raise ReplayError(f"pywb exited during startup (exit code "
                              f"{child.process.returncode}); end of its log:\n{tail}")
        except BaseException:
            self.stop()
            raise

    def wait(self) -> None:
        """Block while pywb serves; raises ReplayError if it stops on its own."""
        process = self._child.process if self._child else None
        if process is None:
            raise ReplayError("the replay server has not been started")
        if process.wait() != 0:
            raise ReplayError(f"pywb stopped (exit code {process.returncode}); "
                              f"end of its log:\n{self._tail()}")

    def stop(self, grace: float = 5.0) -> None:
        """Terminate pywb (killing it after ``grace`` s) and remove the work folder."""
        if self._child is not None:
            self._child.stop(grace)
            self._child = None
        self._base_url = ""

    def __enter__(self) -> ReplayServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    def collection(self, job: str) -> Path:
        """The folder pywb reads ``job`` from (links to its WARCs and indexes)."""
        if job not in self.collections:
            raise ReplayError(f"job {job!r} is not being replayed "
                              f"(serving: {', '.join(self.collections) or 'nothing'})")
        return self.collections[job]

    def _coll(self, job: str, timestamp: str) -> str:
        self.collection(job)
        if not _TIMESTAMP.match(timestamp):
            raise ReplayError(f"bad capture timestamp {timestamp!r}: use up to 14 digits")
        return f"{self.base_url}/{job}"

    def _wait_ready(self, process: subprocess.Popen[bytes]) -> bool:
        """True once pywb lists every collection; False if it exits (port taken?)."""
        deadline = time.monotonic() + self.startup_timeout
        while process.poll() is None:
            listing = _get_json(f"{self._base_url}/collinfo.json")
            if listing is not None:
                # pywb skips a collection it cannot load, with a line in its log.
                missing = sorted(set(self.collections) - set(listing.get("fixed", [])))
                if missing:
                    raise ReplayError(f"pywb did not load {', '.join(missing)}; "
                                      f"end of its log:\n{self._tail()}")
                return True
            if time.monotonic() > deadline:
                raise ReplayError(f"pywb did not answer on {self._base_url} within "
                                  f"{self.startup_timeout:.0f} s; end of its log:\n{self._tail()}")
            time.sleep(_POLL_INTERVAL)
        return False

    def _tail(self, lines: int = 20) -> str:
        try:
            text = self.log_path.read_bytes()[-8192:].decode("utf-8", "replace")
        except (OSError, ReplayError) as exc:
            return f"(log unreadable: {exc})"
        return "\n".join(text.splitlines()[-lines:])


def _die_with_parent() -> None:
    """In the child, before exec: ask Linux to SIGTERM pywb when its parent dies, so a
    `newsarchive replay` killed with SIGKILL leaves no server behind."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass  # not Linux: stop() and the finalizer remain


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get_json(url: str) -> dict[str, Any] | None:
    """The JSON object at ``url``, or None while the server does not answer with one."""
    try:
        with _HTTP.open(url, timeout=2) as response:
            return json.load(response)
    except urllib.error.HTTPError as exc:
        exc.close()
        return None
    except (OSError, ValueError):
        return None
