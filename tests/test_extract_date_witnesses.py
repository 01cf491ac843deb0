"""Which witness of an article's date the extractor believes when they disagree.

Found on the tuning split of the metadata benchmark (bench/extract_metadata.py): a
print edition's day in the URL, an Instagram post embedded in the story, a story
declared only in microdata, and markup written with ``value=`` where ``content=``
belongs.
"""

from __future__ import annotations

import pytest
from lxml import html as lxml_html

from crawler.extract import extract_article
from crawler.extract.metadata import meta_tags
from crawler.extract.microdata import declares_one_article

PARAGRAPH = ("The council approved the new budget after a long debate about school "
             "repairs and the bus network, officials said on Tuesday. ") * 3


def _story(head: str = "", before_body: str = "", body_extra: str = "",
           article_attrs: str = "") -> str:
    return (f"<html><head><title>Council passes budget</title>{head}</head><body>"
            f"<article {article_attrs}><h1>Council passes budget</h1>{before_body}"
            f"<p>{PARAGRAPH}</p>{body_extra}<p>{PARAGRAPH}</p></article></body></html>")


def test_markup_and_printed_dateline_agreeing_outweigh_the_urls_day():
    # a newspaper's URL carries the print edition's day, the morning after the web story
    head = '<meta property="article:published_time" content="2016-09-19T07:46:01-04:00">'
    page = _story(head, "<p>Sept. 19, 2016</p>")
    result = extract_article(page, "https://n.example/2016/09/20/nyregion/budget.html")
    assert result is not None
    assert result["published"] == "2016-09-19T07:46:01-04:00"


def test_the_urls_day_still_wins_over_markup_alone():
    # republished: the markup was rewritten, the URL was not (and no dateline says otherwise)
    head = '<meta property="article:published_time" content="2018-03-02T10:00:00+01:00">'
    result = extract_article(_story(head), "https://n.example/2016/09/20/budget.html")
    assert result is not None
    assert result["published"] == "2016-09-20"


def test_an_embedded_instagram_posts_time_is_not_the_storys_date():
    embed = ('<blockquote class="instagram-media"><div><p>A photo posted by Someone '
             '<time datetime="2016-12-05T17:10:10+00:00">Dec 5, 2016 at 9:10am PST</time>'
             "</p></div></blockquote>")
    page = _story(before_body="<p>December 7, 2016 @ 3:53 PM</p>", body_extra=embed)
    result = extract_article(page, "https://n.example/celebrity/story-w454419")
    assert result is not None
    assert result["published"] == "2016-12-07"


def test_meta_value_attribute_and_both_of_its_names_are_read():
    tree = lxml_html.fromstring(
        '<html><head><meta itemprop="datePublished" name="article:published" '
        'value="2016-09-19T07:46:01-04:00"><meta name="x" content=" ">'
        # a social card in value= was never read by the networks: not its title either
        '<meta name="og:title" value="SEO title"><meta name="twitter:title" value="T">'
        '<meta property="og:description" content="Read by the networks"></head></html>')
    metas = meta_tags(tree)
    assert metas["datepublished"] == ["2016-09-19T07:46:01-04:00"]
    assert metas["article:published"] == ["2016-09-19T07:46:01-04:00"]
    assert "x" not in metas
    assert "og:title" not in metas and "twitter:title" not in metas
    assert metas["og:description"] == ["Read by the networks"]


def test_a_story_declared_in_microdata_is_taken_at_its_word():
    # without the declaration, the "More video" teasers inside the body make it look
    # like a listing; itemtype NewsArticle says it is one story
    teasers = "".join(
        f'<div><h3><a href="/video/{n}">Video {n}</a></h3><p>In video number {n} the '
        f"presenters walk through another house on the market this week and talk to its "
        f"owners about the garden, the kitchen and the view over the valley.</p></div>"
        for n in range(8))
    page = (f"<html><head><title>Tour a house</title></head><body>"
            f'<div itemscope itemtype="http://schema.org/NewsArticle"><h1>Tour a house</h1>'
            f"<p>The actress's former house in the desert is for sale.</p>{teasers}</div>"
            "</body></html>")
    result = extract_article(page, "https://n.example/home/tour-a-house-t106323")
    assert result is not None


