"""Read schema.org JSON-LD blocks from a parsed HTML page.

Shared by article extraction and the spider's page classifier, so both agree on
what counts as an article. Pages in the wild embed broken JSON, HTML comments,
trailing commas and ``@graph`` containers; none of that may raise here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from lxml.html import HtmlElement

__all__ = ["ARTICLE_TYPES", "find_article", "jsonld_objects", "types_of"]

#: schema.org types treated as "this page is one article" (subtypes of Article
#: that news and blog sites actually use).
ARTICLE_TYPES = frozenset(
    {
        "Article",
        "NewsArticle",
        "ReportageNewsArticle",
        "AnalysisNewsArticle",
        "OpinionNewsArticle",
        "BackgroundNewsArticle",
        "ReviewNewsArticle",
        "AskPublicNewsArticle",
        "BlogPosting",
        "LiveBlogPosting",
        "SocialMediaPosting",
        "ScholarlyArticle",
        "TechArticle",
        "Report",
    }
)

# Guard against pathological nesting; real pages go 4-5 levels deep.
_MAX_DEPTH = 12
#: Characters of one JSON-LD block read at most. Real blocks hold a few KB; a 10 MB
#: one costs seconds and hundreds of MB to decode, and says nothing a page needs.
MAX_BLOCK = 1_000_000
# Some CMSs wrap the JSON in <!-- --> or CDATA, or leave a trailing comma.
_WRAPPER = re.compile(
    r"^\s*(?:<!--|/\*\s*<!\[CDATA\[\s*\*/|<!\[CDATA\[)|(?:-->|/\*\s*\]\]>\s*\*/|\]\]>)\s*$"
)
_TRAILING_COMMA = re.compile(r",\s*([}\]])")


def _parse(raw: str) -> Any:
    if len(raw) > MAX_BLOCK:
        return None
    raw = _WRAPPER.sub("", raw).strip()
    if not raw:
        return None
    # RecursionError: JSON nested a thousand levels deep (hostile, never real).
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        pass
    try:
        # strict=False admits raw newlines/tabs inside strings, a common CMS slip
        return json.loads(_TRAILING_COMMA.sub(r"\1", raw), strict=False)
    except (ValueError, RecursionError):
        return None


def _walk(node: Any, depth: int = 0) -> Iterator[dict]:
    """Yield every dict carrying an ``@type``, flattening lists and ``@graph``."""
    if depth > _MAX_DEPTH:
        return
    if isinstance(node, list):
        for item in node:
            yield from _walk(item, depth + 1)
    elif isinstance(node, dict):
        if "@type" in node:
            yield node
        graph = node.get("@graph")
        if graph is not None:
            yield from _walk(graph, depth + 1)
        # an article is sometimes only the mainEntity of a WebPage
        main = node.get("mainEntity")
        if isinstance(main, (dict, list)):
            yield from _walk(main, depth + 1)


def _index(node: Any, index: dict[str, dict], depth: int = 0) -> None:
    """Collect every node that has an ``@id`` and more than a reference's worth of content."""
    if depth > _MAX_DEPTH:
        return
    if isinstance(node, list):
        for item in node:
            _index(item, index, depth + 1)
    elif isinstance(node, dict):
        node_id = node.get("@id")
        if isinstance(node_id, str) and not _is_reference(node):
            index.setdefault(node_id, node)
        for value in node.values():
            if isinstance(value, (dict, list)):
                _index(value, index, depth + 1)


def _is_reference(node: dict) -> bool:
    return isinstance(node.get("@id"), str) and node.keys() <= {"@id", "@type"}


def _resolve(node: Any, index: dict[str, dict], path: frozenset[str] = frozenset(),
             depth: int = 0) -> Any:
    """A copy of ``node`` with ``{"@id": ...}`` references replaced by the nodes they name.

    Graph-style markup (Yoast and most SEO plugins) states each Person or
    Organization once and points at it from the article. Nodes already being
    expanded on the current path stay references, so cycles (WebPage ->
    WebSite -> publisher -> ...) end, and the result is a tree.
    """
    if depth > _MAX_DEPTH:
        return node
    if isinstance(node, list):
        return [_resolve(item, index, path, depth + 1) for item in node]
    if not isinstance(node, dict):
        return node
    node_id = node.get("@id")
    if _is_reference(node) and node_id in index and node_id not in path:
        node = index[node_id]
    if isinstance(node_id, str):
        path = path | {node_id}
    return {key: _resolve(value, index, path, depth + 1) if isinstance(value, (dict, list))
            else value for key, value in node.items()}


def jsonld_objects(tree: HtmlElement) -> list[dict]:
    """Return all typed JSON-LD objects of the page, in document order.

    Top-level lists and ``@graph`` containers are flattened, as is a WebPage's
    ``mainEntity``; ``{"@id": ...}`` references to nodes elsewhere in the page's
    JSON-LD (any block) are replaced by those nodes. Blocks that are not valid
    JSON (even after removing comment wrappers and trailing commas), or over
    ``MAX_BLOCK`` characters, are skipped.
    """
    blocks = []
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        data = _parse(script.text or "")
        if data is not None:
            blocks.append(data)
    index: dict[str, dict] = {}
    _index(blocks, index)
    if index:
        blocks = [_resolve(block, index) for block in blocks]
    objects: list[dict] = []
    for data in blocks:
        objects.extend(_walk(data))
    return objects


def types_of(obj: dict) -> set[str]:
    """The object's ``@type`` as a set of bare names (``schema:NewsArticle`` -> ``NewsArticle``)."""
    value = obj.get("@type")
    values = value if isinstance(value, list) else [value]
    return {v.rsplit("/", 1)[-1].rsplit(":", 1)[-1] for v in values if isinstance(v, str)}


def find_article(tree: HtmlElement) -> dict | None:
    """Return the first JSON-LD object whose ``@type`` is or includes an article type."""
    for obj in jsonld_objects(tree):
        if types_of(obj) & ARTICLE_TYPES:
            return obj
    return None


def not_accessible_for_free(article: dict) -> bool:
    """The JSON-LD article says it, or a part of it, is not free to read
    (``"isAccessibleForFree": false``, Google's markup for paywalled content): the
    page shows its public part, and is still the article."""
    parts = article.get("hasPart")
    nodes = [article, *(parts if isinstance(parts, list) else [parts])]
    return any(isinstance(node, dict) and _is_false(node.get("isAccessibleForFree"))
               for node in nodes)


def _is_false(value: Any) -> bool:
    """``false``, ``"False"``, ``"https://schema.org/False"`` (all seen in the wild)."""
    return value is False or (
        isinstance(value, str) and value.strip().lower().rsplit("/", 1)[-1] == "false"
    )
