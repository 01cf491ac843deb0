"""A page without the markup that names its dates: how an extractor reads what it prints.

Most labelled pages say their publication day in JSON-LD or a meta tag, which every
extractor reads alike. Removing that markup (``--without-markup``) leaves the printed
dateline, ``<time>`` elements and the text to each extractor's own reading: the case of
a site whose templates write no such markup, or write it wrong. JSON-LD goes whole (it
names authors and headlines too, so those fields change as well); of the meta tags and
``itemprop`` attributes, those that name a date or time. ``<time datetime>`` stays: it
is the printed date's own element.
"""

from __future__ import annotations

import re

__all__ = ["without_markup"]

_JSON_LD = re.compile(r"<script[^>]*ld\+json[^>]*>.*?</script>", re.S | re.I)
_DATE_META = re.compile(r"<meta[^>]*(?:date|time|published|modified|created|updated)[^>]*>",
                        re.I)
_DATE_ITEMPROP = re.compile(r"""itemprop=["']date\w*["']""", re.I)


def without_markup(html: str) -> str:
    """``html`` without JSON-LD, date meta tags and ``itemprop="date..."`` attributes."""
    return _DATE_ITEMPROP.sub("", _DATE_META.sub("", _JSON_LD.sub("", html)))
