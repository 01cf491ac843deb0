"""``--text`` on text that is not ASCII: the accent-blind pattern finds exactly what
folding the text would (archive/query/_folding.py), character by character."""

from __future__ import annotations

import unicodedata

import duckdb
import pytest

from archive.errors import QueryError
from archive.query import find_articles, open_articles
from archive.query._folding import (
    accent_blind_pattern,
    fold_table,
    folded_sql,
    folded_text_sql,
)
from archive.query.articleindex import index_path
from archive.query.output import write_result
from tests.test_query import article, write_part

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
    "Deseret 𐐀𐐁, Adlam 𞤀, a variation: 葛\U000E0100飾区, compatibility: \U0002F800",
]
PHRASES = ["häussler", "HÄUSSLER", "strasse", "straße", "grosse", "Pläne", "prefecture",
           "L’ÉCOLE", "evry", "ha noi", "thu tuong", "istanbul", "İstanbul", "αθηνα",
           "Athens", "москва", "harbour ferry", "ferry", "🚢 ferry", "after it",
           "ærø", "aland", "e", "a", "’", "𐐨𐐩", "𞤢", "葛飾", "\u4e3d"]


def folded_contains(connection: duckdb.DuckDBPyConnection, text: str, phrase: str) -> bool:
    return connection.execute(f"SELECT contains({folded_text_sql('$1')}, {folded_text_sql('$2')})",
                              [text, phrase]).fetchone()[0]


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


def test_the_table_holds_every_character_that_folding_changes() -> None:
    """Every code point, folded by DuckDB: the table (built from a few ranges) has each
    one that folding changes, so the pattern agrees with the index's folded bodies."""
    with duckdb.connect() as connection:
        rows = connection.execute(
            f"SELECT cp, {folded_sql('chr(cp::INTEGER)')} FROM range(1, 1114112) "
            "AS characters(cp) WHERE cp < 55296 OR cp > 57343").fetchall()
    assert fold_table().folds == {chr(point): folded for point, folded in rows
                                  if folded != chr(point)}


def test_a_phrase_where_sharp_s_could_stand_for_either_pair_is_left_to_folding() -> None:
    assert accent_blind_pattern("strasssse") is None
    assert accent_blind_pattern("strasse") is not None


def test_query_text_finds_accented_and_plain_articles_alike(tmp_path) -> None:
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


BODIES = {
    "accented": "Der Bürgermeister Häußler sprach – lange.",
    "ascii": "Mayor HASSLER spoke at length.",
    "nul": "Vorwort\x00Der Bürgermeister HÄUSSLER\x00\x00sprach.",
    "empty": "",
    "none": None,
}


class TestFoldedBodiesInTheIndex:
    """The Parquet index holds each body folded (``text_folded``), and ``--text`` looks
    for the folded phrase there instead of folding or pattern-matching every body."""

    @pytest.fixture
    def indexed(self, tmp_path):
        folder = tmp_path / "archive" / "articles" / "news"
        folder.mkdir(parents=True)
        part = write_part(folder, [article(f"http://x.test/{name}", 1, "Stadtrat", text=text)
                                   for name, text in BODIES.items()], index=True)
        return tmp_path / "archive", part

    def test_each_body_is_folded_nuls_and_all(self, indexed):
        _, part = indexed
        with duckdb.connect() as connection:
            folded = dict(connection.execute(
                "SELECT url, text_folded FROM read_parquet(?)", [str(index_path(part))]).fetchall())
        assert folded == {
            "http://x.test/accented": "der burgermeister haussler sprach – lange.",
            "http://x.test/ascii": "mayor hassler spoke at length.",
            # strip_accents alone would stop at the first NUL and lose the rest
            "http://x.test/nul": "vorwort\x00der burgermeister haussler\x00\x00sprach.",
            "http://x.test/empty": "", "http://x.test/none": None}

    @pytest.mark.parametrize(("phrase", "found"), [
        ("HÄUSSLER", {"accented", "nul"}), ("haussler sprach", {"accented"}),
        ("BÜRGERMEISTER HAUSSLER", {"accented", "nul"}), ("hassler", {"ascii"}),
        ("vorwort der", set()), ("sprach.", {"nul"}), ("stadtrat", set(BODIES))])
    def test_query_text_finds_the_folded_phrase_in_index_and_records_alike(
            self, indexed, phrase, found):
        root, part = indexed
        from_index = {row["url"].rsplit("/", 1)[1]
                      for row in find_articles(root, text=phrase, fields=["url"])}
        index_path(part).unlink()  # the same part read from its JSON Lines
        from_records = {row["url"].rsplit("/", 1)[1]
                        for row in find_articles(root, text=phrase, fields=["url"])}
        assert from_index == from_records == found

    def test_the_body_is_searched_in_its_fold(self, indexed):
        """An index whose folded bodies were blanked finds nothing in the bodies: the
        query reads the fold, not the body."""
        root, part = indexed
        index = index_path(part)
        blanked = index.with_name("blanked.tmp")
        with duckdb.connect() as connection:
            connection.execute(f"COPY (SELECT * REPLACE ('' AS text_folded) FROM "
                               f"read_parquet('{index}')) TO '{blanked}' (FORMAT parquet)")
        blanked.replace(index)
        assert find_articles(root, text="HÄUSSLER") == []
        assert len(find_articles(root, text="Stadtrat")) == len(BODIES)  # titles

    def test_the_fold_is_never_output(self, indexed, tmp_path):
        root, _ = indexed
        with open_articles(root, text="haussler") as query:
            assert "text_folded" not in query.select().columns
            assert "text_folded" not in query.sql("SELECT * FROM articles").columns
            assert all("text_folded" not in row for row in query.select().rows())
            assert "text_folded" not in query.find_url("http://x.test/nul")[0]
            for fmt in ("jsonl", "csv", "parquet"):
                target = tmp_path / f"export.{fmt}"
                assert write_result(query.select(), fmt, target) == 2
                assert "text_folded" not in target.read_bytes().decode("utf-8", "replace")
        with pytest.raises(QueryError, match="unknown field 'text_folded'"):
            find_articles(root, fields=["url", "text_folded"])
