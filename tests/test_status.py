"""``collect_status`` and ``newsarchive status``: every job and source at a glance.

The figures come from real crawls of the local test site where they are a crawl's;
the flags from run reports written here in the shape the crawl writes them (with
the per-source counters and ``alerts`` of the health checks).
"""

from __future__ import annotations

import json
import os
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from archive.errors import StatusError
from archive.status.collect import collect_status
from archive.store.digests import file_digests
from archive.store.filestore import FileStore
from tests.conftest import FAST, run_cli

NOW = datetime(2026, 6, 20, 12, 0, tzinfo=UTC)


def write_report(out: Path, job: str, crawl_id: str, started: datetime, *,
                 sources: dict | None = None, failed: tuple[str, ...] = (),
                 alerts: list[dict] | None = None, exit_status: int = 0,
                 finish_reason: str = "finished", worker: str = "") -> dict:
    report = {
        "report_version": 1, "job": job, "crawl_id": crawl_id,
        "started": started.isoformat(), "finished": (started + timedelta(seconds=90)).isoformat(),
        "duration_seconds": 90.0, "finish_reason": finish_reason, "exit_status": exit_status,
        "problems": [alert["message"] for alert in alerts or []],
        "sources": sources or {},
        "failed_sources": [{"source": name, "reason": "connection refused",
                            "failing_since": crawl_id, "runs": 1} for name in failed],
        "alerts": alerts or [],
        "files": [],
    }
    folder = out / "manifests"
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{job}-{crawl_id}" + (f"-{worker}" if worker else "") + ".report.json"
    (folder / name).write_text(json.dumps(report), encoding="utf-8")
    return report


def alert(source: str, signal: str, message: str) -> dict:
    return {"source": source, "signal": signal, "value": 0.1, "baseline": 0.9, "runs": 5,
            "message": message}


def source(status: dict, job: str, name: str) -> dict:
    [entry] = [j for j in status["jobs"] if j["job"] == job]
    [found] = [s for s in entry["sources"] if s["source"] == name]
    return found


def tree_bytes(*folders: Path) -> int:
    return sum(p.stat().st_size for folder in folders if folder.is_dir()
               for p in folder.rglob("*") if p.is_file())


# -- from real crawls ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def two_runs(test_crawl, tmp_path_factory):
    """The shared crawl of the test site, and a second (incremental) run of its job."""
    out = tmp_path_factory.mktemp("status") / "archive"
    shutil.copytree(test_crawl.out, out)
    result = run_cli("crawl", "--seed", _seed(test_crawl), "--out", str(out),
                     "--job", test_crawl.job, *FAST)
    assert result.returncode == 0, result.stderr[-3000:]
    return out, test_crawl.job


def _seed(crawl) -> str:
    [report] = (crawl.out / "manifests").glob("*.report.json")
    [name] = json.loads(report.read_text())["sources"]
    host, port = name.rsplit("-", 1)
    return f"http://{host}:{port}/"


def reports_of(out: Path) -> list[dict]:
    return [json.loads(p.read_text()) for p in sorted((out / "manifests").glob("*.report.json"))]


