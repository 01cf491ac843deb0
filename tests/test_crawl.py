"""End to end: crawl the local test site and check the archive and the articles."""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from warcio.archiveiterator import ArchiveIterator

from crawler.demo.site import load_site
from crawler.middlewares.retry import retry_after_seconds
from tests.conftest import FAST, Crawl, run_cli

SITE = load_site("test")
SPECIAL = SITE.special_paths


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def warc_records(crawl) -> list:
    """(type, uri, status, headers, raw payload) of every record in the crawl's WARCs."""
    rows = []
    for path in crawl.warcs():
        with open(path, "rb") as handle:
            for record in ArchiveIterator(handle):
                status = record.http_headers.get_statuscode() if record.http_headers else None
                rows.append((record.rec_type, record.rec_headers["WARC-Target-URI"], status,
                             record.http_headers, record.raw_stream.read(),
                             record.rec_headers.get_header("WARC-Payload-Digest")))
    return rows


@pytest.fixture(scope="module")
def records(test_crawl):
    return warc_records(test_crawl)


def responses_for(records, path: str) -> list:
    return [r for r in records if r[0] == "response" and path_of(r[1]) == path]


class TestArticles:
    def test_finds_every_article_and_nothing_else(self, test_crawl):
        found = sorted(path_of(a["canonical_url"]) for a in test_crawl.articles())
        assert found == sorted(a.path for a in SITE.expected_articles)

    def test_metadata_matches_the_pages(self, test_crawl):
        by_path = {path_of(a["canonical_url"]): a for a in test_crawl.articles()}
        for expected in SITE.expected_articles:
            article = by_path[expected.path]
            assert article["title"] == expected.title, expected.path
            assert article["authors"] == expected.authors, expected.path
            assert article["published"] == expected.published, expected.path
            for snippet in expected.body_snippets:
                assert snippet in article["text"], (expected.path, snippet)
            for snippet in expected.boilerplate_snippets:
                assert snippet not in article["text"], (expected.path, snippet)

    def test_record_has_every_design_field(self, test_crawl):
        fields = {"url", "canonical_url", "job", "title", "text", "authors", "published",
                  "modified", "language", "sitename", "section", "description", "tags",
                  "image", "fetched_at", "status", "payload_digest", "warc"}
        for article in test_crawl.articles():
            assert fields <= set(article)
            assert article["job"] == "testsite"
            assert article["status"] == 200

    def test_no_tracking_parameters_or_fragments(self, test_crawl):
        for article in test_crawl.articles():
            for url in (article["url"], article["canonical_url"]):
                assert "utm_" not in url and "fbclid" not in url and "#" not in url

    def test_canonical_duplicate_is_not_a_second_article(self, test_crawl):
        paths = [path_of(a["url"]) for a in test_crawl.articles()]
        assert SPECIAL["canonical_duplicate"] not in paths
        assert len(paths) == len(set(paths))


class TestWarcPointers:
    def test_every_article_points_at_its_own_response_record(self, test_crawl):
        for article in test_crawl.articles():
            pointer = article["warc"]
            with open(test_crawl.out / pointer["file"], "rb") as handle:
                handle.seek(pointer["offset"])
                member = handle.read(pointer["length"])
            record = next(ArchiveIterator(io.BytesIO(member)))
            assert record.rec_type == "response"
            assert record.rec_headers["WARC-Target-URI"] == article["url"]
            assert record.rec_headers["WARC-Record-ID"] == pointer["record_id"]
            assert record.rec_headers["WARC-Payload-Digest"] == article["payload_digest"]
            assert record.content_stream().read()  # the page is really there


