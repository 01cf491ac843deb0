"""Retries that respect ``Retry-After`` (RFC 9110 §10.2.3) on 429 and 503 responses."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware, get_retry_request
from scrapy.http import Response
from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)


def retry_after_seconds(value: bytes | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After value (delta-seconds or HTTP-date), else None."""
    if not value:
        return None
    text = value.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class RetryAfterMiddleware(RetryMiddleware):
    """Scrapy's RetryMiddleware, aware of Retry-After.

    The wait itself is not done here: :mod:`crawler.middlewares.politeness` pauses the whole
    host until the Retry-After has passed, and the retried request waits in that
    host's queue like every other request to it. A wait longer than
    ``RETRY_AFTER_MAX`` is not worth holding the crawl for: the request is given
    up on (and counted) instead.
    """

    def __init__(self, settings: BaseSettings, max_wait: float = 120.0) -> None:
        super().__init__(settings)
        self.max_wait = max_wait

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        middleware = cls(crawler.settings, crawler.settings.getfloat("RETRY_AFTER_MAX"))
        middleware.crawler = crawler
        return middleware

    def process_response(self, request: Request, response: Response) -> Request | Response:
        if response.status in (429, 503) and not request.meta.get("dont_retry"):
            wait = retry_after_seconds(response.headers.get(b"Retry-After"))
            if wait is not None:
                if wait > self.max_wait:
                    logger.warning("Not retrying %s: Retry-After %.0fs exceeds RETRY_AFTER_MAX",
                                   request.url, wait)
                    assert self.crawler.stats is not None
                    self.crawler.stats.inc_value("retry/retry_after_too_long")
                    return response
                assert self.crawler.spider is not None  # a response means an open spider
                retried = get_retry_request(
                    request, spider=self.crawler.spider,
                    reason=f"{response.status} Retry-After {wait:.0f}s",
                    # Request meta keys Scrapy's RetryMiddleware honours (and so does this
                    # one for other statuses, through it); get_retry_request reads only
                    # max_retry_times from meta, and takes settings for what is None.
                    priority_adjust=request.meta.get("priority_adjust"),
                    give_up_log_level=request.meta.get("give_up_log_level"),
                )
                return response if retried is None else retried
        return super().process_response(request, response)
