"""Live progress: a redrawn line on a terminal, periodic plain log lines otherwise."""

from __future__ import annotations

import logging
import sys
import time
from typing import TextIO

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from archive.terminal import terminal_text
from crawler.extensions.summary import progress_line

logger = logging.getLogger(__name__)


class ProgressReporter:
    def __init__(self, crawler: Crawler, interval: float, stream: TextIO | None = None) -> None:
        self.crawler = crawler
        self.interval = interval
        self.stream = stream if stream is not None else sys.stderr
        self.live = self.stream.isatty()
        self.started = time.monotonic()
        self._loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ProgressReporter:
        interval = crawler.settings.getfloat("PROGRESS_INTERVAL")
        if interval <= 0:
            raise NotConfigured("PROGRESS_INTERVAL is 0")
        reporter = cls(crawler, interval)
        crawler.signals.connect(reporter.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(reporter.spider_closed, signal=signals.spider_closed)
        return reporter

    def spider_opened(self) -> None:
        self.started = time.monotonic()
        # A terminal gets a fresh line every second; logs and cron get one per interval.
        self._loop = task.LoopingCall(self.report)
        self._loop.start(1.0 if self.live else self.interval, now=False)

    def report(self) -> None:
        assert self.crawler.stats is not None
        line = progress_line(self.crawler.stats.get_stats(), time.monotonic() - self.started)
        if self.live:
            # Our own CR and erase-line redraw it; nothing in the line itself may.
            self.stream.write("\r\x1b[2K" + terminal_text(line))
            self.stream.flush()
        else:
            logger.info("Progress: %s", line)

    def spider_closed(self) -> None:
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        if self.live:
            self.report()
            self.stream.write("\n")
            self.stream.flush()
