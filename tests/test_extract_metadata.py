"""Article extraction of metadata: JSON-LD (objects, @graph references), bylines in
several languages, the page's language and visible datelines."""

from __future__ import annotations

import pytest
from lxml import html as lxml_html

from crawler.extract.article import extract_article
from crawler.extract.jsonld import find_article, jsonld_objects
from tests.extractpages import page


@pytest.fixture(scope="module")
def newsarticle() -> dict:
    result = extract_article(page("jsonld_newsarticle.html"), "https://valleypost.example/a/1")
    assert result is not None
    return result


class TestJsonLdNewsArticle:
    def test_metadata(self, newsarticle):
        assert newsarticle["title"] == "Drought Forces Farmers to Rethink Wheat"
        # a Person array plus a repeated plain string: no duplicates
        assert newsarticle["authors"] == ["Priya Natarajan", "Jonas Lindqvist"]
        assert newsarticle["published"] == "2022-03-14T07:45:00+00:00"
        assert newsarticle["modified"] == "2022-03-14T10:00:00-05:00"
        assert newsarticle["language"] == "en"
        assert newsarticle["tags"] == ["drought", "wheat", "farming"]
        assert newsarticle["section"] == "Agriculture"
        assert newsarticle["sitename"] == "Valley Post"
        assert newsarticle["image"] == "https://cdn.valleypost.example/img/wheat.jpg"
        assert newsarticle["description"] == (
            "Farmers are switching to hardier crops after a third dry year."
        )
        assert newsarticle["canonical_url"] is None

    def test_body(self, newsarticle):
        text = newsarticle["text"]
        assert text.startswith("For the third year running")
        assert "Sorghum, which needs roughly a third less water" in text
        assert "We can't keep betting the farm" in text
        for boilerplate in ("Read more", "Water rights auction", "Share this article", "Weather"):
            assert boilerplate not in text


class TestJsonLd:
    @staticmethod
    def tree(*blocks: str) -> lxml_html.HtmlElement:
        scripts = "".join(f'<script type="application/ld+json">{b}</script>' for b in blocks)
        return lxml_html.document_fromstring(f"<html><head>{scripts}</head><body></body></html>")

    @pytest.mark.parametrize(
        ("blocks", "expected_types"),
        [
            (['{"@type": "NewsArticle", "headline": "A"}'], ["NewsArticle"]),
            (['[{"@type": "WebPage"}, {"@type": "Person"}]'], ["WebPage", "Person"]),
            (['{"@graph": [{"@type": "WebSite"}, {"@type": "BlogPosting"}]}'],
             ["WebSite", "BlogPosting"]),
            (['{"@type": "WebPage", "mainEntity": {"@type": "Article"}}'], ["WebPage", "Article"]),
            (["{not json", '{"@type": "Article"}'], ["Article"]),
            (['<!-- {"@type": "Article",} -->'], ["Article"]),
            (["", "null", "42", '"text"'], []),
        ],
    )
    def test_objects(self, blocks, expected_types):
        assert [o["@type"] for o in jsonld_objects(self.tree(*blocks))] == expected_types

    @pytest.mark.parametrize(
        ("block", "headline"),
        [
            ('{"@type": ["ReportageNewsArticle", "NewsArticle"], "headline": "R"}', "R"),
            ('{"@graph": [{"@type": "Organization"}, {"@type": "BlogPosting", "headline": "B"}]}',
             "B"),
            ('{"@type": "schema:NewsArticle", "headline": "S"}', "S"),
            ('{"@type": "WebPage", "headline": "W"}', None),
        ],
    )
    def test_find_article(self, block, headline):
        found = find_article(self.tree(block))
        assert (found or {}).get("headline") == headline


