"""A response as the site describes it; ``_server`` turns it into bytes on the wire."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from ._chrome import Ctx

HTML = "text/html; charset=utf-8"


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    content_type: str = HTML
    headers: dict[str, str] = field(default_factory=dict)
    last_modified: datetime | None = None
    # "negotiate": gzip when the client accepts it (HTML only); "gzip": always; "identity": never
    encoding: str = "negotiate"
    chunked: bool = False  # Transfer-Encoding: chunked, no Content-Length
    delay: float = 0.0  # seconds to wait before answering


Route = Callable[[Ctx], Response]


def html_route(render: Callable[[Ctx], str], modified: datetime | None = None,
               status: int = 200) -> Route:
    return lambda ctx: Response(status, render(ctx).encode("utf-8"), last_modified=modified)
