"""Tree fixes applied before trafilatura sees a page.

Two kinds of markup defeat trafilatura's boilerplate heuristics on their own:

* **Layout tables.** Legacy sites lay the whole page out in a ``<table>``
  (navigation cell, story cell, classifieds cell, footer row). trafilatura
  treats every table as content and emits it whole, one ``| cell | cell |``
  line per row, so the navigation, sidebars and copyright line land in the
  body. Relabelling such tables as ``<div>`` lets trafilatura judge each cell
  like any other block and keep only the story cell.
* **Related-content boxes with a heading** ("Keep reading", "More on this
  story") inside ``<main>``/``<article>``: trafilatura keeps them because of
  where they sit. A heading of that kind followed by link-carrying teasers is
  furniture wherever it appears.

Both functions change the tree in place; the caller passes a tree it owns and
has finished reading metadata from.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

__all__ = ["drop_related_blocks", "unwrap_layout_tables"]

_BLOCKS = ("p", "div", "h1", "h2", "h3", "h4", "table", "ul", "ol", "form", "section", "article")
# A cell holding this much text is a page region, not a value in a data table.
_LONG_CELL = 600


def _own_cells(table: HtmlElement) -> list[HtmlElement]:
    return table.xpath("./tr/td | ./tbody/tr/td | ./thead/tr/td | ./tfoot/tr/td")


def _is_layout_table(table: HtmlElement) -> bool:
    """A table used for page layout rather than for tabular data.

    Data tables have header cells or a caption and hold short values; layout
    tables hold whole regions of the page: other tables, headings, several
    paragraphs, or a long run of text in one cell.
    """
    if table.xpath("./caption | ./thead | ./tr/th | ./tbody/tr/th"):
        return False
    for cell in _own_cells(table):
        blocks = cell.xpath(".//*[" + " or ".join(f"self::{tag}" for tag in _BLOCKS) + "]")
        if any(el.tag in ("table", "h1", "h2", "h3") for el in blocks):
            return True
        if len(blocks) >= 3 or len(cell.text_content()) >= _LONG_CELL:
            return True
    return False


def unwrap_layout_tables(tree: HtmlElement) -> int:
    """Relabel layout tables (and their rows and cells) as ``<div>``; returns how many."""
    count = 0
    # outermost first: once a layout table is unwrapped, tables inside its cells
    # are judged on their own (a real data table inside the story cell stays a table)
    for table in list(tree.iter("table")):
        if not _is_layout_table(table):
            continue
        rows = table.xpath("./tr | ./tbody/tr | ./thead/tr | ./tfoot/tr")
        sections = table.xpath("./tbody | ./thead | ./tfoot")
        for el in [table, *sections, *rows, *_own_cells(table)]:
            el.tag = "div"
        count += 1
    return count


# Headings that introduce links to other stories rather than more of this one.
_RELATED_HEADING = re.compile(
    r"^(?:keep reading|read (?:more|next|also|on)|also read|what to read next|further reading|"
    r"more (?:on this(?: story| topic)?|to read|like this|stories|from \S.{0,40}|in \S.{0,40})|"
    r"related(?: stories| articles| posts| content| coverage| news| links| reading| topics)?|"
    r"see also|you (?:may|might) also (?:like|enjoy|be interested in)|recommended(?: for you)?|"
    r"(?:most|recently) (?:read|popular|viewed|shared)|trending(?: now)?|latest (?:news|stories)|"
    r"editor'?s picks|top stories|don'?t miss)[\s:.!]*$",
    re.I,
)
_HEADING_TAGS = ("h2", "h3", "h4", "h5", "h6")
# Teasers are mostly link text; a headline-plus-standfirst card is about a third.
_MIN_LINK_SHARE = 0.25


def _link_share(elements: list[HtmlElement]) -> float:
    total = sum(len(el.text_content().strip()) for el in elements)
    linked = sum(len(a.text_content().strip()) for el in elements for a in el.iter("a"))
    return linked / total if total else 0.0


def drop_related_blocks(tree: HtmlElement) -> int:
    """Remove "Keep reading"-style headings with the teaser links that follow them.

    The teasers are the heading's following siblings up to the next heading;
    they are removed only when they carry links and a fair share of their text
    is link text, so a section that merely has such a title stays. Returns how
    many blocks were removed.
    """
    removed = 0
    for heading in list(tree.iter(*_HEADING_TAGS)):
        if heading.getparent() is None or not _RELATED_HEADING.match(
            " ".join(heading.text_content().split())
        ):
            continue
        teasers = []
        for sibling in heading.itersiblings():
            if sibling.tag in _HEADING_TAGS:
                break
            teasers.append(sibling)
        if not any(True for el in teasers for _ in el.iter("a")):
            continue
        if _link_share(teasers) < _MIN_LINK_SHARE:
            continue
        for el in [heading, *teasers]:
            el.drop_tree()
        removed += 1
    return removed
