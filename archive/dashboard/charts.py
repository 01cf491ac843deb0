"""Charts as inline SVG, drawn on the server: no script runs in the page, none is
downloaded, and the dashboard works offline.

Colours are SVG presentation attributes rather than ``style``: the page's
Content-Security-Policy forbids inline styles. Every label is escaped (a source
or job name is text, never markup), and every mark carries a ``<title>``, which
browsers show as a tooltip.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from html import escape

from archive.dashboard.data import Run

# Distinct on white and readable by the colour-blind (Okabe-Ito).
PALETTE = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442",
           "#000000")
EXIT_COLOURS = {0: "#009e73", 1: "#e69f00"}  # any other status: red
FAILED_COLOUR = "#d55e00"
ALERT_COLOUR = "#d55e00"
_WIDTH, _HEIGHT, _LEFT, _BOTTOM, _TOP = 720, 180, 40, 28, 10


def articles_per_day(per_day: Mapping[str, Mapping[date, int]], days: Sequence[date]) -> str:
    """Stacked bars: articles published each day, one colour per source."""
    if not days:
        return _empty("no dated articles yet")
    sources = sorted(per_day)
    totals = [sum(per_day[name].get(day, 0) for name in sources) for day in days]
    top = max(max(totals), 1)
    step = (_WIDTH - _LEFT) / len(days)
    marks = []
    for index, day in enumerate(days):
        x, base = _LEFT + index * step, float(_HEIGHT - _BOTTOM)
        for number, name in enumerate(sources):
            count = per_day[name].get(day, 0)
            if not count:
                continue
            height = count / top * (_HEIGHT - _BOTTOM - _TOP)
            base -= height
            marks.append(_rect(x + 1, base, step - 2, height, _colour(number),
                               f"{day.isoformat()} {name}: {count}", "bar"))
    labels = [_text(_LEFT + i * step + step / 2, _HEIGHT - 8, day.strftime("%m-%d"), "middle")
              for i, day in enumerate(days) if i % max(1, len(days) // 8) == 0]
    legend = [(name, _colour(number)) for number, name in enumerate(sources)]
    return _svg("articles-per-day", "Articles published per day, by source",
                [*_axis(top), *marks, *labels], legend)


def runs_chart(runs: Sequence[Run]) -> str:
    """A bar per run (oldest first): its pages, coloured by exit status, with errors
    and blocked pages as a dark cap."""
    if not runs:
        return _empty("no runs yet")
    top = max(max(run.pages for run in runs), 1)
    step = (_WIDTH - _LEFT) / len(runs)
    width = min(step - 2, 40)
    marks = []
    for index, run in enumerate(runs):
        trouble = run.errors + (run.blocked or 0)
        status = "?" if run.exit_status is None else run.exit_status
        height = run.pages / top * (_HEIGHT - _BOTTOM - _TOP)
        x, y = _LEFT + index * step, _HEIGHT - _BOTTOM - height
        blocked = "-" if run.blocked is None else run.blocked
        label = (f"{run.started}: exit {status}, {run.pages} pages, {run.errors} errors, "
                 f"{blocked} blocked")
        colour = EXIT_COLOURS.get(run.exit_status, FAILED_COLOUR) \
            if run.exit_status is not None else FAILED_COLOUR
        marks.append(_rect(x + 1, y, width, height, colour, label, f"run exit-{status}"))
        if trouble:
            cap = min(height, trouble / top * (_HEIGHT - _BOTTOM - _TOP))
            marks.append(_rect(x + 1, y, width, max(cap, 2), "#444444",
                               f"{trouble} errors and blocked pages", "trouble"))
    legend = [("exit 0", EXIT_COLOURS[0]), ("exit 1", EXIT_COLOURS[1]),
              ("other exit", FAILED_COLOUR), ("errors + blocked", "#444444")]
    return _svg("runs", "Pages fetched per run, coloured by exit status", [*_axis(top), *marks],
                legend)


def trend_chart(series: Mapping[str, Sequence[float | None]],
                alerts: Mapping[str, Sequence[bool]], runs: Sequence[str]) -> str:
    """A line per signal (shares from 0 to 1) across the runs, an alert's run marked
    with a larger red ring."""
    if not any(value is not None for values in series.values() for value in values):
        return _empty("no health figures in these runs' reports")
    step = (_WIDTH - _LEFT) / max(len(runs), 1)
    span = _HEIGHT - _BOTTOM - _TOP
    marks, legend = [], []
    for number, (name, values) in enumerate(series.items()):
        colour = _colour(number)
        legend.append((name, colour))
        points = [(_LEFT + i * step + step / 2, _HEIGHT - _BOTTOM - value * span, value, i)
                  for i, value in enumerate(values) if value is not None]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _, _ in points)
            marks.append(f'<polyline points="{path}" fill="none" stroke="{colour}" '
                         'stroke-width="2"/>')
        for x, y, value, index in points:
            flagged = alerts.get(name, [False] * len(runs))[index]
            title = f"{runs[index]} {name}: {value:.2f}" + (" (alert)" if flagged else "")
            if flagged:
                marks.append(f'<circle class="alert-mark" cx="{x:.1f}" cy="{y:.1f}" r="7" '
                             f'fill="none" stroke="{ALERT_COLOUR}" stroke-width="2">'
                             f"<title>{escape(title)}</title></circle>")
            marks.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}">'
                         f"<title>{escape(title)}</title></circle>")
    axis = [_text(_LEFT - 4, _HEIGHT - _BOTTOM, "0", "end"), _text(_LEFT - 4, _TOP + 8, "1", "end"),
            _line(_LEFT, _HEIGHT - _BOTTOM, _WIDTH, _HEIGHT - _BOTTOM)]
    return _svg("trend", "Health shares per run; a red ring marks an alert", [*axis, *marks],
                [*legend, ("alert", ALERT_COLOUR)])


def _svg(kind: str, label: str, body: Sequence[str], legend: Sequence[tuple[str, str]]) -> str:
    keys = "".join(f'<span class="key"><svg width="10" height="10" aria-hidden="true">'
                   f'<rect width="10" height="10" fill="{colour}"/></svg> {escape(name)}</span>'
                   for name, colour in legend)
    return (f'<figure class="chart {kind}"><svg viewBox="0 0 {_WIDTH} {_HEIGHT}" role="img" '
            f'aria-label="{escape(label)}" class="chart-svg" data-chart="{kind}">'
            f"<title>{escape(label)}</title>{''.join(body)}</svg>"
            f'<figcaption>{escape(label)}<br>{keys}</figcaption></figure>')


def _axis(top: int) -> list[str]:
    return [_line(_LEFT, _HEIGHT - _BOTTOM, _WIDTH, _HEIGHT - _BOTTOM),
            _text(_LEFT - 4, _TOP + 8, str(top), "end"),
            _text(_LEFT - 4, _HEIGHT - _BOTTOM, "0", "end")]


def _rect(x: float, y: float, width: float, height: float, fill: str, title: str,
          kind: str) -> str:
    return (f'<rect class="{kind}" x="{x:.1f}" y="{y:.1f}" width="{max(width, 1):.1f}" '
            f'height="{height:.1f}" fill="{fill}"><title>{escape(title)}</title></rect>')


def _line(x1: float, y1: float, x2: float, y2: float) -> str:
    return f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="#999999"/>'


def _text(x: float, y: float, text: str, anchor: str) -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="11" fill="#555555" '
            f'text-anchor="{anchor}">{escape(text)}</text>')


def _colour(number: int) -> str:
    return PALETTE[number % len(PALETTE)]


def _empty(why: str) -> str:
    return f'<p class="empty">{escape(why)}</p>'
