"""Body text per split: the public benchmark's own metric on the labelled AEB pages.

The body ground truth of ``../shared/aeb/ground-truth.json`` scored with
``../shared/tools/aeb_score.py`` (4-token shingles, precision and recall averaged over
pages), for the pages of one split. Note: newsarchive's body cleanup was tuned on all
181 of these pages before this split existed, so neither split is unseen for the body.
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


def body_scores(pages: list[Page], texts: Callable[[Page], str]) -> dict[str, Any]:
    """``{"f1", "precision", "recall", "pages"}`` of ``texts`` on the AEB pages given."""
    truth_all = json.loads(GROUND_TRUTH.read_text(encoding="utf-8"))
    chosen = [page for page in pages if page.source == "aeb"]
    truth = {page.name: truth_all[page.name] for page in chosen}
    predictions = {page.name: {"articleBody": texts(page)} for page in chosen}
    result = _scorer().score(truth, predictions)
    return {key: round(result[key], 4) for key in ("f1", "precision", "recall")} | {
        "pages": len(chosen)}
