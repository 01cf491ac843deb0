"""Sources due every so often (``every``), runs with a time budget (``--max-duration``),
and what ``jobs check`` says of them (issue 19): crawls of the paced desks
(tests/sites/paced_desks.py) and the parts alone. Also what the simulated news web
(bench/newsweb_cycles.py) found at the scale of hundreds of hosts: a site reached
through its alias must be paced as itself."""

from __future__ import annotations

import itertools
import json
import re
import sqlite3
import time
from pathlib import Path

import pytest

from archive.state.robotscache import RobotsCache
from crawler.jobfiles.duration import format_duration, parse_duration
from crawler.jobfiles.load import JobFileError, parse_job
from crawler.jobfiles.spec import Source
from crawler.sourcedue import due_at, grace, sort_by_due
from crawler.spiders.slowfirst import slowest_first
from tests.conftest import run_cli
from tests.sites.paced_desks import Desk, alias_of, running

JOB = "desks"


class TestDurations:
    @pytest.mark.parametrize(("text", "seconds"), [
        ("15m", 900), ("1h30m", 5400), ("2d", 172800), ("90", 90), (" 1H ", 3600), (45, 45)])
    def test_read(self, text, seconds):
        assert parse_duration(text) == seconds

    @pytest.mark.parametrize("text", ["", "0", "-5m", "soon", "5x", "1h-", True])
    def test_refused(self, text):
        with pytest.raises(ValueError, match="duration"):
            parse_duration(text)

    def test_written_back(self):
        assert [format_duration(s) for s in (900, 5400, 90, 86400 + 60)] == \
            ["15m", "1h30m", "1m30s", "1d1m"]


class TestDue:
    def test_a_source_without_every_is_due_at_every_run(self):
        assert due_at(Source("a", ("http://a.example/",)), 1000.0) is None

    def test_due_once_its_interval_has_passed_less_the_grace(self):
        hourly = Source("h", ("http://h.example/",), every=3600)
        assert grace(3600) == 60 and grace(60) == 6
        assert due_at(hourly, 1000.0) == 1000 + 3600 - 60
        assert due_at(hourly, None) is None  # never crawled whole: due now
        times = sort_by_due([hourly, Source("a", ("http://a.example/",))], {"h": 1000.0},
                            now=1000 + 3540)
        assert [s.name for s in times.due] == ["h", "a"]
        times = sort_by_due([hourly], {"h": 1000.0}, now=1000 + 3539)
        assert times.due == [] and times.next_due == (hourly, 1000 + 3540)


class TestJobFile:
    def parse(self, text: str):
        import tomllib
        return parse_job(tomllib.loads(text), Path("jobs/x.toml"))

    def test_job_every_is_each_sources_default(self):
        spec = self.parse('every = "1d"\nmax_duration = "50m"\n'
                          '[[sources]]\nname = "a"\nseeds = ["http://a.example/"]\n'
                          '[[sources]]\nname = "b"\nseeds = ["http://b.example/"]\n'
                          'every = "15m"\n')
        assert [s.every for s in spec.sources] == [86400, 900]
        assert spec.max_duration == 3000

    @pytest.mark.parametrize(("line", "message"), [
        ('every = "often"', 'sources[0].every: expected a duration, e.g. "15m"'),
        ("every = 0", "sources[0].every: expected a duration above zero"),
        ("every = [1]", "sources[0].every: expected a duration"),
    ])
    def test_a_bad_every_names_the_key(self, line, message):
        with pytest.raises(JobFileError, match=re.escape(message)):
            self.parse(f'[[sources]]\nname = "a"\nseeds = ["http://a.example/"]\n{line}\n')


def job_file(tmp: Path, sites, everies: list[str | None], extra: str = "") -> Path:
    path = tmp / f"{JOB}.toml"
    sources = "".join(
        f'[[sources]]\nname = "{site.desk.name}"\nseeds = ["{site.base}/"]\n'
        + (f'every = "{every}"\n' if every else "")
        for site, every in zip(sites, everies, strict=True))
    path.write_text(f'name = "{JOB}"\nrequisites = "none"\n{extra}\n{sources}',
                    encoding="utf-8")
    return path


