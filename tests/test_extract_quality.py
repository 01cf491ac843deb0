"""Quality gate: article-body extraction must not get worse on the AEB benchmark.

Scores ``crawler.extract.article:extract_article`` with the shared benchmark tool
(``../shared/tools/aeb_score.py`` over the 181 pages in ``../shared/aeb/``) and
fails when F1 falls more than ``MAX_F1_DROP`` below ``tests/aeb_baseline.json``.

When a change raises the scores, raise the baseline in the same commit (values
rounded *down* to 3 decimals), so that later changes cannot give the gain back
unnoticed.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared"
SCORER = SHARED / "tools" / "aeb_score.py"
GROUND_TRUTH = SHARED / "aeb" / "ground-truth.json"
BASELINE = Path(__file__).parent / "aeb_baseline.json"
EXTRACTOR = "crawler.extract.article:extract_article"

#: Room for noise, not for regressions: extraction is deterministic, so this only
#: absorbs tiny shifts from dependency upgrades (trafilatura, lxml, htmldate).
MAX_F1_DROP = 0.002


@pytest.fixture(scope="module")
def baseline() -> dict:
    return json.loads(BASELINE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def scores() -> dict:
    # Fail, never skip: CI always has ../shared, and a skipped gate is a gate nobody runs.
    for needed in (SCORER, GROUND_TRUTH):
        if not needed.is_file():
            pytest.fail(
                f"AEB quality gate: {needed} is missing. Check out the shared directory "
                f"next to the repository ({SHARED}) with tools/aeb_score.py and aeb/.",
                pytrace=False,
            )
    # A subprocess, as the tool is meant to be run: its documented interface is the
    # CLI with --json, and the scorer imports the extractor fresh, unaffected by
    # whatever other tests did to module state. cwd=REPO because the tool imports
    # the extractor relative to the working directory.
    proc = subprocess.run(
        [sys.executable, str(SCORER), "--extractor", EXTRACTOR, "--json"],
        cwd=REPO, capture_output=True, text=True, timeout=300, check=False,
    )
    if proc.returncode != 0:
        pytest.fail(
            f"AEB scorer exited with {proc.returncode}:\n{proc.stderr[-3000:]}", pytrace=False
        )
    # the JSON line is the last one; anything the extractor printed comes before it
    return json.loads(proc.stdout.strip().splitlines()[-1])


class TestAebQualityGate:
    def test_same_benchmark(self, scores, baseline):
        # a baseline measured on other pages says nothing about these
        assert scores["pages"] == baseline["pages"], (
            f"the benchmark has {scores['pages']} pages, the baseline was measured on "
            f"{baseline['pages']}; re-measure and update {BASELINE.name}"
        )

    def test_f1_not_below_baseline(self, scores, baseline):
        floor = baseline["f1"] - MAX_F1_DROP
        assert scores["f1"] >= floor, (
            f"AEB F1 dropped to {scores['f1']:.4f} (baseline {baseline['f1']:.3f}, "
            f"allowed down to {floor:.3f}); precision {scores['precision']:.4f} "
            f"(baseline {baseline['precision']:.3f}), recall {scores['recall']:.4f} "
            f"(baseline {baseline['recall']:.3f})"
        )
