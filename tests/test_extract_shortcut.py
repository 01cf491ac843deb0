"""trafilatura's readability comparison, skipped only where it cannot change the result
(crawler/extract/_comparison_shortcut.py).

The outputs must be the same, bit for bit, with the shortcut and without it, over the
committed real pages and the benchmark's light pages; and the shortcut must hold on
to trafilatura's private name it wraps, so an upgrade that moves it fails here.
"""

from __future__ import annotations

import gzip
import inspect
import json
from pathlib import Path

import pytest
import trafilatura
from lxml import html as lxml_html
from trafilatura import core as trafilatura_core

from bench._metadata import labelled_pages
from bench._throughput.lightsite import build_light_site, light_article_paths
from crawler.extract import _comparison_shortcut as shortcut
from crawler.extract import extract_article

AEB_HTML = Path(__file__).resolve().parents[2] / "shared" / "aeb" / "html"


def _pages() -> list[tuple[str, str]]:
    pages = [(page.html, page.url) for page in labelled_pages(("publishers",))]
    site = build_light_site(60)
    pages += [(site[path].body, f"https://light.example{path}")
              for path in light_article_paths(site)]
    for path in sorted(AEB_HTML.glob("*.html.gz"))[:60]:
        html = gzip.decompress(path.read_bytes()).decode("utf-8", "replace")
        pages.append((html, "https://aeb.example/story"))
    return pages


def _outputs(pages: list[tuple[str, str]]) -> list[str]:
    return [json.dumps(extract_article(html, url), sort_keys=True, default=str)
            for html, url in pages]


def test_outputs_are_the_same_with_and_without_the_shortcut(monkeypatch):
    if not AEB_HTML.is_dir():
        pytest.fail(f"no benchmark pages at {AEB_HTML}: check out the shared directory")
    pages = _pages()
    decisions: list[bool] = []
    decide = shortcut._cannot_change

    def counted(*args):
        decisions.append(decide(*args))
        return decisions[-1]

    monkeypatch.setattr(shortcut, "_cannot_change", counted)
    with_shortcut = _outputs(pages)
    monkeypatch.setattr(shortcut, "_cannot_change", lambda *args: False)
    without = _outputs(pages)

    assert with_shortcut == without
    # not vacuous: most light pages skip, some real pages do not
    assert sum(decisions) >= 60
    assert not all(decisions)


def test_trafilatura_still_calls_the_name_it_wraps():
    # a private name: an upgrade that renames or inlines it must fail here, not
    # quietly run readability everywhere again
    assert trafilatura_core.compare_extraction is shortcut._compare_extraction
    assert "compare_extraction(" in inspect.getsource(trafilatura_core._extract_and_compare)


def test_trafilatura_called_directly_compares_as_before(monkeypatch):
    calls: list[str] = []
    original = shortcut._original

    def spy(*args):
        calls.append("compared")
        return original(*args)

    monkeypatch.setattr(shortcut, "_original", spy)
    site = build_light_site(3)
    path = light_article_paths(site)[0]
    page = site[path].body
    page = page.decode() if isinstance(page, bytes) else page
    trafilatura.bare_extraction(page, favor_precision=True)
    assert calls == ["compared"]  # the benchmarks' baseline is plain trafilatura
    calls.clear()
    with shortcut.own_extraction():
        trafilatura.bare_extraction(page, favor_precision=True)
    assert calls == []  # a light article: readability could not change it


class _Options:
    focus = "precision"
    min_extracted_size = 250


def _body(inner: str):
    # trafilatura's result is a <body> element holding the kept blocks
    return lxml_html.document_fromstring(f"<html><body>{inner}</body></html>").body


@pytest.mark.parametrize(("inner", "text", "page_words", "skips"), [
    # long own text, most of the page: readability cannot be twice as long
    ("<p>{t}</p>", "word " * 100, 150, True),
    # the page holds far more text than the own extraction: readability may win
    ("<p>{t}</p>", "word " * 100, 400, False),
    # short: jusText is asked
    ("<p>{t}</p>", "word " * 20, 25, False),
    # unclean (a figure kept): jusText is asked
    ("<p>{t}</p><figure>x</figure>", "word " * 100, 150, False),
    # no paragraph text, or more tables than paragraphs: readability may win on that
    ("<div>{t}</div>", "word " * 100, 150, False),
    ("<p>{t}</p><table></table><table></table>", "word " * 100, 150, False),
])
def test_when_the_comparison_is_skipped(inner, text, page_words, skips):
    body = _body(inner.format(t=text))
    raw = lxml_html.fromstring("<html><body><p>" + "word " * page_words + "</p>"
                               "<script>var a = 'word word word word';</script></body></html>")
    assert shortcut._cannot_change(raw, body, text.strip(), _Options()) is skips


def test_recall_mode_is_left_to_trafilatura():
    options = _Options()
    options.focus = "recall"
    body = _body("<p>" + "word " * 100 + "</p>")
    raw = lxml_html.fromstring("<html><body><p>" + "word " * 100 + "</p></body></html>")
    assert not shortcut._cannot_change(raw, body, ("word " * 100).strip(), options)
