"""Page classification and URL hygiene from general signals."""

from __future__ import annotations

import lxml.html
import pytest

from crawler.discovery.links import LinkResolver, anchor_says_pagination, iter_links, page_anchors
from crawler.discovery.pagekind import (
    PageKind,
    article_url_shape,
    classify,
    has_byline,
    is_pagination_url,
    listing_section,
    page_signals,
)
from crawler.discovery.urls import TrackingParams, clean_url, site_of, url_key

TRACKING = TrackingParams(["utm_*", "fbclid", "gclid"])
PARAGRAPH = ("The council voted on Tuesday to extend the harbour ferry timetable into the "
             "winter months, after a petition signed by more than two thousand residents. ")


class TestUrlShapes:
    @pytest.mark.parametrize(("url", "shape"), [
        ("https://n.example/2021/06/08/harbour-ferry.html", "date"),
        ("https://n.example/2021/06/harbour-ferry/", "date"),
        ("https://n.example/story/48213", "id"),
        ("https://n.example/news/item?id=48213", "id"),
        ("https://n.example/meldung.php?nr=20240611-3", "id"),
        ("https://n.example/?p=4127", "id"),
        ("https://n.example/news/?section=local", None),
        ("https://n.example/politics/council-votes-on-ferry-48213.html", "id"),
        ("https://n.example/local/harbour-ferry-returns-after-winter/", "slug"),
        ("https://n.example/local/", None),
        ("https://n.example/tag/harbour/", None),
        ("https://n.example/author/ana-ruiz/", None),
        ("https://n.example/local/page/2/", None),
        ("https://n.example/2021/", None),
    ])
    def test_article_url_shape(self, url, shape):
        assert article_url_shape(url) == shape

    @pytest.mark.parametrize(("url", "expected"), [
        ("https://n.example/local/page/3/", True),
        ("https://n.example/local/?page=2", True),
        ("https://n.example/local/", False),
        ("https://n.example/story/48213", False),
    ])
    def test_pagination(self, url, expected):
        assert is_pagination_url(url) is expected


class TestCleanUrl:
    @pytest.mark.parametrize(("url", "clean"), [
        ("https://N.example:443/a/?utm_source=x&utm_medium=y", "https://n.example/a/"),
        ("https://n.example/a/?id=5&fbclid=abc#comments", "https://n.example/a/?id=5"),
        ("http://n.example:80/a", "http://n.example/a"),
        ("http://n.example:8080/a?gclid=1&page=2", "http://n.example:8080/a?page=2"),
        ("http://n.example", "http://n.example/"),
    ])
    def test_clean(self, url, clean):
        assert clean_url(url, TRACKING) == clean

    def test_key_ignores_query_order(self):
        assert url_key("http://n.example/a?b=1&a=2") == url_key("http://n.example/a?a=2&b=1")

    def test_site_ignores_www(self):
        assert site_of("https://www.n.example/x") == site_of("https://n.example/y") == "n.example"
        assert site_of("http://127.0.0.1:8080/") == "127.0.0.1:8080"


def page(head: str = "", body: str = "") -> lxml.html.HtmlElement:
    return lxml.html.fromstring(f"<html><head>{head}</head><body>{body}</body></html>")


