"""Replay checked in a real browser: what a page loaded and how it looked, and for a page
replayed by pywb, which of its requests the archive answered, which it could not, and
which reached the live site.

- ``page_load(driver, url)``: load a page in chromium (``tests.headless.chromium`` with
  ``performance_log=True``), wait until it is complete, its fonts ready, its images done
  and the network quiet, and return every request it made (from the DevTools
  ``Network.*`` events) and a PNG screenshot of the window.
- ``screenshot_difference(png_a, png_b)``: the share of pixels that differ.
- ``load_replay(driver, replay_url, prefix=..., hosts=...)``: ``page_load`` of a page
  replayed by pywb (``framed=False``), its requests sorted into archived (a 200 under the
  collection's prefix), missing (pywb's 404, or failed), escaped (sent anywhere but pywb)
  and pywb's own (its scripts), plus ``live``: what the original hosts' request logs saw
  during the load. In non-proxy mode pywb rewrites every URL of a page to its own, so
  anything the original hosts saw was fetched live.

The browser cache is off during a load, so that every load shows what the server answers.
"""

from __future__ import annotations

import io
import json
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlsplit

__all__ = ["REQUISITE_TYPES", "NetworkRequest", "PageLoad", "ReplayLoad", "ReplayedRequest",
           "load_replay", "page_load", "screenshot_difference"]

#: The DevTools resource types of what a page needs to look right.
REQUISITE_TYPES = ("Stylesheet", "Image", "Font")
# How long the network must be quiet (no request in flight, none new) before a page
# counts as loaded: a CSS background or a favicon starts after the load event.
_QUIET = 0.3
_POLL = 0.05

# Resolves once the document is complete, its fonts are ready and every image is done
# (loaded or failed), then waits two frames so that what was loaded is painted.
_SETTLE = """
const done = arguments[arguments.length - 1];
const loaded = () => new Promise(resolve => {
  if (document.readyState === "complete") { resolve(); }
  else { window.addEventListener("load", resolve, {once: true}); }
});
const images = () => Promise.all(Array.from(document.images, img => img.complete ? null :
  new Promise(resolve => {
    img.addEventListener("load", resolve, {once: true});
    img.addEventListener("error", resolve, {once: true});
  })));
const painted = () => new Promise(resolve =>
  requestAnimationFrame(() => requestAnimationFrame(resolve)));
loaded().then(() => document.fonts.ready).then(images).then(painted)
  .then(() => done(null), error => done(String(error)));
"""


@dataclass(frozen=True)
class NetworkRequest:
    """One request of a page, as DevTools saw it (after any redirects)."""

    url: str
    type: str  # DevTools resource type: Document, Stylesheet, Image, Font, Script, Other...
    status: int | None  # the final HTTP status; None when no response came
    error: str = ""  # why it failed: net::ERR_..., a blocked reason; "" when it did not

    @property
    def ok(self) -> bool:
        return not self.error and self.status is not None and 200 <= self.status < 300


@dataclass
class PageLoad:
    """A page as the browser loaded it."""

    url: str
    requests: list[NetworkRequest]  # in the order they were sent; http(s) only
    screenshot: bytes  # PNG of the window

    def of_type(self, *types: str) -> list[NetworkRequest]:
        return [r for r in self.requests if r.type in types]


class _Host(Protocol):
    base: str

    def requests(self) -> list[dict[str, Any]]: ...


def page_load(driver: Any, url: str, *, timeout: float = 30.0) -> PageLoad:
    """Load ``url`` in ``driver`` and wait until it is done (see the module's docstring);
    every http(s) request it made and a screenshot."""
    from selenium.common.exceptions import InvalidArgumentException

    try:
        driver.get_log("performance")  # what came before this load (the new tab page)
    except InvalidArgumentException as exc:
        raise RuntimeError("the browser keeps no performance log: start it with "
                           "tests.headless.chromium(profile, performance_log=True)") from exc
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})
    driver.set_script_timeout(timeout)
    driver.get(url)
    failure = driver.execute_async_script(_SETTLE)
    if failure:
        raise RuntimeError(f"{url} did not settle: {failure}")
    requests = _requests(driver, time.monotonic() + timeout)
    driver.execute_async_script(
        "requestAnimationFrame(() => requestAnimationFrame(arguments[0]))")
    return PageLoad(url, requests, driver.get_screenshot_as_png())


@dataclass
class _Seen:
    url: str
    type: str
    status: int | None = None
    error: str = ""
    finished: bool = False


