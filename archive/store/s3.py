"""``s3://bucket/prefix``: AWS S3 and S3-compatible servers (SeaweedFS, MinIO, Ceph, R2).

Credentials come from the standard AWS chain (environment, profile, instance
role); the endpoint from :class:`StoreOptions`, else ``AWS_ENDPOINT_URL_S3`` /
``AWS_ENDPOINT_URL``. Every request that carries data also carries its
Content-MD5 and SHA-256, which the server checks before it stores anything;
after an upload the object's size, ETag and recorded SHA-256 are read back
and compared with the local file's.

Multipart uploads are driven part by part rather than through
``upload_fileobj``: only then can each part carry its own checksums and the
final ETag be predicted (see :mod:`archive.store.digests`). Each part is read from
the file when it is sent, so memory stays at one part.
"""

from __future__ import annotations

import base64
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO, cast
from urllib.parse import urlsplit

import boto3
from botocore.config import Config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    PartialCredentialsError,
    ProfileNotFound,
    ReadTimeoutError,
    SSLError,
)

from archive.errors import (
    StoreConfigError,
    StoreError,
    StoreIntegrityError,
    StoreUnavailableError,
)
from archive.store.base import (
    BUCKET_NAME,
    StoredObject,
    StoreOptions,
    mismatch,
    redact_url,
    relative_key,
)
from archive.store.digests import FileDigests

# botocore and urllib3 log signed request headers at debug level; an archive
# crawl run with LOG_LEVEL=DEBUG must not put credentials in its log.
for _name in ("boto3", "botocore", "s3transfer", "urllib3"):
    logging.getLogger(_name).setLevel(logging.WARNING)

SHA256_METADATA = "sha256"

_CREDENTIAL_CODES = {"InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken",
                     "InvalidToken", "TokenRefreshRequired", "AuthorizationHeaderMalformed"}
_DENIED_CODES = {"AccessDenied", "403", "Forbidden", "AllAccessDisabled"}
_MISSING_BUCKET_CODES = {"NoSuchBucket"}
_INTEGRITY_CODES = {"BadDigest", "InvalidDigest", "XAmzContentSHA256Mismatch",
                    "InvalidChecksum", "InvalidRequest"}
_MISSING_KEY_CODES = {"404", "NoSuchKey", "NotFound"}


