"""The crawl's side of the object store: settings in, a running uploader out.

Finished WARC files and article parts are handed to a background uploader as
they close (see :class:`crawler.session.ArchiveSession`); the finisher waits
for it, records each file's fate in the manifest and sends the manifest last.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

from archive.errors import StoreConfigError
from archive.store.base import MIN_PART_SIZE, StoreOptions, open_store
from archive.store.upload import Uploader

if TYPE_CHECKING:
    # Annotations only: `newsarchive upload` checks its options here without Scrapy.
    from scrapy.settings import BaseSettings

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
        what = f"a whole number of at least {int(minimum)}" if kind is int \
            else f"a number of at least {minimum:g}"
        raise StoreConfigError(f"setting {name}={raw!r}: must be {what}")
    return value


def _flag(settings: BaseSettings, name: str) -> bool:
    try:
        return settings.getbool(name)
    except ValueError:
        raise StoreConfigError(f"setting {name}={settings.get(name)!r}: "
                               "must be True or False") from None


def store_options(settings: BaseSettings) -> StoreOptions:
    threshold = _number(settings, "ARCHIVE_STORE_MULTIPART_THRESHOLD", int, MIN_PART_SIZE)
    part_size = _number(settings, "ARCHIVE_STORE_PART_SIZE", int, MIN_PART_SIZE)
    try:
        return StoreOptions(
            endpoint_url=settings.get("AWS_ENDPOINT_URL") or None,
            region=settings.get("AWS_REGION_NAME") or None,
            multipart_threshold=threshold,
            part_size=part_size,
        )
    except StoreConfigError as exc:
        raise StoreConfigError(f"settings ARCHIVE_STORE_MULTIPART_THRESHOLD and "
                               f"ARCHIVE_STORE_PART_SIZE: {exc}") from None


def crawl_uploader(settings: BaseSettings, root: Path) -> Uploader | None:
    """The crawl's uploader, or None without a store.

    Every ARCHIVE_STORE_* setting is checked either way, so a typo shows even
    before the store is switched on.
    """
    options = store_options(settings)
    keep_local = _flag(settings, "ARCHIVE_STORE_KEEP_LOCAL")
    attempts = _number(settings, "ARCHIVE_STORE_ATTEMPTS", int, 1)
    retry_delay = _number(settings, "ARCHIVE_STORE_RETRY_DELAY", float, 0)
    uri = settings.get("ARCHIVE_STORE")
    if not uri:
        return None
    return Uploader(open_store(uri, options), root, options=options, keep_local=keep_local,
                    attempts=attempts, retry_delay=retry_delay)


def store_option_problem(store: str | None, endpoint_url: str | None,
                         keep_local: bool = False) -> str:
    """What is wrong with --store, --endpoint-url and --keep-local together, or ""
    (every command that takes them, and a crawl's job file, answer alike)."""
    if store is not None and not store.strip():
        return "--store is empty: give s3://BUCKET/PREFIX or file:///PATH"
    if keep_local and not store:
        return "--keep-local needs --store (without a store every file stays local anyway)"
    if endpoint_url and not (store or "").startswith("s3://"):
        return "--endpoint-url is for s3:// stores; leave it out or use --store s3://..."
    return ""
