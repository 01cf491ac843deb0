"""Who wrote the article: bylines with roles, agencies and sites' own names, in several
languages, read from JSON-LD, meta tags and the visible byline (crawler/extract/authors.py,
crawler/extract/_byline.py)."""

from __future__ import annotations

import pytest

from crawler.extract.article import extract_article
from tests.extractpages import prose

PARAGRAPH = ("The council approved the new budget after a long debate about school "
             "repairs and the bus network, officials said on Tuesday. ") * 3


def _lifeboat(paragraphs: int = 4) -> str:
    """The body the byline tests sign: a story about a lifeboat station."""
    return "".join(
        f"<p>Sentence {n} of a story about the new lifeboat station, which opened on the "
        "quay this week after two years of fundraising.</p>" for n in range(paragraphs))


LIFEBOAT = _lifeboat()


def _authors(html: str, url: str = "https://www.courier.example/lifeboat") -> list[str]:
    result = extract_article(html, url)
    assert result is not None
    return result["authors"]


class TestBylines:
    @pytest.mark.parametrize(("byline", "authors"), [
        ("Reporting by Hattie Greaves and Owen Prys", ["Hattie Greaves", "Owen Prys"]),
        ("By Ana Ruiz and Tom Becker, Staff Reporters", ["Ana Ruiz", "Tom Becker"]),
        ("By Ben Tollemache, Staff Reporter", ["Ben Tollemache"]),
        ("Words by Mary Okafor", ["Mary Okafor"]),
        ("By Meg James, Staff Writer", ["Meg James"]),
        ("By Ana Ruiz and Tom Becker in Paris", ["Ana Ruiz", "Tom Becker"]),
        ("Von Anna Müller und Jan Becker", ["Anna Müller", "Jan Becker"]),
        ("By Rachael Link, MS, RD", ["Rachael Link"]),
        ("By Meg Kinnard and Errin Haines, Associated Press", ["Meg Kinnard", "Errin Haines"]),
        ("By Reuters", ["Reuters"]),  # the agency is the byline: it is the author
        ("By AFP", ["AFP"]),
        ("By Mike Wuerthele and Malcolm Owen Monday, November 18, 2019",
         ["Mike Wuerthele", "Malcolm Owen"]),
        ("Analysis by Chris Cillizza, CNN Editor-at-large", ["Chris Cillizza"]),
        ("By Finian Cunningham. The Courier", ["Finian Cunningham"]),
        ("By LISA MASCARO and ERIC TUCKER Associated Press", ["LISA MASCARO", "ERIC TUCKER"]),
        ("By Lia Eustachewich and Yaron Steinbuch, November", ["Lia Eustachewich",
                                                              "Yaron Steinbuch"]),
        ("By Courier Staff", []),  # the site's own staff: no author
        ("By The Courier", []),
        ("By Courier News Bureau", []),
    ])
    def test_plain_text_byline(self, byline, authors):
        html = (f"<html><body><div><h1>Lifeboat station opens</h1><div><i>{byline}</i></div>"
                f"{LIFEBOAT}</div></body></html>")
        assert _authors(html, "https://courier.example/lifeboat") == authors

    @pytest.mark.parametrize("box", [
        "<aside class='related-stories'><h3>Related</h3><p>By Ola Nordmann</p></aside>",
        "<section id='comments'><div class='comment'><p>By Kari Hansen</p>"
        "<p>Great story!</p></div></section>",
    ])
    def test_no_author_from_related_boxes_or_comments(self, box):
        html = (f"<html><body><div><h1>Lifeboat station opens</h1>{LIFEBOAT}</div>{box}"
                "</body></html>")
        assert _authors(html, "https://courier.example/lifeboat") == []

    def test_json_ld_naming_the_first_of_a_shared_byline_gives_way_to_it(self):
        ld = ('{"@type": "NewsArticle", "headline": "Lifeboat station opens", "author": '
              '{"@type": "Person", "name": "Ana Ruiz"}}')
        html = (f"<html><head><script type='application/ld+json'>{ld}</script></head><body>"
                "<article><h1>Lifeboat station opens</h1><p class='byline'>By <span>Ana Ruiz"
                f"</span>, <span>Tom Becker</span></p>{LIFEBOAT}</article></body></html>")
        assert _authors(html) == ["Ana Ruiz", "Tom Becker"]

    def test_publisher_as_author_in_json_ld_gives_way_to_the_byline(self):
        ld = ('{"@type": "NewsArticle", "headline": "Lifeboat station opens", "author": '
              '{"@type": "Organization", "name": "The Courier"}, '
              '"publisher": {"@type": "Organization", "name": "The Courier"}}')
        html = (f"<html><head><script type='application/ld+json'>{ld}</script></head><body>"
                "<article><h1>Lifeboat station opens</h1><p class='byline'>By Ana Ruiz</p>"
                f"{LIFEBOAT}</article></body></html>")
        assert _authors(html) == ["Ana Ruiz"]

    def test_teasers_signed_in_plain_text_are_not_the_storys_byline(self):
        # related stories inside the article, each with its own "Written by"
        story = _lifeboat(30)
        teasers = "".join(
            f"<section><a href='/t/{n}'>Teaser {n}</a><div>Written by {name}, MS, RD</div>"
            "</section>" for n, name in enumerate(["Elise Mandl", "Alina Petre"]))
        html = ("<html><body><article><h1>Lifeboat station opens</h1><div>Written by "
                f"<a href='/team'>Rachael Link, MS, RD</a> on November 14, 2019</div>{story}"
                f"{teasers}{story}</article></body></html>")
        assert _authors(html) == ["Rachael Link"]

    @pytest.mark.parametrize(("meta", "byline", "authors"), [
        # the meta tag credits the whole shoot; the byline the reader sees names the writer
        ("Connie Wang,Sharokh Mirzai,Ariel Pierre-Louis at MSA Models,Bethie Girmai",
         '<a rel="author" href="/a/cw">Connie Wang</a>', ["Connie Wang"]),
        # a meta tag naming the byline's people, or others, stands
        ("Ana Ruiz, Tom Becker", '<a rel="author" href="/a/ar">Ana Ruiz</a> and '
         '<a rel="author" href="/a/tb">Tom Becker</a>', ["Ana Ruiz", "Tom Becker"]),
        ("Ana Ruiz, Tom Becker", '<a rel="author" href="/a/x">Ola Nordmann</a>',
         ["Ana Ruiz", "Tom Becker"]),
    ])
    def test_meta_credits_beyond_the_visible_byline_give_way_to_it(self, meta, byline, authors):
        html = (f"<html><head><meta name='sailthru.author' content='{meta}'></head><body>"
                f"<article><h1>Lifeboat station opens</h1><p>By {byline}</p>{LIFEBOAT}"
                "</article></body></html>")
        assert _authors(html) == authors

    @pytest.mark.parametrize(("names", "authors"), [
        (["Vortex"], []),  # one word opening the host's name: the brand
        (["Beachbody"], []),
        (["Vortex Smith"], ["Vortex Smith"]),  # a person's two words stay
        (["Vort"], ["Vort"]),  # too short to tell
    ])
    def test_one_word_opening_the_sites_name_is_the_site(self, names, authors):
        from crawler.extract._byline import drop_site_names, site_keys

        keys = site_keys("The Beachbody Blog", host="www.vortexcannon.org")
        assert drop_site_names(names, keys) == authors

    def test_a_marked_byline_naming_only_the_site_leaves_the_written_one(self):
        # the theme's rel="author" credits the publisher's account; the story says who wrote it
        html = ("<html><head><meta property='og:site_name' content='The Courier'></head>"
                "<body><article><h1>Lifeboat station opens</h1><p>Posted by <a rel='author' "
                f"href='/author/courier/'>The Courier</a></p>{LIFEBOAT}"
                "<p><em>Written by: <a href='https://elsewhere.example/story'>Julie Mollins</a>"
                "</em></p></article></body></html>")
        assert _authors(html) == ["Julie Mollins"]

    @pytest.mark.parametrize(("byline", "authors"), [
        # an element whose class names it the author's, in any of several languages
        ('par <span class="auteurs">Didier Roy</span>, 21 juin 2018', ["Didier Roy"]),
        ('<a class="post-meta-author" href="/u/7">durch Stephan Markus</a>',
         ["Stephan Markus"]),
        # the byline's buttons and the dateline after a weekday's abbreviation are not names
        ('<span class="author">Sarah Needleman</span> <a class="author">Biography</a>',
         ["Sarah Needleman"]),
        ('<span class="entry-author">Max Steinbeis Sa 13 Jul 2019</span>', ["Max Steinbeis"]),
        # a box about the author is not a byline
        ('<div class="author-bio">Ola Nordmann writes about boats</div>', []),
        # the name of an author card, however deep in its BEM classes
        ('<div class="author-card"><span class="author-card__details__name">Sam Stein</span>'
         '<span class="author-card__role">Senior Politics Editor</span></div>', ["Sam Stein"]),
        # a marked byline that opens with its dateline: the names follow "by"
        ('<div class="byline">Wednesday January 18, 2017 11:44 am PST by <a class="author-url"'
         ' href="/author/juli-clover/">Juli Clover</a></div>', ["Juli Clover"]),
    ])
    def test_an_element_classed_as_the_authors(self, byline, authors):
        # the page's wrapper says "sidebar" (a layout with one): the story is still the story
        html = ("<html><body><div class='mainwrap sidebar'><h1>Lifeboat station opens</h1>"
                f"<p>{byline}</p>{LIFEBOAT}</div></body></html>")
        assert _authors(html) == authors


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

    @pytest.mark.parametrize(("byline", "authors"), [
        # a label, a title or a profession before the name, a separator before a date
        ("Autor/in: Korinna Hennig", ["Korinna Hennig"]),
        ("Author: Jane Roe", ["Jane Roe"]),
        ("Dr. Sebastian Brüggemann", ["Sebastian Brüggemann"]),
        ("Prof. Dr. med. Anna Müller und Rechtsanwalt Dennis Tölle",
         ["Anna Müller", "Dennis Tölle"]),
        ("John Walk - Feb", ["John Walk"]),
        # a title is only dropped where a name is left
        ("Dr Who", ["Dr Who"]),
    ])
    def test_titles_and_labels_are_not_part_of_the_name(self, byline, authors):
        from crawler.extract._byline import split_authors

        assert split_authors(byline) == authors

    @pytest.mark.parametrize(("byline", "authors"), [
        # the outlet (or the city) credited beside the person is not an author
        ("Victor Tangermann, Futurism", ["Victor Tangermann"]),
        ("Finian Cunningham. Sputnik International", ["Finian Cunningham"]),
        ("Rajeev Dhir, NJ Advance Media", ["Rajeev Dhir"]),
        ("Markus Balser, Berlin", ["Markus Balser"]),
        # a byline naming no person keeps its organisation; names without case stay
        ("Futurism", ["Futurism"]),
        ("NJ Advance Media", ["NJ Advance Media"]),
        ("中沢克二, 山田太郎", ["中沢克二", "山田太郎"]),
        # an agency is left for drop_agency_credits, which sees the whole byline
        ("Ana Ruiz, Reuters", ["Ana Ruiz", "Reuters"]),
    ])
    def test_an_outlet_beside_a_person_is_not_an_author(self, byline, authors):
        from crawler.extract._byline import split_authors

        assert split_authors(byline) == authors

    @pytest.mark.parametrize("text", ["Von der Leyen", "De Niro", "Von Montag an gilt",
                                      "Von Berlin, Hamburg und München aus"])
    def test_not_bylines(self, text):
        from crawler.extract._byline import is_byline

        assert not is_byline(text)

    def test_byline_links_not_repeated(self):
        links = ('<a href="/autor/am/" rel="author">Anna Müller</a> und '
                 '<a href="/autor/jw/" rel="author">Jörg Weiß</a>')
        body = prose("Der Bauausschuss hat am Montagabend den letzten Auftrag vergeben")
        html = (f'<html lang="de"><body><article><h1>Brücke</h1><span class="byline">Von {links}'
                f"</span>{body}</article></body></html>")
        result = extract_article(html, "https://bote.example/lokales/bruecke/")
        assert result is not None
        assert result["authors"] == ["Anna Müller", "Jörg Weiß"]

    def test_plain_text_byline_after_a_dateline(self):
        body = prose("Das Bürgerbüro im Rathaus ändert ab dem ersten Juli seine Öffnungszeiten")
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