class S3Store:
    def __init__(self, bucket: str, prefix: str, client: Any, *, endpoint: str | None = None,
                 options: StoreOptions | None = None) -> None:
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.client = client
        self.endpoint = endpoint
        self.options = options or StoreOptions()
        self.local_dir: Path | None = None
        self.uri = f"s3://{bucket}/{self.prefix}" if self.prefix else f"s3://{bucket}"

    @classmethod
    def from_uri(cls, uri: str, options: StoreOptions) -> S3Store:
        parts = urlsplit(uri)
        bucket, prefix = parts.netloc, parts.path.strip("/")
        if "@" in bucket:
            raise StoreConfigError(
                f"store {redact_url(uri)!r}: credentials do not belong in the store URI; "
                "set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE instead")
        if not BUCKET_NAME.match(bucket):
            raise StoreConfigError(
                f"store {redact_url(uri)!r}: {bucket!r} is not a valid bucket name "
                "(3-63 lowercase letters, digits, '.' or '-'); use s3://BUCKET/PREFIX")
        if prefix:
            relative_key(prefix)  # the prefix itself must not climb out
        endpoint = (options.endpoint_url or os.environ.get("AWS_ENDPOINT_URL_S3")
                    or os.environ.get("AWS_ENDPOINT_URL") or None)
        if endpoint and urlsplit(endpoint).scheme not in ("http", "https"):
            raise StoreConfigError(f"endpoint URL {redact_url(endpoint)!r} must start with "
                                   "http:// or https://")
        config = Config(
            connect_timeout=options.connect_timeout,
            read_timeout=options.read_timeout,
            # total_max_attempts counts the first try; botocore's max_attempts does not.
            retries={"total_max_attempts": options.request_attempts, "mode": "standard"},
            # We send our own Content-MD5 and SHA-256 as plain headers; the newer
            # default (CRC trailers in aws-chunked bodies) is not understood by
            # every S3-compatible server.
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required",
            # Custom endpoints (127.0.0.1, MinIO, Ceph) rarely resolve bucket subdomains.
            s3={"addressing_style": "path" if endpoint else "auto"},
        )
        try:
            session = boto3.session.Session()
            region = options.region or session.region_name or "us-east-1"
            client = session.client("s3", endpoint_url=endpoint, region_name=region,
                                    config=config)
        except ProfileNotFound as exc:
            raise StoreConfigError(f"{exc}: set AWS_PROFILE to a profile in ~/.aws/config "
                                   "or ~/.aws/credentials, or unset it") from None
        except (BotoCoreError, ValueError) as exc:  # a malformed config file, a bad region
            raise StoreConfigError(f"AWS configuration for {redact_url(uri)} is not usable: "
                                   f"{exc}") from None
        return cls(bucket, prefix, client, endpoint=endpoint, options=options)

    # -- keys -------------------------------------------------------------------
    def full_key(self, key: str) -> str:
        key = relative_key(key)
        return f"{self.prefix}/{key}" if self.prefix else key

    def _where(self) -> str:
        where = self.uri
        if self.endpoint:
            where += f" at {redact_url(self.endpoint)}"
        return where

    # -- ObjectStore ------------------------------------------------------------
    def check(self, *, writable: bool = True) -> None:
        """List one key under the prefix: proves endpoint, credentials and bucket.

        Writing is not tried (that would leave an object behind); a policy that
        denies PutObject shows at the first upload, which then stays pending.
        """
        try:
            self.client.list_objects_v2(Bucket=self.bucket, Prefix=self.prefix, MaxKeys=1)
        except Exception as exc:
            raise self._translate(exc, "list") from None

    def put(self, path: Path, key: str, digests: FileDigests) -> StoredObject:
        full_key = self.full_key(key)
        extra = {"Metadata": {SHA256_METADATA: digests.sha256},
                 "ContentType": _content_type(key)}
        try:
            if digests.multipart:
                self._put_multipart(path, full_key, digests, extra)
            else:
                with open(path, "rb") as body:
                    self.client.put_object(
                        Bucket=self.bucket, Key=full_key, Body=body,
                        ContentLength=digests.size, ContentMD5=digests.md5_b64,
                        ChecksumSHA256=digests.sha256_b64, **extra)
        except OSError as exc:
            raise StoreError(f"cannot read {path}: {exc.strerror or exc}") from exc
        except Exception as exc:
            raise self._translate(exc, f"upload {key}") from None
        stored = self.stat(key)
        if stored is None:
            raise StoreIntegrityError(f"{key} is missing from {self.uri} right after upload")
        problem = mismatch(stored, digests)
        if problem:
            raise StoreIntegrityError(f"{key} in {self.uri} does not match {path}: {problem}")
        return stored

    def _put_multipart(self, path: Path, full_key: str, digests: FileDigests,
                       extra: dict[str, Any]) -> None:
        upload_id = self.client.create_multipart_upload(
            Bucket=self.bucket, Key=full_key, ChecksumAlgorithm="SHA256", **extra)["UploadId"]
        try:
            sent = []
            with open(path, "rb") as handle:
                for part in digests.parts:
                    handle.seek(part.offset)
                    data = handle.read(part.size)
                    response = self.client.upload_part(
                        Bucket=self.bucket, Key=full_key, UploadId=upload_id,
                        PartNumber=part.number, Body=data,
                        ContentMD5=_b64(part.md5), ChecksumSHA256=_b64(part.sha256))
                    sent.append({"PartNumber": part.number, "ETag": response["ETag"],
                                 "ChecksumSHA256": _b64(part.sha256)})
            self.client.complete_multipart_upload(
                Bucket=self.bucket, Key=full_key, UploadId=upload_id,
                MultipartUpload={"Parts": sent})
        except BaseException:
            # Abandoned parts cost storage until a lifecycle rule removes them.
            try:
                self.client.abort_multipart_upload(Bucket=self.bucket, Key=full_key,
                                                   UploadId=upload_id)
            except Exception:  # the original failure is the one worth reporting
                pass
            raise

    def stat(self, key: str) -> StoredObject | None:
        try:
            # ChecksumMode: the SHA-256 the server computed and checked on upload.
            head = self.client.head_object(Bucket=self.bucket, Key=self.full_key(key),
                                           ChecksumMode="ENABLED")
        except ClientError as exc:
            if _code(exc) in _MISSING_KEY_CODES:
                return None
            raise self._translate(exc, f"look up {key}") from None
        except Exception as exc:
            raise self._translate(exc, f"look up {key}") from None
        metadata = {name.lower(): value for name, value in head.get("Metadata", {}).items()}
        return StoredObject(key, int(head["ContentLength"]),
                            etag=(head.get("ETag") or "").strip('"') or None,
                            sha256=metadata.get(SHA256_METADATA),
                            checksum_sha256=head.get("ChecksumSHA256"),
                            etag_is_md5=_etag_is_md5(head))

    def open(self, key: str) -> BinaryIO:
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=self.full_key(key))
        except Exception as exc:
            raise self._translate(exc, f"read {key}") from None
        return cast(BinaryIO, response["Body"])

    def read_range(self, key: str, offset: int, length: int) -> bytes:
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=self.full_key(key),
                                              Range=f"bytes={offset}-{offset + length - 1}")
            return cast(bytes, response["Body"].read())
        except Exception as exc:
            raise self._translate(exc, f"read {key}") from None

    def keys(self, under: str = "") -> Iterator[str]:
        for key, _size in self.sizes(under):
            yield key

    def sizes(self, under: str = "") -> Iterator[tuple[str, int]]:
        base = self.full_key(under) + "/" if under else (self.prefix + "/" if self.prefix else "")
        strip = len(self.prefix) + 1 if self.prefix else 0
        paginator = self.client.get_paginator("list_objects_v2")
        try:
            for page in paginator.paginate(Bucket=self.bucket, Prefix=base):
                for item in page.get("Contents", []):
                    yield item["Key"][strip:], int(item["Size"])
        except Exception as exc:
            raise self._translate(exc, "list") from None

    # -- errors -----------------------------------------------------------------
    def _translate(self, exc: BaseException, action: str) -> StoreError:
        """One line naming the problem and the fix; never credentials."""
        where = self._where()
        if isinstance(exc, StoreError):
            return exc
        if isinstance(exc, NoCredentialsError | PartialCredentialsError):
            return StoreConfigError(
                f"no AWS credentials for {where}: set AWS_ACCESS_KEY_ID and "
                "AWS_SECRET_ACCESS_KEY, or AWS_PROFILE, or run with an instance role")
        if isinstance(exc, SSLError):
            return StoreConfigError(f"TLS failed talking to {where}: does the endpoint speak "
                                    "https? (use http:// for a plain server)")
        if isinstance(exc, EndpointConnectionError | ConnectTimeoutError):
            return StoreUnavailableError(f"cannot reach {where} to {action}: "
                                         "is the endpoint URL right and the server up?")
        if isinstance(exc, ReadTimeoutError | ConnectionClosedError):
            return StoreUnavailableError(f"{where} stopped answering during {action}")
        if isinstance(exc, ClientError):
            code = _code(exc)
            status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
            if code in _CREDENTIAL_CODES:
                return StoreConfigError(
                    f"{where} rejected the credentials ({code}): check AWS_ACCESS_KEY_ID, "
                    "AWS_SECRET_ACCESS_KEY or AWS_PROFILE")
            if code in _MISSING_BUCKET_CODES or (code == "404" and action == "list"):
                return StoreConfigError(f"bucket {self.bucket!r} does not exist at "
                                        f"{redact_url(self.endpoint or 'AWS S3')}: "
                                        "create it or fix the store URI")
            if code in _DENIED_CODES:
                return StoreConfigError(
                    f"{where} denied access ({code}) to {action}: check the credentials and "
                    "that the bucket policy allows s3:ListBucket, s3:GetObject, s3:PutObject "
                    "and s3:AbortMultipartUpload")
            if code in _INTEGRITY_CODES:
                return StoreIntegrityError(f"{where} rejected {action}: checksum mismatch "
                                           f"({code}); the local file may have changed")
            if status >= 500 or code in ("SlowDown", "ServiceUnavailable", "InternalError"):
                return StoreUnavailableError(f"{where} failed to {action} ({code})")
            return StoreError(f"{where} refused to {action} ({code})")
        if isinstance(exc, BotoCoreError):
            return StoreUnavailableError(f"{where}: {action} failed ({type(exc).__name__})")
        return StoreError(f"{where}: {action} failed ({type(exc).__name__}: {exc})")


def _etag_is_md5(head: dict[str, Any]) -> bool:
    """AWS documents the ETag as the body's MD5 except under SSE-KMS and SSE-C."""
    encryption = str(head.get("ServerSideEncryption") or "")
    return not encryption.startswith("aws:kms") and not head.get("SSECustomerAlgorithm")


def _code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def _b64(digest: bytes) -> str:
    return base64.b64encode(digest).decode("ascii")


def _content_type(key: str) -> str:
    if key.endswith(".json"):
        return "application/json"
    if key.endswith(".jsonl"):
        return "application/x-ndjson"
    if key.endswith((".warc.gz", ".warc")):
        return "application/warc"
    if key.endswith(".cdxj"):
        return "text/x-cdxj"
    if key.endswith(".parquet"):
        return "application/vnd.apache.parquet"
    if key.endswith(".tar"):
        return "application/x-tar"  # a search snapshot
    return "application/octet-stream"
