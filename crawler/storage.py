"""The crawl's side of the object store: settings in, a running uploader out.

Finished WARC files and article parts are handed to a background uploader as
they close (see :class:`crawler.session.ArchiveSession`); the finisher waits
for it, records each file's fate in the manifest and sends the manifest last.
"""

from __future__ import annotations

from pathlib import Path

from scrapy.settings import BaseSettings

from archive.store import ObjectStore, StoreOptions, open_store
from archive.upload import Uploader

# Never accepted as settings: Scrapy logs overridden settings, and a command
# line is visible to every user of the machine.
SECRET_SETTINGS = ("AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_ACCESS_KEY_ID")


def store_options(settings: BaseSettings) -> StoreOptions:
    return StoreOptions(
        endpoint_url=settings.get("AWS_ENDPOINT_URL") or None,
        region=settings.get("AWS_REGION_NAME") or None,
        multipart_threshold=settings.getint("ARCHIVE_STORE_MULTIPART_THRESHOLD"),
        part_size=settings.getint("ARCHIVE_STORE_PART_SIZE"),
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
        keep_local=settings.getbool("ARCHIVE_STORE_KEEP_LOCAL"),
        attempts=settings.getint("ARCHIVE_STORE_ATTEMPTS"),
        retry_delay=settings.getfloat("ARCHIVE_STORE_RETRY_DELAY"),
    )
