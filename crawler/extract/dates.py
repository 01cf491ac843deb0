"""Publication and modification dates of an article page, as ISO 8601.

Read in order of reliability: the JSON-LD article, then meta tags, then ``<time>`` in
the article, then the dateline printed under the headline
(:mod:`crawler.extract.dateline`), and only then htmldate's heuristics, the slow part.
A date is kept with the offset the page gives; see :func:`published_date` for when the
page's visible dateline or its URL overrule the markup's day.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from email.utils import parsedate_to_datetime
from functools import cached_property
from typing import Any

from htmldate import find_date
from lxml.html import HtmlElement

from crawler.extract._areas import in_boilerplate_area
from crawler.extract._headline import story_headline
from crawler.extract._text import clean as _clean
from crawler.extract.dateline import publication_day, visible_dates

__all__ = ["PageDates", "modified_date", "published_date"]



_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_OFFSET_NO_COLON = re.compile(r"([+-]\d{2})(\d{2})$")


def _iso(value: Any) -> str | None:
    """Normalise a machine-readable timestamp to ISO 8601, keeping the page's own offset.

    ``Z`` becomes ``+00:00`` and ``+0200`` becomes ``+02:00``; a bare date stays
    a bare date; RFC 2822 dates (as in some meta tags) are accepted too.
    """
    text = _clean(value)
    if not text:
        return None
    if _DATE_ONLY.match(text[:10]) and len(text) == 10:
        try:
            return datetime.fromisoformat(text).date().isoformat()
        except ValueError:
            return None
    try:
        parsed = datetime.fromisoformat(_OFFSET_NO_COLON.sub(r"\1:\2", text))
    except ValueError:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    if not 1900 < parsed.year < 2200:
        return None
    return parsed.isoformat()


_PUBLISHED_META = (
    "article:published_time", "og:article:published_time", "datepublished", "pubdate",
    "publishdate", "publish-date", "publication_date", "parsely-pub-date", "sailthru.date",
    "dc.date.issued", "dcterms.issued", "dc.date", "date",
)
_MODIFIED_META = (
    "article:modified_time", "og:updated_time", "datemodified", "last-modified",
    "dcterms.modified", "dc.date.modified",
)
# <time datetime> in the article or its byline, not in a sidebar or related list
_TIME_XPATH = (
    '//*[@itemprop="datePublished"][@datetime or @content]'
    " | //article//time[@datetime] | //*[contains(@class, 'byline')]//time[@datetime]"
    " | //time[@pubdate][@datetime]"
)


class PageDates:
    """The page's headline and the datelines printed under it, each found once, when
    first asked for (the bylines ask for the headline too)."""

    def __init__(self, tree: HtmlElement, title: str | None) -> None:
        self.tree, self.title = tree, title
        self._read: tuple[str | None, str | None] | None = None

    @cached_property
    def headline(self) -> HtmlElement | None:
        return story_headline(self.tree, self.title)

    def _dates(self) -> tuple[str | None, str | None]:
        if self._read is None:
            self._read = visible_dates(self.tree, self.title, headline=self.headline)
        return self._read

    @property
    def published(self) -> str | None:
        return self._dates()[0]

    @property
    def updated(self) -> str | None:
        return self._dates()[1]


def published_date(
    article: dict, metas: dict[str, list[str]], tree: HtmlElement, url: str | None,
    title: str | None = None, shown: PageDates | None = None,
) -> str | None:
    """The first-publication date (ISO 8601 as the page gives it, or a bare date), or None.

    The markup's date stands unless the page itself says otherwise: a full date in the
    URL (``/2019/11/18/``) is fixed when the story is first published, while metadata is
    rewritten by republication, syndication and CMS migrations, so the URL's day wins
    when they differ, unless the dateline printed under the headline names the markup's
    day too (two witnesses against one: a newspaper's URL may carry the print edition's
    day, the morning after the web story). The dateline printed under the headline
    outweighs the markup when they are days apart, unless the URL names the markup's
    day: what the reader sees is the story's day, while the markup may be a re-import's
    or an edit's (a blog's ``dateUpdated`` as its only date). A UTC or offset-less
    timestamp a day off that dateline is read in the page's zone (:func:`_in_page_zone`).
    """
    shown = shown or PageDates(tree, title)
    found = _from_markup(article, metas, tree, shown)
    url_day = url_date(url)
    if url_day and (found is None or found[:10] != url_day) and not (
        found and shown.published == found[:10]
    ):
        return url_day
    if found:
        printed = shown.published
        if printed and url_day != found[:10] and _days_apart(printed, found) > 1:
            return printed
        return _in_page_zone(found, shown)
    # a date written out under the headline (``title``), then the last resort and the slow
    # one: htmldate's heuristics (visible text, links), a date only; but not the day the
    # page says it was updated: when that is all it prints, the publication day is unknown
    if shown.published:
        return shown.published
    guess = find_date(tree, extensive_search=True, original_date=True, url=url)
    return None if guess and guess == shown.updated else guess


def _days_apart(day: str, stamp: str) -> int:
    return abs((date.fromisoformat(day) - date.fromisoformat(stamp[:10])).days)


def _from_markup(article: dict, metas: dict[str, list[str]], tree: HtmlElement,
                 shown: PageDates) -> str | None:
    for value in (article.get("datePublished"), article.get("dateCreated")):
        if found := _iso(value):
            return found
    for key in _PUBLISHED_META:
        for value in metas.get(key, ()):
            if found := _iso(value):
                return found
    for element in tree.xpath(_TIME_XPATH):
        # a column beside the story with its date is the story's (shown.headline says
        # which story that is, found only when no JSON-LD or meta tag gave a date)
        if not in_boilerplate_area(element, shown.headline, dated=True) and (
            found := _iso(element.get("datetime") or element.get("content"))
        ):
            return _as_printed(element, found)
    return None


def _as_printed(element: HtmlElement, found: str) -> str:
    """A ``<time datetime>`` whose own text is a dateline naming another day, days away
    ("Publié le 29 juin 2019" on ``2019-07-03T10:18:46Z``): the reader's day, the one
    printed. The attribute is the CMS's (an edit, a re-import) and nobody proofreads it.
    A day's difference is a time zone's, settled by :func:`_in_page_zone`."""
    printed = publication_day(element.text_content())
    if printed is None:
        return found
    apart = abs((date.fromisoformat(printed) - date.fromisoformat(found[:10])).days)
    return printed if apart > 1 else found


# /2019/11/18/, /2019-11-18-, /20191118/: a whole date as path segments; an archive
# listing's /2019/11/ alone is a month, not a day
_URL_DATE = re.compile(
    r"/((?:19|20)\d\d)([/-])(0?[1-9]|1[0-2])\2(0?[1-9]|[12]\d|3[01])(?=[/_.-]|$)"
)


def url_date(url: str | None) -> str | None:
    """The day a URL's path spells out (``/2019/11/18/story``), as ``YYYY-MM-DD``, or None."""
    if not url:
        return None
    path = url.split("?", 1)[0].split("#", 1)[0]
    if (match := _URL_DATE.search(path)) is None:
        return None
    try:
        return date(int(match[1]), int(match[3]), int(match[4])).isoformat()
    except ValueError:
        return None


