"""Wire copy: the pairs found range by range are exactly those of the plain count.

The reference below counts the way the pass did when it held every fingerprint of
the corpus in Python dicts: for each fingerprint in 2 to `COMMON` passages, each pair
of passages of two articles shares one more; a pair is one copy when `MIN_SHARED`
and `NEAR_DUPLICATE` say so. `find_pairs` must give the same pairs whatever the
ranges, the batches read and the pairs counted at a time.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Iterable
from unittest.mock import patch

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index import Corpus
from index.crossref import wirecopy
from index.crossref.wirecopy import (
    COMMON,
    MIN_SHARED,
    NEAR_DUPLICATE,
    find_pairs,
    pack,
    unpack,
)

Rows = list[tuple[str, bytes]]


def _reference(rows: Iterable[tuple[str, bytes]]) -> dict[str, dict[str, int]]:
    places: dict[int, list[tuple[str, int]]] = defaultdict(list)
    sizes: Counter[tuple[str, int]] = Counter()
    for article, blob in rows:
        for value, passage in unpack(blob):
            places[value].append((article, passage))
            sizes[(article, passage)] += 1
    shared: Counter[tuple[tuple[str, int], tuple[str, int]]] = Counter()
    for found in places.values():
        if 2 <= len(found) <= COMMON:
            for i, one in enumerate(found):
                for two in found[i + 1 :]:
                    if one[0] != two[0]:
                        shared[(one, two) if one < two else (two, one)] += 1
    partners: dict[str, Counter[str]] = defaultdict(Counter)
    for (one, two), n in shared.items():
        smaller = min(sizes[one], sizes[two])
        if n >= MIN_SHARED and n >= NEAR_DUPLICATE * smaller:
            partners[one[0]][two[0]] += 1
            partners[two[0]][one[0]] += 1
    return {article: dict(others) for article, others in partners.items()}


def _found(rows: Rows, part: int = wirecopy.PART) -> dict[str, dict[str, int]]:
    entries = sum(len(blob) for _, blob in rows) // 8
    partners: dict[str, dict[str, int]] = defaultdict(dict)
    for article, other, n in find_pairs(lambda: iter(rows), entries, part=part):
        assert other not in partners[article]  # each pair once
        partners[article][other] = partners[other][article] = n
    return dict(partners)


def _blob(passages: dict[int, Iterable[int]]) -> bytes:
    return pack((value, n) for n, values in passages.items() for value in values)


def _synthetic() -> Rows:
    """Articles with copies of passages (whole, shortened, rewritten), near misses on
    either side of each rule, and stock phrases in more than `COMMON` passages."""
    draw = random.Random(16)
    fresh = iter(draw.sample(range(0, 1 << 32, 4), 20_000))
    stock = [next(fresh) for _ in range(5)]
    articles: dict[str, dict[int, list[int]]] = {}
    originals: list[list[int]] = []
    for a in range(80):
        passages = {}
        for n in range(draw.randint(0, 6)):
            words = [next(fresh) for _ in range(draw.randint(1, 30))]
            if draw.random() < 0.3 and originals:
                copied = draw.choice(originals)
                # all of it, most of it, a quarter, just under a quarter, 2 or 3 values
                keep = draw.choice([len(copied), len(copied) * 3 // 4, -(-len(copied) // 4),
                                    len(copied) // 4 - 1, MIN_SHARED - 1, MIN_SHARED])  # fmt: skip
                words = copied[: max(0, keep)] + words
            if draw.random() < 0.5:
                words += draw.sample(stock, draw.randint(1, len(stock)))
            originals.append(words)
            passages[draw.choice([n, n + 3, 2 * n])] = sorted(set(words))
        articles[f"{a:03d}"] = passages
    # Each rule's edge: (values of the original, of them in the copy, new in the copy).
    for name, (size, kept, new) in {
        "quarter": (12, 3, 9),  # 3 of 12 shared: exactly a quarter, a copy
        "under-quarter": (13, 3, 10),  # 3 of 13: under a quarter
        "min-shared": (8, MIN_SHARED, 0),  # all of the copy, MIN_SHARED values: a copy
        "under-min-shared": (8, MIN_SHARED - 1, 0),  # all of it, but too few to tell
    }.items():
        original = [next(fresh) for _ in range(size)]
        copy = original[:kept] + [next(fresh) for _ in range(new)]
        articles[f"edge-{name}-a"] = {0: sorted(original)}
        articles[f"edge-{name}-b"] = {2: sorted(copy)}
    # A stock phrase in exactly COMMON places, one in COMMON + 1: the first still counts.
    edge, over = next(fresh), next(fresh)
    for a in range(COMMON + 1):
        passages = articles[f"{a:03d}"]
        n = max(passages, default=0)
        passages.setdefault(n, [])
        passages[n] = sorted({*passages[n], over} | ({edge} if a < COMMON else set()))
    return [(article, _blob(passages)) for article, passages in sorted(articles.items())]


@pytest.mark.parametrize("part", [1, 1_000, 100_000, wirecopy.PART])
def test_the_pairs_are_those_of_the_plain_count_on_a_synthetic_corpus(part: int) -> None:
    rows = _synthetic()
    expected = _reference(rows)
    assert sum(len(others) for others in expected.values()) > 20  # copies there are
    edges = {a for a in expected if a.startswith("edge-")}
    assert edges == {f"edge-{name}-{side}" for name in ("quarter", "min-shared") for side in "ab"}
    with patch.object(wirecopy, "_BATCH", 37), patch.object(wirecopy, "_PAIRS", 50):
        assert _found(rows, part) == expected
    assert _found(rows, part) == expected


def test_the_pairs_are_those_of_the_plain_count_on_the_seeds(corpus: Corpus) -> None:
    rows = [
        (article.id, pack(wirecopy.fingerprints(article))) for article in corpus.iter_articles()
    ]
    expected = _reference(rows)
    assert expected  # the seeds' wire copy: 000 and 003
    assert _found(rows) == expected
    assert _found(rows, part=50) == expected
    counts = {article: len(others) for article, others in expected.items()}
    assert counts == corpus.wire_counts()


def test_no_fingerprints_no_pairs() -> None:
    assert _found([]) == {}
    assert _found([("a", b""), ("b", b"")]) == {}


# Values from a few, at both ends of the range too: places shared, and ranges cut.
_VALUES = [0, 4, 8, 12, 16, 20, 1 << 31, (1 << 32) - 8, (1 << 32) - 4]
_PASSAGES = st.dictionaries(
    st.integers(0, 12), st.sets(st.sampled_from(_VALUES), max_size=9), max_size=4
)


@settings(max_examples=300, deadline=None, database=None)
@given(
    articles=st.lists(_PASSAGES, max_size=60),
    part=st.integers(1, 400),
    batch=st.integers(1, 50),
    pairs=st.integers(1, 200),
)
def test_the_pairs_are_those_of_the_plain_count_whatever_the_cuts(
    articles: list[dict[int, set[int]]], part: int, batch: int, pairs: int
) -> None:
    rows = [(f"{i:03d}", _blob(passages)) for i, passages in enumerate(articles)]
    with patch.object(wirecopy, "_BATCH", batch), patch.object(wirecopy, "_PAIRS", pairs):
        assert _found(rows, part) == _reference(rows)