class TestFromCrawls:
    def test_last_run_and_source_figures_are_the_reports(self, two_runs):
        out, job = two_runs
        _, second = reports_of(out)
        status = collect_status(out)
        [entry] = status["jobs"]
        assert (entry["job"], entry["runs"]) == (job, 2)
        last = entry["last_run"]
        assert last == {
            "crawl_id": second["crawl_id"], "started": second["started"],
            "finished": second["finished"], "duration_seconds": second["duration_seconds"],
            "exit_status": 0, "finish_reason": "finished",
            "report": str(out / "manifests" / f"{job}-{second['crawl_id']}.report.json"),
            "errors": {kind: n for kind, n in second["errors"].items() if n},
            "blocked_pages": {}}
        assert last["errors"], "the test site answers some pages with errors"
        [name] = second["sources"]
        figures = source(status, job, name)
        assert figures["last_run"]["pages"] == second["sources"][name]["pages"] > 0
        assert figures["last_7_days"]["runs"] == 2
        assert figures["flags"] == [] and status["flagged"] == []
        assert figures["next_due"] is None
        assert entry["files_waiting"] == {"count": 0, "bytes": 0, "oldest": None}

    def test_disk_is_what_the_spool_and_state_take(self, two_runs):
        out, _ = two_runs
        disk = collect_status(out)["disk"]
        assert disk["spool_bytes"] == tree_bytes(out / "warc", out / "articles") > 0
        assert disk["state_bytes"] == tree_bytes(out / "state") > 0
        assert disk["query_cache_bytes"] == 0

    def test_runs_older_than_a_week_leave_the_recent_figures(self, two_runs):
        out, _ = two_runs
        later = datetime.fromisoformat(reports_of(out)[-1]["started"]) + timedelta(days=8)
        status = collect_status(out, now=later)
        [entry] = status["jobs"]
        assert entry["runs"] == 2
        assert all(s["last_7_days"] == {"runs": 0, "articles_new": 0, "articles_changed": 0}
                   for s in entry["sources"])


# -- flags, from run reports --------------------------------------------------------------
class TestFlags:
    def test_a_source_whose_site_never_answered_is_failing(self, tmp_path):
        write_report(tmp_path, "news", "20260620T100000Z", NOW - timedelta(hours=2),
                     sources={"live": {"pages": 10}, "down": {"unreachable": 3}},
                     failed=("down",), exit_status=1)
        status = collect_status(tmp_path, now=NOW)
        assert source(status, "news", "down")["flags"] == ["failing"]
        assert source(status, "news", "live")["flags"] == []
        assert status["flagged"] == ["news/down"]

    def test_a_health_alert_is_drift(self, tmp_path):
        drop = alert("live", "articles", "live: 2 articles, usually 40")
        write_report(tmp_path, "news", "20260620T100000Z", NOW - timedelta(hours=2),
                     sources={"live": {"pages": 10, "articles": 2}}, alerts=[drop])
        figures = source(collect_status(tmp_path, now=NOW), "news", "live")
        assert figures["flags"] == ["drift"] and figures["alerts"] == [drop]

    def test_blocked_pages_named_by_an_alert_are_blocked(self, tmp_path):
        wall = alert("walled", "blocked_share", "walled: 60% of pages blocked, usually 0%")
        odd = alert("odd", "blocked_share", "odd: blocked share up")
        write_report(tmp_path, "news", "20260620T100000Z", NOW - timedelta(hours=2),
                     sources={"walled": {"pages": 10, "blocked": 6},
                              "quiet": {"pages": 10, "blocked": 1},
                              "odd": {"pages": 10}},
                     alerts=[wall, odd])
        status = collect_status(tmp_path, now=NOW)
        assert source(status, "news", "walled")["flags"] == ["blocked"]
        # Blocked pages without an alert are not worth a flag; an alert about blocking
        # with no blocked page counted is still an alert.
        assert source(status, "news", "quiet")["flags"] == []
        assert source(status, "news", "odd")["flags"] == ["drift"]
        assert status["flagged"] == ["news/odd", "news/walled"]

    def test_only_the_latest_run_flags(self, tmp_path):
        write_report(tmp_path, "news", "20260619T100000Z", NOW - timedelta(days=1),
                     sources={"down": {}}, failed=("down",), exit_status=1)
        write_report(tmp_path, "news", "20260620T100000Z", NOW - timedelta(hours=1),
                     sources={"down": {"pages": 5}})
        assert collect_status(tmp_path, now=NOW)["flagged"] == []


