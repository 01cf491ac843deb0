"""Synthetic but realistic entries for every structure: news URLs of 70-120
characters, Scrapy requests serialised as JSON, page and article state with WARC
pointers. Seeded: entry ``i`` is the same on every run."""

from __future__ import annotations

import base64
import hashlib
import json
import random
import uuid
from datetime import UTC, datetime
from urllib.parse import urlsplit

SEED = 1729
HOSTS = ("www.example-news.com", "www.harbour-gazette.example", "www.abendblatt.example",
         "www.lequotidien.example", "www.diariosur.example", "www.asiawire.example")
SECTIONS = ("politics", "business", "sport", "culture", "science", "world", "local")
WORDS = ("minister", "council", "budget", "harbour", "ferry", "strike", "election", "floods",
         "warning", "season", "record", "court", "ruling", "hospital", "schools", "talks",
         "league", "final", "museum", "opens", "new", "plan", "after", "years", "city",
         "rail", "fares", "rise", "again", "report", "finds", "delays", "storm", "coast")
START = datetime(2026, 11, 1, tzinfo=UTC).timestamp()


class Entries:
    """Realistic values for every structure; entry ``i`` is the same on every run."""

    def __init__(self, seed: int = SEED) -> None:
        self.rng = random.Random(seed)

    def url(self, i: int) -> str:
        rng = self.rng
        host = rng.choice(HOSTS)
        day = datetime.fromtimestamp(START + rng.uniform(0, 30 * 86_400), UTC)
        head = f"https://{host}/{day:%Y/%m/%d}/{rng.choice(SECTIONS)}/"
        words = [rng.choice(WORDS) for _ in range(rng.randint(4, 12))]
        while len(head) + len("-".join(words)) + 12 > 120:
            words.pop()
        while len(head) + len("-".join(words)) + 12 < 70:
            words.append(rng.choice(WORDS))
        return f"{head}{'-'.join(words)}-{100_000 + i}.html"

    def fingerprint(self, url: str) -> str:
        return hashlib.sha1(f"GET {url}".encode()).hexdigest()

    def request(self, url: str) -> dict[str, object]:
        """A Scrapy request as ``Request.to_dict`` gives it (stored as compact JSON)."""
        host = urlsplit(url).hostname or ""
        priority = self.rng.choice((0, 10, 20))
        return {"url": url, "callback": "parse", "errback": None, "headers": {},
                      "body": "", "cookies": {},
                      "meta": {"source": host.removeprefix("www.").split(".")[0],
                               "download_slot": f"{host}:443",
                               "depth": self.rng.randint(1, 4), "discovered": True},
                      "encoding": "utf-8", "flags": [], "cb_kwargs": {},
                      "dont_filter": False, "method": "GET", "priority": priority}

    def moment(self) -> float:
        return round(START + self.rng.uniform(0, 30 * 86_400), 6)

    def _warc(self) -> dict[str, object]:
        stamp = datetime.fromtimestamp(self.moment(), UTC)
        source = self.rng.choice(HOSTS).removeprefix("www.").split(".")[0]
        name = (f"warc/{source}/{source}-{stamp:%Y%m%d%H%M%S%f}"[:-3]
                + f"-{self.rng.randint(0, 999):05d}-crawler-{self.rng.randint(1, 16):02d}.warc.gz")
        return {"file": name, "offset": self.rng.randint(0, 999_000_000),
                "length": self.rng.randint(8_000, 120_000),
                "record_id": f"<urn:uuid:{uuid.UUID(int=self.rng.getrandbits(128), version=4)}>"}

    def payload_digest(self) -> str:
        return "sha1:" + base64.b32encode(self.rng.randbytes(20)).decode()

    def page(self, url: str) -> str:
        warc = self._warc()
        first = self.moment()
        etag = f'"{self.rng.randbytes(8).hex()}"' if self.rng.random() < 0.6 else None
        modified = (datetime.fromtimestamp(first - 600, UTC).strftime("%a, %d %b %Y %H:%M:%S GMT")
                    if self.rng.random() < 0.5 else None)
        return compact_json({"url": url, "status": 200, "payload_digest": self.payload_digest(),
                      "etag": etag, "last_modified": modified, "first_fetched": first,
                      "last_fetched": round(first + self.rng.uniform(0, 3 * 86_400), 6),
                      "record_id": warc["record_id"],
                      "warc_date": datetime.fromtimestamp(first, UTC).isoformat()
                      .replace("+00:00", "Z"),
                      "warc_file": warc["file"], "warc_offset": warc["offset"],
                      "warc_length": warc["length"], "article_key": url})

    def article(self, url: str) -> str:
        first = self.moment()
        return compact_json({"canonical_url": url, "source": urlsplit(url).hostname,
                      "version": self.rng.choice((1, 1, 1, 2)),
                      "content_digest": self.rng.randbytes(20).hex(),
                      "payload_digest": self.payload_digest(), "first_seen": first,
                      "last_checked": round(first + 7_200.5, 6),
                      "last_changed": first, "published": round(first - 900.25, 6),
                      "unchanged_checks": self.rng.randint(0, 5),
                      "fetched_at": datetime.fromtimestamp(first, UTC).isoformat(),
                      "warc": self._warc()})

    def pending(self, url: str) -> str:
        return compact_json({"url": url, "source": urlsplit(url).hostname,
                      "added": self.moment(), "attempts": self.rng.randint(0, 3)})


def compact_json(value: object) -> str:
    return json.dumps(value, separators=(",", ":"))
