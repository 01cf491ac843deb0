"""Sources behind a long Crawl-delay start first.

A run lasts at least as long as its slowest host: a site asking for one request
every 3 s with 40 pages to give needs two minutes, whatever else the run does.
Started after a thousand other sites' first pages it ends the run late; started
first, its two minutes overlap theirs. The job's robots.txt cache
(:mod:`archive.state.robotscache`) says which hosts asked for a delay last time;
a first run knows none and keeps the job file's order, as does every source
whose host did not ask.
"""

from __future__ import annotations

from collections.abc import Sequence

from protego import Protego

from archive.state.robotscache import RobotsCache
from crawler.jobfiles.spec import Source


def crawl_delay(body: bytes, user_agent: str) -> float:
    """The Crawl-delay a robots.txt asks of ``user_agent``; 0 for none."""
    try:
        delay = Protego.parse(body.decode("utf-8", "replace")).crawl_delay(user_agent)
    except Exception:  # a robots.txt too odd to read here is read again by the crawl
        return 0.0
    return float(delay or 0.0)


def known_crawl_delay(source: Source, cache: RobotsCache, user_agent: str) -> float:
    """The Crawl-delay the host the source starts from asked for in the job's last
    run; 0 when it asked for none or the job has not been there."""
    starts = source.seeds + source.feeds + source.sitemaps
    cached = cache.load(starts[0]) if starts else None
    return crawl_delay(cached.body, user_agent) if cached is not None else 0.0


def slowest_first(sources: Sequence[Source], cache: RobotsCache | None,
                  user_agent: str) -> list[Source]:
    """``sources``, the longest known Crawl-delay first (stable: otherwise as given)."""
    if cache is None or not cache.directory.is_dir():
        return list(sources)
    delays = {source.name: known_crawl_delay(source, cache, user_agent) for source in sources}
    return sorted(sources, key=lambda source: -delays[source.name])
