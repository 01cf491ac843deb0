"""Which URLs belong to a source, and which are not worth a request at all.

``SourceScope.refusal(url)`` answers with the reason a URL is not followed —
``"scope"`` (another site, an include/exclude pattern, a file type that is
never an article) or ``"trap"`` (a URL shape only crawler traps produce) — or
``None`` when it may be crawled. The reasons become per-source stats.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from crawler.discovery.urls import host_and_port, is_http_url
from crawler.jobfiles.spec import Source

SCOPE, TRAP = "scope", "trap"
# A path segment seen this often in one URL means relative links are feeding on
# themselves (/news/news/news/...), a classic trap.
MAX_SEGMENT_REPEATS = 3


class DomainMatcher:
    """``news.example`` matches it and its subdomains on any port; ``127.0.0.1:8080``
    matches that host on that port only."""

    def __init__(self, domains: tuple[str, ...]) -> None:
        self.rules: list[tuple[str, int | None]] = []
        for domain in domains:
            domain = domain.lower().removeprefix("www.")
            host, _, port = domain.rpartition(":")
            if host and port.isdigit() and (host.endswith("]") or ":" not in host):
                self.rules.append((host.strip("[]"), int(port)))
            else:
                self.rules.append((domain.strip("[]"), None))

    def matches(self, url: str) -> bool:
        host, port = host_and_port(url)
        for rule_host, rule_port in self.rules:
            if rule_port is not None:
                if host == rule_host and port == rule_port:
                    return True
            elif host == rule_host or host.endswith("." + rule_host):
                return True
        return False


class SourceScope:
    def __init__(self, source: Source, *, skip_extensions: frozenset[str],
                 max_url_length: int) -> None:
        self.source = source
        self.domains = DomainMatcher(source.domains)
        self.include = [re.compile(p) for p in source.include]
        self.exclude = [re.compile(p) for p in source.exclude]
        self.skip_extensions = skip_extensions
        self.max_url_length = max_url_length

    def owns(self, url: str) -> bool:
        """The URL is on one of the source's hosts (patterns aside)."""
        return is_http_url(url) and self.domains.matches(url)

    def refusal(self, url: str) -> str | None:
        """Why a discovered link is not followed (``SCOPE`` or ``TRAP``), or None."""
        if not self.owns(url):
            return SCOPE
        if len(url) > self.max_url_length or _repeats_segments(url):
            return TRAP
        suffix = PurePosixPath(urlsplit(url).path).suffix.lower().lstrip(".")
        if suffix in self.skip_extensions:
            return SCOPE
        if self.include and not any(p.search(url) for p in self.include):
            return SCOPE
        if any(p.search(url) for p in self.exclude):
            return SCOPE
        return None


def _repeats_segments(url: str) -> bool:
    segments = [s for s in urlsplit(url).path.split("/") if s and not s.isdigit()]
    return bool(segments) and Counter(segments).most_common(1)[0][1] >= MAX_SEGMENT_REPEATS
