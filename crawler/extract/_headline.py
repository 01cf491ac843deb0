"""The headline of a page without machine-readable title metadata.

trafilatura's ``extract_title`` takes a page's only ``<h1>`` on trust, but on
many older templates the ``<h1>`` is the masthead (the site's name) and the
headline is an ``<h2>`` or a ``<font>`` run. The ``<title>`` element nearly
always holds the headline plus a site suffix or prefix, so a heading that is
the ``<title>`` minus such an affix is the headline, whatever its level.
"""

from __future__ import annotations

import re
import unicodedata

from lxml import etree
from lxml.html import HtmlElement

__all__ = [
    "displayed_headline",
    "first_heading",
    "heading_before_body",
    "headline_from_markup",
    "story_headline",
    "strip_chinese_site_suffix",
    "strip_site_affix",
]

# Chinese titles join the headline and the site without spaces ("…_证券时报网", "…-新华网")
_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ", " » ", " « ", " ‹ ", " › ", " / ",
               "_", "-", "|", "｜")
# a Chinese site's name ends in 网 ("net") or 网站 ("website"): "…-新华网", "…_中山网"
_CHINESE_SITE_SUFFIX = re.compile(r"\s*[_|｜-]\s*[\u4e00-\u9fff]{1,20}网站?$")
_WS = re.compile(r"\s+")
# headings past these are deep in listings and footers, never the headline
_MAX_H1, _MAX_H2, _MAX_H3 = 5, 20, 20


def _text(element: HtmlElement) -> str:
    return _WS.sub(" ", element.text_content()).strip()


def _same(a: str | None, b: str | None) -> bool:
    return bool(a and b) and a.casefold() == b.casefold()


def _printable(text: str) -> str:
    """``text`` without control and format characters, which the HTML parser drops
    from element text but a title read from markup attributes keeps."""
    return "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf"))


def strip_site_affix(title: str, sitename: str | None) -> str:
    """ "Headline | Site" -> "Headline" when the suffix is the site's name."""
    if sitename:
        for sep in _SEPARATORS:
            head, found, tail = title.rpartition(sep)
            if found and head and _same(tail.strip(), sitename):
                return head.strip()
    return title


def strip_chinese_site_suffix(title: str) -> str:
    """ "标题-新华网" -> "标题": for a ``<title>`` no heading confirmed, whose site is
    not known by name."""
    head = _CHINESE_SITE_SUFFIX.sub("", title)
    return head if head.strip() else title


def _affix(page_title: str, heading: str) -> str | None:
    """What the ``<title>`` adds to ``heading`` ("Site"), or None if it is not heading + affix."""
    folded, head = page_title.casefold(), heading.casefold()
    for sep in _SEPARATORS:
        if folded.startswith(head + sep):
            return page_title[len(heading) + len(sep):].strip()
        if folded.endswith(sep + head):
            return page_title[: -len(heading) - len(sep)].strip()
    return None


def headline_from_markup(tree: HtmlElement, sitename: str | None) -> str | None:
    """The first ``<h1>``/``<h2>``/``<h3>`` that the ``<title>`` confirms as the headline.

    A heading qualifies when it is the whole ``<title>``, or the ``<title>``
    minus an affix that is the site's name or shorter than the heading (site
    names are shorter than headlines; this keeps a masthead ``<h1>`` that
    happens to be the suffix from winning). h1s are tried before h2s, h2s before
    h3s. None when no heading qualifies; the caller then falls back to other
    heuristics, and :func:`first_heading` avoids the site's name.
    """
    title_el = tree.find(".//title")
    page_title = _text(title_el) if title_el is not None else ""
    if not page_title:
        return None
    # an <h3> only when the <title> confirms it: old blog themes give the site's name the
    # <h1>, the widgets' titles the <h2>s and the post's headline an <h3>
    headings = (tree.xpath("//h1")[:_MAX_H1] + tree.xpath("//h2")[:_MAX_H2]
                + tree.xpath("//h3")[:_MAX_H3])
    for element in headings:
        heading = _text(element)
        if not heading or _same(heading, sitename):
            continue
        if _same(heading, page_title):
            return heading
        affix = _affix(page_title, heading)
        if affix and (_same(affix, sitename) or len(affix) < len(heading)):
            return heading
    return None


def first_heading(tree: HtmlElement, sitename: str | None) -> str | None:
    """The first ``<h1>``, else ``<h2>``, that is not the site's name."""
    for element in tree.xpath("//h1")[:_MAX_H1] + tree.xpath("//h2")[:_MAX_H2]:
        heading = _text(element)
        if heading and not _same(heading, sitename):
            return heading
    return None


# --- the heading above the body --------------------------------------------------------

_HEADING_LEVEL = {"h1": 1, "h2": 2, "h3": 3, "h4": 4}
# A heading this far (in characters of text) above the body heads something else: the
# byline, dateline, kicker and a caption fit in it, a sidebar or a teaser list does not.
_MAX_GAP = 400
# the body's first line is looked up by this many characters of its start
_PROBE = 40
_MIN_PROBE = 15


def _opens(piece: str, probe: str) -> bool:
    """Whether ``piece`` (an element's own text) is where a line starting with ``probe`` begins."""
    n = min(len(piece), len(probe))
    return n >= min(_MIN_PROBE, len(probe)) and piece[:n] == probe[:n]


