"""Wire copy across the corpus: which articles share near-duplicate passages with which.

Each passage leaves sampled fingerprints of its word 4-grams (folded words,
stop words included), as passim and other text-reuse tools index n-grams:
the stable hash of every shingle, kept when it falls in one residue class in
`SAMPLE`, so a passage leaves about a quarter of its shingles. Two passages
that share enough fingerprints, relative to the smaller of them, are a
near-duplicate pair. The pairs are found for the whole corpus in one pass
over its fingerprints, when first asked for after a change, and kept in the
catalog (`refresh_pairs`).
"""

from __future__ import annotations

import re
import zlib
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

from index.analysis import fold
from index.crossref.related import NEAR_DUPLICATE, SHINGLE
from index.errors import IndexBusy
from index.model import Article
from index.storage.catalog import Catalog
from index.storage.lock import exclusive

_WORD = re.compile(r"\w+")

SAMPLE = 4
# Fewer shared fingerprints than this is chance, whatever the passages' sizes.
MIN_SHARED = 3
# A fingerprint in more passages than this is a stock phrase, not a sign of copy.
COMMON = 50
# The catalog's mark that the pairs are to be found again ("1": an update changed
# articles) or were found since ("0").
WIRE_STALE = "wire_copy_stale"


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


def find_pairs(packed: Iterable[tuple[str, bytes]]) -> dict[str, Counter[str]]:
    """For each article, the articles it shares near-duplicate passages with, and how many
    passage pairs: one pass over every fingerprint of the corpus."""
    postings: dict[int, list[tuple[str, int]]] = defaultdict(list)
    sizes: Counter[tuple[str, int]] = Counter()
    for article, blob in packed:
        for value, passage in unpack(blob):
            postings[value].append((article, passage))
            sizes[(article, passage)] += 1
    shared: Counter[tuple[str, int, str, int]] = Counter()
    for places in postings.values():
        if len(places) < 2 or len(places) > COMMON:
            continue  # alone, or a stock phrase rather than a sign of copy
        for i, (article, passage) in enumerate(places):
            for other, other_passage in places[i + 1 :]:
                if other != article:
                    shared[(article, passage, other, other_passage)] += 1
    partners: dict[str, Counter[str]] = defaultdict(Counter)
    for (article, passage, other, other_passage), n in shared.items():
        smaller = min(sizes[(article, passage)], sizes[(other, other_passage)])
        if is_wire_copy(n, smaller):
            partners[article][other] += 1
            partners[other][article] += 1
    return partners


def is_wire_copy(shared: int, smaller: int) -> bool:
    """Whether two passages sharing `shared` of the `smaller` one's fingerprints are one copy."""
    return shared >= MIN_SHARED and shared >= NEAR_DUPLICATE * smaller


def refresh_pairs(catalog: Catalog, lock: Path) -> None:
    """Find the pairs again and keep them in `catalog`, if a change made them stale:
    under the update's `lock`, in one transaction."""
    if catalog.get_meta(WIRE_STALE) == "0" or catalog.read_only:
        return  # (read-only: the pairs found when it was last written will do)
    try:
        with exclusive(lock):
            if catalog.get_meta(WIRE_STALE) == "0":
                return
            partners = find_pairs(catalog.fingerprints())
            with catalog.transaction():
                catalog.clear_wire_pairs()
                for article, others in partners.items():
                    # Each pair once: add_wire_pairs writes both directions.
                    catalog.add_wire_pairs(
                        article, {o: n for o, n in others.items() if o > article}
                    )
                catalog.set_meta(WIRE_STALE, "0")
    except IndexBusy:
        return  # another process is updating: the pairs we have will do for now
