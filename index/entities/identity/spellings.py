"""Near spellings: transliterations and OCR confusions of one name (rule 3), found
quickly in blocks of names (`NameBlock`)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from index.entities.identity.groups import _ArticlesOf, _Groups

_VOWELS = frozenset("aeiouy")


# Letters an OCR engine reads one for the other (the long s read as `f`: `Parif`).
_OCR_CONFUSIONS = frozenset(
    frozenset(pair) for pair in (("f", "s"), ("u", "n"), ("c", "e"), ("i", "l"), ("l", "t"))
)
# A name of one word this short or shorter differs from another by OCR confusions only.
SHORT_NAME = 5


# Pairs of letters an OCR engine reads as one (`ConseU` for `Conseil`, `rn` for `m`).
_OCR_PAIRS = re.compile(r"il|li|rn|cl|vv")
_OCR_PAIR_AS = {"il": "u", "li": "u", "rn": "m", "cl": "d", "vv": "w"}


def _ocr_variants(a: str, b: str) -> bool:
    """`a` and `b` differ only by letters an OCR engine confuses (`parif`/`paris`,
    `conseu`/`conseil`)."""
    if len(a) != len(b) and min(len(a), len(b)) >= SHORT_NAME:
        a, b = (_OCR_PAIRS.sub(lambda m: _OCR_PAIR_AS[m.group()], w) for w in (a, b))
    return len(a) == len(b) and all(
        x == y or frozenset((x, y)) in _OCR_CONFUSIONS for x, y in zip(a, b, strict=True)
    )


def _ocr_names(a: str, b: str) -> bool:
    """Two name keys of as many words that differ by OCR confusions only."""
    words_a, words_b = a.split(), b.split()
    return len(words_a) == len(words_b) and all(
        x == y or _ocr_variants(x, y) for x, y in zip(words_a, words_b, strict=True)
    )


def _close_words(a: str, b: str, shortest: int = 3) -> bool:
    """Two words of one name written two ways (`jong`/`jung`, `putin`/`poutine`);
    words of `shortest` letters or fewer differ by OCR confusions only."""
    if a == b:
        return True
    if a[0] != b[0]:
        return False
    if _ocr_variants(a, b):
        return True
    if min(len(a), len(b)) <= shortest:
        return False
    if Levenshtein.distance(a, b) <= 1:
        return True
    short, long = sorted((a, b), key=len)
    return len(short) >= 5 and len(long) - len(short) <= 2 and _vowels_inserted(short, long)


def _vowels_inserted(short: str, long: str) -> bool:
    """`long` is `short` with vowels added (a transliteration: `putin` → `poutine`)."""
    i = 0
    for char in long:
        if i < len(short) and char == short[i]:
            i += 1
        elif char not in _VOWELS:
            return False
    return i == len(short)


def close_names(a: list[str], b: list[str]) -> bool:
    """Two names of as many words, each close; a name of several words shares one
    word exactly (`Vladimir Putin`), a name of one word is compared strictly."""
    if len(a) != len(b):
        return False
    if len(a) == 1:
        return _close_words(a[0], b[0], SHORT_NAME)
    pairs = list(zip(a, b, strict=True))
    return any(x == y for x, y in pairs) and all(_close_words(x, y) for x, y in pairs)


_ROWS = 256


class NameBlock:
    """Names of one block (the same number of words), in order, with quick searches
    for their near spellings. A near spelling of a name of n words is at most 2n
    edits away from it (see `_close_words`): rapidfuzz finds those at once, and
    only they are compared word by word, in the block's order, as if all were."""

    def __init__(self) -> None:
        self.keys: list[str] = []
        self._words: list[list[str]] = []

    def add(self, key: str) -> None:
        self.keys.append(key)
        self._words.append(key.split())

    def close_to(self, key: str, words: list[str]) -> Iterator[int]:
        """The places of the names close to `key` (split as `words`)."""
        within = process.extract(
            key, self.keys, scorer=Levenshtein.distance, score_cutoff=2 * len(words), limit=None
        )
        for place in sorted(place for _key, _edits, place in within):
            if close_names(words, self._words[place]):
                yield place

    def close_pairs(self) -> Iterator[tuple[int, int]]:
        """The places (i, j), i < j, of the names close to each other, in order."""
        if len(self.keys) < 2:
            return
        reach = 2 * len(self._words[0])
        # A few rows of the matrix of edit distances at a time: a block of 10,000
        # names would be a matrix of 400 MB.
        for top in range(0, len(self.keys), _ROWS):
            edits = process.cdist(
                self.keys[top : top + _ROWS],
                self.keys,
                scorer=Levenshtein.distance,
                score_cutoff=reach,
            )
            for row, j in zip(*(edits <= reach).nonzero(), strict=True):
                i = top + int(row)
                if i < j and close_names(self._words[i], self._words[j]):
                    yield i, int(j)


def _near_spellings(
    groups: _Groups,
    keys: list[str],
    labels: dict[str, str],
    places: dict[str, str],
    written_in: _ArticlesOf | None = None,
) -> None:
    blocks: dict[tuple[str, int, str, str], NameBlock] = defaultdict(NameBlock)
    for key in keys:
        words = key.split()
        if any(len(word) == 1 for word in words):
            continue  # initials are rule 4
        blocks[(labels[key], len(words), words[0][0], words[-1][0])].add(key)
    for block in blocks.values():
        for i, j in block.close_pairs():
            a, b = block.keys[i], block.keys[j]
            if a in places and b in places and places[a] != places[b]:
                continue  # two places known apart, however close their names
            if (a in places) != (b in places) and not _ocr_names(a, b):
                continue  # a known place and a name one letter away (`France`, `Franco`)
            short, long = sorted((a, b), key=len)
            if (a in places or b in places) and long.startswith(short):
                continue  # a place and its people (`Nigeria`, `Nigérians`, `Algériens`)
            # A surname and the surname with a letter after it are two families
            # (`Robert`, `Roberts`; `Lauren` in a novel, `Laurens` a journalist)
            # unless one article writes both.
            family = labels[a] == "PER" and " " not in a and long[:-1] == short
            if family and written_in and not written_in[a] & written_in[b]:
                continue
            groups.union(a, b)
