"""Every downloaded source's labelled pages: newspaper4k's sdist, the npm tarballs and the
PyPI sdists, each in the split its labels give it."""

from __future__ import annotations

import argparse
import sys

from bench._metadata import Page
from bench._metadata.cache import SourceUnavailable
from bench._metadata.newspaper4k import newspaper4k_pages
from bench._metadata.npmfixtures import LABELS as NPM_LABELS
from bench._metadata.npmfixtures import npm_fixture_pages
from bench._metadata.sdistfixtures import LABELS as SDIST_LABELS
from bench._metadata.sdistfixtures import sdist_fixture_pages

__all__ = ["DOWNLOADED_SOURCES", "load_downloaded"]

#: The downloaded sources, in report order: the unseen split's, then those split by URL.
DOWNLOADED_SOURCES = ("newspaper4k", *NPM_LABELS, *SDIST_LABELS)


def load_downloaded(args: argparse.Namespace) -> list[Page]:
    """Every downloaded source's pages that can be had (the unseen split's and those split
    by URL), from the places ``args`` names (``newspaper4k_sdist``, ``npm_fixtures``,
    ``sdist_fixtures``; None: the cache); one line on stderr per source that cannot, so
    that one missing download does not cost the others."""
    loaders = {"newspaper4k": lambda: newspaper4k_pages(args.newspaper4k_sdist)}
    for source in NPM_LABELS:
        loaders[source] = lambda source=source: npm_fixture_pages(source, args.npm_fixtures)
    for source in SDIST_LABELS:
        loaders[source] = lambda source=source: sdist_fixture_pages(source, args.sdist_fixtures)
    pages = []
    for source, load in loaders.items():
        try:
            pages += load()
        except (SourceUnavailable, OSError) as exc:
            print(f"extract_metadata: no pages from {source} ({exc}); scoring "
                  "the rest", file=sys.stderr)
    return pages
