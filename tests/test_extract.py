"""Article extraction: body text, metadata, and refusal of pages that are not articles."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import html as lxml_html

from crawler.extract import extract_article
from crawler.jsonld import find_article, jsonld_objects

PAGES = Path(__file__).parent / "pages"
KEYS = {
    "title", "text", "authors", "published", "modified", "language", "sitename",
    "section", "description", "tags", "image", "canonical_url",
}


def page(name: str) -> str:
    return (PAGES / name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def wordpress() -> dict:
    result = extract_article(page("wordpress_post.html"), "https://ledger.example/?p=4711")
    assert result is not None
    return result


@pytest.fixture(scope="module")
def newsarticle() -> dict:
    result = extract_article(page("jsonld_newsarticle.html"), "https://valleypost.example/a/1")
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


class TestLanguageIdentification:
    @pytest.mark.parametrize(("text", "language"), [
        ("Der Gemeinderat hat am Dienstag beschlossen, die Fähre auch in den Wintermonaten "
         "fahren zu lassen, nachdem mehr als zweitausend Einwohner eine Petition unterschrieben "
         "hatten. Die Betreiber rechnen mit höheren Kosten.", "de"),
        ("Le conseil municipal a décidé mardi de prolonger le service du bac pendant les mois "
         "d'hiver, après une pétition signée par plus de deux mille habitants. Les exploitants "
         "s'attendent à des coûts plus élevés.", "fr"),
    ])
    def test_undeclared_language_is_identified(self, text, language):
        html = f"<html><body><div><h1>Titel</h1><p>{text}</p><p>{text}</p></div></body></html>"
        result = extract_article(html, "https://n.example/story/12345")
        assert result is not None
        assert result["language"] == language

    def test_short_text_is_not_guessed(self):
        from crawler.language import detect_language

        assert detect_language("Kurzer Text.") is None


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


class TestBylines:
    @pytest.mark.parametrize(("byline", "authors"), [
        ("Reporting by Hattie Greaves and Owen Prys", ["Hattie Greaves", "Owen Prys"]),
        ("By Ana Ruiz and Tom Becker, Staff Reporters", ["Ana Ruiz", "Tom Becker"]),
        ("By Ben Tollemache, Staff Reporter", ["Ben Tollemache"]),
        ("Words by Mary Okafor", ["Mary Okafor"]),
    ])
    def test_plain_text_byline(self, byline, authors):
        prose = "".join(
            f"<p>Sentence {n} of a story about the new lifeboat station, which opened on the "
            "quay this week after two years of fundraising.</p>" for n in range(4))
        html = (f"<html><body><div><h1>Lifeboat station opens</h1><div><i>{byline}</i></div>"
                f"{prose}</div></body></html>")
        result = extract_article(html, "https://courier.example/lifeboat")
        assert result is not None
        assert result["authors"] == authors
        assert byline not in result["text"]


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
