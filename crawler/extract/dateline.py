"""A story's visible dateline ("11.06.2024", "June 8, 2021", "8. Juni 2024") as an ISO date.

Pages without machine-readable dates still print one under the headline.
htmldate would find *a* date too, but on such pages it as readily takes one
from a navigation link or a calendar widget; the first date written out after
the headline is the story's own far more often.
"""

from __future__ import annotations

import re
from datetime import date

from lxml.html import HtmlElement

from crawler.extract._areas import in_boilerplate_area
from crawler.extract._headline import story_headline

# Month names in the languages the crawler meets most; the first three letters
# (or the full word) of each, mapped to the month number.
_MONTHS = {
    **dict.fromkeys(("jan", "januar", "january", "janvier", "enero", "jänner", "ene", "gen",
                     "gennaio", "janeiro", "januari", "января", "январь", "янв"), 1),
    **dict.fromkeys(("feb", "februar", "february", "février", "fevrier", "febrero", "febbraio",
                     "fevereiro", "fev", "februari", "февраля", "февраль", "фев"), 2),
    **dict.fromkeys(("mar", "mär", "märz", "march", "mars", "marzo", "março", "marco", "maart",
                     "марта", "март", "мар"), 3),
    **dict.fromkeys(("apr", "april", "avril", "abril", "abr", "aprile", "апреля", "апрель",
                     "апр"), 4),
    **dict.fromkeys(("may", "mai", "mayo", "mag", "maggio", "maio", "mei", "мая", "май"), 5),
    **dict.fromkeys(("jun", "juni", "june", "juin", "junio", "giu", "giugno", "junho", "июня",
                     "июнь", "июн"), 6),
    **dict.fromkeys(("jul", "juli", "july", "juillet", "julio", "lug", "luglio", "julho", "июля",
                     "июль", "июл"), 7),
    **dict.fromkeys(("aug", "august", "août", "aout", "agosto", "ago", "augustus", "августа",
                     "август", "авг"), 8),
    **dict.fromkeys(("sep", "sept", "september", "septembre", "septiembre", "set", "settembre",
                     "setembro", "сентября", "сентябрь", "сен"), 9),
    **dict.fromkeys(("oct", "okt", "oktober", "october", "octobre", "octubre", "ott", "ottobre",
                     "out", "outubro", "октября", "октябрь", "окт"), 10),
    **dict.fromkeys(("nov", "november", "novembre", "noviembre", "novembro", "ноября", "ноябрь",
                     "ноя"), 11),
    **dict.fromkeys(("dec", "dez", "dezember", "december", "décembre", "diciembre", "dic",
                     "dicembre", "dezembro", "декабря", "декабрь", "дек"), 12),
}
_MONTH = r"([^\W\d_]{3,9})\.?"
_NUMERIC_DMY = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")
_ISO = re.compile(r"\b(\d{4})[-.](\d{2})[-.](\d{2})\b")  # 2019-11-18, 2016.12.01
# year first is unambiguous however it is written: 2019/6/15, and Chinese, Japanese and
# Korean 2019年6月15日 / 2019년 6월 15일 (no \b: the characters around are word characters)
_YEAR_FIRST = re.compile(r"(?<!\d)(\d{4})/(\d{1,2})/(\d{1,2})(?!\d)"
                         r"|(?<!\d)(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]")
# 27/09/2018, 11/18/19: day and month order depend on the country, so only read where the
# numbers settle it (a part over 12) or where both orders give the same day
_SLASHED = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})\b")
# "November 18th, 2019", "1st of May 2024": English ordinals after the day
_ORDINAL = r"(?:st|nd|rd|th)?"
_MONTH_DAY_YEAR = re.compile(rf"\b{_MONTH}\s+(\d{{1,2}}){_ORDINAL},?\s+(\d{{4}})\b")
_DAY_MONTH_YEAR = re.compile(
    rf"\b(\d{{1,2}}){_ORDINAL}\.?\s+(?:de\s+|of\s+)?{_MONTH},?\s+(?:de\s+)?(\d{{4}})\b"
)
# Longer text is prose that mentions a date, not a dateline.
MAX_DATELINE_CHARS = 100
# What a dateline may say besides its date ("Published: Monday,", "By Ana Ruiz on", "| 11:04
# a.m. EST"); a text with more is a sentence that mentions a date ("On Nov. 15, 2019,
# the ambassador ...").
MAX_CHARS_BESIDES_DATE = 40
# A dateline sits right under the headline: the first texts after it are the standfirst,
# the byline and the dateline, often as links (to the author, to the post itself); a date
# far below belongs to something else (a comment, a related story, a calendar).
NEAR_HEADLINE = 12
MAX_TEXTS_AFTER_HEADLINE = 120
UPDATE_WITHIN = 8
# Captions date the photo and quotes the quoted; links, menus and forms are the page's chrome.
_SKIP_TAGS = {"a", "nav", "aside", "script", "style", "option", "form", "figure",
              "figcaption", "blockquote"}


