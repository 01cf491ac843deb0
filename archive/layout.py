"""Where things live under the local archive directory (``--out DIR``).

Object-store keys mirror these relative paths under the store's prefix.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from archive.errors import OutputDirError

_JOB_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


@dataclass(frozen=True)
class ArchiveLayout:
    root: Path

    def warc_dir(self, job: str) -> Path:
        return self.root / "warc" / job

    def articles_dir(self, job: str) -> Path:
        return self.root / "articles" / job

    @property
    def manifests_dir(self) -> Path:
        return self.root / "manifests"

    @property
    def state_dir(self) -> Path:
        return self.root / "state"


def check_job_name(job: str) -> str:
    """Job names become directory and file names, so keep them to a safe alphabet."""
    if not _JOB_NAME.match(job):
        raise OutputDirError(
            f"invalid job name {job!r}: use 1-64 letters, digits, '.', '_' or '-', "
            "starting with a letter or digit"
        )
    return job


def check_writable(root: Path) -> None:
    """Fail early, creating nothing, if ``root`` could not be created and written."""
    root = Path(root).absolute()
    probe = root
    while not probe.exists():
        if probe.parent == probe:
            break
        probe = probe.parent
    if not probe.is_dir():
        raise OutputDirError(f"output directory {root}: {probe} exists and is not a directory")
    # os.access says yes to root for any mode bits, so also try a throw-away file:
    # it catches read-only mounts and pseudo file systems, and leaves nothing behind.
    try:
        if not os.access(probe, os.W_OK | os.X_OK):
            raise PermissionError("permission denied")
        with tempfile.TemporaryFile(dir=probe):
            pass
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise OutputDirError(
            f"output directory {root} is not writable ({probe}: {reason}); "
            "choose another --out or fix the permissions"
        ) from None