class TestJsonLdReferences:
    GRAPH = """{"@context": "https://schema.org", "@graph": [
        {"@type": "Organization", "@id": "https://p.example/#org", "name": "Post"},
        {"@type": "NewsArticle", "@id": "https://p.example/a#article", "headline": "H",
         "author": [{"@id": "https://p.example/#/schema/person/1"}],
         "publisher": {"@id": "https://p.example/#org"},
         "isPartOf": {"@id": "https://p.example/a"}},
        {"@type": "WebPage", "@id": "https://p.example/a",
         "mainEntity": {"@id": "https://p.example/a#article"}},
        {"@type": "Person", "@id": "https://p.example/#/schema/person/1", "name": "Ana Ruiz"}
    ]}"""

    def test_references_resolved(self):
        article = find_article(TestJsonLd.tree(self.GRAPH))
        assert article["author"][0]["name"] == "Ana Ruiz"
        assert article["publisher"]["name"] == "Post"
        # a cycle (article -> page -> article) ends in a reference instead of recursing
        assert article["isPartOf"]["mainEntity"] == {"@id": "https://p.example/a#article"}

    def test_author_from_reference(self):
        prose = "".join(f"<p>Sentence {n} of an article whose author is only named in a "
                        "JSON-LD graph node, as Yoast writes it.</p>" for n in range(5))
        html = (f'<html><head><script type="application/ld+json">{self.GRAPH}</script></head>'
                f"<body><article>{prose}</article></body></html>")
        result = extract_article(html, "https://p.example/a")
        assert result is not None
        assert result["authors"] == ["Ana Ruiz"]
        assert result["sitename"] == "Post"


class TestVisibleDateline:
    @pytest.mark.parametrize(("text", "iso"), [
        ("Lahnfurt, 11.06.2024", "2024-06-11"),
        ("Tuesday, 5 March 2024", "2024-03-05"),
        ("March 5, 2024 10:30 AM", "2024-03-05"),
        ("8. Juni 2024", "2024-06-08"),
        ("12 de marzo de 2024", "2024-03-12"),
        ("Published 2021-06-08", "2021-06-08"),
        ("on Monday, November 18th, 2019 at 11:08 a.m.", "2019-11-18"),
        ("1st of May 2024", "2024-05-01"),
        ("22 giugno 2024", "2024-06-22"),
        ("28 de Novembro de 2023, 7:00", "2023-11-28"),
        ("11 октября 2018", "2018-10-11"),
        ("17 ago 2023 - 05:30 CEST", "2023-08-17"),
        ("2016.12.01", "2016-12-01"),
        # year first, however written: unambiguous
        ("2019/6/15 10:00", "2019-06-15"),
        ("2019年06月15日08:18 来源：", "2019-06-15"),
        ("2019년 6월 15일", "2019-06-15"),
        ("2019/13/45", None),
        # dotted is day-first, but a second part over 12 settles Wired's month-first
        ("11.14.2019 09:00 AM", "2019-11-14"),
        ("31.02.2024", None),
        ("no date here", None),
    ])
    def test_parse(self, text, iso):
        from crawler.extract.dateline import parse_dateline

        assert parse_dateline(text) == iso

    def test_dateline_beats_dates_in_navigation_links(self):
        paragraph = ("Das Freibad am Lahnufer öffnet nach der Sanierung zwei Wochen früher als "
                     "geplant, teilte die Stadt am Freitag mit. ") * 4
        html = (
            "<html><body><div><a href='/termine/2024-06-11/'>Termine 11.06.2024</a></div>"
            "<div><h2>Freibad öffnet früher</h2><p>Lahnfurt, 07.06.2024</p><p>Von Klaus Bauer</p>"
            f"<p>{paragraph}</p><p>{paragraph}</p></div></body></html>"
        )
        result = extract_article(html, "https://n.example/meldung.php?nr=20240607-1")
        assert result is not None
        assert result["published"] == "2024-06-07"

    @staticmethod
    def _story(before_body: str, head: str = "") -> str:
        paragraph = ("The council approved the new budget after a long debate about school "
                     "repairs and the bus network, officials said on Tuesday. ") * 3
        return (f"<html><head>{head}</head><body><header><nav><a href='/'>Home</a></nav>"
                "<p>Today: 20.11.2019</p></header>"
                f"<article><header><h1>Council passes budget</h1>{before_body}</header>"
                f"<p>{paragraph}</p><p>{paragraph}</p></article></body></html>")

    def test_photo_captions_and_prose_are_not_datelines(self):
        html = self._story(
            "<figure><img src='a.jpg'><figcaption>The harbour, on Aug. 31, 2019.</figcaption>"
            "</figure><p>On Nov. 15, 2019, the mayor told the council that the repairs "
            "<a href='/x'>would wait</a></p>"
            "<p>By Ana Ruiz on Monday, November 18th, 2019</p>"
        )
        result = extract_article(html, "https://n.example/council")
        assert result is not None
        assert result["published"] == "2019-11-18"

    def test_timestamp_without_offset_takes_the_day_the_page_prints(self):
        # the CMS wrote UTC without saying so; the newsroom's evening is the next UTC day
        head = '<meta property="article:published_time" content="2019-11-20T02:30:00">'
        result = extract_article(self._story("<p>November 19, 2019</p>", head),
                                 "https://n.example/council")
        assert result is not None
        assert result["published"] == "2019-11-19"

    @pytest.mark.parametrize(("stamp", "printed", "published"), [
        # a UTC instant: the newsroom's evening in New York, or its morning in Asia
        ("2019-11-20T02:30:00+00:00", "November 19, 2019", "2019-11-19"),
        ("2019-11-20T02:30:00Z", "November 19, 2019", "2019-11-19"),
        ("2019-11-19T20:00:00+00:00", "November 20, 2019", "2019-11-20"),
        # no zone on Earth has that instant on the printed day, the day before: the
        # markup stands; two days away, the printed day is the reader's
        ("2019-11-20T14:30:00+00:00", "November 19, 2019", "2019-11-20T14:30:00+00:00"),
        ("2019-11-20T02:30:00+00:00", "November 18, 2019", "2019-11-18"),
        # the page spells the same instant in its own zone: that spelling
        ("2019-11-20T02:30:00+00:00", '<time datetime="2019-11-19T21:30:00-05:00">'
         "November 19, 2019</time>", "2019-11-19T21:30:00-05:00"),
        # the page named its zone: kept as it states it
        ("2019-11-20T02:30:00+01:00", "November 19, 2019", "2019-11-20T02:30:00+01:00"),
    ])
    def test_utc_timestamp_takes_the_day_the_page_prints(self, stamp, printed, published):
        head = f'<meta property="article:published_time" content="{stamp}">'
        result = extract_article(self._story(f"<p>{printed}</p>", head),
                                 "https://n.example/council")
        assert result is not None
        assert result["published"] == published

    @pytest.mark.parametrize(("text", "iso"), [
        ("27/09/2018", "2018-09-27"),
        ("On 11/13/19 at 4:00 PM EST", "2019-11-13"),
        ("11/11/2019", "2019-11-11"),
        ("05/06/2019", None),  # May or June: the page does not say, so no guess
        ("Updated: Nov. 20, 2019 1:35 a.m.", None),  # the modified date
        ("On Nov. 15, 2019, the former ambassador told the committee", None),  # prose
    ])
    def test_what_counts_as_a_dateline(self, text, iso):
        from crawler.extract.dateline import _is_dateline

        assert _is_dateline(text) == iso

    def test_masthead_date_is_chrome_but_the_story_header_is_not(self):
        paragraph = ("The council approved the new budget after a long debate about school "
                     "repairs and the bus network, officials said on Tuesday. ") * 3
        html = ("<html><body><header><h2>Menu</h2><p>Wednesday, November 20, 2019</p></header>"
                "<main><article><div><h1>Council passes budget</h1></div>"
                "<header><span>Published</span> <time>Nov 18, 2019</time></header>"
                f"<p>{paragraph}</p><p>{paragraph}</p></article></main></body></html>")
        result = extract_article(html, "https://n.example/council")
        assert result is not None
        assert result["published"] == "2019-11-18"


