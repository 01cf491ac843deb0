"""The old press-release archive ("bare"): table layout, unquoted attributes, plain-text
bylines, served as ISO-8859-1."""

from __future__ import annotations

from tests.sites._bilingual.content import ARTICLES, BARE_FOOT, BARE_NAV_NOTE
from tests.sites.pages import esc


def bare_shell(inner: str, *, title: str = "Lahnfurter Bote - Pressemeldungen") -> str:
    nav = ("<a href=/>Startseite</a><br><a href=meldungen.php>Meldungen</a><br>"
           "<a href=/termine/2024-06-11/>Termine</a><br><a href=/impressum/>Impressum</a>")
    return f"""<html>
<head>
<meta charset="iso-8859-1">
<title>{esc(title)}</title>
</head>
<body bgcolor=#ffffff text=#000000 link=#003399>
<table width=760 border=0 cellpadding=4 cellspacing=0>
<tr><td colspan=2 bgcolor=#003399><img src=/img/kopf.gif width=760 height=60
alt="Lahnfurter Bote"></td></tr>
<tr><td width=150 valign=top bgcolor=#eeeeee><font size=2>{nav}<br><br>
{esc(BARE_NAV_NOTE)}</font></td>
<td width=610 valign=top>
{inner}
</td></tr>
<tr><td colspan=2 align=center><font size=1>{esc(BARE_FOOT)}</font></td></tr>
</table>
</body>
</html>"""


def bare_others(a: dict) -> list[dict]:
    return [b for b in ARTICLES if b["kind"] == "bare" and b is not a][:2]


def render_bare_article(a: dict) -> str:
    text = "\n".join(f"<p>{esc(p)}</p>" for p in a["body"])
    others = "".join(f'<li><a href=meldung.php?nr={b["nr"]}>{esc(b["title"])}</a>'
                     for b in bare_others(a))
    label = "Weitere Meldungen" if a["language"] == "de" else "More notices"
    inner = f"""<font face="Arial" size=2 color=#666666>Meldung Nr. {a['nr']}</font>
<h2><font face="Arial">{esc(a['title'])}</font></h2>
<p><b>Lahnfurt, {a['dateline']}</b><br>
{esc(a['byline'])}</p>
{text}
<p><font size=1><a href="javascript:window.print()">Druckversion</a> |
<a href=#top>Seitenanfang</a></font></p>
<hr><b>{label}:</b><ul>{others}</ul>"""
    return bare_shell(inner)


def bare_list() -> str:
    items = sorted((a for a in ARTICLES if a["kind"] == "bare"), key=lambda a: a["nr"],
                   reverse=True)
    rows = "".join(f"<tr><td><font size=2>{a['dateline']}</font></td><td><a href="
                   f"meldung.php?nr={a['nr']}>{esc(a['title'])}</a></td></tr>" for a in items)
    return bare_shell(f"<h2>Pressemeldungen</h2><table>{rows}</table>")
