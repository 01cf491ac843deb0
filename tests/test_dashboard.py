"""``newsarchive dashboard`` over HTTP: the Host check, GET only, the security
headers, escaping of what crawled pages wrote, and each page's figures, over a
real crawl of the test site (the browser test is tests/test_dashboard_browser.py)."""

from __future__ import annotations

import html
import http.client
import json
import re
import shutil
import socket
import subprocess
import time
from html import unescape
from urllib.parse import urlencode

import pytest

from archive.dashboard import Dashboard, DashboardServer, Source
from archive.dashboard.server import CONTENT_SECURITY_POLICY
from tests.conftest import NEWSARCHIVE, ROOT, run_cli
from tests.dashboardarchive import PLANTED_TITLE, dashboard_archive


@pytest.fixture(scope="module")
def archive(test_crawl, tmp_path_factory):
    return dashboard_archive(test_crawl.out, test_crawl.job,
                             tmp_path_factory.mktemp("dashboard") / "archive")


@pytest.fixture(scope="module")
def server(archive):
    out, _planted = archive
    with DashboardServer(Dashboard(Source(out), replay_port=8091), port=0) as running:
        yield running


def get(server, path, *, host=None, method="GET"):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    connection.putrequest(method, path, skip_host=True)
    connection.putheader("Host", host if host is not None else f"127.0.0.1:{server.port}")
    connection.endheaders()
    response = connection.getresponse()
    body = response.read().decode("utf-8")
    connection.close()
    return response, body


def article_path(kind, article):
    return f"/{kind}?" + urlencode({"job": article["job"], "url": article["url"]})


class TestHostAndMethods:
    @pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "LOCALHOST:{port}"])
    def test_own_host_names_are_served(self, server, host):
        response, _ = get(server, "/", host=host.format(port=server.port))
        assert response.status == 200

    @pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "127.0.0.1",
                                      "127.0.0.1:1", "", "localhost.evil.example:{port}"])
    def test_other_hosts_are_refused(self, server, host):
        # A rebound DNS name reaches the same socket with its own name in Host.
        response, body = get(server, "/", host=host.format(port=server.port))
        assert response.status == 421
        assert "testsite" not in body

    @pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS",
                                        "BREW"])
    def test_only_get(self, server, method):
        response, _ = get(server, "/", method=method)
        assert response.status == 405
        assert response.getheader("Allow") == "GET"

    def test_listens_on_loopback_only(self, server):
        assert server.httpd.server_address[0] == "127.0.0.1"


class TestHeaders:
    @pytest.mark.parametrize("path", ["/", "/static/dashboard.css", "/nowhere"])
    def test_strict_headers_on_every_answer(self, server, path):
        response, _ = get(server, path)
        csp = response.getheader("Content-Security-Policy")
        assert csp == CONTENT_SECURITY_POLICY
        assert "script-src" not in csp and "default-src 'none'" in csp
        assert "frame-ancestors 'none'" in csp
        assert response.getheader("X-Content-Type-Options") == "nosniff"

    def test_static_files_cannot_climb_out(self, server):
        for path in ("/static/../app.py", "/static/%2e%2e/app.py", "/static/app.py"):
            response, _ = get(server, path)
            assert response.status == 404


