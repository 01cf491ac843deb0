"""``newsarchive query`` / ``show`` / ``export-wacz`` and the ``archive.query.articles`` API, on a
real crawl of the test site and on hand-made archives with several versions."""

from __future__ import annotations

import csv
import io
import itertools
import json
import os
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from archive.articles import ArticleWriter
from archive.errors import ArchiveError, QueryError
from archive.query.articleindex import write_index
from archive.query.articles import find_articles, open_articles, run_sql
from tests.conftest import NEWSARCHIVE, ROOT, run_cli

WACZ = ROOT / ".venv-pywb" / "bin" / "wacz"


def published(row: dict) -> datetime | None:
    if not row.get("published"):
        return None
    moment = datetime.fromisoformat(row["published"])
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@pytest.fixture(scope="module")
def crawl(test_crawl):
    return test_crawl


class TestFiltersMatchTheRecords:
    """Each filter, checked against a plain Python pass over the crawl's JSON Lines."""

    def test_every_article_once_with_all_its_fields(self, crawl):
        rows = find_articles(crawl.out)
        records = crawl.articles()
        assert len(rows) == len(records) > 10
        # The fingerprint only when asked for by name (TestCollapse in test_duplicates.py).
        by_url = {r["url"]: {k: v for k, v in r.items() if k != "fingerprint"} for r in records}
        for row in rows:
            assert row == by_url[row["url"]]

    def test_date_range_of_days_as_the_pages_print_them(self, crawl):
        # The test site's articles: October and November 2023, some dated without a time.
        expected = {r["url"] for r in crawl.articles()
                    if r["published"] and "2023-11-01" <= r["published"][:10] <= "2023-11-09"}
        rows = find_articles(crawl.out, since="2023-11-01", until="2023-11-09", fields=["url"])
        assert {r["url"] for r in rows} == expected
        assert 0 < len(expected) < len(crawl.articles())

    def test_time_bounds_compare_instants(self, crawl):
        since = datetime(2023, 11, 1, 12, tzinfo=UTC)
        expected = {r["url"] for r in crawl.articles() if published(r) and published(r) >= since}
        rows = find_articles(crawl.out, since="2023-11-01T13:00:00+01:00", fields=["url"])
        assert {r["url"] for r in rows} == expected and expected

    def test_author_language_text_regex_and_url(self, crawl):
        records = crawl.articles()
        author = records[0]["authors"][0]
        surname = author.split()[-1].lower()
        assert {r["url"] for r in find_articles(crawl.out, author=surname.upper())} == {
            r["url"] for r in records if any(surname in a.lower() for a in r["authors"])}
        word = records[0]["title"].split()[-1].lower()
        assert {r["url"] for r in find_articles(crawl.out, text=word.upper())} == {
            r["url"] for r in records
            if word in r["title"].lower() or word in (r["text"] or "").lower()}
        assert len(find_articles(crawl.out, regex=f"{word[:3]}.{word[4:]}" if len(word) > 4
                                 else word)) >= 1
        assert len(find_articles(crawl.out, language="en")) == sum(
            r["language"] == "en" for r in records)
        fragment = records[0]["url"].rsplit("/", 2)[-2]
        assert records[0]["url"] in {r["url"] for r in find_articles(
            crawl.out, url_contains=fragment)}

    def test_newest_published_first_and_limit(self, crawl):
        rows = find_articles(crawl.out, fields=["published_at", "title"], limit=5)
        assert len(rows) == 5 and list(rows[0]) == ["published_at", "title"]
        dates = [r["published_at"] for r in rows]
        assert dates == sorted(dates, reverse=True)

    def test_sql_over_the_filtered_view(self, crawl):
        rows = run_sql("SELECT language, count(*) AS n FROM articles GROUP BY 1", crawl.out,
                       job=crawl.job)
        assert sum(r["n"] for r in rows) == len(crawl.articles())


