"""Pages replay as readers saw them (issue 24): an article of a styled paper
(tests/sites/styled_papers.py: a stylesheet that imports another, a web font, a
background, pictures on a CDN host with srcset, <picture> and lazy data-src, a script, a
favicon) replayed by pywb in headless chromium and checked with tests/replaycheck.py.

``TestHarness`` proves the check without the crawler: every URL of the paper fetched with
urllib and written as WARC request/response records, replayed, and compared with the
live page; then the same archive without some records, which the check must catch.
``TestCrawledReplay`` does the same with what ``newsarchive crawl`` archives, and
``TestCrawledArchive`` checks the crawl's WARCs in the WACZ ``newsarchive export-wacz``
makes of them.

How alike is alike: live and replayed, the page is drawn by the same browser from the
same bytes, and pywb's unframed replay adds nothing visible, so the two screenshots are
the same pixel for pixel (measured: a difference of 0.0, as between two live loads).
``SAME_PAGE``, 0.1% of the screenshot (about 1,750 of its 1200x1457 pixels), leaves room
for a stray anti-aliased edge in some other chromium and is still far below the smallest
loss: measured, a lost lazy map (its 280x160 box) changes 2.6% of the pixels, a lost
font 14% (every line of text re-set), the lead image 13%, the stylesheets 100%.
``TestHarness.test_missing_records_are_caught`` asserts each loss is over ten times it.
"""

from __future__ import annotations

import io
import json
import urllib.error
import urllib.request
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archive.replay.pywb import ReplayServer, article_links
from archive.warc.cdxj import write_cdxj
from tests.conftest import run_cli
from tests.headless import BROWSER_MARKS, chromium
from tests.replaycheck import (
    REQUISITE_TYPES,
    PageLoad,
    ReplayLoad,
    load_replay,
    page_load,
    screenshot_difference,
)
from tests.sites import styled_papers
from tests.sites.styled_papers import TRACKER_HOSTS, TRACKERS

# The most two screenshots of one page may differ by and still be the same page (see the
# module's docstring).
SAME_PAGE = 0.001
ARTICLE = "flood-defences-wettest-march"
USER_AGENT = "newsarchive-tests/1.0 (replay requisites)"
_HTTP = urllib.request.build_opener(urllib.request.ProxyHandler({}))
REPLAY_MARKS = [*BROWSER_MARKS, pytest.mark.pywb]


@dataclass(frozen=True)
class Capture:
    """One exchange as urllib saw it: what a WARC response record holds."""

    url: str
    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes


def fetch(url: str) -> Capture:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    with _HTTP.open(request, timeout=30) as response:
        return Capture(url, response.status, response.reason, list(response.headers.items()),
                       response.read())


def write_warc(path: Path, captures: list[Capture]) -> Path:
    """``captures`` as WARC/1.1 request and response records in ``path``, and its CDXJ.
    (A record given its length is written straight from its payload; without one, warcio
    spools it to a temporary file it never closes.)"""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True, warc_version="1.1")
        for capture in captures:
            parts = urlsplit(capture.url)
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            request = writer.create_warc_record(
                capture.url, "request", payload=io.BytesIO(b""), length=0,
                http_headers=StatusAndHeaders(f"GET {target} HTTP/1.1",
                                              [("Host", parts.netloc),
                                               ("User-Agent", USER_AGENT)],
                                              is_http_request=True))
            response = writer.create_warc_record(
                capture.url, "response", payload=io.BytesIO(capture.body),
                length=len(capture.body),
                http_headers=StatusAndHeaders(f"{capture.status} {capture.reason}",
                                              capture.headers, protocol="HTTP/1.0"))
            writer.write_request_response_pair(request, response)
    write_cdxj(path)
    return path


def prefix(server: ReplayServer, job: str) -> str:
    """Where pywb replays the collection ``job``."""
    return f"{server.base_url}/{job}/"