def crawl(tmp: Path, job: Path, *args: str):
    return run_cli("crawl", str(job), "--out", str(tmp / "archive"), "-s", "DOWNLOAD_DELAY=0",
                   "-s", "EXTRACT_INLINE=True", *args)


def reports(tmp: Path) -> list[dict]:
    return [json.loads(p.read_text("utf-8"))
            for p in sorted((tmp / "archive" / "manifests").glob("*.report.json"))]


def test_a_source_not_due_is_left_out_until_it_is(tmp_path):
    with running(Desk("front"), Desk("daily")) as (front, daily):
        job = job_file(tmp_path, [front, daily], ["1h", None])
        first = crawl(tmp_path, job)
        assert first.returncode == 0, first.stdout + first.stderr
        front.reset_requests()
        daily.reset_requests()
        front.desk.publish()
        daily.desk.publish()
        second = crawl(tmp_path, job)
        assert second.returncode == 0, second.stdout + second.stderr
        assert front.requests() == []  # due in an hour
        assert "/story/2-1" in daily.hits()
        assert "Sources due:          1 of 2; next due: front, at" in second.stdout
        checked = run_cli("jobs", "check", str(job), "--out", str(tmp_path / "archive"))
        assert checked.returncode == 0, checked.stderr
        assert "every:            1h; last crawled whole" in checked.stdout
        assert "; next due " in checked.stdout and "(in 5" in checked.stdout


def test_a_link_into_a_source_not_due_waits_for_its_run(tmp_path):
    """The daily desk links the front desk's new story; the front desk is not due, so
    the story is not fetched by this run but left in the job's frontier, under its own
    source, for the run that takes the front desk up."""
    with running(Desk("front"), Desk("daily")) as (front, daily):
        job = job_file(tmp_path, [front, daily], ["1h", None])
        first = crawl(tmp_path, job)
        assert first.returncode == 0, first.stdout + first.stderr
        front.reset_requests()
        front.desk.publish()
        daily.desk.elsewhere = [f"{front.base}/story/2-1"]
        second = crawl(tmp_path, job)
        assert second.returncode == 0, second.stdout + second.stderr
        assert front.requests() == []
        state = sqlite3.connect(tmp_path / "archive" / "state" / f"{JOB}.sqlite")
        try:
            waiting = state.execute("SELECT url, source FROM frontier").fetchall()
        finally:
            state.close()
        assert waiting == [(f"{front.base}/story/2-1", "front")]


def test_a_run_with_nothing_due_says_when_and_writes_nothing(tmp_path):
    with running(Desk("front")) as (front,):
        job = job_file(tmp_path, [front], ["1d"])
        assert crawl(tmp_path, job).returncode == 0
        manifests = sorted((tmp_path / "archive" / "manifests").iterdir())
        again = crawl(tmp_path, job)
        assert again.returncode == 0, again.stderr
        assert again.stdout.startswith(f"newsarchive crawl: nothing to crawl: no source of "
                                       f"job {JOB} is due yet; the next is front, due at ")
        assert "(in 23h5" in again.stdout  # a day, less a minute's grace
        assert sorted((tmp_path / "archive" / "manifests").iterdir()) == manifests


def test_a_run_under_way_takes_up_a_source_as_it_falls_due(tmp_path):
    """The front page is due every 15 s; a run that is busy with a slow desk for longer
    than that takes it up, rather than leaving it to wait behind the job's lock."""
    with running(Desk("front"), Desk("slow", per_edition=6)) as (front, slow):
        job = job_file(tmp_path, [front, slow], ["15s", None])
        assert crawl(tmp_path, job, "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1").returncode == 0
        # Crawled whole just now, whatever the first run's own start-up took.
        state = sqlite3.connect(tmp_path / "archive" / "state" / f"{JOB}.sqlite")
        with state:
            state.execute("UPDATE source_crawls SET started = ?", (time.time(),))
        state.close()
        front.reset_requests()
        front.desk.publish()
        slow.desk.publish()
        slow.desk.delay = 3.0  # six new stories, 3 s each: 18 s
        second = crawl(tmp_path, job, "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1",
                       "-s", "SOURCES_DUE_CHECK_INTERVAL=0.5")
        assert second.returncode == 0, second.stdout + second.stderr
        assert "/story/2-1" in front.hits()
        assert "Sources due:          1 of 2, 1 more taken up as they fell due" in second.stdout
        assert reports(tmp_path)[-1]["counts"]["articles"]["new"] == 6 + 2


