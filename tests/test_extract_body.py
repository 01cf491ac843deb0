"""Article extraction of whole pages: the story's text and headline from each kind of
template and layout, in any encoding, without teasers, link lists or embeds' chrome,
and the refusal of pages that are not articles."""

from __future__ import annotations

import pytest

from crawler.extract._layout import drop_teaser_lists
from crawler.extract.article import extract_article, parse_html
from tests.extractpages import page, prose

KEYS = {
    "title", "text", "authors", "published", "modified", "language", "sitename",
    "section", "description", "tags", "image", "canonical_url", "paywalled",
}


@pytest.fixture(scope="module")
def wordpress() -> dict:
    result = extract_article(page("wordpress_post.html"), "https://ledger.example/?p=4711")
    assert result is not None
    return result


@pytest.fixture(scope="module")
def bare() -> dict:
    result = extract_article(page("bare_markup.html"), "https://library.example/news/reopening")
    assert result is not None
    return result


class TestWordPressPost:
    def test_exact_keys(self, wordpress):
        assert set(wordpress) == KEYS

    def test_metadata(self, wordpress):
        assert wordpress["title"] == "City Council Approves New Bike Lanes on Harbor Street"
        assert wordpress["authors"] == ["Ana Ruiz", "Tom Becker"]
        assert wordpress["published"] == "2021-06-08T09:30:00+02:00"
        assert wordpress["modified"] == "2021-06-09T14:05:12+02:00"
        assert wordpress["language"] == "en"
        assert wordpress["sitename"] == "The Riverside Ledger"
        assert wordpress["section"] == "Local"
        assert wordpress["tags"] == ["Cycling", "City Council"]
        assert wordpress["image"] == (
            "https://ledger.example/wp-content/uploads/2021/06/harbor-street.jpg"
        )
        assert wordpress["canonical_url"] == (
            "https://ledger.example/2021/06/08/bike-lanes-harbor-street/"
        )

    @pytest.mark.parametrize(
        "sentence",
        [
            "The city council voted seven to two on Monday night",
            "Supporters packed the chamber and cheered",
            "cyclists now make up almost a fifth of all rush-hour trips",
            "Construction is scheduled to begin in September",
        ],
    )
    def test_body_kept(self, wordpress, sentence):
        assert sentence in wordpress["text"]

    @pytest.mark.parametrize(
        "boilerplate",
        [
            "Advertisement", "Share on Facebook", "Sign up for our newsletter",
            "delivered to your inbox", "Related Posts", "Parking fees to rise",
            "Greg Hollis", "double-park", "Leave a Reply", "All rights reserved",
            "Privacy policy", "Posted in", "Sports",
        ],
    )
    def test_boilerplate_dropped(self, wordpress, boilerplate):
        assert boilerplate not in wordpress["text"]

    def test_paragraphs_are_lines(self, wordpress):
        lines = wordpress["text"].split("\n")
        assert len(lines) == 4
        assert lines[0].startswith("The city council voted")


class TestBareMarkup:
    def test_metadata(self, bare):
        assert bare["title"] == "Library reopens after flood repairs"
        assert bare["authors"] == ["Mary Okafor"]
        assert bare["published"] == "2021-06-08"
        assert bare["modified"] is None
        assert bare["language"] == "en"  # no markup says so: identified from the text
        assert bare["tags"] == []
        assert bare["image"] is None

    def test_body_without_byline_and_dateline(self, bare):
        assert bare["text"].startswith("The central library opened its doors again on Tuesday")
        assert "exhibition about the rescue effort" in bare["text"]
        assert "Mary Okafor" not in bare["text"]
        assert "June 8, 2021" not in bare["text"]