class TestPages:
    def test_overview_shows_the_jobs_figures(self, server, archive, test_crawl):
        response, body = get(server, "/")
        assert response.status == 200
        assert 'data-job="testsite"' in body
        count = len(test_crawl.articles()) + 1  # the planted one
        figure = re.search(r'<span class="value">(\d+)</span><span class="name">articles<', body)
        assert figure and int(figure.group(1)) == count
        runs = re.search(r'<span class="value">(\d+)</span><span class="name">runs<', body)
        assert runs and int(runs.group(1)) == 1
        assert body.count('class="bar"') >= 1 and 'data-chart="runs"' in body
        report = json.loads(next((archive[0] / "manifests").glob("*.report.json")).read_text())
        assert f"<td>{report['counts']['pages_fetched']}</td>" in body

    def test_planted_markup_is_text(self, server):
        _, body = get(server, "/")
        assert "<script" not in body.lower() and "<img" not in body.lower()
        assert "&lt;script&gt;window.pwned = 1&lt;/script&gt;" in body
        assert "Planted &amp; dangerous" in body

    def test_article_record(self, server, archive):
        _out, planted = archive
        response, body = get(server, article_path("article", planted))
        assert response.status == 200
        assert "<script" not in body.lower()
        record = re.search(r'<pre class="record">(.*?)</pre>', body, re.S)
        assert record and json.loads(unescape(record.group(1)))["title"] == PLANTED_TITLE

    def test_capture_as_show_prints_it(self, server, test_crawl):
        article = test_crawl.articles()[0]
        response, body = get(server, article_path("capture", article))
        assert response.status == 200
        shown = run_cli("show", article["url"], "--out", str(test_crawl.out))
        capture = unescape(re.search(r'<pre class="capture">(.*?)</pre>', body, re.S).group(1))
        # The same record, status line and headers as `newsarchive show` prints.
        assert capture.splitlines()[0] == next(line for line in shown.stdout.splitlines()
                                               if line.startswith("--- capture:"))
        assert "WARC-Type: response" in capture and "HTTP/1.1 200" in capture
        assert f"WARC-Target-URI: {article['url']}" in capture

    def test_replay_link_names_the_capture(self, server, test_crawl):
        article = test_crawl.articles()[0]
        _, body = get(server, "/")
        links = re.findall(r'<a class="replay" href="([^"]+)"', body)
        wanted = re.compile(r"http://127\.0\.0\.1:8091/testsite/\d{14}/"
                            + re.escape(article["url"]) + "$")
        assert any(wanted.match(unescape(link)) for link in links)
        assert "newsarchive replay --out" in body and "--port 8091" in body

    @pytest.mark.parametrize("query", ["", "job=testsite", "job=testsite&url=http://nowhere/"])
    def test_unknown_article(self, server, query):
        response, _ = get(server, f"/article?{query}")
        assert response.status in (400, 404)

    def test_health_and_alerts_of_newer_reports_are_drawn(self, tmp_path, archive):
        out, _planted = archive
        copy = tmp_path / "archive"
        shutil.copytree(out, copy)
        [path] = (copy / "manifests").glob("*.report.json")
        report = json.loads(path.read_text())
        source = next(iter(report["sources"]))
        for n, share in enumerate((0.9, 0.2)):
            later = {**report, "crawl_id": f"2099010{n + 1}T000000Z",
                     "started": f"2099-01-0{n + 1}T00:00:00+00:00", "exit_status": n,
                     "counts": {**report["counts"], "blocked_pages": {"total": 7 * n}},
                     "health": {source: {"dated_share": share, "authored_share": 0.5}},
                     "alerts": [{"source": source, "signal": "dated_share", "value": share,
                                 "baseline": 0.9, "runs": 1,
                                 "message": f"{source}: dated share fell <b>"}] if n else []}
            (copy / "manifests" / f"testsite-2099010{n + 1}T000000Z.report.json").write_text(
                json.dumps(later))
        with DashboardServer(Dashboard(Source(copy)), port=0) as running:
            _, body = get(running, "/")
        assert body.count('class="alert-mark"') == 1
        assert "dated share fell &lt;b&gt;" in body
        assert "<td>7</td>" in body  # the blocked pages of the last run
        assert 'class="run exit-1"' in body
        # Flags and files waiting are collect_status's (what `newsarchive status` says).
        flagged = re.search(r'<li class="flagged">Flagged: (.*?)</li>', body).group(1)
        assert f"testsite/{source}" in flagged
        row = re.search(r'<table class="sources">.*?<tbody><tr><td>(.*?)</td><td>(.*?)</td>', body)
        assert row and row.groups() == (source, "drift")
        assert '<div class="figure" data-figure="files waiting">' in body


