"""End to end, per local site: crawl it and compare every article with its ground truth.

Each site (``tests/sites/``) was written without reading the crawler's code and mixes
the templates of several CMS generations. Every mismatch is collected and reported in
one failure message, so a single run shows everything that is wrong with a site. What
differs between the sites (how they write links, how their dates compare, how their
pages are encoded) is in its ``Site`` below.
"""

from __future__ import annotations

import re
import urllib.error
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from types import ModuleType
from typing import Any

import pytest

from tests.sites import bilingual, cms_generations, odd_bylines
from tests.sites.checks import (
    assert_clean_exit,
    assert_no_problems,
    check_articles,
    crawl_site,
    fetch,
    fixture_problems,
    norm,
    same_moment,
    url_key,
)


@dataclass(frozen=True)
class Site:
    """One site under test and what its checks need to know about it."""

    name: str  # also the crawl's job name
    module: ModuleType  # serve(), ARTICLES, EXPECTED, EXPECTED_NON_ARTICLES
    links: Callable[[str], list[str]]  # the links of a page, as this site writes them
    stories: Mapping[str, str]  # path -> the story; boilerplate must not be part of it
    moment: Callable[[str | None, str], bool]  # does a record's "published" meet the truth
    key: Callable[[str], str] = url_key  # the page a URL or path names
    get: Callable[[str], str] = fetch  # a page as text
    quote: Callable[[str], str] = str  # a key as a URL path
    story_has_body: bool = False  # every body snippet must also be part of the story
    ignore: type[Exception] | tuple[type[Exception], ...] = Exception  # walk errors let be
    fields: Mapping[str, Callable[[Any], Any]] = field(default_factory=dict)  # also compared
    disallowed: tuple[str, ...] = ()  # path prefixes robots.txt forbids

    def __str__(self) -> str:
        return self.name


def plain_links(markup: str, flags: int = 0) -> list[str]:
    """<a href="..."> and <link rel="next" href="...">, double-quoted."""
    return (re.findall(r'<a\b[^>]*\bhref="([^"#]+)"', markup, flags=flags)
            + re.findall(r'<link rel="next" href="([^"]+)"', markup))


HREF = re.compile(r"""<a\b[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.I)
NEXT = re.compile(r"""<link\b[^>]*\brel="(?:next|prev)"[^>]*\bhref="([^"]+)\"""", re.I)


def any_links(markup: str) -> list[str]:
    """<a href> however it is quoted, and <link rel=next/prev>."""
    return ["".join(m) for m in HREF.findall(markup)] + NEXT.findall(markup)


def primary_language(code: str | None) -> str:
    return (code or "").strip().lower().replace("_", "-").split("-")[0]


SITES = [
    Site(
        "cms_generations", cms_generations, plain_links,
        stories={a["path"]: " ".join(a["body"]) for a in cms_generations.ARTICLES},
        # "Z" and "+00:00" spell the same instant; a date-only record may meet a timestamp.
        moment=partial(same_moment, got_needs_time=False),
    ),
    Site(
        # <a href> in any case, as the HTML 4 edition writes it
        "odd_bylines", odd_bylines, partial(plain_links, flags=re.I),
        # the story as one normalised string: boilerplate must not be part of it
        stories={a["path"]: norm(" ".join(a["body"])) for a in odd_bylines.ARTICLES},
        # An instant when both sides are full timestamps (so "Z" and "+00:00", or "+00:00"
        # and the same moment in "-04:00", are equal); a naive timestamp only equals the
        # same naive timestamp, and a date only equals that date.
        moment=same_moment,
    ),
    Site(
        "bilingual", bilingual, any_links,
        stories={bilingual.enc_path(a["path"]): " ".join(a["body"])
                 for a in bilingual.ARTICLES},
        # "Z" and "+00:00" spell the same instant. A date-only expectation ("2024-06-11")
        # must be matched exactly: the page shows no time, so a crawler that reports one
        # has invented it; and a zoneless time is not an instant.
        moment=partial(same_moment, needs_zone=True),
        # Path and query, with percent-encoding undone (an IRI and its URI are one page).
        key=partial(url_key, unquoted=True),
        # Pages are decoded by their charset (the press-release archive is ISO-8859-1).
        get=partial(fetch, by_charset=True),
        quote=bilingual.enc_path,
        story_has_body=True,
        ignore=urllib.error.HTTPError,
        fields={"language": primary_language},
        disallowed=tuple(bilingual.DISALLOWED),
    ),
]


@pytest.fixture(scope="module", params=SITES, ids=str)
def case(request) -> Site:
    return request.param


@pytest.fixture(scope="module")
def site(case):
    with case.module.serve() as running:
        yield running


@pytest.fixture(scope="module")
def crawl(case, site, tmp_path_factory):
    return crawl_site(site.base, tmp_path_factory.mktemp(case.name) / "archive", case.name)


class TestExtractionSite:
    def test_ground_truth_is_consistent_with_the_site(self, case, site):
        """Guards the fixture itself: snippets are where the ground truth says they are,
        boilerplate is not part of the story, and every page named in the ground truth is
        reachable from the home page by links (robots.txt is honoured: nothing it
        disallows is followed)."""
        module = case.module
        assert_no_problems(fixture_problems(
            site.base, module.EXPECTED, module.EXPECTED_NON_ARTICLES, case.stories,
            case.links, get=case.get, story_has_body=case.story_has_body, key=case.key,
            quote=case.quote, ignore=case.ignore,
            skip=lambda path: path.startswith(case.disallowed)))

    def test_crawl_exits_cleanly(self, crawl):
        assert_clean_exit(crawl[0])

    def test_articles_match_ground_truth(self, case, site, crawl):
        fetched = {r["path"] for r in site.requests()
                   if not r["user_agent"].startswith("Python-urllib")}
        robots = [f"ROBOTS     fetched {path}, which robots.txt disallows"
                  for path in sorted(fetched) if case.key(path).startswith(case.disallowed)]
        check_articles(site.base, crawl, case.module.EXPECTED, case.module.EXPECTED_NON_ARTICLES,
                       problems=robots, key=case.key, moment=case.moment,
                       fields=case.fields)
