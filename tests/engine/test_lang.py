"""Language identification, and the restricted model it keeps in the user's cache.

Each test has a cache directory of its own (see `conftest._private_cache`), and
starts and ends with no identifier loaded in this process.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from index.ingest import lang

TEXTS = {
    "fr": "Le gouvernement a annoncé mardi de nouvelles mesures contre la hausse des prix.",
    "en": "The government announced new measures against rising prices on Tuesday morning.",
    "es": "El presidente ruso Vladimir Putin durante una reunión en Moscú este martes.",
    "de": "Die Regierung hat am Dienstag neue Maßnahmen gegen die steigenden Preise angekündigt.",
    "it": "Il governo ha annunciato martedì nuove misure contro l'aumento dei prezzi.",
}


@pytest.fixture(autouse=True)
def _unloaded() -> Iterator[None]:
    lang._identifier.cache_clear()
    yield
    lang._identifier.cache_clear()


def _classified() -> dict[str, str]:
    return {code: lang.detect_language(text, default="?") for code, text in TEXTS.items()}


def test_the_kept_model_is_written_once_and_read_back(monkeypatch: pytest.MonkeyPatch) -> None:
    kept = lang._kept_model_path()
    assert not kept.exists()
    first = _classified()
    assert first == {code: code for code in TEXTS}
    assert kept.is_file()

    from py3langid.langid import LanguageIdentifier

    def no_wheel_model(*args: object, **kwargs: object) -> None:
        raise AssertionError("the wheel's model was opened again")

    monkeypatch.setattr(LanguageIdentifier, "from_model_file", no_wheel_model)
    lang._identifier.cache_clear()
    assert _classified() == first
    assert set(lang._identifier().nb_classes) == set(lang.LANGUAGES)


def test_a_damaged_kept_model_is_made_again() -> None:
    kept = lang._kept_model_path()
    kept.parent.mkdir(parents=True)
    kept.write_bytes(b"PK\x03\x04 not a whole archive")
    assert _classified() == {code: code for code in TEXTS}
    lang._identifier.cache_clear()
    assert _classified() == {code: code for code in TEXTS}
    assert kept.stat().st_size > 1_000_000
    assert not list(kept.parent.glob("*.part"))


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere")
def test_an_unwritable_cache_is_no_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    monkeypatch.setenv("XDG_CACHE_HOME", str(locked))
    assert _classified() == {code: code for code in TEXTS}
    assert not (locked / "presse").exists()


def test_an_uncreatable_cache_is_no_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert _classified() == {code: code for code in TEXTS}
