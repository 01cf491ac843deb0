"""What the Observer publishes (``data/styled_papers.json``) and the tags of the ad and
tracking hosts its template carries."""

from __future__ import annotations

from tests.sites.pages import load_data

_DATA = load_data("styled_papers")

NAME: str = _DATA["name"]
TAGLINE: str = _DATA["tagline"]
#: Every article, newest last, with its ``path`` on the site.
ARTICLES: list[dict] = [{**a, "path": f"/news/2026/03/{a['slug']}/"} for a in _DATA["articles"]]
BY_SLUG: dict[str, dict] = {a["slug"]: a for a in ARTICLES}
SECTIONS: list[str] = list(dict.fromkeys(a["section"] for a in ARTICLES))
HTML = "text/html; charset=utf-8"

# An ad library and a tracking pixel, as news templates carry them: hosts no crawl of
# the site may fetch (this machine has no internet: in a browser they fail).
TRACKER_SCRIPT = "https://securepubads.g.doubleclick.net/tag/js/gpt.js"
TRACKER_PIXEL = "https://www.google-analytics.com/collect?v=1"
TRACKERS = (TRACKER_SCRIPT, TRACKER_PIXEL)
TRACKER_HOSTS = frozenset({"securepubads.g.doubleclick.net", "www.google-analytics.com"})

# What a lazy image shows before its script swaps data-src in: a transparent 1x1 GIF.
LAZY_PLACEHOLDER = ("data:image/gif;base64,"
                    "R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")
