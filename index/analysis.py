"""French analysis for Whoosh: what makes `Etats-Unis`, `états-unis` and `ÉTATS UNIS` one.

The chain is tokenize → lowercase → fold accents → drop stop words → stem. Accents
are folded *before* stemming so that a query typed without accents (`etats`)
goes through exactly the same steps as the accented text (`États`): both meet
the stemmer as `etats`. Apostrophes of every kind and hyphens separate tokens,
so `l’armée`, `l'armée` and `armée` all index `arme`.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from typing import Any

from whoosh.analysis import Analyzer, Token
from whoosh.lang import stopwords
from whoosh.lang.snowball.french import FrenchStemmer
from whoosh.support.charset import accent_map

# Words (\w runs), so every apostrophe, hyphen and non-breaking space separates.
TOKEN_PATTERN = r"\w+"
# A longer run of word characters is no word (a hash, base64, a line of 5 MB with
# no space): it yields no term, so the index never holds a term of megabytes and
# the stemmer (slow on long input) never sees one.
MAX_WORD_CHARS = 64

# Whoosh's French list is the Snowball one; it lacks common determiners and
# pronouns (`les`, `cette`, `aux`…) that carry no meaning in a search.
_EXTRA_STOP_WORDS = """
    les lors cet cette ceux celle celles celui cela ça ceci leurs quel quelle quels quelles
    dont où si sans sous entre vers chez aussi donc car ni or ainsi alors comme après avant
    depuis pendant très plus moins tout tous toute toutes autre autres même mêmes lequel
    laquelle lesquels lesquelles auquel auxquels duquel desquels a été être avoir fait
    dès contre selon déjà encore puis toujours jamais
