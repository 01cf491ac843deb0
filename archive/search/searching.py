"""Ranking a job's articles for a search: the query built from the researcher's words
(:mod:`archive.search.syntax`), analysed for every language's fields, scored by BM25.

Each word (or phrase) becomes one clause matching the title or body as analysed for
any language group (archive.search.analysis), each form once;
clauses without ``+``/``-`` add to the score, so an article with more of the words,
rarer ones, or in its title, ranks higher.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from typing import Any

from archive.search import analysis
from archive.search.jobindex import JobIndex
from archive.search.syntax import Clause, Occur, SearchText


@dataclass
class Hits:
    """Captures found, best first: their numbers (``CAPTURE_ID_SQL``) and BM25 scores,
    and where each is in its job's index (its searcher and address)."""

    captures: list[int] = field(default_factory=list)
    scores: list[float] = field(default_factory=list)
    found: list[tuple[Any, Any]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.captures)

    def extend(self, other: Hits) -> None:
        self.captures += other.captures
        self.scores += other.scores
        self.found += other.found

    def best_articles(self, count: int) -> set[str]:
        """The articles (canonical URL, else URL) of the ``count`` best hits of every
        job, and of any other hit scoring as high as the last of them: no hit left
        out can rank above one taken."""
        if count <= 0 or not self.scores:
            return set()
        lowest = heapq.nlargest(count, self.scores)[-1]
        return {searcher.doc(address).get_first(analysis.ARTICLE) or ""
                for (searcher, address), score in zip(self.found, self.scores, strict=True)
                if score >= lowest}


def search_job(index: JobIndex, text: SearchText, limit: int | None = None) -> Hits:
    """Every article of the job matching ``text`` (or the best ``limit``), best first."""
    searcher = index.index.searcher()
    if searcher.num_docs == 0:
        return Hits()
    query = build_query(index.index.schema, text)
    if query is None:
        return Hits()
    found = searcher.search(query, limit=min(limit or searcher.num_docs, searcher.num_docs),
                            count=False).hits
    addresses = [address for _, address in found]
    return Hits(searcher.fast_field_values(analysis.CAPTURE, addresses),
                [score for score, _ in found], [(searcher, address) for address in addresses])


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
