"""What the tests use to check a crawl of a local site against its ground truth.

``crawl_site`` runs ``python -m crawler.cli crawl`` in a subprocess and reads back the
JSONL; ``same_moment``, ``url_key``, ``norm``, ``page_text`` and ``fetch`` compare and
read; ``fixture_problems`` (``page_problems`` and ``unreachable``) is the self-check of
a site and its ground truth; ``compare_articles`` and ``check_articles`` report every
mismatch with the ground truth in one failure message. What differs between the sites
is passed in as parameters.
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
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]


def crawl_site(base_url: str, out_dir: Path, job: str
               ) -> tuple[subprocess.CompletedProcess, list[dict]]:
    """Crawl the site from its home page; the process and the article records it wrote."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "crawler.cli", "crawl", "--seed", base_url + "/",
         "--out", str(out_dir), "--job", job,
         "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
         "-s", "POLITENESS_BACKOFF_DELAY=0.05"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False)
    rows = []
    for part in sorted((out_dir / "articles" / job).glob("*.jsonl")):
        rows.extend(json.loads(line) for line in part.read_text("utf-8").splitlines() if line)
    return result, rows


def same_moment(got: str | None, want: str, *, got_needs_time: bool = True,
                needs_zone: bool = False) -> bool:
    """Equal strings, or the same instant written two ways ("Z" and "+00:00").

    Only an expectation with a time ("T") can be met by another spelling, and, unless
    ``got_needs_time`` is off, only by a value with a time. A naive timestamp never
    equals an aware one; with ``needs_zone`` a naive one only equals the same string."""
    if got == want:
        return True
    if not got or "T" not in want or (got_needs_time and "T" not in got):
        return False
    try:
        a, b = datetime.fromisoformat(got), datetime.fromisoformat(want)
    except ValueError:
        return False
    if (a.tzinfo is None) != (b.tzinfo is None) or (needs_zone and a.tzinfo is None):
        return False
    return a == b


def url_key(url: str, *, unquoted: bool = False) -> str:
    """Path and query of a URL; ``unquoted`` undoes percent-encoding (IRI == URI)."""
    parts = urlsplit(url)
    decode = unquote if unquoted else str
    return decode(parts.path or "/") + (f"?{decode(parts.query)}" if parts.query else "")


def norm(text: str) -> str:
    return " ".join(text.split())


def page_text(markup: str) -> str:
    markup = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", markup)
    return norm(html.unescape(re.sub(r"(?s)<[^>]+>", " ", markup)))


def fetch(url: str, *, by_charset: bool = False) -> str:
    """The page as text: UTF-8, or with ``by_charset`` the charset of its Content-Type
    header or, failing that, of a <meta charset> near its start (else UTF-8)."""
    with urllib.request.urlopen(url, timeout=10) as response:
        raw = response.read()
        charset = response.headers.get_content_charset() if by_charset else "utf-8"
    if not charset:
        meta = re.search(rb'<meta[^>]+charset="?([\w-]+)', raw[:2048], re.I)
        charset = meta.group(1).decode() if meta else "utf-8"
    return raw.decode(charset)


def page_problems(base: str, expected: Iterable[dict], stories: Mapping[str, str], *,
                  get: Callable[[str], str] = fetch, story_has_body: bool = False
                  ) -> list[str]:
    """Snippets and titles are on the pages where the ground truth says they are, and no
    boilerplate snippet is part of the story (``stories``: path -> story text); with
    ``story_has_body`` every body snippet must also be part of the story."""
    problems = []
    for exp in expected:
        text = page_text(get(base + exp["path"]))
        story = stories[exp["path"]]
        for snippet in exp["body_snippets"]:
            if snippet not in text:
                problems.append(f"{exp['path']}: body snippet not on page: {snippet!r}")
            if story_has_body and snippet not in story:
                problems.append(f"{exp['path']}: body snippet not in the story: {snippet!r}")
        for snippet in exp["boilerplate_snippets"]:
            if snippet not in text:
                problems.append(f"{exp['path']}: boilerplate snippet not on page: {snippet!r}")
            if snippet in story:
                problems.append(f"{exp['path']}: boilerplate {snippet!r} inside the body")
        if exp["title"] not in text:
            problems.append(f"{exp['path']}: title not on page")
    return problems


def reachable(base: str, links: Callable[[str], list[str]], *,
              get: Callable[[str], str] = fetch, key: Callable[[str], str] = url_key,
              quote: Callable[[str], str] = str, skip: Callable[[str], bool] = lambda path: False,
              ignore: type[Exception] | tuple[type[Exception], ...] = Exception) -> set[str]:
    """Keys of the pages reachable from the home page by ``links(markup)``. A key is
    fetched as ``base + quote(key)``; keys for which ``skip(key)`` is true are not
    followed, nor are pages whose fetch raises ``ignore``."""
    seen, queue = {"/"}, ["/"]
    while queue:
        path = queue.pop()
        if skip(path):
            continue
        try:
            markup = get(base + quote(path))
        except ignore:
            continue
        for href in links(markup):
            url = urljoin(base + path, html.unescape(href))
            if not url.startswith(base):
                continue
            k = key(url)
            if k not in seen:
                seen.add(k)
                queue.append(k)
    return seen


