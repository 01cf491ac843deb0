"""How the search index reads text: one pair of fields per language, each with its own
analyser, and the schema that holds them.

An article's title and body go into the fields of its language (``title_de``,
``body_de``), analysed with that language's Snowball stemmer, so "Häuser" and
"Hauses" meet at "haus" and "élections" and "election" at "elect". Languages tantivy
has no stemmer for (and articles with no language) go to ``title_other``/``body_other``:
lower case and accents folded, no stemming. A query is analysed once per language, by
each field's own analyser, so the same words find articles in every language.

Lower case, then stemming, then accent folding: the stemmers' rules are written for
the language's own spelling ("présidentielles" -> "présidentiel"), and folding last
lets "presidentielles" typed without accents meet it.
"""

from __future__ import annotations

from functools import cache
from typing import Any

# ISO 639-1 code -> tantivy's (Snowball) stemmer for it.
STEMMERS = {
    "ar": "arabic", "da": "danish", "de": "german", "el": "greek", "en": "english",
    "es": "spanish", "fi": "finnish", "fr": "french", "hu": "hungarian", "it": "italian",
    "nb": "norwegian", "nl": "dutch", "nn": "norwegian", "no": "norwegian",
    "pt": "portuguese", "ro": "romanian", "ru": "russian", "sv": "swedish", "ta": "tamil",
    "tr": "turkish",
}
OTHER = "other"
# One group per stemmer (nb, nn and no share Norwegian's), and one for the rest.
GROUPS = (*sorted({code for code in STEMMERS if code not in ("nb", "nn")}), OTHER)
_SAME_AS = {"nb": "no", "nn": "no"}

# Fields besides the text: which capture a document is (see jobindex.CAPTURE_ID_SQL,
# a fast field so hits are joined without reading stored documents), and which part
# it came from (to take a part out before adding it again).
CAPTURE = "capture"
PART = "part"
# A title hit counts double: a word in the headline says more than one in the body.
TITLE_BOOST = 2.0


def group_of(language: str | None) -> str:
    """The field group for an article's ``language`` (``de-AT`` -> ``de``)."""
    base = (language or "").split("-")[0].split("_")[0].strip().lower()
    base = _SAME_AS.get(base, base)
    return base if base in STEMMERS else OTHER


def title_field(group: str) -> str:
    return f"title_{group}"


def body_field(group: str) -> str:
    return f"body_{group}"


def analyser_name(group: str) -> str:
    return f"newsarchive_{group}"


@cache
def analyser(group: str) -> Any:
    """The tantivy TextAnalyzer of a group (also what queries and snippets use)."""
    import tantivy

    builder = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
    # Tokens over 40 bytes (base64, run-together URLs) are noise that bloats the terms.
    builder = builder.filter(tantivy.Filter.remove_long(40)).filter(tantivy.Filter.lowercase())
    if group != OTHER:
        builder = builder.filter(tantivy.Filter.stemmer(STEMMERS[group]))
    return builder.filter(tantivy.Filter.ascii_fold()).build()


def build_schema() -> Any:
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_unsigned_field(CAPTURE, stored=True, indexed=False, fast=True)
    builder.add_text_field(PART, stored=False, tokenizer_name="raw", index_option="basic")
    for group in GROUPS:
        # Not stored: the article's text is in its part; the index stays a third of
        # the size, and snippets are cut from the row the query returns.
        builder.add_text_field(title_field(group), tokenizer_name=analyser_name(group))
        builder.add_text_field(body_field(group), tokenizer_name=analyser_name(group))
    return builder.build()


def register_analysers(index: Any) -> None:
    """Tantivy keeps analysers by name per opened index: register ours on each."""
    for group in GROUPS:
        index.register_tokenizer(analyser_name(group), analyser(group))
