"""A job in a few lines of plain text, as ``newsarchive jobs check`` prints it."""

from __future__ import annotations

from crawler.jobfiles.spec import JobSpec, Politeness, Source


def describe_job(spec: JobSpec) -> list[str]:
    name = spec.name or (spec.path.stem if spec.path else "(from the first seed)")
    lines = [f"{spec.path}: valid job {name!r}, {len(spec.sources)} source(s)"]
    job_wide = [
        ("out", spec.out), ("store", spec.store), ("endpoint_url", spec.endpoint_url),
        ("user_agent", spec.user_agent), ("contact", spec.contact),
        ("max_pages", spec.max_pages), ("politeness", _politeness(spec.politeness)),
        ("egress_allow", ", ".join(spec.egress_allow)),
        ("requisites", spec.requisites + (f" (never from {', '.join(spec.requisites_exclude)})"
                                          if spec.requisites_exclude else "")),
        ("settings", ", ".join(f"{k}={v!r}" for k, v in spec.settings.items())),
    ]
    lines += [f"  {key + ':':<16}{value}" for key, value in job_wide if value]
    for source in spec.sources:
        lines.append(f"  source {source.name}:")
        lines += [f"    {key + ':':<18}{value}" for key, value in _source_lines(source)]
    return lines


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