def write_part(directory: Path, records: list[dict], *, index: bool) -> Path:
    # Part names carry the millisecond they were opened: parts written in one
    # millisecond would share a name (and the last overwrite the others), so each
    # gets a host tag of its own.
    writer = ArticleWriter(directory, directory.name, host_tag=f"test-{next(_PART_TAGS)}")
    for record in records:
        writer.write(record)
    writer.close()
    [part] = [p.path for p in writer.closed_parts]
    if index:
        write_index(part)
    return part


_PART_TAGS = itertools.count(1)


def article(url: str, version: int, title: str, **extra) -> dict:
    return {"url": url, "canonical_url": url, "job": "news", "title": title,
            "text": f"{title}. Body of version {version}.", "authors": ["Ana Ruiz"],
            "published": "2024-06-20T09:00:00+02:00", "language": "en",
            "fetched_at": f"2024-06-2{version}T10:00:00+00:00", "version": version,
            "previous": None if version == 1 else {"version": version - 1}, **extra}


@pytest.fixture
def versioned(tmp_path) -> Path:
    """Two crawls: the first indexed (Parquet), the second JSON Lines only."""
    folder = tmp_path / "archive" / "articles" / "news"
    folder.mkdir(parents=True)
    write_part(folder, [article("http://x.test/a", 1, "Ferry delayed"),
                        article("http://x.test/b", 1, "Harbour news")], index=True)
    write_part(folder, [article("http://x.test/a", 2, "Ferry back in service")], index=False)
    return tmp_path / "archive"


class TestMatching:
    @pytest.fixture
    def names(self, tmp_path) -> Path:
        folder = tmp_path / "archive" / "articles" / "news"
        folder.mkdir(parents=True)
        write_part(folder, [
            article("http://x.test/a", 1, "Straßenbahn fährt wieder", authors=["Jörg Häußler"],
                    language="de", published="2025-03-01T00:15:00+02:00"),
            article("http://x.test/b", 1, "Élodie writes", authors=["Élodie Wiśniewski"],
                    language="fr-FR", published="2025-03-31T23:30:00-05:00"),
        ], index=True)
        return tmp_path / "archive"

    @pytest.mark.parametrize(("author", "url"), [
        ("HÄUSSLER", "a"), ("haussler", "a"), ("  jorg ", "a"), ("wisniewski", "b"),
        ("elodie", "b")])
    def test_author_ignores_case_and_accents(self, names, author, url):
        assert [r["url"] for r in find_articles(names, author=author)] == [f"http://x.test/{url}"]

    def test_text_ignores_accents(self, names):
        assert len(find_articles(names, text="STRASSENBAHN FAHRT")) == 1

    def test_days_are_the_days_the_page_prints(self, names):
        """Published 00:15 on 1 March in Berlin is March, not February (UTC)."""
        march = find_articles(names, since="2025-03-01", until="2025-03-31")
        assert sorted(r["url"] for r in march) == ["http://x.test/a", "http://x.test/b"]
        assert find_articles(names, since="2025-03-01T00:00:00Z", until="2025-04-01") == [
            find_articles(names, url_contains="/b")[0]]

    @pytest.mark.parametrize(("code", "count"), [("de", 1), ("de-DE", 1), ("fr", 1),
                                                 ("fr-fr", 1), ("en", 0), ("de,fr", 2)])
    def test_language_codes_and_regions(self, names, code, count):
        assert len(find_articles(names, language=code)) == count


class TestVersions:
    def test_show_a_given_version(self, versioned):
        with open_articles(versioned, all_versions=True) as query:
            assert [r["version"] for r in query.find_url("http://x.test/a", 1)] == [1]
            assert [r["version"] for r in query.find_url("http://x.test/a")] == [2, 1]

    def test_latest_version_by_default_every_capture_on_request(self, versioned):
        latest = {r["url"]: r["version"] for r in find_articles(versioned)}
        assert latest == {"http://x.test/a": 2, "http://x.test/b": 1}
        every = sorted((r["url"], r["version"]) for r in find_articles(versioned,
                                                                         all_versions=True))
        assert every == [("http://x.test/a", 1), ("http://x.test/a", 2), ("http://x.test/b", 1)]

    def test_a_filter_never_finds_an_article_through_an_older_version(self, versioned):
        assert find_articles(versioned, text="delayed") == []
        assert [r["version"] for r in find_articles(versioned, text="delayed",
                                                    all_versions=True)] == [1]

    def test_a_part_with_an_index_is_read_once(self, versioned):
        with open_articles(versioned) as query:
            assert len(query.files.parquet) == 1 and len(query.files.jsonl) == 1
        assert len(find_articles(versioned, all_versions=True)) == 3


