"""Every match of a query scored at once, in arrays: Whoosh's scores, without its walk.

Whoosh scores a query one document at a time through a tree of matchers, several
Python calls a document and level (a search for `président`, in 36,000 of 100,000
articles, 130 ms). Its top-n search skips blocks of postings that cannot beat the best
found so far, but its unions and intersections skip on the quality of the other side's
current block only, and so miss better documents further on (`etats` at 100,000
articles, three asked for: its first two). Here each word's postings are read a block
at a time (ids and weights, as Whoosh stores them), scored with BM25F in numpy, and
combined along the same tree of unions and intersections Whoosh builds, adding the
scores in the same order: the scores are Whoosh's to the last bit, the order (score,
then document number) its own, and the count of matches exact.

Words, `OR` (and `PreloadedOr`), `AND`, `NOT`, `*` and phrases are read so (a phrase:
the words' intersection, then each document's positions, as Whoosh checks them; a word
of an unscored field, such as `lang:`, scores its weight, as in Whoosh); a query with
anything else (a phrase with a slop, a range, a match scored 0 in an `OR` Whoosh reads
as an array) gets None and is left to Whoosh. A document deleted from a segment is
never a match. `limit` keeps the first `limit` of that full ranking of every match, not
what Whoosh's own top-n search returns (which may skip better documents, as above):
the related passages' candidates (`crossref/related.py`) are the best 60 of a
`PreloadedOr` of their key terms.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import accumulate
from pickle import loads
from typing import Any

import numpy as np
from whoosh import scoring
from whoosh.formats import Positions
from whoosh.matching.wrappers import FilterMatcher
from whoosh.query import And, Every, Not, NullQuery, Or, Phrase, Query, Term
from whoosh.query.compound import PreloadedOr
from whoosh.system import _INT_SIZE
from whoosh.util import make_binary_tree, make_weighted_tree

from index.search.scoring import field_lengths

# What a block of postings of Whoosh 2.7 is read through (else Whoosh does the search).
_BLOCK_READING = (
    "_data",
    "_read_data",
    "_read_weights",
    "_weights",
    "_read_values",
    "_values",
    "_byteids",
    "_next_block",
)


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


def ranked(
    searcher: Any, query: Query, limit: int | None = None
) -> tuple[np.ndarray, np.ndarray] | None:
    """The (top-level) document numbers of every match of `query` (the best `limit`
    only, when given), best first, and their scores; None when the query has a part this
    module does not read."""
    ids: list[np.ndarray] = []
    scores: list[np.ndarray] = []
    try:
        for subsearcher, offset in searcher.leaf_searchers():
            found = _best(_Segment(subsearcher, searcher.weighting).score(query), limit)
            ids.append(found.ids + offset)
            scores.append(found.scores)
    except _Unsupported:
        return None
    all_ids = np.concatenate(ids) if ids else np.empty(0, np.int64)
    all_scores = np.concatenate(scores) if scores else np.empty(0, np.float64)
    order = np.lexsort((all_ids, -all_scores))[:limit]  # (best first, then by number)
    return all_ids[order], all_scores[order]


def _best(found: Scored, limit: int | None) -> Scored:
    """The matches of a segment that may be among the best `limit` of all: those scored
    at least as the `limit`-th best (ties kept, for the order by document number)."""
    if limit is None or len(found.ids) <= limit:
        return found
    if limit <= 0:
        return _empty()
    floor = np.partition(found.scores, len(found.scores) - limit)[len(found.scores) - limit]
    kept = found.scores >= floor
    return Scored(found.ids[kept], found.scores[kept])


class _Segment:
    def __init__(self, searcher: Any, weighting: Any) -> None:
        self.searcher = searcher
        self.reader = searcher.reader()
        self.weighting = weighting
        # (an index with no segment yet has an empty reader, with no deletions to keep)
        self.deleted: frozenset[int] = getattr(self.reader, "deleted_docs_set", frozenset())
        self.size = self.reader.doc_count_all()
        self._live_marks: np.ndarray | None = None

    def score(self, node: Query) -> Scored:
        if node is NullQuery:
            return _empty()
        if type(node) is Term:
            return self._term(node)
        if type(node) is Phrase:
            return self._phrase(node)
        if type(node) is Every and node.fieldname is None:
            ids = np.flatnonzero(self._live())  # (Whoosh scores each its boost, or 1)
            return Scored(ids, np.full(len(ids), node.boost or 1.0))
        if type(node) is Not:  # (Whoosh scores each match of a NOT 1)
            ids = np.flatnonzero(self._live() & ~self._members(node.query))
            return Scored(ids, np.ones(len(ids)))
        if type(node) in (Or, PreloadedOr) and not node.scale and not node.minmatch:
            subs = len(node.subqueries)  # (one alone is read alone, as in Whoosh: no boost)
            if subs > 1 and (
                type(node) is PreloadedOr
                or subs >= Or.TOO_MANY_CLAUSES
                or (subs > 2 and self.size <= 5000)
            ):
                return self._preloaded(node)  # (as Whoosh's `Or` chooses)
            return self._tree(node, self._union, lambda q: q.estimate_size(self.reader))
        if type(node) is And:
            return self._tree(node, self._intersection, lambda q: 0 - q.estimate_size(self.reader))
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

    def _preloaded(self, node: Or) -> Scored:
        """Whoosh's `ArrayUnionMatcher`: each subquery's scores added in turn into an
        array, from 0; a document matches if its sum is above 0. Not quite: of each part
        of 2,048 documents it reads, the first is a match whatever its sum, and where the
        parts begin depends on how its parent walks it (skips of an `AND`, of a top-n
        search); a match scored 0 or less (a `^0` boost) is so left to Whoosh."""
        scores = np.zeros(self.size)
        for sub in node.subqueries:
            scored = self.score(sub)
            added = scored.scores * node.boost
            if len(added) and added.min() <= 0:
                raise _Unsupported
            scores[scored.ids] += added
        ids = np.flatnonzero(scores > 0)
        return Scored(ids, scores[ids])

    def _members(self, node: Query) -> np.ndarray:
        """Whoosh's unscored reading of a query, a NOT's: a mark for each document it
        matches, whatever its score (a `^0` boost too: a preloaded `OR` keeps only the sums
        above 0 when scored, every match when not). A new array, the caller's to change."""
        marks = np.zeros(self.size, dtype=bool)
        if type(node) in (Or, PreloadedOr) and not node.scale and not node.minmatch:
            for sub in node.subqueries:
                if type(sub) is Term:
                    marks[self.score(sub).ids] = True
                else:
                    marks |= self._members(sub)
            return marks
        if type(node) is And:
            if node.subqueries:
                marks[:] = True
                for sub in node.subqueries:
                    marks &= self._members(sub)
            return marks
        if type(node) is Not:
            outside: np.ndarray = self._live() & ~self._members(node.query)
            return outside
        marks[self.score(node).ids] = True  # (a word, a phrase, `*`: each match, any score)
        return marks

    def _live(self) -> np.ndarray:
        """A mark for each document of the segment: True unless deleted. Made once a
        segment, not once a word, and read only: a copy is the one to change."""
        live = self._live_marks
        if live is None:
            live = np.ones(self.size, dtype=bool)
            if self.deleted:
                live[np.fromiter(self.deleted, np.int64, len(self.deleted))] = False
            live.flags.writeable = False
            self._live_marks = live
        return live

    # (Both on arrays as long as the segment when the matches are many, in time linear in
    # it: sorting them took as long as reading the postings; sorted when they are few, as
    # the many words of a wildcard are.)

    def _union(self, a: Scored, b: Scored) -> Scored:
        """Whoosh's `UnionMatcher`: a document of both scores a + b, of one its score."""
        if len(a.ids) + len(b.ids) < self.size // 8:
            ids = np.union1d(a.ids, b.ids)
            scores = np.zeros(len(ids))
            scores[np.searchsorted(ids, a.ids)] = a.scores
            scores[np.searchsorted(ids, b.ids)] += b.scores
            return Scored(ids, scores)
        scores = np.zeros(self.size)
        scores[a.ids] = a.scores
        scores[b.ids] += b.scores  # (0.0 + b is b: only the documents of both are sums)
        marks = np.zeros(self.size, dtype=bool)
        marks[a.ids] = True
        marks[b.ids] = True
        ids = np.flatnonzero(marks)
        return Scored(ids, scores[ids])

    def _intersection(self, a: Scored, b: Scored) -> Scored:
        """Whoosh's `IntersectionMatcher`: a + b."""
        if len(a.ids) + len(b.ids) < self.size // 8:
            ids, at_a, at_b = np.intersect1d(a.ids, b.ids, assume_unique=True, return_indices=True)
            return Scored(ids, a.scores[at_a] + b.scores[at_b])
        in_a = np.zeros(self.size, dtype=bool)
        in_a[a.ids] = True
        both = in_a[b.ids]
        ids = b.ids[both]
        a_scores = np.zeros(self.size)
        a_scores[a.ids] = a.scores
        return Scored(ids, a_scores[ids] + b.scores[both])

    def _term(self, node: Term) -> Scored:
        fieldname = node.fieldname
        schema = self.reader.schema
        if fieldname not in schema:
            return _empty()
        try:
            btext = schema[fieldname].to_bytes(node.text)
        except ValueError:
            return _empty()
        if node.minquality:
            raise _Unsupported
        scored, _values = self._word(fieldname, btext, with_values=False)
        if node.boost != 1.0:
            scored = Scored(scored.ids, scored.scores * node.boost)
        return scored

    def _phrase(self, node: Phrase) -> Scored:
        """Whoosh's `Phrase`: the words' intersection (scores added along a binary tree)
        where the words follow each other (`slop` 1, the default: each word one position
        after the one before)."""
        fieldname = node.fieldname
        schema = self.reader.schema
        if fieldname not in schema:
            return _empty()
        field = schema[fieldname]
        if node.slop != 1 or not field.format or not field.format.supports("positions"):
            raise _Unsupported
        words: list[tuple[Scored, list[bytes]]] = []
        for word in node.words:
            try:
                btext = field.to_bytes(word)
            except ValueError:
                return _empty()
            if (fieldname, btext) not in self.reader:
                return _empty()
            scored, values = self._word(fieldname, btext, with_values=True)
            words.append((scored, values))
        if not words:
            return _empty()
        scored = make_binary_tree(self._intersection, [word for word, _values in words])
        decode = _positions if type(field.format) is Positions else field.format.decode_positions
        # For each word, where each document of the intersection is in its postings.
        columns = [
            (np.searchsorted(word.ids, scored.ids).tolist(), values) for word, values in words
        ]
        (first_at, first_values), rest = columns[0], columns[1:]
        keep = []
        for n in range(len(scored.ids)):
            starts = set(decode(first_values[first_at[n]]))
            for offset, (at, values) in enumerate(rest, start=1):
                positions = set(decode(values[at[n]]))
                starts = {start for start in starts if start + offset in positions}
                if not starts:
                    break
            keep.append(bool(starts))
        kept = np.array(keep, dtype=bool)
        phrase = Scored(scored.ids[kept], scored.scores[kept])
        if node.boost != 1.0:
            phrase = Scored(phrase.ids, phrase.scores * node.boost)
        return phrase

    def _word(self, fieldname: str, btext: bytes, with_values: bool) -> tuple[Scored, list[bytes]]:
        """A word's live postings in a field, scored (and their values, with positions)."""
        if (fieldname, btext) not in self.reader:
            return _empty(), []
        scorer = self.weighting.scorer(self.searcher, fieldname, btext)
        scorable = self.reader.schema[fieldname].scorable
        # (an unscored field, such as the passages' entities: Whoosh's score is the weight)
        lengths = field_lengths(self.reader, fieldname) if scorable else None
        if scorable and (type(scorer) is not scoring.BM25FScorer or lengths is None):
            raise _Unsupported
        if not scorable and type(scorer) is not scoring.WeightScorer:
            raise _Unsupported
        matcher = self.reader.postings(fieldname, btext)
        if isinstance(matcher, FilterMatcher):  # the segment's deleted documents, left out below
            matcher = matcher.child
        ids, tf, values = _postings(matcher, with_values)
        if self.deleted:
            keep = self._live()[ids]
            ids, tf = ids[keep], tf[keep]
            values = [value for value, kept in zip(values, keep, strict=False) if kept]
        if lengths is None:
            return Scored(ids, tf), values
        fl = _lengths_array(self.reader, fieldname, lengths)[ids]
        # Whoosh's `bm25`, operation for operation (each rounds as Python's floats do).
        idf, avgfl, big_b, k1 = scorer.idf, scorer.avgfl, scorer.B, scorer.K1
        scores = idf * ((tf * (k1 + 1)) / (tf + k1 * ((1 - big_b) + big_b * fl / avgfl)))
        return Scored(ids, scores), values


