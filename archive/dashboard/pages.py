"""The dashboard's HTML: the overview of each job, an article's record, its capture.

Every value is escaped where it is written into the page (:func:`h`), whatever
it is: titles, URLs, headers and bodies come from crawled sites, and even a
source or job name is only text. The page carries no script at all, and the
server's Content-Security-Policy would refuse one (see :mod:`.server`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any
from urllib.parse import urlencode

from archive.dashboard import charts
from archive.dashboard.data import TREND_SIGNALS, JobView, Run, alerted, trend
from archive.dashboard.replaylinks import ReplayLinks
from archive.warc.capture import Capture

STYLESHEET = "/static/dashboard.css"
ICON = "/static/icon.svg"


def h(value: object) -> str:
    """``value`` as text in HTML, quotes included (safe in an attribute too)."""
    return escape("" if value is None else str(value), quote=True)


def page(title: str, body: str) -> str:
    return ("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{h(title)}</title>"
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<link rel="stylesheet" href="{STYLESHEET}">'
            f'<link rel="icon" href="{ICON}" type="image/svg+xml">'
            f'</head><body><header><a href="/">newsarchive dashboard</a></header>'
            f"<main>{body}</main></body></html>\n")


def overview(views: Sequence[JobView], *, where: str, replay: ReplayLinks,
             status: Mapping[str, Any] | None = None,
             workers: Sequence[str] | None = None, workers_problem: str = "") -> str:
    """The front page: every job's figures, charts and latest articles."""
    parts = [f"<h1>Archive {h(where)}</h1>"]
    if status is not None:
        parts.append(_archive_status(status))
    if not views:
        parts.append('<p class="empty">No job has run here yet (no run reports, no articles): '
                     "crawl first with <code>newsarchive crawl</code>.</p>")
    parts.extend(_job_section(view, replay) for view in views)
    if workers is not None or workers_problem:
        parts.append(_workers(workers or [], workers_problem))
    return page(f"newsarchive: {where}", "".join(parts))


def article_page(article: Mapping[str, Any]) -> str:
    """An article's record as JSON (as ``newsarchive show`` prints it)."""
    record = json.dumps(dict(article), ensure_ascii=False, indent=2, default=str)
    return page(f"Article: {article.get('title') or article.get('url')}",
                f"<h1>{h(article.get('title') or article.get('url'))}</h1>"
                f"<p>{_capture_link(article)}</p>"
                f'<pre class="record">{h(record)}</pre>')


def capture_page(article: Mapping[str, Any], capture: Capture, *, body_chars: int) -> str:
    """The raw capture behind an article: the WARC record's headers, the HTTP status
    line and headers as the server sent them, and the head of the decoded body."""
    text = capture.text
    undone = f"decoded from {capture.content_encoding}, " if capture.content_encoding else ""
    lines = [f"--- capture: {capture.file} at offset {capture.offset} ({capture.length} bytes)",
             *(f"{name}: {value}" for name, value in capture.warc_headers), "",
             capture.status_line, *(f"{name}: {value}" for name, value in capture.http_headers),
             "", f"--- body ({undone}{capture.charset}; {min(len(text), body_chars)} of "
             f"{len(text)} characters)", text[:body_chars]]
    return page(f"Capture: {article.get('url')}",
                f"<h1>Capture of {h(article.get('title') or article.get('url'))}</h1>"
                f"<p>{_record_link(article)}</p>"
                f'<pre class="capture">{h(chr(10).join(lines))}</pre>')


def error_page(status: int, message: str) -> str:
    return page(f"{status}", f'<h1>{status}</h1><p class="problem">{h(message)}</p>')


