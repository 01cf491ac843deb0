"""Run reports read back for status, health baselines and the dashboard."""

from __future__ import annotations

import json
from pathlib import Path

from archive.status.reports import newest_reports, reports_by_job, run_reports


def write(folder: Path, name: str, report: dict | str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    text = report if isinstance(report, str) else json.dumps(report)
    (folder / name).write_text(text, encoding="utf-8")


def test_reports_come_oldest_first_per_job_and_unreadable_ones_are_left_out(tmp_path):
    manifests = tmp_path / "manifests"
    write(manifests, "news-b.report.json", {"job": "news", "started": "2026-12-02T10:00:00"})
    write(manifests, "news-a.report.json", {"job": "news", "started": "2026-12-01T10:00:00"})
    write(manifests, "blogs-a.report.json", {"job": "blogs", "started": "2026-12-03T10:00:00"})
    write(manifests, "news-c.report.json", "{half written")
    write(manifests, "news-b.json", {"job": "news", "files": []})  # a manifest, not a report

    grouped = reports_by_job(tmp_path)

    assert list(grouped) == ["blogs", "news"]
    assert [r["started"] for r in grouped["news"]] == ["2026-12-01T10:00:00",
                                                      "2026-12-02T10:00:00"]
    assert [r["job"] for r in run_reports(tmp_path, job="blogs")] == ["blogs"]


def test_no_manifests_folder_is_no_runs(tmp_path):
    assert run_reports(tmp_path) == []


def test_the_latest_few_are_read_newest_first_and_other_jobs_are_not_read(tmp_path):
    manifests = tmp_path / "manifests"
    for hour in range(5):
        write(manifests, f"news-20261201T{hour:02}0000Z.report.json",
              {"job": "news", "started": f"2026-12-01T{hour:02}:00:00", "hour": hour})
    write(manifests, "news-uk-20261201T230000Z.report.json",
          {"job": "news-uk", "started": "2026-12-01T23:00:00"})
    write(manifests, "blogs-20261201T010000Z.report.json", "{not read: not news")

    assert [r["hour"] for r in run_reports(tmp_path, job="news", latest=2)] == [3, 4]
    assert [r["hour"] for r in newest_reports(tmp_path, job="news")] == [4, 3, 2, 1, 0]
    assert [r["job"] for r in run_reports(tmp_path, job="news-uk")] == ["news-uk"]
