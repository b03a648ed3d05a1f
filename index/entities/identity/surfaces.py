"""The surface forms kept, under their keys: titles and `ville de` dropped, a person
run into the body he is of (rule 3), the sentence openers and the common nouns with
a capital left out (rule 6)."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable

from index.entities.identity.acronyms import MAX_ACRONYM
from index.entities.identity.names import _without_place_kind, _without_roles, name_key
from index.entities.identity.records import Corrections, SurfaceStats


def _kept_keys(
    stats: Iterable[SurfaceStats], corrections: Corrections
) -> tuple[dict[str, list[SurfaceStats]], dict[str, str], dict[str, int]]:
    """The surface forms of each name key kept, and each key's label and mentions."""
    by_key: dict[str, list[SurfaceStats]] = defaultdict(list)
    # A name the user corrected keeps its whole key: the correction names it so.
    corrected = {
        *corrections.splits,
        *corrections.hidden,
        *(k for pair in corrections.merges for k in pair),
        *(k for k, _name in corrections.names),
    }
    stats = list(stats)
    # Acronyms of bodies (`CAF`, not a person's name in capitals): a title and a name
    # (`comte de Câf`) whose name is one of them keeps its title, or the count would
    # be the body.
    acronyms = {
        name_key(s.surface)
        for s in stats
        if s.surface.isupper()
        and 1 < len(s.surface) <= MAX_ACRONYM
        and s.labels.most_common(1)[0][0] != "PER"
    }
    for stat in stats:
        key = name_key(stat.surface)
        if key and key not in corrected:
            # `Président Biden` is Biden; `Monsieur` is nobody; `Premier League` stays.
            roleless = _without_roles(key)
            label = stat.labels.most_common(1)[0][0]
            if not roleless or (label == "PER" and (roleless == key or roleless not in acronyms)):
                key = roleless
            elif label == "LOC" and stat.surface[:1].islower():
                key = _without_place_kind(key)  # `ville de Berne` is Berne
        if key:
            by_key[key].append(stat)
    _without_bodies(by_key, corrected)

    labels: dict[str, str] = {}
    counts: dict[str, int] = {}
    for key, members in list(by_key.items()):
        total = sum(m.count for m in members)
        initial = sum(m.initial for m in members)
        label_counts: Counter[str] = Counter()
        for member in members:
            label_counts.update(member.labels)
        label = label_counts.most_common(1)[0][0]
        # Rule 6: only ever a capitalised sentence opener. A person named again
        # and again, if only at the start of sentences, is still a person.
        if initial == total and " " not in key and not (label == "PER" and total >= 2):
            del by_key[key]
            continue
        labels[key] = label
        counts[key] = total
    return by_key, labels, counts


# A place name of one word that this share or more of the articles writing its
# word write in small letters is a common noun (`l'État`, `un état`), if they are
# COMMON_LOWER articles at least.
COMMON_SHARE = 0.25
COMMON_LOWER = 3
# Words named this often or more are checked (a common noun is a frequent one).
COMMON_MENTIONS = 5


def _common_nouns(
    by_key: dict[str, list[SurfaceStats]],
    labels: dict[str, str],
    counts: dict[str, int],
    places: set[str],
    case_counts: Callable[[list[str]], tuple[int, int]],
) -> None:
    """A one-word "place" that is no country or city the world lists, and that the
    articles writing it also write in small letters, is a common noun with a
    capital (`l'État`, `le Nord`), no name (rule 6)."""
    for key in list(by_key):
        members = by_key[key]
        if (
            " " in key
            or labels[key] != "LOC"
            or key in places
            or counts[key] < COMMON_MENTIONS
            or any(m.surface.isupper() for m in members)
        ):
            continue
        lower, capital = case_counts([m.surface for m in members])
        if lower >= COMMON_LOWER and lower >= COMMON_SHARE * (lower + capital):
            del by_key[key], labels[key], counts[key]


# `Ahmad de la Caf`: a person's name, a link word, and the body he is of.
_OF_BODY = re.compile(r" (?:de la|de l|du|des|de) ")


def _without_bodies(by_key: dict[str, list[SurfaceStats]], corrected: set[str]) -> None:
    """A person's name run into the organisation he is of (`Ahmad de la Caf`, `Ahmad
    du FMI`) is the person's: the organisation is a name of its own that the corpus
    writes more often, and in capitals (an acronym) or as an organisation's."""

    def stats_of(key: str) -> tuple[Counter[str], int, bool]:
        labels: Counter[str] = Counter()
        for member in by_key[key]:
            labels.update(member.labels)
        upper = any(m.surface.isupper() for m in by_key[key])
        return labels, sum(m.count for m in by_key[key]), upper

    for key in [k for k in by_key if _OF_BODY.search(k) and k not in corrected]:
        labels, count, _upper = stats_of(key)
        if labels.most_common(1)[0][0] != "PER":
            continue
        match = _OF_BODY.search(key)
        assert match is not None
        head, body = key[: match.start()], key[match.end() :]
        if body not in by_key or head in corrected:
            continue
        body_labels, body_count, body_upper = stats_of(body)
        if body_count > count and (body_upper or body_labels.most_common(1)[0][0] == "ORG"):
            by_key[head].extend(by_key.pop(key))