# a timestamp with no offset at all: most often UTC written carelessly, no zone at all
_NAIVE = re.compile(r"T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")
# an instant in UTC: what a CMS stores, whatever zone its newsroom prints dates in
_UTC = re.compile(r"T[\d:.]+\+00:00$")
# every zone in use lies between UTC-12 and UTC+14
_EARTH_ZONES = (timedelta(hours=-12), timedelta(hours=14))


def _in_page_zone(found: str, shown: PageDates) -> str:
    """A UTC or offset-less timestamp whose day is not the day the page prints under its
    headline.

    Many CMSs store the instant in UTC (saying so with ``+00:00`` or ``Z``, or not at
    all) while the page shows the newsroom's local date: an evening story in New York
    is "tomorrow" in UTC, and a researcher filtering by day would miss it. When the
    visible dateline is the day before or after, that dateline (a bare date) is the
    publication day as the page gives it; for a UTC instant, only when the printed day
    is that instant's day in some zone on Earth, and then as the page spells that
    instant in its own zone where it does (a ``<time datetime>``). A timestamp with
    another offset is kept as the page states it: the page named its zone.
    """
    naive = bool(_NAIVE.search(found))
    if not naive and not _UTC.search(found):
        return found
    day = shown.published
    if not day or day == found[:10]:
        return found
    if naive:
        shift = (date.fromisoformat(day) - date.fromisoformat(found[:10])).days
        return day if abs(shift) == 1 else found
    instant = datetime.fromisoformat(found)
    earliest, latest = ((instant + zone).date().isoformat() for zone in _EARTH_ZONES)
    if not earliest <= day <= latest:
        return found
    return _same_instant_in_local_zone(instant, shown.tree) or day


def _same_instant_in_local_zone(instant: datetime, tree: HtmlElement) -> str | None:
    """The page's own spelling of ``instant`` with its newsroom's offset (a WordPress
    ``<time datetime="...-04:00">`` beside UTC markup): the day and the time as shown."""
    for value in tree.xpath("//time/@datetime"):
        found = _iso(value)
        # a bare date or a timestamp without offset has no utcoffset(); UTC's is zero
        local = datetime.fromisoformat(found) if found else None
        if local is not None and local.utcoffset() and local == instant:
            return found
    return None


def modified_date(article: dict, metas: dict[str, list[str]],
                  shown: PageDates | None = None) -> str | None:
    """The last-modified date: JSON-LD ``dateModified``, meta tags, else the "Updated ..."
    day printed under the headline (a bare date), else None."""
    if found := _iso(article.get("dateModified")):
        return found
    for key in _MODIFIED_META:
        for value in metas.get(key, ()):
            if found := _iso(value):
                return found
    return shown.updated if shown is not None else None
