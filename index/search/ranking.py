"""Every match of a query scored at once, in arrays: Whoosh's scores, without its walk.

Whoosh scores a query one document at a time through a tree of matchers, several
Python calls a document and level (a search for `président`, in 36,000 of 100,000
articles, 130 ms). Its top-n search skips blocks of postings that cannot beat the best
found so far, but its unions and intersections skip on the quality of the other side's
current block only, and so miss better documents further on (the first two of `etats`
at 100,000 articles). Here each word's postings are read a block at a time (ids and
weights, as Whoosh stores them), scored with BM25F in numpy, and combined along the same
tree of unions and intersections Whoosh builds, adding the scores in the same order: the
scores are Whoosh's to the last bit, the order (score, then document number) its own,
and the count of matches exact.

Only words, `OR`, `AND` and `NOT` are read so, with Whoosh's default union tree; a query
with anything else (a phrase, a range, `*`, a pattern over a small segment) gets None and
is left to Whoosh. A document deleted from a segment is never a match.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass
from typing import Any

import numpy as np
from whoosh import scoring
from whoosh.matching.wrappers import FilterMatcher
from whoosh.query import And, Not, NullQuery, Or, Query, Term
from whoosh.util import make_weighted_tree

from index.search.scoring import field_lengths

# What a block of postings of Whoosh 2.7 is read through (else Whoosh does the search).
_BLOCK_READING = ("_data", "_read_data", "_read_weights", "_weights", "_byteids", "_next_block")


@dataclass(eq=False)
class Scored:
    """Matches of one segment: document numbers, ascending, and their scores."""

    ids: np.ndarray
    scores: np.ndarray

    def __lt__(self, other: Scored) -> bool:
        # Whoosh orders the branches of a tree by weight, and two of equal weight as
        # its matchers compare: never one less than the other, so in the order given.
        return False


class _Unsupported(Exception):
    """A part of the query this module does not score as Whoosh would."""


def ranked(searcher: Any, query: Query) -> tuple[np.ndarray, np.ndarray] | None:
    """The (top-level) document numbers of every match of `query`, best first, and their
    scores; None when the query has a part this module does not read."""
    ids: list[np.ndarray] = []
    scores: list[np.ndarray] = []
    try:
        for subsearcher, offset in searcher.leaf_searchers():
            found = _Segment(subsearcher, searcher.weighting).score(query)
            ids.append(found.ids + offset)
            scores.append(found.scores)
    except _Unsupported:
        return None
    all_ids = np.concatenate(ids) if ids else np.empty(0, np.int64)
    all_scores = np.concatenate(scores) if scores else np.empty(0, np.float64)
    order = np.lexsort((all_ids, -all_scores))  # (best first, then by document number)
    return all_ids[order], all_scores[order]


class _Segment:
    def __init__(self, searcher: Any, weighting: Any) -> None:
        self.searcher = searcher
        self.reader = searcher.reader()
        self.weighting = weighting
        self.deleted = self.reader.deleted_docs_set

    def score(self, node: Query) -> Scored:
        if node is NullQuery:
            return _empty()
        if isinstance(node, Term):
            return self._term(node)
        if type(node) is Not:
            inner = self.score(node.query)  # (Whoosh scores each match of a NOT 1)
            ids = np.setdiff1d(self._live(), inner.ids, assume_unique=True)
            return Scored(ids, np.ones(len(ids)))
        if type(node) is Or and not node.scale and not node.minmatch:
            subs = len(node.subqueries)
            if subs >= Or.TOO_MANY_CLAUSES or (subs > 2 and self.reader.doc_count_all() <= 5000):
                raise _Unsupported  # (Whoosh preloads such unions, adding in another order)
            return self._tree(node, _union, lambda q: q.estimate_size(self.reader))
        if type(node) is And:
            return self._tree(node, _intersection, lambda q: 0 - q.estimate_size(self.reader))
        raise _Unsupported

    def _tree(self, node: Any, combine: Any, weight: Any) -> Scored:
        """Whoosh's `CompoundQuery.matcher`: one subquery alone, or a weighted tree."""
        subs = node.subqueries
        if not subs:
            return _empty()
        if len(subs) == 1:
            return self.score(subs[0])  # (Whoosh applies no boost of the group here)
        weighted = [(weight(sub), self.score(sub)) for sub in subs]
        scored: Scored = make_weighted_tree(combine, weighted)
        if node.boost != 1.0:
            scored = Scored(scored.ids, scored.scores * node.boost)
        return scored

    def _live(self) -> np.ndarray:
        ids = np.arange(self.reader.doc_count_all(), dtype=np.int64)
        if self.deleted:
            ids = np.setdiff1d(ids, np.fromiter(self.deleted, np.int64), assume_unique=True)
        return ids

    def _term(self, node: Term) -> Scored:
        fieldname = node.fieldname
        schema = self.reader.schema
        if fieldname not in schema:
            return _empty()
        try:
            btext = schema[fieldname].to_bytes(node.text)
        except ValueError:
            return _empty()
        if (fieldname, btext) not in self.reader:
            return _empty()
        if not schema[fieldname].scorable or node.minquality:
            raise _Unsupported
        scorer = self.weighting.scorer(self.searcher, fieldname, btext)
        lengths = field_lengths(self.reader, fieldname)
        if type(scorer) is not scoring.BM25FScorer or lengths is None:
            raise _Unsupported
        matcher = self.reader.postings(fieldname, btext)
        if isinstance(matcher, FilterMatcher):  # the segment's deleted documents, left out below
            matcher = matcher.child
        ids, tf = _postings(matcher)
        if self.deleted:
            keep = ~np.isin(ids, np.fromiter(self.deleted, np.int64))
            ids, tf = ids[keep], tf[keep]
        fl = _lengths_array(self.reader, fieldname, lengths)[ids]
        # Whoosh's `bm25`, operation for operation (each rounds as Python's floats do).
        idf, avgfl, big_b, k1 = scorer.idf, scorer.avgfl, scorer.B, scorer.K1
        scores = idf * ((tf * (k1 + 1)) / (tf + k1 * ((1 - big_b) + big_b * fl / avgfl)))
        if node.boost != 1.0:
            scores = scores * node.boost
        return Scored(ids, scores)