def _valid(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _slashed(match: re.Match) -> str | None:
    first, second, year = int(match[1]), int(match[2]), int(match[3])
    if year < 100:
        year += 2000 if year < 70 else 1900
    month_first, day_first = _valid(year, first, second), _valid(year, second, first)
    if month_first and day_first and month_first != day_first:
        return None  # 05/06/2019: May or June, the page does not say
    return month_first or day_first


def _find(text: str, slashed: bool = False) -> tuple[str, re.Match] | None:
    if slashed and (match := _SLASHED.search(text)):
        found = _slashed(match)
    elif match := _ISO.search(text):
        found = _valid(int(match[1]), int(match[2]), int(match[3]))
    elif match := _YEAR_FIRST.search(text):
        year, month, day = (part for part in match.groups() if part is not None)
        found = _valid(int(year), int(month), int(day))
    elif match := _NUMERIC_DMY.search(text):  # 11.06.2024: the dotted form is day-first,
        first, second = int(match[1]), int(match[2])
        # but for Wired's month-first 11.14.2019, which a second part over 12 settles
        day, month = (second, first) if second > 12 >= first else (first, second)
        found = _valid(int(match[3]), month, day)
    elif (match := _MONTH_DAY_YEAR.search(text)) and (month := _MONTHS.get(match[1].lower())):
        found = _valid(int(match[3]), month, int(match[2]))
    elif (match := _DAY_MONTH_YEAR.search(text)) and (month := _MONTHS.get(match[2].lower())):
        found = _valid(int(match[3]), month, int(match[1]))
    else:
        return None
    return (found, match) if found else None


def parse_dateline(text: str) -> str | None:
    """The first date written out in ``text``, as ``YYYY-MM-DD``."""
    found = _find(text)
    return found[0] if found else None


# "Updated: Nov. 20, 2019", "Last modified on ...", "aktualisiert am": the modified date
_UPDATE_WORDS = (r"updated|last modified|modified|aktualisiert|mis à jour|actualizado|aggiornato|"
                 r"atualizado|bijgewerkt|обновлено")
# and in scripts that write no spaces between words, where \b finds no edge: Chinese
# "最后更新: 2019-09-07", Japanese "最終更新日", Korean "수정 2022.09.06"
_CJK_UPDATE_WORDS = r"最后更新|更新时间|更新於|更新于|修改时间|最終更新|更新日|수정|업데이트"
_UPDATED = re.compile(rf"\b(?:{_UPDATE_WORDS})\b|{_CJK_UPDATE_WORDS}", re.I)
# a label standing alone before its date: "Updated" / "Nov 13, 2019, 10:28am EST"
_UPDATED_LABEL = re.compile(
    rf"^\W*(?:{_UPDATE_WORDS}|{_CJK_UPDATE_WORDS})\W*(?:on|am|le|el|il)?\W*$", re.I)


# "This entry was posted on Saturday, December 3rd, 2011 at 10:04 and is filed under ...",
# "Dieser Beitrag wurde am Samstag, 3. Dezember 2011 um 10:04 Uhr veröffentlicht und
# unter ... gespeichert": a blog theme's sentence that says which day the post went out.
# The verb makes it a dateline however much else it says.
_PUBLISHED = re.compile(r"\b(?:posted|published|veröffentlicht|publié|publicado|pubblicato|"
                        r"gepubliceerd|opublikowano)\b", re.I)


def _date_of(text: str) -> tuple[str, bool] | None:
    """The date of a short text that is a dateline (not a sentence mentioning a date), and
    whether it is an "Updated ..." line."""
    found = _find(text, slashed=True)
    if found is None:
        return None
    date_text, match = found
    before, rest = text[: match.start()], text[: match.start()] + text[match.end():]
    if len(rest.strip()) > MAX_CHARS_BESIDES_DATE and not _PUBLISHED.search(text):
        return None
    return date_text, bool(_UPDATED.search(before))


def _is_dateline(text: str) -> str | None:
    """The date of a short text that is a publication dateline: not a sentence mentioning
    a date, nor an "Updated ..." line."""
    found = _date_of(text)
    return found[0] if found and not found[1] else None


def publication_day(text: str) -> str | None:
    """The day of ``text`` when it is a short publication dateline ("Publié le 29 juin
    2019"), not a sentence that mentions a date nor an "Updated ..." line; else None."""
    return _is_dateline(" ".join(text.split()))


def _in_chrome(parent: HtmlElement, story: set[HtmlElement], near: bool) -> bool:
    """Inside a link, caption, quote, menu, form or aside; or in a <header>/<footer> that
    is the page's (not inside an <article>, not right under the headline). What also
    holds the headline (``story``: its ancestors) is the story's, whatever its tag: a page
    wrapped whole in a <form> (ASP.NET), the story's own <header>, and an <aside> in that
    header ("entry-details"). A link right under the headline (``near``) or a link to
    nowhere but this page (``href="#"``, as blog themes print the post's date) is the
    post's own permalink date; a link further down, a <time> in it too, is a teaser's for
    another story, and a link to an anchor (``#c123``) is a comment's. A <footer> right
    under the headline is the story's author box, not the page's footer."""
    in_article = any(a.tag == "article" for a in parent.iterancestors())
    for element in (parent, *parent.iterancestors()):
        if element in story:
            return False  # from here up, the area holds the headline too
        tag = element.tag
        if tag == "a" and (near or (element.get("href") or "").strip() in ("", "#")):
            continue
        if tag in _SKIP_TAGS and not (tag == "aside" and _in_own_header(element, story)):
            return True
        if tag in ("header", "footer") and not in_article and not near:
            return True
    return False


def _in_own_header(element: HtmlElement, story: set[HtmlElement]) -> bool:
    """Right inside the <header> that holds the headline."""
    above = element.getparent()
    return above is not None and above.tag == "header" and above in story


def visible_dates(tree: HtmlElement, title: str | None = None, *,
                  headline: HtmlElement | None = None) -> tuple[str | None, str | None]:
    """The first short publication dateline after the page's headline (the heading that
    reads ``title``, when given and found; or ``headline``, when the caller found it),
    outside chrome; and the "Updated ..." date printed before it, if any (a date right
    after a lone "Updated" label is one too)."""
    start = headline if headline is not None else story_headline(tree, title)
    if start is None:
        return None, None
    # the elements themselves, not their id()s: lxml's proxies live only while referenced,
    # and a freed one's id is soon another element's
    story = set(start.iterancestors())
    # the position limit lets libxml2 stop early instead of listing every text of the page
    texts = start.xpath(
        f"following::text()[normalize-space()][position() <= {MAX_TEXTS_AFTER_HEADLINE}]"
    )
    published = updated = None
    after_label, stop = False, MAX_TEXTS_AFTER_HEADLINE
    for index, text in enumerate(texts):
        if index >= stop or (published and updated):
            break
        if len(text.strip()) > MAX_DATELINE_CHARS:  # indentation is no text
            continue
        # a link's tail ("<a>Ana Ruiz</a> on Nov 14, 2019") is not in the link
        parent = text.getparent()
        if parent is not None and text.is_tail:
            parent = parent.getparent()
        if parent is None or _in_chrome(parent, story, near=index < NEAR_HEADLINE):
            continue
        if _UPDATED_LABEL.match(text):
            after_label = True
            continue
        # a sidebar's "popular posts" or a related box dates other stories, even when the
        # template builds it of plain <div>s rather than <aside> (checked only for dates:
        # it walks the ancestors)
        if (found := _date_of(text)) and not in_boilerplate_area(parent, start, dated=True):
            day, is_update = found
            if is_update or after_label:
                updated = updated or day
            elif not published:
                # the "Updated" line, when there is one, follows within a few lines
                published, stop = day, index + UPDATE_WITHIN
        after_label = False
    return published or _dateline_above(start, story), updated


# A kicker's dateline above the headline ("October 9, 2018 at 4:02 pm" / headline): the
# few texts right before it, inside the story's own block
TEXTS_ABOVE_HEADLINE = 4


def _dateline_above(start: HtmlElement, story: set[HtmlElement]) -> str | None:
    """The publication dateline printed just above the headline, within the element that
    holds the headline and its kicker (its <header>, <article> or parent, never <body>):
    what a menu, a teaser list or a masthead printing today's date above the story
    prints is not the story's."""
    close = {element for element in story if element.tag in ("header", "article")}
    if start.getparent() is not None and start.getparent().tag not in ("body", "html"):
        close.add(start.getparent())
    texts = start.xpath(
        f"preceding::text()[normalize-space()][position() <= {TEXTS_ABOVE_HEADLINE}]")
    for text in reversed(texts):  # nearest the headline first
        element = text.getparent()
        if text.is_tail:
            element = element.getparent()
        if element is None or len(text.strip()) > MAX_DATELINE_CHARS:
            continue
        if not any(above in close for above in element.iterancestors()):
            continue
        if _in_chrome(element, story, near=True) or in_boilerplate_area(element, start,
                                                                           dated=True):
            continue
        if (found := _date_of(text)) and not found[1]:
            return found[0]
    return None


def visible_dateline(tree: HtmlElement, title: str | None = None) -> str | None:
    """The publication day of :func:`visible_dates`."""
    return visible_dates(tree, title)[0]
