"""Object stores: where finished archive files go to live.

A store is chosen by URI scheme (``file:///path``, ``s3://bucket/prefix``);
each kind implements :class:`ObjectStore`. Keys are the file's path relative
to the local archive directory, so the store mirrors ``--out DIR`` under its
prefix. Stores know nothing of crawls: the uploader decides what to send.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO, Protocol
from urllib.parse import urlsplit

from archive.errors import StoreConfigError
from archive.store.digests import FileDigests

DEFAULT_MULTIPART_THRESHOLD = 64 * 1024 * 1024
DEFAULT_PART_SIZE = 32 * 1024 * 1024
MIN_PART_SIZE = 5 * 1024 * 1024  # S3's lower bound for every part but the last
MAX_PARTS = 10_000  # S3's upper bound on parts per upload
# S3's bucket naming rules, in short: 3-63 lowercase letters, digits, '.' and '-'.
BUCKET_NAME = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_MD5_ETAG = re.compile(r"^[0-9a-f]{32}(-\d+)?$")


@dataclass(frozen=True)
class StoreOptions:
    """How to reach and use a store; the defaults suit AWS S3 and local servers alike."""

    endpoint_url: str | None = None
    region: str | None = None
    multipart_threshold: int = DEFAULT_MULTIPART_THRESHOLD
    part_size: int = DEFAULT_PART_SIZE
    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    # Attempts botocore makes per request before the uploader's own retries.
    request_attempts: int = 3

    def __post_init__(self) -> None:
        if self.part_size < MIN_PART_SIZE:
            raise StoreConfigError(f"part size {self.part_size} is below S3's minimum of "
                                   f"{MIN_PART_SIZE} bytes (5 MiB)")
        if self.multipart_threshold < self.part_size:
            raise StoreConfigError(f"the multipart threshold ({self.multipart_threshold}) must "
                                   f"be at least the part size ({self.part_size})")


@dataclass(frozen=True)
class StoredObject:
    """What the store says about one object."""

    key: str
    size: int
    etag: str | None = None  # quotes stripped
    sha256: str | None = None  # hex, of the whole object, as recorded with it
    # The server's own SHA-256 checksum (base64; "-N" for multipart: the checksum
    # of the parts' checksums), where the store computes one.
    checksum_sha256: str | None = None
    # False where the store says the ETag is not an MD5 (SSE-KMS, SSE-C on AWS).
    etag_is_md5: bool = True
    # True when ``sha256`` was just computed from the stored bytes themselves
    # (a file store), not read from what the uploader recorded with the object.
    sha256_of_bytes: bool = False


class ObjectStore(Protocol):
    """The operations the uploader and ``verify`` need from any store."""

    uri: str  # printable: never carries credentials
    # The local directory that holds the objects, for stores that are one (file://).
    local_dir: Path | None

    def check(self, *, writable: bool = True) -> None:
        """Raise StoreConfigError/StoreUnavailableError unless the store can be written
        (or, with ``writable=False``, read)."""

    def put(self, path: Path, key: str, digests: FileDigests) -> StoredObject:
        """Send ``path`` as ``key``; the store checks the digests; return what it holds."""

    def stat(self, key: str) -> StoredObject | None:
        """The object at ``key``, or None when there is none."""

    def open(self, key: str) -> BinaryIO:
        """A readable stream of the object's bytes (the caller closes it)."""

    def keys(self, under: str = "") -> Iterator[str]:
        """Every key below the relative folder ``under``, in key order."""

    def sizes(self, under: str = "") -> Iterator[tuple[str, int]]:
        """(key, size) of every object below ``under``, in key order: one listing."""

    def read_range(self, key: str, offset: int, length: int) -> bytes:
        """``length`` bytes of the object from ``offset`` (one WARC record, say)."""


def check_separate(store: ObjectStore, spool: Path) -> None:
    """Refuse a store that is, contains or lies inside the local archive directory.

    The uploader deletes local files once they are in the store: were the two
    the same place, it would delete the only copy.
    """
    if store.local_dir is None:
        return
    a, b = Path(store.local_dir).resolve(), Path(spool).resolve()
    if a == b or a.is_relative_to(b) or b.is_relative_to(a):
        raise StoreConfigError(f"store {store.uri} and the local archive directory {spool} "
                               "overlap: the store must be a directory of its own")


def relative_key(relative_path: str | PurePosixPath) -> str:
    """A store key for a path relative to the archive directory.

    Keys never escape the store's prefix: no absolute paths, no ``..``, no
    empty or ``.`` segments, no backslashes.
    """
    text = str(relative_path)
    parts = text.split("/")
    if (not text or text.startswith("/") or "\\" in text
            or any(part in ("", ".", "..") for part in parts)):
        raise StoreConfigError(f"refusing object key {text!r}: keys must be relative paths "
                               "inside the archive, without '..'")
    return text


def redact_url(url: str) -> str:
    """A URL fit for logs: any ``user:password@`` removed."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return parts._replace(netloc=host).geturl()


def mismatch(stored: StoredObject, digests: FileDigests, *, after_upload: bool = True) -> str:
    """Why ``stored`` is not the file ``digests`` describe; empty when it is.

    The ETag is compared right after an upload; an object stored earlier may
    have been sent in other part sizes, so there it can be left out.
    """
    if stored.size != digests.size:
        return f"size {stored.size}, expected {digests.size}"
    if stored.sha256 is not None and stored.sha256 != digests.sha256:
        return f"sha256 {stored.sha256}, expected {digests.sha256}"
    # An ETag is an MD5 only for unencrypted (or SSE-S3) objects; others are opaque.
    if stored.checksum_sha256 and after_upload \
            and stored.checksum_sha256 != digests.expected_checksum_sha256:
        return (f"server SHA-256 checksum {stored.checksum_sha256}, "
                f"expected {digests.expected_checksum_sha256}")
    etag_is_md5 = stored.etag_is_md5 and bool(stored.etag and _MD5_ETAG.match(stored.etag))
    if after_upload and etag_is_md5 and stored.etag != digests.expected_etag:
        return f"ETag {stored.etag}, expected {digests.expected_etag}"
    return ""


StoreFactory = Callable[[str, StoreOptions], ObjectStore]


def _file_store(uri: str, options: StoreOptions) -> ObjectStore:
    from archive.store.filestore import FileStore

    return FileStore.from_uri(uri)


def _s3_store(uri: str, options: StoreOptions) -> ObjectStore:
    from archive.store.s3 import S3Store  # boto3 loads only when an S3 store is used

    return S3Store.from_uri(uri, options)


STORE_SCHEMES: dict[str, StoreFactory] = {"file": _file_store, "s3": _s3_store}


def open_store(uri: str, options: StoreOptions | None = None) -> ObjectStore:
    """The store for ``uri``; raise StoreConfigError naming the fix when it is malformed."""
    scheme = urlsplit(uri).scheme.lower()
    factory = STORE_SCHEMES.get(scheme)
    if factory is None:
        raise StoreConfigError(
            f"unsupported store {redact_url(uri)!r}: use s3://BUCKET/PREFIX or file:///PATH"
        )
    # urlsplit would quietly drop them, and the files would land somewhere else.
    if "?" in uri or "#" in uri:
        raise StoreConfigError(f"store {redact_url(uri)!r}: no '?' or '#' in a store URI; "
                               "use s3://BUCKET/PREFIX or file:///PATH")
    return factory(uri, options or StoreOptions())
