"""Digests of a local file, computed in one read: what uploads send and verify.

S3 ETags are MD5-based for plain uploads (the MD5 of the body) and for
multipart uploads (the MD5 of the parts' MD5 digests, then ``-N``), so with
the part size known the ETag a correct upload must produce can be computed
before sending anything. SHA-256 is what manifests record.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

CHUNK = 1 << 20


def sha256_stream(readable: BinaryIO) -> str:
    """Hex SHA-256 of everything ``readable`` still holds, read in chunks."""
    digest = hashlib.sha256()
    while chunk := readable.read(CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def warc_payload_digest(data: bytes) -> str:
    """``sha1:BASE32``, the form of WARC-Payload-Digest (and of article records)."""
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode("ascii")


def sha256_file(path: Path) -> str:
    with open(path, "rb") as handle:
        return sha256_stream(handle)


@dataclass(frozen=True)
class PartDigest:
    number: int  # 1-based, as S3 counts parts
    offset: int
    size: int
    md5: bytes
    sha256: bytes


@dataclass(frozen=True)
class FileDigests:
    size: int
    sha256: str  # hex
    md5: str  # hex, of the whole file
    part_size: int  # 0: the file is sent in one request
    parts: tuple[PartDigest, ...] = field(default=())

    @property
    def sha256_b64(self) -> str:
        return base64.b64encode(bytes.fromhex(self.sha256)).decode("ascii")

    @property
    def md5_b64(self) -> str:
        return base64.b64encode(bytes.fromhex(self.md5)).decode("ascii")

    @property
    def multipart(self) -> bool:
        return bool(self.parts)

    @property
    def expected_checksum_sha256(self) -> str:
        """The SHA-256 checksum an S3 server reports (base64; composite for multipart)."""
        if not self.parts:
            return self.sha256_b64
        combined = hashlib.sha256(b"".join(part.sha256 for part in self.parts)).digest()
        return f"{base64.b64encode(combined).decode('ascii')}-{len(self.parts)}"

    @property
    def expected_etag(self) -> str:
        """The ETag an S3 server gives this file uploaded as planned (quotes stripped)."""
        if not self.parts:
            return self.md5
        combined = hashlib.md5(b"".join(part.md5 for part in self.parts))
        return f"{combined.hexdigest()}-{len(self.parts)}"


def file_digests(path: Path, *, part_size: int = 0) -> FileDigests:
    """Size, SHA-256 and MD5 of ``path``; with ``part_size``, per-part digests too.

    A file no larger than one part is planned as a single request.
    """
    whole_sha, whole_md5 = hashlib.sha256(), hashlib.md5()
    parts: list[PartDigest] = []
    part_sha, part_md5, part_start, offset = hashlib.sha256(), hashlib.md5(), 0, 0
    with open(path, "rb") as handle:
        while True:
            # Never read across a part boundary, so each chunk belongs to one part.
            want = CHUNK if not part_size else min(CHUNK, part_start + part_size - offset)
            chunk = handle.read(want)
            if not chunk:
                break
            whole_sha.update(chunk)
            whole_md5.update(chunk)
            offset += len(chunk)
            if part_size:
                part_sha.update(chunk)
                part_md5.update(chunk)
                if offset - part_start == part_size:
                    parts.append(PartDigest(len(parts) + 1, part_start, part_size,
                                            part_md5.digest(), part_sha.digest()))
                    part_sha, part_md5, part_start = hashlib.sha256(), hashlib.md5(), offset
    if part_size and offset > part_start:
        parts.append(PartDigest(len(parts) + 1, part_start, offset - part_start,
                                part_md5.digest(), part_sha.digest()))
    if len(parts) <= 1:
        parts, part_size = [], 0
    return FileDigests(offset, whole_sha.hexdigest(), whole_md5.hexdigest(), part_size,
                       tuple(parts))
