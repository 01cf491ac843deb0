"""``query --search`` and ``archive.search``: BM25 ranking over planted articles, stemming
per language, the other filters, the job index kept up to date (crawl, catch-up,
rebuild), a store, and bad input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from archive.errors import QueryError
from archive.query import find_articles, run_sql
from archive.search import JobIndex, add_part, job_index_dir, parse_search, search_job
from archive.search.searching import clause_terms
from archive.search.snippet import make_snippet
from archive.search.syntax import Occur
from crawler.demo.s3server import LocalS3Server
from tests.conftest import run_cli
from tests.test_query import article, write_part
from tests.test_s3 import run

FILLER = ("The council met on Tuesday to discuss the budget, the roads and the schools of "
          "the town. Residents asked questions about parking and the market.")


def story(slug: str, title: str, body: str, **extra) -> dict:
    record = article(f"http://x.test/{slug}", 1, title, **extra)
    return {**record, "text": body}


def filler(n: int, job: str = "news") -> list[dict]:
    """Articles that say the common words (and none of the planted rare ones)."""
    return [story(f"filler-{job}-{i}", f"Town council notes {i}", FILLER + " The ferry ran.",
                  job=job) if i % 3 == 0 else
            story(f"filler-{job}-{i}", f"Town council notes {i}", FILLER, job=job)
            for i in range(n)]


@pytest.fixture
def archive_dir(tmp_path) -> Path:
    """One job, two parts: the first indexed (Parquet), the second JSON Lines only."""
    folder = tmp_path / "archive" / "articles" / "news"
    folder.mkdir(parents=True)
    write_part(folder, [
        story("title-hit", "Lighthouse keeper retires", FILLER),
        story("body-hit", "Harbour news", FILLER + " A lighthouse was repainted."),
        story("rare", "Weekly notes", FILLER + " The zeppelin landed."),
        story("common", "Weekly notes too", FILLER + " The ferry was late."),
        story("phrase", "Ferry", "The harbour ferry sails at dawn. " + FILLER),
        story("words-apart", "Ferry", "The harbour is closed; a ferry waits. " + FILLER),
        *filler(30),
    ], index=True)
    write_part(folder, [
        story("de", "Neue Häuser am Hafen", "Die Stadt baut Häusern am Hafen.", language="de",
              published="2024-05-01"),
        story("fr", "Les élections présidentielles", "Le scrutin présidentiel approche.",
              language="fr-FR", published="2024-07-01"),
    ], index=False)
    return tmp_path / "archive"


def urls(rows: list[dict]) -> list[str]:
    return [row["url"].rsplit("/", 1)[-1] for row in rows]


def search(archive: Path, words: str, **options) -> list[dict]:
    return find_articles(archive, search=words, fields=["url", "score", "snippet"], **options)


class TestRanking:
    def test_a_title_hit_ranks_above_a_body_hit(self, archive_dir):
        assert urls(search(archive_dir, "lighthouse")) == ["title-hit", "body-hit"]

    def test_a_rarer_word_outranks_a_common_one(self, archive_dir):
        found = urls(search(archive_dir, "ferry zeppelin"))
        # zeppelin: one article; ferry: a dozen. Of the articles that say one of them
        # once in the body, the rare word's comes first.
        body_only = [slug for slug in found if slug not in ("phrase", "words-apart")]
        assert body_only[0] == "rare"
        assert "common" in body_only and len(body_only) > 10

    def test_scores_descend_and_every_match_is_there_once(self, archive_dir):
        rows = search(archive_dir, "ferry")
        scores = [row["score"] for row in rows]
        assert scores == sorted(scores, reverse=True) and scores[-1] > 0
        assert len(urls(rows)) == len(set(urls(rows))) == 10 + 3  # 10 fillers, 3 planted

    def test_a_quoted_phrase_needs_its_words_in_order(self, archive_dir):
        assert urls(search(archive_dir, '"harbour ferry"')) == ["phrase"]
        assert set(urls(search(archive_dir, "+harbour +ferry"))) == {"phrase", "words-apart"}

    def test_excluded_words(self, archive_dir):
        found = urls(search(archive_dir, "ferry -harbour"))
        assert "phrase" not in found and "words-apart" not in found and "common" in found

    def test_snippets_mark_the_words_found(self, archive_dir):
        [row] = search(archive_dir, '"harbour ferry"')
        assert row["snippet"].startswith("The **harbour** **ferry** sails at dawn.")
        assert row["snippet"].endswith("…")
        [title_only] = [r for r in search(archive_dir, "lighthouse") if r["url"].endswith("hit")
                        and "title" in r["url"]]
        assert "**" not in title_only["snippet"]  # the body's start when only the title matched


class TestLanguages:
    @pytest.mark.parametrize("words", ["Haus", "häuser", "HAUSES", "hauser"])
    def test_german_inflections_meet(self, archive_dir, words):
        assert urls(search(archive_dir, words)) == ["de"]

    @pytest.mark.parametrize("words", ["élection", "election", "presidentielle", "présidentiels"])
    def test_french_inflections_and_accents(self, archive_dir, words):
        assert urls(search(archive_dir, words)) == ["fr"]

    def test_a_language_the_job_has_few_articles_in_ranks_as_any_other(self, tmp_path):
        # BM25 weighs an article's length against its field's average over every
        # document: a field for one rare language would make its articles look very
        # long, and a title hit in them ranked below body hits in the common language.
        folder = tmp_path / "archive" / "articles" / "news"
        folder.mkdir(parents=True)
        write_part(folder, [
            story("es-title", "El faro del puerto vuelve a brillar", FILLER, language="es"),
            *[story(f"en-body-{i}", f"Town council notes {i}", FILLER + " The faro shone.",
                    language="en") for i in range(3)],
            *[story(f"en-{i}", f"Town council notes {i}", FILLER, language="en")
              for i in range(40)],
        ], index=True)
        assert urls(search(tmp_path / "archive", "faro"))[0] == "es-title"

    def test_the_snippet_marks_the_inflected_form(self, archive_dir):
        [row] = search(archive_dir, "haus")
        assert row["snippet"] == "Die Stadt baut **Häusern** am Hafen."


class TestWithTheOtherFilters:
    def test_since_language_and_limit(self, archive_dir):
        assert urls(search(archive_dir, "haus élection", since="2024-06-01")) == ["fr"]
        assert urls(search(archive_dir, "haus élection", language="de")) == ["de"]
        assert len(search(archive_dir, "ferry", limit=3)) == 3

    def test_a_few_best_are_the_head_of_every_match(self, archive_dir):
        """With a small --limit the best rows are read in two steps (their captures,
        then those captures whole): the same rows, scores and snippets, in order."""
        every = find_articles(archive_dir, search="ferry", fields=None)
        for limit in (1, 4, 13, 50):
            assert find_articles(archive_dir, search="ferry", limit=limit) == every[:limit]
        assert find_articles(archive_dir, search="ferry", limit=3, language="de") == []
        older = {**story("rare", "Weekly notes", FILLER + " Nothing landed."), "version": 2}
        write_part(archive_dir / "articles" / "news", [older], index=False)
        assert find_articles(archive_dir, search="zeppelin", limit=5) == []

    def test_a_few_best_when_the_filters_leave_out_the_best_hits(self, tmp_path):
        """The first step looks at the best hits' articles only, and deeper while the
        filters leave too few: the rows are still the head of every match."""
        folder = tmp_path / "archive" / "articles" / "news"
        folder.mkdir(parents=True)
        edited = story("edited", "Ferry ferry ferry", FILLER + " The ferry.", language="en")
        write_part(folder, [
            edited,
            *[story(f"en-{i}", f"Ferry news {i}", FILLER + " The ferry.", language="en")
              for i in range(30)],
            *[story(f"de-{i}", f"Hafen {i}", FILLER + f" Die ferry {'fährt ' * i}.",
                    language="de") for i in range(30)],
            *filler(20),
        ], index=True)
        # The best hit's newest version no longer says it: that article is not a match.
        write_part(folder, [{**edited, "version": 2, "title": "Harbour", "text": FILLER}],
                   index=False)
        root = tmp_path / "archive"
        for options in ({}, {"language": "de"}, {"language": "en"}):
            every = find_articles(root, search="ferry", **options)
            assert "edited" not in urls(every)
            for limit in (1, 2, 5, 40):
                assert find_articles(root, search="ferry", limit=limit, **options) == \
                    every[:limit], (options, limit)
        assert urls(find_articles(root, search="ferry", limit=3, language="de")) != []

    def test_an_older_version_that_ranked_best_does_not_hold_a_place(self, tmp_path):
        """An article whose best hit is an older version is found through its latest,
        which may score below articles the first step did not look at: they come
        first, as when every match is ranked."""
        folder = tmp_path / "archive" / "articles" / "news"
        folder.mkdir(parents=True)
        first = story("edited", "Ferry ferry ferry", FILLER + " The ferry ferry.")
        write_part(folder, [
            first,
            *[story(f"middle-{i}", f"Ferry news {i}", FILLER + " The ferry.")
              for i in range(4)],
            *filler(10),
        ], index=True)
        write_part(folder, [{**first, "version": 2, "title": "Harbour notes",
                             "text": FILLER + " A ferry, once."}], index=True)
        root = tmp_path / "archive"
        every = find_articles(root, search="ferry")
        ranked = urls(every)
        assert ranked.index("edited") > max(ranked.index(f"middle-{i}") for i in range(4))
        for limit in (1, 2, 3, 5):
            assert find_articles(root, search="ferry", limit=limit) == every[:limit], limit
            # The same through the view's SQL (a filter every article passes).
            assert find_articles(root, search="ferry", limit=limit,
                                 url_contains="x.test") == every[:limit], limit

    def test_a_part_taken_out_of_the_archive_is_not_found_through_the_index(
            self, archive_dir):
        every = find_articles(archive_dir, search="ferry")  # the index holds both parts
        [indexed] = (archive_dir / "articles" / "news").glob("*.parquet")
        for path in (indexed, indexed.with_suffix(".jsonl")):
            path.unlink()
        left = find_articles(archive_dir, search="ferry")
        assert len(left) < len(every)
        for limit in (1, 3):
            assert find_articles(archive_dir, search="ferry", limit=limit) == left[:limit]

    def test_the_latest_version_only(self, archive_dir):
        folder = archive_dir / "articles" / "news"
        update = {**story("rare", "Weekly notes", FILLER + " Nothing landed."), "version": 2}
        write_part(folder, [update], index=False)
        assert "rare" not in urls(search(archive_dir, "zeppelin"))
        every = search(archive_dir, "zeppelin", all_versions=True)
        assert urls(every) == ["rare"]

    def test_jobs_each_with_their_own_index(self, archive_dir):
        other = archive_dir / "articles" / "gazette"
        other.mkdir()
        write_part(other, [story("g-zeppelin", "Zeppelin over the bay", FILLER, job="gazette"),
                           *filler(5, "gazette")], index=True)
        assert set(urls(search(archive_dir, "zeppelin"))) == {"rare", "g-zeppelin"}
        assert urls(search(archive_dir, "zeppelin", job="gazette")) == ["g-zeppelin"]
        assert (archive_dir / "search" / "gazette" / "parts.json").exists()

    def test_sql_sees_score_and_snippet(self, archive_dir):
        [row] = run_sql("SELECT count(*) AS n, max(score) > 0 AS scored FROM articles",
                        archive_dir, search="lighthouse")
        assert row == {"n": 2, "scored": True}


class TestTheIndex:
    def test_adding_a_part_twice_adds_nothing(self, tmp_path):
        folder = tmp_path / "a" / "articles" / "news"
        folder.mkdir(parents=True)
        part = write_part(folder, filler(4), index=False)
        assert add_part(part) == 1 and add_part(part) == 0
        index = JobIndex.open(job_index_dir(tmp_path / "a", "news"))
        assert index.index.searcher().num_docs == 4
        assert len(search_job(index, parse_search("ferry"))) == 2

    def test_a_later_part_is_caught_up_by_the_query(self, archive_dir):
        assert urls(search(archive_dir, "zeppelin")) == ["rare"]
        write_part(archive_dir / "articles" / "news",
                   [story("later", "Second zeppelin", FILLER)], index=False)
        assert urls(search(archive_dir, "zeppelin")) == ["later", "rare"]
        listed = json.loads((archive_dir / "search" / "news" / "parts.json").read_text())
        assert len(listed["parts"]) == 3

    def test_rebuilt_from_the_parts_when_deleted_or_damaged(self, archive_dir):
        before = search(archive_dir, "ferry zeppelin")
        shutil.rmtree(archive_dir / "search")
        assert search(archive_dir, "ferry zeppelin") == before
        (archive_dir / "search" / "news" / "parts.json").write_text("{not json")
        assert search(archive_dir, "ferry zeppelin") == before

    def test_the_crawl_indexes_its_parts(self, test_crawl):
        listed = json.loads((test_crawl.out / "search" / test_crawl.job / "parts.json")
                            .read_text())
        parts = sorted(p.name.removesuffix(".jsonl")
                       for p in (test_crawl.out / "articles" / test_crawl.job).glob("*.jsonl"))
        assert sorted(listed["parts"]) == parts
        word = test_crawl.articles()[0]["title"].split()[-1]
        rows = find_articles(test_crawl.out, search=word, fields=["url", "title"])
        assert test_crawl.articles()[0]["url"] in {row["url"] for row in rows}


class TestSyntaxAndSnippets:
    def test_clauses(self):
        parsed = parse_search('  flood "harbour  ferry" +storm -football ')
        assert [(c.text, c.occur, c.phrase) for c in parsed.clauses] == [
            ("flood", Occur.SHOULD, False), ("harbour ferry", Occur.SHOULD, True),
            ("storm", Occur.MUST, False), ("football", Occur.MUST_NOT, False)]

    @pytest.mark.parametrize(("words", "message"), [
        ("", "is empty"), ("   ", "is empty"), ('harbour "ferry', "quote that is not closed"),
        ("-football", "nothing to look for"), ('""', "nothing to look for")])
    def test_bad_searches_say_what_to_write(self, words, message):
        with pytest.raises(QueryError, match=message):
            parse_search(words)

    def test_the_window_holds_the_most_terms(self):
        text = "ferry " + "filler " * 60 + "the harbour ferry again " + "more " * 60
        terms = {"en": {t for c in parse_search("harbour ferry").wanted
                        for t in clause_terms(c, "en")}}
        snippet = make_snippet(text, "en", terms)
        assert "**harbour** **ferry** again" in snippet
        assert snippet.startswith("…") and snippet.endswith("…")


class TestCommand:
    def test_table_and_jsonl(self, archive_dir):
        table = run_cli("query", "--out", str(archive_dir), "--search", "lighthouse",
                        "--format", "table")
        assert table.returncode == 0, table.stderr
        header, _, first, second, count = table.stdout.splitlines()
        assert header.split() == ["score", "published", "title", "snippet", "url"]
        assert "Lighthouse keeper retires" in first and "**lighthouse**" in second
        assert count == "(2 rows)"
        lines = run_cli("query", "--out", str(archive_dir), "--search", '"harbour ferry"',
                        "--fields", "url,score,snippet")
        [row] = [json.loads(line) for line in lines.stdout.splitlines()]
        assert row["url"].endswith("/phrase") and row["score"] > 0
        assert "**harbour** **ferry**" in row["snippet"]

    @pytest.mark.parametrize(("args", "words"), [
        (["--search", 'a "b'], "quote that is not closed"),
        (["--search", " "], "is empty"),
        (["--search=-x"], "nothing to look for"),  # argparse: a value starting with -
        (["--fields", "url,score"], "unknown field 'score'"),
    ])
    def test_bad_input_is_one_line_exit_2_and_nothing_written(self, archive_dir, tmp_path,
                                                              args, words):
        done = run_cli("query", "--out", str(archive_dir), *args, "-o",
                       str(tmp_path / "x.jsonl"))
        assert done.returncode == 2 and not done.stdout
        assert len(done.stderr.splitlines()) == 1 and words in done.stderr, done.stderr
        assert not (tmp_path / "x.jsonl").exists()


@pytest.mark.s3
def test_a_store_is_searched_from_the_cache(test_crawl, tmp_path):
    """After the upload removed the local parts, the search index is built in the cache
    from the store's parts, and caught up when another part arrives."""
    copy = tmp_path / "archive"
    shutil.copytree(test_crawl.out, copy)
    shutil.rmtree(copy / "search")
    record = test_crawl.articles()[0]
    word = record["title"].split()[-1]
    with LocalS3Server(tmp_path / "s3", bucket="search") as server:
        store = ["--store", "s3://search/crawls", "--endpoint-url", server.endpoint_url]
        uploaded = run(server, "upload", "--out", str(copy), *store)
        assert uploaded.returncode == 0, uploaded.stderr
        cache = tmp_path / "cache"
        found = run(server, "query", *store, "--cache", str(cache), "--search", word,
                    "--fields", "url,score")
        assert found.returncode == 0, found.stderr
        assert record["url"] in {json.loads(line)["url"] for line in found.stdout.splitlines()}
        assert (cache / "search" / test_crawl.job / "parts.json").exists()
        assert not (copy / "search").exists()
