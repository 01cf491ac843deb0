"""Two real crawls of the Gazette (tests/sites/changing_editions.py) into one archive:
edition 1, then edition 2, which edits one story and adds two. What the as-of and
suppression tests (tests/test_asof.py, tests/test_suppress.py) start from."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from crawler.demo.s3server import LocalS3Server
from tests.conftest import FAST
from tests.gazettecrawl import JOB, crawl
from tests.sites import changing_editions as gazette
from tests.test_s3 import run


@dataclass(frozen=True)
class TwoCrawls:
    out: Path
    crawl_ids: list[str]  # oldest first
    edited: str  # the URL of the story edition 2 corrects
    new: list[str]  # the URLs of the stories first seen in the second crawl

    def manifest(self, index: int) -> dict:
        path = self.out / "manifests" / f"{JOB}-{self.crawl_ids[index]}.json"
        return json.loads(path.read_text("utf-8"))


def crawl_twice(out: Path) -> TwoCrawls:
    with gazette.serve() as site:
        first = crawl(site, out)
        assert first.returncode == 0, first.stderr[-2000:]
        site.set_edition(2)
        second = crawl(site, out)
        assert second.returncode == 0, second.stderr[-2000:]
        edited = site.url(gazette.EDITED_PATH)
        new = [site.url(path) for path in gazette.NEW_IN_EDITION_2]
    ids = sorted(p.name.removeprefix(f"{JOB}-").removesuffix(".json")
                 for p in (out / "manifests").glob(f"{JOB}-*Z.json"))
    assert len(ids) == 2 and ids[0] < ids[1]
    return TwoCrawls(out, ids, edited, new)


def sha256_of_files(root: Path) -> dict[str, str]:
    """Every file under ``root/warc`` and ``root/articles`` -> its SHA-256."""
    return {path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for folder in ("warc", "articles") for path in sorted((root / folder).rglob("*"))
            if path.is_file()}


def crawl_editions_to_store(server: LocalS3Server, site: gazette.Site, out: Path,
                            store: list[str], editions: tuple[int, ...] = (1, 2)) -> None:
    """Crawl each edition in turn straight to a bucket (``store``: the --store and
    --endpoint-url arguments); nothing is kept in ``out`` but manifests and state."""
    for edition in editions:
        site.set_edition(edition)
        result = run(server, "crawl", "--seed", site.url("/"), "--out", str(out),
                     "--job", JOB, *store, *FAST)
        assert result.returncode == 0, result.stderr[-2000:]
    assert not list((out / "articles").rglob("*.jsonl"))