class TestClassify:
    def test_og_article_with_publication_date(self):
        tree = page('<meta property="og:type" content="article">'
                    '<meta property="article:published_time" content="2021-06-08T09:30:00Z">',
                    f"<div><h1>T</h1><p>{PARAGRAPH * 2}</p></div>")
        assert classify(page_signals(tree, "https://n.example/news/")) is PageKind.ARTICLE

    def test_og_article_on_an_undated_static_page_is_not_enough(self):
        # SEO plugins mark every WordPress page og:type=article, About pages included.
        tree = page('<meta property="og:type" content="article">',
                    f"<div><h1>About us</h1><p>{PARAGRAPH * 4}</p></div>")
        assert classify(page_signals(tree, "https://n.example/about-us/")) is PageKind.OTHER

    def test_jsonld_article(self):
        tree = page('<script type="application/ld+json">{"@type": "NewsArticle", '
                    '"headline": "T"}</script>', f"<div><p>{PARAGRAPH * 2}</p></div>")
        assert classify(page_signals(tree, "https://n.example/x")) is PageKind.ARTICLE

    def test_one_microdata_article_is_declared_as_the_extractor_takes_it(self):
        # an older CMS: the story marked up in microdata, no JSON-LD, no story-shaped
        # URL, a short text beside teasers: the page says what it is
        story = (f'<div itemscope itemtype="http://schema.org/NewsArticle"><h1 itemprop='
                 f'"headline">T</h1><p itemprop="articleBody">{PARAGRAPH * 2}</p></div>')
        teasers = "".join(f'<h3><a href="/video/{i}">Clip {i}</a></h3>' for i in range(8))
        tree = page(body=story + teasers)
        signals = page_signals(tree, "https://n.example/watch/harbour")
        assert signals.declared_article and signals.body_words < 120
        assert classify(signals) is PageKind.ARTICLE

    @pytest.mark.parametrize("items", [
        # a section page marking each of its teasers as an article
        "".join(f'<div itemscope itemtype="http://schema.org/NewsArticle"><h2><a href='
                f'"/story/{i}0000">Story {i}</a></h2><p>{PARAGRAPH}</p></div>'
                for i in range(3)),
        # one article item inside a list of items
        '<ul itemscope itemtype="https://schema.org/ItemList"><li itemscope itemtype='
        f'"https://schema.org/NewsArticle"><h2><a href="/story/10000">S</a></h2>'
        f"<p>{PARAGRAPH}</p></li></ul>",
    ])
    def test_teasers_marked_as_articles_declare_nothing(self, items):
        signals = page_signals(page(body=f"<main>{items}</main>"), "https://n.example/local/")
        assert not signals.declared_article
        assert classify(signals) is not PageKind.ARTICLE

    def test_bare_story_by_url_and_text(self):
        tree = page(body=f"<div><h1>T</h1><p>{PARAGRAPH * 3}</p><p>{PARAGRAPH * 3}</p></div>")
        assert classify(page_signals(tree, "https://n.example/story/48213")) is PageKind.ARTICLE

    def test_text_page_without_article_signals_is_other(self):
        body = f"<div><h1>About us</h1><p>{PARAGRAPH * 3}</p><p>{PARAGRAPH * 3}</p></div>"
        tree = page(body=body)
        assert classify(page_signals(tree, "https://n.example/about/")) is PageKind.OTHER

    def test_listing_of_teasers(self):
        teasers = "".join(
            f'<div class="teaser"><h2><a href="/story/{i}0000">Story {i}</a></h2>'
            f"<p>{PARAGRAPH}</p></div>" for i in range(10)
        )
        tree = page(body=f"<main>{teasers}</main>")
        signals = page_signals(tree, "https://n.example/local/")
        assert signals.body_words < 120
        assert classify(signals) is PageKind.LISTING

    def test_nav_text_does_not_count_as_body(self):
        text = PARAGRAPH * 5
        tree = page(body=f"<nav><p>{text}</p></nav><footer><p>{text}</p></footer>")
        assert page_signals(tree, "https://n.example/story/12345").body_words == 0


class TestLinks:
    def test_pagination_links_found(self):
        tree = page('<link rel="next" href="/local/page/2/">',
                    '<a href="/local/?page=3">3</a><a href="/x">Older posts</a>'
                    '<a href="/y" rel="next">›</a><a href="/story/12345">Story</a>'
                    '<a href="mailto:a@b">mail</a><a href="#top">top</a>')
        found = iter_links(tree, "https://n.example/local/")
        links = {link.url: link.is_pagination for link in found}
        assert links == {
            "https://n.example/local/page/2/": True,
            "https://n.example/local/?page=3": True,
            "https://n.example/x": True,
            "https://n.example/y": True,
            "https://n.example/story/12345": False,
        }


class TestLineBreakParagraphs:
    def test_br_separated_story_counts_as_body(self):
        text = "<br><br>".join([PARAGRAPH * 2] * 3)
        tree = page(body=f"<table><tr><td><h1>T</h1>{text}</td></tr></table>")
        signals = page_signals(tree, "https://n.example/news/2024/story_58231.htm")
        assert signals.body_words >= 120
        assert classify(signals) is PageKind.ARTICLE


