"""A WARC file's CDXJ made as its records are written is cdxj-indexer's, byte for byte."""

from __future__ import annotations

import gzip
import io
import zlib

import pytest
from cdxj_indexer.main import write_cdx_index
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archive.errors import ArchiveIndexError
from archive.indexes import build_index
from archive.store.manifest import FileKind, ManifestEntry
from archive.warc.cdxj import cdxj_path, write_cdxj
from archive.warc.exchange import HttpExchange, PriorCapture
from archive.warc.liveindex import INDEXED_TYPES, LiveCdxj
from archive.warc.records import WARC_VERSION
from archive.warc.writer import RotatingWarcWriter, gzip_member
from tests.test_warcfile import FETCHED, CountingBuilder, exchange

HOSTILE_URLS = [
    "http://news.example/a",
    "http://news.example/zeitung/straße?q=café&x=%E2%82%AC",
    "http://news.example/a b/\"quoted\"/<tag>?x='1'#frag",
    "https://xn--caf-dma.example:8443/%00%ff/../index.html?a=1&a=2",
]


def cdxj_indexer_bytes(warc, tmp_path) -> bytes:
    """What cdxj-indexer writes for ``warc``, as the project calls it."""
    out = tmp_path / "reference.cdxj"
    write_cdx_index(str(out), [str(warc)], {"sort": True, "post_append": False})
    return out.read_bytes()


def warcio_record(writer: WARCWriter, kind: str, url: str, payload: bytes, *,
                  content_type: str, http: bool = False, status: str = "200 OK"):
    headers = None
    if http:
        headers = StatusAndHeaders(status, [("Content-Type", content_type),
                                            ("Content-Length", str(len(payload)))],
                                   protocol="HTTP/1.1")
    return writer.create_warc_record(url, kind, payload=io.BytesIO(payload),
                                     http_headers=headers,
                                     warc_content_type=None if http else content_type)


class TestEveryKindOfRecord:
    """Records made by warcio itself, of every type, each its own gzip member."""

    def _records(self) -> list[tuple[str, bytes]]:
        """(type, uncompressed bytes) of each record, in file order."""
        maker = WARCWriter(io.BytesIO(), gzip=False, warc_version=WARC_VERSION)
        records = [maker.create_warcinfo_record("t.warc.gz", {"software": "test"})]
        for n, url in enumerate(HOSTILE_URLS):
            body = f"<html>page {n} ü</html>".encode()
            records.append(warcio_record(maker, "response", url, body,
                                         content_type="text/html; charset=utf-8", http=True))
            records.append(warcio_record(maker, "request", url, b"",
                                         content_type="", http=True, status="GET / HTTP/1.1"))
            revisit = warcio_record(maker, "revisit", url, b"", content_type="text/html",
                                    http=True, status="304 Not Modified")
            # As every revisit carries (WARC 1.1 6.7.2); without it cdxj-indexer computes
            # one through warcio, which leaks a temporary file.
            revisit.rec_headers.add_header("WARC-Payload-Digest", f"sha1:{'A' * 32}")
            records.append(revisit)
            records.append(warcio_record(maker, "resource", url + "/img.png", b"\x89PNG..",
                                         content_type="image/png"))
            records.append(warcio_record(maker, "metadata", url, b"outlinks: x\r\n",
                                         content_type="application/warc-fields"))
            records.append(warcio_record(maker, "metadata", url + "?m", b'{"a": 1}',
                                         content_type="application/json"))
            records.append(warcio_record(maker, "response", url, b"gone",
                                         content_type="text/plain", http=True,
                                         status="404 Not Found"))
        serialized = []
        for record in records:
            buffer = io.BytesIO()
            WARCWriter(buffer, gzip=False, warc_version=WARC_VERSION).write_record(record)
            # warcio buffered the payload in temporary files, twice
            for stream in (record.raw_stream, getattr(record, "_orig_stream", None)):
                if stream is not None:
                    stream.close()
            serialized.append((record.rec_type, buffer.getvalue()))
        # Same URL and second twice: cdxj-indexer drops a line equal to the one before.
        return [*serialized, serialized[1]]

    def test_identical_to_cdxj_indexer(self, tmp_path):
        warc = tmp_path / "every-kind.warc.gz"
        live = LiveCdxj(warc.name)
        offset = 0
        with open(warc, "wb") as handle:
            for rec_type, raw in self._records():
                member = gzip_member(raw, 6)
                handle.write(member)
                if rec_type in INDEXED_TYPES:
                    live.add(raw, offset, len(member))
                offset += len(member)
        written = live.write(warc)
        assert written == cdxj_path(warc)
        reference = cdxj_indexer_bytes(warc, tmp_path)
        assert written.read_bytes() == reference
        lines = reference.decode().splitlines()
        # It does hold every kind that is indexed, and a hostile URL.
        assert any('"warc/revisit"' in line for line in lines)
        assert any('"image/png"' in line for line in lines)
        assert any('"application/json"' in line for line in lines)
        assert any(line.startswith("example,news)/zeitung/stra%c3%9fe?") for line in lines)

    def test_sorting_past_the_memory_buffer_is_the_same(self, tmp_path, monkeypatch):
        # Past its buffer, cdxj-indexer spills sorted runs to temporary files and merges
        # them; the live index sorts with the same writer.
        monkeypatch.setattr("cdxj_indexer.main.SortingWriter.MAX_SORT_BUFF_SIZE", 400)
        self.test_identical_to_cdxj_indexer(tmp_path)

    def test_a_record_warcio_cannot_read_is_an_index_error(self, tmp_path):
        live = LiveCdxj("x.warc.gz")
        with pytest.raises(ArchiveIndexError, match="cannot index a record at 7"):
            live.add(b"<html>not a WARC record</html>", 7, 10)


