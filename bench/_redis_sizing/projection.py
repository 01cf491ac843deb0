"""The memory a deployment needs, projected from the measured cost of each entry."""

from __future__ import annotations

from dataclasses import dataclass

from bench._redis_sizing.measure import CONCURRENCY, Measured

MiB, GiB = 1024**2, 1024**3


@dataclass(frozen=True)
class Deployment:
    articles_per_day: int
    pages_per_article: float
    runs_per_day: int
    recheck_days: float
    page_days: float | None  # None: every page ever seen is kept
    workers: int


def projection(measured: list[Measured], d: Deployment) -> list[str]:
    cost = {m.structure.name: m.used for m in measured}
    pages_day = d.articles_per_day * d.pages_per_article
    run_requests = pages_day / d.runs_per_day
    run_articles = d.articles_per_day / d.runs_per_day
    in_flight = d.workers * CONCURRENCY
    kept_articles = d.articles_per_day * d.recheck_days
    article_cost = cost["state:articles"] + cost["state:born"]
    run = {"crawl:ID:requests": run_requests, "crawl:ID:dupefilter": run_requests,
           "crawl:ID:seen:articles": run_articles, "crawl:ID:worker:TAG:active": in_flight}
    run_peak = sum(cost[name] * n for name, n in run.items())
    bounded = kept_articles * article_cost + run_requests * cost["state:frontier"]
    page_growth = pages_day * cost["state:pages"]
    floor = d.articles_per_day * cost["state:pages"]  # each article's own URL is new
    kept_pages = ("every page ever seen (grows without end)" if d.page_days is None
                  else f"{d.page_days:g} days, then pruned")
    lines = [
        f"Projection: {d.articles_per_day:,} articles/day, {d.pages_per_article:g} pages "
        f"fetched per article, {d.runs_per_day} runs/day, {d.workers} workers",
        "  assumptions:",
        f"    pages fetched a day        {pages_day:,.0f}; each counted as a new URL in "
        "state:pages (an upper bound: listings re-fetched every run are one URL)",
        f"    one run                    1/{d.runs_per_day} of a day: {run_requests:,.0f} "
        f"requests, {run_articles:,.0f} articles; its keys deleted when it ends",
        "    frontier peak              every request of the run queued at once (upper bound)",
        f"    in flight                  {d.workers} workers x {CONCURRENCY} "
        f"(CONCURRENT_REQUESTS) = {in_flight:,} requests",
        f"    articles kept              {d.recheck_days:g} days (the re-check window): "
        f"{kept_articles:,.0f} in state:articles and state:born",
        "    state:frontier             at most one run's requests carried over",
        f"    pages kept                 {kept_pages}",
        "  per-run peak (crawl:ID:*):",
    ]
    lines += [f"    {name:<28}{n:>12,.0f} x {cost[name]:>6.0f} B = {_size(cost[name] * n)}"
              for name, n in run.items()]
    lines += [
        f"    {'total':<28}{'':>23}{_size(run_peak)}",
        "  state, bounded (state:articles + state:born, state:frontier):",
        f"    {'articles re-checked':<28}{kept_articles:>12,.0f} x {article_cost:>6.0f} B = "
        f"{_size(kept_articles * article_cost)}",
        f"    {'frontier carried over':<28}{run_requests:>12,.0f} x "
        f"{cost['state:frontier']:>6.0f} B = {_size(run_requests * cost['state:frontier'])}",
        "  state, growing (state:pages):",
        f"    {'pages a day':<28}{pages_day:>12,.0f} x {cost['state:pages']:>6.0f} B = "
        f"{_size(page_growth)}/day = {_size(page_growth * 365)}/year",
        f"    {'(at least: new articles)':<28}{d.articles_per_day:>12,} x "
        f"{cost['state:pages']:>6.0f} B = {_size(floor)}/day = {_size(floor * 365)}/year",
    ]
    if d.page_days is None:
        year = run_peak + bounded + page_growth * 365
        lines += [
            f"  if articles are never pruned either: + {_size(d.articles_per_day * article_cost)}"
            f"/day = {_size(d.articles_per_day * article_cost * 365)}/year",
            f"projection: per-run peak {_size(run_peak)}; state {_size(bounded)} bounded + "
            f"{_size(page_growth)}/day ({_size(page_growth * 365)}/year); "
            f"Redis memory after one year {_size(year)}",
        ]
    else:
        plateau = run_peak + bounded + page_growth * d.page_days
        lines.append(f"projection: per-run peak {_size(run_peak)}; state {_size(bounded)} "
                     f"bounded + {_size(page_growth)}/day for {d.page_days:g} days; Redis "
                     f"memory at most {_size(plateau)}")
    lines.append("  (used_memory only: leave room for fragmentation and for the fork of "
                 "AOF rewrites, which copies pages written meanwhile)")
    return lines


def _size(n: float) -> str:
    return f"{n / GiB:,.2f} GiB" if n >= GiB else f"{n / MiB:,.1f} MiB"