class TestArticleWrappedPages:
    BODY = f"<p>{PARAGRAPH * 3}</p><p>{PARAGRAPH * 3}</p>"

    def test_static_page_in_an_article_element_is_not_a_story(self):
        tree = page('<meta property="og:type" content="website">',
                    f'<article class="page"><h1>Privacy policy</h1>{self.BODY}</article>')
        assert classify(page_signals(tree, "https://n.example/privacy-policy/")) is PageKind.OTHER

    @pytest.mark.parametrize("byline", [
        '<p class="byline">By <a href="/author/ana">Ana Ruiz</a></p>',
        "<div>By Ana Ruiz</div>",
        '<span rel="author">Ana Ruiz</span>',
        '<time datetime="2024-03-05T10:00:00+01:00" pubdate>5 March</time>',
    ])
    def test_story_in_an_article_element_with_byline_or_date(self, byline):
        tree = page(body=f"<article><h1>Council votes</h1>{byline}{self.BODY}</article>")
        assert classify(page_signals(tree, "https://n.example/news/vote/")) is PageKind.ARTICLE

    def test_byline_in_footer_does_not_count(self):
        tree = page(body=f"<article><h1>Contact</h1>{self.BODY}</article>"
                    "<footer><p>By appointment only</p></footer>")
        assert classify(page_signals(tree, "https://n.example/contact/")) is PageKind.OTHER


class TestListingSection:
    @pytest.mark.parametrize(("url", "section"), [
        ("https://n.example/business/", "business"),
        ("https://n.example/business/page/2/", "business"),
        ("https://n.example/business/?page=2", "business"),
        ("https://n.example/category/culture/", "culture"),
        ("https://n.example/", None),
        ("https://n.example/tag/harbour/", None),
        ("https://n.example/author/ana-ruiz/", None),
        ("https://n.example/2024/06/", None),
        ("https://n.example/index.html", None),
    ])
    def test_section(self, url, section):
        assert listing_section(url) == section


class TestShortStories:
    SHORT = f"<p>{PARAGRAPH}</p><p>{PARAGRAPH}</p>"  # about 60 words

    @pytest.mark.parametrize("signature", [
        "<p>Von Klaus Bauer</p>", "<p>By Mary Okafor</p>", "<p>Lahnfurt, 11.06.2024</p>",
        "<p>June 8, 2021</p>", "<p>8. Juni 2024</p>",
    ])
    def test_short_signed_story_with_story_url(self, signature):
        tree = page(body=f"<div><h2>Pool reopens</h2>{signature}{self.SHORT}</div>")
        signals = page_signals(tree, "https://n.example/meldung.php?nr=20240607-1")
        assert signals.body_words < 120
        assert classify(signals) is PageKind.ARTICLE

    def test_short_unsigned_text_is_not_a_story(self):
        tree = page(body=f"<div><h2>Pool reopens</h2>{self.SHORT}</div>")
        assert classify(page_signals(tree, "https://n.example/story/48213")) is PageKind.OTHER

    @pytest.mark.parametrize("text", ["De Gemeente Lahnfurt", "by the way, this is fine",
                                      "Von der Brücke aus"])
    def test_not_bylines(self, text):
        assert not has_byline(page(body=f"<div><p>{text}</p></div>"))


class TestLinkResolver:
    def resolver(self, capacity: int = 50_000) -> LinkResolver:
        return LinkResolver(TrackingParams(["utm_*"]), capacity=capacity)

    def test_relative_links_depend_on_their_page(self):
        links = self.resolver()
        first = links.resolve("https://n.example/local/a.html", "story-one-two-three.html")
        second = links.resolve("https://n.example/world/b.html", "story-one-two-three.html")
        assert first.url == "https://n.example/local/story-one-two-three.html"
        assert second.url == "https://n.example/world/story-one-two-three.html"

    def test_root_relative_links_depend_on_the_origin_only(self):
        links = self.resolver()
        here = links.resolve("https://n.example/local/a.html", "/2024/05/01/fire-at-the-mill")
        there = links.resolve("https://m.example/world/", "/2024/05/01/fire-at-the-mill")
        assert here.url == "https://n.example/2024/05/01/fire-at-the-mill"
        assert there.url == "https://m.example/2024/05/01/fire-at-the-mill"
        assert links.resolve("https://n.example/x", "/2024/05/01/fire-at-the-mill") is here

    def test_scheme_relative_and_absolute(self):
        links = self.resolver()
        assert links.resolve("http://n.example/", "//cdn.example/p/1").url == \
            "http://cdn.example/p/1"
        assert links.resolve("https://n.example/", "//cdn.example/p/1").url == \
            "https://cdn.example/p/1"
        absolute = links.resolve("https://n.example/", "https://m.example/a?utm_source=x#top")
        assert absolute.url == "https://m.example/a"
        assert absolute.key == url_key("https://m.example/a")

    def test_facts_of_the_cleaned_url(self):
        links = self.resolver()
        page = links.resolve("https://n.example/", "/local/page/2/")
        story = links.resolve("https://n.example/", "/2024/05/01/fire-at-the-mill")
        assert (page.pagination_url, page.article_shape) == (True, False)
        assert (story.pagination_url, story.article_shape) == (False, True)

    def test_capacity_bounds_memory_not_answers(self):
        links = self.resolver(capacity=2)
        urls = [links.resolve("https://n.example/", f"/s/{n}").url for n in range(5)]
        assert urls == [f"https://n.example/s/{n}" for n in range(5)]
        assert len(links._resolved) <= 2
        assert links.resolve("https://n.example/", "/s/0").url == "https://n.example/s/0"

    def test_anchors_skip_what_is_not_a_page(self):
        tree = page('<a href=" /a ">a</a><a href="#x">x</a><a href="mailto:a@b">m</a>'
                    '<a href="javascript:void(0)">j</a><a>none</a>'
                    '<link rel="next" href="/p/2"><a href="/b" rel="next">b</a>'
                    '<a href="/c">Older posts</a>')
        anchors = list(page_anchors(tree))
        assert [href for _, href in anchors] == ["/a", "/p/2", "/b", "/c"]
        assert [anchor_says_pagination(el) for el, _ in anchors] == [False, True, True, True]


