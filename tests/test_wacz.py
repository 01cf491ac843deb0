"""WACZ export: the package py-wacz accepts, holding the crawl byte for byte.

`wacz validate` checks the datapackage (names, sizes, hashes, digest) but not
that pages or an index exist, that WARCs are stored uncompressed, or that the
index is sorted and points at real records; those are checked here directly.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from warcio.archiveiterator import ArchiveIterator

from archive.errors import ReplayError
from archive.replay.wacz import WaczSummary, export_wacz
from archive.warc.cdxj import cdxj_path, read_cdxj, write_cdxj

ROOT = Path(__file__).resolve().parent.parent
WACZ_CLI = ROOT / ".venv-pywb" / "bin" / "wacz"
FOREIGN = {"url": "http://elsewhere.example/story", "title": "Not in this package",
           "text": "x", "fetched_at": "2024-01-01T00:00:00+00:00",
           "warc": {"file": "warc/other/other-20240101000000000-00001-h.warc.gz",
                    "offset": 0, "length": 10, "record_id": "<urn:uuid:0>"}}


@dataclass
class Export:
    summary: WaczSummary
    warcs: list[Path]
    articles: list[dict[str, Any]]

    def zip(self) -> zipfile.ZipFile:
        return zipfile.ZipFile(self.summary.path)

    def pages(self) -> list[dict[str, Any]]:
        with self.zip() as package:
            return [json.loads(line) for line in package.read("pages/pages.jsonl").splitlines()]

    def index(self) -> list[str]:
        with self.zip() as package:
            return package.read("indexes/index.cdx").decode("utf-8").splitlines()


def copy_warcs(crawl, target: Path, *, with_index: bool = True) -> list[Path]:
    """The crawl's WARCs copied under ``target`` (the shared fixture stays untouched)."""
    shutil.copytree(crawl.out / "warc", target / "warc")
    warcs = sorted((target / "warc").glob("*/*.warc.gz"))
    for warc in warcs:
        index = cdxj_path(warc)
        if with_index and not index.exists():
            write_cdxj(warc)
        elif not with_index:
            index.unlink(missing_ok=True)
    return warcs


def read_record(package: zipfile.ZipFile, name: str, offset: int, length: int):
    """The one WARC record stored at ``offset`` in ``archive/name`` inside the WACZ."""
    with package.open("archive/" + name) as member:
        member.seek(offset)
        data = member.read(length)
    records = list(ArchiveIterator(io.BytesIO(data)))
    assert len(records) == 1, f"{name}@{offset}+{length} holds {len(records)} records"
    return records[0]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture(scope="module")
def export(test_crawl, tmp_path_factory) -> Export:
    base = tmp_path_factory.mktemp("wacz")
    warcs = copy_warcs(test_crawl, base)
    articles = test_crawl.articles()
    summary = export_wacz(warcs, [*articles, FOREIGN], base / "out" / "crawl.wacz",
                          title="Test site crawl", description="The local test site.")
    return Export(summary, warcs, articles)


class TestValidate:
    @pytest.mark.pywb
    def test_wacz_validate_accepts_it(self, export):
        assert WACZ_CLI.exists(), f"{WACZ_CLI} is missing: run `make pywb` to install py-wacz"
        result = subprocess.run([str(WACZ_CLI), "validate", "-f", str(export.summary.path)],
                                capture_output=True, text=True, timeout=120, check=False)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "valid" in result.stdout
        assert "invalid" not in result.stdout

    def test_summary(self, export):
        assert export.summary.warcs == len(export.warcs) >= 1
        assert export.summary.pages == len(export.articles) >= 1
        assert export.summary.size == export.summary.path.stat().st_size


class TestContents:
    def test_layout(self, export):
        with export.zip() as package:
            names = package.namelist()
        assert names == [*("archive/" + warc.name for warc in export.warcs),
                         "indexes/index.cdx", "pages/pages.jsonl",
                         "datapackage.json", "datapackage-digest.json"]

    def test_warcs_are_stored_byte_for_byte(self, export):
        with export.zip() as package:
            for warc in export.warcs:
                info = package.getinfo("archive/" + warc.name)
                assert info.compress_type == zipfile.ZIP_STORED
                assert info.compress_size == info.file_size == warc.stat().st_size
                assert sha256(package.read(info)) == sha256(warc.read_bytes())

    def test_datapackage_lists_every_file_with_its_hash(self, export):
        with export.zip() as package:
            raw = package.read("datapackage.json")
            datapackage = json.loads(raw)
            digest = json.loads(package.read("datapackage-digest.json"))
            files = {name: package.read(name) for name in package.namelist()
                     if not name.startswith("datapackage")}
        assert datapackage["profile"] == "data-package"
        assert datapackage["wacz_version"] == "1.1.1"
        assert datapackage["title"] == "Test site crawl"
        assert datapackage["description"] == "The local test site."
        assert datapackage["software"] == "newsarchive"
        assert datapackage["created"].endswith("Z")
        resources = {resource["path"]: resource for resource in datapackage["resources"]}
        assert resources.keys() == files.keys()
        for path, data in files.items():
            assert resources[path]["hash"] == "sha256:" + sha256(data)
            assert resources[path]["bytes"] == len(data)
            assert resources[path]["name"] == path.rsplit("/", 1)[-1].lower()
        assert digest == {"path": "datapackage.json", "hash": "sha256:" + sha256(raw)}


