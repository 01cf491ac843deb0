"""Page requisites in a real crawl of "The Shared Gazette" (tests/sites/shared_assets.py):
fetched once per crawl, from the CDN host too, never from an ad host, capped, counted
apart from pages, and re-checked conditionally on later runs."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from tests.conftest import run_cli
from tests.sites import shared_assets

JOB = "gazette"


def job_file(tmp: Path, site, extra: str = "", source_extra: str = "") -> Path:
    path = tmp / f"{JOB}.toml"
    cdn_host = site.cdn.base.split("//", 1)[1].split(":", 1)[0]
    path.write_text(f'name = "{JOB}"\negress_allow = ["{cdn_host}"]\n{extra}\n'
                    f'[[sources]]\nname = "gazette"\nseeds = ["{site.base}/"]\n{source_extra}\n',
                    encoding="utf-8")
    return path


def crawl(tmp: Path, site, *args: str, extra: str = "", source_extra: str = ""):
    result = run_cli("crawl", str(job_file(tmp, site, extra, source_extra)),
                     "--out", str(tmp / "archive"), "-s", "DOWNLOAD_DELAY=0",
                     "-s", "EXTRACT_INLINE=True", *args)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def latest_report(tmp: Path) -> dict:
    [*_, path] = sorted((tmp / "archive" / "manifests").glob("*.report.json"))
    return json.loads(path.read_text("utf-8"))


def records(tmp: Path) -> list[tuple[str, str, str | None]]:
    """(type, URI, WARC-Concurrent-To) of every record of the job's WARC files."""
    found = []
    for path in sorted((tmp / "archive" / "warc" / JOB).glob("*.warc.gz")):
        with open(path, "rb") as handle:
            for record in ArchiveIterator(handle):
                found.append((record.rec_type, record.rec_headers["WARC-Target-URI"],
                              record.rec_headers.get_header("WARC-Concurrent-To")))
    return found


def static_hits(site) -> Counter:
    hits = Counter(site.hits())
    hits.update({f"cdn:{path}": n for path, n in site.cdn.hits().items()})
    return Counter({path: n for path, n in hits.items()
                    if path.startswith(("/static/", "/favicon", "cdn:/img/"))})


