"""Language of a passage, with py3langid (its model ships inside the wheel)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

# The languages a French news corpus plausibly mixes in: quotes, captions and
# wire copy. Restricting the classifier to them makes short passages far more
# reliable than an open 97-language guess.
LANGUAGES = ("fr", "en", "es", "de", "it", "pt", "nl")

# Below this many letters the guess is noise: a heading inherits its article's language.
MIN_LETTERS = 30
DETECT_CHARS = 300


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(LANGUAGES))
    return identifier


# Words that are common in French and absent from the other languages above:
# when they make up a good share of a passage, it is French, no model needed.
_FRENCH_MARKERS = frozenset(
    {"les", "des", "est", "une", "du", "qui", "dans", "pour", "pas", "au", "aux", "cette"}
    | {"avec", "sont", "été", "leur", "leurs", "ils", "elle", "ont", "était", "avait", "ces"}
    | {"ses", "aussi", "très", "selon", "depuis", "nous", "vous", "lui"}
)
_WORDS = re.compile(r"[^\W\d_]+")


def detect_language(text: str, default: str = "fr") -> str:
    """The ISO 639-1 code of `text`, or `default` when the text is too short to tell."""
    head = text[:DETECT_CHARS]
    words = _WORDS.findall(head.lower())
    if len("".join(words)) < MIN_LETTERS:
        return default
    markers = [word for word in words if word in _FRENCH_MARKERS]
    if len(markers) * 16 >= len(words) and len(set(markers)) >= 2:
        return "fr"
    # A few hundred characters decide as well as a whole passage, for a fraction of the time.
    lang, _prob = _identifier().classify(text[:DETECT_CHARS])
    return str(lang)
