"""Stand-in pages (crawler.extract.standin): challenges, consent walls and login forms
are told apart from articles, including articles that talk about them."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from crawler.discovery.pagekind import PageKind
from crawler.extract.article import parse_html
from crawler.extract.pageanalysis import analyse_page
from crawler.extract.standin import (
    CHALLENGE,
    CONSENT,
    LOGIN,
    SameAnswers,
    header_standin,
    same_answer_key,
)

PAGES = Path(__file__).parent / "pages"
STANDINS = PAGES / "standins"
AEB = Path(__file__).resolve().parents[2] / "shared" / "aeb" / "html"
URL = "https://news.example/2024/05/02/council-harbour-levy/"


def analysed(path: Path, url: str = URL):
    raw = path.read_bytes()
    if path.suffix == ".gz":
        raw = gzip.decompress(raw)
    analysis = analyse_page(raw.decode("utf-8", "replace"), url)
    assert analysis is not None
    return analysis


class TestStandInPages:
    @pytest.mark.parametrize(("name", "kind", "sign"), [
        ("cloudflare_managed.html", CHALLENGE, "cloudflare"),
        ("datadome_captcha.html", CHALLENGE, "datadome"),
        ("perimeterx_hold.html", CHALLENGE, "perimeterx"),
        ("akamai_denied.html", CHALLENGE, "akamai"),
        ("imperva_incident.html", CHALLENGE, "imperva"),
        ("sucuri_firewall.html", CHALLENGE, "sucuri"),
        ("turnstile_check.html", CHALLENGE, "captcha form"),
        ("consent_interstitial.html", CONSENT, "consent host"),
        ("consent_privacy_notice.html", CONSENT, "consent wall"),
        ("login_wall.html", LOGIN, "password field"),
    ])
    def test_is_a_stand_in_of_its_kind(self, name, kind, sign):
        analysis = analysed(STANDINS / name)
        assert analysis.standin is not None
        assert (analysis.standin.kind, analysis.standin.sign) == (kind, sign)
        # nothing else is read from it: no article, no links to follow
        assert analysis.article is None and analysis.anchors == [] and analysis.feeds == []

    def test_consent_page_on_a_consent_host(self):
        html = "<html><body><p>Choose how we use your data.</p><button>OK</button></body></html>"
        analysis = analyse_page(html, "https://consent.media.example/?continue=/story/")
        assert analysis is not None and analysis.standin is not None
        assert analysis.standin.kind == CONSENT


class TestArticlesAreNotStandIns:
    def test_paywalled_article_with_a_login_form_is_an_article(self):
        analysis = analysed(STANDINS / "paywalled_teaser.html")
        assert analysis.standin is None
        assert analysis.kind is PageKind.ARTICLE
        assert analysis.article is not None
        assert "levy of two euros" in analysis.article["text"]
        assert analysis.article["paywalled"] is True  # the record says it is the public part

    def test_a_free_article_is_not_marked_paywalled(self):
        analysis = analysed(PAGES / "wordpress_post.html")
        assert analysis.article is not None and analysis.article["paywalled"] is False

    def test_article_quoting_challenge_markers_is_an_article(self):
        analysis = analysed(STANDINS / "article_about_bot_walls.html",
                            "https://news.example/2024/04/18/why-the-web-asks/")
        assert analysis.standin is None
        assert analysis.kind is PageKind.ARTICLE

    def test_a_long_page_mentioning_captchas_and_cookies_is_not_blocked(self):
        body = "".join(f"<p>Paragraph {i} on how captcha puzzles and cookies work, and "
                       "why readers accept cookies or solve a captcha every day.</p>"
                       for i in range(40))
        html = f"<html><head><title>Captchas</title></head><body>{body}</body></html>"
        analysis = analyse_page(html, URL)
        assert analysis is not None and analysis.standin is None

    def test_project_pages_are_not_stand_ins(self):
        pages = [p for p in PAGES.rglob("*.html") if p.parent != STANDINS]
        assert len(pages) >= 20
        blocked = [p.name for p in pages if analysed(p).standin is not None]
        assert blocked == []

    def test_benchmark_news_pages_are_not_stand_ins(self):
        if not AEB.is_dir():
            pytest.skip(f"the extraction benchmark is not at {AEB}")
        pages = sorted(AEB.glob("*.html.gz"))
        assert len(pages) == 181
        blocked = [p.name for p in pages if analysed(p).standin is not None]
        assert blocked == []


class TestHeaders:
    def test_cloudflare_says_it_in_a_header(self):
        verdict = header_standin(403, {"cf-mitigated": "challenge", "server": "cloudflare"})
        assert verdict is not None and verdict.kind == CHALLENGE

    def test_datadome_header_on_a_403(self):
        assert header_standin(403, {"x-datadome": "protected"}) is not None
        assert header_standin(200, {"x-datadome": "protected"}) is None  # a served page

    def test_ordinary_headers_say_nothing(self):
        assert header_standin(403, {"server": "cloudflare", "cf-ray": "88a1b2c3"}) is None


class TestSameAnswers:
    WALL = ("<html><body><p>Please wait while we check your request to {host}.</p>"
            "<p>Request {n}</p></body></html>")

    def key(self, url: str, n: int) -> str | None:
        host = url.split("/")[2]
        tree = parse_html(self.WALL.format(host=host, n=n))
        assert tree is not None
        return same_answer_key(tree, url)

    def test_three_hosts_answering_alike_are_a_wall(self):
        answers = SameAnswers()
        urls = ["https://a.example/1/", "https://b.example/2/", "https://c.example/3/"]
        keys = [self.key(url, n) for n, url in enumerate(urls)]
        assert len(set(keys)) == 1 and keys[0] is not None  # host and numbers left out
        assert [answers.answered(k, u) for k, u in zip(keys, urls, strict=True)] == \
            [False, False, True]

    def test_one_host_answering_alike_is_not(self):
        answers = SameAnswers()
        urls = [f"https://a.example/{n}/" for n in range(5)]
        assert not any(answers.answered(self.key(u, n), u) for n, u in enumerate(urls))

    def test_a_page_with_links_or_text_has_no_key(self):
        links = "".join(f'<a href="/s/{i}">Story {i}</a>' for i in range(5))
        tree = parse_html(f"<html><body><p>Latest</p>{links}</body></html>")
        assert tree is not None and same_answer_key(tree, URL) is None
        long = parse_html("<html><body>" + "<p>" + "word " * 400 + "</p></body></html>")
        assert long is not None and same_answer_key(long, URL) is None