def test_permalink_date_right_under_the_headline_counts():
    paragraph = ("The council approved the new budget after a long debate about school "
                 "repairs and the bus network, officials said on Tuesday. ") * 3
    html = ("<html><body><div><a href='/calendar/2019-11-01/'>1 November 2019</a></div>"
            "<div><h1>Council passes budget</h1><p>By <a href='/author/ana'>Ana Ruiz</a> "
            "<a href='/council-passes-budget/'>on November 14, 2019</a></p>"
            f"<p>{paragraph}</p><p>{paragraph}</p></div></body></html>")
    result = extract_article(html, "https://n.example/council-passes-budget/")
    assert result is not None
    assert result["published"] == "2019-11-14"


@pytest.mark.parametrize(("lines", "published", "modified"), [
    # the label alone on its line: the date after it is the update, not the publication
    (["Updated", "Nov 13, 2019, 10:28am EST"], None, "2019-11-13"),
    (["Posted Nov 18, 2019", "Updated: Nov. 19, 2019 9:41 AM"], "2019-11-18", "2019-11-19"),
    (["Updated Nov 19, 2019", "Posted Nov 18, 2019"], "2019-11-18", "2019-11-19"),
    # Chinese and Korean labels, with no word edge; share and font-size buttons between
    (["2019-09-07 09:25:09", "字号：", "A-", "A", "A+", "来源：东方网",
      "最后更新: 2019-09-08 09:27:48"], "2019-09-07", "2019-09-08"),
    (["입력 2022.09.05 03:00", "수정 2022.09.06 03:01"], "2022-09-05", "2022-09-06"),
])
def test_visible_updated_line_is_the_modified_date(lines, published, modified):
    paragraph = ("The council approved the new budget after a long debate about school "
                 "repairs and the bus network, officials said on Tuesday. ") * 3
    spans = "".join(f"<span>{line}</span><br>" for line in lines)
    html = (f"<html><body><div><h1>Council passes budget</h1><p>{spans}</p>"
            f"<p>{paragraph}</p><p>{paragraph}</p></div></body></html>")
    result = extract_article(html, "https://n.example/council.php?id=5")
    assert result is not None
    if published:
        assert result["published"] == published
    else:
        assert result["published"] != "2019-11-13"  # never the update's day
    assert result["modified"] == modified


