"""Two crawl processes on one job split the work and lose nothing.

Where one crawl process is the ceiling (light pages: docs/performance.md, "Using more
cores"), a machine with more cores runs several ``newsarchive crawl --redis`` processes
on one job, sharing its frontier through a real Redis (tests/redisserver.py). Here two
of them crawl a site of 300 articles (``bench/newssite.py``'s pages, served by
``tests.sites.server`` for its request log) and:

- each fetched a share of the site and wrote a share of its articles;
- no page was requested twice (the site's request log);
- every article was written once, by one of them;
- both processes' WARC files are complete: closed, each opening with its warcinfo,
  every record's digests right, one response record for each page served, and each
  article's ``warc`` pointer reading its own response record.

tests/test_distributed.py covers the rest of the distributed mode on the small test
site: the crawl's shared manifest, a worker killed mid-crawl, cron re-runs.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from warcio.archiveiterator import ArchiveIterator

from bench.newssite import PLACEHOLDER_ORIGIN, article_paths, build_site
from tests.conftest import FAST, NEWSARCHIVE, ROOT, Crawl
from tests.sites.server import Reply, Request, RunningSite, serve

JOB = "split"
ARTICLES = 300
# One extraction process each: two crawl processes and their two workers on two cores.
# Page requisites are left out, as in the crawl benchmark's naive comparison.
PROCESS = [*FAST, "-s", "EXTRACT_PROCESSES=1", "-s", "CONCURRENT_REQUESTS=8",
           "--requisites", "none"]


@pytest.fixture(scope="module")
def newssite():
    pages = build_site(ARTICLES, requisites=False)

    def start(base: str):  # type: ignore[no-untyped-def]
        def respond(request: Request) -> Reply:
            page = pages.get(request.path)
            if page is None:
                return 404, b"not here", "text/plain"
            return 200, page.body.replace(PLACEHOLDER_ORIGIN.encode(), base.encode()), \
                page.content_type
        return respond

    site = serve(start, name="newssite", server_version="nginx/1.24.0")
    yield site, pages
    site.shutdown()


def start_process(site: RunningSite, out: Path, redis_url: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with open(out.with_suffix(".log"), "w") as log:  # the process keeps its own copy
        return subprocess.Popen(
            [*NEWSARCHIVE, "crawl", "--seed", site.base + "/", "--out", str(out), "--job", JOB,
             "--redis", redis_url, *PROCESS],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def captures(out: Path) -> list[tuple[str, str, str, str, str]]:
    """(type, target URI, record id, file, payload digest) of every response and revisit
    record in the process's WARC files, each record's digests checked as it is read."""
    found = []
    for path in Crawl(out, JOB, None).warcs():  # type: ignore[arg-type]
        with open(path, "rb") as handle:
            records = ArchiveIterator(handle, check_digests="raise")
            first = next(records)
            assert first.rec_type == "warcinfo", f"{path.name} does not open with warcinfo"
            for record in records:
                record.content_stream().read()  # read to the end: the digests are checked
                if record.rec_type in ("response", "revisit"):
                    found.append((record.rec_type, record.rec_headers["WARC-Target-URI"],
                                  record.rec_headers["WARC-Record-ID"], path.name,
                                  record.rec_headers["WARC-Payload-Digest"]))
    return found


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


@pytest.mark.redis
def test_two_processes_split_one_job_and_lose_nothing(newssite, redis_url, tmp_path):
    site, pages = newssite
    outs = [tmp_path / "first", tmp_path / "second"]
    processes = [start_process(site, out, redis_url) for out in outs]
    for process, out in zip(processes, outs, strict=True):
        assert process.wait(timeout=600) == 0, out.with_suffix(".log").read_text()[-4000:]

    # No page requested twice across the two (each reads robots.txt once, to obey it).
    requested = Counter(r["path"] for r in site.requests())
    twice = {path: n for path, n in requested.items() if n > 1 and path != "/robots.txt"}
    assert twice == {}
    assert requested["/robots.txt"] <= 2

    # Each took a share: pages fetched and articles written.
    fetched = [captures(out) for out in outs]
    written = [Crawl(out, JOB, None).articles() for out in outs]  # type: ignore[arg-type]
    shares = [(len(f), len(w)) for f, w in zip(fetched, written, strict=True)]
    assert all(pages_ > 0 and articles_ > 0 for pages_, articles_ in shares), shares

    # Every article written once, by one of them; none missing.
    by_path = Counter(path_of(a["canonical_url"]) for rows in written for a in rows)
    assert set(by_path) == set(article_paths(pages))
    assert max(by_path.values()) == 1

    # The WARC files: closed, and a capture of every page the site answered (a response
    # record, or a revisit where the other process had archived the same bytes: robots.txt).
    assert not [p for out in outs for p in out.rglob("*.open")]
    archived = Counter(path_of(uri) for records in fetched for _, uri, *_ in records)
    answered = Counter(r["path"] for r in site.requests() if r["status"] == 200)
    assert archived == answered
    # Each article points at its own response record, in its own process's files.
    for out, rows, records in zip(outs, written, fetched, strict=True):
        by_id = {record_id: (uri, file, digest)
                 for kind, uri, record_id, file, digest in records if kind == "response"}
        for article in rows:
            pointer = article["warc"]
            uri, file, digest = by_id[pointer["record_id"]]
            assert (uri, Path(pointer["file"]).name, digest) == (
                article["url"], file, article["payload_digest"])
            with open(out / pointer["file"], "rb") as handle:
                handle.seek(pointer["offset"])
                member = handle.read(pointer["length"])
            record = next(ArchiveIterator(io.BytesIO(member)))
            assert record.rec_headers["WARC-Record-ID"] == pointer["record_id"]


class TestBenchParts:
    """bench/two_processes.py's own arithmetic (the benchmark is run by hand; its figures
    are in docs/performance.md)."""

    def test_steady_state_leaves_out_start_up_and_tail(self):
        from bench.two_processes import _steady

        # 2 s of start-up costing 3 s of CPU, then 100 units a second at 5 ms each,
        # then a slow tail: (seconds, units done, own CPU so far)
        samples = [(0.0, 0, 0.0), (2.0, 0, 3.0)]
        samples += [(2.0 + t / 10, 10 * t, 3.0 + 0.05 * t) for t in range(1, 101)]
        samples += [(20.0, 1000, 4.0)]
        rate, own_per_unit = _steady(samples, 1000)
        assert abs(rate - 100) < 1e-6
        assert abs(own_per_unit - 0.005) < 1e-9

    def test_a_process_own_cpu_leaves_out_its_childrens(self):
        from bench.proctree import tree_usage
        from bench.two_processes import _own_cpu

        own, tree = _own_cpu(os.getpid()), tree_usage(os.getpid()).cpu_seconds
        child = subprocess.Popen([sys.executable, "-c", "sum(range(20_000_000))"])
        child.wait()  # its CPU time now counts in ours as a child's (cutime), not as our own
        assert tree_usage(os.getpid()).cpu_seconds - tree >= 0.1
        assert _own_cpu(os.getpid()) - own < 0.1
        assert _own_cpu(child.pid) == 0.0  # gone
