"""The dashboard's pages by path: what each GET answers, read fresh from the archive.

Nothing here writes: the pages read run reports, article indexes and WARC
records, and the server only ever answers GET (see :mod:`.server`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from archive.dashboard import pages
from archive.dashboard.data import Source, job_names, job_view
from archive.dashboard.replaylinks import ReplayLinks
from archive.errors import ArchiveError, CaptureError
from archive.query.articles import open_articles
from archive.status.collect import collect_status
from archive.status.reports import reports_by_job
from archive.warc.capture import read_capture

HTML = "text/html; charset=utf-8"
STATIC_TYPES = {".css": "text/css; charset=utf-8", ".svg": "image/svg+xml"}
# Characters of the decoded body shown under a capture (as `newsarchive show`'s default).
BODY_CHARS = 2000
DEFAULT_REPLAY_PORT = 8090

# Each distributed crawl as `newsarchive workers` prints it (the command line passes
# one in: the Redis view lives in crawler.distributed).
WorkersView = Callable[[], Sequence[str]]


@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str
    body: bytes


class Dashboard:
    """The pages of the dashboard over the archive ``source`` (``job``: only that job).

    ``workers``, when given, describes the distributed crawls; it raises
    ArchiveError when their Redis cannot be read (the page says so).
    """

    def __init__(self, source: Source, *, job: str | None = None,
                 replay_port: int = DEFAULT_REPLAY_PORT,
                 workers: WorkersView | None = None) -> None:
        self.source = source
        self.job = job
        self.replay_port = replay_port
        self.workers = workers

    def answer(self, path: str, query: str) -> Answer:
        """The answer to ``GET path?query``."""
        params = {name: values[-1] for name, values in parse_qs(query).items()}
        if path == "/":
            return _html(200, self.overview())
        if path in ("/article", "/capture"):
            return self._article(path, params)
        if path.startswith("/static/"):
            return _static(path.removeprefix("/static/"))
        return _html(404, pages.error_page(404, f"no page {path}"))

    def overview(self) -> str:
        # Flags, files waiting and disk use are `newsarchive status`'s, for the runs
        # recorded in --out (an archive with articles and no run yet has none).
        try:
            status: dict[str, Any] | None = collect_status(self.source.out, job=self.job)
        except ArchiveError:
            status = None
        by_job = {entry.get("job"): entry for entry in (status or {}).get("jobs") or []}
        # Every run report read once for the page, not once more for each job.
        reports = reports_by_job(self.source.out, job=self.job)
        views = [job_view(self.source, job, reports.get(job, []), status=by_job.get(job))
                 for job in job_names(self.source, reports, self.job)]
        replay = ReplayLinks(self.source.out, self.replay_port, store=self.source.store)
        crawls, problem = None, ""
        if self.workers is not None:
            try:
                crawls = list(self.workers())
            except ArchiveError as exc:
                problem = str(exc)
        where = self.source.store or str(self.source.out)
        return pages.overview(views, where=where, replay=replay, status=status,
                              workers=crawls, workers_problem=problem)

    def _article(self, path: str, params: Mapping[str, str]) -> Answer:
        job, url = params.get("job", ""), params.get("url", "")
        if not job or not url:
            return _html(400, pages.error_page(400, "give the article's job and url"))
        if self.job and job != self.job:
            return _html(404, pages.error_page(404, f"this dashboard shows job {self.job} only"))
        try:
            with open_articles(self.source.out, **self.source.query_options(), job=job) as query:
                found, store = query.find_url(url), query.store
        except ArchiveError as exc:
            return _html(404, pages.error_page(404, str(exc)))
        if not found:
            return _html(404, pages.error_page(404, f"no article with URL {url} in job {job}"))
        article = found[0]
        if path == "/article":
            return _html(200, pages.article_page(article))
        try:
            capture = read_capture(article.get("warc") or {}, root=self.source.out, store=store)
        except CaptureError as exc:
            return _html(404, pages.error_page(404, str(exc)))
        return _html(200, pages.capture_page(article, capture, body_chars=BODY_CHARS))


def _html(status: int, text: str) -> Answer:
    return Answer(status, HTML, text.encode("utf-8"))


def _static(name: str) -> Answer:
    """A bundled file; only the names shipped in ``static/`` (no path can climb out)."""
    folder = resources.files("archive.dashboard") / "static"
    suffix = Path(name).suffix
    if "/" in name or name.startswith(".") or suffix not in STATIC_TYPES:
        return _html(404, pages.error_page(404, f"no file {name}"))
    item = folder / name
    if not item.is_file():
        return _html(404, pages.error_page(404, f"no file {name}"))
    return Answer(200, STATIC_TYPES[suffix], item.read_bytes())

