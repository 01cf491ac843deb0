"""Recovery of ``.open`` files left by a killed crawl: cut WARCs and article parts."""

from __future__ import annotations

import gzip
import json
import random
import subprocess
import sys
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from archive import recovery
from archive.articles import ArticleWriter, read_articles
from archive.errors import ArchiveError, OutputDirError, RecoveryError
from archive.layout import ArchiveLayout
from archive.recovery import Recovery, recover_job, recover_part, recover_warc
from archive.warc.exchange import HttpExchange
from archive.warc.writer import RotatingWarcWriter

FETCHED = datetime(2026, 11, 28, 12, 0, 0, tzinfo=UTC)
WARCIO = [sys.executable, "-m", "warcio.cli"]


def kept_files(result: Recovery) -> list[tuple[Path, str]]:
    """Files that survived, as ``(path, kind)`` with the manifest's kinds."""
    return ([(w.path, "warc") for w in result.warcs if not w.removed]
            + [(p.path, "articles") for p in result.parts if not p.removed])


def exchange(n: int, body: bytes = b"<p>harbour news</p>") -> HttpExchange:
    return HttpExchange(
        url=f"http://news.example/{n}",
        request_head=f"GET /{n} HTTP/1.1\r\nHost: news.example\r\n\r\n".encode(),
        request_body=b"",
        response_head=b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n",
        response_body=body,
        fetched_at=FETCHED,
    )


@dataclass(frozen=True)
class Sample:
    """A closed WARC file's bytes and where each gzip member (record) ends."""

    name: str
    data: bytes
    ends: list[int]

    def kept_at(self, cut: int) -> tuple[int, int]:
        """(records, bytes) that survive a cut at ``cut``."""
        whole = [end for end in self.ends if end <= cut]
        return len(whole), (whole[-1] if whole else 0)

    def record(self, index: int) -> bytes:
        """The uncompressed bytes of one record."""
        start = self.ends[index - 1] if index else 0
        return zlib.decompress(self.data[start:self.ends[index]], wbits=31)


def build_sample(directory: Path, bodies: list[bytes]) -> Sample:
    writer = RotatingWarcWriter(directory, "job", host_tag="h", relative_to=directory)
    locations = [writer.write_exchange(exchange(n, body)) for n, body in enumerate(bodies)]
    writer.close()
    [closed] = writer.closed_files
    # each exchange is a response member followed by its request member
    ends = [locations[0].offset]
    for n, loc in enumerate(locations):
        request_end = locations[n + 1].offset if n + 1 < len(locations) else closed.size
        ends += [loc.offset + loc.length, request_end]
    return Sample(closed.path.name, closed.path.read_bytes(), ends)


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Sample:
    """warcinfo + 4 exchanges; one record larger than a read chunk when compressed,
    one larger than an output chunk once decompressed."""
    noise = random.Random(7).randbytes(1_200_000)
    zeros = b"\0" * 1_500_000
    return build_sample(tmp_path_factory.mktemp("sample"), [b"a", noise, zeros, b"z"])


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Sample:
    return build_sample(tmp_path_factory.mktemp("small"), [b"one", b"two" * 50])


def place(directory: Path, sample: Sample, data: bytes) -> Path:
    path = directory / (sample.name + ".open")
    path.write_bytes(data)
    return path


def read_back(path: Path) -> int:
    """Records in ``path``, every one read whole with its digests checked."""
    count = 0
    with open(path, "rb") as handle:
        for record in ArchiveIterator(handle, check_digests=True):
            while record.content_stream().read(1 << 20):
                pass
            assert record.digest_checker.passed is not False, record.digest_checker.problems
            count += 1
    return count


CUTS = {
    "in-first-gzip-header": lambda ends: 5,
    "inside-warcinfo": lambda ends: ends[0] // 2,
    "at-first-boundary": lambda ends: ends[0],
    "byte-after-first-boundary": lambda ends: ends[0] + 1,
    "inside-incompressible-record": lambda ends: (ends[2] + ends[3]) // 2,
    "inside-compressible-record": lambda ends: (ends[4] + ends[5]) // 2,
    "at-later-boundary": lambda ends: ends[4],
    "in-last-gzip-trailer": lambda ends: ends[-1] - 4,
    "one-byte-short": lambda ends: ends[-1] - 1,
}