def saved(tmp_path: Path, **screenshots: bytes) -> str:
    """Write screenshots where the reader of a failed test can look at them."""
    for name, png in screenshots.items():
        (tmp_path / f"{name}.png").write_bytes(png)
    return f"screenshots in {tmp_path}"


def outside_trackers(urls: set[str]) -> set[str]:
    return {url for url in urls if urlsplit(url).hostname not in TRACKER_HOSTS}


@pytest.fixture(scope="module")
def paper() -> Iterator[styled_papers.Site]:
    with styled_papers.serve() as site:
        yield site


@pytest.fixture(scope="module")
def browser(tmp_path_factory) -> Iterator:
    yield from chromium(tmp_path_factory.mktemp("chromium"), performance_log=True)


@pytest.fixture(scope="module")
def live(paper, browser) -> PageLoad:
    """The article as a reader sees it on the live site."""
    return page_load(browser, paper.url(ARTICLE))


class TestPaperFiles:
    """The paper's files are what they say they are, and answer conditional requests."""

    def test_pictures_decode_as_their_type(self, paper):
        from PIL import Image

        for url in paper.urls():
            capture = fetch(url)
            kind = dict(capture.headers)["Content-Type"]
            if kind.startswith("image/"):
                image = Image.open(io.BytesIO(capture.body))
                image.load()
                assert Image.MIME[image.format] == kind, url
        assert fetch(paper.base + "/static/fonts/serif.woff2").body[:4] == b"wOF2"

    def test_validators_answer_304(self, paper):
        url = paper.cdn_base + "/graphics/bakery-bread-award-chart.webp"
        headers = dict(fetch(url).headers)
        for condition in ({"If-None-Match": headers["ETag"]},
                          {"If-Modified-Since": headers["Last-Modified"]}):
            request = urllib.request.Request(url, headers=condition)
            with pytest.raises(urllib.error.HTTPError) as answer:
                _HTTP.open(request, timeout=30)
            answer.value.close()
            assert answer.value.code == 304
        assert fetch(paper.base + "/robots.txt").body == fetch(paper.cdn_base + "/robots.txt").body


class TestScreenshotDifference:
    def test_share_of_differing_pixels(self):
        from PIL import Image

        def png(image: Image.Image) -> bytes:
            out = io.BytesIO()
            image.save(out, "PNG")
            return out.getvalue()

        white = Image.new("RGB", (10, 10), (255, 255, 255))
        dotted = white.copy()
        dotted.putpixel((3, 4), (250, 255, 255))
        dotted.putpixel((5, 5), (0, 0, 0))
        assert screenshot_difference(png(white), png(white)) == 0.0
        assert screenshot_difference(png(white), png(dotted)) == 0.02
        assert screenshot_difference(png(white), png(dotted), tolerance=5) == 0.01
        assert screenshot_difference(png(white), png(Image.new("RGB", (10, 11)))) == 1.0


class TestLivePage:
    """The live page asks for every requisite its ground truth names, and gets it."""

    pytestmark = BROWSER_MARKS

    def test_every_requisite_is_asked_for_and_served(self, paper, live):
        asked = {r.url: r for r in live.requests}
        needed = paper.requisites(paper.url(ARTICLE))
        # Not the favicon: chromium fetches it once a session, not once a page.
        on_site = {url for url, kind in needed.items()
                   if url.startswith(paper.base) and kind != "icon"}
        # What the browser picks: one width of each srcset, the <picture>'s WebP.
        picked = {url for url in needed if url.endswith(("-800.png", "-chart.webp",
                                                         "-map-280.png"))}
        assert on_site | picked <= set(asked)
        assert [asked[url] for url in on_site | picked if not asked[url].ok] == []
        assert {asked[url].type for url in on_site | picked} >= {*REQUISITE_TYPES, "Script"}

    def test_trackers_fail_without_the_internet(self, live):
        failed = {r.url: r.error for r in live.requests if r.url in TRACKERS}
        assert failed == dict.fromkeys(TRACKERS, "net::ERR_NAME_NOT_RESOLVED")

    def test_two_loads_look_the_same(self, paper, browser, live):
        again = page_load(browser, paper.url(ARTICLE))
        assert screenshot_difference(live.screenshot, again.screenshot) == 0.0


