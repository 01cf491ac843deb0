"""``--text`` on text that is not ASCII: the accent-blind pattern finds exactly what
folding the text would (archive/query/_folding.py), character by character."""

from __future__ import annotations

import unicodedata

import duckdb
import pytest

from archive.query._folding import accent_blind_pattern, fold_table
from archive.query._sql import _folded

TEXTS = [
    "Der Bürgermeister Häußler sprach über die Straße.",
    "DER BÜRGERMEISTER HÄUSSLER SPRACH ÜBER DIE STRASSE.",
    "GROẞE Pläne für die Hafenfähre",
    "La préfecture a réouvert l’école d’Évry — «enfin».",
    unicodedata.normalize("NFD", "La préfecture a réouvert l’école d’Évry"),
    "Hà Nội: Thủ tướng phát biểu về kinh tế",
    "İstanbul’da büyük yangın; ISTANBUL sakin",
    "Ελλάδα: ΑΘΗΝΑ και Αθήνα",
    "Москва́ и МОСКВА",
    "harbour\u00a0ferry and harbour ferry",
    "emoji 🚢 ferry in text, and a NUL\x00after it: ferry",
    "Strasse, Straße, Strase, Strasssse",
    "Ærø og Åland; ÆRØ",
]
PHRASES = ["häussler", "HÄUSSLER", "strasse", "straße", "grosse", "Pläne", "prefecture",
           "L’ÉCOLE", "evry", "ha noi", "thu tuong", "istanbul", "İstanbul", "αθηνα",
           "Athens", "москва", "harbour ferry", "ferry", "🚢 ferry", "after it",
           "ærø", "aland", "e", "a", "’"]


def folded_contains(connection: duckdb.DuckDBPyConnection, text: str, phrase: str) -> bool:
    return connection.execute(f"SELECT contains({_folded('?')}, {_folded('?')})",
                              [text.replace("\x00", " "), phrase]).fetchone()[0]


@pytest.mark.parametrize("phrase", PHRASES)
def test_pattern_finds_what_folding_finds(phrase: str) -> None:
    pattern = accent_blind_pattern(phrase)
    assert pattern is not None
    with duckdb.connect() as connection:
        for text in TEXTS:
            found = connection.execute("SELECT regexp_matches(?, ?)", [text, pattern]).fetchone()[0]
            assert found == folded_contains(connection, text, phrase), (text, phrase)


def test_every_accented_latin_letter_is_in_its_class() -> None:
    table = fold_table()
    with duckdb.connect() as connection:
        for point in range(0xC0, 0x250):
            letter = chr(point)
            if not letter.isalpha():
                continue
            pattern = accent_blind_pattern(table.fold(letter))
            if pattern is None:
                continue
            assert connection.execute("SELECT regexp_matches(?, ?)",
                                      [letter, pattern]).fetchone()[0], letter


def test_a_phrase_where_sharp_s_could_stand_for_either_pair_is_left_to_folding() -> None:
    assert accent_blind_pattern("strasssse") is None
    assert accent_blind_pattern("strasse") is not None


def test_query_text_finds_accented_and_plain_articles_alike(tmp_path) -> None:
    from archive.query import find_articles
    from tests.test_query import write_part

    records = [{"url": f"https://news.example/{n}", "job": "j", "title": title, "text": text,
                "published": "2024-06-01", "fetched_at": "2024-06-01T10:00:00+00:00",
                "version": 1}
               for n, (title, text) in enumerate([
                   ("Stadtrat", "Der Bürgermeister Häußler sprach – lange."),
                   ("Council", "Mayor Haussler spoke at length."),
                   ("Conseil", "La préfecture a réouvert l’école."),
                   ("Other", "Nothing to see – here."),
               ])]
    write_part(tmp_path / "articles" / "j", records, index=True)
    found = {row["title"] for row in find_articles(tmp_path, text="HÄUSSLER", fields=["title"])}
    assert found == {"Stadtrat", "Council"}
    found = {row["title"] for row in find_articles(tmp_path, text="ecole", fields=["title"])}
    assert found == {"Conseil"}
