"""End-to-end holdout 3: crawl a bilingual (German/English) local news site.

The site (tests/holdout3/site.py) was written without reading the crawler's code.
Every mismatch is collected and reported in one failure message, so a single run
shows everything that is wrong.
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
from collections import Counter
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from tests.holdout3.site import ARTICLES, EXPECTED, EXPECTED_NON_ARTICLES, HITS, enc_path, serve

ROOT = Path(__file__).resolve().parent.parent
JOB = "holdout3"
BODIES = {enc_path(a["path"]): a["body"] for a in ARTICLES}
HREF = re.compile(r"""<a\b[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.I)
NEXT = re.compile(r"""<link\b[^>]*\brel="(?:next|prev)"[^>]*\bhref="([^"]+)\"""", re.I)


def same_moment(got: str | None, want: str) -> bool:
    """Equal strings, or the same instant written two ways ("Z" and "+00:00").

    A date-only expectation ("2024-06-11") must be matched exactly: the page shows no
    time, so a crawler that reports one has invented it."""
    if got == want:
        return True
    if got is None or "T" not in want or "T" not in got:
        return False
    try:
        a, b = datetime.fromisoformat(got), datetime.fromisoformat(want)
        return a.tzinfo is not None and a == b
    except ValueError:
        return False


def primary_language(code: str | None) -> str:
    return (code or "").strip().lower().replace("_", "-").split("-")[0]


def _key(url: str) -> str:
    """Path and query, with percent-encoding undone (an IRI and its URI are one page)."""
    parts = urlsplit(url)
    return unquote(parts.path or "/") + (f"?{unquote(parts.query)}" if parts.query else "")


def _norm(text: str) -> str:
    return " ".join(text.split())


def _page_text(markup: str) -> str:
    markup = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", markup)
    return _norm(html.unescape(re.sub(r"(?s)<[^>]+>", " ", markup)))


def _fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        raw = response.read()
        charset = response.headers.get_content_charset()
    if not charset:
        meta = re.search(rb'<meta[^>]+charset="?([\w-]+)', raw[:2048], re.I)
        charset = meta.group(1).decode() if meta else "utf-8"
    return raw.decode(charset)


@pytest.fixture(scope="module")
def site():
    server, base = serve()
    yield base
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def crawl(site, tmp_path_factory):
    out = tmp_path_factory.mktemp("holdout3") / "archive"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "crawler.cli", "crawl", "--seed", site + "/", "--out", str(out),
         "--job", JOB, "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False)
    rows = []
    for part in sorted((out / "articles" / JOB).glob("*.jsonl")):
        rows.extend(json.loads(line) for line in part.read_text("utf-8").splitlines() if line)
    return result, rows


def test_ground_truth_is_consistent_with_the_site(site):
    """Guards the fixture itself: snippets are where the ground truth says they are,
    and every expected page is reachable from the home page by links."""
    problems = []
    for exp in EXPECTED:
        text = _page_text(_fetch(site + exp["path"]))
        for snippet in exp["body_snippets"]:
            if snippet not in text:
                problems.append(f"{exp['path']}: body snippet not on page: {snippet!r}")
        for snippet in exp["boilerplate_snippets"]:
            if snippet not in text:
                problems.append(f"{exp['path']}: boilerplate snippet not on page: {snippet!r}")
        if exp["title"] not in text:
            problems.append(f"{exp['path']}: title not on page")
        story = " ".join(BODIES[exp["path"]])
        for snippet in exp["body_snippets"]:
            if snippet not in story:
                problems.append(f"{exp['path']}: body snippet not in the story: {snippet!r}")
        for snippet in exp["boilerplate_snippets"]:
            if snippet in story:
                problems.append(f"{exp['path']}: boilerplate {snippet!r} inside the body")
    # reachability by <a href> and <link rel=next/prev> from the seed (robots is honoured)
    seen, queue = {"/"}, ["/"]
    while queue:
        path = queue.pop()
        if path.startswith("/intern/"):
            continue
        try:
            markup = _fetch(site + enc_path(path))
        except urllib.error.HTTPError:
            continue
        hrefs = ["".join(m) for m in HREF.findall(markup)] + NEXT.findall(markup)
        for href in hrefs:
            url = urljoin(site + path, html.unescape(href))
            if not url.startswith(site):
                continue
            key = _key(url)
            if key not in seen:
                seen.add(key)
                queue.append(key)
    for path in [e["path"] for e in EXPECTED] + EXPECTED_NON_ARTICLES:
        if _key(path) not in seen:
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
    expected = {_key(e["path"]): e for e in EXPECTED}
    non_articles = {_key(p) for p in EXPECTED_NON_ARTICLES}

    crawler_hits = [p for p, agent in HITS if not agent.startswith("Python-urllib")]
    for path in sorted({p for p in crawler_hits if _key(p).startswith("/intern/")}):
        problems.append(f"ROBOTS     fetched {path}, which robots.txt disallows")

    got: dict[str, dict] = {}
    counts = Counter()
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
        if primary_language(row.get("language")) != exp["language"]:
            problems.append(f"LANGUAGE   {where}: got {row.get('language')!r}, "
                            f"want {exp['language']!r}")
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
