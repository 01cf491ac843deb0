"""End-to-end holdout: crawl an unfamiliar news site and compare with its ground truth.

The site (tests/holdout/site.py) was written independently of the crawler's
discovery and extraction code. Every mismatch is collected and reported in one
failure message, so a single run shows everything that is wrong.
"""

from __future__ import annotations

import re
from functools import partial

from tests.sites.checks import (
    assert_clean_exit,
    assert_no_problems,
    check_articles,
    crawl_fixture,
    fixture_problems,
    same_moment,
    site_fixture,
)
from tests.sites.cms_generations import ARTICLES, EXPECTED, EXPECTED_NON_ARTICLES, serve

JOB = "holdout"
STORIES = {a["path"]: " ".join(a["body"]) for a in ARTICLES}

site = site_fixture(serve)
crawl = crawl_fixture(JOB)

# "Z" and "+00:00" spell the same instant; a date-only record may meet a timestamp.
moment = partial(same_moment, got_needs_time=False)


def links(markup: str) -> list[str]:
    """<a href> and <link rel="next">, as this site writes them."""
    return (re.findall(r'<a\b[^>]*\bhref="([^"#]+)"', markup)
            + re.findall(r'<link rel="next" href="([^"]+)"', markup))


def test_ground_truth_is_consistent_with_the_site(site):
    """Guards the fixture itself: snippets are where the ground truth says they are,
    and every expected article is reachable from the home page by links."""
    assert_no_problems(fixture_problems(site, EXPECTED, EXPECTED_NON_ARTICLES, STORIES, links))


def test_crawl_exits_cleanly(crawl):
    assert_clean_exit(crawl[0])


def test_articles_match_ground_truth(site, crawl):
    check_articles(site, crawl, EXPECTED, EXPECTED_NON_ARTICLES, moment=moment)
