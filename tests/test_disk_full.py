"""A full disk stops the crawl at once, and the next run recovers everything (issue 18).

ENOSPC (or EDQUOT, or SQLite's "database or disk is full") while writing a WARC
file, an article part, the job's state, an index or a manifest: the write is cut
back to the last whole record or line, the crawl stops within seconds with one
line naming the file and where to free space, and exits 1; the next run with
space recovers and lists every file. Tested on a real 1 MB tmpfs where this
machine allows mounting one, and always with ENOSPC injected at the write
(:mod:`tests.nospace`).
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from archive.articles import ArticleWriter, read_articles
from archive.diskfull import disk_full, mount_point
from archive.errors import ArchiveIndexError, DiskFullError, StateError, WarcWriteError
from archive.indexes import BackgroundIndexer
from archive.partfile import OPEN_SUFFIX
from archive.recovery import recover_warc
from archive.state.crawlstate import CrawlState
from archive.store.manifest import ManifestEntry, write_manifest_file
from archive.warc.writer import RotatingWarcWriter
from crawler.middlewares.diskfull import disk_full_line
from tests.conftest import FAST, ROOT, run_cli
from tests.nospace import Disk, FillingFile
from tests.test_recovery import exchange

JOB = "full"


def full(number: int = errno.ENOSPC) -> OSError:
    return OSError(number, os.strerror(number))


def fill(writer: RotatingWarcWriter | ArticleWriter, free: int) -> Disk:
    """Give the writer's current file a disk with ``free`` bytes left."""
    disk = Disk(free)
    file = writer._current()
    file.handle = FillingFile(file.handle, disk)
    return disk


def response_size(tmp_path: Path) -> int:
    """How many bytes the response record of ``exchange(n)`` takes (give or take a
    byte: record ids differ)."""
    scratch = RotatingWarcWriter(tmp_path / "scratch", JOB, host_tag="h")
    size = scratch.write_exchange(exchange(1)).length
    scratch.close()
    return size


def no_truncate(fd: int, size: int) -> None:
    raise full(errno.EIO)


def records(path: Path) -> list[str]:
    with open(path, "rb") as handle:
        return [r.rec_headers.get_header("WARC-Type") for r in ArchiveIterator(handle)]


class TestRecognised:
    @pytest.mark.parametrize("number", [errno.ENOSPC, errno.EDQUOT])
    def test_no_space_and_quota(self, tmp_path, number):
        found = disk_full(full(number), tmp_path / "x.warc.gz.open")
        assert isinstance(found, DiskFullError)
        assert found.path == tmp_path / "x.warc.gz.open"
        assert found.mount == mount_point(tmp_path)
        assert str(found).startswith(f"disk full writing {tmp_path}/x.warc.gz.open (")

    def test_found_behind_the_error_that_wraps_it(self, tmp_path):
        try:
            try:
                raise full()
            except OSError as exc:
                raise ArchiveIndexError("cannot index x") from exc
        except ArchiveIndexError as wrapped:
            assert disk_full(wrapped, tmp_path) is not None

    def test_duckdb_says_it_in_words(self, tmp_path):
        said = RuntimeError(f'IO Error: Could not write file "x": {os.strerror(errno.ENOSPC)}')
        assert disk_full(said, tmp_path) is not None

    @pytest.mark.parametrize("other", [full(errno.EIO), full(errno.EACCES), ValueError("x")])
    def test_other_failures_are_not(self, tmp_path, other):
        assert disk_full(other, tmp_path) is None

    def test_mount_point_of_a_path_not_made_yet(self, tmp_path):
        assert mount_point(tmp_path / "a" / "b" / "c.json") == mount_point(tmp_path)
        assert os.path.ismount(mount_point(tmp_path))