def _positions(value: bytes) -> Iterable[int]:
    """`whoosh.formats.Positions.decode_positions`, without its per-call overhead: the
    count of positions, then the gaps between them pickled (the pickle's end may be cut)."""
    if not value.endswith(b"."):
        value += b"."
    return accumulate(loads(value[_INT_SIZE:]))


def _empty() -> Scored:
    return Scored(np.empty(0, np.int64), np.empty(0, np.float64))


def _postings(matcher: Any, with_values: bool) -> tuple[np.ndarray, np.ndarray, list[bytes]]:
    """The ids and weights of a term's postings, a block at a time (and their values)."""
    if not all(hasattr(matcher, name) for name in _BLOCK_READING):
        raise _Unsupported
    ids: list[Any] = []
    weights: list[np.ndarray] = []
    values: list[bytes] = []
    while matcher.is_active():
        if matcher._data is None:
            matcher._read_data()
        if matcher._byteids:
            raise _Unsupported  # (a term vector's postings, not documents)
        ids.append(np.cumsum(np.asarray(matcher._data[0], dtype=np.int64)))  # (gaps kept)
        matcher._read_weights()
        weights.append(np.asarray(matcher._weights, dtype=np.float64))
        if with_values:
            matcher._read_values()
            values.extend(matcher._values)
        matcher._next_block()
    if not ids:
        return np.empty(0, np.int64), np.empty(0, np.float64), values
    return np.concatenate(ids), np.concatenate(weights), values


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