class TestFigures:
    def test_recent_runs_add_up_and_older_reports_count_as_zero(self, tmp_path):
        write_report(tmp_path, "news", "20260601T100000Z", NOW - timedelta(days=19),
                     sources={"a": {"pages": 9, "new": 100}})
        write_report(tmp_path, "news", "20260618T100000Z", NOW - timedelta(days=2),
                     sources={"a": {"pages": 7, "articles": 3}})  # before the new counters
        write_report(tmp_path, "news", "20260620T100000Z", NOW - timedelta(hours=1),
                     sources={"a": {"pages": 5, "new": 2, "changed": 1, "errors": 4,
                                    "blocked": 1, "not_modified": 3}})
        figures = source(collect_status(tmp_path, now=NOW), "news", "a")
        assert figures["last_run"] == {"pages": 5, "articles_new": 2, "articles_changed": 1,
                                       "errors": 4, "blocked": 1, "not_modified": 3}
        assert figures["last_7_days"] == {"runs": 2, "articles_new": 2, "articles_changed": 1}

    def test_the_workers_of_a_distributed_run_are_one_run(self, tmp_path):
        start = NOW - timedelta(hours=1)
        write_report(tmp_path, "news", "20260620T110000Z", start,
                     sources={"a": {"pages": 5, "new": 2}}, worker="w1")
        write_report(tmp_path, "news", "20260620T110000Z", start + timedelta(seconds=30),
                     sources={"a": {"pages": 4, "new": 1}}, exit_status=1,
                     finish_reason="shutdown", worker="w2")
        [entry] = collect_status(tmp_path, now=NOW)["jobs"]
        assert entry["runs"] == 1
        last = entry["last_run"]
        assert (last["exit_status"], last["finish_reason"], last["duration_seconds"]) == \
            (1, "shutdown", 120.0)
        assert entry["sources"][0]["last_run"]["pages"] == 9
        assert entry["sources"][0]["last_run"]["articles_new"] == 3

    def test_a_crawl_known_by_its_manifest_alone_is_a_run(self, tmp_path):
        write_report(tmp_path, "news", "20260619T100000Z", NOW - timedelta(days=1))
        manifest = {"manifest_version": 1, "job": "news", "crawl_id": "20260620T100000Z",
                    "started": (NOW - timedelta(hours=2)).isoformat(),
                    "finished": (NOW - timedelta(hours=1)).isoformat(),
                    "finish_reason": "finished", "counts": {}, "files": []}
        (tmp_path / "manifests" / "news-20260620T100000Z.json").write_text(json.dumps(manifest))
        [entry] = collect_status(tmp_path, now=NOW)["jobs"]
        assert entry["runs"] == 2
        assert entry["last_run"]["crawl_id"] == "20260620T100000Z"
        assert (entry["last_run"]["exit_status"], entry["last_run"]["report"]) == (None, None)
        assert entry["last_run"]["duration_seconds"] == 3600.0

    def test_files_the_store_did_not_take_wait(self, tmp_path):
        folder = tmp_path / "warc" / "news"
        folder.mkdir(parents=True)
        for name, age in (("sent.warc.gz", 0), ("pending.warc.gz", 3600),
                          ("unlisted.warc.gz", 600), ("open.warc.gz.open", 7200)):
            (folder / name).write_bytes(b"x" * 100)
            moment = (NOW - timedelta(seconds=age)).timestamp()
            os.utime(folder / name, (moment, moment))
        manifest = {"manifest_version": 1, "job": "news", "crawl_id": "20260620T100000Z",
                    "started": NOW.isoformat(), "finished": NOW.isoformat(),
                    "store": "s3://bucket/x", "counts": {}, "files": [
                        {"path": "warc/news/sent.warc.gz", "size": 100,
                         "store": {"key": "warc/news/sent.warc.gz", "size": 100}},
                        {"path": "warc/news/pending.warc.gz", "size": 100, "pending": True}]}
        (tmp_path / "manifests").mkdir()
        (tmp_path / "manifests" / "news-20260620T100000Z.json").write_text(json.dumps(manifest))
        [entry] = collect_status(tmp_path, now=NOW)["jobs"]
        assert entry["files_waiting"] == {"count": 2, "bytes": 200,
                                          "oldest": (NOW - timedelta(hours=1)).isoformat()}

    def test_a_job_without_a_store_keeps_its_files_on_purpose(self, tmp_path):
        write_report(tmp_path, "news", "20260620T100000Z", NOW - timedelta(hours=1))
        (tmp_path / "warc" / "news").mkdir(parents=True)
        (tmp_path / "warc" / "news" / "a.warc.gz").write_bytes(b"x")
        [entry] = collect_status(tmp_path, now=NOW)["jobs"]
        assert entry["files_waiting"]["count"] == 0