class TestRecoverWarc:
    def test_intact_file_is_renamed_unchanged(self, sample, tmp_path):
        open_path = place(tmp_path, sample, sample.data)
        result = recover_warc(open_path)
        assert result.path == tmp_path / sample.name
        assert (result.records, result.size, result.dropped_bytes, result.removed) == \
            (9, len(sample.data), 0, False)
        assert result.path.read_bytes() == sample.data
        assert not open_path.exists()
        assert read_back(result.path) == 9

    @pytest.mark.parametrize("where", CUTS.values(), ids=CUTS.keys())
    def test_cut_file_keeps_whole_records(self, sample, tmp_path, where):
        cut = where(sample.ends)
        records, kept = sample.kept_at(cut)
        open_path = place(tmp_path, sample, sample.data[:cut])
        result = recover_warc(open_path)
        assert not open_path.exists()
        assert (result.records, result.size, result.dropped_bytes) == (records, kept, cut - kept)
        assert result.removed is (records == 0)
        if records:
            assert result.path.read_bytes() == sample.data[:kept]
            assert result.path.stat().st_size == result.size
            assert read_back(result.path) == records
        else:
            assert not result.path.exists()

    def test_half_a_warcinfo_is_removed(self, sample, tmp_path):
        open_path = place(tmp_path, sample, sample.data[: sample.ends[0] // 2])
        result = recover_warc(open_path)
        assert result.removed and result.records == 0 and result.size == 0
        assert result.dropped_bytes == sample.ends[0] // 2
        assert list(tmp_path.iterdir()) == []

    @pytest.mark.parametrize("tail", [
        pytest.param(lambda s: b"\x00garbage!" * 7, id="garbage"),
        pytest.param(lambda s: gzip.compress(
            b"WARC/1.1\r\nWARC-Type: resource\r\nContent-Length: 100\r\n\r\n" + b"x" * 50
        ), id="gzip-of-a-truncated-record"),
        pytest.param(lambda s: gzip.compress(b"hello\r\n\r\n"), id="gzip-of-not-warc"),
        pytest.param(lambda s: gzip.compress(s.record(1) + s.record(2)),
                     id="two-records-one-member"),
        pytest.param(lambda s: gzip.compress(s.record(1)[:-4] + b"XXXX"), id="no-closing-crlfs"),
        pytest.param(lambda s: gzip.compress(b"HTTP" + s.record(1)[4:]), id="not-warc-version"),
        # well formed, but a header block this long is not one we write: not trusted
        pytest.param(lambda s: gzip.compress(
            b"WARC/1.1\r\nX: " + b"a" * 70_000 + b"\r\nContent-Length: 0\r\n\r\n\r\n\r\n"
        ), id="header-over-64k"),
        pytest.param(lambda s: gzip.compress(s.record(1))[:-8] + b"\0" * 8, id="bad-crc"),
        pytest.param(lambda s: gzip.compress(s.record(1))[:-3], id="cut-good-member"),
        pytest.param(lambda s: b"junk" + gzip.compress(s.record(1)), id="good-member-after-junk"),
    ])
    def test_bad_tail_is_dropped(self, small, tmp_path, tail):
        extra = tail(small)
        result = recover_warc(place(tmp_path, small, small.data + extra))
        assert (result.records, result.size, result.dropped_bytes) == \
            (len(small.ends), len(small.data), len(extra))
        assert result.path.read_bytes() == small.data
        assert read_back(result.path) == len(small.ends)

    def test_appended_good_member_is_kept(self, small, tmp_path):
        # the rule is "one whole record per member", not "only what the writer wrote"
        extra = gzip.compress(small.record(1))
        result = recover_warc(place(tmp_path, small, small.data + extra))
        assert result.records == len(small.ends) + 1 and result.dropped_bytes == 0

    @pytest.mark.parametrize("chunk", [1, 7, 64])
    def test_tiny_chunks_give_the_same_answer(self, small, tmp_path, monkeypatch, chunk):
        monkeypatch.setattr(recovery, "_CHUNK", chunk)
        cut = (small.ends[2] + small.ends[3]) // 2
        result = recover_warc(place(tmp_path, small, small.data[:cut] + b"tail"))
        assert (result.records, result.size) == small.kept_at(cut)
        assert read_back(result.path) == 3

    def test_warcio_check_accepts_the_result(self, sample, tmp_path):
        result = recover_warc(place(tmp_path, sample, sample.data[: sample.ends[5] - 10]))
        check = subprocess.run([*WARCIO, "check", str(result.path)],
                               capture_output=True, text=True, timeout=60)
        assert check.returncode == 0, check.stdout + check.stderr
        assert result.records == 5

    def test_existing_final_file_is_an_error_and_nothing_changes(self, small, tmp_path):
        final = tmp_path / small.name
        final.write_bytes(b"finished earlier")
        open_path = place(tmp_path, small, small.data[:-5])
        with pytest.raises(RecoveryError, match="already exists") as info:
            recover_warc(open_path)
        assert str(open_path) in str(info.value)
        assert open_path.read_bytes() == small.data[:-5]
        assert final.read_bytes() == b"finished earlier"

    def test_name_without_open_suffix_is_refused(self, small, tmp_path):
        path = tmp_path / small.name
        path.write_bytes(small.data)
        with pytest.raises(RecoveryError, match=r"does not end in \.open"):
            recover_warc(path)
        assert path.read_bytes() == small.data

    def test_io_failure_is_an_archive_error_with_the_path(self, tmp_path):
        odd = tmp_path / "x.warc.gz.open"
        odd.mkdir()  # cannot be opened as a file
        with pytest.raises(ArchiveError, match=r"x\.warc\.gz\.open"):
            recover_warc(odd)
        assert odd.is_dir()


def line(n: int, warc: dict | None = None) -> bytes:
    return (json.dumps({"url": f"http://news.example/{n}", "title": "Café", "warc": warc},
                       ensure_ascii=False) + "\n").encode()


def pointer(file: str, offset: int, length: int) -> dict:
    return {"file": file, "offset": offset, "length": length, "record_id": "<urn:uuid:x>"}


def place_part(directory: Path, data: bytes) -> Path:
    path = directory / "job-1-00001-h.jsonl.open"
    path.write_bytes(data)
    return path


class TestRecoverPart:
    def test_intact_part_is_renamed_unchanged(self, tmp_path):
        data = line(0) + line(1)
        result = recover_part(place_part(tmp_path, data))
        assert result.path == tmp_path / "job-1-00001-h.jsonl"
        assert (result.articles, result.size, result.dropped_lines, result.removed) == \
            (2, len(data), 0, False)
        assert result.path.read_bytes() == data

    @pytest.mark.parametrize("tail", [
        pytest.param(b'{"url": "http://news.exa', id="cut-line"),
        # complete JSON, but the writer always ends a line with "\n": the write was cut
        pytest.param(b'{"url": "http://news.example/9"}', id="json-without-newline"),
        pytest.param(b'{"n": 12', id="cut-number"),
    ])
    def test_cut_last_line_is_truncated_in_place(self, tmp_path, tail):
        good = line(0) + line(1) + line(2)
        open_path = place_part(tmp_path, good + tail)
        inode = open_path.stat().st_ino
        result = recover_part(open_path)
        assert (result.articles, result.size, result.dropped_lines) == (3, len(good), 1)
        assert result.path.read_bytes() == good
        assert result.path.stat().st_ino == inode  # truncated, not rewritten

    @pytest.mark.parametrize("bad", [b"not json\n", b"[1, 2]\n", b'{"t": "\xff"}\n', b"\n"],
                             ids=["not-json", "not-an-object", "bad-utf8", "blank"])
    def test_bad_middle_line_is_dropped_by_rewriting(self, tmp_path, bad):
        open_path = place_part(tmp_path, line(0) + bad + line(1) + b'{"cut')
        inode = open_path.stat().st_ino
        result = recover_part(open_path)
        assert (result.articles, result.dropped_lines) == (2, 2)
        assert result.path.read_bytes() == line(0) + line(1)
        assert result.size == result.path.stat().st_size
        assert [a["url"] for a in read_articles(result.path)] == \
            ["http://news.example/0", "http://news.example/1"]
        assert result.path.stat().st_ino != inode
        assert sorted(p.name for p in tmp_path.iterdir()) == ["job-1-00001-h.jsonl"]

    def test_pointers_beyond_the_kept_warc_are_dropped(self, tmp_path):
        cut_file, other = "warc/job/A.warc.gz", "warc/job/B.warc.gz"
        lines = [
            line(0, pointer(cut_file, 0, 500)),
            line(1, pointer(cut_file, 500, 500)),  # ends exactly at the cut: kept
            line(2, pointer(cut_file, 900, 200)),  # record did not survive
            line(3, pointer(other, 10**9, 100)),  # another file: not ours to judge
            line(4, None),  # no record at all
            line(5, pointer(cut_file, 2000, 100)),
        ]
        result = recover_part(place_part(tmp_path, b"".join(lines)),
                              warc_sizes={cut_file: 1000})
        assert (result.articles, result.dropped_lines) == (4, 2)
        assert result.path.read_bytes() == b"".join(lines[i] for i in (0, 1, 3, 4))

    def test_removed_warc_drops_all_its_articles(self, tmp_path):
        gone = "warc/job/A.warc.gz"
        data = line(0, pointer(gone, 0, 10)) + line(1, pointer(gone, 10, 10))
        open_path = place_part(tmp_path, data)
        result = recover_part(open_path, warc_sizes={gone: 0})
        assert result.removed and result.articles == 0 and result.dropped_lines == 2
        assert list(tmp_path.iterdir()) == []

    @pytest.mark.parametrize("data", [b"", b'{"url": "http://n'], ids=["empty", "only-cut-line"])
    def test_no_complete_line_removes_the_part(self, tmp_path, data):
        result = recover_part(place_part(tmp_path, data))
        assert result.removed and (result.articles, result.size) == (0, 0)
        assert result.dropped_lines == (1 if data else 0)
        assert list(tmp_path.iterdir()) == []

    def test_leftover_rewrite_file_is_cleared(self, tmp_path):
        open_path = place_part(tmp_path, line(0) + b"bad\n" + line(1))
        spare = open_path.with_name(open_path.name + ".recovering")
        spare.write_bytes(b"half a rewrite from a crash during recovery")
        result = recover_part(open_path)
        assert result.path.read_bytes() == line(0) + line(1)
        assert not spare.exists()

    def test_existing_final_file_is_an_error_and_nothing_changes(self, tmp_path):
        open_path = place_part(tmp_path, line(0) + b"{")
        final = tmp_path / "job-1-00001-h.jsonl"
        final.write_bytes(line(9))
        with pytest.raises(RecoveryError, match="already exists"):
            recover_part(open_path)
        assert open_path.read_bytes() == line(0) + b"{"
        assert final.read_bytes() == line(9)


def crashed_job(layout: ArchiveLayout, job: str, cut: int | None) -> tuple[Path, Path, list]:
    """Three exchanges and their articles, written, closed and put back to ``.open``
    as a killed crawl leaves them; the WARC cut at ``cut`` into the 2nd response."""
    warcs = RotatingWarcWriter(layout.warc_dir(job), job, host_tag="h", relative_to=layout.root)
    articles = ArticleWriter(layout.articles_dir(job), job, host_tag="h")
    locations = []
    for n in range(3):
        location = warcs.write_exchange(exchange(n))
        articles.write({"url": f"http://news.example/{n}", "warc": location.as_dict()})
        locations.append(location)
    warcs.close()
    articles.close()
    warc, part = warcs.closed_files[0].path, articles.closed_parts[0].path
    warc_open, part_open = (p.with_name(p.name + ".open") for p in (warc, part))
    warc.rename(warc_open)
    part.rename(part_open)
    if cut is not None:
        with open(warc_open, "r+b") as handle:
            handle.truncate(locations[1].offset + cut)
        with open(part_open, "ab") as handle:
            handle.write(b'{"url": "http://news.example/3", "wa')
    return warc_open, part_open, locations


class TestRecoverJob:
    def test_only_the_asked_job_is_recovered(self, tmp_path):
        layout = ArchiveLayout(tmp_path)
        warc_open, _, locations = crashed_job(layout, "alpha", cut=10)
        others = crashed_job(layout, "beta", cut=10)[:2]
        before = {path: path.read_bytes() for path in others}
        finished = layout.warc_dir("alpha") / "older.warc.gz"
        finished.write_bytes(b"an earlier, finished file")

        result = recover_job(layout, "alpha")

        [warc], [part] = result.warcs, result.parts
        assert warc.path == warc_open.with_suffix("") and warc.records == 3
        assert warc.size == locations[1].offset == warc.path.stat().st_size
        assert read_back(warc.path) == 3
        # articles 1 and 2 point past the cut; the 4th line was cut mid-write
        assert (part.articles, part.dropped_lines) == (1, 3)
        assert [a["url"] for a in read_articles(part.path)] == ["http://news.example/0"]
        assert kept_files(result) == [(warc.path, "warc"), (part.path, "articles")]
        assert result
        assert {path: path.read_bytes() for path in others} == before
        assert finished.read_bytes() == b"an earlier, finished file"
        assert not list(tmp_path.rglob("*alpha*.open"))

        again = recover_job(layout, "alpha")
        assert not again and again == Recovery([], [])

    def test_removed_warc_takes_its_articles_with_it(self, tmp_path):
        layout = ArchiveLayout(tmp_path)
        warc_open, part_open, locations = crashed_job(layout, "alpha", cut=None)
        with open(warc_open, "r+b") as handle:
            handle.truncate(locations[0].offset // 2)  # half a warcinfo
        result = recover_job(layout, "alpha")
        assert [w.removed for w in result.warcs] == [True]
        assert [(p.removed, p.dropped_lines) for p in result.parts] == [(True, 3)]
        assert result and kept_files(result) == []
        assert not warc_open.exists() and not part_open.exists()

    def test_job_that_never_wrote_has_nothing_to_recover(self, tmp_path):
        result = recover_job(ArchiveLayout(tmp_path / "none"), "alpha")
        assert not result and kept_files(result) == []

    def test_bad_job_name_is_refused(self, tmp_path):
        with pytest.raises(OutputDirError):
            recover_job(ArchiveLayout(tmp_path), "../alpha")
