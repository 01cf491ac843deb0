"""The language of an article: declared by the page, identified from the text, or both.

Declarations come in two strengths. JSON-LD ``inLanguage`` belongs to the
article itself, so it is taken at its word. ``<html lang>`` and the language
meta tags (``og:locale``, ``content-language``...) are written by the site's
template, and templates get them wrong: an English section hard-coding
``<html lang="de">``, a German blog on a theme that says ``lang="en-US"``
(several pages of the AEB benchmark do this). So a template declaration is
checked against the text, and yields when offline identification contradicts it
with near certainty on a sample long enough to be sure; otherwise it stands,
because on short or mixed texts the declaration is the better witness.

Identification is py3langid, whose model ships in the package: no network.
"""

from __future__ import annotations

import re
from array import array
from functools import lru_cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

__all__ = ["MIN_CHARS", "choose_language", "detect_language", "language_model", "primary_subtag"]

# Below this many characters the guess is too often wrong to be worth recording.
MIN_CHARS = 200
# A template declaration is overruled only on this much text and at this confidence
# (py3langid's length-calibrated probability). On the 181 AEB pages the four
# wrong template declarations are contradicted at 1.0, and no other page is contradicted.
_OVERRULE_CHARS = 400
_OVERRULE_CONFIDENCE = 0.999
# identification cost grows with the text; 1000 characters decide as well as the whole
# article and keep the check to a fraction of a millisecond, so it can run on every page
_SAMPLE_CHARS = 1000


# Scripts only some languages are written in. When most of a sample's letters are in
# one of them and the identifier names one of its languages, a template declaring a
# language not written in it ("en" on a Chinese story) is wrong, however unsure the
# identifier is among the script's languages: the Latin words mixed into such text
# ("AI", "GPU") keep its confidence below the bar that a Latin-script rival must pass.
_SCRIPTS = (
    # Han and kana together: Japanese mixes both
    (re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]"), {"zh", "ja", "yue", "wuu"}),
    (re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]"), {"ko"}),
    (re.compile(r"[\u0400-\u04ff]"), {"ru", "uk", "bg", "sr", "mk", "be", "kk", "ky", "mn",
                                      "tg", "tt", "ba", "uz", "az"}),
    (re.compile(r"[\u0600-\u06ff\u0750-\u077f]"), {"ar", "fa", "ur", "ps", "ku", "ug", "sd",
                                                    "ary", "arz", "sdh"}),
    (re.compile(r"[\u0370-\u03ff]"), {"el", "grc"}),
    (re.compile(r"[\u0590-\u05ff]"), {"he", "yi", "hbo"}),
    (re.compile(r"[\u0e00-\u0e7f]"), {"th"}),
)
_LETTER = re.compile(r"[^\W\d_]")


def _written_in(sample: str) -> set[str]:
    """The languages written in the script most of ``sample``'s letters are in, when that
    is one of :data:`_SCRIPTS`' (else the empty set)."""
    letters = len(_LETTER.findall(sample))
    for script, languages in _SCRIPTS:
        if 2 * len(script.findall(sample)) > letters:
            return languages
    return set()


# Languages so close in writing that telling them apart is the identifier's weak spot;
# between these the page's own declaration is trusted.
_CLOSE_GROUPS = ({"hr", "sr", "bs"}, {"no", "nn", "nb", "da"}, {"ms", "id"})
_NONE: frozenset[int] = frozenset()
_CLOSE = {code: frozenset({n}) for n, group in enumerate(_CLOSE_GROUPS) for code in group}


def language_model() -> None:
    """Load the identifier's model now (0.4 s, once per process) rather than on the
    first page that needs it."""
    _identifier()
    _cldr_languages()


@lru_cache(maxsize=1)
def _identifier() -> LanguageIdentifier:
    return _compact_walk(LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True))


def _compact_walk(identifier: LanguageIdentifier) -> LanguageIdentifier:
    """The same identifier, its byte walk's two small tables made compact arrays.

    py3langid walks its 39 MB automaton a byte at a time, looking up each state's
    row and feature in two Python lists of 104,583 ints: every step follows a
    pointer to an int object somewhere on the heap. Between pages the worker's other
    work evicts them all, so in a crawl worker the walk cost three times what it does
    in a loop (0.66 ms instead of 0.22 for 1,000 characters). As arrays (1.2 MB, same
    values, so the same answers) it costs 0.46 ms. py3langid is pinned
    (pyproject.toml); should a version name them otherwise, it is left as it is.
    """
    try:
        identifier._rowbase = array("q", identifier._rowbase)
        identifier.tk_output = array("i", identifier.tk_output)
    except (AttributeError, TypeError, OverflowError):
        pass
    return identifier


# ISO 639-1, the codes researchers filter on. A declaration's other two-letter words are
# no language: "us" (from "us-ascii"), a country code.
_ISO_639_1 = frozenset("""
    aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu
    cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi
    ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks
    ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl
    nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl
    sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve
    vi vo wa wo xh yi yo za zh zu""".split())


@lru_cache(maxsize=1)
def _cldr_languages() -> tuple[frozenset[str], dict[str, str]]:
    """CLDR's three-letter language codes ("fil", "haw", "yue") and its aliases ("eng" ->
    "en", withdrawn "iw" -> "he"), from Babel's locale data (installed with trafilatura,
    through courlan): a charset written where a language belongs ("utf-8", "iso-8859-1",
    "gbk") is in neither, so it is no language."""
    from babel.core import get_global
    from babel.localedata import locale_identifiers

    codes = frozenset(code for code in (name.split("_")[0] for name in locale_identifiers())
                      if len(code) == 3)
    aliases = {alias: target.split("_")[0]
               for alias, target in get_global("language_aliases").items()}
    return codes, aliases


def primary_subtag(value: str | None) -> str | None:
    """Primary language subtag, lower case ("en-GB", "en_US", "eng" -> "en"); None when it
    names no language (``content-language="utf-8"``, "und", "zxx").

    Researchers filter on the language, not the region, and pages disagree on
    regions ("en" vs "en-US") far more often than on languages.
    """
    primary = re.split(r"[-_]", value.strip())[0].lower() if value else ""
    if len(primary) not in (2, 3):
        return None
    if primary in _ISO_639_1:
        return primary
    three_letter, aliases = _cldr_languages()
    primary = aliases.get(primary, primary)
    return primary if primary in _ISO_639_1 or primary in three_letter else None


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language (``"en"``), or None for short texts."""
    if len(text) < MIN_CHARS:
        return None
    language, _confidence = _identifier().classify(text)
    return language or None


def choose_language(declared: str | None, text: str, *, by_article: bool) -> str | None:
    """The article's language from a declaration (if any) and its body text.

    ``by_article`` says the declaration is the article's own (JSON-LD), which is
    kept as it is; a template-wide one is replaced only when the text clearly
    is in another language: the identifier is near certain, or the text is written in
    a script the declared language is not. Without a declaration the text decides.
    """
    if declared is None:
        return detect_language(text)
    if by_article or len(text) < _OVERRULE_CHARS:
        return declared
    identifier = _identifier()
    # a language the model does not know ("nb", "fil") cannot be contradicted by it
    if declared not in identifier.labels:
        return declared
    sample = text[:_SAMPLE_CHARS]
    identified, confidence = identifier.classify(sample)
    if (not identified or identified == declared
            or _CLOSE.get(identified, _NONE) & _CLOSE.get(declared, _NONE)):
        return declared
    if confidence >= _OVERRULE_CONFIDENCE:
        return identified
    written = _written_in(sample)
    return identified if identified in written and declared not in written else declared
