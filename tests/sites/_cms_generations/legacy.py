"""The legacy archive ("bare"): table layout, plain-text bylines and textual dates."""

from __future__ import annotations

from tests.sites._cms_generations.content import (
    BY_KEY,
    CLASSIFIED,
    LEGACY_FOOT,
    SITE,
    TIDES,
)
from tests.sites.pages import esc


def legacy_shell(title: str, main: str, mast: str = "img") -> str:
    if mast == "h1":
        masthead = f'<h1 class="mast">{SITE}</h1>'
    else:
        masthead = f'<img src="/img/mast.gif" width="600" height="80" alt="{SITE}">'
    return f"""<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{esc(title)} - Harbour Ledger Archive</title>
<link rel="stylesheet" href="/legacy/style.css" type="text/css">
</head>
<body bgcolor="#ffffff" leftmargin="0" topmargin="0">
<table width="100%" border="0" cellspacing="0" cellpadding="4">
<tr><td colspan="3" class="mast">{masthead}</td></tr>
<tr>
<td width="160" valign="top" class="leftnav" bgcolor="#e8eef4">
<a href="/">Home</a><br><a href="/harbour/">Harbour</a><br><a href="/economy/">Economy</a><br>
<a href="/environment/">Environment</a><br><a href="/archive/">Archive</a><br><br>
<div class="tides">{esc(TIDES)}</div>
</td>
<td valign="top" class="main">
{main}
</td>
<td width="180" valign="top" class="rightcol">
<b>Classifieds</b><br><div class="cls">{esc(CLASSIFIED)}</div><br>
<div class="cls">WANTED: mooring in inner harbour for 7m motor boat. Call Jim, 01632 960 771.</div>
</td>
</tr>
<tr><td colspan="3" class="foot" align="center"><font size="1">{esc(LEGACY_FOOT)}
<a href="/contact/">Contact</a> | <a href="/privacy-policy/">Privacy</a></font></td></tr>
</table>
</body>
</html>
"""


def render_bare_article(a: dict, base: str) -> str:
    title = esc(a["title"])
    if a["headline"] == "font":
        head = f'<font face="Georgia" size="5"><b>{title}</b></font><br>'
    elif a["headline"] == "h2":
        head = f'<h2 class="hl">{title}</h2>'
    else:
        head = f'<h1 class="hl">{title}</h1>'
    if a["layout"] == "br":
        text = "<br><br>\n".join(esc(p) for p in a["body"])
        body = f'<div class="storytext"><font size="2">{text}</font></div>'
    else:
        body = ('<div class="storytext">'
                + "\n".join(f"<p>{esc(p)}</p>" for p in a["body"]) + "</div>")
    see = " | ".join(f'<a href="{BY_KEY[k]["path"]}">{esc(BY_KEY[k]["title"])}</a>'
                     for k in a["related"])
    main = f"""{head}
<div class="byl"><i>{esc(a["byline"])}</i></div>
<div class="dt">{esc(a["dateline"])}</div>
<br>
{body}
<br><hr size="1">
<div class="see"><b>See also:</b> {see}</div>
<div class="tools"><a href="mailto:?subject={title}">E-mail this story</a></div>
"""
    return legacy_shell(a["title"], main, a["mast"])
