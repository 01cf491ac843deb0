"""The last robots.txt each host answered: ``DIR/state/robots/JOB/HOST_PORT.txt``.

RFC 9309 §2.4 lets a crawler use a cached robots.txt while the live one is
unreachable (a 5xx, a timeout, a refused connection). A crawl keeps the body of
every robots.txt a host answered, and the next run of the job may go by it
while that host is failing, instead of fetching none of its pages. A 4xx
answer ("no rules") is kept too, as an empty file: the last thing the host said
is what stands in, not an older set of rules.

One small file per host, replaced atomically, so a killed run leaves either the
old copy or the new one. Nothing here is needed for a run to work: a copy that
cannot be written or read is logged and the crawl goes on without it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

logger = logging.getLogger(__name__)

_DEFAULT_PORTS = {"http": 80, "https": 443}
_UNSAFE = re.compile(r"[^a-z0-9.-]+")


@dataclass(frozen=True)
class CachedRobots:
    body: bytes
    saved_at: datetime  # when a run last got this answer

    def age_days(self, now: datetime | None = None) -> float:
        return ((now or datetime.now(UTC)) - self.saved_at).total_seconds() / 86_400


def cache_name(url: str) -> str:
    """``HOST_PORT.txt`` for any URL of a host (its port made explicit)."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = None
    port = port or _DEFAULT_PORTS.get(parts.scheme, 0)
    host = _UNSAFE.sub("_", (parts.hostname or "").lower()).strip("_") or "_"
    return f"{host}_{port}.txt"


class RobotsCache:
    """One job's cached robots.txt files, in ``directory``."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    @classmethod
    def for_job(cls, state_dir: Path, job: str) -> RobotsCache:
        return cls(Path(state_dir) / "robots" / job)

    def load(self, url: str) -> CachedRobots | None:
        """The copy kept for the host of ``url``, or None."""
        path = self.directory / cache_name(url)
        try:
            body = path.read_bytes()
            saved_at = datetime.fromtimestamp(path.stat().st_mtime, UTC)
        except FileNotFoundError:
            return None
        except OSError as exc:
            logger.warning("Cached robots.txt %s could not be read: %s", path, exc)
            return None
        return CachedRobots(body, saved_at)

    def save(self, url: str, body: bytes) -> None:
        """Keep ``body`` as the host's robots.txt (b"" for "no rules")."""
        path = self.directory / cache_name(url)
        temporary: str | None = None
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            fd, temporary = tempfile.mkstemp(dir=self.directory, prefix=".", suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                handle.write(body)
            os.replace(temporary, path)
        except OSError as exc:
            logger.warning("robots.txt of %s not kept for later runs (%s): %s",
                           urlsplit(url).netloc, path, exc)
            if temporary is not None:  # a full disk leaves no half-written file behind
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
