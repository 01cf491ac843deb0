"""``newsarchive diff``, ``show --versions``, ``query --changed`` and
``archive.query.versions``: on a hand-made archive with an article in three versions
(over an indexed and a JSON Lines part), and on two real crawls of the changing Gazette."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from archive.errors import NotInArchiveError
from archive.query import (
    ArticleVersions,
    article_versions,
    diff_lines,
    diff_versions,
    find_articles,
)
from archive.query.versions import body_hunks
from crawler.demo.s3server import LocalS3Server
from tests.conftest import run_cli
from tests.gazettecorpus import crawl_editions_to_store
from tests.gazettecrawl import JOB, crawl
from tests.sites import changing_editions as gazette
from tests.test_query import write_part
from tests.test_s3 import run

URL = "http://x.test/ferry"
PARAGRAPHS = [
    "The harbour ferry returned to service on Thursday after a two-year refit.",
    "Passengers queued from six in the morning to board the first crossing.",
    "The operator said timetables would stay as they were until the autumn.",
]


def version(number: int, **changes) -> dict:
    record = {"url": URL, "canonical_url": URL, "job": "news", "title": "Ferry back",
              "text": "\n".join(PARAGRAPHS), "authors": ["Ana Ruiz"],
              "published": "2024-06-20T09:00:00+02:00", "modified": None, "language": "en",
              "description": "The ferry is back.",
              "fetched_at": f"2024-06-2{number}T10:00:00+00:00", "version": number,
              "payload_digest": f"sha1:DIGEST{number}",
              "warc": {"file": f"warc/news/part{number}.warc.gz", "offset": 100 * number,
                       "length": 50, "record_id": f"<urn:uuid:{number}>"},
              "previous": None if number == 1 else {"version": number - 1}}
    return {**record, **changes}


V1 = version(1)
# Version 2: the title changes and an author is added.
V2 = version(2, title="Harbour ferry back in service", authors=["Ana Ruiz", "Li Wei"])
# Version 3: the second paragraph edited, and the page says when.
V3 = version(3, title="Harbour ferry back in service", authors=["Ana Ruiz", "Li Wei"],
             modified="2024-06-23T08:00:00+02:00",
             text="\n".join([PARAGRAPHS[0], "Passengers queued from five in the morning to "
                             "board the first two crossings.", PARAGRAPHS[2]]))


@pytest.fixture
def archive(tmp_path) -> Path:
    """Versions 1 and 2 in an indexed part, version 3 in a later JSON Lines part; one
    other article with a single version."""
    folder = tmp_path / "archive" / "articles" / "news"
    folder.mkdir(parents=True)
    single = version(1, url="http://x.test/once", canonical_url="http://x.test/once",
                     title="Only once")
    write_part(folder, [V1, single], index=True)
    write_part(folder, [V2], index=True)
    write_part(folder, [V3], index=False)
    return tmp_path / "archive"


class TestLibrary:
    def test_versions_oldest_first(self, archive):
        found = article_versions(archive, URL + "?utm_source=feed")
        assert (found.url, found.job, found.numbers()) == (URL, "news", [1, 2, 3])
        assert found.get(2)["title"] == "Harbour ferry back in service"
        with pytest.raises(NotInArchiveError, match="it has versions 1, 2, 3"):
            found.get(7)
        with pytest.raises(NotInArchiveError, match="no article"):
            article_versions(archive, "http://x.test/missing")

    def test_a_version_captured_twice_is_numbered_once(self):
        twice = ArticleVersions(URL, "news", [V1, {**V1, "fetched_at": "later"}, V2])
        assert twice.numbers() == [1, 2] and twice.get(1)["fetched_at"] == "later"

    def test_fields_that_changed(self, archive):
        found = article_versions(archive, URL)
        change = diff_versions(found.get(1), found.get(2))
        assert [(c.name, c.old, c.new) for c in change.fields] == [
            ("title", "Ferry back", "Harbour ferry back in service"),
            ("authors", ["Ana Ruiz"], ["Ana Ruiz", "Li Wei"])]
        assert change.body == [] and change.changed
        assert change.old["payload_digest"] == "sha1:DIGEST1"

    def test_body_word_diff_in_its_paragraph(self, archive):
        found = article_versions(archive, URL)
        change = diff_versions(found.get(2), found.get(3))
        assert [c.name for c in change.fields] == ["modified"]
        [hunk] = change.body
        assert (hunk.old_paragraph, hunk.new_paragraph) == (2, 2)
        assert hunk.removed() == ["six", "crossing."]
        assert hunk.added() == ["five", "two crossings."]
        line = diff_lines(change)[-1]
        assert line == ("Passengers queued from [-six-] {+five+} in the morning to board "
                        "the first [-crossing.-] {+two crossings.+}")

    def test_paragraph_added_and_context_cut(self):
        long = " ".join(f"w{i}" for i in range(40))
        hunks = body_hunks(f"{long}\nMiddle.\nEnd.",
                           f"{long.replace('w20', 'W20')}\nMiddle.\nNew one.\nEnd.", context=3)
        assert [(h.old_paragraph, h.new_paragraph) for h in hunks] == [(1, 1), (3, 3)]
        assert hunks[0].segments == [("=", "… w17 w18 w19"), ("-", "w20"), ("+", "W20"),
                                     ("=", "w21 w22 w23 …")]
        assert hunks[1].segments == [("+", "New one.")]

    def test_same_text_no_change(self):
        assert not diff_versions(V1, {**V1, "text": V1["text"] + "  \n"}).changed

    def test_paragraphs_edited_in_place_a_hunk_each(self):
        old = "\n".join(PARAGRAPHS)
        new = "\n".join(p + " Updated." for p in PARAGRAPHS)
        assert [(h.old_paragraph, h.new_paragraph) for h in body_hunks(old, new)] == [
            (1, 1), (2, 2), (3, 3)]


class TestDiffCommand:
    def test_default_latest_against_the_one_before(self, archive):
        result = run_cli("diff", URL, "--out", str(archive))
        assert result.returncode == 0, result.stderr
        lines = result.stdout.splitlines()
        assert lines[:3] == [f"{URL} (news)", "--- version 2 (2024-06-22T10:00:00+00:00)",
                             "+++ version 3 (2024-06-23T10:00:00+00:00)"]
        assert "{+five+}" in result.stdout and "title:" not in result.stdout

    def test_from_and_to(self, archive):
        result = run_cli("diff", URL, "--out", str(archive), "--from", "1", "--to", "3")
        assert result.returncode == 0, result.stderr
        assert "title:\n  - Ferry back\n  + Harbour ferry back in service" in result.stdout
        assert "authors:\n  - Ana Ruiz\n  + Ana Ruiz; Li Wei" in result.stdout
        assert "modified:\n  - (none)\n  + 2024-06-23T08:00:00+02:00" in result.stdout
        only_to = run_cli("diff", URL, "--out", str(archive), "--to", "2")
        assert "--- version 1 " in only_to.stdout and "+++ version 2 " in only_to.stdout

    def test_json_hunks(self, archive):
        result = run_cli("diff", URL, "--out", str(archive), "--from", "1", "--format", "json")
        assert result.returncode == 0, result.stderr
        diff = json.loads(result.stdout)
        assert (diff["url"], diff["job"], diff["from"]["version"], diff["to"]["version"]) == (
            URL, "news", 1, 3)
        assert diff["to"]["warc"]["file"] == "warc/news/part3.warc.gz"
        assert [f["name"] for f in diff["fields"]] == ["title", "authors", "modified"]
        [hunk] = diff["body"]
        assert hunk["removed"] == ["six", "crossing."]
        assert hunk["added"] == ["five", "two crossings."]
        assert {"op": "-", "text": "six"} in hunk["segments"]

    def test_one_version_missing_url_and_version(self, archive):
        once = run_cli("diff", "http://x.test/once", "--out", str(archive))
        assert once.returncode == 0
        assert "no version before version 1" in once.stdout and "nothing to compare" in once.stdout
        missing = run_cli("diff", "http://x.test/missing", "--out", str(archive))
        assert missing.returncode == 1 and "no article with URL" in missing.stderr
        assert "Traceback" not in missing.stderr
        absent = run_cli("diff", URL, "--out", str(archive), "--from", "9")
        assert absent.returncode == 1 and "no version 9" in absent.stderr
        bad = run_cli("diff", "x.test/ferry", "--out", str(archive))
        assert bad.returncode == 2 and "is not a URL" in bad.stderr

    def test_page_text_cannot_steer_the_terminal(self, tmp_path):
        folder = tmp_path / "articles" / "news"
        folder.mkdir(parents=True)
        write_part(folder, [V1, version(2, title="Ferry \x1b[2J back")], index=False)
        result = run_cli("diff", URL, "--out", str(tmp_path))
        assert "\x1b" not in result.stdout and "\\x1b[2J" in result.stdout


class TestShowVersionsAndChanged:
    def test_show_versions(self, archive):
        result = run_cli("show", URL, "--out", str(archive), "--versions")
        assert result.returncode == 0, result.stderr
        lines = result.stdout.splitlines()
        assert lines[0] == f"{URL} (news): 3 versions"
        assert lines[1].split() == ["version", "1", "2024-06-21T10:00:00+00:00",
                                    "sha1:DIGEST1", "warc/news/part1.warc.gz:100"]
        as_json = json.loads(run_cli("show", URL, "--out", str(archive), "--versions",
                                     "--json").stdout)
        assert [v["version"] for v in as_json["versions"]] == [1, 2, 3]
        assert as_json["versions"][2]["warc"]["offset"] == 300
        missing = run_cli("show", "http://x.test/missing", "--out", str(archive), "--versions")
        assert missing.returncode == 1

    def test_query_changed(self, archive):
        # The latest version only, though the older parts' indexes know one version each.
        rows = find_articles(archive, changed=True, fields=["url", "version"])
        assert rows == [{"url": URL, "version": 3}]
        every = find_articles(archive, changed=True, all_versions=True, fields=["version"])
        assert sorted(r["version"] for r in every) == [1, 2, 3]
        result = run_cli("query", "--out", str(archive), "--changed", "--fields", "url")
        assert result.returncode == 0, result.stderr
        assert [json.loads(line) for line in result.stdout.splitlines()] == [{"url": URL}]


def test_two_crawls_of_a_changing_site(tmp_path):
    """The Gazette's corrected story: two versions, and the diff shows the correction."""
    out = tmp_path / "out"
    with gazette.serve() as site:
        assert crawl(site, out).returncode == 0
        site.set_edition(2)
        assert crawl(site, out).returncode == 0
        url = site.url(gazette.EDITED_PATH)
    changed = find_articles(out, job=JOB, changed=True, fields=["url"])
    assert [row["url"] for row in changed] == [url]
    result = run_cli("diff", url, "--out", str(out), "--format", "json")
    assert result.returncode == 0, result.stderr
    diff = json.loads(result.stdout)
    assert (diff["from"]["version"], diff["to"]["version"]) == (1, 2)
    removed = [words for hunk in diff["body"] for words in hunk["removed"]]
    added = " ".join(words for hunk in diff["body"] for words in hunk["added"])
    # "by 14 per cent" became "by 4 per cent", and the correction was added.
    assert "14" in removed and gazette.CORRECTION_SNIPPET in added


@pytest.mark.s3
def test_versions_read_from_the_store(tmp_path):
    """Two crawls straight to a bucket (nothing kept locally): the versions, the diff and
    --changed all read the store."""
    out = tmp_path / "out"
    with LocalS3Server(tmp_path / "s3", bucket="diff") as server, gazette.serve() as site:
        store = ["--store", "s3://diff/gazette", "--endpoint-url", server.endpoint_url]
        crawl_editions_to_store(server, site, out, store)
        url = site.url(gazette.EDITED_PATH)
        store += ["--cache", str(tmp_path / "cache")]
        changed = run(server, "query", *store, "--changed", "--fields", "url")
        assert [json.loads(line)["url"] for line in changed.stdout.splitlines()] == [url]
        listed = run(server, "show", url, *store, "--versions", "--json")
        assert [v["version"] for v in json.loads(listed.stdout)["versions"]] == [1, 2]
        diff = run(server, "diff", url, *store)
        assert diff.returncode == 0, diff.stderr
        assert "[-14-] {+4+}" in diff.stdout