def test_microdata_declares_one_article_only_once_and_outside_lists():
    def declares(body: str) -> bool:
        return declares_one_article(lxml_html.fromstring(f"<html><body>{body}</body></html>"))

    one = '<div itemscope itemtype="https://schema.org/BlogPosting"></div>'
    assert declares(one)
    assert declares('<div itemscope itemtype="http://schema.org/NewsArticle '
                    'http://schema.org/Thing"></div>')
    assert not declares(one * 2)  # a section page's teasers
    assert not declares(f'<ul itemscope itemtype="http://schema.org/ItemList">{one}</ul>')
    assert not declares('<div itemscope itemtype="http://schema.org/WebPage"></div>')
    assert not declares('<div itemtype="http://schema.org/NewsArticle"></div>')  # no scope


def _popular_posts(day: str) -> str:
    # a WordPress theme's "popular posts" widget, built of <div>s rather than an <aside>
    return ('<div class="sidebar"><div class="widget category_posts"><h3>Popular</h3>'
            f'<div><a href="/another-story/">Another story</a><div>{day}</div></div>'
            "</div></div>")


def test_a_sidebar_widgets_date_is_another_storys():
    from crawler.extract.dateline import visible_dates

    page = (f"<html><body><div class='main'><div class='post'><h2>Council passes budget</h2>"
            f"<p>{PARAGRAPH}</p></div>{_popular_posts('14/06/2019')}</div></body></html>")
    assert visible_dates(lxml_html.fromstring(page), "Council passes budget") == (None, None)


def test_an_area_that_holds_the_headline_is_the_storys_own_whatever_its_class():
    from crawler.extract.dateline import visible_dates

    # a template that wraps the whole article in id="sidebar"
    page = ("<html><body><article><div id='sidebar'><header><h1>Council passes budget</h1>"
            "<span class='byline'>By Ana Ruiz <time>Sa 13 Jul 2019</time></span></header>"
            f"<p>{PARAGRAPH}</p></div></article>{_popular_posts('14/06/2019')}"
            "</body></html>")
    tree = lxml_html.fromstring(page)
    assert visible_dates(tree, "Council passes budget") == ("2019-07-13", None)


@pytest.mark.parametrize(("time", "published"), [
    # the attribute days away from the day the element itself prints: the printed day
    ('<time datetime="2019-07-03T10:18:46Z">Publié le 29 juin 2019</time>', "2019-06-29"),
    # a day apart is a time zone's: the attribute stands (its zone is settled elsewhere)
    ('<time datetime="2019-06-30T10:18:46+02:00">29 juin 2019</time>',
     "2019-06-30T10:18:46+02:00"),
    # text that is no dateline ("Mis à jour ...", a time alone) says nothing of the day
    ('<time datetime="2019-07-03T10:18:46Z">Mis à jour le 9 juillet 2019</time>',
     "2019-07-03T10:18:46+00:00"),
    ('<time datetime="2019-07-03T10:18:46Z">10h18</time>', "2019-07-03T10:18:46+00:00"),
])
def test_a_time_elements_printed_day_outweighs_its_attribute_days_away(time, published):
    result = extract_article(_story(before_body=f"<p>{time}</p>"),
                             "https://n.example/quand-on-comprend-12355")
    assert result is not None
    assert result["published"] == published