class TestWarcWriter:
    def writer(self, tmp_path: Path) -> RotatingWarcWriter:
        return RotatingWarcWriter(tmp_path, JOB, host_tag="h", relative_to=tmp_path)

    def test_a_pair_that_does_not_fit_is_cut_off_whole(self, tmp_path):
        writer = self.writer(tmp_path)
        writer.write_exchange(exchange(0))
        size = writer._file.tell()
        # Room for the response record, not for its request: neither may stay.
        disk = fill(writer, response_size(tmp_path) + 20)
        with pytest.raises(DiskFullError) as raised:
            writer.write_exchange(exchange(1))
        assert raised.value.path == writer.current_path
        assert writer.current_path.stat().st_size == size == writer._file.tell()
        disk.free = 10**6  # space freed: the crawl may go on in the same file
        writer.write_exchange(exchange(2))
        writer.close()
        [closed] = writer.closed_files
        assert records(closed.path) == ["warcinfo", "response", "request", "response",
                                        "request"]

    def test_a_partial_record_that_cannot_be_cut_is_left_to_recovery(self, tmp_path,
                                                                     monkeypatch):
        writer = self.writer(tmp_path)
        writer.write_exchange(exchange(0))
        fill(writer, 50)  # half a response record
        monkeypatch.setattr("archive.partfile.os.ftruncate", no_truncate)
        with pytest.raises(DiskFullError):
            writer.write_exchange(exchange(1))
        monkeypatch.undo()
        left = writer.current_path
        with pytest.raises(DiskFullError):  # never append after half a record
            writer.write_exchange(exchange(2))
        with pytest.raises(DiskFullError):  # nor call it finished
            writer.close()
        assert left.exists() and left.name.endswith(OPEN_SUFFIX)
        recovered = recover_warc(left)
        assert recovered.records == 3 and recovered.dropped_bytes == 50
        assert records(recovered.path) == ["warcinfo", "response", "request"]

    def test_a_new_file_whose_warcinfo_does_not_fit_is_not_kept(self, tmp_path, monkeypatch):
        writer = self.writer(tmp_path)
        original = writer._started

        def no_room(name: str) -> None:
            writer._file.handle = FillingFile(writer._file.handle, Disk(0))
            original(name)

        monkeypatch.setattr(writer, "_started", no_room)
        with pytest.raises(DiskFullError):
            writer.write_exchange(exchange(0))
        assert list(tmp_path.iterdir()) == []
        monkeypatch.undo()
        writer.write_exchange(exchange(1))  # the next file starts with its warcinfo
        writer.close()
        assert records(writer.closed_files[0].path)[0] == "warcinfo"

    def test_other_write_errors_stay_warc_write_errors(self, tmp_path):
        writer = self.writer(tmp_path)
        file = writer._current()

        class Broken(FillingFile):
            def write(self, data: bytes) -> int:
                raise full(errno.EIO)

        file.handle = Broken(file.handle, Disk(0))
        with pytest.raises(WarcWriteError) as raised:
            writer.write_exchange(exchange(0))
        assert not isinstance(raised.value, DiskFullError)
        writer.close()


class TestArticleWriter:
    def test_a_line_that_does_not_fit_is_cut_off(self, tmp_path):
        writer = ArticleWriter(tmp_path, JOB, host_tag="h")
        writer.write({"url": "http://news.example/1", "title": "Ferry"})
        fill(writer, 10)
        with pytest.raises(DiskFullError):
            writer.write({"url": "http://news.example/2", "title": "Harbour"})
        writer.close()
        [part] = writer.closed_parts
        assert [a["url"] for a in read_articles(part.path)] == ["http://news.example/1"]
        assert part.path.read_bytes().endswith(b"}\n")

    def test_a_part_nothing_fitted_in_is_not_kept(self, tmp_path):
        writer = ArticleWriter(tmp_path, JOB, host_tag="h")
        fill(writer, 0)
        with pytest.raises(DiskFullError):
            writer.write({"url": "http://news.example/1"})
        writer.close()
        assert writer.closed_parts == [] and list(tmp_path.iterdir()) == []