def _requests(driver: Any, deadline: float) -> list[NetworkRequest]:
    """The page's requests from the performance log, read until none is in flight and
    none has started for ``_QUIET`` seconds (or ``deadline``: then the ones still in
    flight say "unfinished")."""
    seen: dict[str, _Seen] = {}
    quiet_since = time.monotonic()
    while True:
        if _read_events(driver.get_log("performance"), seen):
            quiet_since = time.monotonic()
        now = time.monotonic()
        busy = any(not s.finished for s in seen.values())
        if (not busy and now - quiet_since >= _QUIET) or now > deadline:
            break
        time.sleep(_POLL)
    return [NetworkRequest(s.url, s.type, s.status, s.error or ("" if s.finished
                                                                  else "unfinished"))
            for s in seen.values() if urlsplit(s.url).scheme in ("http", "https")]


def _read_events(entries: Iterable[dict[str, Any]], seen: dict[str, _Seen]) -> bool:
    """Fold DevTools Network events into ``seen`` (by request id); True if any came."""
    changed = False
    for entry in entries:
        message = json.loads(entry["message"])["message"]
        method, params = message.get("method", ""), message.get("params", {})
        request_id = params.get("requestId")
        if not method.startswith("Network.") or request_id is None:
            continue
        changed = True
        if method == "Network.requestWillBeSent":
            # A redirect keeps the request id: the new URL replaces the old.
            old = seen.get(request_id)
            seen[request_id] = _Seen(params["request"]["url"],
                                     params.get("type") or (old.type if old else "Other"))
            continue
        item = seen.get(request_id)
        if item is None:
            continue
        if method == "Network.responseReceived":
            item.status = params["response"]["status"]
            item.type = params.get("type") or item.type
        elif method == "Network.loadingFinished":
            item.finished = True
        elif method == "Network.loadingFailed":
            item.finished = True
            item.error = (params.get("blockedReason") or params.get("corsErrorStatus", {})
                          .get("corsError") or params.get("errorText") or "failed")
    return changed


def screenshot_difference(png_a: bytes, png_b: bytes, *, tolerance: int = 0) -> float:
    """The share of pixels (0 to 1) that differ between two PNG screenshots: a pixel
    differs when any of its channels differs by more than ``tolerance``. Screenshots of
    different sizes differ everywhere (1.0)."""
    import numpy as np
    from PIL import Image

    a, b = (np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.int16)
            for png in (png_a, png_b))
    if a.shape != b.shape:
        return 1.0
    return float((np.abs(a - b) > tolerance).any(axis=2).mean())


@dataclass(frozen=True)
class ReplayedRequest:
    """A request of a replayed page under the collection's prefix, and the URL it
    replays (the original, as archived)."""

    original: str
    request: NetworkRequest


@dataclass
class ReplayLoad:
    """A replayed page's requests, sorted."""

    load: PageLoad
    archived: list[ReplayedRequest] = field(default_factory=list)  # 200 from the archive
    missing: list[ReplayedRequest] = field(default_factory=list)  # not in it, or failed
    escaped: list[NetworkRequest] = field(default_factory=list)  # sent elsewhere than pywb
    pywb: list[NetworkRequest] = field(default_factory=list)  # pywb's own files
    live: list[dict[str, Any]] = field(default_factory=list)  # the original hosts' logs

    def archived_urls(self, *types: str) -> set[str]:
        """The originals served from the archive (of ``types``, default all)."""
        return {r.original for r in self.archived if not types or r.request.type in types}

    def missing_urls(self, *, except_hosts: Iterable[str] = ()) -> set[str]:
        """The originals the archive did not serve, but those on ``except_hosts``."""
        skip = set(except_hosts)
        return {r.original for r in self.missing if urlsplit(r.original).hostname not in skip}


_REPLAYED = re.compile(r"(?:\d{0,14}(?:[a-z]{2}_)?/)?(?P<original>.+)")


def load_replay(driver: Any, replay_url: str, *, prefix: str, hosts: Sequence[_Host] = (),
                timeout: float = 30.0) -> ReplayLoad:
    """``page_load`` of ``replay_url``, a page replayed by pywb without its frame
    (``ReplayServer(..., framed=False)``), its requests sorted (see ``ReplayLoad``).

    ``prefix`` is the collection's replay prefix (``{server.base_url}/{job}/``); ``hosts``
    are the page's original hosts (``RunningSite``s), whose request logs must not grow."""
    if not prefix.endswith("/"):
        prefix += "/"
    before = [len(host.requests()) for host in hosts]
    load = page_load(driver, replay_url, timeout=timeout)
    live = [{"host": host.base, **entry}
            for host, count in zip(hosts, before, strict=True)
            for entry in host.requests()[count:]]
    result = ReplayLoad(load, live=live)
    origin = _origin(prefix)
    for request in load.requests:
        if request.url.startswith(prefix):
            match = _REPLAYED.fullmatch(request.url[len(prefix):])
            original = match.group("original") if match else request.url
            replayed = ReplayedRequest(original, request)
            (result.archived if request.ok else result.missing).append(replayed)
        elif _origin(request.url) == origin:
            result.pywb.append(request)
        else:
            result.escaped.append(request)
    return result


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc
