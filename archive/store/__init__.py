"""Object stores and what goes to them: verified uploads, the spool, the ledger, manifests
and verification. Stores are chosen by URI scheme (``file://``, ``s3://``)."""

from __future__ import annotations

from archive.store.base import (
    ObjectStore,
    StoredObject,
    StoreOptions,
    open_store,
    redact_url,
    relative_key,
)

__all__ = ["ObjectStore", "StoreOptions", "StoredObject", "open_store", "redact_url",
           "relative_key"]
