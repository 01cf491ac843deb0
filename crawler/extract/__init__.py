"""Extraction: the article of one HTML page (trafilatura plus metadata) and the process
pool that runs it off the reactor.

``extract_article(html, url)`` is the extractor's one entry point. It is loaded on first
use: the crawl process imports :mod:`crawler.extract.pool` without pulling trafilatura
and the language model (~20 MB) in; only the pool's workers need them.
"""

from __future__ import annotations

from typing import Any

__all__ = ["extract_article"]


def __getattr__(name: str) -> Any:
    if name == "extract_article":
        from crawler.extract.article import extract_article

        return extract_article
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
