"""Article extraction: body text, metadata, and refusal of pages that are not articles."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import html as lxml_html

from crawler.extract.article import extract_article, parse_html
from crawler.extract.jsonld import find_article, jsonld_objects

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
        from crawler.extract.language import detect_language

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


def _prose(sentence: str, count: int = 4) -> str:
    return "".join(f"<p>{sentence} (paragraph {n}).</p>" for n in range(1, count + 1))


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
                                  body=_prose(STORY))
        result = extract_article(html, "https://gazette.example/stories/view/1")
        assert result is not None
        assert result["title"] == "Quarry road to be repaved before winter"
        assert result["authors"] == ["Dora Quill"]
        assert result["text"].startswith("The county commissioners agreed")

    def test_headline_beats_its_deck(self):
        html = self.LEGACY.format(
            headline="Quarry road to be repaved", body=_prose(STORY),
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
        html = (f"<html><body><article><h1>Quarry road</h1>{_prose(STORY, 2)}{extra}"
                f"{_prose(STORY.replace('county', 'town'), 2)}</article></body></html>")
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


class TestMultilingualBylines:
    @pytest.mark.parametrize(("byline", "authors"), [
        ("Von Anna Müller und Jörg Weiß", ["Anna Müller", "Jörg Weiß"]),
        ("Von Anna Müller, Jörg Weiß und Lena Schäfer", ["Anna Müller", "Jörg Weiß",
                                                          "Lena Schäfer"]),
        ("Par Jean-Luc Martin et Claire Dubois", ["Jean-Luc Martin", "Claire Dubois"]),
        ("Por María García", ["María García"]),
        ("Door Jan de Vries en Piet Jansen", ["Jan de Vries", "Piet Jansen"]),
        ("Av Kari Nordmann", ["Kari Nordmann"]),
    ])
    def test_split_authors(self, byline, authors):
        from crawler.extract._byline import is_byline, split_authors

        assert split_authors(byline) == authors
        assert is_byline(byline)

    @pytest.mark.parametrize("text", ["Von der Leyen", "De Niro", "Von Montag an gilt",
                                      "Von Berlin, Hamburg und München aus"])
    def test_not_bylines(self, text):
        from crawler.extract._byline import is_byline

        assert not is_byline(text)

    def test_byline_links_not_repeated(self):
        links = ('<a href="/autor/am/" rel="author">Anna Müller</a> und '
                 '<a href="/autor/jw/" rel="author">Jörg Weiß</a>')
        body = _prose("Der Bauausschuss hat am Montagabend den letzten Auftrag vergeben")
        html = (f'<html lang="de"><body><article><h1>Brücke</h1><span class="byline">Von {links}'
                f"</span>{body}</article></body></html>")
        result = extract_article(html, "https://bote.example/lokales/bruecke/")
        assert result is not None
        assert result["authors"] == ["Anna Müller", "Jörg Weiß"]

    def test_plain_text_byline_after_a_dateline(self):
        body = _prose("Das Bürgerbüro im Rathaus ändert ab dem ersten Juli seine Öffnungszeiten")
        html = ("<html><head><title>Bote</title></head><body><h2>Bürgerbüro ändert Zeiten</h2>"
                f"<p><b>Lahnfurt, 11.06.2024</b><br>\nVon Klaus Bauer</p>{body}</body></html>")
        result = extract_article(html, "https://bote.example/meldung.php?nr=1")
        assert result is not None
        assert result["authors"] == ["Klaus Bauer"]
        assert result["title"] == "Bürgerbüro ändert Zeiten"
        assert result["text"].startswith("Das Bürgerbüro")
        assert "Klaus Bauer" not in result["text"] and "11.06.2024" not in result["text"]

    def test_dateline_and_byline_on_one_line(self):
        from crawler.extract.article import _clean_body

        text = "Lahnfurt, 11.06.2024 / Von Klaus Bauer\nDas Bürgerbüro ändert die Zeiten."
        assert _clean_body(text, None) == "Das Bürgerbüro ändert die Zeiten."


ENGLISH = ("The town is opening three cool rooms for older residents and anyone who finds the "
           "heat difficult, in the community hall, the library and the parish hall")


class TestLanguagePrecedence:
    def page(self, html_lang: str, jsonld: str = "", paragraphs: int = 4) -> str:
        script = f'<script type="application/ld+json">{jsonld}</script>' if jsonld else ""
        return (f'<html lang="{html_lang}"><head>{script}</head><body><article><h1>Heat</h1>'
                f"{_prose(ENGLISH, paragraphs)}</article></body></html>")

    def test_article_inlanguage_beats_template_lang(self):
        jsonld = '{"@type": "NewsArticle", "headline": "Heat", "inLanguage": "en-GB"}'
        result = extract_article(self.page("de", jsonld), "https://c.example/en/heat.html")
        assert result is not None
        assert result["language"] == "en"

    def test_text_overrules_a_contradicted_template_lang(self):
        result = extract_article(self.page("de"), "https://c.example/en/heat.html")
        assert result is not None
        assert result["language"] == "en"

    def test_declaration_stands_on_short_text(self):
        from crawler.extract.language import choose_language

        assert choose_language("de", ENGLISH, by_article=False) == "de"
        # and the article's own declaration is never overruled
        assert choose_language("de", ENGLISH * 5, by_article=True) == "de"


class TestEmbeddedPosts:
    def test_quoted_post_is_kept(self):
        tweet = ('<div class="embed embed--twitter"><blockquote class="twitter-tweet">'
                 "<p>We would rather wait a year than have kids playing on lead.</p>&mdash; "
                 'Friends of the Riverwalk (@Riverwalk) <a href="https://twitter.com/Riverwalk/'
                 'status/1">April 22, 2024</a></blockquote><script async '
                 'src="https://platform.twitter.com/widgets.js"></script></div>')
        html = (f"<html><body><article><h1>Mill park delayed</h1>{_prose(STORY, 2)}{tweet}"
                f"{_prose(STORY, 2)}</article></body></html>")
        result = extract_article(html, "https://gazette.example/news/mill")
        assert result is not None
        assert "We would rather wait a year than have kids playing on lead." in result["text"]


class TestVisibleDateline:
    @pytest.mark.parametrize(("text", "iso"), [
        ("Lahnfurt, 11.06.2024", "2024-06-11"),
        ("Tuesday, 5 March 2024", "2024-03-05"),
        ("March 5, 2024 10:30 AM", "2024-03-05"),
        ("8. Juni 2024", "2024-06-08"),
        ("12 de marzo de 2024", "2024-03-12"),
        ("Published 2021-06-08", "2021-06-08"),
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
