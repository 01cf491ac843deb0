"""The ``newsarchive`` commands: the composition root, thin over ``crawler`` and ``archive``.

``main`` (the console script) and ``build_parser`` live in :mod:`crawler.cli.main`;
each family of commands has its own module (``research``, ``workers``), and what
they share (exit codes, the archive and store options) is in ``common``.
"""

from __future__ import annotations

from crawler.cli.main import build_parser, main

__all__ = ["build_parser", "main"]