class TestUrlDate:
    @pytest.mark.parametrize(("url", "day"), [
        ("https://n.example/2019/11/18/story-slug/", "2019-11-18"),
        ("https://n.example/story/2019-11-19/disney-plus", "2019-11-19"),
        ("https://n.example/2019/11/", None),  # a month's archive, not a day
        ("https://n.example/a/2019/13/40/x", None),
        ("https://n.example/article?date=2019/11/18", None),  # a query, not the path
    ])
    def test_url_date(self, url, day):
        from crawler.extract.dates import url_date

        assert url_date(url) == day

    def test_url_day_beats_republished_markup(self):
        # the CMS refreshed datePublished when the story was republished a month later
        head = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": '
                '"Council passes budget", "datePublished": "2019-12-20T09:00:00-05:00"}</script>')
        html = TestVisibleDateline._story("", head)
        result = extract_article(html, "https://n.example/2019/11/18/council-passes-budget/")
        assert result is not None
        assert result["published"] == "2019-11-18"

    def test_markup_on_the_url_day_keeps_its_time_and_offset(self):
        head = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": '
                '"Council passes budget", "datePublished": "2019-11-18T21:00:00-05:00"}</script>')
        html = TestVisibleDateline._story("", head)
        result = extract_article(html, "https://n.example/2019/11/18/council-passes-budget/")
        assert result is not None
        assert result["published"] == "2019-11-18T21:00:00-05:00"


class TestPaywalled:
    @staticmethod
    def _page(head: str) -> str:
        prose = "".join(
            f"<p>Sentence {n} of the public part of a story about the harbour levy, which the "
            "council approved on Tuesday after a long debate.</p>" for n in range(4))
        return (f"<html><head>{head}</head><body><article><h1>Harbour levy approved</h1>"
                f"{prose}</article></body></html>")

    @pytest.mark.parametrize(("head", "paywalled"), [
        ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Harbour '
         'levy approved", "isAccessibleForFree": false}</script>', True),
        ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Harbour '
         'levy approved", "isAccessibleForFree": "False"}</script>', True),
        ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Harbour '
         'levy approved", "isAccessibleForFree": "https://schema.org/False"}</script>', True),
        ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Harbour '
         'levy approved", "hasPart": {"@type": "WebPageElement", "isAccessibleForFree": '
         '"False", "cssSelector": ".paywall"}}</script>', True),
        ('<meta itemprop="isAccessibleForFree" content="false">', True),
        ('<meta property="article:content_tier" content="locked">', True),
        ('<meta property="article:content_tier" content="metered">', False),
        ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Harbour '
         'levy approved", "isAccessibleForFree": true}</script>', False),
        ("", False),
    ])
    def test_paywalled_where_the_page_says_so(self, head, paywalled):
        result = extract_article(self._page(head), "https://n.example/levy")
        assert result is not None
        assert result["paywalled"] is paywalled


