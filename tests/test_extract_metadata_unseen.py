"""The benchmark's unseen split: newspaper4k's test pages, read from its sdist."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench._metadata import FIELDS, UNSEEN
from bench._metadata.cache import SourceUnavailable, default_cache
from bench._metadata.newspaper4k import LABELS, newspaper4k_pages
from bench._metadata.npmfixtures import LABELS as NPM_LABELS
from bench._metadata.sdistfixtures import LABELS as SDIST_LABELS

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def labels() -> dict:
    return json.loads(LABELS.read_text(encoding="utf-8"))


class TestLabels:
    def test_every_page_has_an_address_a_title_and_a_language(self, labels):
        assert len(labels["pages"]) >= 20
        for name, label in labels["pages"].items():
            assert label["url"].startswith(("http://", "https://")), name
            assert label["title"].strip(), name
            assert len(label["language"]) == 2, name
            assert set(label) <= {*FIELDS, "url", "body"}, name

    def test_days_are_days(self, labels):
        for name, label in labels["pages"].items():
            for key in ("published", "modified"):
                if key in label:
                    assert len(label[key]) == 10 and label[key][4] == "-", (name, key)

    def test_pages_left_out_are_not_labelled(self, labels):
        assert not set(labels["_left_out"]) & set(labels["pages"])


class TestReading:
    @staticmethod
    def unpacked(tmp_path: Path, labels: dict) -> Path:
        data = tmp_path / "tests" / "data"
        (data / "html").mkdir(parents=True)
        (data / "txt").mkdir()
        for name in labels["pages"]:
            page = f"<html><body><h1>{name}</h1></body></html>"
            (data / "html" / f"{name}.html").write_text(page, encoding="utf-8")
            (data / "txt" / f"{name}.txt").write_text(f"body of {name}", encoding="utf-8")
        return tmp_path

    def test_an_unpacked_sdist_gives_every_labelled_page_in_the_unseen_split(
            self, tmp_path, labels):
        pages = newspaper4k_pages(self.unpacked(tmp_path, labels))
        assert [p.name for p in pages] == sorted(labels["pages"])
        assert {p.split for p in pages} == {UNSEEN}
        for page in pages:
            label = labels["pages"][page.name]
            assert page.html.startswith("<html>") and page.url == label["url"]
            # a body truth only where the txt was checked against the page
            assert (page.body == f"body of {page.name}") == bool(label["body"])
            assert "body" not in page.truth and "url" not in page.truth

    def test_another_file_is_refused(self, tmp_path):
        impostor = tmp_path / "newspaper4k-0.9.6.tar.gz"
        impostor.write_bytes(b"not the sdist")
        with pytest.raises(SourceUnavailable, match=r"not the newspaper4k==0\.9\.6 sdist"):
            newspaper4k_pages(impostor)

    def test_the_cache_directory_can_be_moved(self, monkeypatch, tmp_path):
        monkeypatch.setenv("NEWSARCHIVE_BENCH_CACHE", str(tmp_path))
        assert default_cache() == tmp_path


def test_without_the_packages_the_benchmark_says_so_per_source_and_scores_the_rest(tmp_path):
    # empty --npm-fixtures and --sdist-fixtures directories: nothing is downloaded
    proc = subprocess.run(
        [sys.executable, "-m", "bench.extract_metadata", "--extractors", "htmldate",
         "--rounds", "0", "--json", "--newspaper4k-sdist", str(tmp_path / "missing.tar.gz"),
         "--npm-fixtures", str(tmp_path), "--sdist-fixtures", str(tmp_path)],
        cwd=REPO, capture_output=True, text=True, timeout=300, check=False,
        env={**os.environ, "NEWSARCHIVE_BENCH_CACHE": str(tmp_path / "cache")},
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stderr.splitlines()
    labelled = ["newspaper4k"] + [s for s, path in NPM_LABELS.items() if path.is_file()]
    labelled += list(SDIST_LABELS)
    assert [line.split(" (")[0] for line in lines] == [
        f"extract_metadata: no pages from {source}" for source in labelled]
    report = json.loads(proc.stdout)
    assert set(report["pages"]) == {"tuning", "held-out", "all"}
    assert UNSEEN not in report["extractors"]["htmldate"]["fields"]
    assert "unseen_pages" not in report