@pytest.mark.parametrize(("href", "published"), [
    ("#", "2017-05-03"),  # a blog theme's post date, a link to the page itself
    ("/2017/05/", None),  # an archive link: navigation, not a dateline
    ("#c5689936", None),  # a comment's permalink
])
def test_a_date_linked_to_nowhere_but_the_page_is_the_posts_own(href, published):
    from crawler.extract.dateline import visible_dates

    filler = "".join(f"<p>{PARAGRAPH}</p>" for _ in range(12))  # past the headline's links
    page = ("<html><body><div class='post'><h1>Strong and beautiful</h1>"
            f"{filler}<div class='blog_links'><a href='{href}' rel='bookmark'>Mai 03, 2017</a>"
            "</div></div></body></html>")
    assert visible_dates(lxml_html.fromstring(page), "Strong and beautiful")[0] == published


def test_an_h3_the_title_confirms_is_the_headline_and_heads_the_dateline():
    # an old theme: the blog's name in the <h1>, widget titles in <h2>s, the post in an
    # <h3>; the <title> joins headline and site with WordPress's " ‹ "
    widget = ("<div id='footer'><h2>Our magazine</h2><p>Read it.</p>"
              "<h2>Latest news</h2><ul><li><a href='/a/'>Another story</a>"
              "<span>09/09/2019</span></li></ul></div>")
    page = ("<html><head><title>Poacher convicted ‹ Wildlife Project</title></head><body>"
            "<h1>The Blog</h1><div class='post'><h3><a href='/poacher/'>Poacher convicted</a>"
            f"</h3><div class='post_detail'>27 Sep 2016</div><p>{PARAGRAPH}</p>"
            f"<p>{PARAGRAPH}</p></div>{widget}</body></html>")
    result = extract_article(page, "https://n.example/poacher-convicted/")
    assert result is not None
    assert (result["title"], result["published"]) == ("Poacher convicted", "2016-09-27")


@pytest.mark.parametrize("separator", ["‹", "«", "›", "»", "|"])
def test_wordpress_title_separators_set_off_the_sites_name(separator):
    from crawler.extract._headline import strip_site_affix

    assert strip_site_affix(f"Poacher convicted {separator} Wildlife Project",
                            "Wildlife Project") == "Poacher convicted"


_PHP_WARNING = ("<br />\n<b>Warning</b>:  Use of undefined constant XMLRPC_REQUEST - assumed "
                "'XMLRPC_REQUEST' in <b>/htdocs/wp-content/languages/de_DE.php</b> on line "
                "<b>9</b><br />\n")


def test_php_warnings_before_the_document_leave_it_a_document():
    from crawler.extract.article import parse_html

    page = (f"{_PHP_WARNING}<!DOCTYPE html><html><head><title>T</title></head><body>"
            "<h1>Headline</h1></body></html>")
    tree = parse_html(page)
    assert tree.tag == "html" and tree.find("body/h1").text == "Headline"
    assert "Warning" not in tree.text_content()
    # debris that is not a server's warning is the page's, as trafilatura reads it
    assert parse_html("<p>Hello</p><html><body><h1>H</h1></body></html>") is not None


@pytest.mark.parametrize(("foot", "published"), [
    # a blog theme's "posted on" sentence at the foot of the post, however long, indented
    ("\n\t\t\t\t\t\tDieser Beitrag wurde am Samstag, 3. Dezember 2011 um 10:04 Uhr "
     "veröffentlicht und unter <a href='/c/'>Cybercrime</a> gespeichert.", "2011-12-03"),
    ("This entry was posted on Saturday, December 3rd, 2011 at 10:04 am and is filed "
     "under <a href='/c/'>Cybercrime</a>.", "2011-12-03"),
    # without the verb, a sentence that mentions a date is no dateline
    ("The ministry had announced the new rules on Saturday, December 3rd, 2011 in "
     "<a href='/c/'>Berlin</a>.", None),
])
def test_a_posted_on_sentence_is_a_dateline(foot, published):
    from crawler.extract.dateline import visible_dates

    page = (f"<html><body><div class='post'><h1>Kein Cyberterrorismus</h1><p>{PARAGRAPH}</p>"
            f"<p class='postmetadata'><small>{foot}</small></p></div></body></html>")
    assert visible_dates(lxml_html.fromstring(page), "Kein Cyberterrorismus")[0] == published