def _empty() -> Scored:
    return Scored(np.empty(0, np.int64), np.empty(0, np.float64))


def _union(a: Scored, b: Scored) -> Scored:
    """Whoosh's `UnionMatcher`: a document of both scores a + b."""
    ids = np.union1d(a.ids, b.ids)
    left = np.zeros(len(ids))
    right = np.zeros(len(ids))
    left[np.searchsorted(ids, a.ids)] = a.scores
    right[np.searchsorted(ids, b.ids)] = b.scores
    return Scored(ids, left + right)  # (x + 0.0 is x: only the documents of both are sums)


def _intersection(a: Scored, b: Scored) -> Scored:
    """Whoosh's `IntersectionMatcher`: a + b."""
    ids, in_a, in_b = np.intersect1d(a.ids, b.ids, assume_unique=True, return_indices=True)
    return Scored(ids, a.scores[in_a] + b.scores[in_b])


def _postings(matcher: Any) -> tuple[np.ndarray, np.ndarray]:
    """The ids and weights of a term's postings, a block at a time."""
    if not all(hasattr(matcher, name) for name in _BLOCK_READING):
        raise _Unsupported
    ids: list[Any] = []
    weights: list[np.ndarray] = []
    while matcher.is_active():
        if matcher._data is None:
            matcher._read_data()
        if matcher._byteids:
            raise _Unsupported  # (a term vector's postings, not documents)
        ids.append(np.cumsum(np.asarray(matcher._data[0], dtype=np.int64)))  # (gaps kept)
        matcher._read_weights()
        weights.append(np.asarray(matcher._weights, dtype=np.float64))
        matcher._next_block()
    if not ids:
        return np.empty(0, np.int64), np.empty(0, np.float64)
    return np.concatenate(ids), np.concatenate(weights)


# Each segment reader's field lengths (`scoring.field_lengths`) as arrays.
_ARRAYS: weakref.WeakKeyDictionary[Any, dict[str, tuple[list[int], np.ndarray]]] = (
    weakref.WeakKeyDictionary()
)
_lock = threading.Lock()


def _lengths_array(reader: Any, fieldname: str, lengths: list[int]) -> np.ndarray:
    """The field lengths of a segment as a numpy array, made once a reader and field."""
    with _lock:
        try:
            by_field = _ARRAYS.setdefault(reader, {})
        except TypeError:  # (a reader that cannot be referred to weakly: made each time)
            by_field = {}
        known = by_field.get(fieldname)
    if known is not None and known[0] is lengths:
        return known[1]
    array = np.asarray(lengths, dtype=np.float64)
    with _lock:
        by_field[fieldname] = (lengths, array)
    return array
