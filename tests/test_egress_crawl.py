"""End to end: a crawl of a site whose pages, feeds, sitemaps, robots.txt and redirects
point at other loopback addresses and ports makes no connection there.

The site (tests/sites/egress.py) is on 127.0.0.1:PORT; the places it points at are
traps that record every connection: 127.0.0.1 on another port, and 127.0.0.2. The job
puts every port of 127.0.0.1 in its source's scope (``allowed_domains =
["127.0.0.1"]``), so that the links to the trap are followed as far as scope goes and
it is the egress guard that stops them. A name, ``rebind.test``, answers the guard's
check with an allowed address and the connection with a trap's (a stub resolver,
no DNS): the connection is not made either.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from tests.conftest import NEWSARCHIVE, ROOT, run_cli
from tests.sites.egress import ConnectionTrap, serve_elsewhere, serve_site

FAST = """
[settings]
DOWNLOAD_TIMEOUT = 5
DOWNLOAD_DELAY = 0
AUTOTHROTTLE_ENABLED = false
POLITENESS_BACKOFF_DELAY = 0.05
# rebind.test's robots.txt gets no answer (its connection is refused): ask once more
# soon, rather than wait a polite minute for a host that cannot be reached.
ROBOTSTXT_RETRY_TIMES = 1
ROBOTSTXT_RETRY_DELAY = 0.1
"""


@dataclass
class Run:
    out: Path
    job: str
    returncode: int
    output: str

    def report(self) -> dict:
        [path] = (self.out / "manifests").glob(f"{self.job}-*.report.json")
        return json.loads(path.read_text("utf-8"))

    def responses(self) -> dict[str, str]:
        """{target URI: status} of every WARC response record."""
        found = {}
        for path in sorted((self.out / "warc" / self.job).glob("*.warc.gz")):
            with path.open("rb") as stream:
                for record in ArchiveIterator(stream):
                    if record.rec_type == "response":
                        found[record.rec_headers.get_header("WARC-Target-URI")] = \
                            record.http_headers.get_statuscode()
        return found

    def articles(self) -> list[dict]:
        rows = []
        for part in sorted((self.out / "articles" / self.job).glob("*.jsonl")):
            rows += [json.loads(line) for line in part.read_text("utf-8").splitlines() if line]
        return rows


def crawl(tmp: Path, job_text: str, *args: str, env: dict[str, str] | None = None) -> Run:
    job = tmp / "job.toml"
    job.write_text(job_text, encoding="utf-8")
    out = tmp / "archive"
    if env is None:
        result = run_cli("crawl", str(job), "--out", str(out), *args)
    else:
        import subprocess
        result = subprocess.run([*NEWSARCHIVE, "crawl", str(job), "--out", str(out), *args],
                                capture_output=True, text=True, cwd=ROOT, timeout=300,
                                env={**env, "PYTHONPATH": str(ROOT)}, check=False)
    return Run(out, "egress", result.returncode, result.stdout + result.stderr)


@pytest.fixture(scope="module")
def traps() -> Iterator[tuple[ConnectionTrap, ...]]:
    trap, far = ConnectionTrap("127.0.0.1"), ConnectionTrap("127.0.0.2")
    # Where rebind.test's answer to the check points: a connection here would mean the
    # crawler connected to the address it checked but not the one it was given.
    decoy = ConnectionTrap("127.0.0.3", far.port)
    yield trap, far, decoy
    for t in (trap, far, decoy):
        t.close()


@pytest.fixture(scope="module")
def guarded(traps, tmp_path_factory):
    trap, far, _ = traps
    site = serve_site(trap, far)
    try:
        run = crawl(tmp_path_factory.mktemp("guarded"), f"""
name = "egress"
egress_allow = ["127.0.0.3"]
{FAST}
EGRESS_DNS_RESOLVER = "tests.sites.egress.RebindingResolver"

[[sources]]
name = "local"
seeds = ["{site.base}/"]
# Every port of 127.0.0.1 (and rebind.test) is in scope: scope never allows egress.
allowed_domains = ["127.0.0.1", "rebind.test"]
feeds = ["{site.base}/feed.xml"]
sitemaps = ["{site.base}/sitemap-index.xml"]
""")
        yield run, site
    finally:
        site.shutdown()


class TestNoConnection:
    def test_no_trap_sees_a_connection(self, guarded, traps):
        run, _ = guarded
        assert [t.connections for t in traps] == [[], [], []], run.output[-3000:]

    def test_the_site_itself_is_crawled_and_the_run_is_complete(self, guarded):
        run, site = guarded
        assert run.returncode == 0, run.output[-3000:]
        assert "Traceback" not in run.output
        assert {"/story-1/", "/story-2/", "/story-3/"} <= set(site.hits())

    def test_refusals_are_counted_for_the_source_and_named(self, guarded, traps):
        run, _ = guarded
        trap, far, _ = traps
        report = run.report()
        # A link, a sitemap entry, a feed entry and a discovered feed to the trap; two
        # robots.txt Sitemap: lines, two child sitemaps and three redirects.
        assert report["sources"]["local"]["skipped/private_address"] == 11
        assert report["counts"]["skipped"]["private_address"] == 11
        assert report["counts"]["blocked"]["private_address"] == 11
        hosts = report["counts"]["blocked"]["hosts"]
        assert {f"127.0.0.1:{trap.port}", f"127.0.0.2:{far.port}", f"0x7f.1:{trap.port}",
                f"2130706433:{trap.port}", f"017700000001:{trap.port}",
                f"[::ffff:7f00:1]:{trap.port}"} == set(hosts)
        assert "Blocked: private address: 11 request(s), to " in run.output
        assert f"127.0.0.2:{far.port}" in run.output.split("Blocked: private address:")[1]

    def test_each_host_is_logged_once(self, guarded, traps):
        run, _ = guarded
        trap, _, _ = traps
        refusals = [line for line in run.output.splitlines() if "Egress guard: refused" in line]
        assert len(refusals) == 6
        assert sum(f"(127.0.0.1:{trap.port}: loopback)" in line for line in refusals) == 1

    def test_the_redirects_themselves_are_archived(self, guarded):
        run, site = guarded
        responses = run.responses()
        for path in ("/away-private", "/away-octal", "/away-mapped"):
            assert responses[site.url(path)] == "302"

    def test_a_name_that_turns_private_is_not_connected_to(self, guarded, traps):
        run, _ = guarded
        _, far, decoy = traps
        assert far.connections == [] and decoy.connections == []
        assert f"Egress guard: not connecting to rebind.test:{far.port} at 127.0.0.2" \
            in run.output


@pytest.fixture(scope="module")
def redirected(traps, tmp_path_factory):
    trap, far, _ = traps
    home: list[str] = []
    elsewhere = serve_elsewhere(lambda: home[0])
    site = serve_site(trap, far, elsewhere)
    home.append(site.base)
    try:
        run = crawl(tmp_path_factory.mktemp("redirected"), f"""