class TestNotAnArticle:
    def test_section_listing(self):
        url = "https://ledger.example/local/"
        assert extract_article(page("section_listing.html"), url) is None

    @pytest.mark.parametrize(
        "data",
        [
            "",
            "   \n ",
            b"",
            "not html at all, just a short sentence",
            b"\x00\x01\x02\xff\xfe\x89PNG\r\n\x1a\n" * 200,
            bytes(range(256)) * 50,
            "<html><body><p>Too short.</p></body></html>",
            "<html><head><title>Oops</title></head><body><div><div></div></div></body></html>",
            "<<<>>>&&&<html <body <p",
        ],
    )
    def test_garbage(self, data):
        assert extract_article(data, "https://example.com/x") is None

    def test_wrong_type_is_a_bug(self):
        with pytest.raises(TypeError):
            extract_article(None, "https://example.com/x")  # type: ignore[arg-type]


class TestEncoding:
    LATIN1 = (
        '<html lang="es-ES"><head><meta http-equiv="Content-Type" content="text/html; '
        'charset=iso-8859-1"><title>La cosecha de café</title></head><body>'
        "<h1>La cosecha de café</h1>"
        "<p>La cosecha de café de este año en la región será la más pequeña en una década, "
        "según los productores, que culpan a la sequía y a las heladas de la primavera pasada.</p>"
        "<p>Muchos pequeños caficultores ya están buscando otros cultivos o trabajo en la ciudad, "
        "y las cooperativas piden ayuda urgente al gobierno para el próximo año.</p>"
        "</body></html>"
    )

    def test_latin1_bytes(self):
        result = extract_article(self.LATIN1.encode("latin-1"), "https://cafe.example/cosecha")
        assert result is not None
        assert result["title"] == "La cosecha de café"
        assert "La cosecha de café de este año en la región será la más pequeña" in result["text"]
        assert "\ufffd" not in result["text"]
        assert result["language"] == "es"

    def test_str_and_utf8_bytes_agree(self):
        text = page("jsonld_newsarticle.html")
        url = "https://valleypost.example/a/1"
        assert extract_article(text.encode("utf-8"), url) == extract_article(text, url)

    @staticmethod
    def doc(head: str, body: str, encoding: str = "utf-8", bom: str = "") -> bytes:
        return f"{bom}<html><head>{head}</head><body><p>{body}</p></body></html>".encode(encoding)

    @pytest.mark.parametrize(
        ("data", "expected"),
        [
            # the declaration was readable as ASCII, so the page is not UTF-16: UTF-8 is meant
            (doc('<meta charset="utf-16">', "café"), "café"),
            (doc("", "café", "utf-32-le", bom="\ufeff"), "café"),
            # a declaration inside a comment is no declaration
            (doc('<!-- <meta charset="koi8-r"> -->', "café"), "café"),
            # GB2312 pages are read as GB18030, as browsers do
            (doc('<meta charset="gb2312">', "价格 €", "gb18030"), "价格 €"),
            # UTF-7 would turn inert text into markup: refused, read as UTF-8
            (doc('<meta charset="utf-7">', "+ADw-b+AD4-x"), "+ADw-b+AD4-x"),
        ],
        ids=["utf-16-declared", "utf-32-bom", "commented-meta", "gb2312", "utf-7"],
    )
    def test_bytes_decoded_as_browsers_do(self, data, expected):
        tree = parse_html(data)
        assert tree is not None
        assert tree.text_content().strip() == expected


@pytest.fixture(scope="module")
def table_layout() -> dict:
    result = extract_article(page("table_layout.html"), "https://dalecourier.example/story.php?id=9912")
    assert result is not None
    return result