# Archives of the paper fetched with urllib, one job each: "full", and one per entry here
# without the records whose URLs end so.
DROPPED = {
    "stylesheets": (".css", ".woff2"),
    "font": (".woff2",),
    "background": ("/paper.png",),
    "script": ("/site.js",),
    "lead-image": (f"{ARTICLE}-800.png",),
    "lazy-map": (f"{ARTICLE}-map-280.png",),
}


@pytest.fixture(scope="module")
def fetched_archive(paper, tmp_path_factory) -> Path:
    """Every URL of the paper (pages and files, both hosts) fetched once with urllib and
    written as job "full" and as one job per entry of ``DROPPED``."""
    root = tmp_path_factory.mktemp("fetched")
    captures = [fetch(url) for url in paper.urls()]
    write_warc(root / "warc" / "full" / "full-20260306000000000-00001-test.warc.gz", captures)
    for job, endings in DROPPED.items():
        write_warc(root / "warc" / job / f"{job}-20260306000000000-00001-test.warc.gz",
                   [c for c in captures if not c.url.endswith(endings)])
    return root


@pytest.fixture(scope="module")
def fetched_replay(pywb_bin, fetched_archive) -> Iterator[ReplayServer]:
    with ReplayServer(fetched_archive, pywb=pywb_bin, framed=False) as server:
        yield server


def replayed(server: ReplayServer, job: str, browser, paper) -> ReplayLoad:
    url = server.replay_url(job, "", paper.url(ARTICLE))
    return load_replay(browser, url, prefix=prefix(server, job), hosts=paper.hosts)


class TestHarness:
    pytestmark = REPLAY_MARKS

    def test_every_requisite_comes_from_the_archive(self, fetched_replay, browser, paper,
                                                    live, tmp_path):
        replay = replayed(fetched_replay, "full", browser, paper)
        asked_live = outside_trackers({r.url for r in live.of_type(*REQUISITE_TYPES)})
        assert asked_live <= replay.archived_urls(*REQUISITE_TYPES)
        assert replay.missing_urls(except_hosts=TRACKER_HOSTS) == set()
        # The trackers were asked for too, of pywb, which has never seen them.
        assert {r.original for r in replay.missing} == set(TRACKERS)
        assert replay.escaped == []
        assert replay.live == []
        difference = screenshot_difference(live.screenshot, replay.load.screenshot)
        assert difference <= SAME_PAGE, saved(tmp_path, live=live.screenshot,
                                              replay=replay.load.screenshot)

    @pytest.mark.parametrize("job", list(DROPPED))
    def test_missing_records_are_caught(self, fetched_replay, browser, paper, live, job,
                                        tmp_path):
        replay = replayed(fetched_replay, job, browser, paper)
        missing = replay.missing_urls(except_hosts=TRACKER_HOSTS)
        dropped = {url for url in paper.urls() if url.endswith(DROPPED[job])}
        # What the page asks for is reported missing; what only a missing file would
        # have asked for (the font of a missing stylesheet) is never asked for.
        assert missing and missing <= dropped
        assert replay.escaped == [] and replay.live == []
        difference = screenshot_difference(live.screenshot, replay.load.screenshot)
        assert difference > 10 * SAME_PAGE, saved(tmp_path, live=live.screenshot,
                                                   replay=replay.load.screenshot)


@dataclass
class Crawled:
    out: Path
    requests: dict[str, list[dict[str, Any]]]  # host base -> what it saw during the crawl