def unreachable(base: str, expected: Iterable[dict], non_articles: Iterable[str],
                links: Callable[[str], list[str]], *, key: Callable[[str], str] = url_key,
                **walk: Any) -> list[str]:
    """A problem for each page of the ground truth (expected articles and non-articles)
    whose key ``reachable(base, links, key=key, **walk)`` does not reach."""
    seen = reachable(base, links, key=key, **walk)
    return [f"{path}: not reachable from the home page"
            for path in [e["path"] for e in expected] + list(non_articles)
            if key(path) not in seen]


def fixture_problems(base: str, expected: list[dict], non_articles: list[str],
                     stories: Mapping[str, str], links: Callable[[str], list[str]], *,
                     get: Callable[[str], str] = fetch, story_has_body: bool = False,
                     **walk: Any) -> list[str]:
    """The fixture self-check: ``page_problems`` and then ``unreachable``."""
    return (page_problems(base, expected, stories, get=get, story_has_body=story_has_body)
            + unreachable(base, expected, non_articles, links, get=get, **walk))


def assert_no_problems(problems: list[str]) -> None:
    assert not problems, "\n".join(problems)


def assert_clean_exit(result: subprocess.CompletedProcess) -> None:
    assert result.returncode == 0, (
        f"exit {result.returncode}\nstdout:\n{result.stdout[-2000:]}\n"
        f"stderr:\n{result.stderr[-3000:]}")


def compare_articles(base: str, rows: list[dict], expected_articles: Iterable[dict],
                     non_article_paths: Iterable[str], *, key: Callable[[str], str] = url_key,
                     moment: Callable[[str | None, str], bool] = same_moment,
                     fields: Mapping[str, Callable[[Any], Any]] | None = None) -> list[str]:
    """Every mismatch between the crawled records and the ground truth; records and
    expectations are matched by ``key`` (of canonical URL and path). Title, authors and
    published are always compared; ``fields`` adds fields compared after normalising
    the record's value (field -> normaliser)."""
    expected = {key(e["path"]): e for e in expected_articles}
    non_articles = {key(p) for p in non_article_paths}
    problems: list[str] = []
    got: dict[str, dict] = {}
    counts: Counter[str] = Counter()
    for row in rows:
        canonical = row.get("canonical_url") or ""
        if not canonical.startswith(base):
            problems.append(f"canonical_url not on the site: {canonical!r} (url {row.get('url')})")
        k = key(canonical)
        counts[k] += 1
        got.setdefault(k, row)

    for k, n in sorted(counts.items()):
        if n > 1:
            urls = [r.get("url") for r in rows if key(r.get("canonical_url") or "") == k]
            problems.append(f"DUPLICATE  {k}: {n} records (urls: {urls})")
    for k in sorted(expected.keys() - got.keys()):
        problems.append(f"MISSING    {k} ({expected[k]['template']}): "
                        f"{expected[k]['title']!r}")
    for k in sorted(got.keys() - expected.keys()):
        kind = "listed non-article" if k in non_articles else "unlisted page"
        problems.append(f"UNEXPECTED {k} ({kind}): title {got[k].get('title')!r}")

    for k in sorted(expected.keys() & got.keys()):
        exp, row = expected[k], got[k]
        where = f"{k} [{exp['template']}]"
        for field in ("title", "authors"):
            if row.get(field) != exp[field]:
                problems.append(f"{field.upper():<10} {where}: got {row.get(field)!r}, "
                                f"want {exp[field]!r}")
        if not moment(row.get("published"), exp["published"]):
            problems.append(f"PUBLISHED  {where}: got {row.get('published')!r}, "
                            f"want {exp['published']!r}")
        for field, normalise in (fields or {}).items():
            if normalise(row.get(field)) != exp[field]:
                problems.append(f"{field.upper():<10} {where}: got {row.get(field)!r}, "
                                f"want {exp[field]!r}")
        text = norm(row.get("text") or "")
        for snippet in exp["body_snippets"]:
            if norm(snippet) not in text:
                problems.append(f"BODY-MISS  {where}: missing {snippet!r}")
        for snippet in dict.fromkeys(exp["boilerplate_snippets"]):
            if norm(snippet) in text:
                problems.append(f"BOILERPLATE {where}: contains {snippet!r}")
    return problems


def check_articles(base: str, crawl: tuple[subprocess.CompletedProcess, list[dict]],
                   expected: list[dict], non_articles: list[str], *,
                   problems: Iterable[str] = (), **compare: Any) -> None:
    """Fail with every problem (``problems``, then ``compare_articles(base, rows,
    expected, non_articles, **compare)``) in one message, under a summary of the crawl."""
    result, rows = crawl
    problems = [*problems, *compare_articles(base, rows, expected, non_articles, **compare)]
    if problems:
        header = (f"{len(problems)} mismatch(es); {len(rows)} records, "
                  f"{len(expected)} expected articles, crawl exit {result.returncode}")
        pytest.fail(header + "\n" + "\n".join(problems), pytrace=False)
