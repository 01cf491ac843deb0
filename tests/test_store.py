"""Uploads to a file:// store, which needs no server: the uploader and its retries,
``newsarchive upload`` and ``verify``, a crawl with ``--store``, and the spool lock
that keeps a crawl and an upload of one ``--out`` apart.

``make_crawl_output`` (from ``tests.storefiles``) is imported here for
``tests/test_s3.py`` too."""

from __future__ import annotations

import json

import pytest

from archive.errors import StoreError
from archive.store.base import open_store
from archive.store.filestore import FileStore
from archive.store.spool import upload_pending
from archive.store.spoollock import SpoolBusyError, SpoolLock
from archive.store.upload import BackgroundUploader, Uploader, UploadState
from archive.store.verify import verify_store
from tests.conftest import FAST, run_cli
from tests.storefiles import make_crawl_output, write


class FailingStore(FileStore):
    """A file store whose every write fails, as during an outage."""

    def put(self, path, key, digests):
        raise StoreError("store is down")


class RecoveringStore(FileStore):
    """Down for the first ``failures`` writes, then back."""

    def __init__(self, root, failures):
        super().__init__(root)
        self.failures = failures

    def put(self, path, key, digests):
        if self.failures:
            self.failures -= 1
            raise StoreError("store is down")
        return super().put(path, key, digests)


class TestFileStoreUploads:
    def test_upload_verifies_removes_local_and_records(self, tmp_path):
        root = tmp_path / "out"
        warc = write(root / "warc/job/a.warc.gz", b"warc bytes")
        store = open_store((tmp_path / "store").as_uri())
        outcome = Uploader(store, root).upload(warc)
        assert outcome.state == UploadState.UPLOADED
        assert (tmp_path / "store/warc/job/a.warc.gz").read_bytes() == b"warc bytes"
        assert not warc.exists()
        assert outcome.manifest_fields()["store"]["key"] == "warc/job/a.warc.gz"

    def test_keep_local_and_second_upload_sends_nothing(self, tmp_path):
        root = tmp_path / "out"
        part = write(root / "articles/job/a.jsonl", b'{"a": 1}\n')
        store = FileStore(tmp_path / "store")
        assert Uploader(store, root, keep_local=True).upload(part).state == UploadState.UPLOADED
        assert part.exists()
        # A new uploader (a new process) knows from the ledger; without it, from the store.
        assert Uploader(store, root, keep_local=True).upload(part).state == UploadState.PRESENT
        (root / "state/uploads.jsonl").unlink()
        assert Uploader(store, root, keep_local=True).upload(part).state == UploadState.PRESENT
        # An object removed from the store behind the ledger's back is sent again.
        (tmp_path / "store/articles/job/a.jsonl").unlink()
        assert Uploader(store, root, keep_local=True).upload(part).state == UploadState.UPLOADED
        # Without --keep-local, a file already in the store is removed locally.
        assert Uploader(store, root).upload(part).state == UploadState.PRESENT
        assert not part.exists()

    def test_failed_upload_stays_pending_and_later_files_try_once(self, tmp_path):
        root = tmp_path / "out"
        sleeps: list[float] = []
        uploader = Uploader(FailingStore(tmp_path / "store"), root, attempts=3,
                            retry_delay=0.5, sleep=sleeps.append)
        first = uploader.upload(write(root / "warc/j/1.warc.gz", b"1"))
        second = uploader.upload(write(root / "warc/j/2.warc.gz", b"2"))
        assert (first.state, second.state) == (UploadState.PENDING, UploadState.PENDING)
        assert sleeps == [0.5, 1.0]  # retries for the first file only: the store is down
        assert (root / "warc/j/1.warc.gz").exists() and (root / "warc/j/2.warc.gz").exists()
        assert first.manifest_fields() == {"pending": True}
        assert "store is down" in uploader.last_error

    def test_files_left_pending_get_another_try_once_the_store_is_back(self, tmp_path):
        root = tmp_path / "out"
        uploader = Uploader(RecoveringStore(tmp_path / "store", failures=2), root, attempts=2,
                            sleep=lambda _: None)
        background = BackgroundUploader(uploader)
        first, second = (write(root / f"warc/j/{n}.warc.gz", b"x") for n in (1, 2))
        background.submit(first)   # fails twice: pending
        background.submit(second)  # the store is back
        outcomes = background.drain()
        assert {o.state for o in outcomes.values()} == {UploadState.UPLOADED}
        assert not first.exists() and not second.exists()


