"""A query run over the articles: this thread's searcher, and the catalog for the hits.

`search` ranks every match and explains the best (snippets, a "did you mean"),
`ids` only ranks, `hits` finds the words a query matches in one article. All three
read a query one way (`read_query`): parsed and bounded, its patterns expanded once.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from whoosh.query import Or, Query, Term

from index.errors import QueryError
from index.model import Article, SearchHit, SearchResult
from index.search import query as query_mod
from index.search.spelling import Vocabulary
from index.storage.handles import Handles


def read_query(searcher: Any, text: str) -> tuple[Query, set[tuple[str, str]]]:
    """The query `text` for `searcher`, its wildcards and fuzzy words expanded (once,
    bounded), and every index term it can match (QueryError when it cannot run)."""
    query = query_mod.parse(query_mod.make_parser(searcher.schema), text)
    return query_mod.expand(query, searcher.reader())


def _ranked(
    searcher: Any, query: Query, limit: int | None, within: Collection[str] | None = None
) -> tuple[list[tuple[int, float]], int]:
    """The best `limit` matches of `query` (all with None), among the articles `within`,
    as (document number, score), and the number of all its matches.

    Every match is scored, in one pass, and counted so: Whoosh's top-n search skips
    blocks of postings that hold better documents than it keeps (`ranking`), and
    counts its matches with a second, unscored pass, slower on a large index and wrong
    for some `NOT` queries (3,547 articles of 3,550). A query of words (wildcards and
    fuzzy words once expanded), phrases without a slop, `*`, `AND`, `OR` and `NOT` is
    scored in arrays (`ranking`), with Whoosh's scores and order; any other (a phrase
    with a slop, a range) by Whoosh itself.
    """
    import numpy as np  # (here: a reader that has not searched yet has not paid for it)

    from index.search import ranking

    allowed: set[int] | None = None
    if within is not None:
        allowed = set(searcher.docs_for_query(Or([Term("id", doc_id) for doc_id in within])))
        if not allowed:  # (Whoosh would count a filter that allows nothing as no filter)
            return [], 0
    found = ranking.ranked(searcher, query)
    if found is None:
        results = searcher.search(query, limit=None, filter=allowed)
        total = results.scored_length()
        count = total if limit is None else min(limit, total)
        return [(results.docnum(n), results.score(n)) for n in range(count)], total
    docnums, scores = found
    if allowed is not None:
        keep = np.isin(docnums, np.fromiter(allowed, np.int64, len(allowed)))
        docnums, scores = docnums[keep], scores[keep]
    best = zip(docnums[:limit].tolist(), scores[:limit].tolist(), strict=True)
    return list(best), len(docnums)


class Search:
    """Searches of the index `handles` opens; `entity_ids_in(text)` puts the entities'
    ids for the names a query gives them (`entity:"Kim Jong Un"`)."""

    def __init__(self, handles: Handles, entity_ids_in: Callable[[str], str]) -> None:
        self._handles = handles
        self._entity_ids_in = entity_ids_in
        self._vocabulary: Vocabulary | None = None

    def changed(self) -> None:
        """After a commit: the vocabulary is read again."""
        self._vocabulary = None

    def search(self, text: str, limit: int, within: Collection[str] | None) -> SearchResult:
        """Articles matching `text`, best first; `within` restricts to these article ids."""
        searcher = self._handles.searcher()
        query, terms = read_query(searcher, self._entity_ids_in(text))
        stems = query_mod.highlight_stems(terms)
        if within is not None:
            known = set(self._handles.catalog().ids())
            within = [doc_id for doc_id in within if doc_id in known]
            if not within:
                # (Whoosh would count a filter that allows nothing as no filter at all.)
                return SearchResult(query=text, total=0, suggestion=None, results=())
        try:
            best, total = _ranked(searcher, query, limit, within)
        except Exception as error:
            raise QueryError(f"the query cannot run: {error}") from error
        hits = self._hits(searcher, best, stems)
        return SearchResult(
            query=text,
            total=total,
            suggestion=query_mod.suggest(text, searcher, self._spelling()),
            results=hits,
        )

    def _hits(
        self, searcher: Any, best: list[tuple[int, float]], stems: frozenset[str]
    ) -> tuple[SearchHit, ...]:
        """The articles of the documents `best` that are in the catalog, with a snippet."""
        catalog = self._handles.catalog()
        hits: list[SearchHit] = []
        for docnum, score in best:
            article = catalog.article(searcher.stored_fields(docnum)["id"])
            if article is None:
                continue
            hits.append(
                SearchHit(
                    id=article.id,
                    title=article.title,
                    date=article.date,
                    path=article.path,
                    score=round(float(score), 4),
                    snippet=query_mod.make_snippet(article, stems),
                )
            )
        return tuple(hits)

    def ids(self, text: str) -> list[str]:
        """The ids of every article matching `text`, best first."""
        searcher = self._handles.searcher()
        query, _terms = read_query(searcher, self._entity_ids_in(text))
        try:
            best, _total = _ranked(searcher, query, None)
            return [searcher.stored_fields(docnum)["id"] for docnum, _score in best]
        except Exception as error:
            raise QueryError(f"the query cannot run: {error}") from error

    def hits(self, article: Article, text: str) -> list[tuple[int, int]]:
        """Spans of the words of `article` that the query `text` matches, in order."""
        _query, terms = read_query(self._handles.searcher(), text)
        return query_mod.find_hits(article.text, query_mod.highlight_stems(terms))

    def _spelling(self) -> Vocabulary:
        vocabulary = self._vocabulary
        if vocabulary is None:
            vocabulary = self._vocabulary = Vocabulary(self._handles.catalog().vocabulary())
        return vocabulary
