"""What a file becomes in a store, with no server: its digests (whole and per part),
its key under the store's root, the store's URI (redacted, refused when unsafe) and
options."""

from __future__ import annotations

import hashlib
from dataclasses import replace

import pytest

from archive.errors import StoreConfigError
from archive.store.base import StoreOptions, open_store, redact_url, relative_key
from archive.store.digests import file_digests
from archive.store.filestore import FileStore
from archive.store.upload import Uploader
from tests.storefiles import write


class TestDigests:
    def test_single_part_etag_is_the_md5(self, tmp_path):
        data = b"x" * 1000
        digests = file_digests(write(tmp_path / "f", data))
        assert digests.size == 1000
        assert digests.sha256 == hashlib.sha256(data).hexdigest()
        assert digests.expected_etag == hashlib.md5(data).hexdigest()
        assert not digests.multipart

    def test_multipart_etag_is_md5_of_part_md5s(self, tmp_path):
        data = bytes(range(256)) * 10_000  # 2,560,000 bytes: parts of 1 MB, 1 MB, 0.56 MB
        digests = file_digests(write(tmp_path / "f", data), part_size=1_000_000)
        pieces = [data[i:i + 1_000_000] for i in range(0, len(data), 1_000_000)]
        assert [p.size for p in digests.parts] == [len(p) for p in pieces]
        assert [p.offset for p in digests.parts] == [0, 1_000_000, 2_000_000]
        combined = hashlib.md5(b"".join(hashlib.md5(p).digest() for p in pieces)).hexdigest()
        assert digests.expected_etag == f"{combined}-3"
        assert digests.parts[1].sha256 == hashlib.sha256(pieces[1]).digest()

    def test_a_file_of_one_part_is_sent_whole(self, tmp_path):
        digests = file_digests(write(tmp_path / "f", b"abc"), part_size=1_000_000)
        assert not digests.multipart and digests.part_size == 0


class TestKeysAndUris:
    @pytest.mark.parametrize("key", ["../x", "a/../../x", "/etc/passwd", "a//b", "./a",
                                     "a\\..\\b", ""])
    def test_keys_cannot_escape_the_prefix(self, key):
        with pytest.raises(StoreConfigError):
            relative_key(key)

    def test_store_refuses_a_key_outside_its_root(self, tmp_path):
        store = FileStore(tmp_path / "store")
        source = write(tmp_path / "f", b"data")
        with pytest.raises(StoreConfigError):
            store.put(source, "../escaped", file_digests(source))
        assert not (tmp_path / "escaped").exists()

    @pytest.mark.parametrize("uri", ["ftp://host/x", "s3://", "s3://UPPER/x", "s3://a/../x",
                                     "file://host/x", "archive-data"])
    def test_bad_store_uris_say_what_to_use(self, uri):
        with pytest.raises(StoreConfigError) as raised:
            open_store(uri)
        assert "s3://" in str(raised.value) or "file:///" in str(raised.value) \
            or "key" in str(raised.value)

    def test_credentials_in_urls_are_redacted(self):
        assert redact_url("http://key:secret@host:9000/p") == "http://host:9000/p"
        assert "secret" not in str(open_store_error("s3://key:secret@bucket/x"))

    def test_etags_under_sse_kms_are_not_taken_for_md5s(self, tmp_path):
        from archive.store.base import StoredObject, mismatch
        from archive.store.s3 import _etag_is_md5

        digests = file_digests(write(tmp_path / "f", b"data"))
        opaque = StoredObject("k", 4, etag="0" * 32, etag_is_md5=False)
        assert mismatch(opaque, digests) == ""
        assert "ETag" in mismatch(replace(opaque, etag_is_md5=True), digests)
        assert not _etag_is_md5({"ServerSideEncryption": "aws:kms"})
        assert not _etag_is_md5({"SSECustomerAlgorithm": "AES256"})
        assert _etag_is_md5({"ServerSideEncryption": "AES256"})

    def test_very_large_files_get_larger_parts(self, tmp_path, monkeypatch):
        monkeypatch.setattr("archive.store.upload.MAX_PARTS", 2)
        root = tmp_path / "out"
        big = write(root / "warc/j/big.warc.gz", b"x" * (16 * 1024 * 1024))
        options = StoreOptions(multipart_threshold=5 * 1024 * 1024, part_size=5 * 1024 * 1024)
        outcome = Uploader(FileStore(tmp_path / "store"), root, options=options).upload(big)
        assert outcome.digests.part_size == 8 * 1024 * 1024 and len(outcome.digests.parts) == 2

    def test_part_size_below_s3_minimum_is_refused(self):
        with pytest.raises(StoreConfigError):
            StoreOptions(part_size=1024)


def open_store_error(uri: str) -> Exception:
    with pytest.raises(StoreConfigError) as raised:
        open_store(uri)
    return raised.value
