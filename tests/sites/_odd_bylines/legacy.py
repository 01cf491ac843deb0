"""The legacy county edition ("bare"): HTML 4 in upper case, tables and <font>, and a
printer-friendly copy of every story."""

from __future__ import annotations

from tests.sites._odd_bylines.content import (
    BARE,
    LEGACY_FOOT,
    LEGACY_MAST,
    NAV,
    PRINT_LINK,
    SITE,
    WEATHER,
)
from tests.sites.pages import esc


def legacy_shell(main: str, head: str = "") -> str:
    nav = "".join(f'<A HREF="{esc(h)}">{t}</A><BR>' for t, h in NAV)
    return f"""<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">
<HTML>
<HEAD>
<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=utf-8">
<TITLE>{SITE} - County Edition - Story</TITLE>
{head}
</HEAD>
<BODY BGCOLOR="#FFFFFF" TEXT="#000000" LINK="#003366">
<CENTER>
<TABLE WIDTH="760" BORDER="0" CELLPADDING="4" CELLSPACING="0">
<TR><TD COLSPAN="2" BGCOLOR="#DDDDBB"><A HREF="/"><FONT FACE="Georgia,Times" SIZE="6"><B>{SITE}
</B></FONT></A><BR><FONT SIZE="1">{LEGACY_MAST} - County Edition</FONT></TD></TR>
<TR><TD WIDTH="150" VALIGN="top" BGCOLOR="#EEEECC"><FONT FACE="Arial" SIZE="2">{nav}
<BR><B>Weather</B><BR>{WEATHER}</FONT></TD>
<TD VALIGN="top">
{main}
</TD></TR>
</TABLE>
<FONT SIZE="1" FACE="Arial">{LEGACY_FOOT}</FONT>
</CENTER>
</BODY>
</HTML>"""


def render_bare_article(a: dict, base: str, *, printable: bool = False) -> str:
    paragraphs = "\n".join(f"<P>{esc(p)}" for p in a["body"])
    story = (f'<H2>{esc(a["title"])}</H2>\n<I>{esc(a["byline"])}</I><BR>\n'
             f'<FONT SIZE="2" COLOR="#666666">{a["shown"]}</FONT>\n{paragraphs}\n')
    if printable:
        return (f'<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">\n<HTML><HEAD>'
                f'<TITLE>{SITE} - Print</TITLE><LINK REL="canonical" HREF="{base}{a["path"]}">'
                f'</HEAD><BODY onload="window.print()"><FONT FACE="Times">{story}</FONT>'
                f'<HR><FONT SIZE="1">{LEGACY_FOOT}</FONT></BODY></HTML>')
    others = "".join(f'<LI><A HREF="{o["path"]}">{esc(o["title"])}</A>' for o in BARE
                     if o is not a)
    main = (f'{story}<P><FONT SIZE="1"><A HREF="{a["path"]}?print=1">{PRINT_LINK}</A> | '
            f'<A HREF="mailto:?subject={a["story_id"]}">Email this story</A></FONT>\n<HR>\n'
            f'<B>Other county stories:</B><UL>{others}</UL>')
    return legacy_shell(main)
