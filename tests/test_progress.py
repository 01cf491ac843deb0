"""Progress: a redrawn line on a terminal, periodic plain log lines elsewhere."""

from __future__ import annotations

import os
import pty
import subprocess
import sys

from tests.conftest import FAST, ROOT, read_terminal, run_cli


class TestProgress:
    def test_plain_lines_in_a_log(self, test_site, tmp_path):
        result = run_cli("crawl", "--seed", test_site.base_url, "--out", str(tmp_path / "o"),
                         "--job", "progress", "-s", "PROGRESS_INTERVAL=0.5", *FAST)
        assert result.returncode == 0, result.stderr[-2000:]
        lines = [line for line in result.stderr.splitlines() if "Progress: pages" in line]
        # the test site's slow page keeps the crawl going for 2 s or more
        assert len(lines) >= 2
        assert "articles" in lines[-1] and "MB" in lines[-1] and "errors" in lines[-1]
        assert "\r" not in result.stderr

    def test_live_line_on_a_terminal(self, test_site, tmp_path):
        controller, terminal = pty.openpty()
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        process = subprocess.Popen(
            [sys.executable, "-m", "crawler.cli", "crawl", "--seed", test_site.base_url,
             "--out", str(tmp_path / "o"), "--job", "tty", *FAST],
            stdin=terminal, stdout=terminal, stderr=terminal, cwd=ROOT, env=env)
        os.close(terminal)
        output = read_terminal(controller)
        assert process.wait(timeout=60) == 0, output[-2000:]
        os.close(controller)
        text = output.decode("utf-8", "replace")
        assert "\r\x1b[2Kpages " in text
        # on a terminal the INFO log stays out of the way of the live line
        assert "[scrapy.core.engine] INFO" not in text
        assert "Pages fetched:" in text
