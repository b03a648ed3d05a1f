"""Language of a passage, with py3langid (its model ships inside the wheel)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

# The languages a French news corpus plausibly mixes in: quotes, captions and
# wire copy. Restricting the classifier to them makes short passages far more
# reliable than an open 97-language guess.
LANGUAGES = ("fr", "en", "es", "de", "it", "pt", "nl")

# Below this many letters the guess is noise: a heading inherits its article's language.
MIN_LETTERS = 30


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(LANGUAGES))
    return identifier


def detect_language(text: str, default: str = "fr") -> str:
    """The ISO 639-1 code of `text`, or `default` when the text is too short to tell."""
    letters = sum(1 for c in text if c.isalpha())
    if letters < MIN_LETTERS:
        return default
    lang, _prob = _identifier().classify(text)
    return str(lang)
