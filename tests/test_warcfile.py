"""The WARC writer on its own: records, digests, offsets, naming, rotation."""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import random
import re
from datetime import UTC, datetime

import pytest
from warcio.archiveiterator import ArchiveIterator

from archive.articles import ArticleWriter, read_articles
from archive.warc.exchange import HttpExchange, PriorCapture
from archive.warc.records import IDENTICAL_PAYLOAD, SERVER_NOT_MODIFIED, WarcRecordBuilder
from archive.warc.writer import RotatingWarcWriter, iipc_name

FETCHED = datetime(2026, 11, 28, 12, 0, 0, 123456, tzinfo=UTC)
BODY = gzip.compress(b"<html><body><p>Hello harbour</p></body></html>", mtime=0)


def read_record_bytes(path, offset: int, length: int) -> bytes:
    """The raw (compressed) bytes of one record, by its location."""
    with open(path, "rb") as handle:
        handle.seek(offset)
        return handle.read(length)


def exchange(url: str = "http://news.example/a", body: bytes = BODY) -> HttpExchange:
    return HttpExchange(
        url=url,
        request_head=b"GET /a HTTP/1.1\r\nHost: news.example\r\nAccept-Encoding: gzip\r\n\r\n",
        request_body=b"",
        response_head=(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
            b"Content-Encoding: gzip\r\nX-Caf\xc3\xa9: caf\xc3\xa9\r\n\r\n"
        ),
        response_body=body,
        fetched_at=FETCHED,
        ip_address="127.0.0.1",
    )


class CountingBuilder(WarcRecordBuilder):
    """Deterministic ids and dates, as a golden-file test needs."""

    def __init__(self) -> None:
        super().__init__()
        self.n = 0

    def make_record_id(self) -> str:
        self.n += 1
        return f"<urn:uuid:00000000-0000-0000-0000-{self.n:012d}>"

    def warc_date(self, when: datetime | None = None) -> str:
        return "2026-11-28T12:00:00.000000Z"