# Pages with no JSON-LD or date meta tags: the date is read from the story's own markup
# and text, never from the listings beside it (found by stripping the tuning pages'
# markup and comparing with the libraries).

def _cards(*days: str) -> str:
    # a "more stories" slider of cards, each with its own <time> in a <footer>
    return "".join(f'<article class="c-card"><a href="/s/{n}">Other story {n}</a>'
                   f'<footer class="c-card__info"><time datetime="{day}T15:20:02-04:00">'
                   f"{day}</time></footer></article>" for n, day in enumerate(days))


def _published(body: str, title: str = "Council passes budget") -> str:
    """The published date of a page of ``body``, with no JSON-LD or date meta tags."""
    page = f"<html><head><title>{title}</title></head><body>{body}</body></html>"
    result = extract_article(page, "https://n.example/council-budget")
    assert result is not None
    return result["published"]


STORY = f"<p>{PARAGRAPH}</p><p>{PARAGRAPH}</p>"
BLOG_TITLE = "The budget debate » Council Blog"


def test_a_column_beside_the_text_inside_the_storys_article_is_the_storys():
    assert _published(
        "<article class='c-article'><h1>Council passes budget</h1>"
        "<div class='o-col c-sidebar c-article__info'><span>Author:</span><a>Ana Ruiz</a>"
        f"<time datetime='2019-07-30T13:16:29-04:00'>July 30, 2019</time></div>{STORY}"
        f"</article><div class='c-post-list-slider'>{_cards('2019-08-21', '2019-08-20')}</div>"
    )[:10] == "2019-07-30"


def test_a_post_footer_beside_the_headline_dates_the_post():
    assert _published(
        "<div class='post single'><h2 class='post-title'>Council passes budget</h2>"
        "<h6 class='post-footer'><a class='post-date'>September 11, 2019</a></h6>"
        f"{STORY}</div><div class='latest'><p>Another story</p><p>November 3, 2019</p></div>"
    ) == "2019-09-11"


def test_an_aside_in_the_storys_header_holds_its_date():
    assert _published(
        "<header><h1>BLOG: Council Matters</h1></header>"
        "<ul><li><a href='/older'>An older post</a> <span>2. April 2019</span></li></ul>"
        "<article><header class='entry-header'><h1>Why the budget debate matters</h1>"
        "<aside class='entry-details'><ul><li><a href='/p'>8. April 2019</a></li>"
        f"<li>Von <a>Ana Ruiz</a></li></ul></aside></header>{STORY}</article>",
        BLOG_TITLE) == "2019-04-08"


def test_the_heading_that_shares_the_titles_words_is_the_storys():
    from crawler.extract._headline import story_headline

    # a blog's masthead <h1> first, and a <title> that words the story for search engines
    page = (f"<html><head><title>{BLOG_TITLE}</title></head><body>"
            "<h1>BLOG: Council Matters</h1><h1>Why the budget debate matters</h1>"
            f"{STORY}</body></html>")
    headline = story_headline(lxml_html.fromstring(page), BLOG_TITLE)
    assert headline is not None and headline.text_content() == "Why the budget debate matters"


def _dated(markup_day: str, printed: str, url: str) -> str | None:
    jsonld = ('<script type="application/ld+json">{"@type": "BlogPosting", '
              f'"headline": "Council passes budget", "dateModified": "{markup_day}", '
              f'"datePublished": "{markup_day}"}}</script>')
    page = (f"<html><head><title>Council passes budget</title>{jsonld}</head><body>"
            f"<article><h1>Council passes budget</h1><p class='meta'>{printed}</p>"
            f"{STORY}</article></body></html>")
    result = extract_article(page, url)
    assert result is not None
    return result["published"]


