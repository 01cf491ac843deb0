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


# Languages so close in writing that telling them apart is the identifier's weak spot;
# between these the page's own declaration is trusted.
_CLOSE_GROUPS = ({"hr", "sr", "bs"}, {"no", "nn", "nb", "da"}, {"ms", "id"})
_NONE: frozenset[int] = frozenset()
_CLOSE = {code: frozenset({n}) for n, group in enumerate(_CLOSE_GROUPS) for code in group}


def language_model() -> None:
    """Load the identifier's model now (0.4 s, once per process) rather than on the
    first page that needs it."""
    _identifier()


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


def primary_subtag(value: str | None) -> str | None:
    """Primary language subtag, lower case ("en-GB", "en_US" -> "en").

    Researchers filter on the language, not the region, and pages disagree on
    regions ("en" vs "en-US") far more often than on languages.
    """
    primary = re.split(r"[-_]", value.strip())[0].lower() if value else ""
    if primary.isascii() and primary.isalpha() and 2 <= len(primary) <= 3 and primary not in {
        "und", "mul", "zxx", "xx"
    }:
        return primary
    return None


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
    is in another language. Without a declaration the text decides.
    """
    if declared is None:
        return detect_language(text)
    if by_article or len(text) < _OVERRULE_CHARS:
        return declared
    identifier = _identifier()
    # a language the model does not know ("nb", "fil") cannot be contradicted by it
    if declared not in identifier.labels:
        return declared
    identified, confidence = identifier.classify(text[:_SAMPLE_CHARS])
    if (identified and identified != declared and confidence >= _OVERRULE_CONFIDENCE
            and not _CLOSE.get(identified, _NONE) & _CLOSE.get(declared, _NONE)):
        return identified
    return declared
