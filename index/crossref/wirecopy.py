"""Wire copy across the corpus: which articles share near-duplicate passages with which.

Each passage leaves sampled fingerprints of its word 4-grams (folded words,
stop words included), as passim and other text-reuse tools index n-grams:
the stable hash of every shingle, kept when it falls in one residue class in
`SAMPLE`, so a passage leaves about a quarter of its shingles. Two passages
that share enough fingerprints, relative to the smaller of them, are a
near-duplicate pair. The pairs are found for the whole corpus when first
asked for after a change, and kept in the catalog (`refresh_pairs`): numpy
arrays over its fingerprints, one range of fingerprint values at a time, so
that the fingerprints held at once stay bounded (`find_pairs`); the passage pairs
found are held until the end (the whole pass peaked at 297 MB at 100,000 articles).
"""

from __future__ import annotations

import itertools
import re
import zlib
from array import array
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from index.analysis import fold
from index.errors import IndexBusy
from index.model import Article
from index.storage.catalog import Catalog
from index.storage.lock import exclusive

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

_WORD = re.compile(r"\w+")

# Word n-grams fingerprinted, and the share of the smaller passage's fingerprints two
# passages share from which they are the same copy rewritten.
SHINGLE = 4
NEAR_DUPLICATE = 0.25
SAMPLE = 4
# Fewer shared fingerprints than this is chance, whatever the passages' sizes.
MIN_SHARED = 3
# A fingerprint in more passages than this is a stock phrase, not a sign of copy.
COMMON = 50
# The catalog's mark that the pairs are to be found again ("1": an update changed
# articles) or were found since ("0").
WIRE_STALE = "wire_copy_stale"
# Fingerprints one pass of `find_pairs` keeps (8 bytes each, a few times over while
# sorted): a corpus with more is read in as many passes as it needs.
PART = 4_000_000
# Fingerprints read from the catalog at a time, and passage pairs counted at a time.
_BATCH = 1_000_000
_PAIRS = 1_000_000


def fingerprints(article: Article) -> Iterator[tuple[int, int]]:
    """(fingerprint, passage number) for the sampled shingles of each passage."""
    for passage in article.passages:
        if not passage.is_text:
            continue
        words = _WORD.findall(fold(article.passage_text(passage)))
        seen: set[int] = set()
        for i in range(len(words) - SHINGLE + 1):
            value = zlib.crc32(" ".join(words[i : i + SHINGLE]).encode("utf-8"))
            if value % SAMPLE == 0 and value not in seen:
                seen.add(value)
                yield value, passage.n


def pack(prints: Iterator[tuple[int, int]]) -> bytes:
    """Fingerprints as bytes for the catalog: pairs of unsigned 32-bit integers."""
    values = array("I")
    for value, passage in prints:
        values.append(value)
        values.append(passage)
    return values.tobytes()


def unpack(packed: bytes) -> list[tuple[int, int]]:
    values = array("I")
    values.frombytes(packed)
    return list(zip(values[0::2], values[1::2], strict=True))


