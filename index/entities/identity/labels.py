"""The entities of the groups (rule 8): each one's kind by the vote of its mentions,
its name, its id, its aliases, and the names alone that stand for it in some
articles only."""

from __future__ import annotations

from collections import Counter, defaultdict

from index.entities.identity.groups import _Groups
from index.entities.identity.names import _without_roles, name_key, slug
from index.entities.identity.records import Corrections, Resolution, ResolvedEntity, SurfaceStats

# A mention of a name of several words counts this many times in its entity's label.
FULL_NAME_VOTE = 3


def _entities(
    groups: _Groups,
    by_key: dict[str, list[SurfaceStats]],
    labels: dict[str, str],
    counts: dict[str, int],
    corrections: Corrections,
    places: set[str],
) -> Resolution:
    """One entity a group of keys (renamed and hidden as corrected), and its aliases."""
    renamed = {groups.find(k): name for k, name in corrections.names if k in groups.parent}
    hidden = {groups.find(k) for k in corrections.hidden if k in groups.parent}
    in_article = _in_article(groups, by_key, corrections)
    alone_in: dict[str, set[str]] = defaultdict(set)
    for (_article, surface), root in in_article.items():
        alone_in[root].add(surface)
    entities: list[ResolvedEntity] = []
    alias_of: dict[str, str] = {}
    id_of: dict[str, str] = {}
    used_ids: set[str] = set()
    for root, keys in sorted(groups.members().items(), key=lambda item: item[0]):
        surfaces: Counter[str] = Counter()
        group_labels: Counter[str] = Counter()
        for key in keys:
            for member in by_key[key]:
                surfaces[member.surface] += member.count
            # (The model reads a full name's kind better than a short form's:
            # `Confédération africaine de football` says what `Caf` is.)
            group_labels[labels[key]] += counts[key] * (FULL_NAME_VOTE if " " in key else 1)
        automatic = _display_name(surfaces, set(keys))
        name = renamed.get(root) or automatic
        label = _label(group_labels, keys, by_key, groups.acronyms, places)
        # The id comes from the automatic name, so a rename keeps it.
        entity_id = id_of[root] = _unique_id(slug(automatic), label, used_ids)
        aliases = tuple(surface for surface, _ in surfaces.most_common())
        # (and the names alone that stand for it in some articles only)
        aliases += tuple(sorted(alone_in[root] - surfaces.keys()))
        entities.append(ResolvedEntity(entity_id, name, label, aliases, root in hidden))
        for surface in aliases[: len(surfaces)]:
            alias_of[surface] = entity_id
    by_article = {
        (article, surface): id_of[root] for (article, surface), root in in_article.items()
    }
    return Resolution(entities, alias_of, by_article)


def _in_article(
    groups: _Groups, by_key: dict[str, list[SurfaceStats]], corrections: Corrections
) -> dict[tuple[str, str], str]:
    """(article, surface form) → the group a name alone stands for in that article
    only, where the article writes one full name that has it (rule 5); a name the
    user merged or split is left as corrected."""
    corrected = {*corrections.splits, *(k for pair in corrections.merges for k in pair)}
    found: dict[tuple[str, str], str] = {}
    for key, article, fulls in groups.in_article:
        roots = {groups.find(full) for full in fulls}
        if key in corrected or len(roots) != 1 or groups.find(key) in roots:
            continue
        root = roots.pop()
        for member in by_key[key]:
            found[(article, member.surface)] = root
    return found


# The share of its mentions read as another kind that makes a lone word no person.
NOT_A_PERSON = 1 / 3


def _label(
    votes: Counter[str],
    keys: list[str],
    by_key: dict[str, list[SurfaceStats]],
    acronyms: set[str],
    places: set[str],
) -> str:
    """The kind of an entity, by the vote of its names' mentions, mended where the
    corpus disagrees with the model:

    - a word alone, never part of a full name nor after a title, that the model
      also reads as an organisation, a place or another thing in a third of its
      mentions, is that (`Uber`);
    - an acronym with its expansion is no place, unless a country or a city is
      among its names (`Caf`, `Confédération africaine de football`; `RDC` is one).
    """
    label = votes.most_common(1)[0][0]
    if label == "PER" and all(" " not in key for key in keys):
        read: Counter[str] = Counter()
        for key in keys:
            for member in by_key[key]:
                if " " in member.surface:  # a title: `M. Uber` is a person
                    return label
                read.update(member.labels)
        others = [(n, kind) for kind, n in read.items() if kind != "PER"]
        if others and sum(n for n, _ in others) >= NOT_A_PERSON * sum(read.values()):
            return max(others)[1]
    acronym = any(key in acronyms for key in keys)
    if label == "LOC" and acronym and not any(key in places for key in keys):
        return "ORG"
    return label


def _unique_id(base: str, label: str, used: set[str]) -> str:
    candidate = base
    if candidate in used:
        candidate = f"{base}-{label.lower()}"
    n = 2
    while candidate in used:
        candidate = f"{base}-{n}"
        n += 1
    used.add(candidate)
    return candidate


def _display_name(surfaces: Counter[str], keys: set[str] | None = None) -> str:
    """The fullest form among the common ones: `Vladimir Poutine` over `Poutine`;
    one that is a name of the group's own first (not `ville de Berne`, `Ahmad de la
    Caf`, whose keys are another's)."""
    top = surfaces.most_common(1)[0][1]
    common = [s for s, n in surfaces.items() if n * 3 >= top]

    def rank(surface: str) -> tuple[bool, int, bool, int, int, str]:
        full = name_key(surface)
        key = _without_roles(full)
        own = keys is None or full in keys or key in keys
        # (`Calder` over `professeur Calder`)
        words, bare = len(key.split()), full == key
        return (own, words, bare, surfaces[surface], _accents(surface), surface)

    return max(common, key=rank)


def _accents(surface: str) -> int:
    return sum(1 for c in surface if ord(c) > 127)
