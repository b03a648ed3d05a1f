"""Language of a passage, with py3langid (its model ships inside the wheel).

py3langid's model is an LZMA archive (68 MB once decompressed) that takes 0.7 s
to open, which a run adding one article would pay each time. The model
restricted to our languages is kept once, uncompressed, in the user's cache
directory (`<cache>/presse/models/`, 40 MB), and read from there in a tenth of
a second. It is made again from the wheel's if it is missing, unreadable or not
of this shape, and when it cannot be written the wheel's is simply used.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
import zipfile
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

# The languages a French news corpus plausibly mixes in: quotes, captions and
# wire copy. Restricting the classifier to them makes short passages far more
# reliable than an open 97-language guess.
LANGUAGES = ("fr", "en", "es", "de", "it", "pt", "nl")

# Below this many letters the guess is noise: a heading inherits its article's language.
MIN_LETTERS = 30
DETECT_CHARS = 300


# The layout of the kept model's file, in its name: another layout is made anew.
KEPT_FORMAT = "v1"
# Another kept file this old is another version's, or a write that was killed.
STALE_SECONDS = 3600


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    kept = _kept_model_path()
    try:
        return _read_kept(kept)
    except (OSError, ValueError, KeyError, IndexError, EOFError, zipfile.BadZipFile):
        pass
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(LANGUAGES))
    _keep(identifier, kept)
    return identifier


def _kept_model_path() -> Path:
    import platformdirs

    try:
        release = version("py3langid")
    except PackageNotFoundError:
        release = "unknown"
    name = f"langid-{KEPT_FORMAT}-{release}-{'-'.join(LANGUAGES)}.npz"
    return Path(platformdirs.user_cache_dir("presse")) / "models" / name


def _read_kept(path: Path) -> Any:
    import numpy as np
    from py3langid.langid import LanguageIdentifier

    with np.load(path, allow_pickle=False) as data:
        parts = {name: data[name] for name in data.files}
    classes = [str(code) for code in parts["nb_classes"]]
    rows = len(parts["tk_row"])
    if (
        sorted(classes) != sorted(LANGUAGES)
        or parts["nb_ptc"].shape[1:] != (len(classes),)
        or parts["nb_pc"].shape != (len(classes),)
        or len(parts["tk_output"]) != rows
        or not len(parts["tk_nextmove"])
    ):
        raise ValueError("the kept language model is not of the expected shape")
    return LanguageIdentifier(
        parts["nb_ptc"],
        parts["nb_pc"],
        classes,
        _as_array(parts["tk_nextmove"]),
        parts["tk_output"].tolist(),
        norm_probs=True,
        tk_row=_as_array(parts["tk_row"]),
    )


def _as_array(values: Any) -> Any:
    """A NumPy array of unsigned integers as the stdlib array py3langid walks."""
    from array import array

    kept = array({2: "H", 4: "I", 8: "L"}[values.dtype.itemsize])
    kept.frombytes(memoryview(values).cast("B"))  # (copied once, not twice)
    return kept


def _keep(identifier: Any, path: Path) -> None:
    """Write the restricted model, whole or not at all, in place of any other kept
    one (another version's, or a run's killed while writing); a cache that cannot
    be written is no error."""
    import numpy as np

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for other in path.parent.glob("langid-*"):
            if other != path and time.time() - other.stat().st_mtime > STALE_SECONDS:
                other.unlink(missing_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
        try:
            with os.fdopen(handle, "wb") as out:
                np.savez(
                    out,
                    nb_ptc=identifier.nb_ptc,
                    nb_pc=identifier.nb_pc,
                    tk_nextmove=_unsigned(identifier.tk_nextmove),
                    tk_row=_unsigned(identifier.tk_row),
                    tk_output=np.asarray(identifier.tk_output, dtype=np.int64),
                    nb_classes=np.asarray(identifier.nb_classes),
                )
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except (OSError, ValueError, AttributeError):
        pass


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


def _unsigned(values: Any) -> Any:
    import numpy as np

    return np.frombuffer(values, dtype=f"u{values.itemsize}")
