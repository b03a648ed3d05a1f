"""French analysis for Whoosh: what makes `Etats-Unis`, `états-unis` and `ÉTATS UNIS` one.

The chain is tokenize → lowercase → fold accents → drop stop words → stem. Accents
are folded *before* stemming so that a query typed without accents (`etats`)
goes through exactly the same steps as the accented text (`États`): both meet
the stemmer as `etats`. Apostrophes of every kind and hyphens separate tokens,
so `l’armée`, `l'armée` and `armée` all index `arme`.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Any

from whoosh.analysis import (
    CharsetFilter,
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.lang import stopwords
from whoosh.support.charset import accent_map

# Words (\w runs), so every apostrophe, hyphen and non-breaking space separates.
TOKEN_PATTERN = r"\w+"

# Whoosh's French list is the Snowball one; it lacks common determiners and
# pronouns (`les`, `cette`, `aux`…) that carry no meaning in a search.
_EXTRA_STOP_WORDS = """
    les lors cet cette ceux celle celles celui cela ça ceci leurs quel quelle quels quelles
    dont où si sans sous entre vers chez aussi donc car ni or ainsi alors comme après avant
    depuis pendant très plus moins tout tous toute toutes autre autres même mêmes lequel
    laquelle lesquels lesquelles auquel auxquels duquel desquels a été être avoir fait
    dès contre selon déjà encore puis toujours jamais
"""


def fold(text: str) -> str:
    """Lowercase without accents: the form in which words are compared."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


FRENCH_STOP_WORDS: frozenset[str] = frozenset(
    fold(word) for word in (*stopwords.stoplists["fr"], *_EXTRA_STOP_WORDS.split())
)


class InflectionFilter(Filter):  # type: ignore[misc]
    """Prepare words for the Snowball French stemmer where it falls short.

    Snowball keeps `accusent` and `livrent` whole (it has no rule for the third
    person plural of -er verbs) and keeps the `s` of plurals after a vowel
    (`vetos`, `unis`). Before stemming, a plural `s` after a vowel is dropped
    and `-ent(s)` becomes `-e` (`accusent` → `accuse`, stemmed like `accuse`).
    Both sides of a search go through the same steps, so the cost is only a few
    harmless collisions (`presid` for président and présider).
    """

    def __call__(self, tokens: Any) -> Any:
        for token in tokens:
            text = token.text
            if len(text) >= 4 and text[-1] == "s" and text[-2] in "aeiou":
                text = text[:-1]
            if len(text) >= 8 and text.endswith("ents"):
                text = text[:-3]
            elif len(text) >= 7 and text.endswith("ent"):
                text = text[:-2]
            token.text = text
            yield token


@lru_cache(maxsize=1)
def french_analyzer() -> Any:
    """The analyzer of the searchable text fields."""
    return (
        RegexTokenizer(TOKEN_PATTERN)
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | StopFilter(stoplist=FRENCH_STOP_WORDS, minsize=1)
        | InflectionFilter()
        | StemFilter(lang="fr", cachesize=100_000)
    )


@lru_cache(maxsize=1)
def word_analyzer() -> Any:
    """Folded but unstemmed words: the vocabulary that "did you mean" draws on."""
    return (
        RegexTokenizer(TOKEN_PATTERN)
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | StopFilter(stoplist=FRENCH_STOP_WORDS, minsize=3)
    )


def stems(text: str) -> list[str]:
    """The index terms of `text`, in order."""
    return [token.text for token in french_analyzer()(text)]


def stem_spans(text: str) -> list[tuple[str, int, int]]:
    """Each index term of `text` with the character span of the word it came from."""
    return [
        (token.text, token.startchar, token.endchar)
        for token in french_analyzer()(text, chars=True, mode="query")
    ]
