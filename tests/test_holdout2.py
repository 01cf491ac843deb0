"""End-to-end holdout 2: crawl the "Millbrook Daily Register" and compare with its ground truth.

The site (tests/holdout2/site.py) was written without reading the crawler's code. It
uses a WordPress block theme, a single-object JSON-LD CMS and an HTML 4 legacy
edition. Every mismatch is collected and reported in one failure message.

``published`` is compared as an instant when both sides are full timestamps (so "Z"
and "+00:00", or "+00:00" and the same moment in "-04:00", are equal); a naive
timestamp only equals the same naive timestamp, and a date only equals that date.
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
import urllib.request
from collections import Counter
from datetime import datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from tests.holdout2.site import ARTICLES, EXPECTED, EXPECTED_NON_ARTICLES, serve

ROOT = Path(__file__).resolve().parent.parent
JOB = "holdout2"
BODIES = {a["path"]: a["body"] for a in ARTICLES}


def same_moment(got: str | None, want: str) -> bool:
    """Equal strings, or the same instant written two ways (full timestamps only)."""
    if got == want:
        return True
    if not got or "T" not in want or "T" not in got:
        return False
    try:
        a, b = datetime.fromisoformat(got), datetime.fromisoformat(want)
    except ValueError:
        return False
    if (a.tzinfo is None) != (b.tzinfo is None):
        return False
    return a == b


def _key(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _norm(text: str) -> str:
    return " ".join(text.split())


def _page_text(markup: str) -> str:
    markup = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", markup)
    return _norm(html.unescape(re.sub(r"(?s)<[^>]+>", " ", markup)))


@pytest.fixture(scope="module")
def site():
    server, base = serve()
    yield base
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def crawl(site, tmp_path_factory):
    out = tmp_path_factory.mktemp("holdout2") / "archive"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "crawler.cli", "crawl", "--seed", site + "/", "--out", str(out),
         "--job", JOB, "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False)
    rows = []
    for part in sorted((out / "articles" / JOB).glob("*.jsonl")):
        rows.extend(json.loads(line) for line in part.read_text("utf-8").splitlines() if line)
    return result, rows


def _fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def test_ground_truth_is_consistent_with_the_site(site):
    """Guards the fixture: snippets are where the ground truth says, boilerplate is not
    part of the story, and every page named in the ground truth is reachable by links."""
    problems = []
    for exp in EXPECTED:
        text = _page_text(_fetch(site + exp["path"]))
        story = _norm(" ".join(BODIES[exp["path"]]))
        for snippet in exp["body_snippets"]:
            if snippet not in text:
                problems.append(f"{exp['path']}: body snippet not on page: {snippet!r}")
        for snippet in exp["boilerplate_snippets"]:
            if snippet not in text:
                problems.append(f"{exp['path']}: boilerplate snippet not on page: {snippet!r}")
            if snippet in story:
                problems.append(f"{exp['path']}: boilerplate {snippet!r} inside the body")
        if exp["title"] not in text:
            problems.append(f"{exp['path']}: title not on page")
    seen, queue = {"/"}, ["/"]
    while queue:
        path = queue.pop()
        try:
            markup = _fetch(site + path)
        except Exception:
            continue
        hrefs = re.findall(r'<a\b[^>]*\bhref="([^"#]+)"', markup, flags=re.I)
        hrefs += re.findall(r'<link rel="next" href="([^"]+)"', markup)
        for href in hrefs:
            url = urljoin(site + path, html.unescape(href))
            if not url.startswith(site):
                continue
            key = _key(url)
            if key not in seen:
                seen.add(key)
                queue.append(key)
    for path in [e["path"] for e in EXPECTED] + EXPECTED_NON_ARTICLES:
        if path not in seen:
            problems.append(f"{path}: not reachable from the home page")
    assert not problems, "\n".join(problems)


def test_crawl_exits_cleanly(crawl):
    result, _ = crawl
    assert result.returncode == 0, (
        f"exit {result.returncode}\nstdout:\n{result.stdout[-2000:]}\n"
        f"stderr:\n{result.stderr[-3000:]}")


def test_articles_match_ground_truth(site, crawl):
    result, rows = crawl
    problems: list[str] = []
    expected = {e["path"]: e for e in EXPECTED}
    non_articles = set(EXPECTED_NON_ARTICLES)

    got: dict[str, dict] = {}
    counts: Counter[str] = Counter()
    for row in rows:
        canonical = row.get("canonical_url") or ""
        if not canonical.startswith(site):
            problems.append(f"canonical_url not on the site: {canonical!r} (url {row.get('url')})")
        key = _key(canonical)
        counts[key] += 1
        got.setdefault(key, row)

    for key, n in sorted(counts.items()):
        if n > 1:
            urls = [r.get("url") for r in rows if _key(r.get("canonical_url") or "") == key]
            problems.append(f"DUPLICATE  {key}: {n} records (urls: {urls})")
    for key in sorted(expected.keys() - got.keys()):
        problems.append(f"MISSING    {key} ({expected[key]['template']}): "
                        f"{expected[key]['title']!r}")
    for key in sorted(got.keys() - expected.keys()):
        kind = "listed non-article" if key in non_articles else "unlisted page"
        problems.append(f"UNEXPECTED {key} ({kind}): title {got[key].get('title')!r}")

    for key in sorted(expected.keys() & got.keys()):
        exp, row = expected[key], got[key]
        where = f"{key} [{exp['template']}]"
        if row.get("title") != exp["title"]:
            problems.append(f"TITLE      {where}: got {row.get('title')!r}, "
                            f"want {exp['title']!r}")
        if row.get("authors") != exp["authors"]:
            problems.append(f"AUTHORS    {where}: got {row.get('authors')!r}, "
                            f"want {exp['authors']!r}")
        if not same_moment(row.get("published"), exp["published"]):
            problems.append(f"PUBLISHED  {where}: got {row.get('published')!r}, "
                            f"want {exp['published']!r}")
        text = _norm(row.get("text") or "")
        for snippet in exp["body_snippets"]:
            if _norm(snippet) not in text:
                problems.append(f"BODY-MISS  {where}: missing {snippet!r}")
        for snippet in dict.fromkeys(exp["boilerplate_snippets"]):
            if _norm(snippet) in text:
                problems.append(f"BOILERPLATE {where}: contains {snippet!r}")

    if problems:
        header = (f"{len(problems)} mismatch(es); {len(rows)} records, "
                  f"{len(expected)} expected articles, crawl exit {result.returncode}")
        pytest.fail(header + "\n" + "\n".join(problems), pytrace=False)