class TestBadInput:
    @pytest.mark.parametrize(("options", "words"), [
        ({"since": "last tuesday"}, "--since 'last tuesday' is not a date"),
        ({"until": "2024-02-30"}, "--until '2024-02-30' is not a date"),
        ({"since": "2024-06-02", "until": "2024-06-01"}, "is after --until"),
        ({"until": "9999-12-31T23:59:59-05:00"}, "is not a date"),  # past year 9999 in UTC
        ({"since": "0001-01-01T00:00:00+05:00"}, "is not a date"),
        ({"language": ","}, "--language is empty"),
        ({"job": ""}, "--job is empty"),
        ({"author": ["ruiz"]}, "--author must be text"),
        ({"language": "english!"}, "not a language code"),
        ({"regex": "(unclosed"}, "--regex '(unclosed' is not a valid pattern"),
        ({"text": "  "}, "--text is empty"),
        ({"job": "../etc"}, "invalid job name"),
    ])
    def test_bad_filters_are_one_clear_error(self, versioned, options, words):
        with pytest.raises(ArchiveError, match=words.replace("(", r"\(")):
            find_articles(versioned, **options)

    def test_unknown_field_names_the_choices(self, versioned):
        with pytest.raises(QueryError, match="unknown field 'body': choose from url, "):
            find_articles(versioned, fields=["url", "body"])

    def test_sql_errors_are_query_errors(self, versioned):
        with pytest.raises(QueryError, match="nope"):
            run_sql("SELECT nope FROM articles", versioned)
        with pytest.raises(QueryError, match="syntax error"):
            run_sql("SELECT FROM WHERE", versioned)
        with pytest.raises(QueryError, match=r"runs one query .* not DROP"):
            run_sql("DROP VIEW articles", versioned)

    def test_an_unknown_job_names_the_jobs_there(self, versioned):
        with pytest.raises(QueryError, match=r"no articles of job other .* its jobs are news"):
            find_articles(versioned, job="other")

    def test_a_directory_without_articles(self, tmp_path):
        with pytest.raises(QueryError, match="holds no articles"):
            find_articles(tmp_path)


def query_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return run_cli("query", *args, cwd=cwd, timeout=120)


