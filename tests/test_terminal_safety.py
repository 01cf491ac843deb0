"""Text from crawled pages never steers the terminal it is printed on (issue 18).

A page whose title, byline, description and body carry ANSI CSI and OSC sequences,
carriage returns, backspaces, DEL, C1 controls and bidi overrides is crawled from a
local site; ``query --format table``, ``show``, JSON Lines and CSV on a terminal
then print those characters as visible escapes, and every other character (accents,
CJK, newlines where the format has lines) as it is. The escaper itself is
:mod:`archive.terminal`; the progress line and the end-of-crawl summary use it too.
"""

from __future__ import annotations

import html
import io
import json
import os
import pty
import subprocess
import sys
import tty

import pytest

from archive.terminal import json_safe, terminal_text
from crawler.extensions.progress import ProgressReporter
from crawler.extensions.summary import crawl_problems, summary_lines
from tests.conftest import FAST, ROOT, read_terminal, run_cli
from tests.sites.server import Request, serve

ESC, BEL, CSI_C1 = "\x1b", "\x07", "\x9b"
TITLE = f"Harbour ferry returns{ESC}[2J{ESC}]0;pwned{BEL} after \u202eeon-ytiliba\u202c repairs"
AUTHOR = f"Dana \u202eWhit{CSI_C1}field"
DESCRIPTION = f"The ferry is back{ESC}[5m, blinking\r over the line\b\b\b\x7f."
BODY = [
    "The harbour ferry is back in service after six weeks of repairs, the port authority "
    "said on Tuesday. " * 3,
    f"Passengers cheered {ESC}]8;;http://evil.example/{BEL}as the boat{ESC}]8;;{BEL} docked."
    "\b\b\b\x7f Grüße aus Zürich, 東京 too. " * 3,
    "The \u2066isolated\u2069 engine was replaced\r and the hull repainted, officials said, "
    "adding that the timetables are unchanged. " * 3,
]
ARTICLE = "/2024/06/20/harbour-ferry-returns/"
JOB = "hostile"
BIDI = [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]
# What must never reach a terminal raw. CR is allowed only as half of a CRLF.
NEVER = [chr(c) for c in (*range(0x00, 0x09), *range(0x0B, 0x0D), *range(0x0E, 0x20),
                          *range(0x7F, 0xA0))] + BIDI


def raw_controls(text: str) -> list[str]:
    found = sorted({repr(c) for c in text if c in NEVER})
    return found + (["lone CR"] if text.replace("\r\n", "").count("\r") else [])


def hostile_page() -> str:
    data = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle",
                       "headline": TITLE, "description": DESCRIPTION,
                       "author": {"@type": "Person", "name": AUTHOR},
                       "datePublished": "2024-06-20T09:00:00Z"})
    body = "".join(f"<p>{html.escape(p)}</p>" for p in BODY)
    return (f"<html><head><title>{html.escape(TITLE)}</title>"
            f'<meta property="og:type" content="article">'
            f'<script type="application/ld+json">{data}</script></head>'
            f"<body><article><h1>{html.escape(TITLE)}</h1>"
            f"<p class=byline>By {html.escape(AUTHOR)}</p>{body}</article></body></html>")


def start(base: str):
    def respond(request: Request) -> tuple:
        if request.path == "/":
            return (200, f'<html><body><h1>Port News</h1><a href="{ARTICLE}">Ferry</a>'
                         "</body></html>".encode(), "text/html; charset=utf-8")
        if request.path == ARTICLE:
            return 200, hostile_page().encode(), "text/html; charset=utf-8"
        return 404, b"not here", "text/plain"
    return respond


@pytest.fixture(scope="module")
def hostile_crawl(tmp_path_factory):
    """The hostile page, crawled: (archive directory, the article's URL)."""
    out = tmp_path_factory.mktemp("hostile") / "archive"
    with serve(start, name="hostile-text", server_version="Herald/1") as site:
        result = run_cli("crawl", "--seed", site.url("/"), "--out", str(out), "--job", JOB,
                         *FAST)
        assert result.returncode == 0, result.stderr[-3000:]
        yield out, site.url(ARTICLE)


