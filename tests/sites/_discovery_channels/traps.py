"""The crawler traps, none of which holds an article: an event calendar that answers for
any day of years 1-9999, a faceted events guide and community notices that never end."""

from __future__ import annotations

from calendar import monthrange
from datetime import date, timedelta
from urllib.parse import urlencode

from tests.sites._discovery_channels.content import DAYS, MONTHS, NOTICES, SITE, human_date
from tests.sites._discovery_channels.stories import shell
from tests.sites.pages import esc

# ------------------------------------------------------------------ traps: calendar

EVENTS = [
    ("2026-02-21", "Quiz night for the air ambulance", "family", "town-hall", 30),
    ("2026-03-07", "Farmers' market", "markets", "town-hall", 80),
    ("2026-03-14", "Kellsbridge Silver Band spring concert", "music", "corn-exchange", 95),
    ("2026-03-18", "Talk: the great flood of 1913", "talks", "library", 60),
    ("2026-03-21", "Junior parkrun", "sport", "riverside", 70),
    ("2026-03-28", "Silent film with live organ: The General", "music", "corn-exchange", 90),
    ("2026-03-29", "Easter crafts for under-tens", "family", "library", 50),
    ("2026-04-04", "Craft and antiques fair", "markets", "corn-exchange", 40),
    ("2026-04-11", "Riverside bird walk", "family", "riverside", 45),
    ("2026-04-16", "Talk: curlews and the high moor", "talks", "library", 55),
]
VENUES = {"corn-exchange": "Corn Exchange", "library": "Kellsbridge Library",
          "town-hall": "Town Hall", "riverside": "Riverside Park"}
FACETS = [("type", ["music", "talks", "markets", "sport", "family"]),
          ("venue", list(VENUES)), ("sort", ["date", "name", "popular"])]


def event_items(events: list[tuple]) -> str:
    if not events:
        return '<p class="empty">Nothing listed.</p>'
    return '<ul class="events">' + "".join(
        f"<li><strong>{human_date(d + 'T00:00:00+00:00', with_time=False)}</strong> "
        f"{esc(name)}, {esc(VENUES[venue])}</li>" for d, name, _, venue, _ in events) + "</ul>"


def month_url(year: int, month: int) -> str:
    return f"/calendar/{year:04d}/{month:02d}/"


def render_month(year: int, month: int) -> str:
    first = date(year, month, 1)
    days = monthrange(year, month)[1]
    nav = []
    if (year, month) > (1, 1):
        py, pm = (year, month - 1) if month > 1 else (year - 1, 12)
        nav.append(f'<a rel="prev" href="{month_url(py, pm)}">&larr; {MONTHS[pm - 1]} {py}</a>')
    if (year, month) < (9999, 12):
        ny, nm = (year, month + 1) if month < 12 else (year + 1, 1)
        nav.append(f'<a rel="next" href="{month_url(ny, nm)}">{MONTHS[nm - 1]} {ny} &rarr;</a>')
    cells = ["<td></td>"] * first.weekday()
    for day in range(1, days + 1):
        cells.append(f'<td><a href="{month_url(year, month)}{day:02d}/">{day}</a></td>')
    cells += ["<td></td>"] * (-len(cells) % 7)
    rows = "".join("<tr>" + "".join(cells[i:i + 7]) + "</tr>" for i in range(0, len(cells), 7))
    prefix = f"{year:04d}-{month:02d}-"
    listed = [e for e in EVENTS if e[0].startswith(prefix)]
    main = f"""<h1 class="cal-title">What's on: {MONTHS[month - 1]} {year}</h1>
<p class="cal-nav">{" | ".join(nav)}</p>
<table class="cal"><tr>{"".join(f"<th>{d[:3]}</th>" for d in DAYS)}</tr>{rows}</table>
<h2>Listed this month</h2>
{event_items(listed)}"""
    return shell(f"What's on: {MONTHS[month - 1]} {year} | {SITE}", main, page_class="calendar",
                 session=False)


def render_day(day: date) -> str:
    nav = []
    if day > date.min:
        before = day - timedelta(days=1)
        nav.append(f'<a href="{month_url(before.year, before.month)}{before.day:02d}/">'
                   "Previous day</a>")
    nav.append(f'<a href="{month_url(day.year, day.month)}">{MONTHS[day.month - 1]} '
               f"{day.year}</a>")
    if day < date.max:
        after = day + timedelta(days=1)
        nav.append(f'<a href="{month_url(after.year, after.month)}{after.day:02d}/">'
                   "Next day</a>")
    label = f"{DAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}"
    iso = f"{day.year:04d}-{day.month:02d}-{day.day:02d}"
    main = f"""<h1 class="cal-title">What's on: {label}</h1>
<p class="cal-nav">{" | ".join(nav)}</p>
{event_items([e for e in EVENTS if e[0] == iso])}"""
    return shell(f"What's on: {label} | {SITE}", main, page_class="calendar-day", session=False)


# -------------------------------------------------------------------- traps: events

def events_url(selected: dict[str, str]) -> str:
    query = [(k, selected[k]) for k, _ in FACETS if selected.get(k)]
    return "/events/" + ("?" + urlencode(query) if query else "")


def render_events(params: dict[str, str]) -> str:
    selected = {k: params[k] for k, _ in FACETS if params.get(k)}
    shown = [e for e in EVENTS
             if selected.get("type", e[2]) == e[2] and selected.get("venue", e[3]) == e[3]]
    order = selected.get("sort", "date")
    if order == "name":
        shown.sort(key=lambda e: e[1])
    elif order == "popular":
        shown.sort(key=lambda e: -e[4])
    facets = []
    for facet, values in FACETS:
        options = [f'<li><a href="{esc(events_url({**selected, facet: ""}))}">any</a></li>']
        options += [f'<li><a href="{esc(events_url({**selected, facet: v}))}">{v}</a></li>'
                    for v in values]
        facets.append(f'<div class="facet"><h3>{facet}</h3><ul>{"".join(options)}</ul></div>')
    main = f"""<h1>Events guide</h1>
<aside class="facets">{"".join(facets)}</aside>
{event_items(shown)}"""
    return shell(f"Events guide | {SITE}", main, page_class="events", session=False)


def render_notices(page: int) -> str:
    """Five notices a page for pages 1-3; from page 4 on, the same empty page whose
    only difference is the link to the next one."""
    shown = NOTICES[(page - 1) * 5:page * 5] if page <= 3 else []
    items = ("<ul class=\"notices\">" + "".join(f"<li>{esc(n)}</li>" for n in shown) + "</ul>"
             if shown else '<p class="empty">No older notices.</p>')
    main = f"""<h1>Community notices</h1>
{items}
<p class="pager"><a href="/notices/">Newest notices</a> |
 <a href="/notices/?page={page + 1}">Older notices</a></p>"""
    return shell(f"Community notices | {SITE}", main, page_class="notices", session=False)