"""


# Whoosh's accent map, plus the ligatures it leaves alone.
_FOLD_TABLE = {**accent_map, ord("œ"): "oe", ord("æ"): "ae", ord("ß"): "ss"}


def fold(text: str) -> str:
    """Lowercase without accents: the form in which words are compared."""
    return text.lower().translate(_FOLD_TABLE)


FRENCH_STOP_WORDS: frozenset[str] = frozenset(
    fold(word) for word in (*stopwords.stoplists["fr"], *_EXTRA_STOP_WORDS.split())
)


def _read_long_s(word: str) -> set[str]:
    """`word` as OCR reads it from old print, where an `s` that does not end a word was
    set as a long s (ſ) and is read as an `f`: each choice of such letters read so."""
    inside = [i for i, letter in enumerate(word[:-1]) if letter == "s"]
    return {
        "".join("f" if i in chosen else letter for i, letter in enumerate(word))
        for k in range(1, len(inside) + 1)
        for chosen in itertools.combinations(inside, k)
    }


# The stop words as OCR reads them from old print (`eft` for est, `fur` for sur, `auffi`),
# less those that are stop words already; and the stop words that print could change.
LONG_S_STOP_WORDS: frozenset[str] = (
    frozenset(form for word in FRENCH_STOP_WORDS for form in _read_long_s(word)) - FRENCH_STOP_WORDS
)
_S_STOP_WORDS = frozenset(word for word in FRENCH_STOP_WORDS if _read_long_s(word))
# A text read from old print has at least this many of those forms, and more than twice
# as many as of the same stop words read with their s: some of the forms are words of
# today too (`fois`, `font`, `fera`). On the shared corpus's articles, every passage of
# 1804 with two such forms or more, and no passage of 1826 or later.
LONG_S_MIN = 2


def reads_long_s(folded: Iterable[str]) -> bool:
    """Whether a text, by its folded words, was read by OCR from print with the long s."""
    long_s = plain = 0
    for word in folded:
        long_s += word in LONG_S_STOP_WORDS
        plain += word in _S_STOP_WORDS
    return long_s >= LONG_S_MIN and long_s > 2 * plain


def _inflection(word: str) -> str:
    """Prepare a folded word for the Snowball French stemmer where it falls short.

    Snowball keeps `accusent` and `livrent` whole (it has no rule for the third
    person plural of -er verbs) and keeps the `s` of plurals after a vowel
    (`vetos`, `unis`). Before stemming, a plural `s` after a vowel is dropped
    and `-ent(s)` becomes `-e` (`accusent` → `accuse`, stemmed like `accuse`).
    Both sides of a search go through the same steps, so the cost is only a few
    harmless collisions (`presid` for président and présider).
    """
    if len(word) >= 4 and word[-1] == "s" and word[-2] in "aeiou":
        word = word[:-1]
    if len(word) >= 8 and word.endswith("ents"):
        return word[:-3]
    if len(word) >= 7 and word.endswith("ent"):
        return word[:-2]
    return word


_STOPPED = ""  # cache value of a word that yields no term


class FrenchAnalyzer(Analyzer):  # type: ignore[misc]
    """Tokenize, lowercase, fold accents, drop stop words and stem, in one pass.

    Whoosh's filter chain (RegexTokenizer | LowercaseFilter | CharsetFilter |
    StopFilter | StemFilter) gives the same terms, but runs six generators per
    word; news text repeats its words, so here each distinct word form is
    analysed once and remembered. Positions count the words kept, as Whoosh's
    StopFilter renumbers them, so "guerre en Ukraine" matches as a phrase.
    """

    CACHE_LIMIT = 400_000

    def __init__(self, stem: bool = True, min_length: int = 1) -> None:
        self.stem = stem
        self.min_length = min_length
        self._cache: dict[str, str] = {}
        self._stemmer: Any = None

    # The cache is no part of the analyzer's identity (the schema is pickled).
    def __getstate__(self) -> dict[str, Any]:
        return {"stem": self.stem, "min_length": self.min_length}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(**state)  # type: ignore[misc]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FrenchAnalyzer) and self.__getstate__() == other.__getstate__()

    def __hash__(self) -> int:
        return hash((self.stem, self.min_length))

    def __repr__(self) -> str:
        return f"FrenchAnalyzer(stem={self.stem}, min_length={self.min_length})"

    def term(self, word: str) -> str:
        """The index term of one word, or "" for a stop word or a word too long."""
        if len(word) > MAX_WORD_CHARS:
            return _STOPPED  # (not cached: the cache would keep the megabytes)
        term = self._cache.get(word)
        if term is not None:
            return term
        folded = word.lower().translate(_FOLD_TABLE)
        if folded in FRENCH_STOP_WORDS or len(folded) < self.min_length:
            term = _STOPPED
        elif self.stem:
            if self._stemmer is None:
                self._stemmer = FrenchStemmer()
            term = self._stemmer.stem(_inflection(folded))
        else:
            term = folded
        if len(self._cache) < self.CACHE_LIMIT:
            self._cache[word] = term
        return term

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        words = _WORD.finditer(value) if tokenize else iter([_WholeMatch(value)])
        pos = start_pos
        for match in words:
            if tokenize and len(match.group()) > MAX_WORD_CHARS:
                continue  # not a word: no term, stopped or not, and no position
            term = self.term(match.group())
            if not term:
                if removestops:
                    continue
                token.stopped = True
                term = match.group().lower()
            else:
                token.stopped = False
            token.text = term
            token.boost = 1.0
            if keeporiginal:
                token.original = match.group()
            if positions:
                token.pos = pos
            if chars:
                token.startchar = start_char + match.start()
                token.endchar = start_char + match.end()
            pos += 1
            yield token


class _WholeMatch:
    """Stands for a regex match when the caller asks not to tokenize."""

    def __init__(self, value: str) -> None:
        self._value = value

    def group(self) -> str:
        return self._value

    def start(self) -> int:
        return 0

    def end(self) -> int:
        return len(self._value)


_WORD = re.compile(TOKEN_PATTERN)
_FRENCH = FrenchAnalyzer()


def french_analyzer() -> FrenchAnalyzer:
    """The analyzer of the searchable text fields."""
    return _FRENCH


def stems(text: str) -> list[str]:
    """The index terms of `text`, in order: what Whoosh indexes for it.

    Whoosh takes such a list in place of a string and skips the analysis, so a
    text analysed once can be indexed twice (as an article and as passages).
    """
    term = _FRENCH.term
    return [t for t in map(term, _WORD.findall(text)) if t]


def stem_spans(text: str) -> list[tuple[str, int, int]]:
    """Each index term of `text` with the character span of the word it came from."""
    analyzer = french_analyzer()
    spans = []
    for match in _WORD.finditer(text):
        term = analyzer.term(match.group())
        if term:
            spans.append((term, match.start(), match.end()))
    return spans
