"""Whoosh's BM25F, with the same scores, and each segment's field lengths read once.

BM25F divides a term's weight in a document by the length of the document's
field. Whoosh looks that length up for every posting it scores, through four
Python calls down to a one-byte column read (a third of a search's time on
10,000 articles). `QuickBM25F` reads each segment's length column whole, once
per searcher, into a list: scoring a posting is then one list index.

Writing a segment looks each posting's field length up the same way (a fifth
of the time of a commit); `LengthsInLists` gives the writer the same lists.

The column is read through Whoosh's per-document reader (Whoosh 2.7, whose
format does not change); if it is not where it is expected, Whoosh's own
look-up is kept, and the scores and the index are the same either way.
"""

from __future__ import annotations

import threading
import weakref
from typing import Any

from whoosh import scoring
from whoosh.util.numeric import byte_to_length

try:  # (Whoosh's own names for the lengths column: if they go, its look-up stays)
    from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
except ImportError:  # pragma: no cover
    LENGTHS_COLUMN = _lenfield = None

# Each segment reader's field lengths: reader -> field -> one length a document.
_LENGTHS: weakref.WeakKeyDictionary[Any, dict[str, list[int]]] = weakref.WeakKeyDictionary()
_lock = threading.Lock()
# A length byte of 0 (no terms in the field: never scored) reads as Whoosh's default, 1.
_BYTE_LENGTHS = [byte_to_length(b) or 1 for b in range(256)]


class QuickBM25F(scoring.BM25F):  # type: ignore[misc]
    """`whoosh.scoring.BM25F` whose scorers look the field lengths up in a list."""

    def scorer(self, searcher: Any, fieldname: str, text: bytes, qf: int = 1) -> Any:
        scorer = super().scorer(searcher, fieldname, text, qf=qf)
        if isinstance(scorer, scoring.BM25FScorer):
            lengths = field_lengths(searcher.reader(), fieldname)
            if lengths is not None:
                scorer.dfl = lengths.__getitem__
        return scorer


def field_lengths(reader: Any, fieldname: str) -> list[int] | None:
    """The length of `fieldname` in each document of a segment `reader`, or None when
    the column cannot be read whole."""
    with _lock:
        known = _LENGTHS.setdefault(reader, {}) if _weakable(reader) else {}
        if fieldname in known:
            return known[fieldname]
    # (Read outside the lock: other threads' searchers need not wait for this one.)
    lengths = column_lengths(getattr(reader, "_perdoc", None), fieldname)
    if lengths is not None:
        with _lock:
            known[fieldname] = lengths
    return lengths


class LengthsInLists:
    """A segment's per-document reader whose field lengths are read whole, once a field:
    what a segment writer gives its postings writer (see `store.writer`)."""

    def __init__(self, perdoc: Any) -> None:
        self._perdoc = perdoc
        self._lengths: dict[str, list[int] | None] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> Any:
        if fieldname not in self._lengths:
            self._lengths[fieldname] = column_lengths(self._perdoc, fieldname)
        lengths = self._lengths[fieldname]
        if lengths is None or docnum >= len(lengths):
            return self._perdoc.doc_field_length(docnum, fieldname, default)
        return lengths[docnum]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._perdoc, name)


def _weakable(reader: Any) -> bool:
    try:
        weakref.ref(reader)
    except TypeError:
        return False
    return True


def column_lengths(perdoc: Any, fieldname: str) -> list[int] | None:
    """The lengths column of `fieldname` from a per-document reader, one a document;
    None when the field keeps none, or when it cannot be read whole."""
    if _lenfield is None:
        return None
    try:
        count = perdoc.doc_count_all()
        column = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        if column is None:
            return None  # no lengths kept: Whoosh's own default applies
        raw = column._dbfile.get(column._basepos, column._count)
    except (AttributeError, TypeError):
        return None
    lengths = [_BYTE_LENGTHS[b] for b in raw]
    lengths.extend([1] * (count - len(lengths)))  # documents past the column's end
    return lengths