def test_the_byline_nearest_the_headline_is_the_storys():
    # a menu's and a rail's teasers are signed with the story's byline markup
    def teasers(names):
        return "".join(f'<li><a href="/t/{n}">Teaser story by {n}</a>'
                       f'<p class="byline">By {n}</p></li>' for n in names)

    filler = "".join(f"<p>{PARAGRAPH}</p>" for _ in range(12))
    page = ("<html><head><title>Council passes budget</title></head><body>"
            f"<nav><ul>{teasers(['Ann Menu', 'Bob Menu'])}</ul></nav>"
            "<div>" + "<span>x</span>" * 30 + "</div>"
            "<article><h1>Council passes budget</h1>"
            '<p class="byline">By <a rel="author" href="/by/cara">Cara Story</a> and '
            '<a rel="author" href="/by/dan">Dan Story</a></p>'
            f"{filler}</article>"
            "<div>" + "<span>x</span>" * 30 + "</div>"
            f"<aside><ul>{teasers(['Eve Rail', 'Fay Rail'])}</ul></aside></body></html>")
    assert _authors(page, "https://n.example/2024/05/01/budget") == ["Cara Story", "Dan Story"]


@pytest.mark.parametrize(("byline", "authors"), [
    # a dateline's month run into the name, and a dateline alone where a name should be
    ("Cindy Mangomini December", ["Cindy Mangomini"]),
    ("Wednesday January", []),
    # the byline's buttons read as its text
    ("View Comments", []),
    ("Follow", []),
    ("3 Comments", []),
    ("Biography", []),
    ("WEBSITE", []),
    # an empty field's label
    ("Name", []),
    ("Autor", []),
    # month words that are names stay
    ("Theresa May", ["Theresa May"]),
    ("April Ryan", ["April Ryan"]),
])
def test_date_words_and_buttons_are_not_names(byline, authors):
    from crawler.extract._byline import split_authors

    assert split_authors(byline) == authors


