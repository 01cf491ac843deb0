"""A job in a few lines of plain text, as ``newsarchive jobs check`` prints it."""

from __future__ import annotations

import time
from collections.abc import Mapping

from crawler.jobfiles.duration import format_duration
from crawler.jobfiles.spec import JobSpec, Politeness, Source
from crawler.sourcedue import due_at, utc_text


def describe_job(spec: JobSpec, crawled: Mapping[str, float] | None = None,
                 now: float | None = None) -> list[str]:
    """The job's lines; with ``crawled`` (the job's state: source -> when last crawled
    whole), when each source with ``every`` is next due."""
    name = spec.name or (spec.path.stem if spec.path else "(from the first seed)")
    lines = [f"{spec.path}: valid job {name!r}, {len(spec.sources)} source(s)"]
    job_wide = [
        ("out", spec.out), ("store", spec.store), ("endpoint_url", spec.endpoint_url),
        ("user_agent", spec.user_agent), ("contact", spec.contact),
        ("max_pages", spec.max_pages),
        ("max_duration", format_duration(spec.max_duration) if spec.max_duration else ""),
        ("politeness", _politeness(spec.politeness)),
        ("egress_allow", ", ".join(spec.egress_allow)),
        ("requisites", spec.requisites + (f" (never from {', '.join(spec.requisites_exclude)})"
                                          if spec.requisites_exclude else "")),
        ("settings", ", ".join(f"{k}={v!r}" for k, v in spec.settings.items())),
    ]
    lines += [f"  {key + ':':<16}{value}" for key, value in job_wide if value]
    now = time.time() if now is None else now
    for source in spec.sources:
        lines.append(f"  source {source.name}:")
        rows = _source_lines(source)
        if source.every:
            rows.append(("every", _schedule(source, crawled, now)))
        lines += [f"    {key + ':':<18}{value}" for key, value in rows]
    return lines


def _schedule(source: Source, crawled: Mapping[str, float] | None, now: float) -> str:
    assert source.every is not None
    text = format_duration(source.every)
    if crawled is None:
        return text + "; no run of the job here yet: due at the next run"
    last = crawled.get(source.name)
    when = due_at(source, last)
    if last is None or when is None:
        return text + "; never crawled whole: due now"
    text += f"; last crawled whole {utc_text(last)}"
    if when <= now:
        return text + "; due now"
    return text + f"; next due {utc_text(when)} (in {format_duration(when - now)})"





def _source_lines(source: Source) -> list[tuple[str, str]]:
    def listed(values: tuple[str, ...], discover: bool, how: str) -> str:
        parts = [", ".join(values), how if discover else ""]
        return " + ".join(p for p in parts if p) or "none"

    rows = [
        ("seeds", ", ".join(source.seeds) or "none"),
        ("domains", ", ".join(source.domains)),
        ("feeds", listed(source.feeds, source.discover_feeds, "discovered from pages")),
        ("sitemaps", listed(source.sitemaps, source.discover_sitemaps, "from robots.txt")),
        ("include", ", ".join(source.include)),
        ("exclude", ", ".join(source.exclude)),
        ("max_pages", str(source.max_pages or "")),
        ("max_depth", str(source.max_depth or "")),
        ("since", source.since.isoformat() if source.since else ""),
        ("politeness", _politeness(source.politeness)),
        ("requisites", source.requisites or ""),
    ]
    return [(key, value) for key, value in rows if value]


def _politeness(politeness: Politeness) -> str:
    parts = []
    if politeness.delay is not None:
        parts.append(f"delay {politeness.delay:g}s")
    if politeness.concurrency is not None:
        parts.append(f"concurrency {politeness.concurrency}")
    return ", ".join(parts)