def on_a_terminal(*args: str) -> str:
    """Run ``newsarchive ARGS`` with stdout and stderr on a terminal (raw mode, so
    what is read is what the program wrote)."""
    controller, terminal = pty.openpty()
    tty.setraw(terminal)
    process = subprocess.Popen([sys.executable, "-m", "crawler.cli", *args],
                               stdin=subprocess.DEVNULL, stdout=terminal, stderr=terminal,
                               cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT),
                                              "COLUMNS": "200"})
    os.close(terminal)
    output = read_terminal(controller)
    os.close(controller)
    assert process.wait(timeout=60) == 0, output[-2000:]
    return output.decode("utf-8")


class TestEscaper:
    @pytest.mark.parametrize(("text", "shown"), [
        (f"{ESC}[2J", "\\x1b[2J"),
        (f"{ESC}]0;title{BEL}", "\\x1b]0;title\\x07"),
        (f"{ESC}]8;;http://evil.example/{ESC}\\", "\\x1b]8;;http://evil.example/\\x1b\\"),
        ("over\rprint", "over\\x0dprint"),
        ("back\b\b", "back\\x08\\x08"),
        ("del\x7f", "del\\x7f"),
        ("\x9b31m", "\\x9b31m"),
        ("\x85next line", "\\x85next line"),
        ("nul\x00", "nul\\x00"),
        ("\u202egnp.exe", "\\u202egnp.exe"),
        ("\u2066isolate\u2069", "\\u2066isolate\\u2069"),
    ])
    def test_controls_are_shown_not_obeyed(self, text, shown):
        assert terminal_text(text) == shown
        assert not raw_controls(terminal_text(text, lines=True))

    @pytest.mark.parametrize("char", NEVER)
    def test_every_control_is_escaped(self, char):
        assert raw_controls(terminal_text(char)) == []
        assert raw_controls(terminal_text(char, lines=True)) == []

    def test_text_prints_as_it_is(self):
        text = "Grüße aus Zürich — 東京, Αθήνα, مرحبا, emoji 🚢, quotes “…”, a\\b"
        assert terminal_text(text) == text
        assert terminal_text(text, lines=True) == text

    def test_lines_keep_newlines_and_tabs(self):
        assert terminal_text("one\n\ttwo\r\nthree", lines=True) == "one\n\ttwo\nthree"
        assert terminal_text("one\n\ttwo") == "one\\x0a\\x09two"
        assert terminal_text("lone\rcr", lines=True) == "lone\\x0dcr"

    def test_json_keeps_the_same_value(self):
        value = {"title": TITLE, "authors": [AUTHOR], "text": "\n".join(BODY)}
        encoded = json_safe(json.dumps(value, ensure_ascii=False))
        assert json.loads(encoded) == value
        assert raw_controls(encoded) == []
        assert "Grüße aus Zürich, 東京" in encoded  # ensure_ascii stays off for the rest