class TestTableLayout:
    """A legacy page laid out in one <table>: nav cell, story cell, footer row."""

    def test_body_is_the_story_cell(self, table_layout):
        text = table_layout["text"]
        assert text.startswith("Plans to extend the limestone quarry at Hollins Edge")
        assert text.endswith("a revised application was submitted next year.")
        for furniture in ("Front page", "Weather: bright spells", "Copyright 2023",
                          "Bypass survey begins", "Reporting by", "The Dale Courier"):
            assert furniture not in text

    def test_h2_headline_under_a_masthead_h1(self, table_layout):
        assert table_layout["title"] == "Quarry expansion plan withdrawn after objections"

    def test_reporting_by_byline_names_everyone(self, table_layout):
        assert table_layout["authors"] == ["Imogen Tate", "Rhys Calder"]

    def test_textual_date_not_a_sidebar_date(self, table_layout):
        # the nav cell lists an earlier story with its date and dated URLs
        assert table_layout["published"] == "2023-12-07"

    def test_br_separated_paragraphs(self):
        story = "<br><br>\n".join(
            f"Paragraph {n} of the ferry report, long enough to read as prose and to count "
            "towards the body of the story rather than its furniture." for n in range(1, 5))
        html = (
            "<html><head><title>Ferry report - Courier</title></head><body><table>"
            '<tr><td width="120"><a href="/">Home</a><br><a href="/news/">News</a><br>'
            "Tides: high water 06:12</td>"
            f"<td><h1>Ferry report</h1><div><font size=2>{story}</font></div></td></tr>"
            "<tr><td colspan=2>Copyright 2024 Courier Ltd. All rights reserved.</td></tr>"
            "</table></body></html>")
        result = extract_article(html, "https://courier.example/story.htm")
        assert result is not None
        assert result["text"].startswith("Paragraph 1 of the ferry report")
        assert "Paragraph 4 of the ferry report" in result["text"]
        assert "Tides" not in result["text"] and "Copyright" not in result["text"]

    def test_data_table_in_a_story_is_kept(self):
        rows = "".join(f"<tr><td>Pier {n}</td><td>{n * 3} m</td></tr>" for n in range(1, 5))
        prose = "".join(
            f"<p>Sentence {n} about the harbour survey, which measured every berth in the port "
            "over the winter months.</p>" for n in range(4))
        html = (f"<html><body><article><h1>Harbour survey</h1>{prose}"
                f"<table><tr><th>Berth</th><th>Depth</th></tr>{rows}</table></article>"
                "</body></html>")
        result = extract_article(html, "https://courier.example/survey")
        assert result is not None
        assert "Pier 3" in result["text"]


class TestRelatedTeasers:
    @pytest.mark.parametrize("heading", ["Keep reading", "More on this story", "Related",
                                         "Read more"])
    def test_trailing_teaser_block_dropped(self, heading):
        prose = "".join(
            f'<p class="c-txt">Sentence {n} of a feature about the island school, where eleven '
            "pupils share two classrooms and one very patient teacher.</p>" for n in range(5))
        cards = "".join(
            f'<li><a href="/f/{n}"><span>Teaser headline number {n}</span></a>'
            f"<span>A standfirst for teaser {n}, one line long.</span></li>" for n in range(3))
        html = (f"<html><body><main><h1>The island school</h1>{prose}"
                f"<div><h2>{heading}</h2><ul>{cards}</ul></div></main></body></html>")
        result = extract_article(html, "https://f.example/island-school")
        assert result is not None
        assert result["text"].endswith("one very patient teacher.")
        assert "Teaser headline" not in result["text"]
        assert heading not in result["text"]

    def test_section_with_such_a_title_stays(self):
        prose = "".join(
            f"<p>Sentence {n} of a report on the ferry timetable and what it means for "
            "passengers travelling on winter weekdays.</p>" for n in range(3))
        html = (f"<html><body><article><h1>Timetable</h1>{prose}<h2>Related</h2>"
                f"{prose.replace('Sentence', 'Later sentence')}</article></body></html>")
        result = extract_article(html, "https://f.example/timetable")
        assert result is not None
        assert "Later sentence 2 of a report" in result["text"]


STORY = ("The county commissioners agreed on Tuesday to repave the old quarry road before "
         "winter, after residents complained about potholes for the third year running")


