"""Story bodies that a CMS splits into several containers, joined back into one.

Sites that place ads or widgets between the paragraphs of a story often close
the body container before each ad row and open an identical one after it: the
story becomes two or more sibling blocks with the same tag and class, each in
a wrapper of its own (``<div class="grid"><div class="body">``, ad row,
``<div class="grid"><div class="body">``...). trafilatura reads the first
container that matches its body expressions and stops there, so everything
after the first ad slot is lost. (Chunks inside one container that trafilatura
picks whole lose nothing, and are left alone.)

This is recognised by shape, not by any site's class names: several elements
with the same tag and class that each hold paragraphs as direct children, at
the same depth, inside wrappers of the same kind, with no headline (``<h1>``)
between them (a second story loaded below the first brings its own). Only the
page's largest such group is joined: the later chunks' children are moved, in
order, to the end of the first chunk, and the emptied chunks removed.
"""

from __future__ import annotations

from lxml import etree
from lxml.html import HtmlElement
from trafilatura.xpaths import BODY_XPATH

__all__ = ["join_split_bodies"]

# A chunk of story text holds at least this many paragraphs of its own...
_MIN_PARAGRAPHS = 2
_CHUNKS = etree.XPath(f"//*[p[{_MIN_PARAGRAPHS}]][@class]")
# ...and together the group holds at least this much paragraph text: teaser cards
# and comment lists repeat a class too, but with little text per block.
_MIN_GROUP_CHARS = 1000


def _paragraph_chars(chunk: HtmlElement) -> int:
    return sum(len(p.text_content().strip()) for p in chunk.iterchildren("p"))


def _kind(el: HtmlElement | None) -> tuple[str, str] | None:
    if el is None:
        return None
    return (el.tag, " ".join((el.get("class") or "").split()))


def _depth(el: HtmlElement) -> int:
    return sum(1 for _ in el.iterancestors())


def _nested(a: HtmlElement, b: HtmlElement) -> bool:
    return any(anc is a for anc in b.iterancestors()) or any(anc is b for anc in a.iterancestors())


def _headline_between(first: HtmlElement, last: HtmlElement) -> bool:
    """An ``<h1>`` after ``first`` (outside it) and before ``last``, in document order."""
    inside_first = set(first.iter())  # elements, not id()s: lxml proxies are short-lived
    after_first = False
    for el in first.getroottree().getroot().iter():
        if el is last:
            return False
        if el in inside_first:
            after_first = True
        elif after_first and el.tag == "h1":
            return True
    return False


def _body_trafilatura_reads(tree: HtmlElement) -> HtmlElement | None:
    """The element trafilatura takes as the body: the first hit of its body expressions."""
    for expression in BODY_XPATH:
        hit = next((el for el in expression(tree) if el is not None), None)
        if hit is not None:
            return hit
    return None


def join_split_bodies(tree: HtmlElement) -> int:
    """Join the page's largest group of split story chunks; returns how many were moved."""
    groups: dict[tuple, list[HtmlElement]] = {}
    for chunk in _CHUNKS(tree):
        parent = chunk.getparent()
        key = (_kind(chunk), _kind(parent), _depth(chunk))
        groups.setdefault(key, []).append(chunk)
    best: list[HtmlElement] = []
    best_chars = _MIN_GROUP_CHARS - 1
    for chunks in groups.values():
        if len(chunks) < 2:
            continue
        # the chunks are cousins, not siblings: siblings of one class are one body already
        if len({chunk.getparent() for chunk in chunks}) != len(chunks):
            continue
        chars = sum(_paragraph_chars(chunk) for chunk in chunks)
        if chars > best_chars:
            best, best_chars = chunks, chars
    if not best or any(_nested(best[0], other) for other in best[1:]):
        return 0
    if _headline_between(best[0], best[-1]):
        return 0
    # only when trafilatura would read one chunk and miss the others
    read = _body_trafilatura_reads(tree)
    if read is None or not set(best) & {read, *read.iterancestors()}:
        return 0
    first = best[0]
    for chunk in best[1:]:
        if (chunk.text or "").strip():
            if len(first):
                first[-1].tail = (first[-1].tail or "") + chunk.text
            else:
                first.text = (first.text or "") + chunk.text
        for child in list(chunk):
            first.append(child)  # moves it, tail and all
        chunk.drop_tree()
    return len(best) - 1