class TestStateAndIndexes:
    def test_sqlite_full_is_a_full_disk(self, tmp_path):
        state = CrawlState(tmp_path / "job.sqlite", commit_interval=0)
        state._db.execute("PRAGMA max_page_count = 8")  # SQLite's own "disk is full"
        with pytest.raises(DiskFullError) as raised:
            for n in range(1000):
                state.add_pending(f"k{n}", "http://news.example/" + "x" * 500, "s")
        assert raised.value.path == tmp_path / "job.sqlite"
        assert "database or disk is full" in str(raised.value)
        assert isinstance(raised.value.__cause__, sqlite3.OperationalError)
        with contextlib.suppress(DiskFullError):
            state.close()

    def test_other_sqlite_errors_stay_state_errors(self, tmp_path):
        state = CrawlState(tmp_path / "job.sqlite")
        with pytest.raises(StateError) as raised:
            state._write("INSERT INTO nowhere VALUES (1)")
        assert not isinstance(raised.value, DiskFullError)
        state.close()

    def test_an_index_that_does_not_fit_is_reported(self, tmp_path, monkeypatch):
        def no_room(entry: ManifestEntry) -> None:
            try:
                raise full()
            except OSError as exc:
                raise ArchiveIndexError(f"cannot index {entry.path}: {exc}") from exc

        monkeypatch.setattr("archive.indexes.build_index", no_room)
        listed: list[list[ManifestEntry]] = []
        indexer = BackgroundIndexer(listed.append)
        indexer.submit(ManifestEntry(tmp_path / "a.warc.gz", "warc"))
        indexer.drain()
        assert isinstance(indexer.disk_full, DiskFullError)
        assert [e.path for [e] in listed] == [tmp_path / "a.warc.gz"]  # listed regardless

    def test_a_manifest_that_does_not_fit_leaves_no_half_file(self, tmp_path, monkeypatch):
        def no_room(self: Path, text: str, **kwargs: object) -> None:
            Path.write_bytes(self, text.encode()[:10])
            raise full()

        monkeypatch.setattr(Path, "write_text", no_room)
        with pytest.raises(OSError):
            write_manifest_file(tmp_path / "job-1.json", {"job": "job"})
        assert list(tmp_path.iterdir()) == []


def test_the_line_says_what_to_do(tmp_path):
    exc = DiskFullError(tmp_path / "warc/j/x.warc.gz.open", tmp_path, "No space left on device")
    assert disk_full_line(exc) == (f"disk full writing {tmp_path}/warc/j/x.warc.gz.open: free "
                                   f"space on {tmp_path} and run the crawl again; nothing is lost")


# -- whole crawls ---------------------------------------------------------------------
def crawl(site_url: str, out: Path, *, nospace: list[str] | None = None
          ) -> subprocess.CompletedProcess[str]:
    args = ["crawl", "--seed", site_url, "--out", str(out), "--job", JOB, *FAST]
    if nospace is None:
        return run_cli(*args)
    command = [sys.executable, "-m", "tests.nospace", *nospace, "--", *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, check=False)