class TestPages:
    def test_header_then_one_page_per_article(self, export):
        header, *pages = export.pages()
        assert header == {"format": "json-pages-1.0", "id": "pages", "title": "All Pages"}
        assert sorted((p["url"], p["title"]) for p in pages) == sorted(
            (a["url"], a["title"]) for a in export.articles)
        assert len({page["id"] for page in pages}) == len(pages)
        assert FOREIGN["url"] not in {page["url"] for page in pages}

    def test_each_page_carries_text_and_the_capture_time(self, export):
        by_url = {article["url"]: article for article in export.articles}
        with export.zip() as package:
            for page in export.pages()[1:]:
                article = by_url[page["url"]]
                assert page["text"] == article["text"]
                location = article["warc"]
                record = read_record(package, Path(location["file"]).name,
                                     location["offset"], location["length"])
                assert record.rec_type == "response"
                assert record.rec_headers["WARC-Record-ID"] == location["record_id"]
                assert record.rec_headers["WARC-Target-URI"] == page["url"]
                # The index keeps whole seconds; WARC-Date may carry a fraction.
                warc_date = record.rec_headers["WARC-Date"]
                assert page["ts"] == warc_date[:19] + "Z"


class TestIndex:
    def test_is_every_line_of_every_warc_index_in_order(self, export):
        lines = export.index()
        assert lines == sorted(lines)
        expected = [line for warc in export.warcs for line in read_cdxj(cdxj_path(warc))]
        assert sorted(expected) == lines

    def test_every_line_points_at_a_real_record(self, export):
        names = {warc.name for warc in export.warcs}
        with export.zip() as package:
            for line in export.index():
                fields = json.loads(line.split(" ", 2)[2])
                assert fields["filename"] in names
                record = read_record(package, fields["filename"], int(fields["offset"]),
                                     int(fields["length"]))
                assert record.rec_headers["WARC-Target-URI"] == fields["url"]

    def test_a_warc_without_index_is_indexed_aside(self, export, test_crawl, tmp_path):
        warcs = copy_warcs(test_crawl, tmp_path, with_index=False)
        out = tmp_path / "bare.wacz"
        export_wacz(warcs, [], out, title="bare")
        assert not any(cdxj_path(warc).exists() for warc in warcs)
        with zipfile.ZipFile(out) as package:
            assert package.read("indexes/index.cdx").decode().splitlines() == export.index()
            assert package.read("pages/pages.jsonl").splitlines() == [
                b'{"format": "json-pages-1.0", "id": "pages", "title": "All Pages"}']


class TestRefused:
    def test_no_warcs(self, tmp_path):
        with pytest.raises(ReplayError, match="nothing to export: no WARC files"):
            export_wacz([], [], tmp_path / "x.wacz", title="t")
        assert list(tmp_path.iterdir()) == []

    def test_duplicate_base_names(self, test_crawl, tmp_path):
        one = copy_warcs(test_crawl, tmp_path / "one")[0]
        two = copy_warcs(test_crawl, tmp_path / "two")[0]
        out = tmp_path / "out" / "x.wacz"
        with pytest.raises(ReplayError, match="share the name"):
            export_wacz([one, two], [], out, title="t")
        assert not out.parent.exists()

    def test_not_a_wacz_name(self, test_crawl, tmp_path):
        warcs = copy_warcs(test_crawl, tmp_path)
        with pytest.raises(ReplayError, match=r"must end in \.wacz"):
            export_wacz(warcs, [], tmp_path / "x.zip", title="t")

    def test_unfinished_warc(self, tmp_path):
        warc = tmp_path / "a.warc.gz.open"
        warc.write_bytes(b"")
        with pytest.raises(ReplayError, match="finished"):
            export_wacz([warc], [], tmp_path / "x.wacz", title="t")

    def test_a_failure_midway_leaves_nothing(self, test_crawl, tmp_path):
        warcs = copy_warcs(test_crawl, tmp_path)
        index = cdxj_path(warcs[0])
        index.write_text(index.read_text().replace(warcs[0].name, "other.warc.gz"))
        out = tmp_path / "out" / "x.wacz"
        with pytest.raises(ReplayError, match="re-index"):
            export_wacz(warcs, [], out, title="t")
        assert list(out.parent.iterdir()) == []