def _archive_status(status: Mapping[str, Any]) -> str:
    flagged = status.get("flagged") or []
    disk = status.get("disk") or {}
    items = [f"<li>Generated {h(status.get('generated'))}</li>"]
    if status.get("store"):
        items.append(f"<li>Store {h(status.get('store'))}</li>")
    items.append("<li>Disk: " + ", ".join(
        f"{h(name.removesuffix('_bytes').replace('_', ' '))} {_mb(value)}"
        for name, value in disk.items()) + "</li>")
    items.append('<li class="flagged">Flagged: ' + (", ".join(h(f) for f in flagged) or "none")
                 + "</li>")
    return f'<section class="status"><ul>{"".join(items)}</ul></section>'


def _job_section(view: JobView, replay: ReplayLinks) -> str:
    job_status = view.status or {}
    waiting = job_status.get("files_waiting") or {}
    figures = [("runs", len(view.runs)), ("articles", view.article_count),
               ("undated", view.undated_articles), ("sources", len(view.sources))]
    if waiting:
        figures.append(("files waiting", waiting.get("count", 0)))
    last = view.runs[-1] if view.runs else None
    if last is not None:
        figures.append(("last exit status", "?" if last.exit_status is None
                        else last.exit_status))
    cards = "".join(f'<div class="figure" data-figure="{h(name)}"><span class="value">'
                    f'{h(value)}</span><span class="name">{h(name)}</span></div>'
                    for name, value in figures)
    parts = [f'<section class="job" data-job="{h(view.job)}"><h2>Job {h(view.job)}</h2>'
             f'<div class="figures">{cards}</div>']
    if waiting.get("count"):
        parts.append(f'<p class="warning">{h(waiting.get("count"))} file(s), '
                     f'{_mb(waiting.get("bytes", 0))}, wait for upload (oldest '
                     f'{h(waiting.get("oldest"))}): <code>newsarchive upload</code> '
                     "sends them.</p>")
    parts.append(_alerts(view))
    parts.append("<h3>Articles per day</h3>"
                 + charts.articles_per_day(view.per_day, view.days))
    if view.articles_problem:
        parts.append(f'<p class="problem">{h(view.articles_problem)}</p>')
    parts.append("<h3>Runs</h3>" + charts.runs_chart(view.runs) + _runs_table(view.runs))
    parts.append("<h3>Completeness per source</h3>" + _trends(view))
    parts.append(_sources_table(view))
    parts.append("<h3>Latest articles</h3>" + _latest(view, replay))
    parts.append("</section>")
    return "".join(parts)


def _alerts(view: JobView) -> str:
    alerts = list(view.alerts)
    for source in (view.status or {}).get("sources") or []:
        alerts.extend(alert for alert in source.get("alerts") or [] if alert not in alerts)
    if not alerts:
        return ""
    items = "".join(f'<li><strong>{h(alert.get("source"))}</strong> {h(alert.get("signal"))}: '
                    f'{h(alert.get("message"))}</li>' for alert in alerts)
    return f'<div class="alerts"><h3>Alerts</h3><ul>{items}</ul></div>'


def _runs_table(runs: Sequence[Run]) -> str:
    if not runs:
        return ""
    rows = "".join(
        f'<tr class="exit-{h(run.exit_status)}"><td>{h(run.crawl_id)}</td>'
        f"<td>{h(_moment(run.started))}</td>"
        f"<td>{_seconds(run.duration_seconds)}</td><td>{h(run.exit_status)}</td>"
        f"<td>{h(run.finish_reason)}</td><td>{run.pages}</td><td>{run.articles_new}</td>"
        f"<td>{run.articles_changed}</td><td>{run.errors}</td>"
        f"<td>{'-' if run.blocked is None else run.blocked}</td>"
        f"<td>{'<br>'.join(h(p) for p in run.problems)}</td></tr>"
        for run in reversed(runs))
    return ('<table class="runs"><thead><tr><th>crawl</th><th>started (UTC)</th><th>duration</th>'
            "<th>exit</th><th>finish</th><th>pages</th><th>new</th><th>changed</th>"
            f"<th>errors</th><th>blocked</th><th>problems</th></tr></thead><tbody>{rows}"
            "</tbody></table>")


