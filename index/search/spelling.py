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

from index.analysis import FRENCH_STOP_WORDS, MAX_WORD_CHARS, fold

# Whole runs of letters, as long as the index takes a word: a longer run (a line of
# megabytes with no space) yields no term, and no word to suggest either.
_WORD = re.compile(rf"(?<![^\W\d_])[^\W\d_]{{3,{MAX_WORD_CHARS}}}(?![^\W\d_])")
MAX_EDITS = 2
_LOWER: dict[str, str] = {}  # word as written -> its lowercase form, or "" for a stop word


# `counts` also counts, under this mark and the word, the articles that write a word
# in small letters: `l'État` and `un état` tell a common noun from a name
# (`entity_pass.case_counts`). The catalog keeps them apart from the vocabulary.
LOWERCASE_MARK = "\x00"


def vocabulary_of(texts: Iterable[str], raw: set[str] | None = None) -> set[str]:
    """The distinct words of `texts` in lowercase, accents kept, stop words left out
    (and the words as written added to `raw`, if given)."""
    if raw is None:
        raw = set()
    for text in texts:
        raw.update(_WORD.findall(text))
    # Look at distinct words, not the whole text, and remember them: news repeats itself.
    known = _LOWER
    result = set()
    for word in raw:
        form = known.get(word)
        if form is None:
            lower = word.lower()
            form = "" if fold(lower) in FRENCH_STOP_WORDS else lower
            if len(known) < 500_000:
                known[word] = form
        if form:
            result.add(form)
    return result


class Vocabulary:
    """Known words and their document frequencies, with a fuzzy look-up.

    Words are kept as written (lowercase, with their accents) so a suggestion
    reads `président`; they are compared folded, so `presidnet` finds it.
    """

    def __init__(self, frequencies: dict[str, int]) -> None:
        self._df = frequencies
        self._words = list(frequencies)
        # Folded once here rather than by rapidfuzz at each look-up (most of its time).
        self._folded_words = [fold(word) for word in self._words]
        self._folded = set(self._folded_words)

    def __contains__(self, word: str) -> bool:
        return fold(word) in self._folded

    def __len__(self) -> int:
        return len(self._df)

    def closest(self, word: str) -> str | None:
        """The most frequent known word within MAX_EDITS edits of `word`, if any."""
        folded = fold(word)
        matches = process.extract(
            folded,
            self._folded_words,
            scorer=Levenshtein.distance,
            score_cutoff=MAX_EDITS,
            limit=8,
        )
        if not matches:
            return None
        # (Each match is the folded word, its distance and its index in `_words`.)
        _, _, index = min(
            matches, key=lambda m: (m[1], -self._df[self._words[m[2]]], m[0][:1] != folded[:1])
        )
        return self._words[index]


def counts(texts_by_article: Iterable[Iterable[str]]) -> Counter[str]:
    """How many articles use each word: one count per article that has it (and,
    under `LOWERCASE_MARK`, how many write it in small letters)."""
    counter: Counter[str] = Counter()
    for texts in texts_by_article:
        raw: set[str] = set()
        words = vocabulary_of(texts, raw)
        counter.update(words)
        counter.update(LOWERCASE_MARK + word for word in words if word in raw)
    return counter
