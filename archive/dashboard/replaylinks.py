"""Where each article replays: the URL ``newsarchive replay --port PORT`` would serve
it at, and the command that starts that server.

The dashboard does not run pywb itself (it lives in a virtual environment of its
own and takes seconds to start); it links to the address the replay command
gives the very capture the article was extracted from (its ``.cdxj`` timestamp,
as :mod:`archive.replay.pywb` finds it).
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from archive.replay.pywb import article_timestamp, capture_timestamps, replay_address


class ReplayLinks:
    """Replay URLs on ``127.0.0.1:port`` for the archive at ``out``. Each job's
    capture index is read once per instance: make one per page."""

    def __init__(self, out: Path, port: int, *, store: str | None = None) -> None:
        self.out, self.port = Path(out), port
        self.base_url = f"http://127.0.0.1:{port}"
        store_option = f" --store {shlex.quote(store)}" if store else ""
        self.command = (f"newsarchive replay --out {shlex.quote(str(self.out))}{store_option} "
                        f"--port {port}")
        self._captures: dict[str, dict[tuple[str, int], str]] = {}

    def url(self, job: str, article: Mapping[str, Any]) -> str:
        """The replay URL of ``article`` (of ``job``), or "" without a URL."""
        url = article.get("url")
        if not url:
            return ""
        if job not in self._captures:
            folder = self.out / "warc" / job
            self._captures[job] = capture_timestamps(folder) if folder.is_dir() else {}
        return replay_address(self.base_url, job, article_timestamp(article, self._captures[job]),
                              str(url))
