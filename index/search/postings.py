"""The best documents for a bag of terms, scored as Whoosh's BM25F scores them, read
straight from the postings into numpy arrays.

The related passages look for the passages that share most of a passage's key terms:
an `Or` of some 20 terms, each in up to 1 % of the passages (12,500 postings at
100,000 articles). Whoosh answers it one posting at a time, through a matcher, a
scorer and a collector in Python: that was most of a related-passage look-up. Here
each term's postings are read a block at a time (Whoosh 2.7's own block reader: ids
and weights come out as arrays) and scored as one array, with the same BM25F formula,
the same global statistics and the same field lengths (`scoring.field_lengths`): the
same scores, so the same documents, in the same order (ties by document number, as
Whoosh's collector orders them).

When a segment's postings are not where this module expects them (another codec),
Whoosh's own matcher is read posting by posting instead: slower, the same result.
"""

from __future__ import annotations

import contextlib
import threading
import weakref
from array import array
from collections.abc import Collection, Sequence
from typing import Any

from whoosh import scoring as whoosh_scoring

from index.search.scoring import field_lengths

try:  # (Whoosh 2.7's block reader: if it goes, postings are read one by one)
    from whoosh.codec.whoosh3 import W3LeafMatcher
except ImportError:  # pragma: no cover
    W3LeafMatcher = None

# Each segment reader's field lengths as a numpy array: reader -> field -> lengths.
_ARRAYS: weakref.WeakKeyDictionary[Any, dict[str, Any]] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def top_documents(
    searcher: Any, terms: Sequence[tuple[str, str]], limit: int, excluded: Collection[int] = ()
) -> list[tuple[float, int]]:
    """The `limit` best documents of `searcher` for the `terms` ((field, text), each
    counted once, as an `Or` of `Term`s), as (score, document number) best first,
    leaving out the document numbers in `excluded`. Only documents with a score above
    0 (that have one of the terms) are given."""
    import numpy as np

    weighting = searcher.weighting
    found_scores, found_ids = [], []
    for reader, base in searcher.reader().leaf_readers():
        count = reader.doc_count_all()
        if not count:
            continue
        scores = np.zeros(count)
        for field, text in dict.fromkeys(terms):
            scored = _term_scores(searcher, reader, weighting, field, text)
            if scored is not None:
                ids, values = scored
                scores[ids] += values  # (a term's postings name each document once)
        deleted = reader.deleted_docs_set if reader.has_deletions() else ()
        for docnum in deleted:
            scores[docnum] = 0.0
        for docnum in excluded:
            if base <= docnum < base + count:
                scores[docnum - base] = 0.0
        hits = np.flatnonzero(scores > 0)
        if len(hits) > limit:
            # (every score tied with the limit's is kept, for the order by number below)
            floor = np.partition(scores[hits], len(hits) - limit)[len(hits) - limit]
            hits = hits[scores[hits] >= floor]
        found_scores.append(scores[hits])
        found_ids.append(hits + base)
    if not found_ids:
        return []
    all_scores, all_ids = np.concatenate(found_scores), np.concatenate(found_ids)
    order = np.lexsort((all_ids, -all_scores))[:limit]
    return [(float(all_scores[i]), int(all_ids[i])) for i in order]


def _term_scores(
    searcher: Any, reader: Any, weighting: Any, field: str, text: str
) -> tuple[Any, Any] | None:
    """The documents of segment `reader` with `field`:`text` and the term's score in each
    (numpy arrays), or None when none has it."""
    import numpy as np

    fieldobj = searcher.schema[field]
    try:
        btext = fieldobj.to_bytes(text)
    except ValueError:
        return None
    if (field, btext) not in reader:
        return None
    ids, weights = _postings(reader, field, btext, fieldobj.format)
    if not len(ids):
        return None
    scorer = weighting.scorer(searcher, field, btext)
    if isinstance(scorer, whoosh_scoring.BM25FScorer):
        lengths = _length_array(reader, field)
        if lengths is None:  # (lengths not readable whole: Whoosh's own look-up)
            lengths_of = np.array(
                [reader.doc_field_length(int(i), field, 1) for i in ids], dtype=np.float64
            )
        else:
            lengths_of = lengths[ids]
        k1, b = scorer.K1, scorer.B
        # (bm25() of whoosh.scoring, its operations in its order: the same floats)
        values = scorer.idf * (
            (weights * (k1 + 1)) / (weights + k1 * ((1 - b) + b * lengths_of / scorer.avgfl))
        )
    elif isinstance(scorer, whoosh_scoring.WeightScorer):
        values = weights
    else:  # another weighting: its scorer, posting by posting
        matcher = reader.postings(field, btext, scorer=scorer)
        scores = {}
        while matcher.is_active():
            scores[matcher.id()] = scorer.score(matcher)
            matcher.next()
        ids = np.fromiter(scores, dtype=np.int64, count=len(scores))
        values = np.fromiter(scores.values(), dtype=np.float64, count=len(scores))
    return ids, values


def _postings(reader: Any, field: str, btext: bytes, format_: Any) -> tuple[Any, Any]:
    """The document numbers and weights of a term's postings in segment `reader`, deleted
    documents included (numpy arrays: int64, float64)."""
    import numpy as np

    ids, weights = array("q"), array("f")
    matcher = None
    with contextlib.suppress(AttributeError):  # (another reader: Whoosh's own matcher)
        matcher = reader._terms.matcher(field, btext, format_)
    if W3LeafMatcher is not None and isinstance(matcher, W3LeafMatcher):
        while matcher.is_active():  # one block of postings at a time
            matcher._read_ids()
            matcher._read_weights()
            ids.extend(matcher._ids[matcher._i :])
            block = matcher._weights[matcher._i :]
            if isinstance(block, array) and block.typecode == "f":
                weights.extend(block)
            else:  # pragma: no cover - (Whoosh 2.7 keeps weights as floats)
                weights.extend(float(w) for w in block)
            matcher._next_block()
    else:
        if matcher is None:  # pragma: no cover
            matcher = reader.postings(field, btext)
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
    return np.frombuffer(ids, dtype=np.int64), np.frombuffer(weights, dtype=np.float32).astype(
        np.float64
    )


def _length_array(reader: Any, field: str) -> Any:
    """`scoring.field_lengths` of a segment reader as a numpy array, made once."""
    import numpy as np

    with _lock:
        known = _ARRAYS.get(reader)
        if known is not None and field in known:
            return known[field]
    lengths = field_lengths(reader, field)
    made = None if lengths is None else np.array(lengths, dtype=np.float64)
    with _lock, contextlib.suppress(TypeError):  # (a reader that cannot be weakly referenced)
        _ARRAYS.setdefault(reader, {})[field] = made
    return made