class TestTheWriter:
    def _writer(self, tmp_path, **options):
        return RotatingWarcWriter(tmp_path / "warc", "test", host_tag="host-1",
                                  relative_to=tmp_path, builder=CountingBuilder(), **options)

    def _crawl(self, writer):
        for url in HOSTILE_URLS:
            original = writer.write_exchange(exchange(url))
            prior = PriorCapture(url=url, record_id=original.record_id,
                                 warc_date=original.warc_date,
                                 payload_digest=original.payload_digest)
            writer.write_revisit(exchange(url), prior, not_modified=False)
            not_modified = HttpExchange(
                url=url, request_head=b"GET / HTTP/1.1\r\nHost: news.example\r\n\r\n",
                request_body=b"", fetched_at=FETCHED,
                response_head=b'HTTP/1.1 304 Not Modified\r\nETag: "v1"\r\n\r\n',
                response_body=b"")
            writer.write_revisit(not_modified, prior, not_modified=True)

    def test_each_closed_file_has_its_index_as_cdxj_indexer_writes_it(self, tmp_path):
        closed = []
        writer = self._writer(tmp_path, max_size=3_000, on_close=closed.append)
        self._crawl(writer)
        writer.close()
        assert len(closed) > 1  # rotated: each file indexes only its own records
        for finished in closed:
            assert finished.cdxj == cdxj_path(finished.path)
            assert finished.cdxj.read_bytes() == cdxj_indexer_bytes(finished.path, tmp_path)
            assert b'"warc/revisit"' in finished.cdxj.read_bytes() or \
                b'"text/html"' in finished.cdxj.read_bytes()

    def test_off_writes_no_index(self, tmp_path):
        closed = []
        writer = self._writer(tmp_path, index_live=False, on_close=closed.append)
        self._crawl(writer)
        writer.close()
        assert closed[0].cdxj is None
        assert not cdxj_path(closed[0].path).exists()

    def test_no_cdxj_is_opened_while_the_file_grows(self, tmp_path):
        writer = self._writer(tmp_path)
        writer.write_exchange(exchange())
        assert not list((tmp_path / "warc").glob("*.cdxj*"))
        writer.close()

    def test_an_index_that_cannot_be_written_leaves_it_to_the_indexer(self, tmp_path,
                                                                      monkeypatch):
        closed = []
        writer = self._writer(tmp_path, on_close=closed.append)
        writer.write_exchange(exchange())
        # Somewhere it cannot be written: the index's folder is gone.
        monkeypatch.setattr("archive.warc.liveindex.cdxj_path",
                            lambda warc: tmp_path / "gone" / "x.cdxj")
        writer.close()
        monkeypatch.undo()
        [finished] = closed
        assert finished.cdxj is None
        assert not list((tmp_path / "warc").glob("*.cdxj*"))
        entry = build_index(ManifestEntry(finished.path, FileKind.WARC))
        assert entry.path.read_bytes() == cdxj_indexer_bytes(finished.path, tmp_path)


class TestBuildIndex:
    def test_an_index_written_live_is_taken_as_it_is(self, tmp_path):
        closed = []
        writer = RotatingWarcWriter(tmp_path, "t", on_close=closed.append)
        writer.write_exchange(exchange())
        writer.close()
        [finished] = closed
        before = finished.cdxj.stat().st_mtime_ns
        entry = build_index(ManifestEntry(finished.path, "warc", index=finished.cdxj))
        assert entry == ManifestEntry(finished.cdxj, FileKind.CDXJ)
        assert finished.cdxj.stat().st_mtime_ns == before

    def test_a_damaged_warc_still_fails_cleanly(self, tmp_path):
        warc = tmp_path / "broken.warc.gz"
        warc.write_bytes(gzip.compress(b"WARC/1.1\r\nWARC-Type: response\r\n")
                         + zlib.compress(b"not a gzip member"))
        with pytest.raises(ArchiveIndexError):
            write_cdxj(warc)


def test_the_types_indexed_are_cdxj_indexers():
    from cdxj_indexer.main import CDXJIndexer

    assert frozenset(CDXJIndexer.DEFAULT_RECORDS) == INDEXED_TYPES