class TestDisplayedHeadline:
    @staticmethod
    def _page(og_title: str, h1s: list[str]) -> str:
        prose = "".join(
            f"<p>Sentence {n} about the council and the air quality plan, which the city "
            "adopted on Tuesday after a long debate.</p>" for n in range(4))
        headings = "".join(f"<h1>{h}</h1>" for h in h1s)
        return (f'<html><head><meta property="og:title" content="{og_title}">'
                '<meta property="og:site_name" content="Valley Post"></head><body><article>'
                f"{headings}{prose}</article></body></html>")

    @pytest.mark.parametrize(("og_title", "h1s", "title"), [
        # written for search engines: the reader sees the <h1>
        ("Delhi air pollution: The law fuelling the city's poor air quality",
         ["The law that is helping fuel Delhi's deadly air pollution"],
         "The law that is helping fuel Delhi's deadly air pollution"),
        # a section affix the site-name rule cannot know
        ("Opinion | Republicans Are Following Trump to Nowhere",
         ["Republicans Are Following Trump to Nowhere"],
         "Republicans Are Following Trump to Nowhere"),
        # another story's heading, or several headlines: the metadata stands
        ("Council adopts air quality plan", ["Weather warning for the weekend"],
         "Council adopts air quality plan"),
        ("Council adopts air quality plan",
         ["Weather warning for the weekend", "Council adopts the new air quality plan"],
         "Council adopts air quality plan"),
        # a masthead or label <h1> beside it, the headline printed twice (phone, screen)
        ("Council adopts air quality plan",
         ["Valley Post", "Council adopts the new air quality plan"],
         "Council adopts the new air quality plan"),
        ("Council adopts air quality plan",
         ["Council adopts the new air quality plan", "Council adopts the new air quality plan",
          "More News"],
         "Council adopts the new air quality plan"),
    ])
    def test_title_is_the_headline_as_displayed(self, og_title, h1s, title):
        result = extract_article(self._page(og_title, h1s), "https://valleypost.example/a/2")
        assert result is not None
        assert result["title"] == title

    def test_dateline_follows_the_headline_not_the_masthead(self):
        paragraph = ("The council approved the new budget after a long debate about school "
                     "repairs and the bus network, officials said on Tuesday. ") * 3
        html = ("<html><head><title>Council passes budget | The Dale Courier</title></head>"
                "<body><h1>The Dale Courier</h1><div><b>Earlier stories</b><br>"
                "<a href='/s/1'>Bypass survey begins</a> Wednesday, 8 November 2023</div>"
                "<div><h2>Council passes budget</h2><span>Thursday, 7 December 2023</span>"
                f"<p>{paragraph}</p><p>{paragraph}</p></div></body></html>")
        result = extract_article(html, "https://dale.example/story.php?id=7")
        assert result is not None
        assert result["published"] == "2023-12-07"


class TestChineseTitles:
    """Chinese titles join headline and site without spaces (written for these tests)."""

    STORY = ("市政府今天召开新闻发布会，宣布将在明年春天前完成老城区的道路改造工程，"
             "第一期预计在三月底前完工，届时沿线的公交线路也会调整。") * 4

    def page(self, title: str, heading: str = "") -> str:
        return (f"<html><head><title>{title}</title></head><body>{heading}"
                f"<div><p>{self.STORY}</p><p>{self.STORY}</p></div></body></html>")

    @pytest.mark.parametrize("title", ["道路改造明年完成_东方日报网", "道路改造明年完成-东方网",
                                       "道路改造明年完成｜东方日报"])
    def test_the_title_confirms_the_heading_across_a_bare_separator(self, title):
        from crawler.extract._headline import headline_from_markup

        page = self.page(title, "<h2>东方日报</h2><h2>道路改造明年完成</h2>")
        assert headline_from_markup(lxml_html.fromstring(page), None) == "道路改造明年完成"
        result = extract_article(page, "https://news.example.cn/a/1.html")
        assert result is not None
        assert result["title"] == "道路改造明年完成"

    @pytest.mark.parametrize(("title", "expected"), [
        ("道路改造明年完成-新华网", "道路改造明年完成"),
        ("道路改造明年完成_中国载人航天官方网站", "道路改造明年完成"),
        # a part that is no site's name stays
        ("道路改造明年完成_第一期", "道路改造明年完成_第一期"),
    ])
    def test_a_chinese_sites_name_leaves_a_title_no_heading_confirms(self, title, expected):
        result = extract_article(self.page(title), "https://news.example.cn/a/1.html")
        assert result is not None
        assert result["title"] == expected
