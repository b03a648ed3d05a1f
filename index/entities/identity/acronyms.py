"""Acronyms (rule 7): the one written in brackets after a name, the one a name's
initials make, and a name that opens with an acronym."""

from __future__ import annotations

from collections import defaultdict

from index.entities.identity.groups import _Groups

# Words an acronym leaves out (`Organisation mondiale de la santé` -> OMS).
_ACRONYM_SKIPS = frozenset("de du des d l la le les et en pour sur a au aux of the and for".split())
MAX_ACRONYM = 6


def acronym_of(key: str) -> str:
    """The acronym a name's initials make (`fonds monetaire international` -> `fmi`)."""
    return "".join(word[0] for word in key.split() if word not in _ACRONYM_SKIPS)


def _acronyms(
    groups: _Groups,
    keys: list[str],
    labels: dict[str, str],
    uppercase: set[str],
    headed: set[str],
    bracketed: dict[str, set[str]],
) -> None:
    """An acronym the text writes in brackets after a name is that name, when the
    corpus writes it after one name only (`Haut-Commissariat des Nations unies pour
    les réfugiés (HCR)`, whatever its initials). Otherwise an acronym written in capitals
    (`FMI`) is the one name of the corpus whose initials it is (`Fonds monétaire
    international`), when there is only one; an organisation's acronym never
    joins a person or a place, nor the reverse."""
    known = set(keys)
    explained = set()
    for acronym, names in bracketed.items():
        names &= known
        if acronym in known and names and len({groups.find(name) for name in names}) == 1:
            groups.union(next(iter(names)), acronym)
            explained.add(acronym)
            groups.acronyms.add(acronym)
    _half_acronyms(groups, keys, labels, uppercase, headed)
    expansions: dict[str, list[str]] = defaultdict(list)
    for key in keys:
        if labels[key] != "PER" and len(key.split()) >= 2:
            initials = acronym_of(key)
            if 3 <= len(initials) <= MAX_ACRONYM:
                expansions[initials].append(key)
    for key in keys:
        if key in explained or key not in uppercase or " " in key:
            continue
        if not 3 <= len(key) <= MAX_ACRONYM:
            continue
        label = labels[key]
        found = {
            groups.find(full): full
            for full in expansions.get(key, [])
            if label != "PER" and {label, labels[full]} != {"ORG", "LOC"}
        }
        if len(found) == 1:
            groups.union(next(iter(found.values())), key)
            groups.acronyms.add(key)


def _half_acronyms(
    groups: _Groups,
    keys: list[str],
    labels: dict[str, str],
    uppercase: set[str],
    headed: set[str],
) -> None:
    """A name that opens with an acronym (`RD Congo`) is the acronym its words make
    (`RDC`), written in capitals in the corpus, when both are read as the same kind
    of thing, and not a person (`US Army` is no `USA`)."""
    present = set(keys)
    for key in keys:
        head, _, rest = key.partition(" ")
        if not rest or not 2 <= len(head) <= 3 or key not in headed or labels[key] == "PER":
            continue
        whole = head + acronym_of(rest)
        if whole in present and whole in uppercase and labels[whole] == labels[key]:
            groups.union(whole, key)
