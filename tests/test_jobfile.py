"""Job files: parsed into a JobSpec, every mistake one line that names file, key and fix."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from crawler.jobfiles.load import JobFileError, load_job_file
from crawler.jobfiles.spec import Politeness
from tests.conftest import ROOT, run_cli

MINIMAL = '[[sources]]\nname = "herald"\nseeds = ["https://herald.example/"]\n'


def write(tmp_path: Path, text: str, name: str = "job.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


class TestValidJobs:
    def test_minimal_job(self, tmp_path):
        spec = load_job_file(write(tmp_path, MINIMAL))
        [source] = spec.sources
        assert spec.name is None and spec.path == tmp_path / "job.toml"
        assert source.seeds == ("https://herald.example/",)
        assert source.domains == ("herald.example",)
        assert source.discover_feeds and source.discover_sitemaps
        assert source.politeness == Politeness()

    def test_every_key(self, tmp_path):
        spec = load_job_file(write(tmp_path, """
name = "city"
user_agent = "CityArchive/1.0"
contact = "mailto:a@example.org"
out = "/srv/archive"
store = "s3://bucket/prefix"
endpoint_url = "http://127.0.0.1:8333"
max_pages = 500
[politeness]
delay = 1.5
concurrency = 2
[settings]
DOWNLOAD_TIMEOUT = 60
[[sources]]
name = "herald"
seeds = ["https://www.herald.example/"]
allowed_domains = ["www.Herald.example", "127.0.0.1:8080"]
include = ['^https://herald']
exclude = ['/live/']
feeds = ["https://herald.example/feed/"]
discover_feeds = false
sitemaps = ["https://herald.example/sitemap.xml"]
discover_sitemaps = false
max_pages = 50
max_depth = 3
since = 2025-01-01
[sources.politeness]
delay = 0
"""))
        assert (spec.name, spec.user_agent, spec.contact, spec.out, spec.store) == (
            "city", "CityArchive/1.0", "mailto:a@example.org", "/srv/archive",
            "s3://bucket/prefix")
        assert spec.max_pages == 500 and spec.settings == {"DOWNLOAD_TIMEOUT": 60}
        assert spec.politeness == Politeness(delay=1.5, concurrency=2)
        [source] = spec.sources
        assert source.domains == ("herald.example", "127.0.0.1:8080")
        assert not source.discover_feeds and not source.discover_sitemaps
        assert (source.max_pages, source.max_depth) == (50, 3)
        assert source.since == datetime(2025, 1, 1, tzinfo=UTC)
        assert source.politeness == Politeness(delay=0.0)

    @pytest.mark.parametrize(("value", "expected"), [
        ("2025-03-04T10:00:00+02:00", datetime.fromisoformat("2025-03-04T10:00:00+02:00")),
        ('"2025-03-04"', datetime(2025, 3, 4, tzinfo=UTC)),
        ("2025-03-04T10:00:00", datetime(2025, 3, 4, 10, tzinfo=UTC)),
    ])
    def test_since_forms(self, tmp_path, value, expected):
        spec = load_job_file(write(tmp_path, MINIMAL + f"since = {value}\n"))
        assert spec.sources[0].since == expected

    def test_a_source_may_start_from_a_feed_alone(self, tmp_path):
        spec = load_job_file(write(tmp_path, '[[sources]]\nname = "x"\n'
                                   'feeds = ["https://x.example/rss"]\n'))
        assert spec.sources[0].domains == ("x.example",)

    @pytest.mark.parametrize("path", sorted((ROOT / "jobs").glob("*.toml")),
                             ids=lambda p: p.name)
    def test_shipped_examples_are_valid(self, path):
        assert load_job_file(path).sources


BAD = [
    ("", "no sources"),
    ("sources = 3", "sources: expected [[sources]] tables"),
    ("nmae = 'x'\n" + MINIMAL, "nmae: unknown key (did you mean 'name'?)"),
    ("name = 'bad name'\n" + MINIMAL, "name: invalid job name 'bad name'"),
    ("max_pages = 0\n" + MINIMAL, "max_pages: must be at least 1, got 0"),
    ("max_pages = 'ten'\n" + MINIMAL, "max_pages: expected a whole number, got a string ('ten')"),
    ("endpoint_url = 'localhost:8333'\n" + MINIMAL, "endpoint_url: expected an http:// or"),
    ("store = ''\n" + MINIMAL, "store: is empty"),
    ("[politeness]\ndelay = -1\n" + MINIMAL, "politeness.delay: expected seconds"),
    ("[politeness]\nwait = 1\n" + MINIMAL, "politeness.wait: unknown key"),
    ("[settings]\ndownload_delay = 1\n" + MINIMAL, "settings.download_delay: Scrapy setting"),
    ("[settings]\nAWS_SECRET_ACCESS_KEY = 'x'\n" + MINIMAL,
     "settings.AWS_SECRET_ACCESS_KEY: credentials do not belong in a job file"),
    ("[settings]\nARCHIVE_DIR = 'x'\n" + MINIMAL, "settings.ARCHIVE_DIR: set it with the job "
     "key 'out'"),
    ('[[sources]]\nseeds = ["https://a.example/"]', "sources[0].name: missing"),
    ('[[sources]]\nname = "a b"\nseeds = ["https://a.example/"]',
     "sources[0].name: invalid source name 'a b'"),
    ('[[sources]]\nname = "a"', "sources[0].seeds: missing"),
    ('[[sources]]\nname = "a"\nseed = ["https://a.example/"]',
     "sources[0].seed: unknown key (did you mean 'seeds'?)"),
    ('[[sources]]\nname = "a"\nseeds = "https://a.example/"',
     'sources[0].seeds: expected a list, e.g. seeds = ["https://a.example/"]'),
    ('[[sources]]\nname = "a"\nseeds = ["a.example"]',
     "sources[0].seeds[0]: expected an http:// or https:// URL with a host, got 'a.example'"),
    (MINIMAL + "allowed_domains = ['https://herald.example/']",
     "sources[0].allowed_domains[0]: expected a host name such as 'herald.example', not a URL"),
    (MINIMAL + "exclude = ['(unclosed']",
     "sources[0].exclude[0]: invalid regular expression '(unclosed'"),
    (MINIMAL + "since = 'last week'",
     "sources[0].since: expected a date like 2025-01-01, got 'last week'"),
    (MINIMAL + "since = 2025",
     "sources[0].since: expected a date like 2025-01-01, got a number (2025)"),
    (MINIMAL + "discover_feeds = 'no'", "sources[0].discover_feeds: expected true or false"),
    (MINIMAL + "max_depth = true", "sources[0].max_depth: expected a whole number, got a "
     "boolean"),
    (MINIMAL + "[sources.politeness]\nconcurrency = 0",
     "sources[0].politeness.concurrency: must be at least 1, got 0"),
    (MINIMAL + MINIMAL, "sources[1].name: two sources are named 'herald'"),
    ("[[sources]\nname = 1", "invalid TOML"),
]


class TestBadJobs:
    @pytest.mark.parametrize(("text", "message"), BAD, ids=[m for _, m in BAD])
    def test_one_line_naming_file_and_key(self, tmp_path, text, message):
        path = write(tmp_path, text)
        with pytest.raises(JobFileError) as raised:
            load_job_file(path)
        report = str(raised.value)
        assert report.startswith(f"{path}: ") and message in report
        assert "\n" not in report

    def test_missing_file(self, tmp_path):
        with pytest.raises(JobFileError, match="no such job file"):
            load_job_file(tmp_path / "nope.toml")

    def test_directory_and_binary_file(self, tmp_path):
        with pytest.raises(JobFileError, match="is a directory"):
            load_job_file(tmp_path)
        (tmp_path / "bin.toml").write_bytes(b"\xff\xfe\x00name")
        with pytest.raises(JobFileError, match="not UTF-8"):
            load_job_file(tmp_path / "bin.toml")


class TestJobsCheckCommand:
    def test_valid_job_prints_what_it_would_crawl(self, tmp_path):
        path = write(tmp_path, 'name = "city"\n' + MINIMAL + "since = 2025-01-01\n")
        result = run_cli("jobs", "check", str(path))
        assert result.returncode == 0, result.stderr
        assert f"{path}: valid job 'city', 1 source(s)" in result.stdout
        assert "source herald:" in result.stdout and "since:" in result.stdout

    def test_the_requisites_choice_is_shown(self, tmp_path):
        path = write(tmp_path, 'requisites_exclude = ["widgets.example"]\n' + MINIMAL
                     + 'requisites = "same-site"\n')
        result = run_cli("jobs", "check", str(path))
        assert result.returncode == 0, result.stderr
        assert "requisites:     all (never from widgets.example)" in result.stdout
        assert "requisites:       same-site" in result.stdout
        bad = write(tmp_path, MINIMAL + 'requisites = "every"\n')
        result = run_cli("jobs", "check", str(bad))
        assert result.returncode == 2
        assert "sources[0].requisites: 'every' is not one of all, same-site, none" in \
            result.stderr

    def test_invalid_job_is_one_line_exit_2(self, tmp_path):
        path = write(tmp_path, MINIMAL + "since = 'soon'\n")
        result = run_cli("jobs", "check", str(path))
        assert result.returncode == 2 and result.stdout == ""
        assert result.stderr.strip().splitlines() == [
            f"newsarchive jobs check: error: {path}: sources[0].since: expected a date like "
            "2025-01-01, got 'soon'"]

    def test_jobs_needs_a_subcommand(self):
        result = run_cli("jobs")
        assert result.returncode == 2 and "error:" in result.stderr


class TestCrawlWithJobFile:
    def test_bad_job_file_writes_nothing(self, tmp_path):
        path = write(tmp_path, MINIMAL + "max_depth = -1\n")
        out = tmp_path / "out"
        result = run_cli("crawl", str(path), "--out", str(out))
        assert result.returncode == 2
        assert "sources[0].max_depth: must be at least 1" in result.stderr
        assert "Traceback" not in result.stderr and not out.exists()

    def test_job_file_and_seeds_together_are_refused(self, tmp_path):
        result = run_cli("crawl", str(write(tmp_path, MINIMAL)), "--seed",
                         "https://a.example/", "--out", str(tmp_path / "out"))
        assert result.returncode == 2 and "either a job file or --seed" in result.stderr

    def test_nothing_to_crawl(self, tmp_path):
        result = run_cli("crawl", "--out", str(tmp_path / "out"))
        assert result.returncode == 2 and "give a job file" in result.stderr

    def test_endpoint_needs_an_s3_store_from_either_place(self, tmp_path):
        path = write(tmp_path, 'store = "file:///tmp/x"\n' + MINIMAL)
        result = run_cli("crawl", str(path), "--endpoint-url", "http://127.0.0.1:9",
                         "--out", str(tmp_path / "out"))
        assert result.returncode == 2 and "--endpoint-url is for s3:// stores" in result.stderr


class TestSettingValues:
    def test_bad_setting_in_a_job_file(self, tmp_path):
        path = write(tmp_path, '[settings]\nDOWNLOAD_DELAY = "abc"\n' + MINIMAL)
        with pytest.raises(JobFileError, match=r"settings.DOWNLOAD_DELAY: expects a number, "
                           r"got 'abc'"):
            load_job_file(path)

    @pytest.mark.parametrize("pair", ["DOWNLOAD_DELAY=abc", "CONCURRENT_REQUESTS=x",
                                      "ROBOTSTXT_OBEY=maybe"])
    def test_bad_s_value_is_one_line_exit_2(self, tmp_path, pair):
        out = tmp_path / "out"
        result = run_cli("crawl", "--seed", "http://127.0.0.1:9/", "--out", str(out),
                         "-s", pair)
        assert result.returncode == 2, result.stderr
        assert result.stderr.strip().splitlines() == [
            f"newsarchive crawl: error: -s {pair.split('=')[0]} expects "
            + ("true or false" if "OBEY" in pair else "a number")
            + f", got '{pair.split('=')[1]}'"]
        assert not out.exists()

    def test_good_values_pass(self, tmp_path):
        path = write(tmp_path, '[settings]\nDOWNLOAD_TIMEOUT = 7.5\nROBOTSTXT_OBEY = false\n'
                     'LOG_LEVEL = "INFO"\n' + MINIMAL)
        assert load_job_file(path).settings["DOWNLOAD_TIMEOUT"] == 7.5

    def test_seed_outside_allowed_domains(self, tmp_path):
        path = write(tmp_path, MINIMAL + 'allowed_domains = ["other.example"]\n')
        with pytest.raises(JobFileError, match=r"sources\[0\].seeds\[0\]: https://herald.example/"
                           r" is not on any of allowed_domains \(other.example\)"):
            load_job_file(path)
