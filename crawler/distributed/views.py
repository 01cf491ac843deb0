"""What ``newsarchive workers`` shows of the distributed crawls in Redis: each job's
current crawl (else its last one) and every worker that took part in it.

Read only; the keys are :mod:`crawler.distributed.coordination`'s.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import redis

from archive.errors import RedisError
from archive.state.redisconn import DEFAULT_PREFIX, text
from crawler.distributed.coordination import DistributedCrawl, WorkerStatus


@dataclass(frozen=True)
class WorkerView:
    """One worker of a crawl, as ``newsarchive workers`` shows it."""
    tag: str
    status: str  # a WorkerStatus
    info: dict[str, Any]
    progress: dict[str, str]
    in_hand: int


@dataclass(frozen=True)
class CrawlView:
    job: str
    crawl_id: str
    current: bool
    info: dict[str, str]
    frontier: int
    requested: int
    workers: list[WorkerView] = field(default_factory=list)


def crawl_views(client: redis.Redis, *, job: str | None = None,
                prefix: str = DEFAULT_PREFIX) -> list[CrawlView]:
    """Each job's current crawl (else its last one), for ``newsarchive workers``."""
    try:
        pointers = sorted({text(k) for pattern in ("current", "last") for k in
                           client.scan_iter(match=f"{prefix}:{job or '*'}:{pattern}",
                                            count=1000)})
        views = {}
        for pointer in pointers:
            job_name = pointer[len(prefix) + 1:].rsplit(":", 1)[0]
            if job_name in views and pointer.endswith(":last"):
                continue  # a crawl runs: that is the one to show
            crawl_id = client.get(pointer)
            if crawl_id is not None:
                views[job_name] = _crawl_view(client, job_name, text(crawl_id),
                                              pointer.endswith(":current"), prefix)
        return [views[name] for name in sorted(views)]
    except redis.RedisError as exc:
        raise RedisError(f"cannot read the crawls in Redis: {exc}") from exc


def _crawl_view(client: redis.Redis, job: str, crawl_id: str, current: bool,
                prefix: str) -> CrawlView:
    crawl = DistributedCrawl(client, job, "", prefix=prefix)
    crawl.crawl_id = crawl_id
    pipe = client.pipeline()
    pipe.hgetall(crawl.key("info"))
    pipe.zcard(crawl.requests_key)
    pipe.scard(crawl.dupefilter_key)
    info, frontier, requested = pipe.execute()
    views = []
    for tag, details in sorted(crawl.workers().items()):
        pipe = client.pipeline()
        pipe.exists(crawl.alive_key(tag))
        pipe.hgetall(crawl.key(f"progress:{tag}"))
        pipe.hlen(crawl.active_key(tag))
        alive, progress, in_hand = pipe.execute()
        status = details.pop("status")
        if status == WorkerStatus.RUNNING and not alive:
            status = WorkerStatus.SILENT  # dead, once a live worker takes its requests
        views.append(WorkerView(tag=tag, status=status, info=details,
                                progress={text(k): text(v) for k, v in progress.items()},
                                in_hand=int(in_hand)))
    return CrawlView(job=job, crawl_id=crawl_id, current=current,
                     info={text(k): text(v) for k, v in info.items()},
                     frontier=int(frontier), requested=int(requested), workers=views)