class TestCrawledPage:
    def test_the_page_kept_its_hostile_text(self, hostile_crawl):
        out, url = hostile_crawl
        result = run_cli("query", "--out", str(out), "--format", "jsonl")
        [article] = [json.loads(line) for line in result.stdout.splitlines()]
        # The archive is faithful: the record holds the title exactly as published.
        assert article["title"] == TITLE and article["url"] == url
        assert article["authors"] == [AUTHOR]
        assert f"back{ESC}[5m, blinking" in article["description"]  # extraction ate the CR
        assert raw_controls(result.stdout) == []

    def test_table(self, hostile_crawl):
        out, _ = hostile_crawl
        result = run_cli("query", "--out", str(out), "--format", "table",
                         "--fields", "title,authors,description")
        assert result.returncode == 0, result.stderr
        assert raw_controls(result.stdout) == []
        assert "\\x1b[2J\\x1b]0;pwned\\x07 after \\u202eeon-ytiliba\\u202c" in result.stdout
        assert "Dana \\u202eWhit\\x9bfield" in result.stdout
        assert "back\\x1b[5m, blinking" in result.stdout
        assert "\\x08\\x08\\x08\\x7f." in result.stdout

    def test_show(self, hostile_crawl):
        out, url = hostile_crawl
        result = run_cli("show", url, "--out", str(out), "--body-chars", "100000")
        assert result.returncode == 0, result.stderr
        assert raw_controls(result.stdout) == []
        assert "\\u001b[2J" in result.stdout  # the record, as JSON
        assert "\\x1b]8;;http://evil.example/\\x07as the boat" in result.stdout  # the body
        assert "Grüße aus Zürich, 東京 too." in result.stdout
        assert "\\u2066isolated\\u2069 engine was replaced\\x0d and" in result.stdout
        assert "\n<html>" in result.stdout or "\n<html" in result.stdout  # lines stay lines

    def test_show_json(self, hostile_crawl):
        out, url = hostile_crawl
        result = run_cli("show", url, "--out", str(out), "--json")
        assert raw_controls(result.stdout) == []
        shown = json.loads(result.stdout)
        assert shown["article"]["title"] == TITLE
        assert "\x1b]8;;http://evil.example/\x07" in shown["http"]["body"]

    @pytest.mark.parametrize("fmt", ["table", "csv", "jsonl"])
    def test_on_a_terminal(self, hostile_crawl, fmt):
        out, url = hostile_crawl
        shown = on_a_terminal("query", "--out", str(out), "--format", fmt,
                              "--fields", "title,authors,description,url")
        assert raw_controls(shown) == []
        assert url in shown

    def test_show_on_a_terminal(self, hostile_crawl):
        out, url = hostile_crawl
        assert raw_controls(on_a_terminal("show", url, "--out", str(out))) == []

    def test_csv_in_a_file_keeps_the_text(self, hostile_crawl, tmp_path):
        out, _ = hostile_crawl
        result = run_cli("query", "--out", str(out), "--format", "csv", "--fields", "title",
                         "-o", str(tmp_path / "titles.csv"))
        assert result.returncode == 0, result.stderr
        assert TITLE in (tmp_path / "titles.csv").read_text("utf-8")


class TestCrawlOutput:
    HOSTILE = f"host{ESC}]0;x{BEL}.example\r{ESC}[1A\u202e"

    def test_summary_and_problems(self):
        stats = {"start_time": 1, "finish_reason": f"finished{ESC}[2J",
                 f"news/traps/{self.HOSTILE}": 1, f"news/caught_up/{self.HOSTILE}": 1,
                 "store/uri": f"s3://bucket/{self.HOSTILE}", "store/pending": 1,
                 "store/last_error": self.HOSTILE, "disk/full": f"disk full writing {ESC}[2J"}
        lines = summary_lines(stats)
        problems = crawl_problems(stats)
        assert any("host\\x1b]0;x\\x07.example" in line for line in lines)
        for text in [*lines, *problems]:
            assert raw_controls(text) == [], text

    def test_progress_line(self, monkeypatch):
        class Terminal(io.StringIO):
            def isatty(self) -> bool:
                return True

        class Crawler:
            class stats:  # stands in for crawler.stats
                @staticmethod
                def get_stats() -> dict:
                    return {}

        monkeypatch.setattr("crawler.extensions.progress.progress_line",
                            lambda stats, elapsed: f"pages 1 | {self.HOSTILE}")
        stream = Terminal()
        ProgressReporter(Crawler(), 1.0, stream).report()  # type: ignore[arg-type]
        written = stream.getvalue()
        assert written.startswith("\r\x1b[2K")  # its own redraw, and only that
        assert raw_controls(written.removeprefix("\r\x1b[2K")) == []
