"""End-to-end holdout 2: crawl the "Millbrook Daily Register" and compare with its ground truth.

The site (tests/holdout2/site.py) was written without reading the crawler's code. It
uses a WordPress block theme, a single-object JSON-LD CMS and an HTML 4 legacy
edition. Every mismatch is collected and reported in one failure message.

``published`` is compared as an instant when both sides are full timestamps (so "Z"
and "+00:00", or "+00:00" and the same moment in "-04:00", are equal); a naive
timestamp only equals the same naive timestamp, and a date only equals that date.
"""

from __future__ import annotations

import re

from tests.sites.checks import (
    assert_clean_exit,
    assert_no_problems,
    check_articles,
    crawl_fixture,
    fixture_problems,
    norm,
    same_moment,
    site_fixture,
)
from tests.sites.odd_bylines import ARTICLES, EXPECTED, EXPECTED_NON_ARTICLES, serve

JOB = "holdout2"
# the story as one normalised string: boilerplate must not be part of it
STORIES = {a["path"]: norm(" ".join(a["body"])) for a in ARTICLES}

site = site_fixture(serve)
crawl = crawl_fixture(JOB)


def links(markup: str) -> list[str]:
    """<a href> (in any case, as the HTML 4 edition writes it) and <link rel="next">."""
    return (re.findall(r'<a\b[^>]*\bhref="([^"#]+)"', markup, flags=re.I)
            + re.findall(r'<link rel="next" href="([^"]+)"', markup))


def test_ground_truth_is_consistent_with_the_site(site):
    """Guards the fixture: snippets are where the ground truth says, boilerplate is not
    part of the story, and every page named in the ground truth is reachable by links."""
    assert_no_problems(fixture_problems(site, EXPECTED, EXPECTED_NON_ARTICLES, STORIES, links))


def test_crawl_exits_cleanly(crawl):
    assert_clean_exit(crawl[0])


def test_articles_match_ground_truth(site, crawl):
    # same_moment's defaults: full timestamps only, naive never equals aware
    check_articles(site, crawl, EXPECTED, EXPECTED_NON_ARTICLES, moment=same_moment)
