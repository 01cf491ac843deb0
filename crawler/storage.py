"""The crawl's side of the object store: settings in, a running uploader out.

Finished WARC files and article parts are handed to a background uploader as
they close (see :class:`crawler.session.ArchiveSession`); the finisher waits
for it, records each file's fate in the manifest and sends the manifest last.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from scrapy.settings import BaseSettings

from archive.errors import StoreConfigError
from archive.store import ObjectStore, StoreOptions, open_store
from archive.upload import Uploader

# Never accepted as settings: Scrapy logs overridden settings, and a command
# line is visible to every user of the machine.
SECRET_SETTINGS = ("AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_ACCESS_KEY_ID")


def _number(settings: BaseSettings, name: str, kind: type[int] | type[float],
            minimum: float) -> Any:
    """A numeric setting, or StoreConfigError naming it and what it must be."""
    raw = settings.get(name)
    try:
        value = kind(raw)
    except (TypeError, ValueError):
        value = None
    if value is None or not math.isfinite(value) or value < minimum:
        what = "a whole number" if kind is int else "a number"
        raise StoreConfigError(f"setting {name}={raw!r}: must be {what} of at least {minimum:g}")
    return value


def _flag(settings: BaseSettings, name: str) -> bool:
    try:
        return settings.getbool(name)
    except ValueError:
        raise StoreConfigError(f"setting {name}={settings.get(name)!r}: "
                               "must be True or False") from None


def store_options(settings: BaseSettings) -> StoreOptions:
    return StoreOptions(
        endpoint_url=settings.get("AWS_ENDPOINT_URL") or None,
        region=settings.get("AWS_REGION_NAME") or None,
        multipart_threshold=_number(settings, "ARCHIVE_STORE_MULTIPART_THRESHOLD", int, 0),
        part_size=_number(settings, "ARCHIVE_STORE_PART_SIZE", int, 0),
    )


def crawl_store(settings: BaseSettings) -> ObjectStore | None:
    """The store ``ARCHIVE_STORE`` names, or None when the crawl keeps files locally."""
    uri = settings.get("ARCHIVE_STORE")
    return open_store(uri, store_options(settings)) if uri else None


def crawl_uploader(settings: BaseSettings, root: Path) -> Uploader | None:
    store = crawl_store(settings)
    if store is None:
        return None
    return Uploader(
        store,
        root,
        options=store_options(settings),
        keep_local=_flag(settings, "ARCHIVE_STORE_KEEP_LOCAL"),
        attempts=_number(settings, "ARCHIVE_STORE_ATTEMPTS", int, 1),
        retry_delay=_number(settings, "ARCHIVE_STORE_RETRY_DELAY", float, 0),
    )