@pytest.fixture(scope="module")
def crawled(paper, tmp_path_factory) -> Crawled:
    """The paper crawled by ``newsarchive crawl`` (job "styled"), and what each of its
    hosts saw of the crawl."""
    folder = tmp_path_factory.mktemp("crawled")
    job = folder / "styled.toml"
    job.write_text(paper.job_toml("styled"), encoding="utf-8")
    before = {host.base: len(host.requests()) for host in paper.hosts}
    result = run_cli("crawl", str(job), "--out", str(folder / "archive"))
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    return Crawled(folder / "archive",
                   {host.base: host.requests()[before[host.base]:] for host in paper.hosts})


def responses(warc: Any) -> list[tuple[str, str]]:
    """(target URI, HTTP status) of every response record in a WARC stream."""
    return [(record.rec_headers.get_header("WARC-Target-URI"),
             record.http_headers.get_statuscode())
            for record in ArchiveIterator(warc) if record.rec_type == "response"]


def test_the_crawl_extracts_every_article(crawled, paper):
    """The paper is a news site the crawler reads today: six articles, each whole."""
    found = {}
    for part in sorted((crawled.out / "articles" / "styled").glob("*.jsonl")):
        for line in part.read_text("utf-8").splitlines():
            article = json.loads(line)
            found[article["url"]] = article
    assert set(found) == {truth["url"] for truth in paper.articles}
    for truth in paper.articles:
        article = found[truth["url"]]
        assert (article["title"], article["authors"], article["published"]) == \
            (truth["title"], [truth["author"]], truth["published"])
        assert truth["body"][0][:60] in article["text"]
        assert truth["body"][-1][-60:] in article["text"]


class TestCrawledReplay:
    pytestmark = REPLAY_MARKS

    def test_replayed_article_looks_like_the_live_page(self, crawled, pywb_bin, browser,
                                                       paper, live, tmp_path):
        with ReplayServer(crawled.out, jobs=["styled"], pywb=pywb_bin,
                          framed=False) as server:
            [link] = [link for link in article_links(server, "styled")
                      if link.url == paper.url(ARTICLE)]
            replay = load_replay(browser, link.replay_url, prefix=prefix(server, "styled"),
                                 hosts=paper.hosts)
        assert replay.missing_urls(except_hosts=TRACKER_HOSTS) == set()
        assert replay.escaped == [] and replay.live == []
        asked_live = outside_trackers({r.url for r in live.of_type(*REQUISITE_TYPES)})
        assert asked_live <= replay.archived_urls(*REQUISITE_TYPES)
        difference = screenshot_difference(live.screenshot, replay.load.screenshot)
        assert difference <= SAME_PAGE, saved(tmp_path, live=live.screenshot,
                                              replay=replay.load.screenshot)


class TestCrawledArchive:
    def test_wacz_holds_every_requisite_once(self, crawled, paper, tmp_path):
        wacz = tmp_path / "styled.wacz"
        result = run_cli("export-wacz", "--out", str(crawled.out), "--job", "styled",
                         "-o", str(wacz))
        assert result.returncode == 0, result.stderr[-3000:]
        found: list[tuple[str, str]] = []
        with zipfile.ZipFile(wacz) as package:
            for name in package.namelist():
                if name.startswith("archive/") and ".warc" in name:
                    with package.open(name) as warc:
                        found += responses(warc)
        counts = Counter(found)
        # Every page's requisites, the CDN's pictures among them: once each, fetched
        # once per crawl however many pages share them.
        needed = {url for page in paper.page_urls() for url in paper.requisites(page)}
        assert {url: counts[url, "200"] for url in needed} == dict.fromkeys(needed, 1)
        assert any(url.startswith(paper.cdn_base) for url in needed)
        assert not [url for url, _ in found if urlsplit(url).hostname in TRACKER_HOSTS]

    def test_the_cdn_is_crawled_under_its_robots_txt(self, crawled, paper):
        seen = [entry["path"] for entry in crawled.requests[paper.cdn_base]]
        assert seen and seen[0] == "/robots.txt"
        assert [path for path, n in Counter(seen).items() if n > 1] == []