def test_a_time_budget_stops_the_run_and_the_next_goes_on(tmp_path):
    with running(Desk("slow", per_edition=12, delay=0.5)) as (slow,):
        job = job_file(tmp_path, [slow], ["1h"])
        cut = crawl(tmp_path, job, "--max-duration", "4", "-s", "CONCURRENT_REQUESTS=1")
        assert cut.returncode == 0, cut.stdout + cut.stderr
        assert "Finish reason:        max_duration" in cut.stdout
        written = reports(tmp_path)[-1]["counts"]["articles"]["new"]
        assert 0 < written < 12
        # Cut short, the source was not crawled whole: still due.
        checked = run_cli("jobs", "check", str(job), "--out", str(tmp_path / "archive"))
        assert "never crawled whole: due now" in checked.stdout
        rest = crawl(tmp_path, job)
        assert rest.returncode == 0, rest.stdout + rest.stderr
        assert reports(tmp_path)[-1]["counts"]["articles"]["new"] == 12 - written
        assert "Finish reason:        finished" in rest.stdout


def test_a_site_reached_through_its_alias_is_paced_as_itself(tmp_path):
    """A seed on a "www" alias that redirects to the site: the redirected requests are
    paced as the site's own host, whose Crawl-delay holds between all of them; the
    robots.txt the alias redirected to is the site's own, not asked for again."""
    with running(Desk("front", per_edition=4, crawl_delay=1.0)) as (front,), \
            alias_of(front) as alias:
        host = lambda base: base.split("//", 1)[1]  # noqa: E731
        job = tmp_path / f"{JOB}.toml"
        job.write_text(f'name = "{JOB}"\nrequisites = "none"\n[[sources]]\nname = "front"\n'
                       f'seeds = ["{alias.base}/"]\n'
                       f'allowed_domains = ["{host(alias.base)}", "{host(front.base)}"]\n',
                       encoding="utf-8")
        result = run_cli("crawl", str(job), "--out", str(tmp_path / "archive"),
                         "-s", "EXTRACT_INLINE=True", "-s", "AUTOTHROTTLE_ENABLED=False")
        assert result.returncode == 0, result.stdout + result.stderr
        times = sorted((t, target) for target, ts in front.times().items() for t in ts)
    assert len(times) >= 6  # robots.txt, the home page, four stories
    assert [target for _, target in times].count("/robots.txt") == 1, times
    gaps = [(b[0] - a[0], a[1], b[1]) for a, b in itertools.pairwise(times)]
    assert min(gaps)[0] >= 0.8, min(gaps)


def test_sources_whose_host_asked_for_a_long_crawl_delay_start_first(tmp_path):
    """From the job's robots.txt cache: the last answer of each source's host."""
    cache = RobotsCache(tmp_path / "robots")
    cache.save("http://slow.example/robots.txt", b"User-agent: *\nCrawl-delay: 3\n")
    cache.save("http://slower.example/robots.txt", b"User-agent: *\nCrawl-delay: 10\n")
    cache.save("http://plain.example/robots.txt", b"User-agent: *\nDisallow: /search\n")
    cache.save("http://other.example/robots.txt", b"User-agent: otherbot\nCrawl-delay: 60\n")
    sources = [Source(name, seeds=(f"http://{name}.example/",))
               for name in ("plain", "new", "slow", "other", "slower")]
    ordered = [s.name for s in slowest_first(sources, cache, "newsarchive/0.1")]
    assert ordered == ["slower", "slow", "plain", "new", "other"]
    # A first run knows no host: the job file's order.
    empty = RobotsCache(tmp_path / "none")
    assert [s.name for s in slowest_first(sources, empty, "newsarchive/0.1")] == [
        "plain", "new", "slow", "other", "slower"]
