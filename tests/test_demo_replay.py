"""The demo's archive replays its articles styled, as the demo site showed them (issue 24).

``newsarchive demo`` crawls the bundled newsroom, whose pages ask for a stylesheet that
imports another, a web font, a masthead picture named only in CSS, article pictures, a
script and a favicon. Its archive is replayed by pywb in headless chromium and compared
with the same page served live (by a fresh copy of the demo site: the demo's own is gone
once it ends, and a page's port shows nowhere on it).

The replay's screenshot is what docs/research.md shows: run this test with
``NEWSARCHIVE_DOCS_SCREENSHOTS=1`` to write it to ``docs/replay.png``.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from archive.replay.pywb import ReplayServer, article_links
from crawler.demo.site import serve_in_thread
from tests.conftest import ROOT, run_cli
from tests.headless import BROWSER_MARKS, chromium
from tests.replaycheck import REQUISITE_TYPES, PageLoad, load_replay, page_load
from tests.replaycheck import screenshot_difference as difference

pytestmark = [*BROWSER_MARKS, pytest.mark.pywb, pytest.mark.s3]

# As in tests/test_replay_requisites.py: the same bytes drawn by the same browser.
SAME_PAGE = 0.001
DOCS_SCREENSHOT = ROOT / "docs" / "replay.png"
# What the newsroom's stylesheets set: its font, and the page's paper colour.
STYLED = """return [document.fonts.check('1em "Newsroom Serif"'),
                    getComputedStyle(document.body).backgroundColor]"""


@pytest.fixture(scope="module")
def demo_archive(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "archive"
    result = run_cli("demo", "--out", str(out))
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    return out


@pytest.fixture(scope="module")
def browser(tmp_path_factory) -> Iterator:
    yield from chromium(tmp_path_factory.mktemp("chromium"), performance_log=True)


@pytest.fixture(scope="module")
def site() -> Iterator:
    with serve_in_thread("demo") as running:
        yield running


def an_article_with_a_picture(site) -> str:
    """The path of the newest article whose page shows a picture in its body."""
    return next(a.path for a in site.site.expected_articles if a.template == "jsonld")


@pytest.fixture(scope="module")
def live(site, browser) -> PageLoad:
    return page_load(browser, site.url(an_article_with_a_picture(site)))


def test_the_live_page_is_styled(site, browser, live):
    assert browser.execute_script(STYLED) == [True, "rgb(246, 241, 231)"]
    kinds = {r.type for r in live.requests if r.ok and r.url.startswith(site.base_url)}
    assert kinds >= {*REQUISITE_TYPES, "Script"}
    assert [r.url for r in live.requests if not r.ok] == []


def test_the_replayed_article_looks_like_the_live_page(demo_archive, pywb_bin, browser,
                                                       site, live, tmp_path):
    path = an_article_with_a_picture(site)
    with ReplayServer(demo_archive, jobs=["demo"], pywb=pywb_bin, framed=False) as server:
        [link] = [link for link in article_links(server, "demo")
                  if link.url.endswith(path)]
        replay = load_replay(browser, link.replay_url, prefix=f"{server.base_url}/demo/")
        styled = browser.execute_script(STYLED)
    shots = {"live": live.screenshot, "replay": replay.load.screenshot}
    for name, png in shots.items():
        (tmp_path / f"{name}.png").write_bytes(png)
    assert replay.missing == [] and replay.escaped == []
    asked_live = {r.url.removeprefix(site.base_url) for r in live.of_type(*REQUISITE_TYPES)}
    demo_base = link.url.removesuffix(path) + "/"
    replayed = {url.removeprefix(demo_base) for url in replay.archived_urls(*REQUISITE_TYPES)}
    assert asked_live <= replayed
    assert styled == [True, "rgb(246, 241, 231)"]
    assert difference(live.screenshot, replay.load.screenshot) <= SAME_PAGE, \
        f"screenshots in {tmp_path}"
    if os.environ.get("NEWSARCHIVE_DOCS_SCREENSHOTS"):
        save_for_docs(replay.load.screenshot, DOCS_SCREENSHOT)


def save_for_docs(png: bytes, path: Path) -> None:
    """A screenshot in 256 colours: a quarter of the bytes, the same to a reader."""
    from PIL import Image

    Image.open(io.BytesIO(png)).convert("RGB").quantize(256).save(path, optimize=True)
