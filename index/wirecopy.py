"""Wire copy across the corpus: which articles share near-duplicate passages with which.

Each passage leaves sampled fingerprints of its word 4-grams (folded words,
stop words included), as passim and other text-reuse tools index n-grams:
the stable hash of every shingle, kept when it falls in one residue class in
`SAMPLE`, so a passage leaves about a quarter of its shingles. Two passages
that share enough fingerprints, relative to the smaller of them, are a
near-duplicate pair. Fingerprints are kept by hash, so finding
the partners of a new article is a look-up per fingerprint, not a scan of
the corpus.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator

from index.analysis import fold
from index.model import Article
from index.related import NEAR_DUPLICATE, SHINGLE

_WORD = re.compile(r"\w+")

SAMPLE = 4
# Fewer shared fingerprints than this is chance, whatever the passages' sizes.
MIN_SHARED = 3
# A fingerprint in more passages than this is a stock phrase, not a sign of copy.
COMMON = 50


def fingerprints(article: Article) -> Iterator[tuple[int, int]]:
    """(fingerprint, passage number) for the sampled shingles of each passage."""
    for passage in article.passages:
        words = _WORD.findall(fold(article.passage_text(passage)))
        seen: set[int] = set()
        for i in range(len(words) - SHINGLE + 1):
            value = zlib.crc32(" ".join(words[i : i + SHINGLE]).encode("utf-8"))
            if value % SAMPLE == 0 and value not in seen:
                seen.add(value)
                yield value, passage.n


def is_wire_copy(shared: int, smaller: int) -> bool:
    """Whether two passages sharing `shared` of the `smaller` one's fingerprints are one copy."""
    return shared >= MIN_SHARED and shared >= NEAR_DUPLICATE * smaller
