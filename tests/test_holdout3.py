"""End-to-end holdout 3: crawl a bilingual (German/English) local news site.

The site (tests/holdout3/site.py) was written without reading the crawler's code.
Every mismatch is collected and reported in one failure message, so a single run
shows everything that is wrong.
"""

from __future__ import annotations

import re
import urllib.error
from functools import partial

import pytest

from tests.sites.bilingual import ARTICLES, EXPECTED, EXPECTED_NON_ARTICLES, enc_path, serve
from tests.sites.checks import (
    assert_clean_exit,
    assert_no_problems,
    check_articles,
    crawl_fixture,
    fetch,
    fixture_problems,
    same_moment,
    url_key,
)

JOB = "holdout3"
STORIES = {enc_path(a["path"]): " ".join(a["body"]) for a in ARTICLES}
HREF = re.compile(r"""<a\b[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.I)
NEXT = re.compile(r"""<link\b[^>]*\brel="(?:next|prev)"[^>]*\bhref="([^"]+)\"""", re.I)



@pytest.fixture(scope="module")
def running():
    with serve() as running:
        yield running


@pytest.fixture(scope="module")
def site(running):
    return running.base

crawl = crawl_fixture(JOB)

# Path and query, with percent-encoding undone (an IRI and its URI are one page).
_key = partial(url_key, unquoted=True)
# Pages are decoded by their charset (the press-release archive is ISO-8859-1).
_fetch = partial(fetch, by_charset=True)
# "Z" and "+00:00" spell the same instant. A date-only expectation ("2024-06-11") must
# be matched exactly: the page shows no time, so a crawler that reports one has invented
# it; and a zoneless time is not an instant.
moment = partial(same_moment, needs_zone=True)


def primary_language(code: str | None) -> str:
    return (code or "").strip().lower().replace("_", "-").split("-")[0]


def links(markup: str) -> list[str]:
    """<a href> however it is quoted, and <link rel=next/prev>."""
    return ["".join(m) for m in HREF.findall(markup)] + NEXT.findall(markup)


def test_ground_truth_is_consistent_with_the_site(site):
    """Guards the fixture itself: snippets are where the ground truth says they are,
    and every expected page is reachable from the home page by links (robots is
    honoured: nothing under /intern/ is followed)."""
    assert_no_problems(fixture_problems(
        site, EXPECTED, EXPECTED_NON_ARTICLES, STORIES, links, get=_fetch, story_has_body=True,
        key=_key, quote=enc_path, ignore=urllib.error.HTTPError,
        skip=lambda path: path.startswith("/intern/")))


def test_crawl_exits_cleanly(crawl):
    assert_clean_exit(crawl[0])


def test_articles_match_ground_truth(running, site, crawl):
    crawler_hits = [r["path"] for r in running.requests()
                    if not r["user_agent"].startswith("Python-urllib")]
    robots = [f"ROBOTS     fetched {path}, which robots.txt disallows"
              for path in sorted({p for p in crawler_hits if _key(p).startswith("/intern/")})]
    check_articles(site, crawl, EXPECTED, EXPECTED_NON_ARTICLES, problems=robots, key=_key,
                   moment=moment, fields={"language": primary_language})
