"""The article's language: declarations checked against the text (crawler/extract/language.py)."""

from __future__ import annotations

import pytest

from crawler.extract.article import extract_article
from crawler.extract.language import _identifier, choose_language, primary_subtag
from tests.extractpages import prose


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

    def test_compact_walk_gives_the_same_scores(self):
        # the worker's identifier walks compact arrays (language._compact_walk): the
        # same scores, to the last bit, as py3langid's own lists
        import numpy as np
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        from crawler.extract.language import _identifier

        stock = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        assert not isinstance(_identifier().tk_output, list)
        texts = ["Der Gemeinderat hat am Dienstag beschlossen, die Fähre fahren zu lassen.",
                 "Le conseil municipal a décidé mardi de prolonger le service du bac.",
                 "日本語の文章です。 Ελληνικά κείμενα. Русский текст. ", "", "\x00\xff"]
        for text in texts:
            assert np.array_equal(_identifier()._decide(text), stock._decide(text))


ENGLISH = ("The town is opening three cool rooms for older residents and anyone who finds the "
           "heat difficult, in the community hall, the library and the parish hall")


class TestLanguagePrecedence:
    def page(self, html_lang: str, jsonld: str = "", paragraphs: int = 4) -> str:
        script = f'<script type="application/ld+json">{jsonld}</script>' if jsonld else ""
        return (f'<html lang="{html_lang}"><head>{script}</head><body><article><h1>Heat</h1>'
                f"{prose(ENGLISH, paragraphs)}</article></body></html>")

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


# Written for these tests: a Chinese story with the Latin words such stories carry
CHINESE = ("阿里巴巴今天在杭州发布了一款新的AI芯片，公司表示这款芯片的性能相当于十块GPU。"
           "工程师们花了三年时间研发这款产品，它主要用于云端的图像识别和推理任务，峰值性能达到"
           "每秒7.8万张图片（IPS）。分析人士认为，这将改变国内芯片市场的竞争格局，NVIDIA和"
           "Intel的产品也会受到影响。") * 3


@pytest.mark.parametrize(("declared", "language"), [
    ("en-GB", "en"), ("zh-Hans-CN", "zh"), ("fil", "fil"), ("tl", "tl"),
    # ISO 639-2 codes and withdrawn ones, as CLDR's aliases name them
    ("eng", "en"), ("ger", "de"), ("iw", "he"),
    # charsets written where the language belongs, and the codes for "no language"
    ("utf-8", None), ("us-ascii", None), ("iso-8859-1", None), ("gbk", None),
    ("und", None), ("zxx", None), ("x-klingon", None), ("", None),
])
def test_a_declaration_names_a_language_or_nothing(declared, language):
    assert primary_subtag(declared) == language


def test_a_charset_declared_as_the_language_leaves_it_to_the_text():
    page = ('<html><head><meta http-equiv="Content-Language" content="utf-8"></head><body>'
            f"<article><h1>阿里发布AI芯片</h1><p>{CHINESE}</p></article></body></html>")
    result = extract_article(page, "https://news.example.cn/2019/09/25/chip.html")
    assert result is not None
    assert result["language"] == "zh"


class TestScripts:
    def test_a_latin_declaration_yields_to_a_text_in_han(self):
        # the Latin words keep the identifier below its near-certainty bar...
        assert _identifier().classify(CHINESE[:1000])[1] < 0.999
        # ...but the text is in a script English is not written in
        assert choose_language("en", CHINESE, by_article=False) == "zh"

    def test_a_language_written_in_the_texts_script_stands(self):
        # Japanese and Chinese share Han: a page declaring either keeps its declaration
        assert choose_language("ja", CHINESE, by_article=False) == "ja"
        serbian = ("Влада Србије усвојила је данас нови буџет за наредну годину, а министар "
                   "финансија рекао је да ће највише новца бити уложено у путеве и школе. ") * 4
        assert choose_language("sr", serbian, by_article=False) == "sr"