@pytest.mark.parametrize(("printed", "url", "published"), [
    # days apart: the reader's day, not the CMS's (an edit, a re-import)
    ("February 1, 2019", "https://n.example/council-budget", "2019-02-01"),
    # unless the URL names the markup's day: two witnesses against one
    ("February 1, 2019", "https://n.example/2018/01/29/council-budget",
     "2018-01-29T13:12:59-08:00"),
    # a day apart is a time zone's, and the markup's instant stands in its zone
    ("January 30, 2018", "https://n.example/council-budget", "2018-01-29T13:12:59-08:00"),
])
def test_the_printed_dateline_outweighs_markup_days_away(printed, url, published):
    assert _dated("2018-01-29T13:12:59-08:00", printed, url) == published


def test_a_teasers_linked_time_far_below_is_another_storys():
    teasers = "".join(f"<li><a href='/s/{n}'><p>Another story {n} about the town</p>"
                      f"<time>1{n}.06.2018</time></a></li>" for n in range(4))
    filler = "".join(f"<p>{PARAGRAPH}</p>" for _ in range(14))
    jsonld = ('<script type="application/ld+json">{"@type": "NewsArticle", '
              '"headline": "Council passes budget", '
              '"datePublished": "2016-03-08T15:30:55+00:00"}</script>')
    page = (f"<html><head><title>Council passes budget</title>{jsonld}</head><body>"
            f"<article><h1>Council passes budget</h1>{filler}</article>"
            f"<ul class='teaser-list'>{teasers}</ul></body></html>")
    result = extract_article(page, "https://n.example/council-budget")
    assert result is not None
    assert result["published"] == "2016-03-08T15:30:55+00:00"


def _printed(body: str) -> str | None:
    from crawler.extract.dateline import visible_dates

    page = f"<html><head><title>Council passes budget</title></head><body>{body}</body></html>"
    return visible_dates(lxml_html.fromstring(page), "Council passes budget")[0]


def test_a_page_wrapped_whole_in_a_form_still_has_a_dateline():
    # ASP.NET wraps the whole page in one <form>: it holds the headline, so it is no form
    assert _printed("<form id='form1'><div class='article-heading'><h1>Council passes budget"
                    "</h1><div class='article-duration'><time>20 Nov 2019 08:00 GMT</time>"
                    f"</div></div>{STORY}</form>") == "2019-11-20"
    # a form beside the story is still a form
    assert _printed(f"<h1>Council passes budget</h1><form><p>20 Nov 2019</p></form>{STORY}"
                    ) is None


def test_a_footer_right_under_the_headline_is_the_storys_author_box():
    assert _printed("<div class='inner'><header><h1>Council passes budget</h1></header>"
                    "<footer class='article-author'><span>Telegraph Sport</span>"
                    f"<time>19 November 2019 • 1:16pm</time></footer>{STORY}</div>"
                    ) == "2019-11-19"
    # the page's footer, far below the story, is not
    filler = "".join(f"<p>Paragraph {n} of the story.</p>" for n in range(20))
    assert _printed(f"<div><h1>Council passes budget</h1>{filler}</div>"
                    "<footer><p>19 November 2019</p></footer>") is None


def test_a_kickers_dateline_just_above_the_headline_is_the_storys():
    # in the story's own <header>, and in the block that holds the headline
    assert _printed("<article><header><time>November 19, 2019 12:04AM ET</time>"
                    f"<h1>Council passes budget</h1></header>{STORY}</article>") == "2019-11-19"
    assert _printed("<div class='post'><div class='post-meta'>October 9, 2018 at 4:02 pm"
                    f"</div><h1>Council passes budget</h1>{STORY}</div>") == "2018-10-09"
    # a teaser list above the story, outside its block, dates other stories
    assert _printed("<div class='top'><ul><li>Another story</li><li>October 9, 2018</li>"
                    "</ul></div><div class='main'><div class='story'>"
                    f"<h1>Council passes budget</h1>{STORY}</div></div>") is None
    # nor does a masthead printing today's date right above the story's block
    assert _printed("<div id='wrapper'><div class='masthead'><p>Tuesday, November 19, 2019"
                    "</p></div><div class='content'><h1>Council passes budget</h1>"
                    f"{STORY}</div></div>") is None