def assert_stopped_for_full_disk(result: subprocess.CompletedProcess[str], out: Path,
                                 mount: Path) -> str:
    """Exit 1, no traceback, finish reason disk_full, and the one line: returns the path."""
    assert result.returncode == 1, result.stderr[-3000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert "Finish reason:        disk_full" in result.stdout
    assert result.stderr.count("ERROR: Stopping: disk full writing") == 1, result.stderr[-3000:]
    [last] = [line for line in result.stderr.splitlines() if "incomplete:" in line]
    prefix = f"newsarchive crawl: incomplete: disk full writing {out}/"
    assert last.startswith(prefix), last
    path, _, rest = last.removeprefix("newsarchive crawl: incomplete: disk full writing ") \
        .partition(": ")
    assert rest.startswith(f"free space on {mount} and run the crawl again; nothing is lost")
    return path


def assert_all_recovered(result: subprocess.CompletedProcess[str], out: Path) -> None:
    """Exit 0; nothing left .open or half-written; every file is listed in a manifest,
    every WARC file reads to its end and every article points at a whole record."""
    assert result.returncode == 0, result.stderr[-3000:]
    leftovers = [p for p in out.rglob("*") if p.name.endswith((OPEN_SUFFIX, ".tmp"))]
    assert leftovers == []
    listed = {entry["path"] for manifest in (out / "manifests").glob(f"{JOB}-*Z.json")
              for entry in json.loads(manifest.read_text())["files"]}
    files = {p.relative_to(out).as_posix() for folder in ("warc", "articles")
             for p in (out / folder / JOB).iterdir()}
    assert files and files == listed
    sizes = {}
    for warc in (out / "warc" / JOB).glob("*.warc.gz"):
        assert records(warc)[0] == "warcinfo"
        sizes[warc.relative_to(out).as_posix()] = warc.stat().st_size
    articles = [a for part in (out / "articles" / JOB).glob("*.jsonl")
                for a in read_articles(part)]
    assert articles
    for article in articles:
        pointer = article["warc"]
        assert pointer["offset"] + pointer["length"] <= sizes[pointer["file"]]


class TestInjectedCrawl:
    """ENOSPC injected at the write, in a crawl of the test site: always runs."""

    @pytest.mark.parametrize(("nospace", "kind"), [
        (["30000"], "warc"),
        (["3000", "--only", ".jsonl"], "articles"),
        (["30000", "--no-cut"], "warc"),
    ], ids=["warc", "article_part", "warc_left_cut_off"])
    def test_stops_then_the_next_run_recovers_everything(self, test_site, tmp_path,
                                                         nospace, kind):
        out = tmp_path / "archive"
        stopped = crawl(test_site.base_url, out, nospace=nospace)
        path = assert_stopped_for_full_disk(stopped, out, mount_point(tmp_path))
        assert path.startswith(f"{out}/{kind}/{JOB}/") and path.endswith(OPEN_SUFFIX)
        if "--no-cut" in nospace:
            assert Path(path).exists()  # the partial record is still in it
        again = crawl(test_site.base_url, out)
        assert_all_recovered(again, out)
        if "--no-cut" in nospace:
            assert "Recovered warc/" in again.stderr


@pytest.fixture
def small_disk(tmp_path):
    """A 1 MB tmpfs mounted for the test (needs root and a kernel that lets us)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root; TestInjectedCrawl covers the same")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(disk)],
                             capture_output=True, text=True, check=False)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({mounted.stderr.strip()}); "
                    "TestInjectedCrawl covers the same")
    yield disk
    subprocess.run(["umount", "-l", str(disk)], capture_output=True, check=False)


def leave_free(disk: Path, kib: int) -> Path:
    """Fill ``disk`` until about ``kib`` KiB are left; return the filler, to free it."""
    filler = disk / "filler"
    stat = os.statvfs(disk)
    filler.write_bytes(b"\0" * max(0, stat.f_bavail * stat.f_frsize - kib * 1024))
    return filler


class TestRealFullDisk:
    def test_stops_then_the_next_run_with_space_recovers_everything(self, test_site,
                                                                    small_disk):
        out = small_disk / "archive"
        filler = leave_free(small_disk, 200)  # the job's state fits; its pages do not
        stopped = crawl(test_site.base_url, out)
        path = assert_stopped_for_full_disk(stopped, out, small_disk)
        assert Path(path).is_relative_to(out)
        filler.unlink()
        assert_all_recovered(crawl(test_site.base_url, out), out)

    def test_a_disk_full_at_the_start_is_one_line_and_exit_1(self, test_site, small_disk):
        out = small_disk / "archive"
        leave_free(small_disk, 40)  # the job's lock fits, its state does not
        result = crawl(test_site.base_url, out)
        assert result.returncode == 1, result.stderr[-3000:]
        assert "Traceback" not in result.stderr
        assert result.stderr.splitlines()[-1] == (
            f"newsarchive crawl: incomplete: "
            f"{disk_full_line(DiskFullError(out / 'state' / f'{JOB}.sqlite', small_disk, ''))}")
