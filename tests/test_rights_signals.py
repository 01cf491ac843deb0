"""Rights signals are kept with the article they cover: X-Robots-Tag and robots meta
directives, TDM reservations (crawler.extract.rights), and ROBOTS_NOARCHIVE decides
whether a page that says noarchive gets an article record."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from lxml.html import fromstring
from scrapy.http import Headers
from warcio.archiveiterator import ArchiveIterator

from crawler.extract.rights import RightsSignals, header_rights, page_rights, robots_directives
from tests.conftest import FAST, run_cli
from tests.sites import flaky
from tests.sites.flaky import story_path

URL = "https://news.example/story"
POLICY = "https://news.example/tdm-policy.json"


class TestDirectives:
    @pytest.mark.parametrize(("value", "robot", "directives"), [
        ("noarchive, noai", "robots", ["noarchive", "noai"]),
        (" NoIndex ,NOIMAGEAI ", "robots", ["noindex", "noimageai"]),
        ("noarchive", "googlebot", ["googlebot: noarchive"]),
        ("googlebot: noindex, nofollow", "robots", ["googlebot: noindex", "googlebot: nofollow"]),
        ("newsarchive: noarchive", "robots", ["noarchive"]),  # addressed to this crawler
        ("max-snippet: 50, unavailable_after: 25 Jun 2030 15:00:00 PST", "robots",
         ["max-snippet: 50", "unavailable_after: 25 Jun 2030 15:00:00 PST"]),
        ("otherbot: unavailable_after: 1 Jan 2030", "robots",
         ["otherbot: unavailable_after: 1 Jan 2030"]),
        ("", "robots", []),
    ])
    def test_robots_directives(self, value, robot, directives):
        assert robots_directives(value, robot=robot) == directives


class TestSignals:
    def test_headers(self):
        headers = Headers({"X-Robots-Tag": ["noarchive", "googlebot: noindex"],
                           "TDM-Reservation": "1", "tdm-policy": POLICY})
        assert header_rights(headers, URL) == RightsSignals(
            ("noarchive", "googlebot: noindex"), True, POLICY)

    def test_meta_tags(self):
        tree = fromstring(
            '<html><head><meta name="ROBOTS" content="noindex, noai">'
            '<meta name="googlebot" content="noarchive">'
            '<meta name="tdm-reservation" content="0">'
            '<meta name="tdm-policy" content="/tdm-policy.json">'
            '<meta name="description" content="noarchive"></head><body></body></html>')
        assert page_rights(tree, URL) == RightsSignals(
            ("noindex", "noai", "googlebot: noarchive"), False, POLICY)

    @pytest.mark.parametrize("value", ["2", "yes", "", "true"])
    def test_a_reservation_that_is_neither_0_nor_1_is_unset(self, value):
        assert header_rights(Headers({"tdm-reservation": value}), URL).tdm_reservation is None

    def test_the_header_outranks_the_page_and_directives_add_up(self):
        header = RightsSignals(("noarchive",), False, None)
        page = RightsSignals(("noarchive", "noai"), True, POLICY)
        assert header.then(page) == RightsSignals(("noarchive", "noai"), False, POLICY)

    def test_noarchive_means_to_every_robot_or_to_this_one(self):
        assert RightsSignals(("noarchive",)).noarchive
        assert not RightsSignals(("googlebot: noarchive",)).noarchive


RIGHTS = {
    story_path(1): {"headers": {"X-Robots-Tag": "noarchive, noai"}},
    story_path(2): {"meta": {"robots": "noindex, noimageai", "googlebot": "noarchive"}},
    story_path(3): {"headers": {"tdm-reservation": "1", "tdm-policy": POLICY},
                    "meta": {"tdm-reservation": "0"}},
    story_path(4): {"meta": {"tdm-reservation": "1", "tdm-policy": "/tdm/policy.json"}},
}


def crawl(out: Path, *settings: str) -> tuple[str, dict[str, dict], str]:
    """(base URL, {path: article record}, stdout) of a crawl of the Flaky Herald."""
    with flaky.serve(stories=5, private=0, robots="404", rights=RIGHTS) as site:
        result = run_cli("crawl", "--seed", site.url("/"), "--out", str(out), "--job", "rights",
                         *FAST, *settings)
    assert result.returncode == 0, result.stderr[-3000:]
    records = {}
    for part in (out / "articles" / "rights").glob("*.jsonl"):
        for line in part.read_text("utf-8").splitlines():
            record = json.loads(line)
            records[record["url"].removeprefix(site.base)] = record
    return site.base, records, result.stdout


def archived_urls(out: Path) -> set[str]:
    urls = set()
    for path in (out / "warc" / "rights").glob("*.warc.gz"):
        with gzip.open(path, "rb") as stream:
            for record in ArchiveIterator(stream):
                if record.rec_type == "response":
                    urls.add(record.rec_headers.get_header("WARC-Target-URI"))
    return urls


class TestArticleRecords:
    def test_signals_are_recorded_and_noarchive_pages_are_kept_by_default(self, tmp_path):
        base, records, stdout = crawl(tmp_path / "out")
        assert set(records) == {story_path(n) for n in range(1, 6)}
        fields = {path: (r["robots"], r["tdm_reservation"], r["tdm_policy"])
                  for path, r in records.items()}
        assert fields == {
            story_path(1): (["noarchive", "noai"], None, None),
            story_path(2): (["noindex", "noimageai", "googlebot: noarchive"], None, None),
            story_path(3): ([], True, POLICY),  # the header outranks the meta tag
            story_path(4): ([], True, f"{base}/tdm/policy.json"),
            story_path(5): ([], None, None),
        }
        assert "Said noarchive:       1 article; kept, marked in their records" in stdout

    def test_skip_writes_no_record_for_a_noarchive_page_and_keeps_its_capture(self, tmp_path):
        out = tmp_path / "out"
        base, records, stdout = crawl(out, "-s", "ROBOTS_NOARCHIVE=skip")
        # Only the page that says noarchive to every robot; googlebot's is not ours.
        assert set(records) == {story_path(n) for n in range(2, 6)}
        assert f"{base}{story_path(1)}" in archived_urls(out)
        assert "Said noarchive:       1 article; 1 not kept (ROBOTS_NOARCHIVE=skip" in stdout

    def test_an_unknown_choice_is_one_line_and_exit_2(self, tmp_path):
        result = run_cli("crawl", "--seed", "http://127.0.0.1:9/", "--out", str(tmp_path / "out"),
                         "-s", "ROBOTS_NOARCHIVE=never")
        assert result.returncode == 2
        assert result.stderr.strip().splitlines() == [
            "newsarchive crawl: error: -s ROBOTS_NOARCHIVE expects 'archive' or 'skip', "
            "got 'never'"]
        assert not (tmp_path / "out").exists()
