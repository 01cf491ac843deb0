"""The crawl process's garbage collector settings (crawler/extensions/collector.py)."""

from __future__ import annotations

import gc
import weakref
from types import SimpleNamespace

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.utils.conf import build_component_list

from crawler.extensions.collector import YOUNG_THRESHOLD, CollectorPace
from crawler.run import crawl_settings


@pytest.fixture
def collector_as_found():
    before = gc.get_threshold()
    yield before
    gc.set_threshold(*before)
    gc.unfreeze()
    CollectorPace._running.clear()  # a test that started a crawl and never stopped it
    CollectorPace._found = None


class Node:
    partner: Node | None = None


class TestCollectorPace:
    def test_the_start_up_heap_is_frozen_and_young_collections_are_rarer(
            self, collector_as_found):
        pace = CollectorPace()
        kept = object()  # something of the start-up heap
        assert gc.is_tracked([kept])
        pace.engine_started()
        assert gc.get_threshold() == (YOUNG_THRESHOLD, *collector_as_found[1:])
        assert gc.get_freeze_count() > 0
        pace.engine_started()  # a second start changes nothing
        assert gc.get_threshold()[0] == YOUNG_THRESHOLD

    def test_the_stop_leaves_the_collector_as_it_was(self, collector_as_found):
        pace = CollectorPace()
        pace.engine_started()
        pace.engine_stopped()
        assert gc.get_threshold() == collector_as_found
        assert gc.get_freeze_count() == 0
        pace.engine_stopped()  # a stop without a start changes nothing
        assert gc.get_threshold() == collector_as_found

    def test_a_larger_threshold_set_before_is_kept(self, collector_as_found):
        gc.set_threshold(50_000, *collector_as_found[1:])
        pace = CollectorPace()
        pace.engine_started()
        assert gc.get_threshold()[0] == 50_000
        pace.engine_stopped()
        assert gc.get_threshold()[0] == 50_000

    def test_two_crawls_in_one_process_leave_it_as_found_when_the_last_stops(
            self, collector_as_found):
        first, second = CollectorPace(), CollectorPace(20_000)
        first.engine_started()
        second.engine_started()
        assert gc.get_threshold()[0] == 20_000
        first.engine_stopped()
        assert gc.get_threshold()[0] == 20_000 and gc.get_freeze_count() > 0
        second.engine_stopped()
        assert gc.get_threshold() == collector_as_found
        assert gc.get_freeze_count() == 0

    def test_cycles_made_during_the_crawl_are_still_collected(self, collector_as_found):
        pace = CollectorPace()
        pace.engine_started()
        try:
            cycle = Node()
            cycle.partner = Node()
            cycle.partner.partner = cycle
            gone = weakref.ref(cycle)
            del cycle
            gc.collect()
            assert gone() is None
        finally:
            pace.engine_stopped()

    def test_every_crawl_builds_it(self):
        settings = crawl_settings("out", "job", None, {})
        assert "crawler.extensions.collector.CollectorPace" in build_component_list(
            settings.getwithbase("EXTENSIONS"))
        assert settings.getint("GC_YOUNG_THRESHOLD") == YOUNG_THRESHOLD

    def test_zero_leaves_the_collector_alone(self):
        settings = crawl_settings("out", "job", None, {"GC_YOUNG_THRESHOLD": "0"})
        with pytest.raises(NotConfigured):
            CollectorPace.from_crawler(SimpleNamespace(settings=settings))
