"""The researchers' acceptance test (issue 23): tried as a new user would, after two runs
over four outlets where one article was edited and all of them ran the same wire story
(tests/sites/syndication.py), a researcher sees the edit as a diff, finds the copies
grouped with their sources, and finds the right articles first with a ranked search —
from the local archive and, once it is uploaded, from the store.

Everything goes through the ``newsarchive`` command line: a job file with one source per
outlet, two crawls (the site moves to its edition 2 in between), then ``diff``, ``show
--versions``, ``duplicates``, ``query --collapse-duplicates`` and ``query --search``. The
crawls run once for the module; the store is a real SeaweedFS server, read with a fresh
cache after the upload removed every local file.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from archive.query import find_articles
from crawler.demo.s3server import LocalS3Server
from tests.conftest import FAST, NEWSARCHIVE, ROOT, run_cli
from tests.sites import syndication
from tests.sites.checks import compare_articles
from tests.test_s3 import cli_env, run

JOB = "syndication"
EDITED = syndication.BY_KEY[syndication.EDITED_KEY]
OLD_TITLE, NEW_TITLE = EDITED["title"], EDITED["edit"]["title"]


@dataclass(frozen=True)
class TwoRuns:
    """Two crawls of the outlets into ``out``, and what the site served."""

    out: Path
    urls: dict[str, str]  # story key -> URL
    stories: list[dict]  # edition 2's ground truth
    edited_at: str
    bases: dict[str, str]  # outlet -> its base URL
    expected: dict[str, list[dict]]  # outlet -> edition 2's ground truth, for checks

    def key_of(self, url: str) -> str:
        [key] = [k for k, u in self.urls.items() if u == url]
        return key


@dataclass
class Archive:
    """Where the commands read: ``--out`` (local) or ``--store`` with a fresh cache,
    run from an empty directory so that nothing local is found by default."""

    where: list[str]
    cwd: Path
    env: dict[str, str] = field(default_factory=lambda: {**os.environ, "PYTHONPATH": str(ROOT)})

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run([*NEWSARCHIVE, *args, *self.where], capture_output=True,
                              text=True, cwd=self.cwd, env=self.env, timeout=300, check=False)
        assert done.returncode == 0, done.stderr[-2000:]
        assert "Traceback" not in done.stderr
        return done

    def rows(self, *args: str) -> list[dict]:
        return [json.loads(line) for line in self.run("query", *args).stdout.splitlines()]


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> TwoRuns:
    """Edition 1 crawled, the site edited, edition 2 crawled: two runs of one job file."""
    tmp = tmp_path_factory.mktemp("acceptance")
    out = tmp / "archive-data"
    with syndication.serve() as site:
        job = tmp / f"{JOB}.toml"
        job.write_text(site.job_toml(JOB), encoding="utf-8")
        for edition in (1, 2):
            site.set_edition(edition)
            done = run_cli("crawl", str(job), "--out", str(out), *FAST)
            assert done.returncode == 0, done.stderr[-3000:]
        assert site.edited_at is not None
        return TwoRuns(out, {key: site.url(key) for key in syndication.BY_KEY},
                       site.stories(2), site.edited_at,
                       {key: site.base(key) for key in syndication.OUTLETS},
                       {key: site.expected(key, 2) for key in syndication.OUTLETS})


@pytest.fixture(scope="module")
def store(runs, tmp_path_factory):
    """The archive uploaded to a real SeaweedFS bucket; no local file is left."""
    tmp = tmp_path_factory.mktemp("store")
    copy = tmp / "archive-data"
    shutil.copytree(runs.out, copy)
    with LocalS3Server(tmp / "s3", bucket="research") as server:
        where = ["--store", "s3://research/crawls", "--endpoint-url", server.endpoint_url]
        uploaded = run(server, "upload", "--out", str(copy), *where)
        assert uploaded.returncode == 0, uploaded.stderr[-2000:]
        shutil.rmtree(copy)
        empty = tmp / "elsewhere"
        empty.mkdir()
        yield Archive([*where, "--cache", str(tmp / "cache")], empty, cli_env(server))


@pytest.fixture(params=["local", pytest.param("store", marks=pytest.mark.s3)])
def archive(request, runs, tmp_path) -> Archive:
    if request.param == "store":
        return request.getfixturevalue("store")
    return Archive(["--out", str(runs.out)], tmp_path)


def test_every_story_is_archived_as_the_outlet_published_it(runs):
    """The premise: both runs archived every story of every outlet, the latest version
    with its title, byline, date and body, and none of the page around it."""
    rows = find_articles(runs.out, job=JOB)
    problems = []
    for outlet, base in runs.bases.items():
        mine = [row for row in rows if row["url"].startswith(base + "/")]
        assert {row["source"] for row in mine} == {outlet}
        problems += compare_articles(base, mine, runs.expected[outlet], ["/"])
    assert not problems, "\n".join(problems)


class TestTheEdit:
    def test_diff_shows_the_new_title_and_the_changed_words(self, runs, archive):
        url = runs.urls[syndication.EDITED_KEY]
        shown = archive.run("diff", url).stdout
        assert shown.splitlines()[0] == f"{url} ({JOB})"
        assert f"title:\n  - {OLD_TITLE}\n  + {NEW_TITLE}\n" in shown
        assert f"modified:\n  - (none)\n  + {runs.edited_at}\n" in shown
        assert "@@ paragraph 2 -> 2 @@" in shown
        assert "[-thirty-] {+forty+}" in shown
        assert "{+homes, after the committee cut the number of homes from the 120 first " \
               "proposed.+}" in shown

    def test_show_lists_two_versions(self, runs, archive):
        url = runs.urls[syndication.EDITED_KEY]
        lines = archive.run("show", url, "--versions").stdout.splitlines()
        assert lines[0] == f"{url} ({JOB}): 2 versions"
        assert [line.split()[:2] for line in lines[1:]] == [["version", "1"], ["version", "2"]]
        assert len({line.split()[4] for line in lines[1:]}) == 2  # two captures


def wire_urls(runs: TwoRuns) -> dict[str, str]:
    """Every copy of the wire story (the republished one too) -> its outlet."""
    return {runs.urls[key]: syndication.BY_KEY[key]["outlet"] for key in syndication.WIRE_KEYS}


class TestTheCopies:
    def test_duplicates_group_every_outlets_copy_and_nothing_else(self, runs, archive):
        groups = [json.loads(line) for line in
                  archive.run("duplicates", "--format", "jsonl").stdout.splitlines()]
        assert len(groups) == 1, [[m["url"] for m in g["members"]] for g in groups]
        [group] = groups
        members = {m["url"]: m["source"] for m in group["members"]}
        assert members == wire_urls(runs)
        assert set(members.values()) == set(syndication.OUTLETS)

    def test_the_table_names_each_copys_source_and_url(self, runs, archive):
        table = archive.run("duplicates").stdout
        heading, *lines, count = table.splitlines()
        assert heading.startswith(f"{len(syndication.WIRE_KEYS)} articles like ")
        assert count == "(1 group)"
        listed = {(line.split()[1], line.split()[2]) for line in lines}
        assert listed == {(outlet, url) for url, outlet in wire_urls(runs).items()}

    def test_collapsed_query_returns_the_wire_story_once(self, runs, archive):
        rows = archive.rows("--collapse-duplicates", "--fields", "url,source,title,duplicates")
        copies = wire_urls(runs)
        [story] = [row for row in rows if row["url"] in copies]
        others = {url: outlet for url, outlet in copies.items() if url != story["url"]}
        assert story["duplicates"]["count"] == len(others)
        assert set(story["duplicates"]["urls"]) == set(others)
        assert set(story["duplicates"]["sources"]) == set(others.values())
        rest = [row for row in rows if row is not story]
        assert all(row["duplicates"]["count"] == 0 for row in rest)
        assert sorted(runs.key_of(row["url"]) for row in rest) == sorted(
            s["key"] for s in runs.stories if s["role"] != "wire")


def marked(word: str, snippet: str) -> bool:
    return re.search(rf"\*\*{word}\*\*", snippet, re.IGNORECASE) is not None


class TestRankedSearch:
    def test_title_hits_first_then_body_mentions_never_the_rest(self, runs, archive):
        rows = archive.rows("--search", syndication.SEARCH, "--fields", "url,title,score,snippet")
        found = [runs.key_of(row["url"]) for row in rows]
        titles = len(syndication.TITLE_HITS)
        assert set(found[:titles]) == set(syndication.TITLE_HITS), found
        assert set(found[titles:]) == set(syndication.BODY_HITS), found
        scores = [row["score"] for row in rows]
        assert scores == sorted(scores, reverse=True)
        for row in rows:
            assert all(marked(word, row["snippet"]) for word in syndication.SEARCH.split()), row

    def test_the_wire_story_once_when_copies_are_collapsed(self, runs, archive):
        """The wire story's words: one row for its five copies, above the stories on
        the same subject that share a word or two."""
        rows = archive.rows("--search", "tidal barrier", "--collapse-duplicates",
                            "--fields", "url,score,duplicates")
        copies = wire_urls(runs)
        assert rows[0]["url"] in copies
        assert rows[0]["duplicates"]["count"] == len(copies) - 1
        later = [runs.key_of(row["url"]) for row in rows[1:]]
        assert later and all(syndication.BY_KEY[key]["role"] == "topic" for key in later)

    def test_german_words_meet_their_forms(self, runs, archive):
        [row] = archive.rows("--search", "Deich", "--fields", "url,language,snippet")
        assert runs.key_of(row["url"]) == "bote-deich" and row["language"].startswith("de")
        assert marked("Deiche", row["snippet"])

    def test_the_table_a_reader_sees(self, runs, archive):
        table = archive.run("query", "--search", syndication.SEARCH, "--format", "table",
                            "--limit", "1").stdout
        header, _, first, count = table.splitlines()
        assert header.split()[:3] == ["score", "published", "title"]
        assert any(syndication.BY_KEY[key]["title"] in first for key in syndication.TITLE_HITS)
        assert count == "(1 row)"
