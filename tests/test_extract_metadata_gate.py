"""Quality gate: metadata extraction must not get worse on the labelled real pages.

Runs ``bench/extract_metadata.py`` for newsarchive's extractor (as the benchmark is
meant to be run: a subprocess, ``--json``) on the committed labels over the public
benchmark's pages (``../shared/aeb/``) and the publisher-markup pages, and fails when a
field's accuracy on either split falls more than ``MAX_DROP`` below
``tests/metadata_baseline.json``.

When a change raises the figures, raise the baseline in the same commit (values
rounded *down* to 3 decimals), so that later changes cannot give the gain back unnoticed.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
AEB_HTML = REPO.parent / "shared" / "aeb" / "html"
BASELINE = Path(__file__).parent / "metadata_baseline.json"

#: Less than one page of the smallest field: extraction is deterministic, so this only
#: absorbs shifts from dependency upgrades (trafilatura, htmldate, lxml).
MAX_DROP = 0.005


@pytest.fixture(scope="module")
def baseline() -> dict:
    return json.loads(BASELINE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def report() -> dict:
    # Fail, never skip: CI always has ../shared, and a skipped gate is a gate nobody runs.
    if not AEB_HTML.is_dir():
        pytest.fail(f"metadata gate: {AEB_HTML} is missing; check out the shared directory "
                    "next to the repository", pytrace=False)
    proc = subprocess.run(
        # the unseen split is not committed (and CI has no network): committed pages only
        [sys.executable, "-m", "bench.extract_metadata", "--extractors", "newsarchive",
         "--rounds", "0", "--json", "--without-unseen"],
        cwd=REPO, capture_output=True, text=True, timeout=300, check=False,
    )
    if proc.returncode != 0:
        pytest.fail(f"metadata benchmark exited with {proc.returncode}:\n{proc.stderr[-3000:]}",
                    pytrace=False)
    return json.loads(proc.stdout.strip().splitlines()[-1])


class TestMetadataQualityGate:
    def test_same_pages(self, report, baseline):
        assert report["pages"] == baseline["pages"], (
            f"the benchmark has {report['pages']} pages, the baseline was measured on "
            f"{baseline['pages']}; re-measure and update {BASELINE.name}"
        )

    @pytest.mark.parametrize("split", ["tuning", "held-out"])
    @pytest.mark.parametrize("field", ["published", "modified", "authors", "title", "language"])
    def test_accuracy_not_below_baseline(self, report, baseline, split, field):
        pinned = baseline["accuracy"][split][field]
        got = report["extractors"]["newsarchive"]["fields"][split][field]
        assert got["accuracy"] >= pinned - MAX_DROP, (
            f"{field} on the {split} split dropped to {got['accuracy']:.3f} (baseline "
            f"{pinned:.3f}): {got['right']} right, {got['wrong']} wrong, {got['missing']} "
            f"missing of {got['pages']}"
        )


class TestBenchmarkCommand:
    def test_unknown_extractor_is_one_line_and_exit_2(self):
        proc = subprocess.run(
            [sys.executable, "-m", "bench.extract_metadata", "--extractors", "nope"],
            cwd=REPO, capture_output=True, text=True, timeout=60, check=False,
        )
        assert proc.returncode == 2
        assert proc.stderr.count("\n") == 1 and "unknown extractor nope" in proc.stderr


class TestScoring:
    def test_verdicts(self):
        from bench._metadata.score import verdict

        assert verdict("published", "2019-11-18", "2019-11-18T21:00:00-05:00") == "right"
        assert verdict("published", "2019-11-18", "2019-11-19") == "wrong"
        assert verdict("published", "2019-11-18", None) == "missing"
        assert verdict("authors", ["The Associated Press"], ["Associated Press"]) == "right"
        assert verdict("authors", ["Trevor J. Mitchell"], ["TREVOR J MITCHELL"]) == "right"
        assert verdict("authors", ["A B", "C D"], ["A B"]) == "wrong"
        # a page with no byline: any author found is invented
        assert verdict("authors", [], ["Staff"]) == "wrong"
        assert verdict("authors", [], []) == "right"
        assert verdict("title", "‘We had some issues’", "'We had  some issues'") == "right"

    def test_split_is_fixed_by_the_url(self):
        from bench._metadata import split_of

        assert {split_of(f"https://n.example/{n}") for n in range(30)} == {"tuning", "held-out"}
        assert split_of("https://n.example/1") == split_of("https://n.example/1")