def sha1_b32(data: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode()


@pytest.fixture
def writer(tmp_path):
    w = RotatingWarcWriter(tmp_path / "warc", "test", host_tag="host-1",
                           relative_to=tmp_path, builder=CountingBuilder())
    yield w
    w.close()


class TestRecords:
    def test_warcinfo_request_response(self, writer, tmp_path):
        writer.write_exchange(exchange())
        writer.close()
        [path] = (tmp_path / "warc").glob("*.warc.gz")
        with open(path, "rb") as handle:
            records = list(ArchiveIterator(handle))
        assert [r.rec_type for r in records] == ["warcinfo", "response", "request"]
        for record in records:
            assert record.rec_headers.protocol == "WARC/1.1"
        info, response, request = records
        assert info.rec_headers["WARC-Filename"] == path.name
        assert request.rec_headers["WARC-Concurrent-To"] == response.rec_headers["WARC-Record-ID"]
        assert response.rec_headers["WARC-IP-Address"] == "127.0.0.1"
        assert response.rec_headers["WARC-Date"] == "2026-11-28T12:00:00.000000Z"

    def test_response_block_is_what_was_received(self, writer, tmp_path):
        ex = exchange()
        location = writer.write_exchange(ex)
        writer.close()
        raw = gzip.decompress(read_record_bytes(tmp_path / location.file,
                                                location.offset, location.length))
        head, _, block = raw.partition(b"\r\n\r\n")
        block = block[: -len(b"\r\n\r\n")]
        # Byte for byte: non-ASCII header kept, body still gzip-encoded.
        assert block == ex.response_head + ex.response_body
        assert f"WARC-Block-Digest: {sha1_b32(block)}".encode() in head
        assert f"WARC-Payload-Digest: {sha1_b32(BODY)}".encode() in head
        assert location.payload_digest == sha1_b32(BODY)

    def test_location_points_at_one_gzip_member(self, writer, tmp_path):
        locations = [writer.write_exchange(exchange(f"http://news.example/{i}")) for i in range(3)]
        writer.close()
        for i, loc in enumerate(locations):
            data = read_record_bytes(tmp_path / loc.file, loc.offset, loc.length)
            records = ArchiveIterator(io.BytesIO(data))
            record = next(records)
            assert record.rec_headers["WARC-Target-URI"] == f"http://news.example/{i}"
            assert record.rec_headers["WARC-Record-ID"] == loc.record_id
            # warcio decodes Content-Encoding when asked; the stored bytes stay gzip.
            assert record.content_stream().read() == gzip.decompress(BODY)
            assert next(records, None) is None

    def test_golden_bytes_are_reproducible(self, tmp_path):
        outputs = []
        for run in range(2):
            w = RotatingWarcWriter(tmp_path / f"run{run}", "test", host_tag="h",
                                   builder=CountingBuilder())
            w.write_exchange(exchange())
            w.close()
            [path] = (tmp_path / f"run{run}").glob("*.warc.gz")
            outputs.append(gzip.decompress(path.read_bytes()).replace(path.name.encode(), b"F"))
        assert outputs[0] == outputs[1]


class TestRevisits:
    """WARC 1.1 section 6.7: unchanged content is a revisit record pointing at the original."""

    def _prior(self, location) -> PriorCapture:
        return PriorCapture(url="http://news.example/a", record_id=location.record_id,
                            warc_date="2026-11-27T12:00:00.000000Z",
                            payload_digest=location.payload_digest)

    def _read(self, tmp_path, writer):
        writer.close()
        [path] = (tmp_path / "warc").glob("*.warc.gz")
        with open(path, "rb") as handle:
            return [(r.rec_type, r.rec_headers, r.content_stream().read())
                    for r in ArchiveIterator(handle, check_digests=True)]

    @pytest.mark.parametrize("not_modified", [False, True])
    def test_revisit_refers_to_the_original(self, writer, tmp_path, not_modified):
        original = writer.write_exchange(exchange())
        again = exchange()
        if not_modified:
            again = HttpExchange(url=again.url, request_head=again.request_head,
                                 request_body=b"", fetched_at=FETCHED,
                                 response_head=b'HTTP/1.1 304 Not Modified\r\nETag: "v1"\r\n\r\n',
                                 response_body=b"")
        location = writer.write_revisit(again, self._prior(original), not_modified=not_modified)
        records = self._read(tmp_path, writer)
        assert [r[0] for r in records] == ["warcinfo", "response", "request", "revisit",
                                           "request"]
        _, headers, payload = records[3]
        assert headers["WARC-Profile"] == (SERVER_NOT_MODIFIED if not_modified
                                           else IDENTICAL_PAYLOAD)
        assert headers["WARC-Refers-To"] == original.record_id
        assert headers["WARC-Refers-To-Target-URI"] == "http://news.example/a"
        assert headers["WARC-Refers-To-Date"] == "2026-11-27T12:00:00.000000Z"
        assert headers["WARC-Payload-Digest"] == sha1_b32(BODY)
        assert headers["WARC-Record-ID"] == location.record_id
        assert payload == b""  # the HTTP head only: the payload is the original's
        assert records[4][1]["WARC-Concurrent-To"] == location.record_id
        # The block is the response head as received.
        raw = gzip.decompress(read_record_bytes(tmp_path / location.file, location.offset,
                                                location.length))
        assert raw.split(b"\r\n\r\n", 1)[1].startswith(again.response_head)

    def test_each_exchange_reaches_the_file_before_its_location_is_known(self, writer):
        # An article line pointing at the record may be written next; a SIGKILL must
        # not leave the record in this process's buffer only.
        for i in range(3):
            location = writer.write_exchange(exchange(f"http://news.example/{i}"))
            on_disk = writer.current_path.read_bytes()
            assert len(on_disk) > location.offset + location.length  # request record too
            assert gzip.decompress(on_disk[location.offset:location.offset + location.length])

    def test_location_carries_the_warc_date_a_revisit_needs(self, writer):
        location = writer.write_exchange(exchange())
        assert location.warc_date == "2026-11-28T12:00:00.000000Z"


class TestFiles:
    def test_iipc_name(self):
        when = datetime(2026, 1, 2, 3, 4, 5, 678000, tzinfo=UTC)
        assert iipc_name("job", when, 7, "crawler-42") == \
            "job-20260102030405678-00007-crawler-42.warc.gz"

    def test_open_suffix_until_closed(self, writer, tmp_path):
        writer.write_exchange(exchange())
        assert writer.current_path.name.endswith(".warc.gz.open")
        assert not list((tmp_path / "warc").glob("*.warc.gz"))
        writer.close()
        # The file, and its index written as it closed (tests/test_liveindex.py).
        [path] = (tmp_path / "warc").glob("*.warc.gz*")
        assert re.fullmatch(r"test-\d{17}-00001-host-1\.warc\.gz", path.name)

    def test_rotation_at_size_limit(self, tmp_path):
        closed = []
        w = RotatingWarcWriter(tmp_path, "rot", max_size=2000, host_tag="h",
                               on_close=closed.append)
        big = random.Random(0).randbytes(3000)  # incompressible: each exchange passes the limit
        for i in range(4):
            w.write_exchange(exchange(f"http://news.example/{i}", body=big))
        w.close()
        assert len(closed) == 4
        serials = [int(c.path.name.split("-")[2]) for c in closed]
        assert serials == [1, 2, 3, 4]
        for c in closed:
            with open(c.path, "rb") as handle:
                types = [r.rec_type for r in ArchiveIterator(handle)]
            # every file opens with warcinfo and keeps request with response
            assert types == ["warcinfo", "response", "request"]
            assert c.records == 3


class TestArticleParts:
    def test_part_is_renamed_when_closed_and_rotates(self, tmp_path):
        closed = []
        writer = ArticleWriter(tmp_path, "job", max_lines=2, host_tag="h", on_close=closed.append)
        for i in range(5):
            writer.write({"url": f"http://n.example/{i}", "title": "Café"})
        assert len(list(tmp_path.glob("*.jsonl.open"))) == 1  # the part still being written
        writer.close()
        assert [c.articles for c in closed] == [2, 2, 1]
        assert not list(tmp_path.glob("*.open"))
        rows = [row for c in closed for row in read_articles(c.path)]
        assert [r["url"] for r in rows] == [f"http://n.example/{i}" for i in range(5)]
        assert rows[0]["title"] == "Café"