def _trends(view: JobView) -> str:
    measured = [source for source in view.sources
                if any(source in run.health for run in view.runs)]
    if not measured:
        return charts.trend_chart({}, {}, [])
    labels = [run.crawl_id for run in view.runs]
    return "".join(
        f"<h4>{h(source)}</h4>"
        + charts.trend_chart({signal: trend(view.runs, source, signal) for signal in TREND_SIGNALS},
                             {signal: alerted(view.runs, source, signal)
                              for signal in TREND_SIGNALS}, labels)
        for source in measured)


def _sources_table(view: JobView) -> str:
    sources = (view.status or {}).get("sources") or []
    if not sources:
        return ""
    rows = []
    for source in sources:
        last = source.get("last_run") or {}
        week = source.get("last_7_days") or {}
        rows.append(f"<tr><td>{h(source.get('source'))}</td>"
                    f"<td>{', '.join(h(flag) for flag in source.get('flags') or []) or 'ok'}</td>"
                    + "".join(f"<td>{h(last.get(key))}</td>" for key in
                              ("pages", "articles_new", "articles_changed", "errors", "blocked",
                               "not_modified"))
                    + f"<td>{h(week.get('runs'))}</td><td>{h(week.get('articles_new'))}</td></tr>")
    return ('<table class="sources"><thead><tr><th>source</th><th>flags</th><th>pages</th>'
            "<th>new</th><th>changed</th><th>errors</th><th>blocked</th><th>not modified</th>"
            "<th>runs (7 days)</th><th>new (7 days)</th></tr></thead><tbody>"
            f"{''.join(rows)}</tbody></table>")


def _latest(view: JobView, replay: ReplayLinks) -> str:
    if not view.latest:
        return '<p class="empty">no articles</p>'
    rows = []
    for article in view.latest:
        replay_url = replay.url(view.job, article)
        rows.append(
            f'<tr class="article"><td class="title">{h(article.get("title") or "(no title)")}'
            f'<div class="url">{h(article.get("url"))}</div></td>'
            f"<td>{h(article.get('source'))}</td><td>{h(article.get('published'))}</td>"
            f"<td>{_record_link(article)} {_capture_link(article)} "
            + (f'<a class="replay" href="{h(replay_url)}">replay</a>' if replay_url else "")
            + "</td></tr>")
    return ('<table class="latest"><thead><tr><th>title</th><th>source</th><th>published</th>'
            f"<th>links</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
            f'<p class="hint">Replay links need pywb running: <code>{h(replay.command)}</code></p>')


def _workers(crawls: Sequence[str], problem: str) -> str:
    """What ``newsarchive workers`` prints, one block per distributed crawl."""
    if problem:
        body = f'<p class="problem">{h(problem)}</p>'
    elif not crawls:
        body = '<p class="empty">No distributed crawl in this Redis.</p>'
    else:
        body = "".join(f'<pre class="workers">{h(crawl)}</pre>' for crawl in crawls)
    return f'<section class="workers"><h2>Distributed workers</h2>{body}</section>'


def _record_link(article: Mapping[str, Any]) -> str:
    return f'<a class="record" href="/article?{h(_article_query(article))}">record</a>'


def _capture_link(article: Mapping[str, Any]) -> str:
    return f'<a class="capture" href="/capture?{h(_article_query(article))}">capture</a>'


def _article_query(article: Mapping[str, Any]) -> str:
    return urlencode({"job": article.get("job") or "", "url": article.get("url") or ""})


def _mb(value: object) -> str:
    return f"{(value if isinstance(value, int | float) else 0) / 1e6:.2f} MB"


def _moment(iso: str) -> str:
    """An ISO 8601 time to the second, as people read it (its zone left out: the
    reports write UTC)."""
    return iso[:19].replace("T", " ")


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f} s" if value >= 10 else f"{value:.1f} s"
