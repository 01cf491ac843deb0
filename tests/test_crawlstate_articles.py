"""The job's incremental state of articles: versions, what counts as a change, and what
is due to be checked again, against both backends (SQLite and Redis; fixtures in
tests/statefixtures.py).
"""

from __future__ import annotations

from archive.state.recrawl import DAY, RecrawlPolicy
from tests.statefixtures import HOUR, article, location


class TestArticles:
    def test_versions_and_pointer(self, state, clock):
        state.record_version("http://n.example/a", article(), content_digest="c1",
                             published=None)
        known = state.article("http://n.example/a")
        assert known.version == 1 and known.content_digest == "c1"
        assert known.pointer() == {"version": 1, "fetched_at": "2026-11-28T12:00:00+00:00",
                                   "payload_digest": "sha1:AAAA", "warc": location().as_dict()}
        clock.now += HOUR
        state.record_version("http://n.example/a", article(2, "Edited"), content_digest="c2",
                             published=None)
        known = state.article("http://n.example/a")
        assert known.version == 2 and known.content_digest == "c2"
        assert known.first_seen == clock.now - HOUR  # kept from version 1

    def test_article_found_through_the_page_that_holds_it(self, state):
        state.record_fetch("http://n.example/amp", "http://n.example/amp", status=200,
                           payload_digest="sha1:A", etag=None, last_modified=None,
                           location=location(), warc_date="d")
        state.record_version("http://n.example/a", article(), content_digest="c",
                             published=None)
        assert state.article_at("http://n.example/amp") is None
        state.link_article("http://n.example/amp", "http://n.example/a")
        assert state.article_at("http://n.example/amp").key == "http://n.example/a"
        assert state.article_at("http://n.example/a").key == "http://n.example/a"

    def test_due_articles_follow_the_policy(self, state, clock):
        policy = RecrawlPolicy(max_age=3 * DAY, interval=HOUR, backoff=2, max_interval=DAY)
        young, old = clock.now - HOUR, clock.now - 10 * DAY
        state.record_version("young", article(canonical_url="young"), content_digest="c",
                             published=young)
        state.record_version("old", article(canonical_url="old"), content_digest="c",
                             published=old)
        assert state.due_articles(clock.now, policy) == []  # just checked
        clock.now += HOUR
        assert [a.key for a in state.due_articles(clock.now, policy)] == ["young"]
        state.article_unchanged("young")  # found as it was: the wait doubles
        clock.now += HOUR
        assert state.due_articles(clock.now, policy) == []
        clock.now += HOUR
        assert [a.key for a in state.due_articles(clock.now, policy)] == ["young"]
        # A changed policy applies at once, to every article.
        assert state.due_articles(clock.now, RecrawlPolicy(max_age=0)) == []

    def test_modified_date_after_last_check_makes_any_article_due(self, state, clock):
        state.record_version("old", article(), content_digest="c", published=clock.now - 99 * DAY)
        known = state.article("old")
        policy = RecrawlPolicy()
        assert not known.is_due(clock.now, policy)
        assert not known.is_due(clock.now, policy, modified=clock.now - 1)
        assert known.is_due(clock.now, policy, modified=clock.now + 1)


    def test_a_new_version_resets_the_checks_and_keeps_a_known_publication(self, state, clock):
        clock.now = 1_800_000_000.123456  # sub-second timestamps come back exactly
        state.record_version("k", article(canonical_url="http://n.example/c"),
                             content_digest="c1", published=1_799_990_000.654321)
        state.article_unchanged("k")
        state.article_unchanged("k")
        known = state.article("k")
        assert known.unchanged_checks == 2 and known.last_checked == clock.now
        assert known.canonical_url == "http://n.example/c" and known.source == "n"
        clock.now += 0.5
        state.record_version("k", article(2, "Edited", canonical_url=None), content_digest="c2",
                             published=None)
        known = state.article("k")
        assert known.unchanged_checks == 0 and known.version == 2
        assert known.canonical_url == "http://n.example/a?x"  # falls back to the url
        assert known.published == 1_799_990_000.654321  # not said again: kept
        assert known.first_seen == 1_800_000_000.123456
        assert known.last_checked == 1_800_000_000.623456
        assert isinstance(known.first_seen, float) and isinstance(known.published, float)

    def test_an_unknown_article_found_unchanged_stays_unknown(self, state):
        state.article_unchanged("nope")
        assert state.article("nope") is None and state.article_at("nope") is None

    def test_due_articles_longest_waiting_first(self, state, clock):
        policy = RecrawlPolicy(max_age=3 * DAY, interval=HOUR, backoff=2, max_interval=DAY)
        for key in ("first", "second", "third"):
            state.record_version(key, article(canonical_url=key), content_digest="c",
                                 published=None)
            clock.now += 60
        state.article_unchanged("first")  # checked last now, and waits two hours
        clock.now += 2 * HOUR
        assert [a.key for a in state.due_articles(clock.now, policy)] == [
            "second", "third", "first"]
        assert [a.key for a in state.due_articles(clock.now - HOUR, policy)] == [
            "second", "third"]

    def test_articles_without_warc_or_digest(self, state):
        state.record_version("k", {"url": "http://n.example/k"}, content_digest="c",
                             published=None)
        known = state.article("k")
        assert (known.warc, known.payload_digest, known.source, known.fetched_at) == (
            None, None, None, None)
        assert known.pointer() == {"version": 1, "fetched_at": None, "payload_digest": None,
                                   "warc": None}
