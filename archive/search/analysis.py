"""How the search index reads text: each article analysed for its own language, into
one title field and one body field, and the schema that holds them.

An article's title and body are analysed with its language's Snowball stemmer, so
"Häuser" and "Hauses" meet at "haus" and "élections" and "election" at "elect".
Languages tantivy has no stemmer for (and articles with no language) are only lower
cased and folded. A query is analysed once per language group, so the same words
find articles in every language.

The analysis is done here, in Python, and the index is given the analysed words
separated by spaces: one field pair for every language, not a pair per language,
because BM25 measures an article's length against the field's average over *all*
documents. In a field of its own, a language a job holds a few articles of has a
tiny average length, and those articles sank to the bottom of every search.

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
# a fast field so hits are joined without reading stored documents), and where it is:
# the part it came from (indexed, to take a part out before adding it again; stored,
# so a search reads its best few rows from their parts alone) and its row in the part.
CAPTURE = "capture"
PART = "part"
ROW = "row"
# What a plain search (no other filter) needs to pick each article's latest version
# and order the best few without reading the parts (archive.query._best): stored only.
URL = "url"
VERSION = "version"
FETCHED_AT = "fetched_at"
PUBLISHED = "published"
# Which article a document is a capture of (its canonical URL, else its URL), stored:
# a search reads it for its best few hits, so the query's view can be made of those
# articles' captures alone.
ARTICLE = "article"
# A title hit counts double: a word in the headline says more than one in the body.
TITLE_BOOST = 2.0


def group_of(language: str | None) -> str:
    """The field group for an article's ``language`` (``de-AT`` -> ``de``)."""
    base = (language or "").split("-")[0].split("_")[0].strip().lower()
    base = _SAME_AS.get(base, base)
    return base if base in STEMMERS else OTHER


TITLE = "title"
BODY = "body"
# The fields' own tokenizer only splits the words analysed here (whitespace never
# survives the analysis, which splits on it).
_ANALYSED = "newsarchive_analysed"


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


def analysed(text: str, group: str) -> str:
    """``text`` as the index is given it: its words analysed for ``group``, spaced."""
    return " ".join(analyser(group).analyze(text))


def build_schema() -> Any:
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_unsigned_field(CAPTURE, stored=True, indexed=False, fast=True)
    builder.add_text_field(PART, stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_unsigned_field(ROW, stored=True, indexed=False, fast=True)
    builder.add_unsigned_field(VERSION, stored=True, indexed=False)
    for name in (URL, FETCHED_AT, PUBLISHED):
        builder.add_text_field(name, stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field(ARTICLE, stored=True, tokenizer_name="raw", index_option="basic")
    # Not stored: the article's text is in its part; the index stays a third of the
    # size, and snippets are cut from the row the query returns.
    builder.add_text_field(TITLE, tokenizer_name=_ANALYSED)
    builder.add_text_field(BODY, tokenizer_name=_ANALYSED)
    return builder.build()


def register_analysers(index: Any) -> None:
    """Tantivy keeps analysers by name per opened index: register ours on each."""
    import tantivy

    index.register_tokenizer(_ANALYSED,
                             tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build())
