"""Requests in the shared frontier as JSON, not pickle: whoever can write to the Redis
server must not be able to run code on every worker (scrapy-redis pickles by default).

``Request.to_dict()`` holds bytes (headers, body) and dicts with bytes keys; both are
spelled out in JSON here. Anything else that is not JSON is a bug in whatever put it
in ``meta``, and fails loudly rather than being dropped.
"""

from __future__ import annotations

import base64
import json
from typing import Any

_BYTES = "$b"
_PAIRS = "$pairs"


def dumps(obj: Any) -> str:
    return json.dumps(_encode(obj), separators=(",", ":"), sort_keys=True)


def loads(text: str | bytes) -> Any:
    return _decode(json.loads(text))


def _encode(value: Any) -> Any:
    if isinstance(value, bytes):
        return {_BYTES: base64.b64encode(value).decode("ascii")}
    if isinstance(value, dict):
        if all(isinstance(k, str) for k in value):
            return {k: _encode(v) for k, v in value.items()}
        return {_PAIRS: [[_encode(k), _encode(v)] for k, v in value.items()]}
    if isinstance(value, list | tuple):
        return [_encode(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"cannot put {type(value).__name__} in the shared frontier: {value!r}")


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {_BYTES}:
            return base64.b64decode(value[_BYTES])
        if set(value) == {_PAIRS}:
            return {_decode(k): _decode(v) for k, v in value[_PAIRS]}
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value
