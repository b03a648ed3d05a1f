"""A name's key, in which its spellings are equal (rule 1), without the titles and
roles before it; and an entity's id from its name (`slug`)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from index.analysis import fold

_SEPARATORS = re.compile(r"[\s'’`´‐‑–—\-_.·/]+")


@lru_cache(maxsize=1 << 16)
def name_key(surface: str) -> str:
    """The form in which two spellings of one name are equal."""
    words = _SEPARATORS.split(fold(surface))
    return " ".join(word for word in words if word)


# Titles and roles, which go before a person's name and are no part of who it is
# (common nouns of the language, not names: no person or place is listed here).
_ROLES = frozenset(
    """
    m mm mme mmes mlle mlles mr mrs ms dr pr me mgr mad sir lord lady dame
    monsieur messieurs madame mesdames mademoiselle mesdemoiselles
    president presidente premier premiere ministre vice secretaire general generale
    chancelier chanceliere senateur senatrice depute deputee maire gouverneur juge
    marechal colonel capitaine lieutenant commandant amiral sergent caporal
    roi reine prince princesse empereur imperatrice pape cardinal eveque abbe
    docteur professeur maitre comte comtesse duc duchesse baron baronne
    marquis marquise sultan emir cheikh imam rabbin pasteur
    """.split()
)
# Words a role may have after it (`premier ministre`, `secretaire general de l`).
_ROLE_LINKS = frozenset("de du des d l la le".split())


def _without_roles(key: str) -> str:
    """A name key without the titles and roles that open it (`president joe biden`
    -> `joe biden`); empty when it is only a role (`premier ministre`, `monsieur`)."""
    words = key.split()
    i = 0
    while i < len(words) and (
        words[i] in _ROLES or (i and words[i] in _ROLE_LINKS and words[i - 1] in _ROLES)
    ):
        i += 1
    if i == len(words):
        return ""
    # (A role alone goes; a name whose every other word is a role keeps its own.)
    return " ".join(words[i:]) if i else key


# The words for a town a town's name may follow in small letters (`ville de Berne`):
# common nouns of the language, no place is listed here. (A canton, a region or a
# province is not the town of its name: `canton de Fribourg`.)
_PLACE_KINDS = frozenset("ville cite commune village bourg".split())
_PLACE_KIND = re.compile(rf"(?:{'|'.join(sorted(_PLACE_KINDS))}) (?:de |du |d )(?=\w)")


def _without_place_kind(key: str) -> str:
    """A town's name key without the word for a town before it (`ville de berne` ->
    `berne`)."""
    match = _PLACE_KIND.match(key)
    return key[match.end() :] if match else key


def slug(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.lower())
    ascii_name = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-") or "entity"