class TestGenericTitle:
    """Every page has the same <title>; the headline is only the heading above the story."""

    LEGACY = (
        "<html><head><title>Valley Gazette - County Edition</title></head><body><table>"
        '<tr><td colspan="2"><font size="6"><b>Valley Gazette</b></font></td></tr>'
        '<tr><td width="150"><a href="/">Home</a><br><a href="/sports/">Sports</a><br>'
        "<b>Weather</b><br>Sunny, high of 70</td><td>"
        "<h2>{headline}</h2><i>By Dora Quill</i><br><font size=2>May 3, 2024</font>"
        "{deck}{body}</td></tr></table></body></html>"
    )

    def test_h2_above_the_body_is_the_headline(self):
        html = self.LEGACY.format(headline="Quarry road to be repaved before winter", deck="",
                                  body=prose(STORY))
        result = extract_article(html, "https://gazette.example/stories/view/1")
        assert result is not None
        assert result["title"] == "Quarry road to be repaved before winter"
        assert result["authors"] == ["Dora Quill"]
        assert result["text"].startswith("The county commissioners agreed")

    def test_headline_beats_its_deck(self):
        html = self.LEGACY.format(
            headline="Quarry road to be repaved", body=prose(STORY),
            deck="<h3>Residents had complained for three years about potholes</h3>",
        ).replace("<h2>", "<h1>").replace("</h2>", "</h1>")
        result = extract_article(html, "https://gazette.example/stories/view/2")
        assert result is not None
        assert result["title"] == "Quarry road to be repaved"

    def test_confirmed_title_still_wins(self, table_layout):
        # the <title> names the <h2>; nothing changes for such pages
        assert table_layout["title"] == "Quarry expansion plan withdrawn after objections"


class TestLinkOnlyLines:
    def extract(self, extra: str) -> str:
        html = (f"<html><body><article><h1>Quarry road</h1>{prose(STORY, 2)}{extra}"
                f"{prose(STORY.replace('county', 'town'), 2)}</article></body></html>")
        result = extract_article(html, "https://gazette.example/news/quarry-road")
        assert result is not None
        return result["text"]

    @pytest.mark.parametrize("line", [
        '<a href="/news/quarry-road?print=1">Printer-friendly version</a> | '
        '<a href="mailto:?subject=story">Email this story</a>',
        '<strong>Lesen Sie auch:</strong> <a href="/lokales/neue-bruecke/">Neue Brücke über '
        "die Lahn: Bauarbeiten beginnen im August</a>",
        'Read also: <a href="https://www.gazette.example/news/bridge">Bridge reopens</a>',
    ])
    def test_dropped(self, line):
        text = self.extract(f"<p>{line}</p>")
        assert "Printer-friendly" not in text and "Lesen Sie" not in text
        assert "Bridge reopens" not in text and "Neue Brücke" not in text
        assert "town commissioners" in text

    @pytest.mark.parametrize(("line", "kept"), [
        # a sentence that contains a link
        ('The <a href="/docs/plan.pdf">full paving plan</a> lists every street that will '
         "close, with dates.", "full paving plan"),
        # a credit linking off the site is part of the story
        ('Source: <a href="https://other.example/report">County engineer\'s report</a>',
         "County engineer's report"),
    ])
    def test_kept(self, line, kept):
        assert kept in self.extract(f"<p>{line}</p>")


class TestEmbeddedPosts:
    def test_quoted_post_is_kept(self):
        tweet = ('<div class="embed embed--twitter"><blockquote class="twitter-tweet">'
                 "<p>We would rather wait a year than have kids playing on lead.</p>&mdash; "
                 'Friends of the Riverwalk (@Riverwalk) <a href="https://twitter.com/Riverwalk/'
                 'status/1">April 22, 2024</a></blockquote><script async '
                 'src="https://platform.twitter.com/widgets.js"></script></div>')
        html = (f"<html><body><article><h1>Mill park delayed</h1>{prose(STORY, 2)}{tweet}"
                f"{prose(STORY, 2)}</article></body></html>")
        result = extract_article(html, "https://gazette.example/news/mill")
        assert result is not None
        assert "We would rather wait a year than have kids playing on lead." in result["text"]