def test_a_plain_text_byline_in_an_area_that_holds_the_headline_is_the_storys():
    # a template that wraps the whole article in id="sidebar"; the byline is plain text
    story = ("<div id='sidebar'><h1>Council passes budget</h1><p>By Mary Okafor</p>"
             f"<p>{PARAGRAPH}</p><p>{PARAGRAPH}</p></div>")
    page = f"<html><head><title>Council passes budget</title></head><body>{story}</body></html>"
    assert _authors(page, "https://n.example/2024/05/01/budget") == ["Mary Okafor"]
    # the same byline in a sidebar beside the story signs another story
    aside = "<div class='sidebar'><p>By Ann Rail</p></div>"
    page = (f"<html><head><title>Council passes budget</title></head><body><article>"
            f"<h1>Council passes budget</h1><p>{PARAGRAPH}</p><p>{PARAGRAPH}</p></article>"
            f"{aside}</body></html>")
    result = extract_article(page, "https://n.example/2024/05/01/budget")
    assert result is not None
    assert "Ann Rail" not in result["authors"]


# Written for these tests: a Chinese story's paragraph (long enough to be the body)
STORY_ZH = ("市政府今天召开新闻发布会，宣布将在明年春天前完成老城区的道路改造工程。"
            "负责人表示，工程将分三期进行，第一期预计在三月底前完工，"
            "届时沿线的公交线路也会调整。") * 3