class TestRealPageShapes:
    """Shapes of real article pages (from the extraction benchmark) the classifier reads."""

    def test_page_wrapped_in_one_form_still_has_a_body(self):
        # ASP.NET WebForms puts the whole page in a form right under <body>
        body = f"<form method=post><div><h1>T</h1><p>{PARAGRAPH * 3}</p><p>{PARAGRAPH * 3}</p>"
        body += "</div></form>"
        assert page_signals(page(body=body), "https://n.example/story/12345").body_words >= 120

    def test_a_form_inside_the_page_is_still_chrome(self):
        body = f"<div><form><p>{PARAGRAPH * 5}</p></form></div>"
        assert page_signals(page(body=body), "https://n.example/story/12345").body_words == 0

    def test_divs_of_inline_text_are_paragraphs(self):
        lines = "".join(f'<div class="para"><span>{PARAGRAPH}</span> <a href="/x">x</a></div>'
                        for _ in range(5))
        tree = page('<meta property="og:type" content="article">'
                    '<meta property="article:published_time" content="2019-11-18">',
                    f"<div><h1>T</h1>{lines}</div>")
        signals = page_signals(tree, "https://n.example/2019/11/18/markets/")
        assert signals.body_words >= 120
        assert classify(signals) is PageKind.ARTICLE

    def test_teaser_divs_each_in_a_card_stay_a_listing(self):
        cards = "".join(
            f'<div class="card"><h3><a href="/story/{i}0000">Story {i}</a></h3>'
            f'<div class="summary">{PARAGRAPH}</div></div>' for i in range(10)
        )
        signals = page_signals(page(body=f"<main>{cards}</main>"), "https://n.example/local/")
        assert signals.body_words < 120
        assert classify(signals) is PageKind.LISTING

    @pytest.mark.parametrize("line", ["<small><b>05/10/2018</b> - Publicado</small>",
                                      "<span>11/20/2019 09:14</span>"])
    def test_short_story_with_a_slashed_date(self, line):
        body = f"<div><p>Pool reopens</p>{line}<p>{PARAGRAPH}</p><p>{PARAGRAPH}</p></div>"
        tree = page(body=body)
        signals = page_signals(tree, "https://n.example/news/pool-reopens-after-the-summer")
        assert classify(signals) is PageKind.ARTICLE

    def test_a_fraction_is_not_a_date(self):
        tree = page(body=f"<div><p>Pool reopens</p><span>13/14/2019</span>"
                         f"<p>{PARAGRAPH}</p><p>{PARAGRAPH}</p></div>")
        assert not page_signals(tree, "https://n.example/news/pool-reopens-x-y").dateline

    def test_long_story_signed_and_dated_at_any_url(self):
        body = (f"<div><h1>Moon bids</h1><p>By Jeff Foust</p><p>Monday, November 18, 2019</p>"
                f"<p>{PARAGRAPH * 3}</p><p>{PARAGRAPH * 3}</p></div>")
        tree = page(body=body)
        assert classify(page_signals(tree, "https://n.example/article/3834/1")) is PageKind.ARTICLE

    def test_long_signed_page_without_a_date_is_not(self):
        body = (f"<div><h1>Our editors</h1><p>By Jeff Foust</p>"
                f"<p>{PARAGRAPH * 3}</p><p>{PARAGRAPH * 3}</p></div>")
        assert classify(page_signals(page(body=body), "https://n.example/team/")) is PageKind.OTHER
