"""Bad input gets one clear line, exit status 2, and nothing written."""

from __future__ import annotations

import socket

import pytest

from tests.conftest import run_cli


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def one_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    return lines[0]


class TestUsageErrors:
    @pytest.mark.parametrize("seed", ["not a url", "ftp://example.com/", "http://", "example.com"])
    def test_malformed_seed(self, tmp_path, seed):
        result = run_cli("crawl", "--seed", seed, "--out", str(tmp_path / "out"))
        assert result.returncode == 2
        assert "malformed seed URL" in one_line(result.stderr)
        assert not (tmp_path / "out").exists()

    def test_no_seed(self, tmp_path):
        result = run_cli("crawl", "--out", str(tmp_path / "out"))
        assert result.returncode == 2
        assert "--seed" in one_line(result.stderr)

    def test_unreachable_seed_fails_its_source_not_the_run(self, tmp_path):
        """A seed host that is down is a passing fault (issue 18): exit 1, not 2; the
        crawl ran, and its source is named as failed (tests/test_faults.py for more)."""
        port = free_port()
        result = run_cli("crawl", "--seed", f"http://127.0.0.1:{port}/",
                         "--out", str(tmp_path / "out"), "-s", "RETRY_TIMES=0",
                         "-s", "ROBOTSTXT_RETRY_TIMES=0")
        assert result.returncode == 1, result.stderr[-3000:]
        assert f"failed: connection refused (127.0.0.1:{port})" in result.stderr
        assert "Traceback" not in result.stderr
        assert list((tmp_path / "out" / "manifests").glob("*.report.json"))

    def test_unwritable_out(self, tmp_path):
        blocker = tmp_path / "a-file"
        blocker.write_text("not a directory")
        result = run_cli("crawl", "--seed", "http://127.0.0.1:9/", "--out", str(blocker / "out"))
        assert result.returncode == 2
        assert "output directory" in one_line(result.stderr)
        assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]

    def test_out_on_read_only_filesystem(self):
        result = run_cli("crawl", "--seed", "http://127.0.0.1:9/", "--out", "/proc/newsarchive")
        assert result.returncode == 2
        assert "not writable" in one_line(result.stderr)

    @pytest.mark.parametrize("args", [["-s", "NOEQUALS"], ["--max-pages", "0"],
                                      ["--max-pages", "many"], ["--job", "../escape"]])
    def test_bad_options(self, tmp_path, args):
        result = run_cli("crawl", "--seed", "http://127.0.0.1:9/",
                         "--out", str(tmp_path / "out"), *args)
        assert result.returncode == 2
        one_line(result.stderr)
        assert not (tmp_path / "out").exists()

    @pytest.mark.parametrize(("value", "expected"), [
        ("0", "argument --max-pages: must be at least 1, got 0"),
        ("many", "argument --max-pages: expected a whole number (at least 1), got 'many'"),
    ])
    def test_max_pages_range(self, tmp_path, value, expected):
        result = run_cli("crawl", "--seed", "http://127.0.0.1:9/",
                         "--out", str(tmp_path / "out"), "--max-pages", value)
        assert result.returncode == 2
        assert expected in one_line(result.stderr)

    @pytest.mark.parametrize(("setting", "expected"), [
        ("EXTRACT_PROCESSES=-1", "EXTRACT_PROCESSES expects 0 (one per core)"),
        ("EXTRACT_PROCESSES=abc", "EXTRACT_PROCESSES expects 0 (one per core)"),
        ("EXTRACT_TIMEOUT=0", "EXTRACT_TIMEOUT expects a number of seconds above 0"),
        ("EXTRACT_ENABLED=maybe", "EXTRACT_ENABLED expects true or false"),
        ("EXTRACT_INLINE=1.5", "EXTRACT_INLINE expects true or false"),
        ("WARC_COMPRESS_LEVEL=12", "WARC_COMPRESS_LEVEL expects a zlib level from 0"),
        ("CONCURRENT_ITEMS=0", "CONCURRENT_ITEMS expects 1 or more"),
        ("WARC_COMPRESS_LEVEL=4.0", "WARC_COMPRESS_LEVEL expects a zlib level from 0"),
        ("EXTRACT_PROCESSES=nan", "EXTRACT_PROCESSES expects 0 (one per core)"),
        ("EXTRACT_TIMEOUT=nan", "EXTRACT_TIMEOUT expects a number"),
        ("DOWNLOAD_DELAY=inf", "DOWNLOAD_DELAY expects a number"),
    ])
    def test_out_of_range_settings(self, tmp_path, setting, expected):
        result = run_cli("crawl", "--seed", "http://127.0.0.1:9/",
                         "--out", str(tmp_path / "out"), "-s", setting)
        assert result.returncode == 2
        assert expected in one_line(result.stderr)
        assert not (tmp_path / "out").exists()

    def test_unknown_command(self):
        result = run_cli("fly")
        assert result.returncode == 2
        assert "invalid choice" in one_line(result.stderr)


class TestHelp:
    @pytest.mark.parametrize("command", ["crawl", "demo"])
    def test_help_has_an_example(self, command):
        result = run_cli(command, "--help")
        assert result.returncode == 0
        assert f"newsarchive {command}" in result.stdout
        assert "example" in result.stdout
