"""Notice crawler traps from how pages behave, not from per-site rules.

Endless calendars, ever-growing pagination and faceted listings all look the
same from inside a crawl: page after page of one URL shape that leads nowhere
new. ``TrapDetector`` groups listing pages by their URL template (host and path
with every run of digits replaced, query dropped) and, once ``barren_limit``
pages of one template in a row produced no new link outside that template,
stops following links of that template. Articles never count: a story page is
worth its fetch whatever it links to.

Repeated content is the other tell: the same payload at a second URL (session
ids, mirrors, print views without a canonical link) is archived once and its
links are not followed again.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import urlsplit

logger = logging.getLogger(__name__)

_DIGITS = re.compile(r"\d+")


def url_template(url: str) -> str:
    """``http://h/calendar/2026/03/?m=1`` -> ``h/calendar/#/#/``."""
    parts = urlsplit(url)
    return f"{parts.netloc.lower()}{_DIGITS.sub('#', parts.path or '/')}"


class TrapDetector:
    def __init__(self, barren_limit: int) -> None:
        self.barren_limit = barren_limit
        self._barren_runs: dict[str, int] = {}
        # Of the current barren run, pages that listed articles archived by an earlier
        # run: an incremental run going back through old pagination, not a trap.
        self._known_runs: dict[str, int] = {}
        self._trapped: set[str] = set()
        self._caught_up: set[str] = set()
        self._payloads: dict[bytes, str] = {}

    def is_trapped(self, url: str) -> bool:
        template = url_template(url)
        return template in self._trapped or template in self._caught_up

    @property
    def trapped_templates(self) -> list[str]:
        return sorted(self._trapped)

    @property
    def caught_up_templates(self) -> list[str]:
        return sorted(self._caught_up)

    def listing_done(self, url: str, new_links: list[str], *, known_links: int = 0) -> bool:
        """Record what a non-article page led to; True when this made its template a trap.

        ``new_links`` are the links the page produced that the crawl had not seen;
        ``known_links`` how many of its links were articles earlier runs archived."""
        if self.barren_limit <= 0:
            return False
        template = url_template(url)
        if any(url_template(link) != template for link in new_links):
            self._barren_runs[template] = self._known_runs[template] = 0
            return False
        run = self._barren_runs.get(template, 0) + 1
        self._barren_runs[template] = run
        self._known_runs[template] = self._known_runs.get(template, 0) + bool(known_links)
        if run < self.barren_limit or template in self._trapped | self._caught_up:
            return False
        if self._known_runs[template] == run:
            self._caught_up.add(template)
            logger.info("Caught up at %s: %d pages of this shape in a row listed only "
                        "articles already archived; not following more of them", template, run)
            return False
        self._trapped.add(template)
        logger.warning("Crawler trap suspected at %s: %d pages of this shape in a row "
                       "led to nothing new; not following more of them (NEWS_TRAP_PAGES)",
                       template, run)
        return True

    def first_url_with_payload(self, digest: bytes, url: str) -> str | None:
        """The other URL this exact payload was seen at, else None (and remember it)."""
        seen = self._payloads.setdefault(digest, url)
        return seen if seen != url else None