class TestCommand:
    def test_not_an_archive(self, tmp_path):
        result = run_cli("dashboard", "--out", str(tmp_path / "none"), "--port", "0")
        assert result.returncode == 2
        assert result.stderr.count("\n") == 1 and "not an archive directory" in result.stderr

    def test_port_taken(self, archive):
        with socket.socket() as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen()
            result = run_cli("dashboard", "--out", str(archive[0]), "--port",
                             str(taken.getsockname()[1]))
        assert result.returncode == 2
        assert result.stderr.count("\n") == 1 and "choose another --port" in result.stderr

    def test_unreachable_redis_is_a_usage_error(self, archive):
        with socket.socket() as closed:
            closed.bind(("127.0.0.1", 0))
            port = closed.getsockname()[1]
        result = run_cli("dashboard", "--out", str(archive[0]), "--port", "0",
                         "--redis", f"redis://127.0.0.1:{port}/0")
        assert result.returncode == 2
        assert result.stderr.count("\n") == 1 and result.stderr.startswith(
            "newsarchive dashboard: error:")

    def test_serves_until_interrupted(self, archive):
        process = subprocess.Popen([*NEWSARCHIVE, "dashboard", "--out", str(archive[0]),
                                    "--port", "0"], cwd=ROOT, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)
        try:
            line = process.stdout.readline()
            url = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
            assert url, line
            connection = http.client.HTTPConnection("127.0.0.1", int(url.group(1)), timeout=30)
            connection.request("GET", "/")
            assert connection.getresponse().status == 200
            connection.close()
        finally:
            process.terminate()
            deadline = time.monotonic() + 10
            while process.poll() is None and time.monotonic() < deadline:
                time.sleep(0.05)
        assert process.returncode == 0
        assert "Traceback" not in process.stderr.read()
        process.stdout.close()
        process.stderr.close()



@pytest.mark.redis
class TestWorkers:
    def test_shows_what_workers_prints(self, archive, redis_url):
        from archive.state.redisconn import connect
        from crawler.cli.dashboard import _workers_view
        from crawler.distributed.coordination import DistributedCrawl

        client = connect(redis_url)
        crawl = DistributedCrawl(client, "testsite", "worker-<b>1</b>", heartbeat_ttl=30)
        crawl.join("C1", {"pid": 1})
        # redis_url is a fresh database for each test: nothing to clean up.
        with DashboardServer(Dashboard(Source(archive[0]), workers=_workers_view(redis_url, None)),
                             port=0) as running:
            _, body = get(running, "/")
        client.close()
        workers = unescape(re.search(r'<pre class="workers">(.*?)</pre>', body, re.S).group(1))
        assert workers.startswith("job testsite: crawl C1, running since")
        assert "worker-<b>1</b>" in workers and "<b>" not in body


@pytest.mark.pywb
def test_replay_links_open_the_capture_in_pywb(test_crawl):
    """The dashboard's replay link, followed once `newsarchive replay --port N` runs,
    answers with the very capture (pywb from .venv-pywb)."""
    from archive.replay.pywb import ReplayServer
    from tests.test_replay import fetch

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    article = test_crawl.articles()[0]
    with DashboardServer(Dashboard(Source(test_crawl.out), replay_port=port), port=0) as running:
        _, body = get(running, "/")
    link = next(unescape(found) for found in re.findall(r'<a class="replay" href="([^"]+)"', body)
                if unescape(found).endswith(article["url"]))
    stamp = re.search(r"/testsite/(\d{14})/", link).group(1)
    with ReplayServer(test_crawl.out, port=port):
        status, _, frame = fetch(link)
        # The capture itself, unframed: pywb's id_ form of the same address.
        raw_status, _, raw = fetch(link.replace(f"/{stamp}/", f"/{stamp}id_/"))
    assert status == 200 and f'"{stamp}"' in frame
    assert raw_status == 200 and html.escape(article["title"]) in raw
