"""Replay in pywb: a copy of the test crawl served by a real ``wayback`` on 127.0.0.1."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import socket
import stat
import sys
import urllib.error
import urllib.request
from datetime import UTC, datetime
from email.message import Message
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from archive.errors import ReplayError
from archive.replay.pywb import PYWB_ENV, ReplayServer, article_links, find_pywb
from archive.warc.cdxj import cdxj_path, write_cdxj
from tests.procnet import listening, parent_pid

_HTTP = urllib.request.build_opener(urllib.request.ProxyHandler({}))
NEVER_CAPTURED = "http://127.0.0.1:9/never-captured.html"


def fetch(url: str) -> tuple[int, Message, str]:
    """Status, headers and body (decoded by the charset pywb declares) of one GET."""
    try:
        response = _HTTP.open(url, timeout=30)
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, exc.headers, exc.read().decode("utf-8", "replace")
    with response:
        charset = response.headers.get_content_charset() or "utf-8"
        return response.status, response.headers, response.read().decode(charset, "replace")


def squash(text: str) -> str:
    return " ".join(html.unescape(text).split())


def warc_timestamp(root: Path, article: dict) -> str:
    """The WARC-Date of the record the article points at, as 14 digits."""
    with open(root / article["warc"]["file"], "rb") as handle:
        handle.seek(article["warc"]["offset"])
        record = next(iter(ArchiveIterator(handle)))
        date = record.rec_headers.get_header("WARC-Date")
    return datetime.fromisoformat(date.replace("Z", "+00:00")).strftime("%Y%m%d%H%M%S")


def children_running(name: str) -> list[int]:
    """Live child processes of this one whose command line mentions ``name``."""
    pids = []
    for proc in Path("/proc").iterdir():
        try:
            status = (proc / "status").read_text()
            cmdline = (proc / "cmdline").read_bytes()
        except OSError:
            continue
        ppid = re.search(r"^PPid:\s+(\d+)", status, re.M)
        state = re.search(r"^State:\s+(\S)", status, re.M)
        if (ppid and int(ppid.group(1)) == os.getpid() and name.encode() in cmdline
                and state and state.group(1) != "Z"):
            pids.append(int(proc.name))
    return pids


def fake_wayback(folder: Path, script: str) -> Path:
    """A stand-in ``wayback`` (a shell script) in ``folder/bin``; returns ``folder``."""
    path = folder / "bin" / "wayback"
    path.parent.mkdir(parents=True)
    path.write_text("#!/bin/sh\n" + script + "\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return folder


@pytest.fixture(scope="module")
def archive_copy(test_crawl, tmp_path_factory) -> Path:
    """The crawl as job ``testsite`` and again as ``unindexed`` (WARCs without .cdxj), under
    a path pywb would read as a template and a glob if it were handed it."""
    root = tmp_path_factory.mktemp("replay") / "news {archive} [copy]*"
    job = test_crawl.job
    shutil.copytree(test_crawl.out / "warc" / job, root / "warc" / job)
    shutil.copytree(test_crawl.out / "articles" / job, root / "articles" / job)
    for warc in (root / "warc" / job).glob("*.warc.gz"):
        if not cdxj_path(warc).exists():
            write_cdxj(warc)
    bare = root / "warc" / "unindexed"
    bare.mkdir()
    for warc in (root / "warc" / job).glob("*.warc.gz"):
        shutil.copy2(warc, bare / warc.name)
    (root / "articles" / "unindexed").mkdir()
    lines = [json.dumps({**article, "warc": {**article["warc"], "file": article["warc"]["file"]
                                            .replace(f"warc/{job}/", "warc/unindexed/")}})
             for article in test_crawl.articles()]
    (root / "articles" / "unindexed" / "part.jsonl").write_text("\n".join(lines) + "\n")
    return root


@pytest.fixture(scope="module")
def server(pywb_bin, archive_copy):
    with ReplayServer(archive_copy, pywb=pywb_bin) as running:
        yield running


@pytest.mark.pywb
class TestArticles:
    @pytest.mark.parametrize("job", ["testsite", "unindexed"])
    def test_every_article_replays_its_own_capture(self, server, archive_copy, test_crawl, job):
        links = list(article_links(server, job))
        articles = test_crawl.articles()
        assert len(links) == len(articles) > 0
        for article, link in zip(articles, links, strict=True):
            assert link.timestamp == warc_timestamp(test_crawl.out, article)
            status, headers, _ = fetch(link.replay_url)
            assert status == 200, link.replay_url
            assert headers.get_content_type() == "text/html"
            status, headers, body = fetch(link.raw_url)
            assert status == 200, link.raw_url
            assert squash(article["title"]) in squash(body), link.raw_url
            captured = datetime.strptime(link.timestamp, "%Y%m%d%H%M%S").replace(tzinfo=UTC)
            assert headers["Memento-Datetime"] == captured.strftime("%a, %d %b %Y %H:%M:%S GMT")

    def test_archive_read_in_place_and_left_untouched(self, server, archive_copy):
        assert not list((archive_copy / "warc" / "unindexed").glob("*.cdxj"))
        for job, folder in server.collections.items():
            links = sorted(folder.glob("*.warc.gz"))
            assert links and all(link.is_symlink() for link in links)
            assert {link.resolve() for link in links} == {
                warc.resolve() for warc in (archive_copy / "warc" / job).glob("*.warc.gz")}

    def test_articles_given_explicitly(self, server, test_crawl):
        [article] = test_crawl.articles()[:1]
        [link] = article_links(server, "testsite", [article, {"title": "no url"}])
        assert link.title == article["title"]
        assert link.replay_url == f"{server.base_url}/testsite/{link.timestamp}/{article['url']}"
        assert link.raw_url == f"{server.base_url}/testsite/{link.timestamp}id_/{article['url']}"


@pytest.mark.pywb
class TestNotCaptured:
    def test_uncaptured_url_is_404(self, server):
        status, _, body = fetch(server.raw_url("testsite", "20200101000000", NEVER_CAPTURED))
        assert status == 404
        assert "URL Not Found" in body
        # Framed replay: the banner page is served for any URL, its content frame is not.
        frame = server.replay_url("testsite", "20200101000000", NEVER_CAPTURED)
        assert fetch(frame.replace("/20200101000000/", "/20200101000000mp_/"))[0] == 404

    def test_unknown_collection_is_404(self, server):
        assert fetch(f"{server.base_url}/nosuchjob/20200101000000id_/{NEVER_CAPTURED}")[0] == 404

    def test_bad_arguments(self, server):
        with pytest.raises(ReplayError, match="not being replayed"):
            server.replay_url("nosuchjob", "", NEVER_CAPTURED)
        with pytest.raises(ReplayError, match="14 digits"):
            server.raw_url("testsite", "2020-01-01", NEVER_CAPTURED)
        with pytest.raises(ReplayError, match="not being replayed"):
            article_links(server, "nosuchjob")


@pytest.mark.pywb
class TestListening:
    def test_only_on_loopback(self, server):
        assert server.base_url.startswith("http://127.0.0.1:")
        sockets = listening(server.pid)
        assert ("127.0.0.1", int(server.base_url.rsplit(":", 1)[1])) in sockets
        # The second listener is pywb's internal index server, bound to localhost.
        assert all(address in ("127.0.0.1", "::1") for address, _ in sockets), sockets


class TestFindPywb:
    def test_default_is_beside_this_venv(self, tmp_path, monkeypatch):
        monkeypatch.delenv(PYWB_ENV, raising=False)
        monkeypatch.setattr(sys, "prefix", str(tmp_path / ".venv"))
        with pytest.raises(ReplayError, match=r"\.venv-pywb not found\): run `make pywb`"):
            find_pywb()
        fake = fake_wayback(tmp_path / ".venv-pywb", "exit 0")
        assert find_pywb() == fake / "bin"

    def test_bogus_environment_variable(self, tmp_path, monkeypatch):
        monkeypatch.setenv(PYWB_ENV, str(tmp_path / "nope"))
        with pytest.raises(ReplayError, match=f"{PYWB_ENV}=.*nope.*make pywb"):
            find_pywb()

    @pytest.mark.pywb
    def test_explicit_venv_or_bin(self, pywb_bin, tmp_path):
        assert find_pywb(pywb_bin.parent) == pywb_bin
        assert find_pywb(pywb_bin) == pywb_bin
        with pytest.raises(ReplayError, match="make pywb"):
            find_pywb(tmp_path)


class TestStartupFailures:
    def test_pywb_dying_reports_its_log(self, archive_copy, tmp_path):
        fake = fake_wayback(tmp_path, "echo 'boom: no such thing' >&2; exit 3")
        with pytest.raises(ReplayError, match=r"(?s)exit code 3.*boom: no such thing"):
            ReplayServer(archive_copy, pywb=fake).start()

    def test_pywb_never_answering_times_out_and_is_killed(self, archive_copy, tmp_path):
        fake = fake_wayback(tmp_path, "echo starting >&2; exec sleep 60")
        server = ReplayServer(archive_copy, pywb=fake, startup_timeout=0.5)
        with pytest.raises(ReplayError, match=r"(?s)did not answer.*starting"):
            server.start()
        assert server.pid is None
        assert not children_running("sleep")

    @pytest.mark.pywb
    def test_port_taken(self, pywb_bin, archive_copy):
        with socket.socket() as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen()
            port = taken.getsockname()[1]
            with pytest.raises(ReplayError, match=f"port {port} on 127.0.0.1 is taken"):
                ReplayServer(archive_copy, pywb=pywb_bin, port=port).start()

    @pytest.mark.pywb
    def test_nothing_to_replay(self, pywb_bin, tmp_path):
        with pytest.raises(ReplayError, match=r"nothing to replay.*newsarchive crawl"):
            ReplayServer(tmp_path, pywb=pywb_bin).start()

    @pytest.mark.pywb
    def test_unknown_job(self, pywb_bin, archive_copy):
        with pytest.raises(ReplayError, match=r"'other' has no WARC.*testsite, unindexed"):
            ReplayServer(archive_copy, jobs=["other"], pywb=pywb_bin).start()


@pytest.mark.pywb
class TestUnframedServer:
    def test_serves_the_capture_itself_then_stops_cleanly(self, pywb_bin, archive_copy,
                                                          test_crawl, monkeypatch):
        # pywb 2.10 warns on import; with warnings as errors it would not start unless
        # the server quiets them in its environment.
        monkeypatch.setenv("PYTHONWARNINGS", "error")
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        server = ReplayServer(archive_copy, jobs=["testsite"], port=port, pywb=pywb_bin,
                              framed=False)
        with server:
            assert server.base_url == f"http://127.0.0.1:{port}"
            assert list(server.collections) == ["testsite"]
            article = test_crawl.articles()[0]
            [link] = article_links(server, "testsite", [article])
            status, headers, body = fetch(link.replay_url)
            assert status == 200
            assert squash(article["title"]) in squash(body)
            # pywb's default policy keeps a replayed page from loading anything live.
            assert "default-src 'unsafe-eval' 'unsafe-inline' 'self'" in \
                headers["Content-Security-Policy"]
            assert fetch(server.replay_url("testsite", link.timestamp, NEVER_CAPTURED))[0] == 404
            pid, work, log = server.pid, server.collection("testsite").parent.parent, \
                server.log_path
            assert "Warning" not in log.read_text()
        assert server.pid is None
        assert pid not in children_running("wayback")
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
        assert not work.exists()


class TestArticleTimestamp:
    def test_falls_back_on_fetched_at(self):
        from archive.replay._links import article_timestamp

        captures = {("a.warc.gz", 10): "20240102030405"}
        pointed = {"warc": {"file": "warc/j/a.warc.gz", "offset": 10}}
        assert article_timestamp(pointed, captures) == "20240102030405"
        elsewhere = {"warc": {"file": "warc/j/a.warc.gz", "offset": 11},
                     "fetched_at": "2024-01-02T05:04:05+02:00"}
        assert article_timestamp(elsewhere, captures) == "20240102030405"
        assert article_timestamp({"fetched_at": "2024-01-02T03:04:05"}, {}) == "20240102030405"
        assert article_timestamp({}, captures) == ""


@pytest.mark.pywb
class TestReplayCommand:
    def test_prints_each_articles_replay_url_and_stops_pywb_with_itself(self, test_crawl):
        import signal
        import subprocess

        from tests.conftest import NEWSARCHIVE, ROOT

        process = subprocess.Popen(
            [*NEWSARCHIVE, "replay", "--out", str(test_crawl.out), "--limit", "2"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)})
        try:
            assert process.stdout is not None
            header = process.stdout.readline()
            assert header.startswith(f"Replaying {test_crawl.job} at http://127.0.0.1:"), \
                header + (process.stderr.read() if process.poll() is not None else "")
            titles = {a["url"]: a["title"] for a in test_crawl.articles()}
            for _ in range(2):
                title, url = process.stdout.readline().strip(), process.stdout.readline().strip()
                original = url.split("/", 5)[5]
                assert titles[original] == title
                status, _, _ = fetch(url)
                assert status == 200
            pywb = [pid for pid in os.listdir("/proc") if pid.isdigit()
                    and parent_pid(int(pid)) == process.pid]
            assert pywb, "pywb runs as a child of newsarchive replay"
        finally:
            process.send_signal(signal.SIGTERM)
            _, errors = process.communicate(timeout=30)
        assert process.returncode == 0, errors
        assert "Replay stopped." in errors
        assert all(not Path(f"/proc/{pid}").exists() for pid in pywb)