class TestWarcContents:
    def test_files_are_closed(self, test_crawl):
        assert test_crawl.warcs()
        assert not list(test_crawl.out.rglob("*.open"))

    def test_each_file_starts_with_warcinfo(self, test_crawl):
        for path in test_crawl.warcs():
            with open(path, "rb") as handle:
                assert next(ArchiveIterator(handle)).rec_type == "warcinfo"

    def test_requests_are_concurrent_to_responses(self, test_crawl):
        for path in test_crawl.warcs():
            with open(path, "rb") as handle:
                records = [(r.rec_type, dict(r.rec_headers.headers))
                           for r in ArchiveIterator(handle)]
            response_ids = {h["WARC-Record-ID"] for t, h in records if t == "response"}
            requests = [h for t, h in records if t == "request"]
            assert len(requests) == len(response_ids)
            assert {h["WARC-Concurrent-To"] for h in requests} == response_ids

    def test_gzip_body_is_archived_encoded(self, test_crawl, records):
        [response] = responses_for(records, SPECIAL["gzip_always"])
        headers, payload = response[3], response[4]
        assert headers.get_header("Content-Encoding") == "gzip"
        assert payload[:2] == b"\x1f\x8b"
        assert b"<html" in gzip.decompress(payload).lower()
        # ...and extraction saw the decoded page.
        [article] = [a for a in test_crawl.articles()
                     if path_of(a["url"]) == SPECIAL["gzip_always"]]
        assert article["text"] and "\x1f" not in article["text"]

    def test_chunked_body_is_archived_whole_without_framing(self, records):
        [response] = responses_for(records, SPECIAL["chunked"])
        headers, payload = response[3], response[4]
        # The client removed the chunk framing, so claiming it would mislead replay.
        assert headers.get_header("Transfer-Encoding") is None
        body = gzip.decompress(payload) if payload[:2] == b"\x1f\x8b" else payload
        assert body.rstrip().endswith(b"</html>")

    def test_robots_redirects_errors_and_non_html_are_recorded(self, records):
        assert [r[2] for r in responses_for(records, "/robots.txt")] == ["200"]
        assert responses_for(records, SPECIAL["redirect_old"])[0][2] == "301"
        assert responses_for(records, SPECIAL["redirect_new"])[0][2] == "200"
        assert responses_for(records, SPECIAL["not_found"])[0][2] == "404"
        # 500 is retried twice: three exchanges, all on the record.
        assert [r[2] for r in responses_for(records, SPECIAL["server_error"])] == ["500"] * 3
        [pdf] = responses_for(records, SPECIAL["pdf"])
        assert pdf[3].get_header("Content-Type") == "application/pdf"
        assert pdf[4].startswith(b"%PDF")

    def test_redirect_loop_ends(self, records):
        assert 1 <= len(responses_for(records, SPECIAL["redirect_loop"])) <= 6

    def test_robots_disallowed_page_never_fetched(self, test_site, test_crawl, records):
        assert test_site.hits().get(SPECIAL["robots_disallowed"], 0) == 0
        assert not responses_for(records, SPECIAL["robots_disallowed"])

    def test_payload_digest_is_sha1_of_the_encoded_body(self, records):
        responses = [r for r in records if r[0] == "response"]
        assert responses
        for _, uri, _, _, payload, digest in responses:
            expected = base64.b32encode(hashlib.sha1(payload).digest()).decode()
            assert digest == f"sha1:{expected}", uri

    @pytest.mark.parametrize("command", ["check", "index"])
    def test_warcio_accepts_the_files(self, test_crawl, command):
        warcio = Path(sys.executable).with_name("warcio")
        result = subprocess.run([str(warcio), command, *map(str, test_crawl.warcs())],
                                capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stdout + result.stderr

    def test_cdxj_indexer_indexes_every_response(self, test_crawl, records):
        result = subprocess.run(
            [sys.executable, "-m", "cdxj_indexer.main", *map(str, test_crawl.warcs())],
            capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stderr
        lines = [line for line in result.stdout.splitlines() if line.strip()]
        assert len(lines) == sum(1 for r in records if r[0] == "response")

    def test_the_index_written_during_the_crawl_is_cdxj_indexers(self, test_crawl, tmp_path):
        # Made as the records were written (archive.warc.liveindex), not after the crawl.
        from cdxj_indexer.main import write_cdx_index

        for warc in test_crawl.warcs():
            fresh = tmp_path / f"{warc.name}.cdxj"
            write_cdx_index(str(fresh), [str(warc)], {"sort": True, "post_append": False})
            beside = warc.with_name(warc.name.removesuffix(".warc.gz") + ".cdxj")
            assert beside.read_bytes() == fresh.read_bytes()


class TestManifest:
    def test_lists_every_file_with_its_digest(self, test_crawl):
        manifest = test_crawl.manifest()
        listed = {f["path"]: f for f in manifest["files"]}
        articles_dir = test_crawl.out / "articles" / "testsite"
        on_disk = [*test_crawl.warcs(), *sorted(articles_dir.glob("*.jsonl")),
                   # Each WARC's CDXJ and each part's Parquet index, beside it.
                   *sorted((test_crawl.out / "warc" / "testsite").glob("*.cdxj")),
                   *sorted(articles_dir.glob("*.parquet"))]
        assert len(on_disk) == 2 * (len(test_crawl.warcs()) + len(list(
            articles_dir.glob("*.jsonl"))))
        assert {f["kind"] for f in manifest["files"]} == {"warc", "articles", "cdxj", "parquet"}
        assert sorted(listed) == sorted(p.relative_to(test_crawl.out).as_posix() for p in on_disk)
        for path in on_disk:
            entry = listed[path.relative_to(test_crawl.out).as_posix()]
            assert entry["size"] == path.stat().st_size
            assert entry["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
        articles = sum(f.get("articles", 0) for f in manifest["files"])
        assert articles == len(test_crawl.articles()) == manifest["counts"]["articles/written"]


class TestRetryAfter:
    def test_429_is_waited_out_then_archived(self, test_crawl, records):
        path = SPECIAL["retry_after"]
        statuses = [r[2] for r in responses_for(records, path)]
        assert statuses == ["429", "200"]
        assert path in {path_of(a["url"]) for a in test_crawl.articles()}

    def test_retry_waited_at_least_retry_after(self, test_crawl):
        dates = []
        for warc in test_crawl.warcs():
            with open(warc, "rb") as handle:
                for record in ArchiveIterator(handle):
                    uri = record.rec_headers["WARC-Target-URI"]
                    if record.rec_type == "response" and path_of(uri) == SPECIAL["retry_after"]:
                        date = record.rec_headers["WARC-Date"].replace("Z", "+00:00")
                        dates.append(datetime.fromisoformat(date))
        assert len(dates) == 2
        assert (dates[1] - dates[0]).total_seconds() >= 1.0


class TestRetryAfterParsing:
    NOW = datetime(2026, 11, 28, 12, 0, 0, tzinfo=UTC)

    @pytest.mark.parametrize(("value", "seconds"), [
        (b"5", 5.0),
        (b" 120 ", 120.0),
        (b"Sat, 28 Nov 2026 12:00:30 GMT", 30.0),
        (b"Sat, 28 Nov 2026 11:00:00 GMT", 0.0),
        (b"soon", None),
        (b"", None),
        (None, None),
    ])
    def test_values(self, value, seconds):
        assert retry_after_seconds(value, now=self.NOW) == seconds


class TestWhereExtractionRuns:
    """The same crawl with extraction in the crawl's own process, and with none."""

    def crawl(self, test_site, tmp_path: Path, job: str, *settings: str) -> Crawl:
        out = tmp_path / "archive"
        result = run_cli("crawl", "--seed", test_site.base_url, "--out", str(out), "--job", job,
                         *FAST, *settings)
        assert result.returncode == 0, result.stderr[-3000:]
        return Crawl(out, job, result)

    def test_inline_finds_what_the_workers_find(self, test_site, test_crawl, tmp_path):
        inline = self.crawl(test_site, tmp_path, "inline", "-s", "EXTRACT_INLINE=true")
        def comparable(crawl: Crawl) -> dict:
            return {path_of(a["canonical_url"]): (a["title"], a["text"], a["authors"])
                    for a in crawl.articles()}
        assert comparable(inline) == comparable(test_crawl)

    def test_archive_only_records_every_article_page_and_writes_no_articles(
            self, test_site, tmp_path):
        only = self.crawl(test_site, tmp_path, "warconly", "-s", "EXTRACT_ENABLED=false")
        assert only.articles() == []
        assert not list((only.out / "articles").rglob("*.jsonl"))
        archived = {path_of(r[1]) for r in warc_records(only) if r[0] == "response"}
        assert {a.path for a in SITE.expected_articles} <= archived
        assert f"articles found:     {len(SITE.expected_articles)}" in only.result.stdout
        assert "Articles written:     0" in only.result.stdout
