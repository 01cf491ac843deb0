"""Whether a page declares itself one article in schema.org microdata.

Older CMSs (and some current ones) mark the story up with ``itemscope
itemtype="http://schema.org/NewsArticle"`` instead of JSON-LD. That declaration
counts as JSON-LD's does, with one guard: a section page marks each of its teasers
the same way, so the page must hold exactly one article item, and not inside a
list of items.
"""

from __future__ import annotations

from lxml.html import HtmlElement

from crawler.extract.jsonld import ARTICLE_TYPES

__all__ = ["declares_one_article"]

_ITEMS = "//*[@itemscope][@itemtype]"


def _type_names(itemtype: str) -> set[str]:
    # itemtype is a space-separated list of URLs: http://schema.org/NewsArticle
    return {value.rstrip("/").rsplit("/", 1)[-1] for value in itemtype.split()}


def declares_one_article(tree: HtmlElement) -> bool:
    """The page's microdata holds exactly one article item, not inside an ``ItemList``."""
    articles = 0
    for item in tree.xpath(_ITEMS):
        names = _type_names(item.get("itemtype", ""))
        if "ItemList" in names:
            return False
        if names & ARTICLE_TYPES:
            articles += 1
            if articles > 1:
                return False
    return articles == 1
