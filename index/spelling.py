"""The corpus vocabulary, for "did you mean".

Each folded word (accents and case dropped, no stop words, three letters or
more) with the number of articles that use it, kept in the catalog and updated
with every ingest. Near spellings are found with rapidfuzz, a C++ edit-distance
library: a scan of the whole vocabulary takes a few milliseconds.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from index.analysis import FRENCH_STOP_WORDS, fold

_WORD = re.compile(r"[^\W\d_]{3,}")
MAX_EDITS = 2


def vocabulary_of(texts: Iterable[str]) -> set[str]:
    """The distinct folded words of `texts`."""
    words: set[str] = set()
    for text in texts:
        words.update(_WORD.findall(fold(text)))
    return words - FRENCH_STOP_WORDS


class Vocabulary:
    """Known words and their document frequencies, with a fuzzy look-up."""

    def __init__(self, frequencies: dict[str, int]) -> None:
        self._df = frequencies
        self._words = list(frequencies)

    def __contains__(self, word: str) -> bool:
        return fold(word) in self._df

    def __len__(self) -> int:
        return len(self._df)

    def closest(self, word: str) -> str | None:
        """The most frequent known word within MAX_EDITS edits of `word`, if any."""
        folded = fold(word)
        matches = process.extract(
            folded,
            self._words,
            scorer=Levenshtein.distance,
            score_cutoff=MAX_EDITS,
            limit=8,
        )
        if not matches:
            return None
        best = min(matches, key=lambda m: (m[1], -self._df[m[0]], m[0] != folded[:1]))
        return str(best[0])


def counts(texts_by_article: Iterable[Iterable[str]]) -> Counter[str]:
    """How many articles use each word: one count per article that has it."""
    counter: Counter[str] = Counter()
    for texts in texts_by_article:
        counter.update(vocabulary_of(texts))
    return counter
