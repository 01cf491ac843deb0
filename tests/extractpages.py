"""Pages for the extraction tests: ``page`` reads one of ``tests/pages/``, ``prose``
writes paragraphs of a story around a sentence."""

from __future__ import annotations

from pathlib import Path

PAGES = Path(__file__).parent / "pages"


def page(name: str) -> str:
    return (PAGES / name).read_text(encoding="utf-8")


def prose(sentence: str, count: int = 4) -> str:
    return "".join(f"<p>{sentence} (paragraph {n}).</p>" for n in range(1, count + 1))