class TestErrors:
    def test_no_archive_and_no_such_job_say_what_to_give(self, tmp_path):
        with pytest.raises(StatusError, match="is not an archive directory"):
            collect_status(tmp_path / "nothing")
        write_report(tmp_path, "news", "20260620T100000Z", NOW)
        with pytest.raises(StatusError, match=r"no runs of job blogs .*\(its jobs: news\)"):
            collect_status(tmp_path, job="blogs")

    def test_a_damaged_report_is_left_out(self, tmp_path):
        write_report(tmp_path, "news", "20260620T100000Z", NOW)
        (tmp_path / "manifests" / "news-20260620T110000Z.report.json").write_text("{half")
        assert collect_status(tmp_path, now=NOW)["jobs"][0]["runs"] == 1


# -- the command ---------------------------------------------------------------------------
def flagged_archive(root: Path) -> Path:
    now = datetime.now(UTC)
    write_report(root, "news", "20260620T100000Z", now - timedelta(hours=3),
                 sources={"live": {"pages": 12, "new": 4, "changed": 1, "errors": 2}},
                 exit_status=0)
    write_report(root, "news", "20260620T130000Z", now - timedelta(minutes=30),
                 sources={"live": {"pages": 10, "new": 3, "errors": 1},
                          "down": {"unreachable": 3}},
                 failed=("down",), exit_status=1,
                 alerts=[alert("live", "dated_share", "live: 10% dated, usually 95%")])
    return root