class TestQueryCommand:
    def test_formats(self, crawl, tmp_path):
        base = ["--out", str(crawl.out), "--since", "2023-11-01"]
        jsonl = query_cli(*base)
        assert jsonl.returncode == 0, jsonl.stderr
        rows = [json.loads(line) for line in jsonl.stdout.splitlines()]
        assert rows and all(set(r) >= {"url", "title", "text", "warc"} for r in rows)

        csv_file = tmp_path / "out.csv"
        done = query_cli(*base, "--format", "csv", "-o", str(csv_file))
        assert done.returncode == 0 and f"Wrote {len(rows)} rows" in done.stderr
        table = list(csv.DictReader(io.StringIO(csv_file.read_text("utf-8"))))
        assert [r["url"] for r in table] == [r["url"] for r in rows]
        assert table[0]["authors"] == "; ".join(rows[0]["authors"])

        parquet = tmp_path / "out.parquet"
        assert query_cli(*base, "--format", "parquet", "-o", str(parquet)).returncode == 0
        read = duckdb.sql(f"SELECT url, authors FROM '{parquet}'").fetchall()
        assert [(r["url"], r["authors"]) for r in rows] == read

        shown = query_cli(*base, "--format", "table", "--limit", "3")
        assert shown.returncode == 0
        lines = shown.stdout.splitlines()
        assert lines[0].split() == ["published", "title", "authors", "url"]
        assert lines[-1] == "(3 rows)"

    def test_the_format_follows_the_file_name(self, crawl, tmp_path):
        target = tmp_path / "all.parquet"
        assert query_cli("--out", str(crawl.out), "-o", str(target)).returncode == 0
        assert duckdb.sql(f"SELECT count(*) FROM '{target}'").fetchall()[0][0] == len(
            crawl.articles())

    def test_a_closed_pipe_is_not_an_error(self, crawl):
        done = subprocess.run(f"{' '.join(NEWSARCHIVE)} query --out {crawl.out} | head -1",
                              shell=True, capture_output=True, text=True, cwd=ROOT,
                              env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120,
                              check=False)
        assert json.loads(done.stdout)["url"] and done.stderr == ""

    def test_tables_in_files_keep_whole_urls(self, crawl, tmp_path):
        target = tmp_path / "table.txt"
        assert query_cli("--out", str(crawl.out), "-o", str(target)).returncode == 0
        text = target.read_text("utf-8")
        assert all(r["url"] in text for r in crawl.articles()) and "…" not in text

    def test_sql_and_fields(self, crawl):
        done = query_cli("--out", str(crawl.out), "--sql",
                         "SELECT count(*) AS n FROM articles", "--format", "csv")
        assert done.stdout.splitlines() == ["n", str(len(crawl.articles()))]
        done = query_cli("--out", str(crawl.out), "--fields", "url,title", "--limit", "1")
        assert list(json.loads(done.stdout)) == ["url", "title"]

    @pytest.mark.parametrize("args", [
        ["--since", "2024-99-01"], ["--fields", "url,nope"], ["--sql", "SELECT FROM WHERE"],
        ["--format", "xml"], ["--format", "parquet"], ["--limit", "0"], ["--regex", "a(b"],
        ["--store", "ftp://x/y"], ["--endpoint-url", "http://127.0.0.1:1"],
        ["--since", "0001-01-01T00:00:00+05:00"], ["--sql", "SELECT 1", "--fields", "url"],
        ["--format", "csv", "-o", "x.parquet"],
    ])
    def test_bad_usage_is_one_line_exit_2_and_nothing_written(self, crawl, tmp_path, args):
        target = tmp_path / "never.csv"
        output = [] if "parquet" in args or "-o" in args else ["-o", str(target)]
        done = query_cli("--out", str(crawl.out), *args, *output)
        assert done.returncode == 2, done.stderr
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr
        assert done.stderr.startswith("newsarchive query: error: ")
        assert "Traceback" not in done.stderr and not target.exists()
        assert list(tmp_path.iterdir()) == []


