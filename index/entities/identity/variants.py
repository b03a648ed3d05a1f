"""One name in other shapes: a country in any language (rule 2), its abbreviation
in a results table, a name with its spaces lost, a name with a number (rule 3)."""

from __future__ import annotations

from collections import defaultdict

from index.entities.identity.groups import _Groups
from index.entities.identity.records import SurfaceStats


def _same_territory(groups: _Groups, keys: list[str], codes: dict[str, str]) -> None:
    first_of: dict[str, str] = {}
    for key in keys:
        code = codes.get(key)
        if code is None:
            continue
        if code in first_of:
            groups.union(first_of[code], key)
        else:
            first_of[code] = key


# The longest abbreviation of a country's name (`Fr`, `Esp`, `Dan`).
MAX_ABBREVIATION = 4


def _country_abbreviations(
    groups: _Groups,
    keys: list[str],
    labels: dict[str, str],
    counts: dict[str, int],
    titled: set[str],
    codes: dict[str, str],
) -> None:
    """A short place name written with a capital and small letters (`Esp`, `Fr`), no
    name of its own, which is at most the first half of the one-word name of one
    country only among the countries the corpus names, is that country: the
    nationalities of a results table. (A longer start is a word of its own:
    `Etat` is not `Etats-Unis`, nor `Cote` `Côte d'Ivoire`.)"""
    countries = [
        (key, code)
        for key in keys
        if " " not in key and (code := codes.get(key)) is not None and len(code) == 2
    ]
    for key in keys:
        if not (
            2 <= len(key) <= MAX_ABBREVIATION
            and counts[key] >= 2  # (a table names a nationality again and again)
            and key.isalpha()
            and key in titled
            and labels[key] in ("LOC", "MISC")
            and key not in codes
        ):
            continue
        found = {
            code: name
            for name, code in countries
            if name.startswith(key) and 2 * len(key) <= len(name)
        }
        if len(found) == 1:
            groups.union(next(iter(found.values())), key)


def _spaces_lost(groups: _Groups, keys: list[str]) -> None:
    """A name of one word that is a name of several with its spaces lost at a
    line end (`NewYork`, `GrandsMoulins`) is that name."""
    spaced: dict[str, str] = {}
    for key in keys:
        if " " in key:
            spaced.setdefault(key.replace(" ", ""), key)
    for key in keys:
        full = spaced.get(key)
        if full is not None and " " not in key:
            groups.union(full, key)


def _numbered(groups: _Groups, keys: list[str], by_key: dict[str, list[SurfaceStats]]) -> None:
    """A name and the name with a number joined to it by a hyphen (`Covid`,
    `Covid-19`) are one thing, when the corpus writes the name with that number
    only (`Euro-2016` and `Euro-2020` leave `Euro` alone). A number after a space
    is a thing of its own (`TSR 1`, a channel of `TSR`; `Ligue des champions
    2003`, one season)."""
    present = set(keys)
    numbered: dict[str, list[str]] = defaultdict(list)
    for key in keys:
        base, _, number = key.rpartition(" ")
        hyphened = any(m.surface.endswith(f"-{number}") for m in by_key[key])
        if len(base) >= 3 and base in present and number.isdigit() and hyphened:
            numbered[base].append(key)
    for base, found in numbered.items():
        if len(found) == 1:
            groups.union(found[0], base)
