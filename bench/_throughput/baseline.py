"""The pipelines newsarchive is measured against: plain Scrapy following every link
of a site, with a warcio downloader middleware writing each request and response to a
WARC file, and, for the naive pipeline, trafilatura run inline in the callback on
every article-shaped URL, its JSON written one line per article.

This is how most news crawlers are built: one process, extraction in the spider.
Scrapy's defaults stand except the politeness the benchmark turns off everywhere.

    python -m bench._throughput.baseline URL OUT [--extract]

Articles go to ``OUT/articles/bench/naive.jsonl``, records to ``OUT/warc/bench.warc.gz``.
"""

from __future__ import annotations

import argparse
import re
import sys
from io import BytesIO
from pathlib import Path
from typing import IO, Any, ClassVar
from urllib.parse import urlsplit

#: Article URLs of the benchmark's sites all carry a date (/YYYY/MM/DD/).
ARTICLE_URL = re.compile(r"/\d{4}/\d{2}/\d{2}/")
POLITENESS_OFF = {
    "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS": 32,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 32,
    "DOWNLOAD_DELAY": 0,
}


class WarcioRecorder:
    """Downloader middleware: each response as the server sent it (above
    HttpCompressionMiddleware, 590, so the body is still content-encoded), with the
    request it answered, as two WARC records."""

    def __init__(self, path: Path) -> None:
        from warcio.warcwriter import WARCWriter

        path.parent.mkdir(parents=True, exist_ok=True)
        self._file: IO[bytes] = path.open("wb")
        self._writer = WARCWriter(self._file, gzip=True, warc_version="WARC/1.1")

    @classmethod
    def from_crawler(cls, crawler: Any) -> WarcioRecorder:
        from scrapy import signals

        recorder = cls(Path(crawler.settings["BASELINE_WARC"]))
        crawler.signals.connect(recorder.close, signal=signals.spider_closed)
        return recorder

    def process_response(self, request: Any, response: Any, spider: Any) -> Any:
        from warcio.statusandheaders import StatusAndHeaders

        def pairs(headers: Any) -> list[tuple[str, str]]:
            return [(name.decode("latin-1"), value.decode("latin-1"))
                    for name, values in headers.items() for value in values]

        status = StatusAndHeaders(f"{response.status} OK", pairs(response.headers),
                                  protocol="HTTP/1.1")
        record = self._writer.create_warc_record(response.url, "response",
                                                 payload=BytesIO(response.body),
                                                 http_headers=status)
        target = urlsplit(request.url)
        line = f"{request.method} {target.path or '/'}{'?' + target.query if target.query else ''}"
        sent = StatusAndHeaders(line, pairs(request.headers), protocol="HTTP/1.1",
                                is_http_request=True)
        asked = self._writer.create_warc_record(request.url, "request",
                                                payload=BytesIO(request.body),
                                                http_headers=sent)
        asked.rec_headers.add_header("WARC-Concurrent-To",
                                     record.rec_headers.get_header("WARC-Record-ID"))
        self._writer.write_record(record)
        self._writer.write_record(asked)
        return response

    def close(self) -> None:
        self._file.close()


def make_spider(start: str, articles: Path | None) -> type:
    import scrapy
    from scrapy.http import TextResponse

    class BaselineSpider(scrapy.Spider):
        name = "baseline"
        start_urls: ClassVar[list[str]] = [start]
        allowed_domains: ClassVar[list[str]] = [urlsplit(start).hostname or ""]

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._out = None
            if articles is not None:
                articles.parent.mkdir(parents=True, exist_ok=True)
                self._out = articles.open("w", encoding="utf-8")

        def parse(self, response: Any) -> Any:
            if not isinstance(response, TextResponse):
                return
            if self._out is not None and ARTICLE_URL.search(response.url):
                self._extract(response)
            for href in response.css("a::attr(href)").getall():
                yield response.follow(href, self.parse)

        def _extract(self, response: Any) -> None:
            import trafilatura

            found = trafilatura.extract(response.text, url=response.url,
                                        output_format="json", with_metadata=True)
            if found:
                self._out.write(found.replace("\n", " ") + "\n")

        def closed(self, reason: str) -> None:
            if self._out is not None:
                self._out.close()

    return BaselineSpider


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url")
    parser.add_argument("out", type=Path)
    parser.add_argument("--extract", action="store_true",
                        help="the naive pipeline: trafilatura in the callback")
    args = parser.parse_args(argv)
    from scrapy.crawler import CrawlerProcess

    settings = {
        **POLITENESS_OFF,
        "LOG_LEVEL": "WARNING",
        "ROBOTSTXT_OBEY": True,  # as Scrapy's project template, and newsarchive
        "BASELINE_WARC": str(args.out / "warc" / "bench.warc.gz"),
        "DOWNLOADER_MIDDLEWARES": {f"{__name__}.WarcioRecorder": 950},
    }
    articles = args.out / "articles" / "bench" / "naive.jsonl" if args.extract else None
    process = CrawlerProcess(settings)
    process.crawl(make_spider(args.url, articles))
    process.start()
    return 0


if __name__ == "__main__":
    sys.exit(main())