@pytest.fixture(scope="module")
def first(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("requisites")
    with shared_assets.running(stories=4, gallery=300) as site:
        yield tmp, site, crawl(tmp, site, "-s", "REQUISITES_PER_PAGE=40")


class TestOneCrawl:
    def test_shared_requisites_are_fetched_once(self, first):
        _, site, _ = first
        hits = static_hits(site)
        for path in ("/static/site.css", "/static/base.css", "/static/serif.woff2",
                     "/static/paper.png", "/favicon.ico", "cdn:/img/logo.png"):
            assert hits[path] == 1, (path, hits)
        for n in range(1, 5):  # each article's picture, its 2x candidate and its lazy one
            for name in (f"story-{n}", f"story-{n}-2x", f"lazy-{n}"):
                assert hits[f"cdn:/img/{name}.png"] == 1, (name, hits)

    def test_they_are_archived_as_request_and_response_records(self, first):
        tmp, site, _ = first
        found = records(tmp)
        responses = {uri for kind, uri, _ in found if kind == "response"}
        for path in ("/static/site.css", "/static/base.css", "/static/serif.woff2"):
            assert site.url(path) in responses
        assert f"{site.cdn.base}/img/story-1-2x.png" in responses
        requests = {uri: concurrent for kind, uri, concurrent in found if kind == "request"}
        assert requests[site.url("/static/serif.woff2")]  # paired with its response

    def test_the_ad_host_is_never_asked_and_the_gallery_is_capped(self, first):
        tmp, site, result = first
        report = latest_report(tmp)["counts"]["requisites"]
        assert report["skipped"]["excluded_host"] >= 1
        hits = static_hits(site)
        gallery = sum(n for path, n in hits.items() if "gallery-" in path)
        # The gallery's 40, and its last picture, which the first article shows too:
        # a picture over one page's cap is still asked for another page.
        assert gallery == 40 + 1 and hits["cdn:/img/gallery-299.png"] == 1
        assert report["skipped"]["page_cap"] in (300 - 40 - 1, 300 - 40)
        assert "Page requisites:" in result.stdout and "excluded_host" in result.stdout

    def test_pages_are_counted_apart(self, first):
        tmp, _, _ = first
        counts = latest_report(tmp)["counts"]
        # Home, gallery, 4 articles, and the robots.txt of the site and of the CDN.
        assert counts["pages_fetched"] == 6 + 2
        assert counts["articles"]["new"] == 4
        assert counts["requisites"]["fetched"] >= 6 + 12 + 40
        assert counts["errors"] == 0


def test_max_pages_counts_pages_only(tmp_path):
    with shared_assets.running(stories=4, gallery=0) as site:
        crawl(tmp_path, site, "--max-pages", "3")
        counts = latest_report(tmp_path)["counts"]
        assert counts["pages_fetched"] - 2 == 3  # and two robots.txt
        assert counts["requisites"]["fetched"] > 3


def test_later_runs_leave_fresh_requisites_then_recheck_them(tmp_path):
    with shared_assets.running(stories=2, gallery=0) as site:
        crawl(tmp_path, site)
        first = static_hits(site)
        crawl(tmp_path, site)  # within REQUISITES_RECHECK_DAYS: not asked again
        assert static_hits(site) == first
        assert latest_report(tmp_path)["counts"]["requisites"]["skipped"]["fresh"] >= 1
        site.gazette.changed.add("/static/base.css")
        site.reset_requests()
        site.cdn.reset_requests()
        crawl(tmp_path, site, "-s", "REQUISITES_RECHECK_DAYS=0")
        asked = {entry["path"]: entry for entry in site.requests()}
        # Asked conditionally, unchanged: a revisit record.
        assert asked["/favicon.ico"]["if_none_match"] == '"/favicon.ico-v1"'
        assert asked["/favicon.ico"]["status"] == 304
        # A stylesheet is read again in full, for what it imports: base.css changed.
        assert asked["/static/site.css"]["if_none_match"] is None
        assert asked["/static/base.css"]["status"] == 200
        report = latest_report(tmp_path)["counts"]
        assert report["requisites"]["not_modified"] >= 1
        assert report["revisit_records"] >= 1


def test_requisites_a_stopped_run_left_are_asked_for_by_the_next(tmp_path):
    """A run stopped before its pages' requisites came (here: its time ran out while a
    slow CDN answered) leaves them to the next run, which asks for them although it
    fetches none of those pages again."""
    with shared_assets.running(stories=4, gallery=0) as site:
        site.gazette.cdn_delay = 2.0  # one request at a time: 2 s a picture, 13 of them
        # Pages come before requisites (REQUISITE_PRIORITY): all four articles are in
        # long before the 8 s are up, and most pictures are not.
        crawl(tmp_path, site, "-s", "CLOSESPIDER_TIMEOUT=8", "-s", "CONCURRENT_REQUESTS=1")
        stopped = latest_report(tmp_path)["counts"]
        assert stopped["articles"]["new"] == 4
        pictures = {f"/img/{name}.png" for n in range(1, 5)
                    for name in (f"story-{n}", f"story-{n}-2x", f"lazy-{n}")}
        assert pictures - set(site.cdn.hits()), "every picture came before the stop"
        site.gazette.cdn_delay = 0.0
        site.reset_requests()
        crawl(tmp_path, site)
        assert not any(path.startswith("/news/") for path in site.hits())  # known articles
        archived = {uri for kind, uri, _ in records(tmp_path) if kind == "response"}
        assert {site.cdn.base + path for path in pictures} <= archived
        assert latest_report(tmp_path)["counts"]["carried_over"] >= 1


@pytest.mark.parametrize("mode", ["none", "same-site"])
def test_the_job_chooses_which(tmp_path, mode):
    with shared_assets.running(stories=2, gallery=0) as site:
        result = crawl(tmp_path, site, source_extra=f'requisites = "{mode}"')
        hits = static_hits(site)
        assert not any(path.startswith("cdn:") for path in hits)
        assert ("/static/site.css" in hits) == (mode == "same-site")
        if mode == "same-site":
            assert "other_site" in result.stdout


def test_a_cdn_the_job_does_not_allow_is_not_reached(tmp_path):
    with shared_assets.running(stories=2, gallery=0) as site:
        job = tmp_path / "job.toml"
        job.write_text(f'name = "{JOB}"\n[[sources]]\nname = "gazette"\n'
                       f'seeds = ["{site.base}/"]\n', encoding="utf-8")
        run_cli("crawl", str(job), "--out", str(tmp_path / "archive"),
                "-s", "DOWNLOAD_DELAY=0", "-s", "EXTRACT_INLINE=True")
        assert site.cdn.hits() == {} or set(site.cdn.hits()) <= {"/robots.txt"}
        assert latest_report(tmp_path)["counts"]["articles"]["new"] == 2


def test_a_bad_choice_is_one_line_and_exit_2(tmp_path):
    job = tmp_path / "job.toml"
    job.write_text('requisites = "some"\n[[sources]]\nname = "a"\n'
                   'seeds = ["http://127.0.0.1:9/"]\n', encoding="utf-8")
    result = run_cli("crawl", str(job), "--out", str(tmp_path / "archive"))
    assert result.returncode == 2
    assert "requisites" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "archive").exists()
    result = run_cli("crawl", "--seed", "http://127.0.0.1:9/", "--requisites", "some",
                     "--out", str(tmp_path / "archive"))
    assert result.returncode == 2 and not (tmp_path / "archive").exists()
