"""What a page says about its own use: robots directives and TDM reservations.

Kept with the article they cover (``robots``, ``tdm_reservation``, ``tdm_policy`` in
its record), from the response headers (read by the spider) and the page's
``<meta>`` tags (read in the extraction workers):

- robots directives (``noarchive``, ``noindex``, ``noai``, ``noimageai``,
  ``max-snippet: 50`` ...) from ``X-Robots-Tag`` headers and ``<meta name="robots">``.
  Those addressed to every robot, or to this crawler by name, are kept as they
  are; those addressed to another crawler (``X-Robots-Tag: googlebot: noarchive``,
  ``<meta name="googlebot">``) with its name in front: ``"googlebot: noarchive"``.
- TDM reservations (W3C TDMRep, 2024): ``tdm-reservation`` (``1``: text and data
  mining rights are reserved, ``0``: they are not; anything else counts as unset)
  and ``tdm-policy`` (the URL of the rights holder's policy), as response headers or
  ``<meta name=...>``. A header outranks the page's meta tag.

Neither Scrapy nor the extractor is imported: this runs in both processes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urljoin

from lxml.html import HtmlElement

# The names this crawler answers to in an X-Robots-Tag or a <meta name>.
OWN_NAMES = frozenset({"newsarchive"})
# <meta name> values that address robots: every robot, this crawler, or one named.
ROBOTS_META = frozenset({"robots", "googlebot", "googlebot-news", "bingbot", *OWN_NAMES})
# Directives that take a value ("max-snippet: 50"): not a crawler's name before a colon.
VALUED = frozenset({"max-snippet", "max-image-preview", "max-video-preview",
                    "unavailable_after"})
# Bounds on what one page may add to its record.
MAX_DIRECTIVES = 32
MAX_VALUE = 200


class HeaderLookup(Protocol):
    """Scrapy's ``Headers`` as this module uses it."""

    def getlist(self, key: bytes) -> list[bytes]: ...


@dataclass(frozen=True)
class RightsSignals:
    robots: tuple[str, ...] = ()
    tdm_reservation: bool | None = None
    tdm_policy: str | None = None

    @property
    def noarchive(self) -> bool:
        """Addressed to every robot or to this crawler: do not keep a copy."""
        return "noarchive" in self.robots

    def then(self, other: RightsSignals) -> RightsSignals:
        """These signals, completed by ``other`` (whose TDM values count only where
        these have none)."""
        return RightsSignals(
            robots=_unique([*self.robots, *other.robots]),
            tdm_reservation=(self.tdm_reservation if self.tdm_reservation is not None
                             else other.tdm_reservation),
            tdm_policy=self.tdm_policy or other.tdm_policy)


NO_SIGNALS = RightsSignals()


def header_rights(headers: HeaderLookup, url: str) -> RightsSignals:
    """The signals in a response's headers."""
    def values(name: bytes) -> list[str]:
        return [v.decode("latin-1") for v in headers.getlist(name)]

    robots = [d for value in values(b"X-Robots-Tag") for d in robots_directives(value)]
    return RightsSignals(_unique(robots), _reservation(values(b"tdm-reservation")),
                         _policy(values(b"tdm-policy"), url))


def page_rights(tree: HtmlElement, url: str) -> RightsSignals:
    """The signals in a page's ``<meta name=...>`` tags."""
    robots: list[str] = []
    tdm: dict[str, list[str]] = {"tdm-reservation": [], "tdm-policy": []}
    for meta in tree.iter("meta"):
        name = (meta.get("name") or "").strip().lower()
        content = meta.get("content") or ""
        if name in ROBOTS_META:
            robots.extend(robots_directives(content, robot=name))
        elif name in tdm:
            tdm[name].append(content)
    return RightsSignals(_unique(robots), _reservation(tdm["tdm-reservation"]),
                         _policy(tdm["tdm-policy"], url))


def robots_directives(value: str, robot: str = "robots") -> list[str]:
    """The directives of one X-Robots-Tag value or robots meta tag, lower-cased;
    those addressed to another crawler prefixed with its name."""
    found = []
    robot = robot.lower()
    for part in value.split(","):
        name, colon, rest = part.partition(":")
        name = name.strip().lower()
        if colon and name and name not in VALUED and " " not in name:
            robot, part = name, rest  # "googlebot: noindex, nofollow"
            name, colon, rest = part.partition(":")
            name = name.strip().lower()
        if not name:
            continue
        directive = f"{name}: {' '.join(rest.split())}" if colon else name
        if robot not in ("robots", *OWN_NAMES):
            directive = f"{robot}: {directive}"
        found.append(directive[:MAX_VALUE])
    return found


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))[:MAX_DIRECTIVES]


def _reservation(values: list[str]) -> bool | None:
    for value in values:
        value = value.strip()
        if value in ("0", "1"):
            return value == "1"
    return None


def _policy(values: list[str], url: str) -> str | None:
    for value in values:
        policy = urljoin(url, value.strip()) if value.strip() else ""
        if policy.startswith(("http://", "https://")) and len(policy) <= 2000:
            return policy
    return None