def find_pairs(
    read: Callable[[], Iterable[tuple[str, bytes]]], entries: int, part: int = PART
) -> Iterator[tuple[str, str, int]]:
    """Each pair of articles sharing near-duplicate passages, once, with how many pairs
    of their passages are copies.

    `read()` gives every article's packed fingerprints, in the same order each time,
    and `entries` says about how many fingerprints they hold in all. Each pass over
    them keeps one range of fingerprint values (about `part` fingerprints), sorts it,
    and counts for each pair of passages of two articles the fingerprints they share
    in that range (a fingerprint in more than `COMMON` passages left out); the counts
    are added up range after range. Held at once: one range's fingerprints, whatever
    the corpus's size, and the passage pairs counted so far, which grow with it. The
    pairs are found when called, and named one by one as the iterator is read.
    """
    import numpy as np

    ranges = max(1, -(-entries // max(1, part)))
    width = -(-(1 << 32) // ranges)
    passages = _Passages()
    # The pairs counted so far, and those counted since they were last added up.
    counted = (np.zeros(0, np.uint64), np.zeros(0, np.int64))
    pending: list[tuple[NDArray[np.uint64], NDArray[np.int64]]] = []
    for kept in range(ranges):
        low, high = kept * width, min((kept + 1) * width, 1 << 32)
        found: list[NDArray[np.uint64]] = []
        for values, numbers in passages.read(read, number=kept == 0):
            chosen = values >= low
            if high < 1 << 32:
                chosen &= values < high
            # The fingerprint, then the passage: sorted, each fingerprint's places in a row.
            keys = values[chosen].astype(np.uint64) << np.uint64(32)
            found.append(keys | numbers[chosen].astype(np.uint64))
        if not found:
            continue
        keys = np.concatenate(found)
        del found
        keys.sort()
        for pairs in _pairs_in(keys, passages):
            pending.append(_counted(pairs))
            if sum(len(pairs) for pairs, _ in pending) > max(_PAIRS, len(counted[0])):
                counted, pending = _added_up([counted, *pending]), []
        del keys
    shared, times = _added_up([counted, *pending])
    lower, higher = np.divmod(shared, np.uint64(max(1, passages.total)))
    sizes = passages.sizes
    copy = is_wire_copy(times, np.minimum(sizes[lower], sizes[higher]))
    # Article pairs, the first read first: how many pairs of their passages are copies.
    count = np.uint64(max(1, len(passages.ids)))
    articles = passages.article.astype(np.uint64)
    pairs, copies = np.unique(
        articles[lower[copy]] * count + articles[higher[copy]], return_counts=True
    )
    first, second = np.divmod(pairs, count)
    return _named(passages.ids, first, second, copies)


def _named(
    ids: list[str], first: NDArray[np.uint64], second: NDArray[np.uint64], copies: NDArray[np.intp]
) -> Iterator[tuple[str, str, int]]:
    """The article pairs by their ids, a few thousand turned into Python objects at a time."""
    for at in range(0, len(first), 4096):
        lot = slice(at, at + 4096)
        for one, two, n in zip(
            first[lot].tolist(), second[lot].tolist(), copies[lot].tolist(), strict=True
        ):
            yield ids[one], ids[two], n


class _Passages:
    """The passages of the corpus numbered from 0, article after article in the order
    `read` gives them (numbered on the first pass): each article's passage numbers
    take the next `1 + its largest` numbers, even those of passages without a
    fingerprint."""

    def __init__(self) -> None:
        import numpy as np

        self.ids: list[str] = []
        self.total = 0  # passages numbered
        self.first = np.zeros(0, np.int64)  # each article's first number
        self.sizes = np.zeros(0, np.int64)  # fingerprints of each passage
        self.article = np.zeros(0, np.int64)  # the article of each passage

    def read(
        self, read: Callable[[], Iterable[tuple[str, bytes]]], number: bool
    ) -> Iterator[tuple[NDArray[np.uint32], NDArray[np.int64]]]:
        """(fingerprint values, passage numbers) of each batch of articles; on the first
        pass (`number`), the passages are numbered on the way."""
        import numpy as np

        firsts: list[NDArray[np.int64]] = []
        sizes: list[NDArray[np.int64]] = []
        done = 0
        batch: list[tuple[str, bytes]] = []
        held = 0
        for row in itertools.chain(read(), [None]):
            if row is not None:
                batch.append(row)
                held += len(row[1])
                if held < _BATCH * 8:
                    continue
            if not batch:
                break
            if number:
                self.ids.extend(article for article, _ in batch)
            elif self.ids[done : done + len(batch)] != [article for article, _ in batch]:
                raise RuntimeError("the fingerprints changed between two passes")
            counts = np.fromiter((len(blob) // 8 for _, blob in batch), np.int64, len(batch))
            flat = np.frombuffer(b"".join(blob for _, blob in batch), dtype=np.uintc)
            values, passage = flat[0::2], flat[1::2].astype(np.int64)
            owner = np.repeat(np.arange(len(batch)), counts)
            if number:
                span = np.zeros(len(batch), np.int64)
                some = counts > 0
                if some.any():
                    at = (np.cumsum(counts) - counts)[some]
                    span[some] = np.maximum.reduceat(passage, at) + 1
                first = self.total + np.cumsum(span) - span
                numbers = first[owner] + passage
                firsts.append(first)
                sizes.append(np.bincount(numbers - self.total, minlength=int(span.sum())))
                self.total += int(span.sum())
                if self.total > 1 << 32:
                    raise RuntimeError("more passages than the pairs can number")
            else:
                numbers = self.first[done : done + len(batch)][owner] + passage
            yield values, numbers
            done += len(batch)
            batch, held = [], 0
        if number:
            self.first = np.concatenate(firsts) if firsts else np.zeros(0, np.int64)
            self.sizes = np.concatenate(sizes) if sizes else np.zeros(0, np.int64)
            spans = np.diff(np.append(self.first, self.total))
            self.article = np.repeat(np.arange(len(self.first)), spans)


def _pairs_in(keys: NDArray[np.uint64], passages: _Passages) -> Iterator[NDArray[np.uint64]]:
    """The pairs of passages of two articles sharing each fingerprint of `keys` (sorted
    fingerprint-passage keys) found in 2 to `COMMON` places, as `lower * total + higher`
    passage numbers: at most about `_PAIRS` at a time."""
    import numpy as np

    value = keys >> np.uint64(32)
    number = (keys & np.uint64(0xFFFFFFFF)).astype(np.int64)
    starts = np.flatnonzero(np.concatenate(([True], value[1:] != value[:-1])))
    places = np.diff(np.append(starts, len(keys)))
    del value
    for k in range(2, COMMON + 1):
        groups = starts[places == k]
        if not len(groups):
            continue
        one, other = np.triu_indices(k, 1)  # within a group, the passages in order
        step = max(1, _PAIRS // len(one))
        for at in range(0, len(groups), step):
            rows = number[groups[at : at + step, None] + np.arange(k)]
            lower, higher = rows[:, one].ravel(), rows[:, other].ravel()
            apart = passages.article[lower] != passages.article[higher]
            lower, higher = lower[apart].astype(np.uint64), higher[apart].astype(np.uint64)
            yield lower * np.uint64(passages.total) + higher


def _counted(pairs: NDArray[np.uint64]) -> tuple[NDArray[np.uint64], NDArray[np.int64]]:
    import numpy as np

    distinct, times = np.unique(pairs, return_counts=True)
    return distinct, times.astype(np.int64)


def _added_up(
    counted: list[tuple[NDArray[np.uint64], NDArray[np.int64]]],
) -> tuple[NDArray[np.uint64], NDArray[np.int64]]:
    """Counts of the same pairs added up."""
    import numpy as np

    pairs = np.concatenate([pairs for pairs, _ in counted])
    times = np.concatenate([times for _, times in counted])
    distinct, where = np.unique(pairs, return_inverse=True)
    return distinct, np.bincount(where.ravel(), weights=times).astype(np.int64)


def is_wire_copy(shared: NDArray[np.int64], smaller: NDArray[np.int64]) -> NDArray[np.bool_]:
    """Which pairs of passages, sharing `shared` of the `smaller` one's fingerprints,
    are one copy."""
    return (shared >= MIN_SHARED) & (shared >= NEAR_DUPLICATE * smaller)


def refresh_pairs(catalog: Catalog, lock: Path) -> None:
    """Find the pairs again and keep them in `catalog`, if a change made them stale:
    under the update's `lock`, in one transaction."""
    if catalog.get_meta(WIRE_STALE) == "0" or catalog.read_only:
        return  # (read-only: the pairs found when it was last written will do)
    try:
        with exclusive(lock):
            if catalog.get_meta(WIRE_STALE) == "0":
                return
            pairs = find_pairs(catalog.fingerprints, catalog.fingerprint_count())
            with catalog.transaction():
                catalog.clear_wire_pairs()
                catalog.add_wire_pairs(pairs)
                catalog.set_meta(WIRE_STALE, "0")
    except IndexBusy:
        return  # another process is updating: the pairs we have will do for now
