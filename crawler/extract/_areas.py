"""Areas of a page that belong to other people and other stories.

Bylines and dates found in a comment thread, a related-story box, a sidebar, the footer
or an embedded social-media post are not the story's. Shared by the byline readers
(:mod:`crawler.extract.authors`) and the date readers (:mod:`crawler.extract.dateline`,
:mod:`crawler.extract.dates`), so that both agree on what is the story's own.
"""

from __future__ import annotations

from lxml.html import HtmlElement

__all__ = ["in_boilerplate_area"]

# Where bylines and dates belong to other people and other stories: comment threads,
# related-story boxes, sidebars, footers, and posts embedded from social networks (an
# Instagram post's "Dec 5, 2016 at 9:10am PST" is not the story's date).
_OTHER_PEOPLES_AREAS = ("comment", "related", "recommend", "sidebar", "footer",
                        "instagram-media", "twitter-tweet", "tiktok-embed", "fb-post")


def in_boilerplate_area(element: HtmlElement, story: HtmlElement | None = None, *,
                        dated: bool = False) -> bool:
    """Inside a comment thread, a related-story box, a sidebar, the footer or an embedded
    social-media post: bylines and dates there belong to other people and other stories.

    An area that also holds ``story`` (the story's headline) is the story's own, whatever
    its class says: some templates wrap the whole article in ``id="sidebar"``. So is a
    sidebar inside the ``<article>`` that holds the headline (a column beside the text
    with the story's byline and date); and, for a date (``dated``), a footer beside the
    headline. Comments and related boxes there stay others'."""
    # the elements themselves, not their id()s: lxml's proxies live only while referenced
    own = set() if story is None else set(story.iterancestors())
    for ancestor in element.iterancestors():
        if ancestor.tag in ("body", "html"):
            break  # page-wide classes such as WordPress' "comments-open" say nothing
        if ancestor in own:
            break  # from here up, the area holds the headline too
        marker = f"{ancestor.get('class', '')} {ancestor.get('id', '')}".lower()
        areas = [word for word in _OTHER_PEOPLES_AREAS if word in marker]
        if areas and not _the_storys_own(ancestor, areas, own, dated):
            return True
    return False


def _the_storys_own(area: HtmlElement, markers: list[str], story_ancestors: set,
                    dated: bool) -> bool:
    """A sidebar inside the ``<article>`` that holds the headline belongs to the story; so
    does a footer beside the headline (its parent holds it too: WordPress' "entry-footer",
    a "post-footer") for its date, "Posted on ...", though not for its names (on a
    tuning page such a footer named one of the story's four reporters)."""
    if markers == ["sidebar"]:
        return _in_story_article(area, story_ancestors)
    if markers == ["footer"] and dated:
        return area.getparent() in story_ancestors
    return False


def _in_story_article(element: HtmlElement, story_ancestors: set[HtmlElement]) -> bool:
    return any(above.tag == "article" and above in story_ancestors
               for above in element.iterancestors())
