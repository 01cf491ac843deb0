"""Body text per split: the public benchmark's own metric on pages with a known body.

The scorer is ``../shared/tools/aeb_score.py`` (4-token shingles, precision and recall
averaged over pages). The ground truth is ``../shared/aeb/ground-truth.json`` for the
AEB pages and the page's own checked body (``Page.body``) for the unseen pages. Note:
newsarchive's body cleanup was tuned on all 181 AEB pages before the AEB split existed,
so neither AEB split is unseen for the body; the ``unseen`` split is.
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Callable
from functools import cache
from types import ModuleType
from typing import Any

from bench._metadata import AEB_HTML, Page

SCORER = AEB_HTML.parents[1] / "tools" / "aeb_score.py"
GROUND_TRUTH = AEB_HTML.parent / "ground-truth.json"


@cache
def _scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("aeb_score", SCORER)
    if spec is None or spec.loader is None or not SCORER.is_file():
        raise FileNotFoundError(f"no scorer at {SCORER}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@cache
def _aeb_truth() -> dict[str, Any]:
    return json.loads(GROUND_TRUTH.read_text(encoding="utf-8"))


def has_body_truth(page: Page) -> bool:
    return page.body is not None or page.source == "aeb"


def body_scores(pages: list[Page], texts: Callable[[Page], str]) -> dict[str, Any]:
    """``{"f1", "precision", "recall", "pages"}`` of ``texts`` on the pages given that
    have a body ground truth."""
    chosen = [page for page in pages if has_body_truth(page)]
    if not chosen:
        return {"f1": 0.0, "precision": 0.0, "recall": 0.0, "pages": 0}
    truth = {page.name: {"articleBody": page.body} if page.body is not None
             else _aeb_truth()[page.name] for page in chosen}
    predictions = {page.name: {"articleBody": texts(page)} for page in chosen}
    result = _scorer().score(truth, predictions)
    return {key: round(result[key], 4) for key in ("f1", "precision", "recall")} | {
        "pages": len(chosen)}