def _chinese_page(byline: str = "", lead: str = "", head: str = "",
                  title: str = "老城区道路改造明年完成") -> str:
    return (f"<html><head><title>{title}</title>{head}</head><body><article>"
            f"<h1>老城区道路改造明年完成</h1>{byline}<p>{lead}{STORY_ZH}</p><p>{STORY_ZH}</p>"
            "</article></body></html>")


class TestChineseBylines:
    @pytest.mark.parametrize(("byline", "authors"), [
        # a label before the names; a reporter's outlet and role before the names go
        ('<div class="info">2019-09-26 12:11 作者：李明 王芳</div>', ["李明", "王芳"]),
        ("<div>采写：南都见习记者 林晓</div>", ["林晓"]),
        ("<div>执笔/叨叨、胡一刀&amp;李小飞</div>", ["叨叨", "胡一刀", "李小飞"]),
        ('<div class="bar">1164次阅读| 0 条评论| 作者魏星</div>', ["魏星"]),
        # the next label ends the names: the editor is not an author
        ("<div>出处：快科技 作者：宪瑞 编辑：张三 人气：5380</div>", ["宪瑞"]),
        # prose that opens with "记者" (the reporter learned) is no credit
        ("<div>记者了解到，今年的计划已经完成。</div>", []),
    ])
    def test_a_credit_line_names_the_authors(self, byline, authors):
        result = extract_article(_chinese_page(byline), "https://news.example.cn/a/1.html")
        assert result is not None
        assert result["authors"] == authors

    @pytest.mark.parametrize(("lead", "authors"), [
        ("新华社北京3月5日电（记者张华）", ["张华"]),
        ("本报讯（记者 李强 整合）", ["李强"]),
        ("【文/本报专栏作者 王文】", ["王文"]),
    ])
    def test_the_bracketed_reporter_after_the_leads_dateline(self, lead, authors):
        result = extract_article(_chinese_page(lead=lead), "https://news.example.cn/a/1.html")
        assert result is not None
        assert result["authors"] == authors

    def test_an_outlet_printed_as_the_source_is_no_author(self):
        # a meta tag naming the outlet that the page prints as its source, then the credit
        head = '<meta name="author" content="东方日报">'
        byline = "<div>2019-09-26 来源：东方日报作者：张伟</div>"
        result = extract_article(_chinese_page(byline, head=head),
                                 "https://news.example.cn/a/1.html")
        assert result is not None
        assert result["authors"] == ["张伟"]
        # the site's name in the <title>, or the start of it, names no author either
        for outlet in ("环球日报", "环球"):
            head = f'<meta name="author" content="{outlet}">'
            result = extract_article(_chinese_page(head=head, title="道路改造_环球日报网"),
                                     "https://news.example.cn/a/1.html")
            assert result is not None
            assert result["authors"] == []

    @pytest.mark.parametrize(("byline", "authors"), [
        # a label, a date's or an editor's line where the name should be
        ('<p class="show_author">责任编辑：赵六</p>', []),
        ('<div class="author-info"><p class="publish-time">发布于 2019-09-26 07:19</p></div>',
         []),
        # a name and its role, set apart by a space
        ('<span class="author">王文 某某大学重阳金融研究院执行院长</span>', ["王文"]),
        ('<span class="author">홍길동 나무 칼럼니스트</span>', ["홍길동"]),
    ])
    def test_labels_are_no_names_and_roles_go(self, byline, authors):
        result = extract_article(_chinese_page(byline), "https://news.example.cn/a/1.html")
        assert result is not None
        assert result["authors"] == authors
