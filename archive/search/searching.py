"""Ranking a job's articles for a search: the query built from the researcher's words
(:mod:`archive.search.syntax`), analysed for every language's fields, scored by BM25.

Each word (or phrase) becomes one clause matching the title or body as analysed for
any language group (archive.search.analysis), each form once;
clauses without ``+``/``-`` add to the score, so an article with more of the words,
rarer ones, or in its title, ranks higher.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from archive.search import analysis
from archive.search.jobindex import JobIndex
from archive.search.syntax import Clause, Occur, SearchText


@dataclass
class Hits:
    """Captures found, best first: their numbers (``CAPTURE_ID_SQL``) and BM25 scores,
    where each is in its job's index (its searcher and address), and the searcher of
    every job searched (hits or none)."""

    captures: list[int] = field(default_factory=list)
    scores: list[float] = field(default_factory=list)
    found: list[tuple[Any, Any]] = field(default_factory=list)
    searchers: list[Any] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.captures)

    def extend(self, other: Hits) -> None:
        self.captures += other.captures
        self.scores += other.scores
        self.found += other.found
        self.searchers += other.searchers

    def best_articles(self, count: int) -> tuple[set[str], float]:
        """The articles (canonical URL, else URL) of the best hits of every job, best
        first until ``count`` different articles are taken, and of any other hit scoring
        as high as the last of them (so no hit left out can rank above one taken); and
        that last score."""
        articles: set[str] = set()
        lowest = math.inf
        for place in sorted(range(len(self.scores)), key=self.scores.__getitem__,
                            reverse=True):
            if len(articles) >= count and self.scores[place] < lowest:
                break
            searcher, address = self.found[place]
            articles.add(searcher.doc(address).get_first(analysis.ARTICLE) or "")
            lowest = self.scores[place]
        return articles, lowest

    def captures_of(self, articles: Collection[str]) -> list[StoredCapture]:
        """Every capture of ``articles`` (hit or not: the latest-version rule weighs
        every capture of an article) in every job searched, as the index stores it."""
        import tantivy

        found = []
        for job, (searcher, schema) in enumerate(self.searchers):
            query = tantivy.Query.term_set_query(schema, analysis.ARTICLE, sorted(articles))
            for _, address in searcher.search(query, limit=max(searcher.num_docs, 1),
                                              count=False).hits:
                found.append(StoredCapture.of(job, searcher.doc(address)))
        return found

    def places(self, captures: Collection[int]) -> dict[int, tuple[str, int]]:
        """Where each of ``captures`` (hits) is: its part and its row in the part."""
        wanted, places = set(captures), {}
        for capture, (searcher, address) in zip(self.captures, self.found, strict=True):
            if capture in wanted:
                stored = StoredCapture.of(0, searcher.doc(address))
                places[capture] = (stored.part, stored.row)
        return places


@dataclass(frozen=True)
class StoredCapture:
    """What the index stores of a capture: which it is (``job``: the position of its
    job's searcher in :attr:`Hits.searchers`), where it is, and what the latest-version
    rule and the order of a search's rows weigh."""

    job: int
    capture: int
    article: str
    part: str
    row: int
    url: str | None
    version: int
    fetched_at: str
    published: str | None

    @classmethod
    def of(cls, job: int, document: Any) -> StoredCapture:
        return cls(job, int(document.get_first(analysis.CAPTURE)),
                   document.get_first(analysis.ARTICLE) or "",
                   document.get_first(analysis.PART) or "",
                   int(document.get_first(analysis.ROW) or 0),
                   document.get_first(analysis.URL),
                   int(document.get_first(analysis.VERSION) or 0),
                   document.get_first(analysis.FETCHED_AT) or "",
                   document.get_first(analysis.PUBLISHED))


def search_job(index: JobIndex, text: SearchText, limit: int | None = None) -> Hits:
    """Every article of the job matching ``text`` (or the best ``limit``), best first."""
    searcher = index.index.searcher()
    searched = [(searcher, index.index.schema)]
    if searcher.num_docs == 0:
        return Hits(searchers=searched)
    query = build_query(index.index.schema, text)
    if query is None:
        return Hits(searchers=searched)
    found = searcher.search(query, limit=min(limit or searcher.num_docs, searcher.num_docs),
                            count=False).hits
    addresses = [address for _, address in found]
    return Hits(searcher.fast_field_values(analysis.CAPTURE, addresses),
                [score for score, _ in found], [(searcher, address) for address in addresses],
                searched)


def build_query(schema: Any, text: SearchText) -> Any | None:
    """The tantivy query for ``text``; None when no clause analyses to any word (a
    search for punctuation only)."""
    import tantivy

    parts = []
    for clause in text.clauses:
        query = _clause_query(schema, clause)
        if query is not None:
            parts.append((_occur(clause.occur), query))
    if not any(occur != tantivy.Occur.MustNot for occur, _ in parts):
        return None
    return tantivy.Query.boolean_query(parts)


def clause_terms(clause: Clause, group: str) -> list[str]:
    """The terms ``clause`` stands for in an article of ``group`` (as it is indexed)."""
    return list(analysis.analyser(group).analyze(clause.text))


def _clause_query(schema: Any, clause: Clause) -> Any | None:
    """The clause as any language analyses it, in the title or body: a term, or a phrase
    when the clause is one (or a word the analyser cuts in several, as "covid-19")."""
    import tantivy

    alternatives = []
    forms = {tuple(clause_terms(clause, group)) for group in analysis.GROUPS}
    for terms in sorted(forms - {()}):
        for name, boost in ((analysis.TITLE, analysis.TITLE_BOOST), (analysis.BODY, 1.0)):
            if len(terms) == 1:
                query = tantivy.Query.term_query(schema, name, terms[0])
            else:
                query = tantivy.Query.phrase_query(schema, name, terms)
            if boost != 1.0:
                query = tantivy.Query.boost_query(query, boost)
            alternatives.append((tantivy.Occur.Should, query))
    return tantivy.Query.boolean_query(alternatives) if alternatives else None


def _occur(occur: Occur) -> Any:
    import tantivy

    return {Occur.SHOULD: tantivy.Occur.Should, Occur.MUST: tantivy.Occur.Must,
            Occur.MUST_NOT: tantivy.Occur.MustNot}[occur]
