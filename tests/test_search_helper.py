"""The search index's analysis helper (archive.search.helper): the words it sends back
are the ones analysed here, a part indexed with it is the same index, a helper that
fails or never starts leaves the analysis here, and it dies with its crawl."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from archive.search import helper as helpermodule
from archive.search import jobindex
from archive.search.helper import AnalysisHelper, HelperFailed
from tests.test_indexes import QUERIES, planted, ranked, stored_documents
from tests.test_query import write_part
from tests.test_search import FILLER, filler, story

ROOT = Path(__file__).resolve().parents[1]


def started_helper(start=AnalysisHelper.start) -> AnalysisHelper:
    """A helper that has started (so the first batch goes to it, not only later ones)."""
    helper = start()
    deadline = time.monotonic() + 60
    while not helper.can_take():
        assert time.monotonic() < deadline, "the helper did not start"
        time.sleep(0.01)
    return helper


def batches(count: int) -> list[list[tuple]]:
    """Rows as the index reads them (capture, article, title, text, language, ...)."""
    languages = ["en", "de", "fr-FR", None, "xx", "pt"]
    return [[(n, f"a{n}", f"Title {n} élections Häuser" if n % 7 else None,
              f"{FILLER} Row {n} présidentielles." if n % 11 else "",
              languages[n % len(languages)]) for n in range(start, start + 100)]
            for start in range(0, 100 * count, 100)]


def analysed_here(rows: list[list[tuple]]) -> list[tuple[list[tuple], list]]:
    return [(batch, jobindex._analyse_here(jobindex._texts(batch))) for batch in rows]


class TestWords:
    def test_the_helper_sends_back_the_words_analysed_here(self):
        rows = batches(20)
        helper = started_helper()
        try:
            got = list(jobindex._analysed(iter(rows), helper))
        finally:
            helper.close()
        assert helper.answered >= 1
        assert got == analysed_here(rows)

    def test_a_helper_that_dies_leaves_its_batches_to_be_analysed_here(self, caplog):
        rows = batches(10)
        helper = started_helper()
        os.kill(helper.pid, signal.SIGKILL)
        got = list(jobindex._analysed(iter(rows), helper))
        assert got == analysed_here(rows)
        assert "the search index's analysis goes on in this process" in caplog.text

    def test_a_helper_that_answers_nonsense_is_given_up(self, caplog, monkeypatch):
        rows = batches(6)
        helper = started_helper()
        monkeypatch.setattr(helpermodule, "_receive",
                            lambda stream: (_ for _ in ()).throw(EOFError()))
        got = list(jobindex._analysed(iter(rows), helper))
        assert got == analysed_here(rows)
        assert "the analysis helper failed" in caplog.text


class TestIndexWithHelper:
    @pytest.fixture
    def part(self, tmp_path) -> Path:
        folder = tmp_path / "with" / "articles" / "news"
        folder.mkdir(parents=True)
        return write_part(folder, planted() + filler(400) + [
            story(f"de-{n}", f"Neue Häuser {n}", "Die Stadt baut Häusern am Hafen.",
                  language="de") for n in range(100)], index=False)

    def test_a_part_indexed_with_the_helper_is_the_same_index(self, tmp_path, part,
                                                              monkeypatch):
        helpers: list[AnalysisHelper] = []
        real_start = AnalysisHelper.start

        def start() -> AnalysisHelper:
            helpers.append(started_helper(real_start))
            return helpers[-1]

        monkeypatch.setattr(AnalysisHelper, "start", staticmethod(start))
        without = tmp_path / "without"
        without_part = without / "articles" / "news" / part.name
        without_part.parent.mkdir(parents=True)
        without_part.write_bytes(part.read_bytes())
        assert jobindex.add_part(part, helper=True) == 1
        assert jobindex.add_part(without_part) == 1
        assert helpers and helpers[0].answered >= 1
        assert stored_documents(tmp_path / "with") == stored_documents(without)
        for words in QUERIES:
            assert ranked(tmp_path / "with", words) == ranked(without, words), words

    def test_a_helper_that_cannot_start_leaves_the_analysis_here(self, tmp_path, part,
                                                                 monkeypatch, caplog):
        def cannot() -> AnalysisHelper:
            raise HelperFailed("cannot start the analysis helper: no such file")

        monkeypatch.setattr(AnalysisHelper, "start", staticmethod(cannot))
        assert jobindex.add_part(part, helper=True) == 1
        assert ranked(tmp_path / "with", "lighthouse")
        assert "no such file; the search index's analysis is done in this process" in \
            caplog.text


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG")
def test_the_helper_dies_with_the_process_that_started_it(tmp_path):
    # The owner forks a sleeper that keeps the helper's input open: the helper must
    # die because its owner did, not because its input closed.
    script = ("import os, time\n"
              "from tests.test_search_helper import started_helper\n"
              "helper = started_helper()\n"
              "sleeper = os.fork()\n"
              "if sleeper == 0:\n"
              "    time.sleep(60)\n"
              "    os._exit(0)\n"
              "print(helper.pid, sleeper, flush=True)\n"
              "time.sleep(600)\n")
    owner = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE,
                             text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert owner.stdout is not None
    pid, sleeper = map(int, owner.stdout.readline().split())
    assert _alive(pid)
    owner.kill()  # SIGKILL: no clean-up of its own runs
    owner.wait()
    owner.stdout.close()
    try:
        deadline = time.monotonic() + 10
        while _alive(pid):
            assert time.monotonic() < deadline, f"helper {pid} outlived its owner"
            time.sleep(0.05)
    finally:
        os.kill(sleeper, signal.SIGKILL)


def _alive(pid: int) -> bool:
    """Running (not a zombie waiting for a parent that is gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"