name = "egress"
egress_allow = ["127.0.0.1:{elsewhere.base.rsplit(':', 1)[1]}"]
{FAST}

[[sources]]
name = "local"
seeds = ["{site.base}/"]
""")
        yield run, site, elsewhere
    finally:
        site.shutdown()
        elsewhere.shutdown()


class TestRedirectsOutOfScope:
    """One hop out of the source's hosts is followed and archived, not read; a second
    is not followed; an egress allowance does not widen the scope."""

    def test_one_hop_out_is_followed_and_archived(self, redirected):
        run, _, elsewhere = redirected
        assert run.returncode == 0, run.output[-3000:]
        assert run.responses()[elsewhere.url("/landing")] == "200"
        assert {"/landing", "/hop1"} <= set(elsewhere.hits())

    def test_the_page_it_lands_on_is_not_read(self, redirected):
        run, site, elsewhere = redirected
        assert not {"/landing-link/"} & set(elsewhere.hits())
        assert not {"/from-landing/", "/landing-feed.xml"} & set(site.hits())
        assert all(not a["url"].startswith(elsewhere.base) for a in run.articles())

    def test_a_second_hop_out_is_not_followed(self, redirected):
        run, _, elsewhere = redirected
        assert "/hop2" not in elsewhere.hits()
        assert run.report()["sources"]["local"]["skipped/scope"] >= 1

    def test_an_allowance_is_no_scope(self, redirected):
        _, _, elsewhere = redirected
        assert "/linked-elsewhere/" not in elsewhere.hits()
        assert set(elsewhere.hits()) <= {"/robots.txt", "/landing", "/hop1"}

    def test_a_redirect_to_a_private_address_is_still_refused(self, redirected, traps):
        run, _, _ = redirected
        assert [t.connections for t in traps] == [[], [], []]
        assert run.report()["sources"]["local"]["skipped/private_address"] >= 3


class TestProxy:
    """HTTP_PROXY is no way around the guard: a proxy is used only when an allowance
    names it."""

    @pytest.fixture
    def proxy_env(self, tmp_path):
        proxy = ConnectionTrap("127.0.0.1")
        env = {k: v for k, v in os.environ.items()
               if k.lower() not in ("http_proxy", "https_proxy", "no_proxy", "all_proxy")}
        env["http_proxy"] = f"http://127.0.0.1:{proxy.port}"
        trap, far = ConnectionTrap("127.0.0.1"), ConnectionTrap("127.0.0.2")
        site = serve_site(trap, far)
        yield proxy, env, site
        site.shutdown()
        for t in (proxy, trap, far):
            t.close()

    def job(self, site_base: str, allow: str = "") -> str:
        return f"""
name = "egress"
{allow}
{FAST}

[[sources]]
name = "local"
seeds = ["{site_base}/"]
"""

    def test_an_unnamed_proxy_gets_no_connection(self, proxy_env, tmp_path):
        proxy, env, site = proxy_env
        run = crawl(tmp_path, self.job(site.base), env=env)
        assert proxy.connections == []
        # Nothing could be fetched until the proxy is allowed or unset: exit 1, saying so.
        assert run.returncode == 1 and "Traceback" not in run.output, run.output[-3000:]
        assert f"(127.0.0.1:{proxy.port}: proxy not allowed)" in run.output
        assert re.search(rf"Blocked: proxy not allowed: \d+ request\(s\), through "
                         rf"127.0.0.1:{proxy.port}\n", run.output)
        report = run.report()
        assert report["counts"]["blocked"]["proxies"] == [f"127.0.0.1:{proxy.port}"]
        assert any(f"proxy 127.0.0.1:{proxy.port} is not allowed" in problem
                   for problem in report["problems"])

    def test_a_proxy_the_job_allows_is_used(self, proxy_env, tmp_path):
        proxy, env, site = proxy_env
        run = crawl(tmp_path, self.job(site.base, f'egress_allow = ["127.0.0.1:{proxy.port}"]'),
                    env=env)
        assert proxy.connections, run.output[-3000:]
        assert "Traceback" not in run.output