def heading_before_body(tree: HtmlElement, body: str, sitename: str | None) -> str | None:
    """The headline as the heading just above the body text, for pages whose ``<title>`` is generic.

    Old templates give every page the same ``<title>`` ("Daily Register - County
    Edition") and put the headline in an ``<h2>`` or ``<h3>`` right above the
    story, under a masthead and beside navigation. So: find where the body's
    first line starts in the page, and take the heading nearest above it, or
    the most important one (``<h1>`` before ``<h2>``...) among those within
    :data:`_MAX_GAP` characters, which lets a headline win over its deck. A
    body that itself opens with a heading gives that heading. None when the
    body cannot be located or no heading is close enough above it.
    """
    first_line = _WS.sub(" ", body.split("\n", 1)[0]).strip()
    probe = first_line[:_PROBE]
    if not probe:
        return None
    seen = 0  # characters of text passed so far, a cheap measure of distance
    headings: list[tuple[int, int, str]] = []  # (position after the heading, level, text)
    # start/end events visit each element's text and then, after its children, its tail:
    # document order, which a plain tree.iter() does not give for tails
    walker = etree.iterwalk(tree, events=("start", "end"))
    for event, element in walker:
        if not isinstance(element.tag, str) and event == "start":
            continue  # a comment's text is not the page's, its tail is
        level = _HEADING_LEVEL.get(element.tag)
        if event == "start" and level:
            walker.skip_subtree()
            heading = _text(element)
            if heading == first_line:
                return heading
            seen += len(heading)
            if heading and not _same(heading, sitename):
                headings.append((seen, level, heading))
            continue
        piece = _WS.sub(" ", (element.text if event == "start" else element.tail) or "").strip()
        if not piece:
            continue
        if _opens(piece, probe):
            near = [h for h in headings if seen - h[0] <= _MAX_GAP]
            # most important first, then nearest
            return min(near, key=lambda h: (h[1], -h[0]))[2] if near else None
        seen += len(piece)
    return None


_WORD = re.compile(r"[^\W\d_]{4,}")


def _words(text: str) -> set[str]:
    return {word.casefold().rstrip("s") for word in _WORD.findall(text)}


def displayed_headline(tree: HtmlElement, title: str, sitename: str | None) -> str | None:
    """The page's one ``<h1>`` when it shows the story ``title`` names, in other words.

    JSON-LD and Open Graph titles are often written for search engines and feeds
    ("Delhi air pollution: The law that's helping fuel the city's poor air quality")
    or carry a section or site affix ("Opinion | ...", "... | Editorial"), while
    the reader sees the ``<h1>``. The ``<h1>`` is taken when it is the page's only
    one (several mean a template that uses it for chrome), is not the site's name,
    and is the same story: contained in ``title``, or sharing two longer words with it.
    A template that prints the headline twice (once for phones, once for screens) and
    puts a short label ("More Science") in another ``<h1>`` still has one.
    """
    texts = {_text(h1) for h1 in tree.xpath("//body//h1")}
    headlines = [text for text in texts if 15 <= len(text) <= 300]
    if len(headlines) != 1 or len(texts) - len(headlines) > 1:
        return None
    heading = headlines[0]
    if _same(heading, title) or _same(heading, sitename):
        return None
    if _same(_printable(heading), _printable(title)):
        return None  # the same words: the title is kept as the page wrote it
    if sitename and heading.casefold() in sitename.casefold():
        return None
    if heading.casefold() in title.casefold() or len(_words(heading) & _words(title)) >= 2:
        return heading
    return None


_SPACED_SEPARATOR = re.compile("|".join(re.escape(sep) for sep in _SEPARATORS if sep[0] == " "))


def _headline_part(title: str) -> str:
    """The longest part of a ``<title>`` cut at its separators: the headline, without the
    site's name (whose words a masthead shares)."""
    return max(_SPACED_SEPARATOR.split(title), key=len)


def story_headline(tree: HtmlElement, title: str | None) -> HtmlElement | None:
    """The story's headline: the heading that reads ``title`` where one does; else the
    ``<h1>`` that shares most of its headline's longer words with ``title`` (two at least: a
    blog's masthead ``<h1>`` comes first, and the ``<title>`` words the story for search
    engines); else the first ``<h1>`` (menus often open with an ``<h2>``), else the first
    ``<h2>``. A masthead ``<h1>`` ("The Dale Courier") sits above the menus and their
    dated links."""
    if title:
        wanted = " ".join(title.split()).casefold()
        headings = tree.xpath("//body//*[self::h1 or self::h2 or self::h3]")
        for heading in headings:
            if " ".join(heading.text_content().split()).casefold() == wanted:
                return heading
        words = _words(_headline_part(title))
        shared = [(len(words & _words(heading.text_content())), -n, heading)
                  for n, heading in enumerate(h for h in headings if h.tag == "h1")]
        best = max(shared, key=lambda found: found[:2], default=None)
        if best is not None and best[0] >= 2:
            return best[2]
    for path in ("(//body//h1)[1]", "(//body//h2)[1]"):
        if found := tree.xpath(path):
            return found[0]
    return tree.find("body")
