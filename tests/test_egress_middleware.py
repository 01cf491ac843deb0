"""The egress guard in the downloader and in the configuration, with no network: the
middlewares' refusals and counts (the resolver stubbed), and the one-line errors of a
bad ``egress_allow`` or ``EGRESS_ALLOW``. The policy and the resolver are in
tests/test_egress.py; the crawls in tests/test_egress_crawl.py.
"""

from __future__ import annotations

from typing import Any

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest

from crawler.egress.policy import EgressPolicy, parse_allowance
from crawler.middlewares.egress import EgressGuardMiddleware, ProxyGuardMiddleware
from tests.conftest import run_cli
from tests.test_egress import StubLookup, guarded

# -- the middlewares --------------------------------------------------------------------

class Stats(dict):
    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None:
        self[key] = self.get(key, start) + count

    def get_value(self, key: str, default: Any = None) -> Any:
        return self.get(key, default)

    def set_value(self, key: str, value: Any) -> None:
        self[key] = value

    def get_stats(self) -> dict[str, Any]:
        return self


def run_now(coroutine: Any) -> Any:
    """Run a coroutine that must not wait for anything."""
    try:
        coroutine.send(None)
    except StopIteration as stop:
        return stop.value
    raise AssertionError("the middleware waited")


class TestGuardMiddleware:
    def middleware(self) -> tuple[EgressGuardMiddleware, Stats]:
        stats = Stats()
        middleware = EgressGuardMiddleware(
            EgressPolicy.for_job(["http://127.0.0.1:8080/"]), stats)
        resolver = guarded(middleware.policy, StubLookup("93.184.216.34"))
        middleware.resolver = lambda: resolver  # type: ignore[method-assign]
        return middleware, stats

    @pytest.mark.parametrize("url", [
        "http://127.0.0.1:8081/secret", "http://127.0.0.2:8080/", "http://0x7f.1:8081/",
        "http://2130706433/", "http://[::ffff:127.0.0.1]:8080/",
        "http://169.254.169.254/latest/meta-data/", "http://metadata.google.internal/",
        "file:///etc/passwd",
    ])
    def test_refused_before_a_byte_is_sent_and_counted_for_the_source(self, url):
        middleware, stats = self.middleware()
        with pytest.raises(IgnoreRequest):
            run_now(middleware.process_request(Request(url, meta={"source": "herald"})))
        assert stats["egress/blocked"] == 1
        assert stats["source/herald/skipped/private_address"] == 1
        assert stats["news/skipped/private_address"] == 1

    def test_the_jobs_own_host_passes(self):
        middleware, stats = self.middleware()
        assert run_now(middleware.process_request(Request("http://127.0.0.1:8080/a"))) is None
        assert not stats

    def test_robots_txt_is_checked_like_any_request(self):
        middleware, stats = self.middleware()
        robots = Request("http://127.0.0.2:8080/robots.txt", meta={"dont_obey_robotstxt": True})
        with pytest.raises(IgnoreRequest):
            run_now(middleware.process_request(robots))
        assert stats["egress/blocked"] == 1  # no source: counted crawl-wide only

    def test_hosts_are_named_and_logged_once(self, caplog):
        middleware, stats = self.middleware()
        for path in ("/a", "/b", "/c"):
            with pytest.raises(IgnoreRequest):
                run_now(middleware.process_request(Request(f"http://127.0.0.2:9000{path}")))
        assert stats["egress/blocked_host/127.0.0.2:9000"] == 3
        assert sum("Egress guard: refused" in r.message for r in caplog.records) == 1


class TestProxyMiddleware:
    def test_a_proxy_no_allowance_names_is_refused(self):
        stats = Stats()
        middleware = ProxyGuardMiddleware(EgressPolicy(allowances=[
            parse_allowance("proxy.corp:3128")]), stats)
        assert middleware.process_request(Request("https://news.example/",
                                                  meta={"proxy": "http://proxy.corp:3128"})
                                          ) is None
        assert middleware.process_request(Request("https://news.example/")) is None
        with pytest.raises(IgnoreRequest):
            middleware.process_request(Request(
                "https://news.example/", meta={"proxy": "http://u:secret@10.0.0.9:3128",
                                               "source": "herald"}))
        # A setting to fix, not a skip of the source's; never the credentials in a stat.
        assert stats == {"egress/proxy_refused": 1,
                         "egress/proxy_refused_host/10.0.0.9:3128": 1}


# -- configuration ----------------------------------------------------------------------

class TestConfiguration:
    def test_job_key_is_checked_and_shown(self, tmp_path):
        job = tmp_path / "j.toml"
        job.write_text('egress_allow = ["10.0.0.0/8", "cdn.internal:8443"]\n'
                       '[[sources]]\nname = "a"\nseeds = ["https://news.example/"]\n')
        result = run_cli("jobs", "check", str(job))
        assert result.returncode == 0, result.stderr
        assert "egress_allow:   10.0.0.0/8, cdn.internal:8443" in result.stdout

    @pytest.mark.parametrize(("line", "says"), [
        ('egress_allow = ["http://cdn.internal/"]', "egress_allow[0]: 'http://cdn.internal/' "
                                                    "is a URL"),
        ('egress_allow = "10.0.0.0/8"', "egress_allow: expected a list"),
        ('[settings]\nEGRESS_ALLOW = ["10.0.0.0/8"]', "set it with the job key "
                                                      "'egress_allow'"),
    ])
    def test_bad_job_key_is_one_line_exit_2(self, tmp_path, line, says):
        job = tmp_path / "j.toml"
        job.write_text(f'{line}\n[[sources]]\nname = "a"\nseeds = ["https://news.example/"]\n'
                       if not line.startswith("[") else
                       f'[[sources]]\nname = "a"\nseeds = ["https://news.example/"]\n{line}\n')
        result = run_cli("jobs", "check", str(job))
        assert result.returncode == 2
        assert says in result.stderr and len(result.stderr.strip().splitlines()) == 1

    def test_bad_setting_is_one_line_exit_2_nothing_written(self, tmp_path):
        out = tmp_path / "out"
        result = run_cli("crawl", "--seed", "http://127.0.0.1:9/", "--out", str(out),
                         "-s", "EGRESS_ALLOW=10.0.0.0/8,10.0.0.0/99")
        assert result.returncode == 2
        assert "EGRESS_ALLOW: '10.0.0.0/99' is no address range" in result.stderr
        assert "Traceback" not in result.stderr and not out.exists()