class TestShow:
    def test_the_record_and_its_raw_capture(self, crawl):
        record = crawl.articles()[0]
        done = run_cli("show", record["url"], "--out", str(crawl.out), "--body-chars", "100000")
        assert done.returncode == 0, done.stderr
        head, _, capture = done.stdout.partition("\n--- capture: ")
        # Every field but the fingerprint: 64 numbers that mean nothing to a reader.
        assert json.loads(head) == {k: v for k, v in record.items() if k != "fingerprint"}
        assert f"WARC-Record-ID: {record['warc']['record_id']}" in capture
        assert "WARC-Type: response" in capture
        assert "\nHTTP/1.1 200 OK\n" in capture
        body = capture.partition("\n--- body (")[2]
        assert record["title"].split()[0] in body and "<html" in body.lower()

    def test_json_output(self, crawl):
        record = crawl.articles()[0]
        done = run_cli("show", record["url"], "--out", str(crawl.out), "--json")
        shown = json.loads(done.stdout)
        assert shown["article"]["url"] == record["url"]
        assert shown["warc"]["WARC-Record-ID"] == record["warc"]["record_id"]
        assert shown["http"]["status"].startswith("HTTP/1.1 200")

    def test_unknown_url_exit_1_and_not_a_url_exit_2(self, crawl):
        done = run_cli("show", "http://nowhere.test/x", "--out", str(crawl.out))
        assert done.returncode == 1 and "no article with URL" in done.stderr
        done = run_cli("show", "ferry", "--out", str(crawl.out))
        assert done.returncode == 2 and "'ferry' is not a URL" in done.stderr

    def test_pasted_url_variants_find_the_article(self, crawl):
        record = crawl.articles()[0]
        scheme, rest = record["url"].split("://", 1)
        joiner = "&" if "?" in record["url"] else "?"
        for pasted in (record["url"] + "#comments", record["url"] + joiner + "utm_source=x",
                       scheme.upper() + "://" + rest):
            done = run_cli("show", pasted, "--out", str(crawl.out), "--json")
            assert done.returncode == 0, (pasted, done.stderr)
            assert json.loads(done.stdout)["article"]["url"] == record["url"]

    def test_capture_read_from_the_store_when_the_local_file_is_gone(self, crawl, tmp_path):
        copy = tmp_path / "archive"
        shutil.copytree(crawl.out, copy)
        store = tmp_path / "store"
        uploaded = run_cli("upload", "--out", str(copy), "--store", f"file://{store}")
        assert uploaded.returncode == 0, uploaded.stderr
        assert not list((copy / "warc").rglob("*.warc.gz"))  # sent, then removed locally
        record = crawl.articles()[0]
        local = run_cli("show", record["url"], "--out", str(copy))
        assert local.returncode == 2
        assert f"its crawls sent them to file://{store}; add --store" in local.stderr
        shown = run_cli("show", record["url"], "--store", f"file://{store}", "--cache",
                        str(tmp_path / "cache"))
        assert shown.returncode == 0, shown.stderr
        assert f"WARC-Record-ID: {record['warc']['record_id']}" in shown.stdout
        queried = query_cli("--store", f"file://{store}", "--cache", str(tmp_path / "cache"),
                            "--fields", "url")
        assert len(queried.stdout.splitlines()) == len(crawl.articles())
        # A cached copy cut short is noticed (its size is not the store's) and fetched again.
        [cached] = [p for p in (tmp_path / "cache").rglob("*.parquet")][:1]
        cached.write_bytes(cached.read_bytes()[:100])
        again = query_cli("--store", f"file://{store}", "--cache", str(tmp_path / "cache"),
                          "--fields", "url")
        assert again.returncode == 0 and again.stdout == queried.stdout


class TestExportWacz:
    @pytest.mark.pywb
    def test_a_job_as_a_valid_wacz(self, crawl, tmp_path):
        assert WACZ.exists(), "run `make pywb` (it installs pywb and wacz into .venv-pywb)"
        target = tmp_path / "site.wacz"
        done = run_cli("export-wacz", "--out", str(crawl.out), "-o", str(target))
        assert done.returncode == 0, done.stderr
        assert f"{len(crawl.warcs())} WARC file(s), {len(crawl.articles())} page(s)" \
            in done.stdout
        checked = subprocess.run([str(WACZ), "validate", "-f", str(target)],
                                 capture_output=True, text=True, timeout=120, check=False)
        assert checked.returncode == 0 and "is valid" in checked.stdout, checked.stdout

    def test_an_archive_only_job_exports_without_pages(self, crawl, tmp_path):
        copy = tmp_path / "archive"
        shutil.copytree(crawl.out, copy)
        shutil.rmtree(copy / "articles")  # as a crawl with EXTRACT_ENABLED=false leaves it
        target = tmp_path / "warcs-only.wacz"
        done = run_cli("export-wacz", "--out", str(copy), "-o", str(target))
        assert done.returncode == 0, done.stderr
        assert f"{len(crawl.warcs())} WARC file(s), 0 page(s)" in done.stdout

    def test_bad_choices_write_nothing(self, crawl, tmp_path):
        target = tmp_path / "x.wacz"
        for args in (["--job", "other"], ["--crawl", "19990101T000000Z"]):
            done = run_cli("export-wacz", "--out", str(crawl.out), "-o", str(target), *args)
            assert done.returncode == 2 and len(done.stderr.splitlines()) == 1, done.stderr
            assert not target.exists()