class TestUploadCommand:
    def test_sends_pending_files_then_the_manifest_and_is_idempotent(self, tmp_path):
        root, store = tmp_path / "out", FileStore(tmp_path / "store")
        make_crawl_output(root)
        orphan = write(root / "warc/job/killed-crawl.warc.gz", b"orphan")
        write(root / "warc/job/still-writing.warc.gz.open", b"partial")
        report = upload_pending(root, Uploader(store, root))
        assert report.ok and report.count(UploadState.UPLOADED) == 5
        assert report.manifests_completed == 1
        assert sorted(store.keys()) == [
            "articles/job/job-1.jsonl", "manifests/job-20260101T000000Z.json",
            "warc/job/job-1.warc.gz", "warc/job/job-2.warc.gz",
            "warc/job/killed-crawl.warc.gz"]
        assert not orphan.exists() and (root / "warc/job/still-writing.warc.gz.open").exists()
        manifest = json.loads((root / "manifests/job-20260101T000000Z.json").read_text())
        assert manifest["store"] == store.uri
        assert all("store" in entry and "pending" not in entry for entry in manifest["files"])
        with store.open("manifests/job-20260101T000000Z.json") as body:
            stored = json.loads(body.read())
        assert stored == manifest
        again = upload_pending(root, Uploader(store, root))
        assert again.ok and again.count(UploadState.UPLOADED) == 0
        assert again.count(UploadState.PRESENT) == 1
        assert verify_store(store).ok

    def test_outage_leaves_files_marked_pending_and_no_manifest_in_store(self, tmp_path):
        root = tmp_path / "out"
        make_crawl_output(root)
        down = FailingStore(tmp_path / "store")
        report = upload_pending(root, Uploader(down, root, attempts=1))
        assert not report.ok and report.count(UploadState.PENDING) == 3
        manifest = json.loads((root / "manifests/job-20260101T000000Z.json").read_text())
        assert all(entry["pending"] is True for entry in manifest["files"])
        assert list(down.keys()) == []
        # The store is back: everything goes, manifest last.
        back = FileStore(tmp_path / "store")
        assert upload_pending(root, Uploader(back, root)).ok
        assert len(list(back.keys())) == 4 and verify_store(back).ok

    def test_a_file_changed_since_its_manifest_is_not_sent(self, tmp_path):
        root, store = tmp_path / "out", FileStore(tmp_path / "store")
        make_crawl_output(root)
        (root / "warc/job/job-2.warc.gz").write_bytes(b"tampered")
        report = upload_pending(root, Uploader(store, root))
        assert report.count(UploadState.PENDING) == 1
        assert "no longer matches" in report.outcomes[1].error
        assert "manifests/job-20260101T000000Z.json" not in list(store.keys())

    def test_a_manifest_is_not_sent_to_a_store_that_lacks_its_files(self, tmp_path):
        root = tmp_path / "out"
        make_crawl_output(root)
        assert upload_pending(root, Uploader(FileStore(tmp_path / "first"), root)).ok
        other = FileStore(tmp_path / "second")
        report = upload_pending(root, Uploader(other, root))
        assert not report.ok and len(report.problems) == 3
        assert "went to another store" in report.problems[0]
        assert list(other.keys()) == []
        manifest = json.loads((root / "manifests/job-20260101T000000Z.json").read_text())
        assert manifest["store"] == FileStore(tmp_path / "first").uri

    def test_refuses_while_a_crawl_holds_the_directory(self, tmp_path):
        root = tmp_path / "out"
        make_crawl_output(root)
        with SpoolLock(root / "state", exclusive=False), pytest.raises(SpoolBusyError):
            upload_pending(root, Uploader(FileStore(tmp_path / "store"), root))


class TestVerify:
    def test_reports_missing_and_corrupt_objects(self, tmp_path):
        root, store = tmp_path / "out", FileStore(tmp_path / "store")
        make_crawl_output(root)
        assert upload_pending(root, Uploader(store, root)).ok
        (tmp_path / "store/warc/job/job-1.warc.gz").unlink()
        corrupt = tmp_path / "store/articles/job/job-1.jsonl"
        corrupt.write_bytes(corrupt.read_bytes().replace(b"u", b"v"))
        report = verify_store(store)
        assert report.missing == ["warc/job/job-1.warc.gz"]
        assert len(report.corrupt) == 1 and "articles/job/job-1.jsonl: sha256" in report.corrupt[0]
        assert report.checked == 3 and not report.ok