class TestCommand:
    def test_one_header_per_job_and_one_line_per_source(self, two_runs):
        out, job = two_runs
        first, second = reports_of(out)
        [name] = second["sources"]
        result = run_cli("status", "--out", str(out))
        assert result.returncode == 0, result.stderr
        lines = result.stdout.splitlines()
        assert lines[0].startswith(f"{out}: spool ") and ", state " in lines[0]
        [header] = [line for line in lines if line.startswith(f"{job}: ")]
        assert f"exit 0, finished, {second['duration_seconds']} s; 2 runs; files waiting: none" \
            in header
        assert second["started"][:16].replace("T", " ") + " UTC" in header
        kinds = ", ".join(f"{kind} {n}" for kind, n in
                          sorted(second["errors"].items(), key=lambda i: (-i[1], i[0])))
        assert f"  last run's errors: {kinds}" in lines
        [row] = [line for line in lines if line.startswith(f"  {name} ")]
        now, before = second["sources"][name], first["sources"][name]
        assert before["new"] > 0  # the first run archived the site, the second found it known
        assert row.split() == [name, str(now["pages"]), str(now.get("new", 0)),
                               str(now.get("changed", 0)),
                               str(before["new"] + now.get("new", 0)),
                               str(before.get("changed", 0) + now.get("changed", 0)),
                               str(now.get("errors", 0)), "0", "ok"]

    def test_a_flagged_source_exits_1_and_says_why(self, tmp_path):
        out = flagged_archive(tmp_path / "archive")
        result = run_cli("status", "--out", str(out))
        assert result.returncode == 1, result.stderr
        lines = result.stdout.splitlines()
        [live] = [line for line in lines if line.startswith("  live ")]
        assert live.split() == ["live", "10", "3", "0", "7", "1", "1", "0", "drift"]
        [down] = [line for line in lines if line.startswith("  down ")]
        assert down.split()[-1] == "failing"
        assert "  ! live: live: 10% dated, usually 95%" in lines
        assert lines[-1] == "flagged: news/down, news/live"
        assert "exit 1, finished, 90.0 s; 2 runs" in result.stdout

    def test_json_is_collect_status(self, tmp_path):
        out = flagged_archive(tmp_path / "archive")
        result = run_cli("status", "--out", str(out), "--job", "news", "--json")
        assert result.returncode == 1
        printed = json.loads(result.stdout)
        expected = collect_status(out, job="news", now=datetime.fromisoformat(
            printed["generated"]))
        assert printed == expected
        assert printed["flagged"] == ["news/down", "news/live"]

    def test_page_text_cannot_steer_the_terminal(self, tmp_path):
        write_report(tmp_path, "news", "20260620T100000Z", datetime.now(UTC),
                     sources={"evil\x1b[2J": {"pages": 1}},
                     alerts=[alert("evil\x1b[2J", "articles", "title \x1b]0;owned\x07 \u202e")])
        result = run_cli("status", "--out", str(tmp_path))
        assert result.returncode == 1
        assert "\x1b" not in result.stdout and "\u202e" not in result.stdout
        assert "evil\\x1b[2J" in result.stdout and "\\u202e" in result.stdout
        as_json = run_cli("status", "--out", str(tmp_path), "--json")
        assert "\x1b" not in as_json.stdout and "\u202e" not in as_json.stdout
        assert json.loads(as_json.stdout)["flagged"] == ["news/evil\x1b[2J"]

    @pytest.mark.parametrize(("args", "message"), [
        (["--out", "{tmp}/nothing"], "is not an archive directory"),
        (["--out", "{tmp}/archive", "--job", "blogs"], "no runs of job blogs in"),
        (["--out", "{tmp}/archive", "--job", "../x"], "invalid job name"),
        (["--store", "ftp://somewhere/x"], "unsupported store"),
        (["--endpoint-url", "http://127.0.0.1:1"], "--endpoint-url"),
    ])
    def test_bad_usage_is_one_line_and_exit_2(self, tmp_path, args, message):
        flagged_archive(tmp_path / "archive")
        result = run_cli("status", *[arg.format(tmp=tmp_path) for arg in args])
        assert result.returncode == 2, result.stdout + result.stderr
        assert result.stdout == "" and len(result.stderr.splitlines()) == 1
        assert result.stderr.startswith("newsarchive status: error: ")
        assert message in result.stderr


class TestFromAStore:
    def test_a_file_store_is_read_through_the_cache(self, tmp_path):
        local = tmp_path / "crawler"
        report = write_report(local, "news", "20260620T100000Z", NOW - timedelta(hours=1),
                              sources={"down": {}}, failed=("down",), exit_status=1)
        store = FileStore(tmp_path / "bucket")
        path = local / "manifests" / "news-20260620T100000Z.report.json"
        store.put(path, "manifests/" + path.name, file_digests(path))
        status = collect_status(tmp_path / "elsewhere", store=store, cache=tmp_path / "cache",
                                now=NOW)
        assert status["store"] == store.uri and status["flagged"] == ["news/down"]
        assert status["jobs"][0]["last_run"]["report"] == f"{store.uri}/manifests/{path.name}"
        assert status["jobs"][0]["last_run"]["crawl_id"] == report["crawl_id"]
        assert status["disk"]["query_cache_bytes"] == path.stat().st_size
        with pytest.raises(StatusError, match="no runs of job blogs in file://"):
            collect_status(tmp_path / "elsewhere", store=store, cache=tmp_path / "cache",
                           job="blogs")

    def test_an_unwritable_cache_is_one_message(self, tmp_path):
        write_report(tmp_path / "crawler", "news", "20260620T100000Z", NOW)
        path = tmp_path / "crawler" / "manifests" / "news-20260620T100000Z.report.json"
        store = FileStore(tmp_path / "bucket")
        store.put(path, "manifests/" + path.name, file_digests(path))
        (tmp_path / "file").write_text("not a directory")
        with pytest.raises(StatusError, match=r"cannot keep manifests/news-.* in the query cache"):
            collect_status(tmp_path / "elsewhere", store=store, cache=tmp_path / "file" / "c")
