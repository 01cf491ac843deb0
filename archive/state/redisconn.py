"""Connections to the Redis server a distributed crawl shares (``--redis URL``).

Every key newsarchive keeps there starts with ``PREFIX:JOB:`` (the prefix is
``newsarchive`` unless set), so one Redis can serve many jobs and other programs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from archive.errors import RedisError, RedisUnavailableError

if TYPE_CHECKING:
    import redis

SCHEMES = ("redis", "rediss", "unix")
DEFAULT_PREFIX = "newsarchive"
# Long enough for a busy server, short enough that a worker notices a dead one.
SOCKET_TIMEOUT = 30.0


def redis_url_problem(url: str, what: str = "--redis") -> str | None:
    """What is wrong with a Redis URL (``what`` names it in the message), or None."""
    parts = urlsplit(url)
    example = "e.g. redis://127.0.0.1:6379/0"
    if parts.scheme not in SCHEMES:
        return f"{what} must be a redis://HOST:PORT/DB URL ({example}), got {url!r}"
    if parts.scheme != "unix" and not parts.hostname:
        return f"{what} {url!r} names no host ({example})"
    try:
        parts.port  # noqa: B018 -- raises ValueError for a bad port
    except ValueError:
        return f"{what} {url!r} has a bad port ({example})"
    database = parts.path.strip("/")
    if parts.scheme != "unix" and database and not database.isdigit():
        return f"{what} {url!r}: the database after the host must be a number ({example})"
    return None


def connect(url: str) -> redis.Redis:
    """A client for ``url``, checked with a PING (RedisError says what failed)."""
    if problem := redis_url_problem(url):
        raise RedisError(problem)
    # Imported here: the command line checks Redis URLs and names the key prefix for
    # every command, and only a distributed crawl needs the client (50 ms to import).
    import redis
    from redis.backoff import ExponentialBackoff
    from redis.retry import Retry

    # A few quick retries ride out a blip; redis-py's default (10, backing off) would
    # stall the crawl for seconds on every call while the server is away.
    client = redis.Redis.from_url(url, socket_timeout=SOCKET_TIMEOUT,
                                  socket_connect_timeout=10, health_check_interval=30,
                                  retry=Retry(ExponentialBackoff(cap=1.0, base=0.1), 3))
    ping(client, url)
    return client


def ping(client: redis.Redis, url: str) -> None:
    import redis

    try:
        client.ping()
    except redis.AuthenticationError as exc:
        raise RedisError(f"Redis at {safe_url(url)} refused the password: {exc}; put it in "
                         "the URL (redis://:PASSWORD@HOST:PORT/DB)") from None
    except redis.ResponseError as exc:
        raise RedisError(f"Redis at {safe_url(url)} answered: {exc}") from None
    except (redis.ConnectionError, redis.TimeoutError, OSError) as exc:
        raise RedisUnavailableError(
            f"cannot reach Redis at {safe_url(url)}: {str(exc).rstrip('.')}; "
            "check the URL and that redis-server runs") from None


def safe_url(url: str) -> str:
    """``url`` without its password, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)[1]
    user = f"{parts.username}:***@" if parts.username else ":***@"
    return parts._replace(netloc=user + netloc).geturl()


def job_prefix(job: str, prefix: str = DEFAULT_PREFIX) -> str:
    """The start of every key of ``job``: ``PREFIX:JOB:``."""
    return f"{prefix}:{job}:"


def text(value: object) -> str:
    """A value from Redis as text (redis-py answers bytes)."""
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)
