"""An archive for the dashboard's tests: a real crawl of the test site, copied, with
one article planted whose title is markup that would run if the page did not
escape it (a crawled page can carry any title)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

# Either would set window.pwned if it reached the page as markup.
PLANTED_TITLE = ('<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">'
                 "Planted & dangerous")
PLANTED_PATH = "/planted/<script>alert(3)</script>"


def dashboard_archive(crawl_out: Path, job: str, target: Path) -> tuple[Path, dict]:
    """``crawl_out`` copied to ``target``, plus a part holding the planted article
    (its capture is a real article's); the archive and that article."""
    shutil.copytree(crawl_out, target)
    part = sorted((target / "articles" / job).glob("*.jsonl"))[0]
    article = json.loads(part.read_text("utf-8").splitlines()[0])
    base = article["url"].split("/", 3)[:3]
    planted = {**article, "url": "/".join(base) + PLANTED_PATH, "title": PLANTED_TITLE,
               "canonical_url": None, "published": "2099-01-01"}
    (target / "articles" / job / f"{job}-planted-00001.jsonl").write_text(
        json.dumps(planted) + "\n", encoding="utf-8")
    return target, planted