class TestCrawlToFileStore:
    def test_crawl_uploads_everything_and_verify_agrees(self, test_site, tmp_path):
        out, store_dir = tmp_path / "out", tmp_path / "store"
        result = run_cli("crawl", "--seed", test_site.base_url, "--out", str(out), "--job", "f",
                         "--store", store_dir.as_uri(), *FAST, "-s", "WARC_MAX_SIZE=50000")
        assert result.returncode == 0, result.stderr[-3000:]
        assert not [p for p in (out / "warc").rglob("*") if p.is_file()]
        assert not [p for p in (out / "articles").rglob("*") if p.is_file()]
        [manifest] = (store_dir / "manifests").glob("f-*Z.json")
        assert json.loads(manifest.read_text()) == json.loads(
            (out / "manifests" / manifest.name).read_text())
        verify = run_cli("verify", "--store", store_dir.as_uri())
        assert verify.returncode == 0 and "all present and intact" in verify.stdout
        again = run_cli("upload", "--out", str(out), "--store", store_dir.as_uri())
        assert again.returncode == 0 and again.stdout.startswith("Uploaded 0 file(s)")

    def test_keep_local_keeps_the_files(self, test_site, tmp_path):
        out, store_dir = tmp_path / "out", tmp_path / "store"
        result = run_cli("crawl", "--seed", test_site.base_url, "--out", str(out), "--job", "k",
                         "--store", store_dir.as_uri(), "--keep-local", *FAST)
        assert result.returncode == 0, result.stderr[-3000:]

        def local_files() -> list[str]:
            # The search index's snapshot is a file like the others; the live index
            # beside it is the crawl's working copy, never uploaded as such.
            return sorted(p.relative_to(out).as_posix() for p in out.rglob("*")
                          if p.is_file() and (p.parts[len(out.parts)] in ("warc", "articles")
                                              or p.suffix == ".tar"))

        stored = sorted(p.relative_to(store_dir).as_posix() for p in store_dir.rglob("*")
                        if p.is_file()
                        and p.parts[len(store_dir.parts)] not in ("manifests", "state"))
        assert local_files() and local_files() == stored
        assert (store_dir / "state" / "k.sqlite").is_file()  # the job's state goes too
        # A later upload has nothing to send, and leaves the kept copies alone.
        upload = run_cli("upload", "--out", str(out), "--store", store_dir.as_uri())
        assert upload.returncode == 0 and local_files() == stored
        assert json.loads(next((out / "manifests").glob("k-*Z.json")).read_text())[
            "finish_reason"] == "finished"

    @pytest.mark.parametrize(("args", "message"), [
        (["-s", "ARCHIVE_STORE_ATTEMPTS=abc"], "ARCHIVE_STORE_ATTEMPTS='abc': must be a whole"),
        (["-s", "ARCHIVE_STORE_ATTEMPTS=0"], "ARCHIVE_STORE_ATTEMPTS='0': must be"),
        (["-s", "ARCHIVE_STORE_RETRY_DELAY=-5"], "ARCHIVE_STORE_RETRY_DELAY='-5': must be"),
        (["-s", "ARCHIVE_STORE_RETRY_DELAY=nan"], "ARCHIVE_STORE_RETRY_DELAY='nan': must be"),
        (["-s", "ARCHIVE_STORE_KEEP_LOCAL=maybe"], "must be True or False"),
        (["-s", "ARCHIVE_STORE_PART_SIZE=1024"],
         "ARCHIVE_STORE_PART_SIZE='1024': must be a whole number of at least 5242880"),
        (["-s", "ARCHIVE_STORE_PART_SIZE=99999999999"],
         "the multipart threshold (67108864) must be at least the part size (99999999999)"),
        (["-s", "ARCHIVE_STORE_PART_SIZE=x"], "ARCHIVE_STORE_PART_SIZE='x'"),
        (["--store", ""], "--store is empty"),
        (["--store", "file:///"], "refusing to store into the file-system root"),
        (["--store", "file:///tmp/x?y=1"], "no '?' or '#'"),
        (["--store", "s3://bucket/x#frag"], "no '?' or '#'"),
        (["--store", "relative/dir"], "unsupported store"),
        (["--store", "s3://bucket/x?"], "no '?' or '#'"),
        (["--store", "file:///tmp/x#"], "no '?' or '#'"),
        (["--endpoint-url", "http://127.0.0.1:9"], "--endpoint-url is for s3:// stores"),
        (["--store", "file://{out}"], "overlap: the store must be a directory of its own"),
        (["--store", "file://{out}/warc"], "overlap"),
        (["--store", "file://{tmp}"], "overlap"),
    ])
    def test_bad_store_arguments_are_one_line_exit_2(self, test_site, tmp_path, args, message):
        out, store_dir = tmp_path / "out", tmp_path / "store"
        if "--store" not in args:
            args = ["--store", store_dir.as_uri(), *args]
        args = [arg.format(out=out, tmp=tmp_path) for arg in args]
        result = run_cli("crawl", "--seed", test_site.base_url, "--out", str(out), *args)
        assert result.returncode == 2, result.stderr[-2000:]
        assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
        assert not out.exists() and not store_dir.exists()

    def test_store_settings_are_checked_without_a_store_too(self, test_site, tmp_path):
        result = run_cli("crawl", "--seed", test_site.base_url, "--out", str(tmp_path / "o"),
                         "-s", "ARCHIVE_STORE_ATTEMPTS=0")
        assert result.returncode == 2 and "ARCHIVE_STORE_ATTEMPTS" in result.stderr

    def test_upload_refuses_a_store_inside_its_own_directory(self, tmp_path):
        out = tmp_path / "out"
        make_crawl_output(out)
        before = sorted(p for p in out.rglob("*") if p.is_file())
        upload = run_cli("upload", "--out", str(out), "--store", out.as_uri())
        assert upload.returncode == 2 and "overlap" in upload.stderr
        assert sorted(p for p in out.rglob("*") if p.is_file()) == before

    def test_keep_local_without_a_store_is_refused(self, test_site, tmp_path):
        result = run_cli("crawl", "--seed", test_site.base_url, "--out", str(tmp_path / "o"),
                         "--keep-local")
        assert result.returncode == 2 and "--keep-local needs --store" in result.stderr

    def test_verify_refuses_a_bad_job_name(self, tmp_path):
        for job in ("", "../x"):
            verify = run_cli("verify", "--store", tmp_path.as_uri(), "--job", job)
            assert verify.returncode == 2 and "invalid job name" in verify.stderr

    def test_verify_and_upload_refuse_what_is_not_there(self, tmp_path):
        verify = run_cli("verify", "--store", (tmp_path / "nothing").as_uri())
        assert verify.returncode == 2 and "does not exist" in verify.stderr
        assert not (tmp_path / "nothing").exists()
        (tmp_path / "empty").mkdir()
        upload = run_cli("upload", "--out", str(tmp_path / "empty"),
                         "--store", (tmp_path / "store").as_uri())
        assert upload.returncode == 2 and "not an archive directory" in upload.stderr
        assert list((tmp_path / "empty").iterdir()) == []

    def test_upload_names_unfinished_files_it_cannot_send(self, tmp_path):
        out = tmp_path / "out"
        make_crawl_output(out)
        write(out / "warc/job/killed.warc.gz.open", b"cut short")
        upload = run_cli("upload", "--out", str(out), "--store", (tmp_path / "s").as_uri())
        assert upload.returncode == 1  # something is still not in the store
        assert "1 unfinished .open file(s)" in upload.stderr and "killed.warc.gz.open" \
            in upload.stderr


class TestSpoolLock:
    def test_crawl_waits_for_upload_and_upload_for_crawl(self, test_site, tmp_path):
        out = tmp_path / "out"
        make_crawl_output(out)
        with SpoolLock(out / "state", exclusive=True):  # `newsarchive upload` at work
            crawl = run_cli("crawl", "--seed", test_site.base_url, "--out", str(out), *FAST)
        assert crawl.returncode == 75 and "try again when" in crawl.stderr
        assert len(crawl.stderr.strip().splitlines()) == 1
        with SpoolLock(out / "state", exclusive=False):  # a crawl at work
            upload = run_cli("upload", "--out", str(out), "--store",
                             (tmp_path / "store").as_uri())
        assert upload.returncode == 75 and "in use by a running crawl" in upload.stderr
        assert not (tmp_path / "store").exists() or not list((tmp_path / "store").rglob("*.gz"))