class TestSplitBody:
    """A story the CMS cut into identical containers around each ad row."""

    @staticmethod
    def chunk(words: str, count: int = 3) -> str:
        paragraphs = "".join(
            f"<p>{words} paragraph {n}: the harbour board met until late and argued over the "
            "price of dredging the channel before the autumn storms arrive.</p>"
            for n in range(count))
        return (f'<div class="grid grid--story"><div class="grid__item article-body">{paragraphs}'
                '</div><div class="grid__aside"></div></div>')

    AD_ROW = '<div class="row row--ad"><div class="ad">Advertisement</div></div>'

    def test_chunks_after_ad_rows_are_kept(self):
        html = ("<html><body><main><article><h1>Dredging the channel</h1>"
                f"{self.chunk('First')}{self.AD_ROW}{self.chunk('Second')}{self.AD_ROW}"
                f"{self.chunk('Third')}</article></main></body></html>")
        result = extract_article(html, "https://harbour.example/story/dredging")
        assert result is not None
        for words in ("First", "Second", "Third"):
            assert f"{words} paragraph 2: the harbour board" in result["text"]
        assert result["text"].index("First") < result["text"].index("Second") < (
            result["text"].index("Third"))
        assert "Advertisement" not in result["text"]

    def test_next_story_below_is_not_joined(self):
        html = ("<html><body><main><article><h1>Dredging the channel</h1>"
                f"{self.chunk('First')}</article>{self.AD_ROW}<article><h1>Ferry fares rise</h1>"
                f"{self.chunk('Other story')}</article></main></body></html>")
        result = extract_article(html, "https://harbour.example/story/dredging")
        assert result is not None
        assert "First paragraph 2" in result["text"]
        assert "Other story paragraph" not in result["text"]


def test_a_teaser_list_of_unreadable_links_is_no_error():
    """A hostile page's hrefs (an unclosed IPv6 bracket) make urllib raise: such a
    link is no link into the site, and the page is extracted all the same."""
    items = "".join(f'<li><a href="http://[oops{n}/">Story {n}</a></li>' for n in range(4))
    html = (f"<html><body><article><h1>Bad links</h1>{prose(STORY, 3)}<ul>{items}</ul>"
            "</article></body></html>")
    result = extract_article(html, "https://sport.example/news/bad-links")
    assert result is not None and "Bad links" in result["title"]


class TestLinkedPhrases:
    def test_wrapped_link_inside_a_sentence_is_kept(self):
        sentence = ('<p>The league said on Monday that <span class="link"><a href="/news/fine">'
                    "the quarterback will be fined</a></span> for his part in the brawl, and "
                    "that the suspension stands.</p>")
        html = (f"<html><body><article><h1>Fine for brawl</h1>{prose(STORY, 2)}{sentence}"
                f"{prose(STORY, 2)}</article></body></html>")
        result = extract_article(html, "https://sport.example/news/brawl")
        assert result is not None
        assert ("The league said on Monday that the quarterback will be fined for his part "
                "in the brawl") in result["text"]


class TestTeaserLists:
    def extract(self, listing: str) -> str:
        html = (f"<html><body><article><h1>Quarry road</h1>{prose(STORY, 3)}{listing}"
                "</article></body></html>")
        result = extract_article(html, "https://gazette.example/news/quarry-road")
        assert result is not None
        return result["text"]

    def test_list_of_own_stories_dropped(self):
        # part of each headline linked, as bottom-of-story "more great stories" lists do
        items = "".join(f'<li>Why the county <a href="/news/{n}">cannot pay for Teaser headline '
                        f"road {n}</a></li>" for n in range(4))
        text = self.extract(f"<ul>{items}</ul>")
        assert "Teaser headline" not in text
        assert "county commissioners" in text

    def test_list_with_sentences_kept(self):
        items = "".join(
            f"<li>The road closes at the quarry gate on weekday {n} while crews work, see the "
            '<a href="/docs/plan">plan</a>.</li>' for n in range(4))
        assert "weekday 3 while crews work" in self.extract(f"<ul>{items}</ul>")

    def test_list_linking_elsewhere_is_not_a_teaser_list(self):
        # sources on other sites belong to the story (trafilatura may still judge the list)
        items = "".join(f'<li><a href="https://county.example/minutes/{n}">Meeting minutes, '
                        f"part {n}</a></li>" for n in range(4))
        tree = parse_html(f"<html><body><article><ul>{items}</ul></article></body></html>")
        assert drop_teaser_lists(tree, "https://gazette.example/news/quarry-road") == 0
        assert drop_teaser_lists(tree, "https://county.example/news/quarry-road") == 1
